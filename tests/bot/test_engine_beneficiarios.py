"""Whole registro de beneficiarios conversations through the engine, at a fixed "today"."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from actions.servicios import ZONA, servicios
from bot.container import Container
from bot.documentos_factory import construir_emisor
from bot.engine import Outgoing
from tests.helpers import Chat, pdf_text
from tramites.documentos import verificar_pdf
from tramites.registro import Persona, construir_curp

HOY = date(2026, 6, 15)
# Demo people (docs/registro.md): 0 has a spouse and two children; 3 is a pensionado; 5 is a beneficiario.
MARIA = 0
ROBERTO = 3
JUAN_PABLO = 5


@pytest.fixture(autouse=True)
def _hoy(container: Container) -> None:
    """Ages are computed on HOY, whatever the real date is."""
    servicios().ahora = lambda: datetime(HOY.year, HOY.month, HOY.day, 10, 0, tzinfo=ZONA)


def _persona(indice: int) -> Persona:
    return servicios().registro.listar_personas(10)[indice]


def _texts(replies: list[Outgoing]) -> str:
    return "\n".join(r.text for r in replies)


def _payloads(replies: list[Outgoing]) -> list[str]:
    return [b.payload for r in replies for b in r.buttons]


def _hija(nacimiento: date) -> str:
    return construir_curp("Ana", "Castillo", "Hernández", nacimiento, "M", "DF")


def _identificarse(chat: Chat, titular: Persona, apertura: str = "quiero registrar a un beneficiario") -> str:
    chat.say(apertura)
    assert "NSS" in chat.say(titular.curp)
    assert "correo" in chat.say(str(titular.nss))
    return chat.say(str(titular.email))


def _registrados(titular: Persona) -> list[str]:
    return [b.curp for b in servicios().registro.beneficiarios(str(titular.nss))]


def test_child_under_16_is_registered_with_a_verifiable_comprobante(chat: Chat, container: Container) -> None:
    titular = _persona(MARIA)
    curp = _hija(date(2010, 6, 16))  # turns 16 tomorrow
    assert "¿A quién quieres registrar como tu beneficiario?" in _identificarse(chat, titular)
    chat.say("Hija(o)")
    reply = chat.say(curp)
    assert "es menor de 16 años" in reply
    assert "nombre completo" in reply
    replies = chat.send("ana castillo hernández")
    texto = _texts(replies)
    assert "Registré a Ana Castillo Hernández como tu beneficiaria (hija)" in texto
    folio = re.search(r"Folio de tu solicitud: (\S+)\.", texto)
    assert folio is not None
    assert curp in _registrados(titular)
    document = next(r.document for r in replies if r.document is not None)
    contenido = pdf_text(document.path)
    for esperado in (
        "Comprobante de registro de beneficiario",
        titular.nombre_completo,
        titular.curp,
        str(titular.nss),
        "Ana Castillo Hernández",
        curp,
        "Hija",
        "16 de junio de 2010",
        folio.group(1),
        "acta de nacimiento",
    ):
        assert esperado in contenido, esperado
    _, claves, folios = construir_emisor(container.settings, container.sessions)
    assert verificar_pdf(Path(document.path).read_bytes(), claves, folios).tipo == "comprobante_beneficiarios"
    assert "/registrar_beneficiarios" in _payloads(replies)
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop is None and state.slots["beneficiario_curp"] is None
    assert state.slots["curp"] == titular.curp and state.slots["nss"] == titular.nss


def test_not_knowing_whether_the_child_studies_is_not_a_no(chat: Chat, container: Container) -> None:
    titular = _persona(MARIA)
    curp = _hija(date(2010, 6, 15))
    _identificarse(chat, titular, "quiero dar de alta a mi hija en el seguro")
    chat.send(curp)
    replies = chat.send("pues no sé")
    assert "Respóndeme «sí» o «no»" in _texts(replies)
    assert _payloads(replies) == ["/afirmar", "/negar"]
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop == "beneficiario_form" and state.requested_slot == "beneficiario_estudia"


def test_child_of_exactly_16_who_does_not_study_is_refused(chat: Chat, container: Container) -> None:
    titular = _persona(MARIA)
    curp = _hija(date(2010, 6, 15))
    _identificarse(chat, titular, "quiero dar de alta a mi hija en el seguro")
    replies = chat.send(curp)
    assert "¿Estudia" in _texts(replies)
    assert _payloads(replies) == ["/afirmar", "/negar"]
    replies = chat.send("/negar")
    texto = _texts(replies)
    assert "Tu hija ya cumplió 16 años; puede seguir como beneficiaria hasta los 25 si estudia" in texto
    assert "dime que sí" not in texto
    assert _payloads(replies) == ["/registrar_beneficiarios", "/agradecer"]
    assert curp not in _registrados(titular)
    assert container.engine.tracker(chat.conversation_id).active_loop is None


def test_child_of_exactly_16_who_studies_is_registered(chat: Chat) -> None:
    titular = _persona(MARIA)
    curp = _hija(date(2010, 6, 15))
    _identificarse(chat, titular)
    chat.say("mi hija")
    chat.say(curp)
    reply = chat.say("sí")
    assert "mientras estudie, hasta antes de cumplir 25 años (el 15 de junio de 2035)" in reply
    replies = chat.send("Ana Castillo Hernández")
    contenido = pdf_text(next(r.document for r in replies if r.document is not None).path)
    assert "constancia de estudios" in contenido
    assert curp in _registrados(titular)


def test_child_of_exactly_25_is_refused_without_asking_about_studies(chat: Chat) -> None:
    titular = _persona(MARIA)
    curp = construir_curp("Luis", "Castillo", "Hernández", date(2001, 6, 15), "H", "DF")
    _identificarse(chat, titular)
    chat.say("Hija(o)")
    replies = chat.send(curp)
    texto = _texts(replies)
    assert "Tu hijo ya cumplió 25 años, así que ya no puede ser tu beneficiario aunque estudie" in texto
    assert "¿Estudia" not in texto
    assert curp not in _registrados(titular)


def test_child_one_day_before_25_who_studies_is_registered(chat: Chat) -> None:
    titular = _persona(MARIA)
    curp = construir_curp("Luis", "Castillo", "Hernández", date(2001, 6, 16), "H", "DF")
    _identificarse(chat, titular)
    chat.say("Hija(o)")
    assert "¿Estudia" in chat.say(curp)
    chat.say("/afirmar")
    chat.say("Luis Castillo Hernández")
    assert curp in _registrados(titular)


def test_second_spouse_is_refused(chat: Chat) -> None:
    titular = _persona(MARIA)
    curp = construir_curp("Pedro", "Pérez", "Soto", date(1985, 2, 2), "H", "DF")
    _identificarse(chat, titular)
    chat.say("Esposa(o)")
    reply = chat.say(curp)
    esperado = "Ya tienes registrado a Juan Pablo Castillo Mendoza como cónyuge; solo puede haber una persona"
    assert esperado in reply
    assert curp not in _registrados(titular)


def test_parent_who_does_not_depend_is_refused(chat: Chat, container: Container) -> None:
    titular = _persona(MARIA)
    curp = construir_curp("Rosa", "López", "Pérez", date(1960, 1, 5), "M", "DF")
    _identificarse(chat, titular)
    chat.say("Madre")
    replies = chat.send(curp)
    assert "¿Tu mamá depende económicamente de ti" in _texts(replies)
    reply = chat.say("no, ella trabaja")
    esperado = "Tu madre puede ser tu beneficiaria solo si depende económicamente de ti y vive en tu casa."
    assert esperado in reply
    assert "dime que sí" not in reply
    assert curp not in _registrados(titular)
    assert container.engine.tracker(chat.conversation_id).active_loop is None


def test_known_person_is_registered_without_asking_the_name(chat: Chat) -> None:
    titular = _persona(MARIA)
    padre = _persona(ROBERTO)
    _identificarse(chat, titular)
    chat.say("Padre")
    chat.say(padre.curp)
    replies = chat.send("sí, depende de mí")
    texto = _texts(replies)
    assert f"Registré a {padre.nombre_completo} como tu beneficiario (padre)" in texto
    assert "nombre completo" not in texto
    assert padre.curp in _registrados(titular)


def test_another_person_reuses_the_titular(chat: Chat) -> None:
    titular = _persona(MARIA)
    _identificarse(chat, titular)
    chat.say("Madre")
    chat.say(construir_curp("Rosa", "López", "Pérez", date(1960, 1, 5), "M", "DF"))
    chat.say("no")
    replies = chat.send("/registrar_beneficiarios")
    assert "parentesco" in _texts(replies)
    assert "¿Cuál es tu CURP" not in _texts(replies)


def test_nss_of_someone_else_is_refused(chat: Chat, container: Container) -> None:
    titular = _persona(MARIA)
    otro = _persona(ROBERTO)
    chat.say("registrar beneficiarios")
    chat.say(titular.curp)
    assert "correo" in chat.say(str(otro.nss))
    reply = chat.say(str(titular.email))
    assert f"El NSS {otro.nss} no corresponde a la CURP {titular.curp}" in reply
    assert container.engine.tracker(chat.conversation_id).requested_slot == "nss"


def test_own_curp_is_asked_again(chat: Chat, container: Container) -> None:
    titular = _persona(MARIA)
    _identificarse(chat, titular)
    chat.say("Hija(o)")
    assert "Esa CURP es la tuya" in chat.say(titular.curp)
    state = container.engine.tracker(chat.conversation_id)
    assert state.requested_slot == "beneficiario_curp" and state.slots["curp"] == titular.curp


def test_unknown_relationship_is_explained_with_buttons(chat: Chat) -> None:
    _identificarse(chat, _persona(MARIA))
    replies = chat.send("mi abuela")
    assert "No puedo registrar a «mi abuela» como beneficiario" in _texts(replies)
    assert "Hija(o)" in _payloads(replies)


def test_beneficiary_cannot_register_beneficiaries(chat: Chat, container: Container) -> None:
    chat.say("quiero registrar a mi hijo")
    chat.say(_persona(JUAN_PABLO).curp)
    chat.say(str(_persona(JUAN_PABLO).nss))
    reply = chat.say(str(_persona(JUAN_PABLO).email))
    assert "Solo una persona asegurada o pensionada puede registrar beneficiarios" in reply
    assert container.engine.tracker(chat.conversation_id).active_loop is None
