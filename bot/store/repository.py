"""Reading and appending a conversation's event log."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.events import ConversationPaused, ConversationResumed, Event, event_from_dict
from bot.store.models import Conversation, EventRecord, ProcessedMessage

__all__ = ["ConversationStore"]


def _now() -> datetime:
    return datetime.now(UTC)


class ConversationStore:
    """The append-only log of every conversation; the tracker is rebuilt from it."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        # One turn at a time per conversation in this process; idle conversations drop their lock.
        self._locks: weakref.WeakValueDictionary[str, threading.Lock] = weakref.WeakValueDictionary()
        self._guard = threading.Lock()

    @contextmanager
    def lock(self, conversation_id: str) -> Iterator[None]:
        """Hold the conversation for one turn."""
        with self._guard:
            lock = self._locks.get(conversation_id)
            if lock is None:
                lock = self._locks[conversation_id] = threading.Lock()
        with lock:
            yield

    def claim_message(self, channel: str, message_id: str, conversation_id: str) -> bool:
        """Record (channel, message id); False when it was already processed."""
        with self._sessions() as session:
            session.add(
                ProcessedMessage(
                    channel=channel,
                    message_id=message_id,
                    conversation_id=conversation_id,
                    received_at=_now(),
                )
            )
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                return False
        return True

    def ensure_conversation(self, conversation_id: str, channel: str, sender: str) -> None:
        """Create the conversation row on its first message."""
        with self._sessions() as session:
            if session.get(Conversation, conversation_id) is None:
                now = _now()
                session.add(
                    Conversation(
                        id=conversation_id,
                        channel=channel,
                        sender=sender,
                        created_at=now,
                        updated_at=now,
                    )
                )
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()

    def exists(self, conversation_id: str) -> bool:
        """Whether the conversation has been created."""
        with self._sessions() as session:
            return session.get(Conversation, conversation_id) is not None

    def events(self, conversation_id: str) -> list[Event]:
        """Every event of a conversation, oldest first."""
        return [event for _seq, event in self.records(conversation_id)]

    def records(self, conversation_id: str, after: int = -1) -> list[tuple[int, Event]]:
        """The events after sequence number `after`, oldest first, each with its number."""
        with self._sessions() as session:
            rows = session.execute(
                select(EventRecord.seq, EventRecord.data)
                .where(EventRecord.conversation_id == conversation_id, EventRecord.seq > after)
                .order_by(EventRecord.seq)
            )
            return [(int(seq), event_from_dict(data)) for seq, data in rows]

    def stored_events(self, conversation_id: str) -> list[dict[str, Any]]:
        """The events exactly as written (Rasa event dicts), oldest first: for export and inspection."""
        with self._sessions() as session:
            rows = session.scalars(
                select(EventRecord.data)
                .where(EventRecord.conversation_id == conversation_id)
                .order_by(EventRecord.seq)
            )
            return [dict(data) for data in rows]

    def append(self, conversation_id: str, events: Sequence[Event]) -> None:
        """Append events after the last one, in one transaction."""
        if not events:
            return
        with self._sessions() as session:
            last = session.scalar(
                select(func.max(EventRecord.seq)).where(EventRecord.conversation_id == conversation_id)
            )
            seq = -1 if last is None else last
            now = _now()
            for event in events:
                seq += 1
                data = event.to_dict()
                session.add(
                    EventRecord(
                        conversation_id=conversation_id,
                        seq=seq,
                        type=str(data.get("event", "unknown")),
                        data=data,
                        created_at=now,
                    )
                )
            conversation = session.get(Conversation, conversation_id)
            if conversation is not None:
                conversation.updated_at = now
                for event in events:
                    if isinstance(event, ConversationPaused):
                        conversation.handoff = True
                    elif isinstance(event, ConversationResumed):
                        conversation.handoff = False
            session.commit()

    def conversations(self) -> list[Conversation]:
        """All conversations, newest activity first."""
        with self._sessions() as session:
            return list(session.scalars(select(Conversation).order_by(Conversation.updated_at.desc())))
