"""Exporting conversations as JSON lines: one event a line, in order, with its conversation and number."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import EventRecord

__all__ = ["export_events"]


def export_events(
    sessions: sessionmaker[Session], conversation_id: str | None = None
) -> Iterator[dict[str, Any]]:
    """Every stored event (of one conversation, or of all), oldest first per conversation.

    Each line is the stored Rasa event plus `conversation_id` and `seq`; a person's message carries its
    `message_id`, so an export shows that each acknowledged message is there exactly once.
    """
    query = select(EventRecord.conversation_id, EventRecord.seq, EventRecord.data).order_by(
        EventRecord.conversation_id, EventRecord.seq
    )
    if conversation_id is not None:
        query = query.where(EventRecord.conversation_id == conversation_id)
    with sessions() as session:
        for cid, seq, data in session.execute(query.execution_options(yield_per=500)):
            yield {"conversation_id": cid, "seq": int(seq), **data}
