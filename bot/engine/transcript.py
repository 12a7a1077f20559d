"""A read-only view of what was said in a conversation, for channels, the web app and agents."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.engine.events import BotUttered, Event, UserUttered
from bot.engine.messages import Button, Document

__all__ = ["TranscriptEntry", "transcript_entries"]


@dataclass(frozen=True)
class TranscriptEntry:
    """One message of the person or of the bot, with its place in the conversation."""

    seq: int
    author: Literal["persona", "asistente"]
    text: str
    timestamp: float
    buttons: tuple[Button, ...] = ()
    document: Document | None = None
    message_id: str | None = None
    intent: str | None = None
    confidence: float = 0.0
    #: For a person's upload or media: its description (name, type, size), never its content.
    metadata: Mapping[str, Any] = field(default_factory=dict)


def transcript_entries(records: Iterable[tuple[int, Event]]) -> list[TranscriptEntry]:
    """The messages among stored events (slots, actions and the like are left out)."""
    entries: list[TranscriptEntry] = []
    for seq, event in records:
        if isinstance(event, UserUttered):
            described = {k: v for k, v in event.metadata.items() if k in ("attachment", "media")}
            extra: dict[str, Any] = {
                "message_id": event.message_id,
                "intent": event.parse.intent,
                "confidence": event.parse.confidence,
                "metadata": described,
            }
            entries.append(TranscriptEntry(seq, "persona", event.text, event.timestamp, **extra))
        elif isinstance(event, BotUttered):
            entries.append(
                TranscriptEntry(seq, "asistente", event.text, event.timestamp, event.buttons, event.document)
            )
    return entries
