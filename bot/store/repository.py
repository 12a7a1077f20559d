"""The conversation store: the append-only event log, message claims, snapshots and the turn lock.

A turn writes twice, each time in one transaction: first the claim of the message id together with the
person's message (after that commit a channel may acknowledge), then the turn's events, the new
snapshot and the claim marked done. A crash in between leaves a claim that is not done, which the engine
runs again; nothing is ever half-written.

Written with SQLAlchemy Core and as few statements as a turn needs: the conversation row keeps the last
sequence number, so appending never scans the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    DateTime,
    Engine,
    Table,
    TextClause,
    bindparam,
    insert,
    select,
    text,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.selectable import TextualSelect
from sqlalchemy.types import TypeEngine

from bot.engine.events import ConversationPaused, ConversationResumed, Event, event_from_dict
from bot.engine.ports import Claim, DuplicateMessage, MessageKey, TurnStart
from bot.store.locks import ConversationLocks, ThreadLocks
from bot.store.models import Conversation, ConversationSnapshot, Delivery, EventRecord, ProcessedMessage

__all__ = ["ConversationStore"]

_CONVERSATIONS = cast(Table, Conversation.__table__)
_EVENTS = cast(Table, EventRecord.__table__)
_CLAIMS = cast(Table, ProcessedMessage.__table__)
_SNAPSHOTS = cast(Table, ConversationSnapshot.__table__)
_DELIVERIES = cast(Table, Delivery.__table__)


def _now() -> datetime:
    return datetime.now(UTC)


# Types of the values bound to the statements below, by parameter name.
_BINDS: dict[str, TypeEngine[Any]] = {
    "now": DateTime(timezone=True),
    "data": JSON(),
    "state": JSON(),
    "handoff": Boolean(),
}


def _sql(statement: str, **columns: TypeEngine[Any]) -> TextClause | TextualSelect:
    """A statement built once, its parameters typed by name: SQLAlchemy then only binds values per turn."""
    clause = text(statement)
    binds = [bindparam(name, type_=kind) for name, kind in _BINDS.items() if f":{name}" in statement]
    clause = clause.bindparams(*binds) if binds else clause
    return clause.columns(**columns) if columns else clause


# The statements of a turn: plain SQL that SQLite (3.35+) and PostgreSQL both run.
_CLAIMS_OF_TURN = _sql(
    "SELECT channel, message_id, conversation_id, user_seq, done FROM processed_messages "
    "WHERE (channel = :channel AND message_id = :message_id) OR (conversation_id = :cid AND NOT done) "
    "ORDER BY id"
)
_SNAPSHOT = _sql("SELECT seq, state FROM conversation_snapshots WHERE conversation_id = :cid", state=JSON())
_EVENTS_AFTER = _sql(
    "SELECT seq, data FROM events WHERE conversation_id = :cid AND seq > :after ORDER BY seq", data=JSON()
)
_ENSURE = _sql(
    "INSERT INTO conversations (id, channel, sender, created_at, updated_at, handoff, last_seq) "
    "VALUES (:cid, :channel, :sender, :now, :now, FALSE, -1) ON CONFLICT (id) DO NOTHING"
)
_BUMP = _sql(
    "UPDATE conversations SET last_seq = last_seq + :n, updated_at = :now "
    "WHERE id = :cid RETURNING last_seq"
)
_HANDOFF = _sql("UPDATE conversations SET handoff = :handoff WHERE id = :cid")
_ADD_EVENT = _sql(
    "INSERT INTO events (conversation_id, seq, type, data, created_at) "
    "VALUES (:cid, :seq, :type, :data, :now)"
)
_ADD_CLAIM = _sql(
    "INSERT INTO processed_messages (channel, message_id, conversation_id, received_at, user_seq, done) "
    "VALUES (:channel, :message_id, :cid, :now, :seq, FALSE)"
)
_UPDATE_SNAPSHOT = _sql(
    "UPDATE conversation_snapshots SET seq = :seq, state = :state, updated_at = :now "
    "WHERE conversation_id = :cid"
)
_ADD_SNAPSHOT = _sql(
    "INSERT INTO conversation_snapshots (conversation_id, seq, state, updated_at) "
    "VALUES (:cid, :seq, :state, :now)"
)
_CLAIM_DONE = _sql(
    "UPDATE processed_messages SET done = TRUE WHERE channel = :channel AND message_id = :message_id"
)
_ASYNC_COMMIT = _sql("SET LOCAL synchronous_commit TO OFF")


def _claim(row: Any) -> Claim:
    return Claim(row.channel, row.message_id, row.conversation_id, row.user_seq, bool(row.done))


class ConversationStore:
    """Every conversation's log, claims and latest snapshot, in the SQL database."""

    def __init__(self, db: Engine, locks: ConversationLocks | None = None) -> None:
        self._db = db
        self._locks = locks or ThreadLocks()

    # -- the turn ----------------------------------------------------------------------------

    def lock(self, conversation_id: str) -> AbstractContextManager[None]:
        """Hold the conversation for one turn, in every worker (bounded wait: `ConversationBusy`)."""
        return self._locks.hold(conversation_id)

    def begin(self, conversation_id: str, channel: str, message_id: str) -> TurnStart:
        """The message's claim, the conversation's unfinished claims, its snapshot and the events after it."""
        with self._db.connect() as connection:
            found = connection.execute(
                _CLAIMS_OF_TURN, {"channel": channel, "message_id": message_id, "cid": conversation_id}
            )
            rows = [_claim(row) for row in found]
            snapshot, since = self._load(connection, conversation_id)
        this = next((c for c in rows if (c.channel, c.message_id) == (channel, message_id)), None)
        pending = [c for c in rows if not c.done and c.conversation_id == conversation_id]
        return TurnStart(claim=this, unfinished=pending, snapshot=snapshot, since=since)

    def claim_of(self, channel: str, message_id: str) -> Claim | None:
        """The claim of a message id, if it was received before."""
        query = select(_CLAIMS).where(_CLAIMS.c.channel == channel, _CLAIMS.c.message_id == message_id)
        with self._db.connect() as connection:
            row = connection.execute(query).first()
        return _claim(row) if row is not None else None

    def unfinished(self, conversation_id: str) -> list[Claim]:
        """Claims of the conversation whose turn never finished (a crash), oldest first."""
        query = (
            select(_CLAIMS)
            .where(_CLAIMS.c.conversation_id == conversation_id, _CLAIMS.c.done.is_(False))
            .order_by(_CLAIMS.c.id)
        )
        with self._db.connect() as connection:
            return [_claim(row) for row in connection.execute(query)]

    def load(self, conversation_id: str) -> tuple[dict[str, Any] | None, list[tuple[int, Event]]]:
        """The latest snapshot and the events stored after it (usually none)."""
        with self._db.connect() as connection:
            return self._load(connection, conversation_id)

    @staticmethod
    def _load(
        connection: Connection, conversation_id: str
    ) -> tuple[dict[str, Any] | None, list[tuple[int, Event]]]:
        row = connection.execute(_SNAPSHOT, {"cid": conversation_id}).first()
        after = row.seq if row is not None else -1
        rows = connection.execute(_EVENTS_AFTER, {"cid": conversation_id, "after": after})
        since = [(int(seq), event_from_dict(data)) for seq, data in rows]
        return (dict(row.state) if row is not None else None), since

    def receive(self, key: MessageKey, events: Sequence[Event], *, new: bool = True) -> int:
        """Claim the message and store its events (the person's message last) in one transaction.

        Returns the sequence number of the last event (the person's message). Raises
        `DuplicateMessage` when the id was claimed meanwhile; then nothing was written.
        """
        try:
            with self._db.begin() as connection:
                if new:
                    self._ensure(connection, key.conversation_id, key.channel, key.sender)
                last = self._append(connection, key.conversation_id, events)
                claim = {"channel": key.channel, "message_id": key.message_id, "cid": key.conversation_id}
                connection.execute(_ADD_CLAIM, {**claim, "now": _now(), "seq": last})
        except IntegrityError:
            raise DuplicateMessage(key.message_id) from None
        return last

    def finish(self, key: MessageKey, events: Sequence[Event], snapshot: dict[str, Any]) -> None:
        """Store the turn's events and the new snapshot, and mark the claim done, in one transaction."""
        with self._db.begin() as connection:
            if connection.dialect.name == "postgresql":
                # No wait for the WAL flush here: if the database server crashes before it, the claim
                # is still open and the turn is resumed (side effects are idempotent). The claim itself,
                # which the channel's acknowledgement depends on, is always committed synchronously.
                connection.execute(_ASYNC_COMMIT)
            last = self._append(connection, key.conversation_id, events)
            values = {"cid": key.conversation_id, "seq": last, "state": snapshot, "now": _now()}
            if not connection.execute(_UPDATE_SNAPSHOT, values).rowcount:
                connection.execute(_ADD_SNAPSHOT, values)
            connection.execute(_CLAIM_DONE, {"channel": key.channel, "message_id": key.message_id})

    def record_delivery(
        self, channel: str, conversation_id: str, external_id: str, status: str, detail: str | None = None
    ) -> None:
        """Record what a channel said about a message we sent."""
        with self._db.begin() as connection:
            connection.execute(
                insert(_DELIVERIES).values(
                    channel=channel,
                    conversation_id=conversation_id,
                    external_id=external_id[:256],
                    status=status[:32],
                    detail=detail[:256] if detail else None,
                    at=_now(),
                )
            )

    # -- reading -------------------------------------------------------------------------------

    def deliveries(self, conversation_id: str) -> list[tuple[str, str, str | None]]:
        """(external id, status, detail) of the conversation's reported deliveries, oldest first."""
        query = (
            select(_DELIVERIES.c.external_id, _DELIVERIES.c.status, _DELIVERIES.c.detail)
            .where(_DELIVERIES.c.conversation_id == conversation_id)
            .order_by(_DELIVERIES.c.id)
        )
        with self._db.connect() as connection:
            return [(str(a), str(b), c) for a, b, c in connection.execute(query)]

    def exists(self, conversation_id: str) -> bool:
        """Whether the conversation has been created."""
        query = select(_CONVERSATIONS.c.id).where(_CONVERSATIONS.c.id == conversation_id)
        with self._db.connect() as connection:
            return connection.execute(query).first() is not None

    def open(self, conversation_id: str, channel: str, sender: str) -> None:
        """Create the conversation before its first message (nothing happens if it exists)."""
        with self._db.begin() as connection:
            self._ensure(connection, conversation_id, channel, sender)

    def events(self, conversation_id: str) -> list[Event]:
        """Every event of a conversation, oldest first."""
        return [event for _seq, event in self.records(conversation_id)]

    def records(self, conversation_id: str, after: int = -1) -> list[tuple[int, Event]]:
        """The events after sequence number `after`, oldest first, each with its number."""
        query = (
            select(_EVENTS.c.seq, _EVENTS.c.data)
            .where(_EVENTS.c.conversation_id == conversation_id, _EVENTS.c.seq > after)
            .order_by(_EVENTS.c.seq)
        )
        with self._db.connect() as connection:
            return [(int(seq), event_from_dict(data)) for seq, data in connection.execute(query)]

    def stored_events(self, conversation_id: str) -> list[dict[str, Any]]:
        """The events exactly as written (Rasa event dicts), oldest first: for export and inspection."""
        query = (
            select(_EVENTS.c.data).where(_EVENTS.c.conversation_id == conversation_id).order_by(_EVENTS.c.seq)
        )
        with self._db.connect() as connection:
            return [dict(data) for data in connection.scalars(query)]

    def conversations(self) -> list[Any]:
        """All conversations (id, channel, sender, times, handoff), newest activity first."""
        query = select(_CONVERSATIONS).order_by(_CONVERSATIONS.c.updated_at.desc())
        with self._db.connect() as connection:
            return list(connection.execute(query))

    # -- internals -----------------------------------------------------------------------------

    @staticmethod
    def _ensure(connection: Connection, conversation_id: str, channel: str, sender: str) -> None:
        connection.execute(
            _ENSURE, {"cid": conversation_id, "channel": channel, "sender": sender, "now": _now()}
        )

    @staticmethod
    def _append(connection: Connection, conversation_id: str, events: Sequence[Event]) -> int:
        """Add events after the last one; returns the last sequence number (unchanged if none)."""
        now = _now()
        last = int(
            connection.execute(_BUMP, {"n": len(events), "now": now, "cid": conversation_id}).scalar_one()
        )
        handoff = None
        for event in events:
            if isinstance(event, ConversationPaused):
                handoff = True
            elif isinstance(event, ConversationResumed):
                handoff = False
        if handoff is not None:
            connection.execute(_HANDOFF, {"handoff": handoff, "cid": conversation_id})
        if events:
            first = last - len(events) + 1
            rows = []
            for offset, event in enumerate(events):
                data = event.to_dict()
                rows.append(
                    {
                        "cid": conversation_id,
                        "seq": first + offset,
                        "type": str(data.get("event", "unknown")),
                        "data": data,
                        "now": now,
                    }
                )
            connection.execute(_ADD_EVENT, rows)
        return last
