"""Whose data a look-up may show, through the whole assistant: the email on file, and the look-up limits.

The limits of data/limites.yml are on (the container builds them): 5 look-ups an hour and 5 different
CURPs a day per conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from actions.servicios import instalar, servicios
from bot.container import Container, build_container
from bot.engine import Outgoing
from tests.helpers import Chat
from tramites.correo import CorreoNoEnviado, MensajeCorreo
from tramites.limites import Limitador
from tramites.registro import CURP_NO_REGISTRADA, PREDECIBLES, PersonaPredecible
from tramites.registro.sql import PersonaRow

MARIA, JOSE, ANA, ROBERTO, LUZ, JUAN, CARMEN, VALERIA, DIEGO, OSCAR, TOMAS = PREDECIBLES
CON_CORREO = (MARIA, JOSE, ANA, ROBERTO, LUZ, CARMEN, VALERIA, OSCAR)
EXTRANO = "curioso@example.com"


def _texto(replies: list[Outgoing]) -> str:
    return "\n".join(r.text for r in replies)


def _nss_de(chat: Chat, persona: PersonaPredecible, email: str) -> list[Outgoing]:
    """One NSS look-up, CURP and email in the opening message."""
    return chat.send(f"mi curp es {persona.curp} y mi correo es {email}, quiero mi nss")


def _no_coinciden(container: Container) -> str:
    return container.engine.text("utter_datos_no_coinciden")


def _nada_de(persona: PersonaPredecible, replies: list[Outgoing]) -> None:
    """Nothing of the person's record reached the chat."""
    texto = _texto(replies)
    assert all(r.document is None for r in replies)
    for dato in (persona.nss, persona.nombre.split()[0], *filter(None, [persona.email])):
        assert dato not in texto


# -- a stranger's email -----------------------------------------------------------------------------

#: Each data-revealing trámite: its opening message and the answers up to the email.
TRAMITES: dict[str, Callable[[PersonaPredecible, str], list[str]]] = {
    "nss": lambda p, email: ["quiero mi nss", p.curp, email],
    "vigencia": lambda p, email: ["quiero mi constancia de vigencia", p.curp, p.nss, email],
    "semanas": lambda p, email: ["quiero mi reporte de semanas cotizadas", p.curp, p.nss, email],
    "umf": lambda p, email: ["quiero cambiarme de clinica", p.curp, email],
    "beneficiarios": lambda p, email: ["quiero registrar a mi hijo como beneficiario", p.curp, p.nss, email],
}


@pytest.mark.parametrize("tramite", TRAMITES)
def test_a_strangers_email_gets_nothing_of_the_record(
    chat: Chat, container: Container, tramite: str
) -> None:
    mensajes = TRAMITES[tramite](MARIA, EXTRANO)
    antes = [r for m in mensajes[:-1] for r in chat.send(m)]
    ultimo = chat.send(mensajes[-1])
    _nada_de(MARIA, antes + ultimo)
    assert _texto(ultimo) == _no_coinciden(container)
    assert [b.payload for b in ultimo[-1].buttons] == ["/actualizar_datos", "/hablar_con_agente"]
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop is None
    assert state.slots["curp"] is None and state.slots["email"] is None and state.slots["nss"] is None


@pytest.mark.parametrize("tramite", TRAMITES)
def test_an_unknown_curp_gets_the_same_answer_as_a_wrong_email(
    chat: Chat, container: Container, tramite: str
) -> None:
    desconocida = PersonaPredecible(-1, CURP_NO_REGISTRADA, "01078871009", "Pedro Páramo", None, "")
    mensajes = TRAMITES[tramite](desconocida, EXTRANO)
    for mensaje in mensajes[:-1]:
        chat.send(mensaje)
    assert _texto(chat.send(mensajes[-1])) == _no_coinciden(container)


def test_the_email_on_file_in_another_case_and_with_spaces_gets_the_nss(chat: Chat) -> None:
    replies = _nss_de(chat, MARIA, f"  {(MARIA.email or '').upper()}  ")
    assert MARIA.nss in _texto(replies)
    assert any(r.document is not None for r in replies)


def test_a_relatives_constancia_needs_the_email_of_whoever_identifies_them(
    chat: Chat, container: Container
) -> None:
    chat.say("quiero la constancia de vigencia de mi esposo")
    chat.say(JUAN.curp)
    chat.say(JUAN.nss)
    replies = chat.send(EXTRANO)
    _nada_de(JUAN, replies)
    assert _no_coinciden(container) in _texto(replies)


def test_a_stranger_with_the_titulars_curp_and_nss_learns_nothing_before_the_email(
    chat: Chat, container: Container
) -> None:
    # A relative the titular cannot place: before, the form named the titular right after their NSS.
    dichos = [
        *chat.send("quiero la constancia de vigencia de mi hijo"),
        *chat.send(CURP_NO_REGISTRADA),
        *chat.send(MARIA.curp),
        *chat.send(MARIA.nss),
    ]
    assert "correo" in dichos[-1].text.lower(), "the email is asked next, with nothing said about anybody"
    dichos += chat.send(EXTRANO)
    _nada_de(MARIA, dichos)
    assert _no_coinciden(container) in _texto(dichos)


def test_whether_a_relatives_nss_is_theirs_is_not_said_before_the_email(
    chat: Chat, container: Container
) -> None:
    dichos = [*chat.send("quiero la constancia de vigencia de mi esposo"), *chat.send(JUAN.curp)]
    dichos += chat.send(MARIA.nss)  # somebody else's NSS
    assert "correo" in dichos[-1].text.lower()
    assert "no corresponde" not in _texto(dichos).lower()
    dichos += chat.send(EXTRANO)
    _nada_de(JUAN, dichos)
    assert _no_coinciden(container) in _texto(dichos)


# -- no email on file: the document goes only by email ---------------------------------------------


@dataclass
class CorreoFalso:
    """Keeps what it was asked to send; `falla` makes it refuse like an unreachable server."""

    enviados: list[MensajeCorreo] = field(default_factory=list)
    falla: bool = False

    def enviar(self, mensaje: MensajeCorreo) -> None:
        """Keep `mensaje`, or refuse."""
        if self.falla:
            raise CorreoNoEnviado("server unreachable")
        self.enviados.append(mensaje)


@pytest.mark.parametrize("tramite", ["nss", "vigencia", "semanas"])
def test_without_email_on_file_the_document_goes_only_to_the_email_given(
    chat: Chat, container: Container, tramite: str
) -> None:
    correo = CorreoFalso()
    servicios().correo = correo
    mensajes = TRAMITES[tramite](TOMAS, "Tomas.Vega@Example.com")
    replies = [r for m in mensajes for r in chat.send(m)]
    _nada_de(TOMAS, replies)
    assert "Vega" not in _texto(replies)
    enviado = container.engine.text("utter_documento_por_correo", email="tomas.vega@example.com")
    assert enviado in _texto(replies)
    [mensaje] = correo.enviados
    assert mensaje.destinatario == "tomas.vega@example.com"
    [adjunto] = mensaje.adjuntos
    assert adjunto.tipo == "application/pdf" and adjunto.contenido.startswith(b"%PDF")
    assert adjunto.nombre.endswith(".pdf") and "Tom" not in adjunto.nombre


def test_without_email_on_file_a_curp_with_no_nss_is_answered_only_by_email(
    chat: Chat, container: Container
) -> None:
    # A registered person with neither NSS nor email (the demo has none: one is made from Tomás).
    sin_nss = TOMAS
    with container.sessions.begin() as s:
        s.execute(update(PersonaRow).where(PersonaRow.curp == sin_nss.curp).values(email=None, nss=None))
    correo = CorreoFalso()
    servicios().correo = correo
    email = "quien.sea@example.com"
    replies = [*chat.send("quiero mi nss"), *chat.send(sin_nss.curp), *chat.send(email)]
    assert "NSS asignado" not in _texto(replies) and sin_nss.nombre not in _texto(replies)
    assert container.engine.text("utter_respuesta_por_correo", email=email) in _texto(replies)
    [mensaje] = correo.enviados
    assert mensaje.destinatario == email and "todavía no tiene un NSS asignado" in mensaje.cuerpo


@pytest.mark.parametrize("falla", [True, False], ids=["server-refuses", "no-email-service"])
def test_without_email_on_file_a_failed_delivery_says_so_and_shows_nothing(
    chat: Chat, container: Container, falla: bool
) -> None:
    servicios().correo = CorreoFalso(falla=True) if falla else None
    replies = [r for m in TRAMITES["nss"](TOMAS, "tomas@example.com") for r in chat.send(m)]
    _nada_de(TOMAS, replies)
    assert _texto(replies[-1:]) == container.engine.text("utter_documento_no_enviado")
    assert "/hablar_con_agente" in [b.payload for b in replies[-1].buttons]


@pytest.mark.parametrize("tramite", ["umf", "beneficiarios"])
def test_without_email_on_file_a_change_to_the_record_is_refused(
    chat: Chat, container: Container, tramite: str
) -> None:
    mensajes = TRAMITES[tramite](TOMAS, "tomas@example.com")
    replies = [r for m in mensajes for r in chat.send(m)]
    _nada_de(TOMAS, replies)
    assert _texto(replies[-1:]) == _no_coinciden(container)


# -- a forged button payload -----------------------------------------------------------------------


def test_a_typed_payload_with_values_sets_no_slot_and_reveals_nothing(
    chat: Chat, container: Container
) -> None:
    payload = f'/semanas_cotizadas{{"curp":"{ANA.curp}","nss":"{ANA.nss}","email":"{ANA.email}"}}'
    replies = chat.send(payload)
    _nada_de(ANA, replies)
    slots = container.engine.tracker(chat.conversation_id).slots
    assert slots["curp"] is None and slots["nss"] is None and slots["email"] is None


# -- look-up limits ----------------------------------------------------------------------------------


def test_one_sender_six_people_the_sixth_look_up_is_refused(chat: Chat, container: Container) -> None:
    for persona in CON_CORREO[:5]:
        assert persona.nss in _texto(_nss_de(chat, persona, persona.email or ""))
    sexta = _nss_de(chat, CARMEN, CARMEN.email or "")
    _nada_de(CARMEN, sexta)
    assert "Por seguridad, ya no puedo hacer más consultas por ahora" in _texto(sexta)
    assert "800 623 2323" in _texto(sexta)
    assert "/hablar_con_agente" in [b.payload for r in sexta for b in r.buttons]


def test_failed_matches_count_the_sixth_look_up_within_the_hour_is_refused(
    chat: Chat, container: Container
) -> None:
    for intento in range(5):
        assert _texto(_nss_de(chat, MARIA, f"intento{intento}@example.com")) == _no_coinciden(container)
    sexta = _nss_de(chat, MARIA, MARIA.email or "")
    _nada_de(MARIA, sexta)
    assert container.engine.text("utter_limite_consultas", minutos=60) in _texto(sexta)


def test_a_sixth_different_curp_the_same_day_is_refused_though_the_hour_passed(
    chat: Chat, container: Container
) -> None:
    reloj = [datetime.now(UTC)]
    actual = servicios().limites
    assert actual is not None
    servicios().limites = Limitador(
        container.sessions, actual.reglas, container.secret_key, ahora=lambda: reloj[0]
    )
    for persona in CON_CORREO[:5]:
        assert persona.nss in _texto(_nss_de(chat, persona, persona.email or ""))
    reloj[0] += timedelta(hours=2)
    sexta = _nss_de(chat, CARMEN, CARMEN.email or "")
    _nada_de(CARMEN, sexta)
    assert "hoy ya no puedo consultar otra CURP" in _texto(sexta)
    # The same people again cost no new CURP.
    assert MARIA.nss in _texto(_nss_de(chat, MARIA, MARIA.email or ""))


def test_another_sender_is_not_limited_by_the_first(chat: Chat, container: Container) -> None:
    for intento in range(6):
        _nss_de(chat, MARIA, f"intento{intento}@example.com")
    otra = Chat(container.engine)
    assert MARIA.nss in _texto(_nss_de(otra, MARIA, MARIA.email or ""))


def test_the_limits_hold_across_two_workers_on_one_database(container: Container) -> None:
    segundo = build_container(container.settings)
    try:
        uno = Chat(container.engine)
        otro = Chat(segundo.engine, conversation_id=uno.conversation_id)
        for intento in range(5):
            # Each worker counts with its own services, on the same database.
            chat, servicios_ = (uno, container.services) if intento % 2 else (otro, segundo.services)
            instalar(servicios_)
            assert _texto(_nss_de(chat, MARIA, f"intento{intento}@example.com")) == _no_coinciden(container)
        instalar(segundo.services)
        sexta = _nss_de(otro, MARIA, MARIA.email or "")
        _nada_de(MARIA, sexta)
        assert "Por seguridad, ya no puedo hacer más consultas" in _texto(sexta)
    finally:
        segundo.db.dispose()
