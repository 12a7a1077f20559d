"""What the engine needs from the parts around it: the NLU, the conversation store, the upload vault and
the message rate limit."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol

from bot.engine.events import Event

__all__ = [
    "AttachmentSink",
    "Claim",
    "ConversationStore",
    "DuplicateMessage",
    "HeldUpload",
    "Interpreter",
    "MessageKey",
    "ParseLike",
    "RateLimit",
    "RateVerdict",
    "TurnStart",
]


class DuplicateMessage(Exception):
    """The message id was claimed by another turn meanwhile."""


@dataclass(frozen=True)
class Claim:
    """A claimed message: where its user event is and whether its turn finished."""

    channel: str
    message_id: str
    conversation_id: str
    user_seq: int | None
    done: bool


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

    def purge_expired(self) -> int:
        """Forget every held file past its expiry; returns how many went."""
        ...


@dataclass(frozen=True)
class RateVerdict:
    """Whether one more message from a sender is read now; if not, how long until it would be."""

    allowed: bool
    retry_in_seconds: int = 0


class RateLimit(Protocol):
    """Counts each sender's messages; a sender over the limit is not read until the window moves on."""

    def admit(self, channel: str, sender: str) -> RateVerdict:
        """Count one message from `sender` on `channel` if the limit allows it."""
        ...

    def purge(self) -> int:
        """Forget counted messages older than the window; returns how many went."""
        ...


@dataclass(frozen=True)
class MessageKey:
    """Which message a turn is about: its conversation, and the (channel, id) it is claimed by."""

    conversation_id: str
    channel: str
    message_id: str
    sender: str = ""


@dataclass(frozen=True)
class TurnStart:
    """What a turn needs to know before it starts, read in one go."""

    #: This message id's claim, if it was received before.
    claim: Claim | None
    #: The conversation's claims whose turn never finished (a crash), oldest first.
    unfinished: list[Claim]
    #: The latest snapshot and the events stored after it.
    snapshot: dict[str, Any] | None
    since: list[tuple[int, Event]]


class ConversationStore(Protocol):
    """The durable log of every conversation, with message claims and the latest snapshot."""

    def lock(self, conversation_id: str) -> AbstractContextManager[None]:
        """Hold the conversation for one turn: no other turn of it runs meanwhile, in any process."""
        ...

    def begin(self, conversation_id: str, channel: str, message_id: str) -> TurnStart:
        """The message's claim, the unfinished ones, the snapshot and the events after it."""
        ...

    def load(self, conversation_id: str) -> tuple[dict[str, Any] | None, list[tuple[int, Event]]]:
        """The latest snapshot and the events stored after it."""
        ...

    def receive(self, key: MessageKey, events: Sequence[Event], *, new: bool = True) -> int:
        """Claim the message and store its events in one transaction; the last event's number.

        `new` (the conversation may not exist yet) creates it first.
        """
        ...

    def finish(self, key: MessageKey, events: Sequence[Event], snapshot: dict[str, Any]) -> None:
        """Store the turn's events and snapshot and mark the claim done, in one transaction."""
        ...

    def records(self, conversation_id: str, after: int = -1) -> list[tuple[int, Event]]:
        """The conversation's events after sequence number `after`, each with its number."""
        ...

    def exists(self, conversation_id: str) -> bool:
        """Whether the conversation has been created."""
        ...

    def open(self, conversation_id: str, channel: str, sender: str) -> None:
        """Create the conversation before its first message."""
        ...

    def record_delivery(
        self, channel: str, conversation_id: str, external_id: str, status: str, detail: str | None = None
    ) -> None:
        """Record what a channel said about a message we sent."""
        ...

    def deliveries(self, conversation_id: str) -> list[tuple[str, str, str | None]]:
        """(external id, status, detail) of the conversation's reported deliveries, oldest first."""
        ...
