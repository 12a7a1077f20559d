"""Persistence of conversations: the append-only event log and processed-message keys."""

from bot.store.database import create_db_engine, migrate, session_factory
from bot.store.models import Conversation, EventRecord, ProcessedMessage, StoreBase
from bot.store.repository import ConversationStore

__all__ = [
    "Conversation",
    "ConversationStore",
    "EventRecord",
    "ProcessedMessage",
    "StoreBase",
    "create_db_engine",
    "migrate",
    "session_factory",
]
