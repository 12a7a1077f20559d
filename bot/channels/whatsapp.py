"""WhatsApp Cloud API adapter: webhook messages in, Graph API messages out (httpx, bot/channels/graph.py).

How a webhook message becomes an `Incoming`:

- conversation ``whatsapp-{wa_id}`` (one per person), sender the wa_id, message id the wamid, so a
  redelivered wamid is answered once, whichever worker receives it (the claim is in the database);
- text is text; a tapped reply button or list row is its id, which is the payload we set (a payload
  longer than WhatsApp's 256 characters travels as a hash resolved from the stored conversation);
- a document is fetched by media id → URL, its size checked before a byte is downloaded (at most 64 KB:
  e.firma files are about 2 KB); a bigger one reaches the engine without data, which then says the limit;
- audio, voice notes, images, stickers, videos, locations and contacts reach the engine as `Media`
  (type and size only), which it answers honestly;
- a status (sent, delivered, read, failed) of one of our messages is recorded, never answered.

Replies: text split at 4,096 characters; up to 3 buttons as reply buttons (titles of at most 20
characters), more as a list (rows of at most 24 characters, the whole option as its description); a PDF
is uploaded as media and sent as a document with its caption. Every wamid we get back is recorded.

WhatsApp allows free-form messages only within 24 hours of the person's last message. Outside that
window (an agent's late reply, a reminder) the adapter sends the approved template
`WHATSAPP_TEMPLATE_SEGUIMIENTO` instead, or, without one, sends nothing and records the failure.
Phone numbers are never logged in clear.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.channels.graph import GraphApi, GraphError
from bot.channels.intake import Intake, OnReceived, answer
from bot.channels.payloads import compact, is_hashed, resolve
from bot.channels.text import shorten, split_text
from bot.engine import UPLOAD_LIMIT_BYTES, Attachment, Button, Document, Engine, Incoming, Media, Outgoing

__all__ = [
    "CHANNEL",
    "MAX_DOWNLOAD_BYTES",
    "WINDOW_SECONDS",
    "Status",
    "WhatsAppChannel",
    "conversation_id",
    "mask_phone",
    "read_payload",
    "signature_ok",
]

logger = logging.getLogger(__name__)

CHANNEL = "whatsapp"
MAX_DOWNLOAD_BYTES = UPLOAD_LIMIT_BYTES
MAX_TEXT = 4096
MAX_BODY = 1024
MAX_CAPTION = 1024
MAX_REPLY_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_ID = 256
#: The customer-service window: free-form messages only this long after the person's last message.
WINDOW_SECONDS = 24 * 3600

#: WhatsApp's message types for media we cannot read, and how the engine calls them.
_MEDIA: dict[str, Media] = {
    "audio": Media("audio"),
    "image": Media("foto"),
    "sticker": Media("sticker"),
    "video": Media("video"),
    "location": Media("ubicacion"),
    "contacts": Media("contacto"),
}
#: Types that need no answer: a reaction to a message, a change of the person's number.
_IGNORED = frozenset({"reaction", "system", "ephemeral", "request_welcome"})


def conversation_id(wa_id: str) -> str:
    """The engine's conversation id for a WhatsApp user."""
    return f"{CHANNEL}-{wa_id}"


def mask_phone(number: str) -> str:
    """A phone number (or a conversation id holding one) fit for a log: the last two digits only."""
    digits = number.removeprefix(f"{CHANNEL}-")
    return "*" * max(len(digits) - 2, 0) + digits[-2:]


def signature_ok(app_secret: str, body: bytes, header: str) -> bool:
    """Whether `X-Hub-Signature-256` is the HMAC-SHA256 of the raw body with the app secret."""
    expected = "sha256=" + hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), header.strip().encode("utf-8", "replace"))


@dataclass(frozen=True)
class Status:
    """A status report of one of our messages."""

    conversation_id: str
    wamid: str
    status: str
    detail: str | None = None


def _dicts(value: object) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _status(raw: dict[str, Any]) -> Status | None:
    wamid, status, recipient = raw.get("id"), raw.get("status"), raw.get("recipient_id")
    if not (isinstance(wamid, str) and isinstance(status, str) and recipient):
        return None
    errors = _dicts(raw.get("errors"))
    detail = " ".join(f"{e.get('code', '')} {e.get('title', '')}".strip() for e in errors) or None
    return Status(conversation_id(str(recipient)), wamid, status, detail)


def read_payload(payload: object, phone_number_id: str) -> tuple[list[dict[str, Any]], list[Status]]:
    """The messages and statuses of a webhook call addressed to our phone number."""
    messages: list[dict[str, Any]] = []
    statuses: list[Status] = []
    if not isinstance(payload, dict) or payload.get("object") != "whatsapp_business_account":
        return messages, statuses
    for entry in _dicts(payload.get("entry")):
        for change in _dicts(entry.get("changes")):
            value = change.get("value")
            if change.get("field") != "messages" or not isinstance(value, dict):
                continue
            metadata = value.get("metadata")
            if not isinstance(metadata, dict) or str(metadata.get("phone_number_id")) != phone_number_id:
                # Another number of the same app: not ours to answer.
                logger.info("WhatsApp: a webhook for another phone number id was ignored")
                continue
            messages += [m for m in _dicts(value.get("messages")) if m.get("from") and m.get("id")]
            statuses += [s for s in map(_status, _dicts(value.get("statuses"))) if s is not None]
    return messages, statuses


@dataclass(frozen=True)
class _Upload:
    """A document to upload, then send with its caption."""

    document: Document
    caption: str


_Part = dict[str, Any] | _Upload


class WhatsAppChannel:
    """Converts webhook messages for the engine and sends its replies through the Graph API."""

    def __init__(
        self,
        engine: Engine,
        api: GraphApi,
        *,
        template: str | None = None,
        template_language: str = "es_MX",
        clock: Callable[[], float] = time.time,
        max_download_bytes: int = MAX_DOWNLOAD_BYTES,
    ) -> None:
        self.engine = engine
        self.api = api
        self.template = template
        self.template_language = template_language
        self.clock = clock
        self.max_download_bytes = max_download_bytes

    @property
    def phone_number_id(self) -> str:
        """Our number's id: webhooks for other numbers are ignored."""
        return self.api.phone_number_id

    async def aclose(self) -> None:
        """Close the Graph API connections."""
        await self.api.aclose()

    # -- incoming --------------------------------------------------------------------------

    def record(self, statuses: Sequence[Status]) -> None:
        """Record status reports (blocking: call it off the event loop)."""
        for status in statuses:
            self.engine.record_delivery(
                CHANNEL, status.conversation_id, status.wamid, status.status, status.detail
            )

    async def take(self, message: dict[str, Any], intake: Intake) -> None:
        """Hand one webhook message to the intake; returns once it is durably claimed."""
        wa_id = str(message["from"])
        cid = conversation_id(wa_id)
        incoming = await self.incoming(message)
        if isinstance(incoming, Incoming):
            await intake.take(cid, lambda on_received: self._answer(incoming, on_received))
        elif incoming is not None:
            notice = incoming
            await intake.take(cid, lambda _on_received: self.deliver(cid, [Outgoing(text=notice)]))

    async def incoming(self, message: dict[str, Any]) -> Incoming | str | None:
        """The engine's message for a webhook message; a notice to send instead; or None (no answer)."""
        wa_id, wamid, kind = str(message["from"]), str(message["id"]), str(message.get("type", ""))
        cid = conversation_id(wa_id)
        try:
            when = datetime.fromtimestamp(int(message.get("timestamp", "")), UTC)
        except ValueError:
            when = datetime.now(UTC)
        content = message.get(kind) if isinstance(message.get(kind), dict) else {}
        assert isinstance(content, dict)
        if kind in _IGNORED:
            return None
        if kind == "text":
            return Incoming(cid, CHANNEL, wa_id, wamid, text=str(content.get("body", "")), time=when)
        if kind in ("interactive", "button"):
            chosen = content.get("button_reply") or content.get("list_reply") or {}
            data = str(chosen.get("id") or content.get("payload") or content.get("text") or "")
            if is_hashed(data):
                resolved = await asyncio.to_thread(resolve, self.engine, cid, data)
                if resolved is None:
                    return self.engine.text("utter_boton_no_disponible")
                data = resolved
            return Incoming(cid, CHANNEL, wa_id, wamid, text=data, time=when)
        if kind == "document":
            # A caption is dropped: it is never needed, and it could hold a password that would be stored.
            attachment = await self._attachment(content)
            return Incoming(cid, CHANNEL, wa_id, wamid, attachment=attachment, time=when)
        media = _MEDIA.get(kind, Media("otro"))
        if kind == "audio" and content.get("voice"):
            media = Media("voz")
        media = replace(media, mime=str(content.get("mime_type", "")), size=await self._size(content))
        return Incoming(cid, CHANNEL, wa_id, wamid, media=media, time=when)

    async def _attachment(self, document: dict[str, Any]) -> Attachment:
        """The document, fetched only when WhatsApp says it is within the limit."""
        filename = str(document.get("filename") or "archivo")
        mime = str(document.get("mime_type") or "application/octet-stream")
        info = await self.api.media(str(document.get("id", "")))
        if info.size > self.max_download_bytes:
            logger.info("WhatsApp: document of %d bytes refused before downloading", info.size)
            return Attachment(filename=filename, mime=mime, data=None, size=info.size)
        data = await self.api.download(info.url, self.max_download_bytes)
        if data is None:
            return Attachment(
                filename=filename, mime=mime, data=None, size=max(info.size, self.max_download_bytes + 1)
            )
        return Attachment(filename=filename, mime=mime, data=data)

    async def _size(self, content: dict[str, Any]) -> int:
        """A media file's size as WhatsApp reports it (its content is never downloaded)."""
        media_id = content.get("id")
        if not media_id:
            return 0
        try:
            return (await self.api.media(str(media_id))).size
        except GraphError as error:
            logger.info("WhatsApp: no size for a media message (%s)", error)
            return 0

    async def _answer(self, incoming: Incoming, on_received: OnReceived) -> None:
        await self.deliver(incoming.conversation_id, await answer(self.engine, incoming, on_received))

    # -- outgoing --------------------------------------------------------------------------

    async def deliver(self, conversation_id: str, replies: Sequence[Outgoing]) -> None:
        """Send replies to a conversation: an answer to its message, or an agent's or reminder's text.

        Outside the 24-hour window the template is sent instead, or nothing (and the failure recorded).
        """
        if not replies:
            return
        wa_id = conversation_id.removeprefix(f"{CHANNEL}-")
        if not await asyncio.to_thread(self.within_window, conversation_id):
            await self._outside_window(conversation_id, wa_id, len(replies))
            return
        for reply in replies:
            for part in self._render(reply):
                if not await self._send(conversation_id, wa_id, part):
                    # Later messages would arrive out of order, or fail the same way.
                    return

    def within_window(self, conversation_id: str) -> bool:
        """Whether the person wrote within the last 24 hours (from the stored conversation)."""
        last = next(
            (e for e in reversed(self.engine.transcript(conversation_id)) if e.author == "persona"), None
        )
        return last is not None and self.clock() - last.timestamp < WINDOW_SECONDS

    async def _outside_window(self, cid: str, wa_id: str, withheld: int) -> None:
        if self.template:
            template = {"name": self.template, "language": {"code": self.template_language}}
            sent = await self._send(cid, wa_id, {"type": "template", "template": template})
            reason = f"fuera de la ventana de 24 h: se envió la plantilla {self.template}"
            if not sent:
                reason = f"fuera de la ventana de 24 h: la plantilla {self.template} no se pudo enviar"
        else:
            reason = "fuera de la ventana de 24 h y sin plantilla (WHATSAPP_TEMPLATE_SEGUIMIENTO)"
        logger.warning(
            "WhatsApp: %d messages to %s not sent: outside the 24-hour window", withheld, mask_phone(wa_id)
        )
        for _ in range(withheld):
            await self._failed(cid, reason)

    def _render(self, reply: Outgoing) -> list[_Part]:
        """The Graph API messages for one reply, in order."""
        parts: list[_Part] = []
        text = reply.text if reply.text.strip() else ""
        buttons = reply.buttons
        caption = ""
        body = ""
        if reply.document is not None and len(text) <= MAX_CAPTION:
            caption, text = text, ""
        elif reply.document is None and buttons and len(text) <= MAX_BODY:
            body, text = text, ""
        if text:
            parts += [
                {"type": "text", "text": {"body": piece, "preview_url": False}}
                for piece in split_text(text, MAX_TEXT)
            ]
        if reply.document is not None:
            parts.append(_Upload(reply.document, caption))
        if buttons:
            parts += self._choices(body or self.engine.text("utter_elige_opcion"), buttons)
        return parts

    def _choices(self, body: str, buttons: Sequence[Button]) -> list[_Part]:
        """Reply buttons for up to 3 choices; a list (10 rows per message) for more."""
        if len(buttons) <= MAX_REPLY_BUTTONS:
            action = {
                "buttons": [
                    {
                        "type": "reply",
                        "reply": {
                            "id": compact(b.payload, MAX_ID),
                            "title": shorten(b.title, MAX_BUTTON_TITLE),
                        },
                    }
                    for b in buttons
                ]
            }
            return [
                {
                    "type": "interactive",
                    "interactive": {"type": "button", "body": {"text": body}, "action": action},
                }
            ]
        lists: list[_Part] = []
        label = shorten(self.engine.text("utter_ver_opciones"), MAX_BUTTON_TITLE)
        for start in range(0, len(buttons), MAX_ROWS):
            rows = [self._row(b) for b in buttons[start : start + MAX_ROWS]]
            text = body if start == 0 else self.engine.text("utter_mas_opciones")
            menu: dict[str, Any] = {"button": label, "sections": [{"rows": rows}]}
            lists.append(
                {
                    "type": "interactive",
                    "interactive": {"type": "list", "body": {"text": text}, "action": menu},
                }
            )
        return lists

    @staticmethod
    def _row(button: Button) -> dict[str, str]:
        row = {"id": compact(button.payload, MAX_ID), "title": shorten(button.title, MAX_ROW_TITLE)}
        if row["title"] != " ".join(button.title.split()):
            row["description"] = shorten(button.title, MAX_ROW_DESCRIPTION)
        return row

    async def _send(self, cid: str, wa_id: str, part: _Part) -> bool:
        """Send one message (uploading a document first); record its wamid, or the failure."""
        try:
            if isinstance(part, _Upload):
                data = await asyncio.to_thread(Path(part.document.path).read_bytes)
                media_id = await self.api.upload(data, part.document.filename, part.document.mime)
                document = {"id": media_id, "filename": part.document.filename}
                if part.caption:
                    document["caption"] = part.caption
                part = {"type": "document", "document": document}
            wamid = await self.api.send({"to": wa_id, **part})
        except GraphError as error:
            logger.error("WhatsApp: a %s message to %s failed (%s)", _kind(part), mask_phone(wa_id), error)
            await self._failed(cid, str(error))
            return False
        await asyncio.to_thread(self.engine.record_delivery, CHANNEL, cid, wamid, "accepted", None)
        return True

    async def _failed(self, cid: str, reason: str) -> None:
        """Record a message that was not sent (it has no wamid: a local id stands in)."""
        local_id = f"sin-enviar-{uuid.uuid4().hex[:16]}"
        await asyncio.to_thread(self.engine.record_delivery, CHANNEL, cid, local_id, "failed", reason)


def _kind(part: _Part) -> str:
    """The kind of a message for logs (its content never is logged)."""
    return "document" if isinstance(part, _Upload) else str(part.get("type", "?"))
