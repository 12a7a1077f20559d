"""The WhatsApp adapter against a local Graph API stand-in: signed webhooks in, Graph API messages out.

Real NLU, in-process rasa-sdk actions, SQLite; the web app serves /webhooks/whatsapp exactly as
`asistente serve` does. Nothing leaves 127.0.0.1 (the suite's socket guard fails any other address).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from actions.servicios import servicios
from bot.channels import Channels
from bot.channels.graph import GraphApi
from bot.channels.payloads import compact
from bot.channels.whatsapp import MAX_ID, WhatsAppChannel, mask_phone
from bot.container import Container, build_container
from bot.engine import Button, Document, Outgoing
from bot.engine.events import BotUttered
from bot.engine.ports import MessageKey
from bot.web.app import create_app
from bot.web.webhooks import MAX_BODY_BYTES
from tests.channels.botapi import serve_in_thread
from tests.channels.conftest import disposed
from tests.channels.graphapi import (
    APP_SECRET,
    PHONE_NUMBER_ID,
    TOKEN,
    VERIFY_TOKEN,
    WA_ID,
    GraphApiStandIn,
    Sent,
    sign,
)
from tests.channels.test_telegram import rfc_de
from tests.efirma_factory import CaPrueba, crear_fiel
from tests.helpers import make_settings, pdf_text

CONVERSATION = f"whatsapp-{WA_ID}"
PASSWORD = "Ajolote-Rosa-4410"
TEMPLATE = "seguimiento_tramite"


@pytest.fixture
def graph() -> Iterator[GraphApiStandIn]:
    """The Graph API stand-in, served and recording."""
    api = GraphApiStandIn()
    with serve_in_thread(api.app) as url:
        api.url = url
        yield api


def _container(tmp_path: Path, nlu_cache_dir: Path, ca: CaPrueba, graph: GraphApiStandIn) -> Container:
    assert ca.ruta is not None
    settings = make_settings(
        tmp_path / "datos",
        nlu_cache_dir,
        efirma_ca_dir=ca.ruta.parent,
        whatsapp_token=TOKEN,
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_app_secret=APP_SECRET,
        whatsapp_verify_token=VERIFY_TOKEN,
        whatsapp_api_url=graph.url,
        whatsapp_template_seguimiento=TEMPLATE,
    )
    return build_container(settings)


@pytest.fixture
def container(
    tmp_path: Path, nlu_cache_dir: Path, ca: CaPrueba, graph: GraphApiStandIn
) -> Iterator[Container]:
    """The assistant on embedded defaults with WhatsApp pointed at the stand-in."""
    with disposed(_container(tmp_path, nlu_cache_dir, ca, graph)) as built:
        yield built


class WhatsApp:
    """Meta's side of the webhook: posts signed payloads to the app and reads what the stand-in got."""

    def __init__(self, url: str, graph: GraphApiStandIn) -> None:
        self.url = url
        self.graph = graph
        self.client = httpx.Client(base_url=url, timeout=30)

    def post(self, payload: dict[str, Any], signature: str | None = "") -> httpx.Response:
        """POST a webhook body, signed with the app secret unless told otherwise (None: unsigned)."""
        body = json.dumps(payload).encode()
        headers = {"content-type": "application/json"}
        if signature is not None:
            headers["x-hub-signature-256"] = signature or sign(body)
        return self.client.post("/webhooks/whatsapp", content=body, headers=headers)

    def say(self, payload: dict[str, Any], expect: str = "", timeout: float = 30) -> list[Sent]:
        """Post a message; once a reply containing `expect` came and the bot went quiet, the replies."""
        since = len(self.graph.snapshot())
        response = self.post(payload)
        assert response.status_code == 200, response.text
        self.graph.wait_for(
            lambda: any(expect in s.text for s in self.graph.snapshot()[since:]),
            timeout,
            what=f"a reply containing {expect!r}",
        )
        self.graph.settle()
        return self.graph.snapshot()[since:]


@pytest.fixture
def whatsapp(container: Container, graph: GraphApiStandIn) -> Iterator[WhatsApp]:
    """The web app as `asistente serve` runs it, with the WhatsApp webhook."""
    with serve_in_thread(create_app(container)) as url:
        meta = WhatsApp(url, graph)
        yield meta
        meta.client.close()


def textos(sent: list[Sent]) -> str:
    """Every text the person reads, one per line."""
    return "\n".join(s.text for s in sent)


def user_events(container: Container) -> list[dict[str, Any]]:
    """The person's messages as the engine stored them."""
    return [e for e in container.store.stored_events(CONVERSATION) if e.get("event") == "user"]


# ------------------------------------------------------------------------------- the webhook itself


def test_the_verification_challenge_is_echoed_and_a_wrong_token_refused(whatsapp: WhatsApp) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"}
    ok = whatsapp.client.get("/webhooks/whatsapp", params=params)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    wrong = whatsapp.client.get("/webhooks/whatsapp", params={**params, "hub.verify_token": "otro"})
    assert wrong.status_code == 403 and "1158201444" not in wrong.text


def test_unsigned_and_badly_signed_calls_are_refused(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container
) -> None:
    payload = graph.text("hola")
    assert whatsapp.post(payload, signature=None).status_code == 401
    assert whatsapp.post(payload, signature="sha256=" + "0" * 64).status_code == 403
    body = json.dumps(payload).encode()
    other_secret = whatsapp.post(payload, signature=sign(body, "otro-secreto"))
    assert other_secret.status_code == 403
    # Not even a malformed body is read before the signature is checked.
    garbage = whatsapp.client.post("/webhooks/whatsapp", content=b"{no es json", headers={})
    assert garbage.status_code == 401
    graph.settle()
    assert graph.snapshot() == [] and container.store.conversations() == []


def test_an_oversized_body_is_refused(whatsapp: WhatsApp) -> None:
    body = b"{" + b" " * MAX_BODY_BYTES + b"}"
    response = whatsapp.client.post(
        "/webhooks/whatsapp", content=body, headers={"x-hub-signature-256": sign(body)}
    )
    assert response.status_code == 413


def test_a_signed_message_is_answered_through_the_graph_api(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container
) -> None:
    replies = whatsapp.say(graph.text("hola"), "Soy el asistente")
    assert all(s.body["to"] == WA_ID and s.body["messaging_product"] == "whatsapp" for s in replies)
    (conversation,) = container.store.conversations()
    assert (conversation.id, conversation.channel) == (CONVERSATION, "whatsapp")
    # Every message we sent is recorded with its wamid, for the status reports that follow.
    recorded = container.engine.deliveries(CONVERSATION)
    assert len(recorded) == len(replies) and all(s == "accepted" for _, s, _ in recorded)
    assert all(wamid.startswith("wamid.OUT") for wamid, _, _ in recorded)


def test_more_than_three_choices_become_a_list_and_a_row_is_the_persons_answer(
    whatsapp: WhatsApp, graph: GraphApiStandIn
) -> None:
    replies = whatsapp.say(graph.text("hola"), "Soy el asistente")
    (menu,) = [s for s in replies if s.interactive]
    assert menu.interactive == "list"
    rows = menu.choices
    assert 3 < len(rows) <= 10
    assert all(len(r["title"]) <= 24 and len(r["id"]) <= MAX_ID for r in rows)
    assert len(menu.body["interactive"]["action"]["button"]) <= 20
    nss = next(r for r in rows if r["id"] == "/obtener_nss")
    answer = whatsapp.say(graph.list_reply(nss["id"], nss["title"]), "CURP")
    assert "CURP" in textos(answer)


def test_a_redelivered_wamid_is_answered_once(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container
) -> None:
    payload = graph.text("hola")
    first = whatsapp.say(payload, "Soy el asistente")
    since = len(graph.snapshot())
    assert whatsapp.post(payload).status_code == 200
    later = whatsapp.say(graph.text("quiero mi nss"), "CURP")
    assert graph.snapshot()[since:] == later
    assert not any(s.text == first[0].text for s in later)
    wamid = payload["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
    assert [e["message_id"] for e in user_events(container)].count(wamid) == 1


def test_statuses_are_recorded_and_not_answered(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container
) -> None:
    whatsapp.say(graph.text("hola"), "Soy el asistente")
    wamid = container.engine.deliveries(CONVERSATION)[0][0]
    since = len(graph.snapshot())
    for status in ("sent", "delivered", "read"):
        assert whatsapp.post(graph.status(wamid, status)).status_code == 200
    assert whatsapp.post(graph.status(wamid, "failed", code=131026)).status_code == 200
    graph.settle()
    assert graph.snapshot()[since:] == []
    reports = [(w, s, d) for w, s, d in container.engine.deliveries(CONVERSATION) if s != "accepted"]
    assert reports == [
        (wamid, "sent", None),
        (wamid, "delivered", None),
        (wamid, "read", None),
        (wamid, "failed", "131026 Message undeliverable"),
    ]
    assert len(user_events(container)) == 1


def test_a_webhook_for_another_phone_number_is_not_answered(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container
) -> None:
    payload = graph.text("hola")
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    assert whatsapp.post(payload).status_code == 200
    graph.settle()
    assert graph.snapshot() == [] and container.store.conversations() == []


# ------------------------------------------------------------------------------------- trámites


def test_nss_ends_with_the_pdf_uploaded_and_sent_as_a_document(
    whatsapp: WhatsApp, graph: GraphApiStandIn, tmp_path: Path
) -> None:
    persona = servicios().registro.listar_personas(1)[0]
    assert persona.nss is not None
    whatsapp.say(graph.text("oye ocupo mi numero de seguro social"), "CURP")
    whatsapp.say(graph.text(persona.curp), "correo")
    since = len(graph.snapshot())
    whatsapp.say(graph.text(str(persona.email)), persona.nss)
    graph.wait_for(lambda: any(s.type == "document" for s in graph.snapshot()), what="the PDF")
    replies = graph.snapshot()[since:]
    (document,) = [s for s in replies if s.type == "document"]
    (upload,) = graph.uploads
    media_id, filename, data = upload
    assert document.body["document"]["id"] == media_id
    assert document.body["document"]["filename"] == filename and filename.endswith(".pdf")
    assert data.startswith(b"%PDF")
    copy = tmp_path / filename
    copy.write_bytes(data)
    assert persona.nss in pdf_text(copy) and persona.curp in pdf_text(copy)
    # The number is said first, then the document follows.
    said = next(i for i, s in enumerate(replies) if persona.nss in s.text)
    assert said < replies.index(document)


def test_efirma_files_round_trip_into_the_form(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container, ca: CaPrueba
) -> None:
    persona = next(p for p in servicios().registro.listar_personas(50) if p.email)
    rfc = rfc_de(persona.curp)
    cer, key, password = crear_fiel(ca, rfc, persona.curp, persona.nombre_completo.upper(), password=PASSWORD)
    whatsapp.say(graph.text("quiero abrir mi cuenta del escritorio virtual con mi efirma"), "CURP")
    whatsapp.say(graph.text(persona.curp), "RFC")
    whatsapp.say(graph.text(rfc), ".cer")
    whatsapp.say(graph.document("mi_efirma.cer", cer, "application/pkix-cert"), "Recibí tu certificado")
    whatsapp.say(graph.document("Claveprivada_FIEL.key", key, "application/octet-stream"), "contraseña")
    # Each file: its media id looked up (size checked), then downloaded with the bearer token.
    assert len(graph.media_lookups) == 2 and len(graph.downloads) == 2
    replies = whatsapp.say(graph.text(password), "firmó la solicitud")
    assert all(password not in s.text for s in graph.snapshot())
    assert "firmó la solicitud" in textos(replies)
    stored = [e for e in user_events(container) if "attachment" in e["metadata"]]
    assert [e["metadata"]["attachment"]["mime"] for e in stored] == [
        "application/pkix-cert",
        "application/octet-stream",
    ]


def test_a_document_over_64_kb_is_not_downloaded(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container
) -> None:
    replies = whatsapp.say(graph.document("mi_efirma.cer", b"\0" * 70_000, "application/pkix-cert"), "")
    assert textos(replies) == container.engine.text("utter_archivo_no_esperado")
    assert len(graph.media_lookups) == 1 and graph.downloads == []
    (stored,) = user_events(container)
    assert stored["metadata"]["attachment"]["size"] == 70_000


def test_a_voice_note_gets_an_honest_answer(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container
) -> None:
    replies = whatsapp.say(graph.audio(voice=True), "audios")
    assert container.engine.text("utter_media_no_soportada") in textos(replies)
    assert graph.downloads == []
    (stored,) = user_events(container)
    assert stored["metadata"]["media"] == {"kind": "voz", "mime": "audio/ogg; codecs=opus", "size": 3004}


# ------------------------------------------------------------------- errors, window, rendering


def test_graph_api_errors_are_retried_logged_without_contents_and_never_crash_the_webhook(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    graph.fail_next(429, code=130429, retry_after="0")
    replies = whatsapp.say(graph.text("hola"), "Soy el asistente")
    assert graph.refused == ["messages"] and replies
    graph.fail_next(400, code=131047)
    response = whatsapp.post(graph.text("quiero mi nss"))
    assert response.status_code == 200
    graph.wait_for(lambda: any(s == "failed" for _, s, _ in container.engine.deliveries(CONVERSATION)))
    (failure,) = [d for _, s, d in container.engine.deliveries(CONVERSATION) if s == "failed"]
    assert failure is not None and "131047" in failure
    # The next message is answered again: one failed send does not stop the channel.
    whatsapp.say(graph.text("cancelar"), "")
    logged = caplog.text
    assert "131047" in logged
    assert WA_ID not in logged and "quiero mi nss" not in logged and TOKEN not in logged


def _own_channel(container: Container, graph: GraphApiStandIn, **options: Any) -> WhatsAppChannel:
    return WhatsAppChannel(container.engine, GraphApi(graph.url, TOKEN, PHONE_NUMBER_ID), **options)


def test_outside_the_24_hour_window_the_template_is_sent_instead(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container
) -> None:
    whatsapp.say(graph.text("hola"), "Soy el asistente")
    since = len(graph.snapshot())
    tomorrow = time.time() + 25 * 3600
    agent = [Outgoing(text="Hola, soy Laura del IMSS. Ya revisé tu caso.")]

    async def late_reply(**options: Any) -> None:
        channel = _own_channel(container, graph, clock=lambda: tomorrow, **options)
        await channel.deliver(CONVERSATION, agent)
        await channel.aclose()

    asyncio.run(late_reply(template=TEMPLATE))
    (template,) = graph.snapshot()[since:]
    assert template.type == "template" and template.body["template"]["name"] == TEMPLATE
    assert template.body["template"]["language"] == {"code": "es_MX"}
    asyncio.run(late_reply(template=None))
    assert graph.snapshot()[since:] == [template]
    failed = [d for _, s, d in container.engine.deliveries(CONVERSATION) if s == "failed"]
    assert len(failed) == 2 and all(d and "24 h" in d for d in failed)
    assert "plantilla" in (failed[0] or "") and "WHATSAPP_TEMPLATE_SEGUIMIENTO" in (failed[1] or "")
    # Within the window the same reply goes out as it is.
    asyncio.run(_deliver_now(container, graph, agent))
    assert graph.snapshot()[-1].text == agent[0].text


async def _deliver_now(container: Container, graph: GraphApiStandIn, replies: list[Outgoing]) -> None:
    """Send through `Channels.deliver`, which picks the conversation's channel (as agents' replies will)."""
    channels = Channels(whatsapp=_own_channel(container, graph))
    assert await channels.deliver(CONVERSATION, replies)
    # The web chat is not pushed to: its page reads new messages from the API.
    assert not await channels.deliver("web-0123", replies)
    assert channels.whatsapp is not None
    await channels.whatsapp.aclose()


def test_long_texts_many_choices_and_long_payloads_fit_whatsapps_limits(
    whatsapp: WhatsApp, graph: GraphApiStandIn, container: Container, tmp_path: Path
) -> None:
    whatsapp.say(graph.text("hola"), "Soy el asistente")
    since = len(graph.snapshot())
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(b"%PDF-1.4 prueba")
    long_payload = "María de los Ángeles Hernández Villaseñor " * 8
    clinics = tuple(
        Button(f"UMF {n} Clínica de Medicina Familiar Tlalpan", f'/elegir_umf{{"umf": {n}}}')
        for n in range(12)
    )
    replies = [
        Outgoing(text="palabra " * 1500),
        Outgoing(
            text="¿A quién registramos?",
            buttons=(Button("María de los Ángeles Hernández", long_payload), Button("Nadie más", "/negar")),
        ),
        Outgoing(text="¿Cuál clínica prefieres?", buttons=clinics),
        Outgoing(text="Tu comprobante:", document=Document(str(pdf), "comprobante.pdf")),
    ]
    asyncio.run(_deliver_now(container, graph, replies))
    sent = graph.snapshot()[since:]
    assert [s.type for s in sent] == ["text"] * 3 + ["interactive"] * 3 + ["document"]
    assert all(len(s.text) <= 4096 for s in sent[:3])
    assert " ".join(s.text for s in sent[:3]).split() == ["palabra"] * 1500
    assert sent[3].interactive == "button" and sent[3].text == "¿A quién registramos?"
    button, nadie = sent[3].choices
    assert (button["title"], nadie) == ("María de los…", {"id": "/negar", "title": "Nadie más"})
    assert button["id"] == compact(long_payload, MAX_ID) != long_payload
    assert [s.interactive for s in sent[4:6]] == ["list", "list"]
    rows = sent[4].choices + sent[5].choices
    assert [len(sent[4].choices), len(sent[5].choices)] == [10, 2]
    assert all(len(r["title"]) <= 24 for r in rows)
    assert rows[0]["description"] == "UMF 0 Clínica de Medicina Familiar Tlalpan"
    assert sent[6].body["document"]["caption"] == "Tu comprobante:"
    assert graph.uploads[-1][1:] == ("comprobante.pdf", b"%PDF-1.4 prueba")
    # A hashed id is resolved from the bot's stored messages; one sent outside the engine is not there.
    stale = whatsapp.say(graph.button_reply(button["id"], button["title"]), "")
    assert textos(stale) == container.engine.text("utter_boton_no_disponible")
    container.store.receive(MessageKey(CONVERSATION, "whatsapp", "antes", WA_ID), [])
    asked = BotUttered(text="¿A quién registramos?", buttons=(Button("María", long_payload),))
    container.store.finish(MessageKey(CONVERSATION, "whatsapp", "antes"), [asked], snapshot={})
    whatsapp.say(graph.button_reply(button["id"], button["title"]), "")
    assert user_events(container)[-1]["text"] == long_payload


def test_phone_numbers_are_masked_for_logs() -> None:
    assert mask_phone("5215512345678") == "***********78"
    assert mask_phone("whatsapp-5215512345678") == "***********78"
