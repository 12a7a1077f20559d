"""Erasing a person from the conversation store: every conversation that mentions them, whole.

A conversation is found by the person's identifiers (CURP, NSS, email, phone, RFC) anywhere in its
events; then all of it goes: events, snapshot, message claims, delivery reports and the conversation
itself, because the rest of it (names, answers, documents' file names) is about the same person. What
the law asks us to keep (signed acuses, folios) lives elsewhere and is listed in docs/privacidad.md.
The erasure itself is recorded with counts and a keyed hash of the CURP, never the CURP in clear.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, cast, delete, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from bot.engine.events import BotUttered, event_from_dict
from bot.store.models import (
    Conversation,
    ConversationSnapshot,
    Delivery,
    Erasure,
    EventRecord,
    ProcessedMessage,
)

__all__ = [
    "ErasureReport",
    "conversations_mentioning",
    "erase_conversations",
    "record_erasure",
    "subject_hash",
]

ErasureReport = dict[str, Any]


def subject_hash(curp: str, secret: bytes) -> str:
    """A keyed hash of the CURP: it tells two erasure requests apart without keeping the CURP."""
    return hmac.new(secret, curp.strip().upper().encode("utf-8"), hashlib.sha256).hexdigest()


def conversations_mentioning(sessions: sessionmaker[Session], identifiers: Iterable[str]) -> list[str]:
    """Ids of the conversations whose events contain any of the identifiers (case-insensitive)."""
    needles = [i.strip().lower() for i in identifiers if i and len(i.strip()) >= 5]
    if not needles:
        return []
    text = func.lower(cast(EventRecord.data, String))
    with sessions() as session:
        rows = session.scalars(
            select(EventRecord.conversation_id).where(or_(*(text.contains(n) for n in needles))).distinct()
        )
        return sorted(set(rows))


def documents_of(sessions: sessionmaker[Session], conversation_ids: Iterable[str]) -> list[str]:
    """Paths of the documents the bot sent in these conversations."""
    paths = []
    with sessions() as session:
        rows = session.scalars(
            select(EventRecord.data).where(
                EventRecord.conversation_id.in_(list(conversation_ids)), EventRecord.type == "bot"
            )
        )
        for data in rows:
            event = event_from_dict(data)
            if isinstance(event, BotUttered) and event.document is not None:
                paths.append(event.document.path)
    return paths


def erase_conversations(sessions: sessionmaker[Session], conversation_ids: Iterable[str]) -> ErasureReport:
    """Delete the conversations and everything stored about them; returns how many rows went."""
    ids = list(conversation_ids)
    counts: ErasureReport = {}
    if not ids:
        return {"conversaciones": 0, "eventos": 0}
    with sessions() as session:
        for name, model, column in (
            ("eventos", EventRecord, EventRecord.conversation_id),
            ("instantaneas", ConversationSnapshot, ConversationSnapshot.conversation_id),
            ("mensajes_reclamados", ProcessedMessage, ProcessedMessage.conversation_id),
            ("entregas", Delivery, Delivery.conversation_id),
            ("conversaciones", Conversation, Conversation.id),
        ):
            result = session.execute(delete(model).where(column.in_(ids)))
            counts[name] = int(getattr(result, "rowcount", 0) or 0)
        session.commit()
    return counts


def record_erasure(sessions: sessionmaker[Session], actor: str, subject: str, counts: ErasureReport) -> None:
    """Keep who erased, when, and how many rows (the person only as `subject_hash`)."""
    with sessions() as session:
        session.add(Erasure(at=datetime.now(UTC), actor=actor[:128], subject=subject, counts=counts))
        session.commit()
