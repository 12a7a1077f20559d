"""Turns over time: sessions, snapshots, crashed turns and redeliveries, on the engine alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.engine import Engine, Incoming
from bot.engine.events import Event
from bot.engine.ports import MessageKey
from tests.bot.engine.fakes import CannedRunner, MemoryStore, ScriptedNlu, result, small_domain

CURP = "XIQB891116MGRMZR05"
T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


class CrashingStore(MemoryStore):
    """Dies (raises) when the turn of chosen message ids tries to finish, as a killed process would."""

    def __init__(self) -> None:
        super().__init__()
        self.crash_on: set[str] = set()

    def finish(self, key: MessageKey, events: Any, snapshot: dict[str, Any]) -> None:
        if key.message_id in self.crash_on:
            self.crash_on.discard(key.message_id)
            raise SystemExit("killed")
        super().finish(key, events, snapshot)


@pytest.fixture
def store() -> CrashingStore:
    """A store that can be told to crash."""
    return CrashingStore()


@pytest.fixture
def runner() -> CannedRunner:
    """Actions that record each call; the submit action says goodbye."""
    return CannedRunner(
        {
            "validate_cita_form": lambda call: result(),
            "action_agendar": lambda call: result(responses=["utter_despedida"]),
        }
    )


@pytest.fixture
def engine(tmp_path: Path, store: CrashingStore, runner: CannedRunner) -> Engine:
    """An engine on fakes."""
    nlu = ScriptedNlu(
        parses={"quiero una cita": ("pedir_cita", 0.95), "hola": ("saludo", 0.95)},
        entities={CURP: [{"entity": "curp", "value": CURP, "start": 0, "end": 18}]},
    )
    return Engine(store=store, interpreter=nlu, domain=small_domain(tmp_path), runner=runner)


def send(engine: Engine, message_id: str, text: str, at: datetime = T0, **extra: Any) -> list[str]:
    """Send and return the reply texts."""
    incoming = Incoming("c1", "web", "ana", message_id, text=text, time=at)
    return [r.text for r in engine.handle_blocking(incoming, **extra)]


# -------------------------------------------------------------------------------------- sessions


def test_after_the_idle_time_a_new_session_forgets_the_previous_person(engine: Engine) -> None:
    send(engine, "1", "quiero una cita", T0)
    send(engine, "2", CURP, T0 + timedelta(minutes=1))
    assert engine.tracker("c1").slots["curp"] == CURP
    # Within the hour the session goes on: the form takes the answer and asks the next question.
    assert send(engine, "3", "s3cr3t", T0 + timedelta(minutes=50)) == [f"¿Qué día, {CURP}?"]
    later = T0 + timedelta(minutes=50 + 61)
    assert send(engine, "4", "quiero una cita", later) == ["¿Cuál es tu CURP?"]
    state = engine.tracker("c1")
    assert state.slots["curp"] is None and state.session_started_at == later.timestamp()


def test_slots_the_domain_names_survive_a_new_session(tmp_path: Path, store: CrashingStore) -> None:
    from tests.bot.engine.fakes import DOMAIN

    domain = DOMAIN.replace("  keep_slots: [curp]", "  keep_slots: [curp]\n  session_carry_over_slots: [dia]")
    runner = CannedRunner({"validate_cita_form": lambda call: result()})
    nlu = ScriptedNlu(parses={"quiero una cita": ("pedir_cita", 0.95)})
    engine = Engine(store=store, interpreter=nlu, domain=small_domain(tmp_path, domain=domain), runner=runner)
    send(engine, "1", "quiero una cita", T0)
    send(engine, "2", "ABC", T0)
    send(engine, "3", "clave", T0)
    send(engine, "4", "martes", T0)
    send(engine, "5", "hola", T0 + timedelta(hours=3))
    slots = engine.tracker("c1").slots
    assert slots["dia"] == "martes" and slots["curp"] is None


# ------------------------------------------------------------------------------------- snapshots


def test_a_turn_starts_from_the_snapshot_and_actions_get_a_bounded_session(
    engine: Engine, store: CrashingStore, runner: CannedRunner
) -> None:
    sizes = []
    for n in range(30):
        send(engine, f"q{n}", "quiero una cita")
        send(engine, f"c{n}", "cancelar")
        _snapshot, since = store.load("c1")
        assert since == []  # nothing to replay: the snapshot is the state
        sizes.append(len(runner.calls[-1].tracker["events"]))
    # The events shipped to an action do not grow with the conversation.
    assert max(sizes) == min(sizes)
    assert len(store.log["c1"]) > 200


# ------------------------------------------------------------------------------ crashes and redelivery


def _users(store: MemoryStore) -> list[Event]:
    return [e for e in store.log["c1"] if e.KIND == "user"]


def test_a_turn_killed_after_the_message_was_stored_is_answered_on_redelivery(
    engine: Engine, store: CrashingStore
) -> None:
    store.crash_on.add("1")
    with pytest.raises(SystemExit):
        send(engine, "1", "hola")
    assert len(_users(store)) == 1 and store.unfinished("c1")
    assert send(engine, "1", "hola") == ["Hola"]
    assert len(_users(store)) == 1 and not store.unfinished("c1")
    # Answered once: a later copy gets nothing.
    assert send(engine, "1", "hola") == []


def test_a_crashed_turn_is_answered_before_the_next_message(engine: Engine, store: CrashingStore) -> None:
    store.crash_on.add("1")
    with pytest.raises(SystemExit):
        send(engine, "1", "quiero una cita")
    assert send(engine, "2", CURP) == ["¿Cuál es tu CURP?", "¿Cuál es tu clave?"]
    assert [e.message_id for e in _users(store)] == ["1", "2"]  # type: ignore[attr-defined]


def test_a_request_response_channel_gets_the_same_replies_again(engine: Engine) -> None:
    first = send(engine, "1", "quiero una cita")
    assert send(engine, "1", "quiero una cita", resend=True) == first
    assert send(engine, "1", "quiero una cita") == []


def test_on_received_is_called_once_the_message_is_stored(engine: Engine, store: CrashingStore) -> None:
    seen: list[int] = []
    send(engine, "1", "hola", on_received=lambda: seen.append(len(store.log["c1"])))
    assert seen == [2]  # the session start and the person's message, before any reply
