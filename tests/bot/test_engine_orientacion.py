"""Questions get answers, requests get forms; other institutions are routed (real NLU, actions, SQLite)."""

from __future__ import annotations

import pytest

from bot.container import Container
from bot.engine import Outgoing
from tests.helpers import Chat

TRAMITES = {
    "/obtener_nss",
    "/vigencia_derechos",
    "/cambio_clinica",
    "/semanas_cotizadas",
    "/registrar_beneficiarios",
    "/crear_cuenta",
    "/actualizar_datos",
}


def _texto(replies: list[Outgoing]) -> str:
    return "\n".join(r.text for r in replies)


def _botones(replies: list[Outgoing]) -> list[str]:
    return [b.payload for r in replies for b in r.buttons]


@pytest.mark.parametrize(
    ("pregunta", "hechos", "boton"),
    [
        ("¿cómo saco mi NSS?", ["CURP", "correo"], "/obtener_nss"),
        ("¿cuál es el teléfono del IMSS?", ["800 623 2323"], None),
        ("¿cuántas semanas necesito?", ["500 semanas", "Ley 73"], "/semanas_cotizadas"),
        ("¿dónde está mi clínica?", ["código postal"], "/cambio_clinica"),
        ("no tengo nss nunca he trabajado", ["nunca hayas trabajado"], "/obtener_nss"),
        ("me sale error 500 en la página del imss", ["falla del portal"], None),
        ("¿cuánto paga la incapacidad?", ["60%", "cuarto día", "4 semanas"], None),
        ("¿cuánto paga el imss por maternidad?", ["100%", "84 días"], None),
        ("¿cómo saco cita por teléfono?", ["800 623 2323"], None),
        ("¿cómo saco la opinión de cumplimiento?", ["32-D"], None),
    ],
)
def test_a_question_gets_an_answer_and_starts_no_form(
    chat: Chat, container: Container, pregunta: str, hechos: list[str], boton: str | None
) -> None:
    replies = chat.send(pregunta)
    said = _texto(replies)
    for hecho in hechos:
        assert hecho in said, (pregunta, hecho, said)
    assert container.engine.tracker(chat.conversation_id).active_loop is None
    botones = _botones(replies)
    assert botones == ([boton] if boton else []), botones


def test_a_yes_after_the_answer_starts_the_tramite_offered(chat: Chat, container: Container) -> None:
    chat.say("¿cómo saco mi NSS?")
    assert "¿Cuál es tu CURP?" in chat.say("sí")
    assert container.engine.tracker(chat.conversation_id).active_loop == "nss_form"


def test_a_request_starts_its_form(chat: Chat, container: Container) -> None:
    assert "¿Cuál es tu CURP?" in chat.say("quiero sacar mi nss")
    assert container.engine.tracker(chat.conversation_id).active_loop == "nss_form"


def test_a_question_whose_answer_is_the_tramite_starts_it(chat: Chat, container: Container) -> None:
    assert "¿Cuál es tu CURP?" in chat.say("oye, ¿estoy vigente en el imss?")
    assert container.engine.tracker(chat.conversation_id).active_loop == "vigencia_form"


@pytest.mark.parametrize(
    ("mensaje", "hechos"),
    [
        ("¿en qué Afore estoy y cómo me cambio?", ["Afore", "CONSAR", "e-sar.com.mx"]),
        ("cuánto tengo ahorrado en mi afore", ["Afore", "CONSAR"]),
        ("quiero checar mi crédito infonavit", ["Infonavit"]),
        ("soy maestra del gobierno, ¿qué seguro me toca?", ["ISSSTE"]),
        ("mi papá no respira", ["911"]),
        ("me trataron muy mal en la clínica, quiero poner una queja", ["800 623 2323"]),
    ],
)
def test_other_institutions_are_routed_without_tramite_buttons(
    chat: Chat, container: Container, mensaje: str, hechos: list[str]
) -> None:
    replies = chat.send(mensaje)
    said = _texto(replies)
    for hecho in hechos:
        assert hecho in said, (mensaje, hecho, said)
    assert not TRAMITES & set(_botones(replies))
    assert container.engine.tracker(chat.conversation_id).active_loop is None


def test_anything_else_out_of_scope_gets_an_honest_reply_and_the_menu(chat: Chat) -> None:
    replies = chat.send("¿me recomiendas una película?")
    assert "Eso no lo sé resolver" in replies[0].text
    assert _botones(replies) == ["/ayuda"]


def test_low_confidence_out_of_scope_offers_no_tramites(chat: Chat) -> None:
    replies = chat.send("asdfg qwerty")
    assert not TRAMITES & set(_botones(replies))
