"""Whole alta / cambio de UMF conversations through the engine (real NLU, in-process actions, SQLite)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actions.servicios import servicios
from bot.container import Container
from bot.documentos_factory import construir_emisor
from bot.engine import Outgoing
from tests.helpers import Chat, pdf_text
from tramites.documentos import verificar_pdf
from tramites.registro import CP_SIN_CLINICA, CP_SIN_CLINICA_EN_ESTADO, Persona

# Demo people (docs/registro.md): 0 is in UMF 1 (turno matutino), 9 lives in Tijuana with no clinic.
MARIA = 0
OSCAR = 9


def _persona(indice: int) -> Persona:
    return servicios().registro.listar_personas(10)[indice]


def _texts(replies: list[Outgoing]) -> str:
    return "\n".join(r.text for r in replies)


def _buttons(replies: list[Outgoing]) -> dict[str, str]:
    return {b.payload: b.title for r in replies for b in r.buttons}


def _hasta_cp(chat: Chat, persona: Persona) -> None:
    chat.say("quiero cambiarme de clinica")
    assert "correo" in chat.say(persona.curp)
    assert "domicilio" in chat.say(str(persona.email))
    assert "código postal" in chat.say("Calle Roble 12, colonia Tlalpan Centro")


def _requested(container: Container, chat: Chat) -> str | None:
    return container.engine.tracker(chat.conversation_id).requested_slot


def test_change_of_clinic_ends_with_solicitud_and_verifiable_pdf(chat: Chat, container: Container) -> None:
    persona = _persona(MARIA)
    _hasta_cp(chat, persona)
    replies = chat.send("14100")
    assert "Estas clínicas atienden tu código postal 14100" in _texts(replies)
    botones = _buttons(replies)
    assert {"UMF 7", "UMF 45", "otro código postal"} <= set(botones)
    assert botones["UMF 45"] == "UMF 45 Villa Coapa (Coyoacán)"

    replies = chat.send("UMF 45")
    assert set(_buttons(replies)) == {"matutino", "vespertino"}
    resumen = chat.send("matutino")
    assert "UMF 45 Villa Coapa" in resumen[0].text
    assert "Calz. del Hueso 1045" in resumen[0].text
    assert "Matutino (8:00 a 14:00)" in resumen[0].text
    assert "Calle Roble 12, colonia Tlalpan Centro, C.P. 14100" in resumen[0].text
    assert set(_buttons(resumen)) == {"/afirmar", "/negar"}

    replies = chat.send("/afirmar")
    texto = _texts(replies)
    folio = re.search(r"folio (\S+)\.", texto)
    assert folio is not None
    solicitud = servicios().registro.solicitud(folio.group(1))
    assert solicitud is not None and solicitud.tramite == "cambio_umf"
    assert solicitud.datos["domicilio"] == "Calle Roble 12, colonia Tlalpan Centro"
    assert solicitud.datos["email"] == persona.email
    cambiada = servicios().registro.persona_por_curp(persona.curp)
    assert cambiada is not None and (cambiada.umf, cambiada.turno) == (45, "matutino")

    document = next(r.document for r in replies if r.document is not None)
    contenido = pdf_text(document.path)
    for esperado in (
        "Comprobante de cambio de Unidad de Medicina Familiar",
        persona.nombre_completo,
        persona.curp,
        str(persona.nss),
        folio.group(1),
        "UMF 45 Villa Coapa",
        "Calz. del Hueso 1045",
        "Coyoacán",
        "Matutino (8:00 a 14:00)",
        "UMF 1 Roma",
        "Comprobante de domicilio reciente",
        "foto reciente tamaño infantil",
    ):
        assert esperado in contenido, esperado
    _, claves, folios = construir_emisor(container.settings, container.sessions)
    verificado = verificar_pdf(Path(document.path).read_bytes(), claves, folios)
    assert verificado.tipo == "comprobante_umf"
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop is None
    assert all(state.slots[s] is None for s in ("umf_domicilio", "umf_cp", "umf_clinica", "umf_turno"))


def test_person_without_clinic_gets_an_alta(chat: Chat) -> None:
    persona = _persona(OSCAR)
    assert persona.umf is None
    chat.say("necesito darme de alta en una clinica")
    chat.say(persona.curp)
    chat.say(str(persona.email))
    chat.say("Av. Revolución 1200, colonia Zona Centro")
    chat.say("06700")
    chat.say("UMF 1")
    chat.say("vespertino")
    replies = chat.send("sí")
    document = next(r.document for r in replies if r.document is not None)
    contenido = pdf_text(document.path)
    assert "Comprobante de alta en Unidad de Medicina Familiar" in contenido
    assert "Vespertino (14:00 a 20:00)" in contenido
    assert "Clínica anterior" not in contenido


def test_cp_without_own_clinic_offers_the_nearest(chat: Chat) -> None:
    persona = _persona(MARIA)
    _hasta_cp(chat, persona)
    cp = CP_SIN_CLINICA[0]
    replies = chat.send(cp)
    assert f"Ninguna clínica tiene asignado tu código postal {cp}" in _texts(replies)
    cercanas = [u.numero for u in servicios().registro.umfs_cercanas(cp, 3)]
    assert [p for p in _buttons(replies) if p.startswith("UMF")] == [f"UMF {n}" for n in cercanas]
    assert "(tu clínica actual)" in _texts(replies)


def test_cp_with_no_clinic_nearby_asks_for_another_cp(chat: Chat, container: Container) -> None:
    persona = _persona(MARIA)
    _hasta_cp(chat, persona)
    cp = CP_SIN_CLINICA_EN_ESTADO[0]
    reply = chat.say(cp)
    assert f"No encontramos clínicas del IMSS en Baja California cerca del código postal {cp}" in reply
    assert "subdelegación" in reply and "«cancelar»" in reply
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop == "umf_form" and state.requested_slot == "umf_cp"
    assert state.slots["umf_cp"] is None
    assert "UMF 7" in _buttons(chat.send("14100"))


@pytest.mark.parametrize(
    ("texto", "motivo"),
    [("0670", "debe tener 5 números"), ("17000", "no existe en México")],
)
def test_invalid_cp_is_explained_and_asked_again(
    chat: Chat, container: Container, texto: str, motivo: str
) -> None:
    _hasta_cp(chat, _persona(MARIA))
    reply = chat.say(texto)
    assert motivo in reply
    assert _requested(container, chat) == "umf_cp"
    assert "UMF 7" in _buttons(chat.send("14100"))


def test_cp_written_with_the_address_is_not_asked_again(chat: Chat) -> None:
    chat.say("cambio de clinica")
    chat.say(_persona(MARIA).curp)
    chat.say(str(_persona(MARIA).email))
    replies = chat.send("Calle Roble 12, colonia Huipulco, CP 14100")
    assert "UMF 45" in _buttons(replies)


def test_address_without_letters_is_refused(chat: Chat, container: Container) -> None:
    chat.say("cambio de clinica")
    chat.say(_persona(MARIA).curp)
    chat.say(str(_persona(MARIA).email))
    reply = chat.say("123")
    assert "le faltan la calle y la colonia" in reply
    assert _requested(container, chat) == "umf_domicilio"


def test_turno_the_clinic_does_not_have_is_refused(chat: Chat, container: Container) -> None:
    _hasta_cp(chat, _persona(MARIA))
    chat.say("05000")
    replies = chat.send("UMF 14")
    assert set(_buttons(replies)) == {"matutino"}
    replies = chat.send("en la tarde")
    assert "no tiene turno «en la tarde»" in _texts(replies)
    assert set(_buttons(replies)) == {"matutino"}
    assert _requested(container, chat) == "umf_turno"
    assert "correo" in chat.say("matutino").lower()


def test_same_clinic_offers_only_a_change_of_turno(chat: Chat, container: Container) -> None:
    persona = _persona(MARIA)
    assert (persona.umf, persona.turno) == (1, "matutino")
    _hasta_cp(chat, persona)
    chat.say("06700")
    replies = chat.send("UMF 1")
    assert "ya es tu clínica" in _texts(replies)
    assert set(_buttons(replies)) == {"vespertino"}
    replies = chat.send("matutino")
    assert "Ya estás en la UMF 1 Roma, turno matutino" in _texts(replies)
    assert "UMF 1" in _buttons(replies)
    assert _requested(container, chat) == "umf_clinica"


def test_no_at_confirmation_goes_back_to_the_clinics(chat: Chat, container: Container) -> None:
    _hasta_cp(chat, _persona(MARIA))
    chat.say("14100")
    chat.say("UMF 7")
    chat.say("matutino")
    replies = chat.send("no")
    assert "no envié nada" in _texts(replies)
    assert {"UMF 7", "UMF 45"} <= set(_buttons(replies))
    replies = chat.send("otro código postal")
    assert "código postal" in _texts(replies) and _requested(container, chat) == "umf_cp"
    chat.say("05000")
    chat.say("UMF 14")
    resumen = chat.say("matutino")
    assert "UMF 14 Cuajimalpa" in resumen
    replies = chat.send("si")
    assert any(r.document for r in replies)
    cambiada = servicios().registro.persona_por_curp(_persona(MARIA).curp)
    assert cambiada is not None and cambiada.umf == 14


def test_unknown_curp_hears_nothing_about_the_record(chat: Chat, container: Container) -> None:
    chat.say("cambio de clinica")
    assert "correo" in chat.say("PAPP600515HJCRRD00")
    reply = chat.say("pedro@example.com")
    assert reply == container.engine.text("utter_datos_no_coinciden")
    assert container.engine.tracker(chat.conversation_id).active_loop is None


def test_cancel_forgets_the_answers(chat: Chat, container: Container) -> None:
    _hasta_cp(chat, _persona(MARIA))
    chat.say("14100")
    assert "cancelé" in chat.say("cancelar")
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop is None
    assert state.slots["umf_cp"] is None and state.slots["umf_domicilio"] is None
    assert state.slots["curp"] == _persona(MARIA).curp
