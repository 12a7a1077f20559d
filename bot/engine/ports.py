"""What the engine needs from the parts around it: the NLU, the conversation store and the upload vault."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from bot.engine.events import Event

__all__ = ["AttachmentSink", "ConversationStore", "HeldUpload", "Interpreter", "ParseLike"]


class ParseLike(Protocol):
    """An NLU result: the engine reads only its Rasa parse_data."""

    def to_rasa(self) -> dict[str, Any]:
        """Rasa's parse_data dict (text, intent, entities, intent_ranking; optionally act)."""
        ...


class Interpreter(Protocol):
    """Anything that parses text into intent and entities (embedded NLU or a Rasa server)."""

    def parse(self, text: str) -> ParseLike:
        """Parse one message."""
        ...


class HeldUpload(Protocol):
    """What the vault says of an upload; it travels to the actions inside the message metadata."""

    def to_metadata(self) -> dict[str, Any]:
        """A JSON-ready description (never the file's bytes)."""
        ...


class AttachmentSink(Protocol):
    """Holds an uploaded file for a form, encrypted, and describes it for the actions."""

    def hold(self, conversation_id: str, filename: str, data: bytes | None, size: int) -> HeldUpload:
        """Keep the file (or refuse it, e.g. `data` None because it is too big) and describe it."""
        ...

    def release_conversation(self, conversation_id: str) -> None:
        """Forget every held file of a conversation."""
        ...


class ConversationStore(Protocol):
    """The durable log of every conversation."""

    def lock(self, conversation_id: str) -> AbstractContextManager[None]:
        """Hold the conversation for one turn: no other turn of it runs meanwhile, in any process."""
        ...

    def claim_message(self, channel: str, message_id: str, conversation_id: str) -> bool:
        """Record (channel, message id); False when it was already processed."""
        ...

    def ensure_conversation(self, conversation_id: str, channel: str, sender: str) -> None:
        """Create the conversation on its first message."""
        ...

    def events(self, conversation_id: str) -> list[Event]:
        """The conversation's events, oldest first."""
        ...

    def records(self, conversation_id: str, after: int = -1) -> list[tuple[int, Event]]:
        """The conversation's events after sequence number `after`, each with its number."""
        ...

    def append(self, conversation_id: str, events: Sequence[Event]) -> None:
        """Append events after the last one, in one transaction."""
        ...

    def exists(self, conversation_id: str) -> bool:
        """Whether the conversation has been created."""
        ...
