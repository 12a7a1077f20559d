"""The conversation store: migrations, WAL, append-only log, processed-message keys."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from bot.engine.events import BotUttered, ConversationPaused, ConversationResumed, SlotSet, UserUttered
from bot.store import ConversationStore, create_db_engine, migrate, session_factory


def _store(tmp_path: Path) -> tuple[ConversationStore, object]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'a.db'}")
    migrate(engine)
    return ConversationStore(session_factory(engine)), engine


def test_migrations_create_every_table_and_sqlite_runs_in_wal(tmp_path: Path) -> None:
    _, engine = _store(tmp_path)
    tables = set(inspect(engine).get_table_names())  # type: ignore[union-attr]
    assert {"conversations", "events", "processed_messages", "held_files", "alembic_version"} <= tables
    assert {"registro_personas", "registro_umfs", "documentos_emitidos"} <= tables
    with engine.connect() as conn:  # type: ignore[attr-defined]
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    migrate(engine)  # type: ignore[arg-type]  # a second run is a no-op


def test_events_are_appended_in_order_and_read_back(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    store.ensure_conversation("c1", "terminal", "ana")
    store.append("c1", [UserUttered(text="hola"), BotUttered(text="¡Hola!")])
    store.append("c1", [SlotSet(name="curp", value="XIQB891116MGRMZR05")])
    events = store.events("c1")
    assert [type(e) for e in events] == [UserUttered, BotUttered, SlotSet]
    assert isinstance(events[2], SlotSet) and events[2].value == "XIQB891116MGRMZR05"
    assert [e["event"] for e in store.stored_events("c1")] == ["user", "bot", "slot"]
    assert [seq for seq, _ in store.records("c1", after=0)] == [1, 2]
    assert store.events("otra") == []


def test_a_message_id_is_claimed_once_per_channel(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    assert store.claim_message("telegram", "77", "c1")
    assert not store.claim_message("telegram", "77", "c1")
    assert store.claim_message("whatsapp", "77", "c2")


def test_handoff_flag_follows_pause_and_resume(tmp_path: Path) -> None:
    store, _ = _store(tmp_path)
    store.ensure_conversation("c1", "web", "ana")
    store.append("c1", [ConversationPaused()])
    assert store.conversations()[0].handoff
    store.append("c1", [ConversationResumed()])
    assert not store.conversations()[0].handoff
