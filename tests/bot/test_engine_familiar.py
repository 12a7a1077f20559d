"""Whose trámite: a relative's constancia in the same session, and the one-tap identity confirmation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.container import Container
from bot.engine import Outgoing
from tests.helpers import Chat, pdf_text
from tramites.registro import PREDECIBLES
from tramites.registro.demo import construir_curp

MARIA, JOSE, ANA, ROBERTO, LUZ, JUAN = PREDECIBLES[:6]
SOFIA = construir_curp("Sofía", "Castillo", "Hernández", date(2012, 5, 20), "M", "DF")


def _texto(replies: list[Outgoing]) -> str:
    return "\n".join(r.text for r in replies)


def _pdf(replies: list[Outgoing]) -> str:
    return pdf_text(Path(next(r.document for r in replies if r.document is not None).path))


def _constancia_propia(chat: Chat, persona: object = MARIA) -> None:
    chat.say("quiero mi constancia de vigencia")
    chat.say(MARIA.curp)
    chat.say(MARIA.nss)
    assert "tus derechos están vigentes" in chat.say(str(MARIA.email))


def test_after_her_own_constancia_the_spouses_comes_with_one_confirmation(chat: Chat) -> None:
    _constancia_propia(chat)
    pregunta = chat.send("ahora la de mi esposo")
    assert (
        pregunta[-1].text == "Para la constancia de tu esposo uso tus datos, María (CURP HELG…05). ¿Eres tú?"
    )
    assert [b.payload for b in pregunta[-1].buttons] == ["/afirmar", "/negar"]
    assert chat.say("/afirmar") == "¿Cuál es la CURP de tu esposo?"
    replies = chat.send(JUAN.curp)
    said = _texto(replies)
    assert "Juan Pablo Castillo Mendoza sí tiene derechos en el IMSS" in said
    assert "Los tiene por ser beneficiario de María Guadalupe Hernández López." in said
    contenido = _pdf(replies)
    assert JUAN.curp in contenido and "Beneficiario de María Guadalupe Hernández López" in contenido


def test_a_daughter_without_nss_gets_her_constancia_through_her_mother(
    chat: Chat, container: Container
) -> None:
    _constancia_propia(chat)
    chat.say("y la de mi hija?")
    assert chat.say("sí") == "¿Cuál es la CURP de tu hija?"
    replies = chat.send(SOFIA)
    assert "Sofía Castillo Hernández sí tiene derechos en el IMSS" in _texto(replies)
    assert "por ser beneficiaria de María Guadalupe" in _texto(replies)
    contenido = _pdf(replies)
    assert "Sofía Castillo Hernández" in contenido and "Sin NSS" in contenido and "VIGENTE" in contenido
    state = container.engine.tracker(chat.conversation_id)
    # The relative's data is forgotten; the titular's stays for the next trámite.
    assert state.slots["familiar_curp"] is None and state.slots["curp"] == MARIA.curp


def test_someone_else_on_the_phone_gives_the_relatives_own_nss(chat: Chat) -> None:
    _constancia_propia(chat)
    chat.say("ahora la de mi esposo")
    assert chat.say("No soy yo") == "¿Cuál es la CURP de tu esposo?"
    # Not linked to a titular in this conversation: he has an NSS of his own, so it is asked.
    assert chat.say(JUAN.curp) == "¿Cuál es el NSS de tu esposo? Son 11 números."
    # The relative identifies with his own record: his email on file, then the constancia.
    assert "correo" in chat.say(JUAN.nss)
    replies = chat.send(str(JUAN.email))
    assert JUAN.curp in _pdf(replies)


def test_a_relative_without_nss_and_nobody_known_asks_for_the_titular(chat: Chat) -> None:
    assert chat.say("quiero la constancia de vigencia de mi hija").endswith("¿Cuál es la CURP de tu hija?")
    said = chat.say(SOFIA)
    assert said == "¿Cuál es la CURP de quien tiene a tu hija en su seguro?"
    assert chat.say(MARIA.curp) == "¿Y cuál es su NSS? Son 11 números."
    assert "correo" in chat.say(MARIA.nss)
    replies = chat.send(str(MARIA.email))
    assert "Sofía Castillo Hernández sí tiene derechos en el IMSS" in _texto(replies)


def test_registering_someone_is_still_a_registration(chat: Chat, container: Container) -> None:
    _constancia_propia(chat)
    chat.say("quiero registrar a mi mamá como beneficiaria")
    assert container.engine.tracker(chat.conversation_id).active_loop == "beneficiario_form"


def test_a_second_person_on_a_shared_phone_is_asked_before_the_first_ones_curp_is_used(
    chat: Chat, container: Container
) -> None:
    chat.say("quiero mi nss")
    chat.say(MARIA.curp)
    assert MARIA.nss in chat.say(str(MARIA.email))
    pregunta = chat.send("ahora quiero mi constancia de vigencia")
    assert pregunta[-1].text == "¿Es para ti, María (CURP HELG…05), o para otra persona?"
    assert "¿Cuál es tu CURP?" in chat.say("Para otra persona")
    state = container.engine.tracker(chat.conversation_id)
    assert state.slots["curp"] is None and state.slots["nss"] is None
    chat.say(ANA.curp)
    chat.say(ANA.nss)
    replies = chat.send(str(ANA.email))
    assert _texto(replies).startswith("Ana Sofía, no tienes derechos vigentes")
    assert ANA.curp in _pdf(replies) and MARIA.curp not in _pdf(replies)


def test_a_yes_after_registering_someone_registers_another(chat: Chat, container: Container) -> None:
    hija = construir_curp("Lucía", "Castillo", "Hernández", date(2019, 4, 2), "M", "DF")
    chat.say("quiero registrar a mi hija como beneficiaria")
    chat.say(MARIA.curp)
    chat.say(MARIA.nss)
    chat.say(str(MARIA.email))
    chat.say(hija)
    assert "¿Quieres registrar a otra persona?" in chat.say("Lucía Castillo Hernández")
    # The same trámite again, for the same titular: no "¿es para ti?", straight to the relative.
    siguiente = chat.say("sí")
    assert "¿A quién quieres registrar como tu beneficiario?" in siguiente and "¿Es para ti" not in siguiente
    assert container.engine.tracker(chat.conversation_id).active_loop == "beneficiario_form"


def test_also_my_mother_after_registering_someone_keeps_the_thread(chat: Chat) -> None:
    hija = construir_curp("Lucía", "Castillo", "Hernández", date(2019, 4, 2), "M", "DF")
    madre = construir_curp("Rosa", "López", "Núñez", date(1962, 6, 12), "M", "DF")
    inicio = ("quiero registrar a mi hija como beneficiaria", MARIA.curp, MARIA.nss, str(MARIA.email), hija)
    for mensaje in inicio:
        chat.say(mensaje)
    chat.say("Lucía Castillo Hernández")
    assert "¿Cuál es la CURP de tu familiar?" in chat.say("sí, también a mi mamá")
    assert "¿Tu mamá depende económicamente de ti" in chat.say(madre)
