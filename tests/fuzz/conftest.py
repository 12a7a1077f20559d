"""The engine fixtures of tests/bot, for the fuzzers that talk to the assistant; the fuzzers' profile.

By default the examples are derived from each test, the same on every run: a red build always means a
change, never a lucky draw. `HYPOTHESIS_PROFILE=explorar` draws new random examples (run it now and
then, and keep what it finds as an `@example`).
"""

from __future__ import annotations

import os

from hypothesis import settings

from tests.bot.conftest import chat, container

settings.register_profile("fijo", derandomize=True)
settings.register_profile("explorar", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fijo"))

__all__ = ["chat", "container"]
