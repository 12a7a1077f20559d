"""At most 30 messages a minute per sender: the rest are answered with a wait, never read, never stored.

Also the upkeep every turn does: held files past their 10 minutes and old rate-limit counts are forgotten
on any conversation's turn, without a new upload.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from actions.servicios import ZONA, servicios
from bot.container import Container
from bot.engine import Incoming
from tests.efirma_factory import directorio_fixtures
from tests.helpers import Chat
from tramites.efirma.custodia import ArchivoCustodiadoRow
from tramites.limites import EventoLimiteRow, Limitador

LIMITE = 30
ESPERA = "Me llegaron muchos mensajes tuyos en muy poco tiempo"


class Reloj:
    """The services' clock (the limits follow it), moved by hand."""

    def __init__(self) -> None:
        self.ahora = datetime.now(ZONA)

    def __call__(self) -> datetime:
        return self.ahora


@pytest.fixture
def reloj(container: Container) -> Reloj:
    """A clock that stands still unless the test moves it."""
    nuevo = Reloj()
    servicios().ahora = nuevo
    return nuevo


def llenar(chat: Chat, n: int = LIMITE) -> None:
    """Use up the sender's messages of this minute with plain greetings."""
    for _ in range(n):
        assert ESPERA not in chat.say("hola")


def test_the_31st_message_in_a_minute_is_answered_with_a_wait_and_not_read(
    container: Container, chat: Chat, reloj: Reloj
) -> None:
    llenar(chat)
    respuesta = chat.say("quiero mi numero de seguridad social, mi curp es XIQB891116MGRMZR05")
    assert ESPERA in respuesta and "60 segundos" in respuesta
    # Not read: no trámite started, the text is nowhere in the log.
    estado = container.engine.tracker(chat.conversation_id)
    assert estado.active_loop is None and estado.slots.get("curp") is None
    eventos = json.dumps(container.store.stored_events(chat.conversation_id), ensure_ascii=False)
    assert "XIQB891116MGRMZR05" not in eventos and ESPERA not in eventos
    reloj.ahora += timedelta(seconds=61)
    assert "CURP" in chat.say("quiero mi numero de seguridad social")


def test_the_limit_is_per_sender_not_per_conversation(container: Container, reloj: Reloj) -> None:
    llenar(Chat(container.engine), 20)
    llenar(Chat(container.engine), 10)
    # Same sender ("persona") in a third conversation: over the limit.
    assert ESPERA in Chat(container.engine).say("hola")
    otra = Incoming(
        conversation_id="otra-persona", channel="terminal", sender="otra", message_id="m-1", text="hola"
    )
    assert ESPERA not in asyncio.run(container.engine.handle(otra))[0].text


def test_a_redelivered_message_gets_its_first_replies_even_over_the_limit(
    container: Container, chat: Chat, reloj: Reloj
) -> None:
    primera = chat.send("hola", message_id="repetido-1")
    llenar(chat, LIMITE - 1)
    incoming = Incoming(
        conversation_id=chat.conversation_id,
        channel="terminal",
        sender="persona",
        message_id="repetido-1",
        text="hola",
    )
    again = asyncio.run(container.engine.handle(incoming, resend=True))
    assert [r.text for r in again] == [r.text for r in primera]
    assert asyncio.run(container.engine.handle(incoming)) == []
    # The redeliveries were not counted as new messages, and a new one is over the limit.
    assert ESPERA in chat.say("hola")


def test_a_refused_message_can_be_sent_again_with_the_same_id_later(
    container: Container, chat: Chat, reloj: Reloj
) -> None:
    llenar(chat)
    assert ESPERA in chat.send("quiero mi nss", message_id="tarde-1")[0].text
    reloj.ahora += timedelta(seconds=61)
    # Nothing was claimed for the refused message: its redelivery is read as a new message.
    assert "CURP" in "\n".join(r.text for r in chat.send("quiero mi nss", message_id="tarde-1"))


def test_a_failing_limit_lets_the_message_through(
    container: Container, chat: Chat, monkeypatch: pytest.MonkeyPatch
) -> None:
    limites = servicios().limites
    assert limites is not None

    def falla(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("database is gone")

    monkeypatch.setattr(limites, "intentar", falla)
    assert "CURP" in chat.say("quiero mi nss")


def test_a_held_file_older_than_ten_minutes_is_gone_after_another_conversations_turn(
    container: Container,
) -> None:
    vault = servicios().vault
    assert vault is not None
    cer = (directorio_fixtures() / "satcfdi" / "xiqb891116qe4.cer").read_bytes()
    vault.now = lambda: datetime.now(ZONA) - timedelta(minutes=11)
    held = vault.hold("quien-subio", "mi.cer", cer, len(cer))
    vault.now = lambda: datetime.now(ZONA)
    assert held.id is not None and vault.count("quien-subio") == 1
    Chat(container.engine).say("hola")
    with container.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ArchivoCustodiadoRow)) == 0


def test_old_rate_limit_counts_are_purged_by_a_turn(container: Container) -> None:
    limites = servicios().limites
    assert limites is not None
    antes = Limitador(
        container.sessions,
        limites.reglas,
        container.secret_key,
        ahora=lambda: datetime.now(ZONA) - timedelta(days=2),
    )
    for n in range(5):
        antes.intentar("curps_distintas", "alguien", f"CURP{n}")
    Chat(container.engine).say("hola")
    with container.sessions() as s:
        viejos = s.scalar(
            select(func.count())
            .select_from(EventoLimiteRow)
            .where(EventoLimiteRow.regla == "curps_distintas")
        )
        nuevos = s.scalar(
            select(func.count()).select_from(EventoLimiteRow).where(EventoLimiteRow.regla == "mensajes")
        )
    assert viejos == 0 and nuevos == 1
