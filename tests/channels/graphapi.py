"""A local stand-in for the WhatsApp Cloud API (Graph API), served on 127.0.0.1, that records every call.

It implements what the adapter calls: POST /{phone-number-id}/messages, POST /{phone-number-id}/media
(multipart upload), GET /{media-id} (url, mime type, size) and the media download URL, each checking the
bearer token. Any number of the next calls can be made to fail (`fail_next`). It also builds the
webhook payloads Meta would post (`text`, `document`, `button_reply`, `list_reply`, `audio`, `status`)
and signs them with the app secret.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.channels.botapi import wait_until

TOKEN = "EAAG-test-token-for-the-stand-in"
PHONE_NUMBER_ID = "1098765432"
APP_SECRET = "app-secret-for-tests"
VERIFY_TOKEN = "verify-token-for-tests"
WA_ID = "5215512345678"


@dataclass
class Sent:
    """One message the adapter sent (POST /messages), as JSON."""

    body: dict[str, Any]

    @property
    def type(self) -> str:
        """text, interactive, document, template."""
        return str(self.body.get("type", ""))

    @property
    def text(self) -> str:
        """What the person reads: a text's body, an interactive body, a document's caption."""
        if self.type == "text":
            return str(self.body["text"]["body"])
        if self.type == "interactive":
            return str(self.body["interactive"]["body"]["text"])
        if self.type == "document":
            return str(self.body["document"].get("caption", ""))
        return ""

    @property
    def interactive(self) -> str:
        """button or list ('' for other messages)."""
        return str(self.body.get("interactive", {}).get("type", "")) if self.type == "interactive" else ""

    @property
    def choices(self) -> list[dict[str, str]]:
        """Reply buttons' or list rows' {id, title[, description]}."""
        if self.interactive == "button":
            return [b["reply"] for b in self.body["interactive"]["action"]["buttons"]]
        if self.interactive == "list":
            return [r for s in self.body["interactive"]["action"]["sections"] for r in s["rows"]]
        return []


@dataclass
class Failure:
    """How the next call fails."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class GraphApiStandIn:
    """The stand-in's state: stored media, uploads and every message sent."""

    def __init__(self) -> None:
        self.url = ""
        self.sent: list[Sent] = []
        self.uploads: list[tuple[str, str, bytes]] = []
        self.media_lookups: list[str] = []
        self.downloads: list[str] = []
        self.refused: list[str] = []
        self._failures: list[Failure] = []
        self._lock = threading.Lock()
        self._media: dict[str, tuple[str, bytes]] = {}
        self._ids = itertools.count(1)
        self.app = Starlette(
            routes=[
                Route("/{phone}/messages", self._messages, methods=["POST"]),
                Route("/{phone}/media", self._upload, methods=["POST"]),
                Route("/descargas/{media_id}", self._download, methods=["GET"]),
                Route("/{media_id}", self._media_info, methods=["GET"]),
            ]
        )

    # -- what tests call ---------------------------------------------------------------------

    def fail_next(self, status: int, code: int | None = None, retry_after: str | None = None) -> None:
        """Make the next call answer `status` (with Meta's error `code`)."""
        error = {"message": "(stand-in)", "type": "OAuthException", "code": code or status}
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        with self._lock:
            self._failures.append(Failure(status, {"error": error}, headers))

    def snapshot(self) -> list[Sent]:
        """A copy of the messages sent so far."""
        with self._lock:
            return list(self.sent)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30, what: str = "") -> None:
        """Wait until `predicate()` holds; fail after `timeout` seconds."""
        wait_until(
            predicate, timeout, lambda: f"{what or predicate!r}; sent: {[s.type for s in self.snapshot()]}"
        )

    def settle(self, quiet: float = 0.3, timeout: float = 10) -> None:
        """Wait until nothing was sent for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        count, since = len(self.snapshot()), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = len(self.snapshot())
            if now != count:
                count, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    # -- webhook payloads Meta would post ----------------------------------------------------

    def wamid(self) -> str:
        """A fresh incoming message id."""
        return f"wamid.IN{next(self._ids):06d}"

    def envelope(self, value: dict[str, Any], phone_number_id: str = PHONE_NUMBER_ID) -> dict[str, Any]:
        """A webhook body around one change value."""
        value = {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550001111", "phone_number_id": phone_number_id},
            **value,
        }
        change = {"field": "messages", "value": value}
        return {"object": "whatsapp_business_account", "entry": [{"id": "WABA-1", "changes": [change]}]}

    def message(
        self, content: dict[str, Any], wa_id: str = WA_ID, timestamp: float | None = None
    ) -> dict[str, Any]:
        """A webhook with one message from `wa_id`."""
        message = {
            "from": wa_id,
            "id": self.wamid(),
            "timestamp": str(int(time.time() if timestamp is None else timestamp)),
            **content,
        }
        contacts = [{"profile": {"name": "Ana"}, "wa_id": wa_id}]
        return self.envelope({"contacts": contacts, "messages": [message]})

    def text(self, body: str, wa_id: str = WA_ID, timestamp: float | None = None) -> dict[str, Any]:
        """A text message."""
        return self.message({"type": "text", "text": {"body": body}}, wa_id, timestamp)

    def button_reply(self, button_id: str, title: str = "", wa_id: str = WA_ID) -> dict[str, Any]:
        """A tap on one of our reply buttons."""
        reply = {"type": "button_reply", "button_reply": {"id": button_id, "title": title}}
        return self.message({"type": "interactive", "interactive": reply}, wa_id)

    def list_reply(self, row_id: str, title: str = "", wa_id: str = WA_ID) -> dict[str, Any]:
        """A row chosen in one of our lists."""
        reply = {"type": "list_reply", "list_reply": {"id": row_id, "title": title}}
        return self.message({"type": "interactive", "interactive": reply}, wa_id)

    def store_media(self, data: bytes, mime: str) -> str:
        """Keep a file as Meta keeps what a person sends; its media id."""
        media_id = f"media-{next(self._ids)}"
        with self._lock:
            self._media[media_id] = (mime, data)
        return media_id

    def document(self, filename: str, data: bytes, mime: str, wa_id: str = WA_ID) -> dict[str, Any]:
        """A document message (the file is stored here and fetched by media id)."""
        media_id = self.store_media(data, mime)
        document = {"id": media_id, "filename": filename, "mime_type": mime, "sha256": "x"}
        return self.message({"type": "document", "document": document}, wa_id)

    def audio(self, voice: bool = True, wa_id: str = WA_ID) -> dict[str, Any]:
        """A voice note (or an audio file)."""
        media_id = self.store_media(b"OggS" + b"\0" * 3000, "audio/ogg; codecs=opus")
        audio = {"id": media_id, "mime_type": "audio/ogg; codecs=opus", "voice": voice}
        return self.message({"type": "audio", "audio": audio}, wa_id)

    def status(self, wamid: str, status: str, wa_id: str = WA_ID, code: int | None = None) -> dict[str, Any]:
        """A status report of one of our messages."""
        report: dict[str, Any] = {
            "id": wamid,
            "status": status,
            "timestamp": str(int(time.time())),
            "recipient_id": wa_id,
        }
        if code is not None:
            report["errors"] = [{"code": code, "title": "Message undeliverable"}]
        return self.envelope({"statuses": [report]})

    # -- the HTTP side -----------------------------------------------------------------------

    def _authorized(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {TOKEN}"

    def _failure(self, path: str) -> Response | None:
        with self._lock:
            failure = self._failures.pop(0) if self._failures else None
            if failure is not None:
                self.refused.append(path)
        if failure is None:
            return None
        return JSONResponse(failure.body, failure.status, headers=failure.headers)

    async def _messages(self, request: Request) -> Response:
        if not self._authorized(request) or request.path_params["phone"] != PHONE_NUMBER_ID:
            return JSONResponse({"error": {"code": 190, "type": "OAuthException"}}, 401)
        failed = self._failure("messages")
        if failed is not None:
            return failed
        body = json.loads(await request.body())
        wamid = f"wamid.OUT{next(self._ids):06d}"
        with self._lock:
            self.sent.append(Sent(body))
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                "messages": [{"id": wamid}],
            }
        )

    async def _upload(self, request: Request) -> Response:
        if not self._authorized(request):
            return JSONResponse({"error": {"code": 190}}, 401)
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or form.get("messaging_product") != "whatsapp":
            return JSONResponse({"error": {"code": 100, "type": "invalid parameter"}}, 400)
        data = await upload.read()
        media_id = self.store_media(data, upload.content_type or "")
        with self._lock:
            self.uploads.append((media_id, upload.filename or "", data))
        return JSONResponse({"id": media_id})

    async def _media_info(self, request: Request) -> Response:
        media_id = request.path_params["media_id"]
        if not self._authorized(request):
            return JSONResponse({"error": {"code": 190}}, 401)
        with self._lock:
            self.media_lookups.append(media_id)
            found = self._media.get(media_id)
        if found is None:
            return JSONResponse({"error": {"code": 100}}, 404)
        mime, data = found
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/descargas/{media_id}",
                "mime_type": mime,
                "sha256": hashlib.sha256(data).hexdigest(),
                "file_size": len(data),
                "id": media_id,
            }
        )

    async def _download(self, request: Request) -> Response:
        media_id = request.path_params["media_id"]
        if not self._authorized(request):
            return Response(status_code=401)
        with self._lock:
            self.downloads.append(media_id)
            found = self._media.get(media_id)
        if found is None:
            return Response(status_code=404)
        return Response(found[1], media_type=found[0])


def sign(body: bytes, secret: str = APP_SECRET) -> str:
    """The X-Hub-Signature-256 header Meta sends with a webhook body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
