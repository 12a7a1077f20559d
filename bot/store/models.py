"""SQLAlchemy models of the conversation store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "Conversation",
    "ConversationSnapshot",
    "Delivery",
    "Erasure",
    "EventRecord",
    "ProcessedMessage",
    "StoreBase",
]


class StoreBase(DeclarativeBase):
    """Base for the conversation tables."""


class Conversation(StoreBase):
    """One conversation: a person on one channel."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    sender: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    handoff: Mapped[bool] = mapped_column(default=False)
    #: The sequence number of the conversation's last event (-1: none yet), kept so appending needs no
    #: scan of the log.
    last_seq: Mapped[int] = mapped_column(Integer, default=-1)


class EventRecord(StoreBase):
    """One entry of the append-only event log, stored as a Rasa event dict."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("conversation_id", "seq", name="uq_events_conversation_seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    #: user, bot, slot, action, active_loop, handoff, ... (mirrors the Rasa `event` key)
    type: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ProcessedMessage(StoreBase):
    """A (channel, message id) claimed together with its user event; `done` once its turn committed.

    A claim that is not done belongs to a turn that crashed: it is run again on redelivery or before the
    conversation's next message.
    """

    __tablename__ = "processed_messages"
    __table_args__ = (UniqueConstraint("channel", "message_id", name="uq_processed_channel_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(128))
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    #: Sequence number of the message's user event in the conversation's log.
    user_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    done: Mapped[bool] = mapped_column(default=False)


class ConversationSnapshot(StoreBase):
    """The tracker state after the last finished turn, so a turn never replays the whole log."""

    __tablename__ = "conversation_snapshots"

    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), primary_key=True)
    #: The last event sequence number the snapshot includes.
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Erasure(StoreBase):
    """One `conversaciones borrar`: who, when, how many rows; the person only as a keyed hash."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(128))
    #: HMAC-SHA256 of the CURP with the server key: proves which request it was without keeping the CURP.
    subject: Mapped[str] = mapped_column(String(64))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)


class Delivery(StoreBase):
    """What a channel reported about a message we sent (sent, delivered, read, failed): recorded only."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    #: The channel's id of our message (e.g. a WhatsApp wamid).
    external_id: Mapped[str] = mapped_column(String(256))
    status: Mapped[str] = mapped_column(String(32))
    #: A short reason for a failure (an error code and title), never message contents.
    detail: Mapped[str | None] = mapped_column(String(256), nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
