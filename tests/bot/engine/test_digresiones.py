"""Digressions, detours, offers and whose trámite, on the engine alone (scripted NLU with dialogue acts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.engine import Engine
from bot.engine.events import ConversationPaused, SlotSet
from bot.engine.runner import ActionCall, ActionResult
from bot.engine.tracker import TrackerState
from tests.bot.engine.fakes import (
    DOMAIN,
    RULES,
    CannedRunner,
    MemoryStore,
    Person,
    ScriptedNlu,
    result,
    small_domain,
)

CURP = "XIQB891116MGRMZR05"

# The small domain plus: a trámite that gives the CURP (the detour), the conversation keys and the
# responses they use.
DOMINIO = (
    DOMAIN.replace(
        "intents: [saludo, pedir_cita,", "intents: [saludo, pedir_cita, pedir_curp, dudas, fuera_de_alcance,"
    )
    .replace(
        "forms:\n  cita_form:\n    required_slots: [curp, clave, dia]",
        "forms:\n  cita_form:\n    required_slots: [curp, clave, dia]\n"
        "  curp_form:\n    required_slots: [curp]",
    )
    .replace(
        "actions: [validate_cita_form, action_agendar, action_handoff]",
        "actions: [validate_cita_form, action_agendar, action_handoff, action_orientar, action_dar_curp,"
        " action_canalizar]",
    )
    .replace(
        '  utter_saludo: [{text: "Hola"}]',
        """  utter_saludo: [{text: "Hola"}]
  utter_ayuda_paso_curp: [{text: "Tu CURP viene en tu acta"}]
  utter_ayuda_paso: [{text: "Si no lo tienes, escribe cancelar"}]
  utter_sigue_curp: [{text: "¿Me escribes tu CURP cuando la tengas?"}]
  utter_paso_con_agente:
    - {text: "Un agente te ayuda", buttons: [{title: Agente, payload: /hablar_con_agente}]}
  utter_retomar_cita_form: [{text: "Ahora sí, tu cita"}]
  utter_negar: [{text: "Está bien"}]""",
    )
    .replace(
        "  interrupting_intents: [hablar_con_agente, ayuda, despedida, pedir_cita]",
        """  interrupting_intents: [hablar_con_agente, ayuda, despedida, pedir_cita, pedir_curp, dudas]
  act_threshold: 0.6
  guidance_action: action_orientar
  out_of_scope_action: action_canalizar
  out_of_scope_margin: 0.05
  attempts_before_help: 2
  slot_providers: {curp: pedir_curp}""",
    )
    .replace(
        'negar: "No", despedida: Adiós, ayuda: Ayuda}',
        'negar: "No", despedida: Adiós, ayuda: Ayuda,\n'
        "                  pedir_curp: Mi CURP, dudas: Dudas, fuera_de_alcance: Otra cosa}",
    )
)
REGLAS = (
    RULES
    + """
  - rule: curp
    steps: [{intent: pedir_curp}, {action: curp_form}, {active_loop: curp_form}]
  - rule: dar curp
    condition: [{active_loop: curp_form}]
    steps:
      - action: curp_form
      - active_loop: null
      - slot_was_set: [{requested_slot: null}]
      - action: action_dar_curp
  - rule: dudas
    steps: [{intent: dudas}, {action: action_orientar}]
  - rule: negar
    steps: [{intent: negar}, {action: utter_negar}]
"""
)


def _validate_cita(call: ActionCall) -> ActionResult:
    """Refuses a CURP shorter than 18 characters."""
    curp = call.tracker["slots"].get("curp")
    if curp is not None and len(str(curp)) != 18:
        return result(SlotSet(name="curp", value=None), responses=["utter_error"])
    return result()


def _orientar(call: ActionCall) -> ActionResult:
    """Knows one answer ("¿cuál es el teléfono?"), and offers the cita outside a form."""
    text = call.tracker["latest_message"]["text"]
    in_form = bool(call.tracker["active_loop"])
    if text == "¿cuál es el teléfono?":
        return result(responses=["utter_ayuda"])
    if text == "¿cómo saco cita?" and not in_form:
        return result(SlotSet(name="oferta", value="pedir_cita"), responses=["utter_ayuda"])
    return result()


class World:
    """An engine on fakes whose NLU gives dialogue acts."""

    def __init__(self, tmp_path: Path) -> None:
        self.nlu = ScriptedNlu(
            parses={
                "quiero una cita": ("pedir_cita", 0.95),
                "¿para qué la quieren?": ("ayuda", 0.3),
                "no la tengo": ("negar", 0.8),
                "ya no quiero seguir": ("negar", 0.9),
                "pásame con alguien": ("hablar_con_agente", 0.95),
                "¿cuál es el teléfono?": ("dudas", 0.9),
                "¿cómo saco cita?": ("pedir_cita", 0.95),
                "dame mi curp": ("pedir_curp", 0.95),
                "sí": ("afirmar", 0.99),
                "no": ("negar", 0.99),
                "¿es 123?": ("saludo", 0.3),
                "mi afore quizá": ("fuera_de_alcance", 0.39),
                "me sale error 500 en la página del seguro": ("dudas", 0.9),
                "lo del papel": ("fuera_de_alcance", 0.32),
            },
            entities={CURP: [{"entity": "curp", "value": CURP, "start": 0, "end": 18}]},
            acts={
                "¿para qué la quieren?": ("pregunta", 0.99),
                "no la tengo": ("no_se", 0.95),
                "ya no quiero seguir": ("salir", 0.97),
                "pásame con alguien": ("solicitud", 0.99),
                "¿cuál es el teléfono?": ("pregunta", 0.99),
                "¿cómo saco cita?": ("pregunta", 0.99),
                "dame mi curp": ("solicitud", 0.99),
                "¿es 123?": ("pregunta", 0.99),
                "quiero una cita": ("solicitud", 0.99),
                "me sale error 500 en la página del seguro": ("dato", 0.9),
            },
        )
        self.runner = CannedRunner(
            {
                "validate_cita_form": _validate_cita,
                "action_agendar": lambda call: result(responses=["utter_despedida"]),
                "action_handoff": lambda call: result(ConversationPaused(), responses=["utter_ayuda"]),
                "action_orientar": _orientar,
                "action_dar_curp": lambda call: result(responses=["utter_saludo"]),
                "action_canalizar": lambda call: result(responses=["utter_despedida"]),
            }
        )
        domain = small_domain(tmp_path, domain=DOMINIO, rules=REGLAS)
        self.engine = Engine(store=_store(), interpreter=self.nlu, domain=domain, runner=self.runner)
        self.person = Person(self.engine)

    def state(self) -> TrackerState:
        """The conversation's state now."""
        return self.engine.tracker(self.person.conversation_id)


def _store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def world(tmp_path: Path) -> World:
    """A fresh engine on fakes."""
    return World(tmp_path)


def test_a_question_about_the_step_gets_its_help_not_a_validation(world: World) -> None:
    world.person.say("quiero una cita")
    said = world.person.say("¿para qué la quieren?")
    assert said == ["Tu CURP viene en tu acta", "¿Me escribes tu CURP cuando la tengas?"]
    assert world.runner.names().count("validate_cita_form") == 1  # only when the form started
    assert world.state().requested_slot == "curp"


def test_not_having_the_value_gets_the_same_help(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say("no la tengo") == [
        "Tu CURP viene en tu acta",
        "¿Me escribes tu CURP cuando la tengas?",
    ]


def test_a_wish_to_stop_leaves_the_form(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say("ya no quiero seguir") == ["Cancelé el trámite"]
    assert world.state().active_loop is None


def test_an_agent_request_hands_over(world: World) -> None:
    world.person.say("quiero una cita")
    world.person.say("pásame con alguien")
    assert world.state().paused


def test_a_question_the_guidance_knows_is_answered_then_the_question_comes_back(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say("¿cuál es el teléfono?") == [
        "Te ayudo con citas",
        "¿Me escribes tu CURP cuando la tengas?",
    ]
    assert world.state().active_loop == "cita_form"


def test_a_question_with_a_number_in_it_is_an_attempt(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say("¿es 123?") == ["Algo falló", "¿Me la escribes de nuevo?"]


def test_without_a_confident_act_the_plain_rule_holds(world: World) -> None:
    world.nlu.acts["no la tengo"] = ("no_se", 0.4)
    world.person.say("quiero una cita")
    # negar is no value for a CURP: the step's help, still no validation.
    assert world.person.say("no la tengo")[0] == "Tu CURP viene en tu acta"
    world.nlu.parses["no la tengo"] = ("negar", 0.3)
    assert world.person.say("no la tengo") == ["Algo falló", "¿Me la escribes de nuevo?"]


def test_two_failed_attempts_offer_help_and_an_agent(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say("XIQB89") == ["Algo falló", "¿Me la escribes de nuevo?"]
    replies = world.person.send("XIQB8911")
    assert [r.text for r in replies] == [
        "Algo falló",
        "Tu CURP viene en tu acta",
        "Un agente te ayuda",
        "¿Me la escribes de nuevo?",
    ]
    assert [b.payload for b in replies[2].buttons] == ["/hablar_con_agente"]
    assert world.person.say(CURP) == ["¿Cuál es tu clave?"]
    assert world.state().slots["intentos_fallidos"] is None


def test_a_detour_for_the_missing_value_resumes_the_first_request(world: World) -> None:
    world.person.say("quiero una cita")
    assert world.person.say("dame mi curp") == ["¿Cuál es tu CURP?"]
    assert world.state().active_loop == "curp_form" and world.state().slots["pendiente"] == "cita_form"
    # The detour's trámite ends, then the one asked for first picks up where it was.
    assert world.person.say(CURP) == ["Hola", "Ahora sí, tu cita", "¿Cuál es tu clave?"]
    state = world.state()
    assert state.active_loop == "cita_form" and state.slots["pendiente"] is None
    assert state.slots["ultimo_tramite"] == "curp_form"


def test_leaving_a_detour_resumes_nothing(world: World) -> None:
    world.person.say("quiero una cita")
    world.person.say("dame mi curp")
    assert world.person.say("ya no quiero seguir") == ["Cancelé el trámite"]
    assert world.state().slots["pendiente"] is None and world.state().active_loop is None


def test_a_question_about_a_tramite_is_answered_and_a_yes_takes_the_offer(world: World) -> None:
    assert world.person.say("¿cómo saco cita?") == ["Te ayudo con citas"]
    assert world.state().active_loop is None and world.state().slots["oferta"] == "pedir_cita"
    assert world.person.say("sí") == ["¿Cuál es tu CURP?"]
    assert world.state().active_loop == "cita_form"


def test_a_no_declines_the_offer(world: World) -> None:
    world.person.say("¿cómo saco cita?")
    assert world.person.say("no") == ["Está bien"]
    assert world.state().active_loop is None and world.state().slots["oferta"] is None


def test_the_identity_confirmation_goes_on_with_the_same_tramite_and_not_with_another(world: World) -> None:
    for message in ("quiero una cita", CURP, "s3cr3t", "el lunes"):
        world.person.say(message)
    assert world.state().slots["ultimo_tramite"] == "cita_form"
    # The same trámite again (another appointment) goes on with the same person.
    assert world.person.say("quiero una cita") == ["¿Cuál es tu clave?"]
    assert world.state().slots["identidad_confirmada"] == CURP
    # A different one must ask whose it is before it uses the CURP: the confirmation is gone.
    world.person.say("cancelar")  # (the clave is a secret: nothing typed there is parsed)
    world.person.say("dame mi curp")
    assert world.state().slots["ultimo_tramite"] == "curp_form"
    assert world.state().slots.get("identidad_confirmada") is None


def test_low_confidence_that_looks_out_of_scope_is_routed_without_tramite_buttons(world: World) -> None:
    # fuera_de_alcance leads the next intent by more than the margin: routed, no "¿Quisiste decir…?".
    replies = world.person.send("mi afore quizá")
    assert [r.text for r in replies] == ["Adiós"] and not replies[0].buttons
    assert world.runner.names() == ["action_canalizar"]


def test_low_confidence_that_could_be_a_tramite_still_offers_choices(world: World) -> None:
    # fuera_de_alcance barely leads a trámite: the person chooses.
    replies = world.person.send("lo del papel")
    assert replies[0].text == "¿Quisiste decir…?"
    assert "/pedir_cita" in [b.payload for b in replies[0].buttons]


def test_telling_about_another_topic_is_not_a_switch_nor_an_answer(world: World) -> None:
    world.person.say("quiero una cita")
    # Digits in a long sentence are not the CURP; a statement about another topic is not a request.
    said = world.person.say("me sale error 500 en la página del seguro")
    assert said == ["Tu CURP viene en tu acta", "¿Me escribes tu CURP cuando la tengas?"]
    assert world.runner.names() == ["validate_cita_form", "action_orientar"]
    assert world.state().active_loop == "cita_form"
