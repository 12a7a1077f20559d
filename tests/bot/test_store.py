"""The conversation store on a real database: migrations, claims, snapshots, locks across processes."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text

from bot.engine.events import BotUttered, ConversationPaused, ConversationResumed, SlotSet, UserUttered
from bot.engine.ports import DuplicateMessage, MessageKey
from bot.store import ConversationStore, create_db_engine, migrate
from bot.store.locks import AdvisoryLocks, ConversationBusy, FileLocks, locks_for
from tests.databases import fresh_database_url


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Engine]:
    """A migrated database: PostgreSQL when the run asks for it, else a SQLite file."""
    engine = create_db_engine(fresh_database_url() or f"sqlite:///{tmp_path / 'a.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(db: Engine) -> ConversationStore:
    """The store with the locks that fit the database."""
    return ConversationStore(db, locks_for(db, timeout=5))


def test_migrations_create_every_table_and_run_twice(db: Engine) -> None:
    tables = set(inspect(db).get_table_names())
    assert {"conversations", "events", "processed_messages", "conversation_snapshots", "erasures"} <= tables
    assert {"registro_personas", "registro_umfs", "documentos_emitidos", "alembic_version"} <= tables
    migrate(db)  # a second run is a no-op


def test_the_embedded_sqlite_runs_in_wal(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'wal.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()


def test_a_message_is_claimed_with_its_events_then_finished_with_the_snapshot(
    store: ConversationStore,
) -> None:
    seq = store.receive(MessageKey("c1", "web", "m1", "ana"), [UserUttered(text="hola")])
    assert seq == 0
    claim = store.claim_of("web", "m1")
    assert claim is not None and not claim.done and claim.user_seq == 0
    assert [c.message_id for c in store.unfinished("c1")] == ["m1"]
    store.finish(
        MessageKey("c1", "web", "m1"), [BotUttered(text="¡Hola!")], snapshot={"slots": {"curp": None}}
    )
    assert store.claim_of("web", "m1").done  # type: ignore[union-attr]
    assert store.unfinished("c1") == []
    snapshot, since = store.load("c1")
    assert snapshot == {"slots": {"curp": None}} and since == []
    store.receive(MessageKey("c1", "web", "m2", "ana"), [UserUttered(text="quiero mi nss")])
    _, since = store.load("c1")
    assert [(seq, type(e)) for seq, e in since] == [(2, UserUttered)]


def test_a_message_id_is_claimed_once_per_channel(store: ConversationStore) -> None:
    store.receive(MessageKey("c1", "telegram", "77", "ana"), [UserUttered(text="hola")])
    with pytest.raises(DuplicateMessage):
        store.receive(MessageKey("c1", "telegram", "77", "ana"), [UserUttered(text="hola")])
    store.receive(MessageKey("c2", "whatsapp", "77", "ana"), [UserUttered(text="hola")])
    # The refused claim wrote nothing.
    assert len(store.events("c1")) == 1


def test_events_are_read_back_typed_and_as_written(store: ConversationStore) -> None:
    store.receive(MessageKey("c1", "terminal", "m1", "ana"), [UserUttered(text="hola")])
    store.finish(
        MessageKey("c1", "terminal", "m1"), [BotUttered(text="¡Hola!"), SlotSet(name="curp", value="X")], {}
    )
    events = store.events("c1")
    assert [type(e) for e in events] == [UserUttered, BotUttered, SlotSet]
    assert [e["event"] for e in store.stored_events("c1")] == ["user", "bot", "slot"]
    assert [seq for seq, _ in store.records("c1", after=0)] == [1, 2]
    assert store.events("otra") == [] and not store.exists("otra") and store.exists("c1")


def test_handoff_flag_follows_pause_and_resume(store: ConversationStore) -> None:
    store.receive(MessageKey("c1", "web", "m1", "ana"), [UserUttered(text="agente")])
    store.finish(MessageKey("c1", "web", "m1"), [ConversationPaused()], {})
    assert store.conversations()[0].handoff
    store.receive(MessageKey("c1", "web", "m2", "ana"), [UserUttered(text="volver al asistente")])
    store.finish(MessageKey("c1", "web", "m2"), [ConversationResumed()], {})
    assert not store.conversations()[0].handoff


# ------------------------------------------------------------------------------------------ locks


def test_the_lock_serialises_turns_of_one_conversation_and_not_of_others(store: ConversationStore) -> None:
    inside: list[str] = []
    overlap: list[bool] = []

    def turn(cid: str) -> None:
        with store.lock(cid):
            overlap.append(cid in inside)
            inside.append(cid)
            time.sleep(0.05)
            inside.remove(cid)

    threads = [threading.Thread(target=turn, args=("c1",)) for _ in range(4)]
    threads.append(threading.Thread(target=turn, args=("c2",)))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert overlap == [False] * 5


def test_a_waiting_turn_gives_up_after_the_bound(db: Engine) -> None:
    locks = locks_for(db, timeout=0.2)
    with locks.hold("c1"):
        other = locks_for(db, timeout=0.2)
        errors: list[BaseException] = []

        def wait() -> None:
            try:
                with other.hold("c1"):
                    pass
            except ConversationBusy as error:
                errors.append(error)

        waiter = threading.Thread(target=wait)
        waiter.start()
        waiter.join(timeout=5)
        assert len(errors) == 1


def _hold_in_child(url: str, folder: str, ready: multiprocessing.synchronize.Event) -> None:
    """A second process takes the conversation's lock and dies holding it."""
    engine = create_db_engine(url)
    locks = AdvisoryLocks(engine) if url.startswith("postgresql") else FileLocks(Path(folder))
    with locks.hold("c1"):
        ready.set()
        time.sleep(60)


def test_the_lock_holds_across_processes_and_dies_with_its_holder(db: Engine, tmp_path: Path) -> None:
    url = db.url.render_as_string(hide_password=False)
    folder = str(Path(f"{db.url.database}.locks")) if db.url.get_backend_name() == "sqlite" else ""
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    child = context.Process(target=_hold_in_child, args=(url, folder, ready))
    child.start()
    try:
        assert ready.wait(60)
        with pytest.raises(ConversationBusy), locks_for(db, timeout=0.3).hold("c1"):
            pass
        child.kill()  # as with SIGKILL: the kernel or PostgreSQL drops the lock with the process
        child.join(10)
        with locks_for(db, timeout=10).hold("c1"):
            pass
    finally:
        if child.is_alive():
            child.kill()


def test_delivery_reports_are_recorded_in_order(store: ConversationStore) -> None:
    store.record_delivery("whatsapp", "c1", "wamid.A", "sent")
    store.record_delivery("whatsapp", "c1", "wamid.A", "failed", "131047: fuera de la ventana de 24 horas")
    store.record_delivery("whatsapp", "c2", "wamid.B", "read")
    assert store.deliveries("c1") == [
        ("wamid.A", "sent", None),
        ("wamid.A", "failed", "131047: fuera de la ventana de 24 horas"),
    ]
