"""The engine's policy alone: scripted NLU, in-memory store and canned actions (no database, no rasa-sdk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Attachment, Engine, Media
from bot.engine.events import ActiveLoop, ConversationPaused, SlotSet
from bot.engine.redaction import REDACTED
from bot.engine.runner import ActionCall, ActionResult
from tests.bot.engine.fakes import CannedRunner, MemoryStore, Person, ScriptedNlu, result, small_domain

CURP = "XIQB891116MGRMZR05"


def _validate_cita(call: ActionCall) -> ActionResult:
    """Refuses a CURP shorter than 18 characters; accepts everything else."""
    slots = call.tracker["slots"]
    curp = slots.get("curp")
    if curp is not None and len(str(curp)) != 18:
        return result(SlotSet(name="curp", value=None), responses=["utter_error"])
    return result()


class World:
    """An engine on fakes, with handles on each fake."""

    def __init__(self, tmp_path: Path) -> None:
        self.nlu = ScriptedNlu(
            parses={
                "hola": ("saludo", 0.95),
                "quiero una cita": ("pedir_cita", 0.95),
                "quiero un agente": ("hablar_con_agente", 0.95),
                "¿qué puedes hacer?": ("ayuda", 0.9),
                "adios": ("despedida", 0.95),
                "ayuda 123": ("ayuda", 0.95),
                "ayuda quizá": ("ayuda", 0.5),
            },
            entities={CURP: [{"entity": "curp", "value": CURP, "start": 0, "end": 18}]},
        )
        self.store = MemoryStore()
        self.runner = CannedRunner(
            {
                "validate_cita_form": _validate_cita,
                "action_agendar": lambda call: result(responses=["utter_despedida"]),
                "action_handoff": lambda call: result(ConversationPaused(), responses=["utter_ayuda"]),
            }
        )
        self.engine = Engine(
            store=self.store, interpreter=self.nlu, domain=small_domain(tmp_path), runner=self.runner
        )
        self.person = Person(self.engine)

    def slots(self) -> dict[str, object]:
        """The conversation's slots now."""
        return self.engine.tracker(self.person.conversation_id).slots

    def form(self) -> str | None:
        """The active form now."""
        return self.engine.tracker(self.person.conversation_id).active_loop


@pytest.fixture
def world(tmp_path: Path) -> World:
    """A fresh engine on fakes."""
    return World(tmp_path)


# -------------------------------------------------------------------------------------- fallback


def test_low_confidence_offers_the_likeliest_intents_as_buttons(world: World) -> None:
    replies = world.person.send("blablabla")
    assert [r.text for r in replies] == ["¿Quisiste decir…?"]
    # The ranking's own intent, then the next above the minimum score; "negar" is never suggested.
    assert [b.payload for b in replies[0].buttons] == ["/saludo", "/pedir_cita"]
    assert [b.title for b in replies[0].buttons] == ["Saludar", "Pedir cita"]


def test_repeated_fallbacks_offer_an_agent(world: World) -> None:
    for _ in range(2):
        assert world.person.say("blablabla") == ["¿Quisiste decir…?"]
    assert world.person.say("blablabla") == ["¿Te comunico con un agente?"]
    # Understanding something resets the count.
    assert world.person.say("hola") == ["Hola"]
    assert world.person.say("blablabla") == ["¿Quisiste decir…?"]


def test_a_tapped_button_is_followed_even_with_low_confidence(world: World) -> None:
    assert world.person.say("/saludo") == ["Hola"]
    assert world.person.say("/start") == ["Hola"]  # a channel command alias


# ----------------------------------------------------------------------------------------- forms


def test_form_asks_each_slot_then_submits(world: World) -> None:
    assert world.person.say("quiero una cita") == ["¿Cuál es tu CURP?"]
    assert world.person.say(CURP) == ["¿Cuál es tu clave?"]
    assert world.person.say("s3cr3t") == [f"¿Qué día, {CURP}?"]
    assert world.person.say("el lunes") == ["Adiós"]
    assert world.form() is None
    # Once when the form starts, then once per answer.
    assert world.runner.names().count("validate_cita_form") == 4
    assert world.runner.names()[-1] == "action_agendar"


def test_a_refused_answer_is_explained_by_the_validator_and_reasked_by_the_engine(world: World) -> None:
    world.person.say("quiero una cita")
    # The validator only explains (here: utter_error); asking again is the engine's, with the reask text.
    assert world.person.say("XIQB89") == ["Algo falló", "¿Me la escribes de nuevo?"]
    assert world.slots()["requested_slot"] == "curp"
    assert world.person.say(CURP) == ["¿Cuál es tu clave?"]


def test_a_question_mark_in_a_validator_message_changes_nothing(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.runner.behaviours["validate_cita_form"] = lambda call: result(responses=["utter_ask_curp"])
    world.person.say("quiero una cita")
    # The validator's message holds a "?", yet the engine still asks the next empty slot itself.
    assert world.person.say(CURP) == ["¿Cuál es tu CURP?", "¿Cuál es tu clave?"]


def test_the_slot_a_validator_names_is_asked_next(tmp_path: Path) -> None:
    world = World(tmp_path)
    world.runner.behaviours["validate_cita_form"] = lambda call: result(
        SlotSet(name="requested_slot", value="dia")
    )
    world.person.say("quiero una cita")
    assert world.person.say(CURP) == [f"¿Qué día, {CURP}?"]


def test_a_validator_that_ends_the_form_is_obeyed(tmp_path: Path) -> None:
    world = World(tmp_path)

    def end_once_curp_is_given(call: ActionCall) -> ActionResult:
        if call.tracker["slots"].get("curp") is None:
            return result()
        return result(
            ActiveLoop(name=None), SlotSet(name="requested_slot", value=None), responses=["utter_despedida"]
        )

    world.runner.behaviours["validate_cita_form"] = end_once_curp_is_given
    world.person.say("quiero una cita")
    assert world.person.say(CURP) == ["Adiós"]
    assert world.form() is None and "action_agendar" not in world.runner.names()


# ---------------------------------------------------------------------------------- interruption


def test_a_confident_request_interrupts_and_the_question_comes_back(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say("¿qué puedes hacer?") == ["Te ayudo con citas", "¿Cuál es tu CURP?"]
    assert world.form() == "cita_form"


def test_data_or_low_confidence_is_an_answer_not_an_interruption(world: World) -> None:
    world.person.say("quiero una cita")
    world.person.say("ayuda 123")  # digits: an attempt at the value
    assert world.slots()["curp"] is None and world.form() == "cita_form"
    assert world.runner.names().count("validate_cita_form") == 2
    world.person.say("ayuda quizá")  # not confident enough to leave the question
    assert world.runner.names().count("validate_cita_form") == 3


def test_a_goodbye_leaves_the_form(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say("adios") == ["Adiós"]
    assert world.form() is None


# ---------------------------------------------------------------------------------------- cancel


def test_cancel_forgets_the_form_slots_but_keeps_identity(world: World) -> None:
    world.person.say("quiero una cita")
    world.person.say(CURP)
    world.person.say("s3cr3t")
    assert world.person.say("ya no quiero") == ["Cancelé el trámite"]
    slots = world.slots()
    assert world.form() is None and slots["curp"] == CURP and slots["clave"] is None
    assert world.person.say("cancelar") == ["No hay nada que cancelar"]


# --------------------------------------------------------------------------------------- handoff


def test_handoff_pauses_the_bot_until_the_person_comes_back(world: World) -> None:
    assert world.person.say("quiero un agente") == ["Te ayudo con citas"]
    assert world.person.say("hola") == []
    assert world.person.say("¿hay alguien?") == []
    assert world.person.say("volver al asistente") == ["De nuevo conmigo"]
    assert world.person.say("hola") == ["Hola"]
    texts = [e.text for e in world.engine.transcript("c1") if e.author == "persona"]
    assert "¿hay alguien?" in texts  # kept for the agent


# ---------------------------------------------------------------------------------- secrets, size


def test_text_at_a_sensitive_step_is_never_parsed_nor_stored(world: World) -> None:
    world.person.say("quiero una cita")
    world.person.say(CURP)
    replies = world.person.send("s3cr3t", deletable=True)
    assert "s3cr3t" not in world.nlu.seen
    stored = str(world.store.stored("c1"))
    assert "s3cr3t" not in stored and REDACTED in stored
    deletion = replies[0].deletion
    assert deletion is not None and deletion.message_id == "m3"
    assert (deletion.deleted_text, deletion.not_deleted_text) == ("Borré tu mensaje", "Bórralo tú")


def test_a_tapped_button_at_a_sensitive_step_is_no_secret(world: World) -> None:
    world.person.say("quiero una cita")
    world.person.say(CURP)
    replies = world.person.send("/ayuda", deletable=True)
    assert [r.text for r in replies] == ["Te ayudo con citas", "¿Cuál es tu clave?"]
    assert replies[0].deletion is None and "/ayuda" in world.nlu.seen


def test_an_over_long_message_is_refused_and_the_question_repeated(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say("x" * 51) == ["Muy largo", "¿Cuál es tu CURP?"]
    assert "x" * 51 not in world.nlu.seen


def test_media_gets_an_honest_answer_and_is_recorded_by_type_and_size(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say(media=Media(kind="foto", mime="image/jpeg", size=2048)) == [
        "No puedo oír audios",
        "Manda el archivo",
        "¿Cuál es tu CURP?",
    ]
    user = [e for e in world.store.stored("c1") if e["event"] == "user"][-1]
    assert user["metadata"]["media"] == {"kind": "foto", "mime": "image/jpeg", "size": 2048}


def test_an_unexpected_file_is_refused_outside_a_form(world: World) -> None:
    attachment = Attachment("x.pdf", "application/pdf", b"%PDF")
    assert world.person.say(attachment=attachment) == ["No necesito archivos"]
    assert world.nlu.seen == []


def test_a_redelivered_message_is_answered_once(world: World) -> None:
    from bot.engine import Incoming

    incoming = Incoming("c1", "terminal", "ana", "same", text="hola")
    assert [r.text for r in world.engine.handle_blocking(incoming)] == ["Hola"]
    assert world.engine.handle_blocking(incoming) == []


# ------------------------------------------------------------------------------------ buttons typed


def test_a_typed_number_chooses_among_the_offered_options(world: World) -> None:
    replies = world.person.send("blablabla")
    assert [b.payload for b in replies[0].buttons] == ["/saludo", "/pedir_cita"]
    assert world.person.say("2") == ["¿Cuál es tu CURP?"]
    # With nothing offered, a number is just a number (here: the answer the form gets).
    assert world.runner.names() == ["validate_cita_form"]
    world.person.say("3")
    assert world.runner.names() == ["validate_cita_form", "validate_cita_form"]


def test_a_typed_payload_never_offered_sets_no_slot(world: World) -> None:
    forged = '/pedir_cita{"curp": "XIQB891116MGRMZR05"}'
    assert world.person.say(forged) == ["¿Cuál es tu CURP?"]
    assert world.slots()["curp"] is None
    stored = [e for e in world.store.stored("c1") if e["event"] == "user"][-1]
    assert stored["parse_data"]["entities"] == [] and stored["metadata"]["payload_refused"] is True


def test_a_payload_the_bot_offered_keeps_its_values(tmp_path: Path) -> None:
    from bot.engine import Button
    from bot.engine.events import BotUttered

    world = World(tmp_path)
    offered = '/pedir_cita{"curp": "XIQB891116MGRMZR05"}'
    world.person.say("hola")
    world.store.log["c1"].append(BotUttered(text="¿Es tu CURP?", buttons=(Button("Sí", offered),)))
    # The snapshot was taken before that message: rebuild it as the engine would after a turn.
    state = world.engine.tracker("c1")
    world.store.snapshots["c1"] = (len(world.store.log["c1"]) - 1, state.snapshot())
    assert world.person.say(offered) == ["¿Cuál es tu clave?"]
    assert world.slots()["curp"] == CURP
