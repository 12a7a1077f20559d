"""The Telegram adapter against a local Bot API stand-in: real python-telegram-bot polling, real engine.

Real NLU, in-process rasa-sdk actions, SQLite; the web app's lifespan starts the polling exactly as
`asistente serve` does. Nothing leaves 127.0.0.1 (the suite's socket guard fails any other address).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from actions.servicios import servicios
from bot.channels.election import FileElection
from bot.channels.intake import Intake
from bot.channels.telegram import MAX_CALLBACK_BYTES, TelegramChannel, build_bot, callback_data
from bot.channels.telegram_polling import polling
from bot.channels.text import split_text
from bot.container import Container
from bot.engine import Button, Document, Outgoing
from bot.engine.events import BotUttered
from bot.engine.ports import MessageKey
from tests.channels.botapi import BotApi, Call
from tests.efirma_factory import CaPrueba, crear_fiel
from tests.helpers import pdf_text
from tramites.identidad import digito_rfc

CHAT = 424242
CONVERSATION = f"telegram-{CHAT}"
PASSWORD = "Tlacuache-Azul-7731"


def textos(calls: list[Call]) -> str:
    """Every sendMessage text, one per line."""
    return "\n".join(c.text for c in calls if c.method == "sendMessage")


def user_events(container: Container) -> list[dict[str, object]]:
    """The person's messages as the engine stored them."""
    return [e for e in container.store.stored_events(CONVERSATION) if e.get("event") == "user"]


def response(container: Container, name: str) -> str:
    """The text of a domain response."""
    return container.engine.text(name)


# ------------------------------------------------------------------------------------------ turns


def test_start_greets_with_inline_buttons(telegram: BotApi, container: Container) -> None:
    replies = telegram.say(telegram.text(CHAT, "/start"), "Soy el asistente")
    greeting = next(c for c in replies if "Soy el asistente" in c.text)
    assert greeting.params["chat_id"] == CHAT
    assert "/obtener_nss" in greeting.callback_data
    assert all(len(d.encode()) <= MAX_CALLBACK_BYTES for d in greeting.callback_data)
    methods = telegram.methods()
    assert methods[0] == "getMe" and "deleteWebhook" in methods
    (conversation,) = container.store.conversations()
    assert (conversation.id, conversation.channel, conversation.sender) == (
        CONVERSATION,
        "telegram",
        str(CHAT),
    )


def test_nss_flow_ends_with_the_pdf_in_the_chat(telegram: BotApi, tmp_path: Path) -> None:
    persona = servicios().registro.listar_personas(1)[0]
    assert persona.nss is not None
    telegram.say(telegram.text(CHAT, "oye ocupo mi numero de seguro social"), "CURP")
    telegram.say(telegram.text(CHAT, persona.curp), "correo")
    replies = telegram.say(telegram.text(CHAT, str(persona.email)), persona.nss)
    telegram.wait_for(lambda: any(c.method == "sendDocument" for c in telegram.replies()), what="the PDF")
    (sent,) = [c for c in telegram.replies() if c.method == "sendDocument"]
    filename, data = sent.files["document"]
    assert filename.endswith(".pdf") and data.startswith(b"%PDF")
    assert sent.params["chat_id"] == CHAT
    assert persona.nss in textos(replies)
    copy = tmp_path / filename
    copy.write_bytes(data)
    assert persona.nss in pdf_text(copy) and persona.curp in pdf_text(copy)
    # The number is said first, then the document follows.
    sent_in_order = telegram.replies()
    said_nss = next(i for i, c in enumerate(sent_in_order) if persona.nss in c.text)
    assert said_nss < sent_in_order.index(sent)


def test_a_redelivered_update_is_answered_once(telegram: BotApi, container: Container) -> None:
    update = telegram.text(CHAT, "hola")
    first = telegram.say(update, "")
    assert first
    since = telegram.mark()
    telegram.redeliver(update)
    # Updates are handled in order, so once this one is answered the copy was handled too.
    later = telegram.say(telegram.text(CHAT, "quiero mi nss"), "CURP")
    assert telegram.served.count(update["update_id"]) == 2
    assert [c.text for c in later] == [c.text for c in telegram.replies(since)]
    assert not any(c.text == first[0].text for c in later)
    message_id = f"{CHAT}:{update['message']['message_id']}"
    assert [e["message_id"] for e in user_events(container)].count(message_id) == 1


def test_a_tapped_button_is_answered_and_taken_as_the_persons_text(telegram: BotApi) -> None:
    update = telegram.tap(CHAT, "/obtener_nss")
    replies = telegram.say(update, "CURP")
    answers = [c for c in telegram.snapshot() if c.method == "answerCallbackQuery"]
    assert [a.params["callback_query_id"] for a in answers] == [update["callback_query"]["id"]]
    methods = telegram.methods()
    assert methods.index("answerCallbackQuery") < methods.index("sendMessage")
    assert "CURP" in textos(replies)


def test_a_long_payload_travels_as_a_short_hash(telegram: BotApi, container: Container) -> None:
    payload = "María de los Ángeles Hernández Villaseñor " * 3
    data = callback_data(payload)
    assert len(data.encode()) <= MAX_CALLBACK_BYTES < len(payload.encode())
    assert callback_data("/obtener_nss") == "/obtener_nss"
    container.store.receive(MessageKey(CONVERSATION, "telegram", "antes", str(CHAT)), [])
    container.store.finish(
        MessageKey(CONVERSATION, "telegram", "antes"),
        [BotUttered(text="¿A quién registramos?", buttons=(Button("María", payload),))],
        snapshot={},
    )
    telegram.say(telegram.tap(CHAT, data), "")
    assert user_events(container)[-1]["text"] == payload
    stale = telegram.say(telegram.tap(CHAT, callback_data("otro botón " * 10)), "ya no está disponible")
    assert textos(stale) == response(container, "utter_boton_no_disponible")


# ----------------------------------------------------------------------------------------- e.firma


def rfc_de(curp: str) -> str:
    """A well-formed RFC (valid check digit) for a persona física with that CURP."""
    base = curp[:10] + "K7"
    return base + digito_rfc(base)


@pytest.mark.parametrize("can_delete", [True, False], ids=["deleted", "not-deletable"])
def test_efirma_password_message_is_deleted_before_the_reply(
    telegram: BotApi, container: Container, ca: CaPrueba, can_delete: bool
) -> None:
    telegram.can_delete = can_delete
    persona = next(p for p in servicios().registro.listar_personas(50) if p.email)
    rfc = rfc_de(persona.curp)
    cer, key, password = crear_fiel(ca, rfc, persona.curp, persona.nombre_completo.upper(), password=PASSWORD)
    telegram.say(telegram.text(CHAT, "quiero abrir mi cuenta del escritorio virtual con mi efirma"), "CURP")
    telegram.say(telegram.text(CHAT, persona.curp), "RFC")
    telegram.say(telegram.text(CHAT, rfc), ".cer")
    telegram.say(
        telegram.document(CHAT, "mi_efirma.cer", cer, "application/pkix-cert"), "Recibí tu certificado"
    )
    key_update = telegram.document(CHAT, "Claveprivada_FIEL.key", key, "application/octet-stream")
    telegram.say(key_update, "contraseña")
    assert len(telegram.downloads) == 2

    since = telegram.mark()
    update = telegram.text(CHAT, password)
    replies = telegram.say(update, "firmó la solicitud")
    calls = [c for c in telegram.snapshot()[since:] if c.method != "getUpdates"]
    assert calls[0].method == "deleteMessage", [c.method for c in calls]
    assert calls[0].params == {"chat_id": CHAT, "message_id": update["message"]["message_id"]}
    said = textos(replies)
    deleted = response(container, "utter_contrasena_borrada")
    not_deleted = response(container, "utter_contrasena_no_borrada")
    if can_delete:
        assert deleted in said and not_deleted not in said
    else:
        # Telegram refused: the person is told to delete it, never that it is gone.
        assert not_deleted in said and deleted not in said
    assert all(password not in c.text for c in telegram.replies())


def test_a_document_over_64_kb_is_refused_without_downloading(telegram: BotApi, container: Container) -> None:
    update = telegram.document(
        CHAT, "mi_efirma.cer", b"\0" * 70_000, "application/pkix-cert", file_size=70_000
    )
    # Outside a trámite no file is needed, whatever its size; not a byte of it is fetched.
    replies = telegram.say(update, "no lo necesito")
    assert textos(replies) == response(container, "utter_archivo_no_esperado")
    assert "getFile" not in telegram.methods() and telegram.downloads == []
    (stored,) = user_events(container)
    assert stored["metadata"]["attachment"]["size"] == 70_000  # type: ignore[index]


def test_a_photo_gets_an_honest_answer_and_is_recorded_by_type(
    telegram: BotApi, container: Container
) -> None:
    update = telegram.photo(CHAT)
    replies = telegram.say(update, "archivo tal cual")
    assert response(container, "utter_media_no_soportada") in textos(replies)
    assert response(container, "utter_foto_de_documento") in textos(replies)
    assert "getFile" not in telegram.methods()
    (stored,) = user_events(container)
    assert stored["metadata"]["media"]["kind"] == "foto"  # type: ignore[index]
    # A redelivered photo is not answered twice either.
    since = telegram.mark()
    telegram.redeliver(update)
    telegram.say(telegram.text(CHAT, "hola"), "")
    assert response(container, "utter_media_no_soportada") not in textos(telegram.replies(since))


# ------------------------------------------------------------------------- the adapter on its own


def test_the_poller_runs_without_the_web_app(container: Container, botapi: BotApi, tmp_path: Path) -> None:
    async def scenario() -> None:
        channel = TelegramChannel(container.engine, build_bot(botapi.token, botapi.url + "/"))
        await channel.start()
        election = FileElection(tmp_path / "poller.lock")
        async with polling(channel, Intake(), election, poll_timeout=0.5):
            botapi.push(botapi.text(CHAT, "/start"))
            deadline = time.monotonic() + 30
            while not botapi.replies() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        await channel.stop()

    asyncio.run(scenario())
    assert "Soy el asistente" in textos(botapi.replies())


def test_long_replies_are_split_and_buttons_go_last(
    container: Container, botapi: BotApi, tmp_path: Path
) -> None:
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(b"%PDF-1.4 prueba")
    replies = [
        Outgoing(text="palabra " * 1500, buttons=(Button("Sí", "/afirmar"), Button("No", "/negar"))),
        Outgoing(buttons=(Button("Ayuda", "/ayuda"),)),
        Outgoing(text="Tu comprobante:", document=Document(str(pdf), "comprobante.pdf")),
    ]

    async def scenario() -> None:
        async with build_bot(botapi.token, botapi.url) as bot:
            await TelegramChannel(container.engine, bot).deliver(CONVERSATION, replies)

    asyncio.run(scenario())
    sent = botapi.replies()
    assert [c.method for c in sent] == ["sendMessage"] * 5 + ["sendDocument"]
    assert all(len(c.text) <= 4096 for c in sent)
    assert " ".join(c.text for c in sent[:3]).split() == ["palabra"] * 1500
    assert [c.callback_data for c in sent[:3]] == [[], [], ["/afirmar", "/negar"]]
    assert sent[3].text == "Elige una opción:" and sent[3].callback_data == ["/ayuda"]
    assert sent[4].text == "Tu comprobante:" and sent[4].callback_data == []
    assert sent[5].files["document"] == ("comprobante.pdf", b"%PDF-1.4 prueba")


def test_split_text_counts_utf16_and_cuts_at_spaces() -> None:
    assert split_text("hola") == ["hola"]
    assert split_text("") == [""]
    emojis = split_text("😀" * 3000)
    assert [len(p) for p in emojis] == [2048, 952]
    words = split_text("uno dos tres cuatro", limit=9)
    assert words == ["uno dos", "tres", "cuatro"]


# ------------------------------------------------------------------ safety: groups, 429, claims


def test_the_commands_are_registered_at_start(telegram: BotApi, container: Container) -> None:
    (registered,) = [c for c in telegram.snapshot() if c.method == "setMyCommands"]
    commands = registered.params["commands"]
    assert [c["command"] for c in commands] == ["start", "ayuda", "cancelar"]
    assert commands[1]["description"] == response(container, "utter_comando_ayuda")


def test_a_group_message_gets_the_write_in_private_reply_and_nothing_is_stored(
    telegram: BotApi, container: Container
) -> None:
    group = -100_200_300
    replies = telegram.say(
        telegram.group_text(group, "quiero mi nss, mi curp es XIQB891116MGRMZR05"), "privado"
    )
    (notice,) = replies
    assert notice.params["chat_id"] == group
    assert (
        notice.text == response(container, "utter_escribe_en_privado") + "\nhttps://t.me/asistente_imss_bot"
    )
    supergroup = telegram.say(telegram.group_text(group - 1, "/start", "supergroup"), "privado")
    assert len(supergroup) == 1
    assert container.store.conversations() == []


def test_a_429_retry_after_is_waited_out(telegram: BotApi) -> None:
    telegram.flood["sendMessage"] = 1
    telegram.push(telegram.text(CHAT, "/start"))

    def greetings() -> list[Call]:
        return [c for c in telegram.replies() if "Soy el asistente" in c.text]

    telegram.wait_for(lambda: len(greetings()) >= 2, what="the greeting sent again")
    telegram.settle()
    # The refused message was sent again once the wait was over, and only once.
    refused, sent = greetings()
    assert refused.text == sent.text and refused.params == sent.params


def test_an_update_is_confirmed_only_after_it_is_durably_claimed(
    telegram: BotApi, container: Container
) -> None:
    confirmed: list[tuple[str, bool]] = []

    def on_confirm(update: dict[str, Any]) -> None:
        message_id = f"{CHAT}:{update['message']['message_id']}"
        confirmed.append((message_id, container.store.claim_of("telegram", message_id) is not None))

    telegram.on_confirm = on_confirm
    for text in ("hola", "quiero mi nss", "cancelar"):
        telegram.say(telegram.text(CHAT, text), "")
    telegram.wait_for(lambda: len(confirmed) >= 2, what="two confirmations")
    assert confirmed and all(claimed for _, claimed in confirmed)


def test_a_document_is_fetched_through_get_file(telegram: BotApi, container: Container) -> None:
    telegram.say(telegram.document(CHAT, "mi_efirma.cer", b"0" * 100, "application/pkix-cert"), "")
    assert "getFile" in telegram.methods()
    (path,) = telegram.downloads
    assert path.endswith("mi_efirma.cer")


def test_two_pollers_on_one_lock_elect_one(tmp_path: Path) -> None:
    first, second = FileElection(tmp_path / "p.lock"), FileElection(tmp_path / "p.lock")
    assert first.try_acquire() and not second.try_acquire()
    first.release()
    assert second.try_acquire()
    second.release()
