"""Button payloads that do not fit a platform's id field travel as a short hash of themselves.

Telegram allows 64 bytes of callback data and WhatsApp 256 characters of button id; our payloads (for
example a beneficiario's full name) can be longer. A hash is resolved back from the buttons the bot
sent in that conversation, as stored by the engine: no in-memory map is lost on a restart and any
worker can resolve it.
"""

from __future__ import annotations

import hashlib

from bot.engine import Engine

__all__ = ["HASHED", "compact", "is_hashed", "resolve"]

HASHED = "#h:"


def _hash(payload: str) -> str:
    return HASHED + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def compact(payload: str, max_bytes: int) -> str:
    """The payload itself when it fits `max_bytes` (UTF-8), else a short stable hash of it."""
    if len(payload.encode("utf-8")) <= max_bytes and not payload.startswith(HASHED):
        return payload
    return _hash(payload)


def is_hashed(data: str) -> bool:
    """Whether a button's data is a hash that must be resolved."""
    return data.startswith(HASHED)


def resolve(engine: Engine, conversation_id: str, data: str) -> str | None:
    """The payload behind a hash, from the buttons the bot sent in this conversation (newest first)."""
    for entry in reversed(engine.transcript(conversation_id)):
        for button in entry.buttons:
            if _hash(button.payload) == data:
                return button.payload
    return None
