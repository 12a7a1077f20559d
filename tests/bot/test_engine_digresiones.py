"""Digressions at several steps of several forms, through the whole assistant (real NLU, actions, SQLite).

Each kind: a question about the step, "no sé"/"no la tengo", a wish to stop, another request, an agent.
None of them may get a validation error, and the form keeps its place unless the person leaves it.
"""

from __future__ import annotations

import re

import pytest

from bot.container import Container
from bot.engine import Outgoing
from tests.helpers import Chat
from tramites.registro import PREDECIBLES

MARIA = PREDECIBLES[0]

# What a format error sounds like (tramites.identidad, tramites.contacto): never an answer to a digression.
ERROR_DE_FORMATO = re.compile(
    r"posición|debe tener|debe ser|no es válid|tiene \d+ (dígitos|caracteres)|no encontr|no corresponde", re.I
)

# (opening, answers that reach the step, the slot asked there)
PASOS = {
    "vigencia_curp": ("quiero mi constancia de vigencia", [], "curp"),
    "vigencia_nss": ("quiero mi constancia de vigencia", [MARIA.curp], "nss"),
    "nss_email": ("quiero sacar mi nss", [MARIA.curp], "email"),
    "umf_domicilio": ("quiero cambiarme de clínica", [MARIA.curp, str(MARIA.email)], "umf_domicilio"),
    "umf_cp": (
        "quiero cambiarme de clínica",
        [MARIA.curp, str(MARIA.email), "Av. Juárez 45, colonia Centro"],
        "umf_cp",
    ),
    "beneficiario_curp": (
        "quiero registrar a mi mamá como beneficiaria",
        [MARIA.curp, MARIA.nss, str(MARIA.email)],
        "beneficiario_curp",
    ),
}


def _texto(replies: list[Outgoing]) -> str:
    return "\n".join(r.text for r in replies)


def _llegar(chat: Chat, container: Container, paso: str) -> str:
    apertura, respuestas, slot = PASOS[paso]
    chat.say(apertura)
    for respuesta in respuestas:
        chat.say(respuesta)
    state = container.engine.tracker(chat.conversation_id)
    assert state.requested_slot == slot, (paso, state.requested_slot)
    assert state.active_loop is not None
    return state.active_loop


# (step, what the person says, words the help must have)
PREGUNTAS_Y_DUDAS = [
    ("vigencia_curp", "¿para qué quieren mi CURP?", "gob.mx/curp"),
    ("vigencia_curp", "¿dónde la veo?", "gob.mx/curp"),
    ("vigencia_curp", "no la tengo a la mano", "gob.mx/curp"),
    ("vigencia_curp", "no sé cuál es", "gob.mx/curp"),
    ("vigencia_nss", "no sé", "recibos de nómina"),
    ("vigencia_nss", "¿dónde viene ese número?", "recibos de nómina"),
    ("nss_email", "¿para qué quieren mi correo?", "avisos"),
    ("umf_cp", "¿dónde veo mi código postal?", "recibo de luz"),
    ("umf_cp", "no me lo sé", "recibo de luz"),
    ("umf_domicilio", "no sé qué poner", "calle"),
    ("beneficiario_curp", "no la tengo", "acta de nacimiento"),
]


@pytest.mark.parametrize(("paso", "mensaje", "ayuda"), PREGUNTAS_Y_DUDAS)
def test_a_question_or_a_doubt_gets_the_steps_help_and_the_question_again(
    chat: Chat, container: Container, paso: str, mensaje: str, ayuda: str
) -> None:
    form = _llegar(chat, container, paso)
    said = _texto(chat.send(mensaje))
    assert ayuda in said and not ERROR_DE_FORMATO.search(said), said
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop == form and state.requested_slot == PASOS[paso][2]
    assert said.rstrip().endswith("?")  # the question comes back


@pytest.mark.parametrize("paso", ["vigencia_curp", "nss_email", "umf_cp", "beneficiario_curp"])
@pytest.mark.parametrize("mensaje", ["ya no quiero eso", "déjalo", "salir", "no, gracias"])
def test_a_wish_to_stop_leaves_the_tramite(chat: Chat, container: Container, paso: str, mensaje: str) -> None:
    _llegar(chat, container, paso)
    said = _texto(chat.send(mensaje))
    assert "cancelé el trámite" in said and not ERROR_DE_FORMATO.search(said)
    state = container.engine.tracker(chat.conversation_id)
    # Identity data given before stays for the next trámite (it will ask whose it is).
    assert state.active_loop is None and state.slots["curp"] == (MARIA.curp if PASOS[paso][1] else None)


@pytest.mark.parametrize("paso", ["vigencia_nss", "umf_domicilio", "beneficiario_curp"])
def test_an_agent_request_hands_the_conversation_over(chat: Chat, container: Container, paso: str) -> None:
    _llegar(chat, container, paso)
    said = _texto(chat.send("quiero hablar con un agente"))
    assert container.engine.text("utter_handoff") in said and not ERROR_DE_FORMATO.search(said)
    assert container.engine.tracker(chat.conversation_id).paused


@pytest.mark.parametrize(
    ("paso", "otro", "pregunta"),
    [
        ("vigencia_curp", "mejor cámbiame de clínica", "domicilio"),
        ("umf_cp", "mejor quiero mi reporte de semanas", "NSS"),
    ],
)
def test_another_request_switches_tramite(
    chat: Chat, container: Container, paso: str, otro: str, pregunta: str
) -> None:
    form = _llegar(chat, container, paso)
    said = _texto(chat.send(otro))
    assert pregunta in said and not ERROR_DE_FORMATO.search(said)
    assert container.engine.tracker(chat.conversation_id).active_loop not in (None, form)


@pytest.mark.parametrize("paso", ["vigencia_curp", "umf_cp"])
@pytest.mark.parametrize(
    ("mensaje", "hecho"),
    [
        ("¿cuál es el teléfono del IMSS?", "800 623 2323"),
        ("me sale error 500 en la página del imss", "falla del portal"),
        ("¿cuánto paga la incapacidad?", "60%"),
    ],
)
def test_something_about_another_topic_is_answered_and_the_form_waits(
    chat: Chat, container: Container, paso: str, mensaje: str, hecho: str
) -> None:
    form = _llegar(chat, container, paso)
    said = _texto(chat.send(mensaje))
    assert hecho in said and not ERROR_DE_FORMATO.search(said)
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop == form and state.requested_slot == PASOS[paso][2]


def test_two_failed_attempts_offer_help_and_an_agent(chat: Chat) -> None:
    chat.say("quiero mi constancia de vigencia")
    first = chat.send("HELG8803")
    assert "18" in _texto(first) and all(not r.buttons for r in first)
    second = chat.send("HELG880314")
    said = _texto(second)
    assert "gob.mx/curp" in said and "agente" in said
    payloads = [b.payload for r in second for b in r.buttons]
    assert "/hablar_con_agente" in payloads and "/cancelar" in payloads
    assert second[-1].text.endswith("?")


def test_a_value_that_looks_like_an_attempt_still_gets_its_explanation(chat: Chat) -> None:
    chat.say("quiero mi constancia de vigencia")
    assert "posición" in chat.say("HELG88X314MDFRPD05") or "18" in chat.say("HELG880")


def test_the_vigencia_asked_first_resumes_after_getting_the_nss(chat: Chat) -> None:
    chat.say("quiero mi constancia de vigencia")
    chat.say(MARIA.curp)
    ayuda = chat.send("no lo tengo")
    assert "/obtener_nss" in [b.payload for r in ayuda for b in r.buttons]
    assert "correo" in chat.say("/obtener_nss")
    replies = chat.send(str(MARIA.email))
    said = _texto(replies)
    assert MARIA.nss in said
    assert "Ahora sí, sigamos con tu constancia de vigencia." in said
    assert "María Guadalupe, tus derechos están vigentes" in said
    assert len([r for r in replies if r.document is not None]) == 2
