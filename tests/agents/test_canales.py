"""The same handoff on Telegram and WhatsApp: queued, the bot quiet, the agent's reply and the waiting
reminder reach the person through the local Bot API and Graph API stand-ins."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from actions.servicios import instalar
from bot.container import Container
from bot.engine import Outgoing
from bot.web.app import create_app
from tests.agents.conftest import PASSWORD, Agente, Reloj, build, entrar
from tests.channels.botapi import BotApi, serve_in_thread
from tests.channels.graphapi import APP_SECRET, PHONE_NUMBER_ID, TOKEN, VERIFY_TOKEN, WA_ID, GraphApiStandIn
from tests.channels.test_whatsapp import WhatsApp

CHAT = 4242


def _con_cuenta(built: Container) -> Container:
    built.mesa.cuentas.crear("ana", "agente", PASSWORD)
    return built


@pytest.fixture
def telegram(
    tmp_path: Path, nlu_cache_dir: Path, reloj: Reloj, botapi: BotApi
) -> Iterator[tuple[Container, str]]:
    """The app polling the Bot API stand-in, with the desk."""
    built = _con_cuenta(
        build(tmp_path, nlu_cache_dir, reloj, telegram_token=botapi.token, telegram_api_url=botapi.url)
    )
    try:
        with serve_in_thread(create_app(built)) as url:
            botapi.wait_for(lambda: "getUpdates" in [c.method for c in botapi.snapshot()], what="polling")
            yield built, url
    finally:
        instalar(None)
        built.db.dispose()


@pytest.fixture
def whatsapp(
    tmp_path: Path, nlu_cache_dir: Path, reloj: Reloj, graph: GraphApiStandIn
) -> Iterator[tuple[Container, WhatsApp]]:
    """The app with the WhatsApp webhook and the Graph API stand-in, with the desk."""
    built = _con_cuenta(
        build(
            tmp_path,
            nlu_cache_dir,
            reloj,
            whatsapp_token=TOKEN,
            whatsapp_phone_number_id=PHONE_NUMBER_ID,
            whatsapp_app_secret=APP_SECRET,
            whatsapp_verify_token=VERIFY_TOKEN,
            whatsapp_api_url=graph.url,
        )
    )
    try:
        with serve_in_thread(create_app(built)) as url:
            meta = WhatsApp(url, graph)
            yield built, meta
            meta.client.close()
    finally:
        instalar(None)
        built.db.dispose()


def _agente(url: str) -> Agente:
    agente, respuesta = entrar(url, "ana")
    assert respuesta.status_code == 303
    return agente


def test_telegram_handoff_agent_reply_and_hand_back(
    telegram: tuple[Container, str], botapi: BotApi, reloj: Reloj
) -> None:
    _container, url = telegram
    enviado = botapi.say(botapi.text(CHAT, "quiero hablar con un agente"), expect="lugar 1")
    assert any("Seguir con el asistente" in str(c.params.get("reply_markup")) for c in enviado)
    agente = _agente(url)
    [fila] = agente.lista()
    assert (fila["channel"], fila["status"]) == ("telegram", "esperando")
    ref = fila["id"]
    assert str(CHAT) not in ref  # the chat id stays out of the console's links
    desde = botapi.mark()
    respuesta = agente.api(
        "POST", f"/api/agentes/conversaciones/{ref}/mensajes", json={"text": "Hola, soy Ana del IMSS."}
    )
    assert respuesta.status_code == 201
    botapi.wait_for(
        lambda: any(c.text == "Hola, soy Ana del IMSS." for c in botapi.replies(desde)), what="the reply"
    )
    textos = [c.text for c in botapi.replies(desde)]
    assert textos[0].startswith("Hola, te atiende ana") and textos[-1] == "Hola, soy Ana del IMSS."
    assert all(c.params.get("chat_id") in (CHAT, str(CHAT)) for c in botapi.replies(desde))
    # The bot stays quiet while the agent has the conversation.
    desde = botapi.mark()
    botapi.push(botapi.text(CHAT, "gracias, le explico"))
    botapi.settle(quiet=1.0)
    assert botapi.replies(desde) == []
    assert agente.api("POST", f"/api/agentes/conversaciones/{ref}/devolver", json={}).status_code == 200
    botapi.wait_for(lambda: any("Te regreso con el asistente" in c.text for c in botapi.replies(desde)))
    assert botapi.say(botapi.text(CHAT, "hola"), expect="Soy el asistente")
    agente.client.close()


def test_telegram_reminder_reaches_the_person_once(
    telegram: tuple[Container, str], botapi: BotApi, reloj: Reloj
) -> None:
    container, _url = telegram
    botapi.say(botapi.text(CHAT, "quiero hablar con un agente"), expect="lugar 1")
    recordatorios = container.mesa.recordatorios

    async def ronda() -> int:
        # Delivered as the app's periodic task does: through the Telegram adapter.
        from bot.channels.telegram import TelegramChannel, build_bot

        canal = TelegramChannel(container.engine, build_bot(botapi.token, botapi.url))
        await canal.bot.initialize()

        async def entregar(cid: str, mensajes: Sequence[Outgoing]) -> bool:
            await canal.deliver(cid, mensajes)
            return True

        try:
            return await recordatorios.ronda(entregar)
        finally:
            await canal.bot.shutdown()

    desde = botapi.mark()
    reloj.avanzar(minutes=10, seconds=1)
    assert asyncio.run(ronda()) == 1
    assert asyncio.run(ronda()) == 0
    recordados = [c for c in botapi.replies(desde) if c.text.startswith("Sigo aquí contigo")]
    assert len(recordados) == 1 and "lugar 1" in recordados[0].text


def test_whatsapp_handoff_agent_reply_reaches_the_graph_api(
    whatsapp: tuple[Container, WhatsApp], graph: GraphApiStandIn
) -> None:
    _container, meta = whatsapp
    enviado = meta.say(graph.text("quiero hablar con un agente"), expect="lugar 1")
    assert any("lugar 1" in s.text for s in enviado)
    agente = _agente(meta.url)
    [fila] = agente.lista()
    assert (fila["channel"], fila["status"]) == ("whatsapp", "esperando")
    # The conversation's id carries the phone number: it never shows in the console.
    assert WA_ID not in str(agente.lista()) and WA_ID not in agente.client.get("/agentes").text
    desde = len(graph.snapshot())
    respuesta = agente.api(
        "POST", f"/api/agentes/conversaciones/{fila['id']}/mensajes", json={"text": "Hola, soy Ana."}
    )
    assert respuesta.status_code == 201
    graph.wait_for(
        lambda: any(s.text == "Hola, soy Ana." for s in graph.snapshot()[desde:]), what="the reply"
    )
    textos = [s.text for s in graph.snapshot()[desde:]]
    assert textos[0].startswith("Hola, te atiende ana") and "Hola, soy Ana." in textos
    # Handing back: the person hears it, and the bot answers the next message.
    assert (
        agente.api("POST", f"/api/agentes/conversaciones/{fila['id']}/devolver", json={}).status_code == 200
    )
    graph.wait_for(lambda: any("Te regreso con el asistente" in s.text for s in graph.snapshot()[desde:]))
    assert any("Soy el asistente" in s.text for s in meta.say(graph.text("hola"), expect="Soy el asistente"))
    agente.client.close()
