"""The conversation store: the append-only event log, message claims, snapshots and the turn lock.

A turn writes twice, each time in one transaction: first the claim of the message id together with the
person's message (after that commit a channel may acknowledge), then the turn's events, the new
snapshot and the claim marked done. A crash in between leaves a claim that is not done, which the engine
runs again; nothing is ever half-written.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.events import ConversationPaused, ConversationResumed, Event, event_from_dict
from bot.engine.ports import Claim, DuplicateMessage
from bot.store.locks import ConversationLocks, ThreadLocks
from bot.store.models import Conversation, ConversationSnapshot, Delivery, EventRecord, ProcessedMessage

__all__ = ["Claim", "ConversationStore", "DuplicateMessage"]


def _now() -> datetime:
    return datetime.now(UTC)


class ConversationStore:
    """Every conversation's log, claims and latest snapshot, in the SQL database."""

    def __init__(self, sessions: sessionmaker[Session], locks: ConversationLocks | None = None) -> None:
        self._sessions = sessions
        self._locks = locks or ThreadLocks()

    # -- the turn ----------------------------------------------------------------------------

    def lock(self, conversation_id: str) -> AbstractContextManager[None]:
        """Hold the conversation for one turn, in every worker (bounded wait: `ConversationBusy`)."""
        return self._locks.hold(conversation_id)

    def claim_of(self, channel: str, message_id: str) -> Claim | None:
        """The claim of a message id, if it was received before."""
        with self._sessions() as session:
            row = session.scalar(
                select(ProcessedMessage).where(
                    ProcessedMessage.channel == channel, ProcessedMessage.message_id == message_id
                )
            )
            return _claim(row) if row is not None else None

    def unfinished(self, conversation_id: str) -> list[Claim]:
        """Claims of the conversation whose turn never finished (a crash), oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ProcessedMessage)
                .where(ProcessedMessage.conversation_id == conversation_id, ProcessedMessage.done.is_(False))
                .order_by(ProcessedMessage.id)
            )
            return [_claim(row) for row in rows]

    def load(self, conversation_id: str) -> tuple[dict[str, Any] | None, list[tuple[int, Event]]]:
        """The latest snapshot and the events stored after it (usually none)."""
        with self._sessions() as session:
            snapshot = session.get(ConversationSnapshot, conversation_id)
            after = snapshot.seq if snapshot is not None else -1
            rows = session.execute(
                select(EventRecord.seq, EventRecord.data)
                .where(EventRecord.conversation_id == conversation_id, EventRecord.seq > after)
                .order_by(EventRecord.seq)
            )
            since = [(int(seq), event_from_dict(data)) for seq, data in rows]
            return (dict(snapshot.state) if snapshot is not None else None), since

    def receive(
        self, conversation_id: str, channel: str, sender: str, message_id: str, events: Sequence[Event]
    ) -> int:
        """Claim the message and store its events (the person's message last) in one transaction.

        Returns the sequence number of the last event (the person's message). Raises
        `DuplicateMessage` when the id was claimed meanwhile.
        """
        from sqlalchemy.exc import IntegrityError

        with self._sessions() as session:
            self._ensure(session, conversation_id, channel, sender)
            last = self._append(session, conversation_id, events)
            session.add(
                ProcessedMessage(
                    channel=channel,
                    message_id=message_id,
                    conversation_id=conversation_id,
                    received_at=_now(),
                    user_seq=last,
                    done=False,
                )
            )
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                raise DuplicateMessage(message_id) from None
            return last

    def finish(
        self,
        conversation_id: str,
        channel: str,
        message_id: str,
        events: Sequence[Event],
        snapshot: dict[str, Any],
    ) -> None:
        """Store the turn's events and the new snapshot, and mark the claim done, in one transaction."""
        with self._sessions() as session:
            last = self._append(session, conversation_id, events)
            if last < 0:
                last = self._last_seq(session, conversation_id)
            row = session.get(ConversationSnapshot, conversation_id)
            if row is None:
                session.add(
                    ConversationSnapshot(
                        conversation_id=conversation_id, seq=last, state=snapshot, updated_at=_now()
                    )
                )
            else:
                row.seq, row.state, row.updated_at = last, snapshot, _now()
            session.execute(
                update(ProcessedMessage)
                .where(ProcessedMessage.channel == channel, ProcessedMessage.message_id == message_id)
                .values(done=True)
            )
            session.commit()

    def record_delivery(
        self, channel: str, conversation_id: str, external_id: str, status: str, detail: str | None = None
    ) -> None:
        """Record what a channel said about a message we sent."""
        with self._sessions() as session:
            session.add(
                Delivery(
                    channel=channel,
                    conversation_id=conversation_id,
                    external_id=external_id[:256],
                    status=status[:32],
                    detail=detail[:256] if detail else None,
                    at=_now(),
                )
            )
            session.commit()

    def deliveries(self, conversation_id: str) -> list[tuple[str, str, str | None]]:
        """(external id, status, detail) of the conversation's reported deliveries, oldest first."""
        with self._sessions() as session:
            rows = session.execute(
                select(Delivery.external_id, Delivery.status, Delivery.detail)
                .where(Delivery.conversation_id == conversation_id)
                .order_by(Delivery.id)
            )
            return [(str(a), str(b), c) for a, b, c in rows]

    # -- reading -------------------------------------------------------------------------------

    def exists(self, conversation_id: str) -> bool:
        """Whether the conversation has been created."""
        with self._sessions() as session:
            return session.get(Conversation, conversation_id) is not None

    def open(self, conversation_id: str, channel: str, sender: str) -> None:
        """Create the conversation before its first message (nothing happens if it exists)."""
        with self._sessions() as session:
            self._ensure(session, conversation_id, channel, sender)
            session.commit()

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

    def conversations(self) -> list[Conversation]:
        """All conversations, newest activity first."""
        with self._sessions() as session:
            return list(session.scalars(select(Conversation).order_by(Conversation.updated_at.desc())))

    # -- internals -----------------------------------------------------------------------------

    @staticmethod
    def _ensure(session: Session, conversation_id: str, channel: str, sender: str) -> None:
        if session.get(Conversation, conversation_id) is None:
            now = _now()
            session.add(
                Conversation(
                    id=conversation_id, channel=channel, sender=sender, created_at=now, updated_at=now
                )
            )
            session.flush()

    @staticmethod
    def _last_seq(session: Session, conversation_id: str) -> int:
        last = session.scalar(
            select(func.max(EventRecord.seq)).where(EventRecord.conversation_id == conversation_id)
        )
        return -1 if last is None else int(last)

    def _append(self, session: Session, conversation_id: str, events: Sequence[Event]) -> int:
        """Add events after the last one; returns the last sequence number written (-1 if none)."""
        if not events:
            return -1
        seq = self._last_seq(session, conversation_id)
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
        return seq


def _claim(row: ProcessedMessage) -> Claim:
    return Claim(
        channel=row.channel,
        message_id=row.message_id,
        conversation_id=row.conversation_id,
        user_seq=row.user_seq,
        done=bool(row.done),
    )
