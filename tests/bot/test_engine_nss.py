"""Whole NSS conversations through the engine (real NLU, in-process rasa-sdk actions, SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from actions.servicios import servicios
from bot.container import Container
from tests.helpers import Chat, pdf_text

NOT_REGISTERED_CURP = "CACX760510MGTSHC04"


def _persona(container: Container):
    return servicios().registro.listar_personas(1)[0]


def test_nss_conversation_gives_number_and_pdf(chat: Chat, container: Container) -> None:
    persona = _persona(container)
    assert "CURP" in chat.say("oye ocupo mi numero de seguro social")
    assert "correo" in chat.say(persona.curp).lower()
    replies = chat.send(persona.email)
    texts = "\n".join(r.text for r in replies)
    assert persona.nss in texts
    document = next(r.document for r in replies if r.document is not None)
    assert document.mime == "application/pdf"
    content = pdf_text(document.path)
    assert "Comprobante de Número de Seguridad Social" in content
    assert persona.nss in content and persona.curp in content
    assert persona.nombre_completo in content
    tracker = container.engine.tracker(chat.conversation_id)
    assert tracker.slots["nss"] == persona.nss
    assert tracker.active_loop is None


def test_curp_and_email_in_one_message_are_not_asked_again(chat: Chat, container: Container) -> None:
    persona = _persona(container)
    replies = chat.send(f"mi curp es {persona.curp} y mi correo es {persona.email}, quiero mi nss")
    texts = "\n".join(r.text for r in replies)
    assert persona.nss in texts
    assert "¿Cuál es tu CURP" not in texts
    assert any(r.document for r in replies)


def test_opening_with_curp_only_asks_for_email(chat: Chat, container: Container) -> None:
    persona = _persona(container)
    reply = chat.say(f"mi curp es {persona.curp}, quiero mi nss")
    assert "correo" in reply.lower()
    assert "CURP?" not in reply


def test_short_curp_is_explained_and_the_chat_goes_on(chat: Chat, container: Container) -> None:
    persona = _persona(container)
    chat.say("quiero mi nss")
    reply = chat.say(persona.curp[:17])
    assert "Tu CURP tiene 17 caracteres; debe tener 18." in reply
    assert container.engine.tracker(chat.conversation_id).active_loop == "nss_form"
    assert "correo" in chat.say(persona.curp).lower()


def test_wrong_check_digit_is_named(chat: Chat) -> None:
    chat.say("necesito mi numero de seguridad social")
    reply = chat.say("XIQB891116MGRMZR06")
    assert "dígito verificador" in reply


def test_mistyped_curp_in_opening_message_is_explained(chat: Chat) -> None:
    reply = chat.say("mi curp es XIQB891116MGRMZR0 quiero mi nss")
    assert "17 caracteres" in reply


def test_bad_email_is_explained(chat: Chat, container: Container) -> None:
    persona = _persona(container)
    chat.say("quiero mi nss")
    chat.say(persona.curp)
    reply = chat.say("anacorreo.com")
    assert "@" in reply
    assert container.engine.tracker(chat.conversation_id).slots["email"] is None


def test_curp_without_record_hears_what_to_do_and_nothing_about_the_record(
    chat: Chat, container: Container
) -> None:
    chat.say("quiero mi nss")
    chat.say(NOT_REGISTERED_CURP)
    reply = chat.say("ana@example.com")
    assert reply == container.engine.text("utter_datos_no_coinciden")
    assert NOT_REGISTERED_CURP not in reply


def test_cancel_leaves_the_form(chat: Chat, container: Container) -> None:
    chat.say("quiero mi nss")
    assert "cancelé" in chat.say("cancelar")
    assert container.engine.tracker(chat.conversation_id).active_loop is None
    assert "No tienes ningún trámite" in chat.say("cancelar")


def test_redelivered_message_is_answered_once(chat: Chat, container: Container) -> None:
    first = chat.send("hola", message_id="update-42")
    second = chat.send("hola", message_id="update-42")
    assert first and not second
    users = [e for e in container.store.stored_events(chat.conversation_id) if e["event"] == "user"]
    assert len(users) == 1


def test_long_message_is_refused_and_form_survives(chat: Chat, container: Container) -> None:
    chat.say("quiero mi nss")
    reply = chat.say("a" * 10_000)
    assert "muy largo" in reply
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop == "nss_form" and state.requested_slot == "curp"
    assert any(
        e["event"] == "user" and len(e["text"]) == 10_000
        for e in container.store.stored_events(chat.conversation_id)
    )


def test_unbuilt_tramite_gets_guidance(chat: Chat) -> None:
    reply = chat.say("como saco cita con mi doctor familiar")
    assert "cita" in reply.lower() and "IMSS Digital" in reply


def test_low_confidence_offers_choices(chat: Chat) -> None:
    replies = chat.send("lo del papel ese")
    assert replies[0].text == "¿Quisiste decir una de estas?"
    assert 1 <= len(replies[0].buttons) <= 3
    assert all(b.payload.startswith("/") for b in replies[0].buttons)
    follow = chat.send(replies[0].buttons[0].payload)
    assert follow and follow[0].text != "¿Quisiste decir una de estas?"


def test_handoff_pauses_the_bot_until_resumed(chat: Chat, container: Container) -> None:
    # A Monday at 11:00 in Mexico City: agents are in (the queue's answers depend on office hours).
    container.mesa.poner_reloj(lambda: datetime(2026, 11, 30, 17, 0, tzinfo=UTC))
    assert "lugar 1" in chat.say("quiero hablar con una persona de verdad")
    # While waiting the bot does not chat, but a message is never met with silence: one short notice.
    assert "Sigues en la fila" in chat.say("sigo esperando")
    assert chat.send("hola?") == []
    assert container.engine.tracker(chat.conversation_id).paused
    assert "de nuevo estás conmigo" in chat.say("volver al asistente")


def test_restart_in_the_middle_of_a_form_resumes_it(tmp_path, nlu_cache_dir) -> None:
    from actions.servicios import instalar
    from bot.container import build_container
    from tests.helpers import make_settings

    settings = make_settings(tmp_path / "datos", nlu_cache_dir)
    first = build_container(settings)
    persona = servicios().registro.listar_personas(1)[0]
    assert persona.nss is not None
    chat = Chat(first.engine, "reinicio-1")
    chat.say("ocupo mi nss")
    chat.say(persona.curp)
    first.db.dispose()
    instalar(None)

    second = build_container(make_settings(tmp_path / "datos", nlu_cache_dir))
    resumed = Chat(second.engine, "reinicio-1")
    reply = resumed.say(str(persona.email))
    assert persona.nss in reply
    second.db.dispose()
    instalar(None)


def test_telegram_start_command_greets(chat: Chat) -> None:
    replies = chat.send("/start")
    assert replies[0].text.startswith("¡Hola!")
    assert any(b.payload == "/obtener_nss" for b in replies[0].buttons)


def test_entity_reserved_for_the_requested_slot_fills_nothing_else(chat: Chat, container: Container) -> None:
    persona = _persona(container)
    assert persona.nss is not None
    chat.say("quiero registrar a mi hijo como beneficiario")
    chat.say(persona.curp)
    chat.say(persona.nss)
    chat.say(str(persona.email))
    chat.say("Hija(o)")
    child = "CAHS120520MDFSRFA3"
    chat.say(f"su curp es {child}")
    events = container.store.stored_events(chat.conversation_id)
    assert {"event": "slot", "name": "beneficiario_curp", "value": child} in [
        {k: e.get(k) for k in ("event", "name", "value")} for e in events
    ]
    # The relative's CURP never touched the titular's slot, not even as a candidate.
    assert not any(e["event"] == "slot" and e["name"] == "curp" and e["value"] == child for e in events)
    assert container.engine.tracker(chat.conversation_id).slots["curp"] == persona.curp


def test_a_bad_value_in_the_opening_message_is_the_only_question(chat: Chat, container: Container) -> None:
    replies = chat.send("quiero mi constancia de vigencia, mi nss es 0107887100")
    questions = [r.text for r in replies if "?" in r.text]
    assert len(questions) == 1, questions
    # The validator explains; the engine then asks for that same value, and nothing else.
    assert "10 dígitos" in "\n".join(r.text for r in replies) and "NSS" in questions[0]
    assert container.engine.tracker(chat.conversation_id).requested_slot == "nss"


def test_concurrent_messages_of_one_conversation_take_turns(container: Container) -> None:
    import asyncio

    from bot.engine import Incoming

    async def both() -> list[list[Any]]:
        first = Incoming("simultaneo", "web", "ana", "m-1", text="quiero mi nss")
        second = Incoming("simultaneo", "web", "ana", "m-2", text="XIQB891116MGRMZR05")
        return list(await asyncio.gather(container.engine.handle(first), container.engine.handle(second)))

    replies = asyncio.run(both())
    assert "CURP" in replies[0][0].text
    assert "correo" in replies[1][-1].text.lower()
    events = container.store.stored_events("simultaneo")
    assert [e["text"] for e in events if e["event"] == "user"] == ["quiero mi nss", "XIQB891116MGRMZR05"]
