"""SQLAlchemy models of the conversation store."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = ["Conversation", "EventRecord", "ProcessedMessage", "StoreBase"]


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
    """A (channel, message id) already taken: a redelivery is answered only once."""

    __tablename__ = "processed_messages"
    __table_args__ = (UniqueConstraint("channel", "message_id", name="uq_processed_channel_message"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    channel: Mapped[str] = mapped_column(String(32))
    message_id: Mapped[str] = mapped_column(String(128))
    conversation_id: Mapped[str] = mapped_column(String(128))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

