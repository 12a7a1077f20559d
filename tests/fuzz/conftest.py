"""The engine fixtures of tests/bot, for the fuzzers that talk to the assistant."""

from __future__ import annotations

from tests.bot.conftest import chat, container

__all__ = ["chat", "container"]
