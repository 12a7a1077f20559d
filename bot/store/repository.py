"""Reading and appending a conversation's event log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import Conversation, EventRecord, ProcessedMessage

__all__ = ["ConversationStore"]


def _now() -> datetime:
    return datetime.now(UTC)


class ConversationStore:
    """The append-only log of every conversation; the tracker is rebuilt from it."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

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

    def events(self, conversation_id: str) -> list[dict[str, Any]]:
        """Every event of a conversation, oldest first, as Rasa event dicts."""
        with self._sessions() as session:
            rows = session.scalars(
                select(EventRecord)
                .where(EventRecord.conversation_id == conversation_id)
                .order_by(EventRecord.seq)
            )
            return [dict(row.data) for row in rows]

    def append(self, conversation_id: str, events: Sequence[dict[str, Any]]) -> None:
        """Append events after the last one, in one transaction."""
        if not events:
            return
        with self._sessions() as session:
            last = session.scalar(
                select(func.max(EventRecord.seq)).where(EventRecord.conversation_id == conversation_id)
            )
            seq = -1 if last is None else last
            now = _now()
            for data in events:
                seq += 1
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
                for data in events:
                    if data.get("event") == "pause":
                        conversation.handoff = True
                    elif data.get("event") == "resume":
                        conversation.handoff = False
            session.commit()

    def conversations(self) -> list[Conversation]:
        """All conversations, newest activity first."""
        with self._sessions() as session:
            return list(session.scalars(select(Conversation).order_by(Conversation.updated_at.desc())))
