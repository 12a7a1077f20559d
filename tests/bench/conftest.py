"""The benchmarks reuse the assistant fixtures of tests/bot."""

from tests.bot.conftest import chat, container

__all__ = ["chat", "container"]
