"""The web chat's REST API: a conversation per server-issued token, its messages, and its documents.

- `POST /api/webchat/conversations` → 201 `{"conversation_id": token}`: 192 random bits, made here. The
  token is a bearer secret: the database keeps only a hash-derived conversation id, never the token.
- `POST /api/webchat/{token}/messages` with JSON `{"text", "message_id"}` or a multipart `file` → the
  turn's replies. A retried `message_id` gets the same replies again and is handled once.
- `GET /api/webchat/{token}/messages?after=N` → the later messages with their sequence numbers (an
  agent's reply shows up here).
- `GET /api/webchat/{token}/documentos/{link}` → a PDF of this conversation, by a signed, expiring link.
An unknown or malformed token is 404: no conversation is ever created from an id the client made up.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile

from bot.container import Container
from bot.engine import UPLOAD_LIMIT_BYTES, Attachment, Incoming, Media, Outgoing, TranscriptEntry, media_kind
from bot.web.links import LinkSigner

__all__ = ["CHANNEL", "MAX_UPLOAD_BYTES", "conversation_id_for", "router"]

CHANNEL = "web"
#: Larger uploads are refused before they are read whole (e.firma files are about 2 KB).
MAX_UPLOAD_BYTES = UPLOAD_LIMIT_BYTES
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")

router = APIRouter(prefix="/api/webchat", tags=["webchat"])


class MessageIn(BaseModel):
    """A message typed in the web chat."""

    text: str = Field(max_length=20_000)
    message_id: str | None = Field(default=None, max_length=128, pattern=r"^[A-Za-z0-9_.:-]+$")


#: The rule of data/limites.yml on new web conversations per client address.
REGLA_CONVERSACIONES = "conversaciones_web"


def conversation_id_for(token: str) -> str:
    """The conversation id behind a token (a hash: the token itself is never stored)."""
    return "web-" + hashlib.sha256(token.encode("ascii")).hexdigest()[:40]


def get_container(request: Request) -> Container:
    """The container the app was created with."""
    container: Container = request.app.state.container
    return container


def get_links(request: Request) -> LinkSigner:
    """The document link signer of the app."""
    links: LinkSigner = request.app.state.links
    return links


Dep = Annotated[Container, Depends(get_container)]
Links = Annotated[LinkSigner, Depends(get_links)]


def _conversation(token: str, c: Container) -> str:
    """The conversation of a token, or 404 for anything the server did not hand out."""
    if not _TOKEN.fullmatch(token):
        raise HTTPException(status_code=404, detail="No encontramos esa conversación.")
    cid = conversation_id_for(token)
    if not c.engine.conversation_exists(cid):
        raise HTTPException(status_code=404, detail="No encontramos esa conversación.")
    return cid


def _document(token: str, cid: str, path: str, filename: str, links: LinkSigner) -> dict[str, str]:
    link = links.sign(cid, Path(path).name)
    return {"filename": filename, "url": f"/api/webchat/{token}/documentos/{link}"}


def _reply(token: str, cid: str, reply: Outgoing, links: LinkSigner) -> dict[str, Any]:
    doc = reply.document
    return {
        "text": reply.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in reply.buttons],
        "document": None if doc is None else _document(token, cid, doc.path, doc.filename, links),
    }


def _entry(token: str, cid: str, entry: TranscriptEntry, links: LinkSigner) -> dict[str, Any]:
    doc = entry.document
    return {
        "seq": entry.seq,
        "author": entry.author,
        "text": entry.text,
        "buttons": [{"title": b.title, "payload": b.payload} for b in entry.buttons],
        "document": None if doc is None else _document(token, cid, doc.path, doc.filename, links),
        "time": entry.timestamp,
    }


@router.post("/conversations", status_code=201)
def new_conversation(request: Request, c: Dep) -> dict[str, str]:
    """Open a conversation and hand out its token (a bounded number per client address)."""
    _limit_new_conversations(request, c)
    token = secrets.token_urlsafe(24)
    c.engine.open_conversation(conversation_id_for(token), CHANNEL, "web")
    return {"conversation_id": token}


def _limit_new_conversations(request: Request, c: Container) -> None:
    """429 once a client address opened too many web conversations (rule `conversaciones_web`).

    The per-sender limits count a web conversation as one sender; without this, a script would open
    a new conversation for every few look-ups.
    """
    limites = c.services.limites
    if limites is None:
        return
    address = request.client.host if request.client else "desconocido"
    decision = limites.intentar(REGLA_CONVERSACIONES, address)
    if not decision.permitido:
        minutos = decision.minutos_restantes
        raise HTTPException(
            status_code=429,
            detail=f"Abriste muchas conversaciones. Intenta de nuevo en {minutos} minutos.",
            headers={"Retry-After": str(minutos * 60)},
        )


@router.post("/{token}/messages")
async def post_message(token: str, request: Request, c: Dep, links: Links) -> list[dict[str, Any]]:
    """A typed message (JSON) or a file (multipart `file`); the turn's replies come back."""
    cid = _conversation(token, c)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(status_code=422, detail="Falta el archivo (campo «file»).")
        mime = upload.content_type or "application/octet-stream"
        message_id = f"{cid}:{uuid.uuid4().hex}"
        kind = media_kind(mime)
        if kind is not None:
            # A photo, audio or video: answered as media we cannot read yet, and never read here.
            media = Media(kind=kind, mime=mime, size=upload.size or 0)
            incoming = Incoming(cid, CHANNEL, cid, message_id, media=media)
        else:
            data = await upload.read(MAX_UPLOAD_BYTES + 1)
            size = upload.size if upload.size is not None else len(data)
            attachment = Attachment(
                filename=upload.filename or "archivo",
                mime=mime,
                data=data if len(data) <= MAX_UPLOAD_BYTES else None,
                size=size,
            )
            incoming = Incoming(cid, CHANNEL, cid, message_id, attachment=attachment)
    else:
        try:
            body = MessageIn.model_validate_json(await request.body())
        except ValidationError:
            # The body is never echoed back: it may hold personal data.
            raise HTTPException(
                status_code=422, detail="El mensaje debe ser JSON con «text» y, si quieres, «message_id»."
            ) from None
        # Message ids are the client's: scoped to the conversation so two browsers never collide.
        message_id = f"{cid}:{body.message_id or uuid.uuid4().hex}"
        incoming = Incoming(cid, CHANNEL, cid, message_id, text=body.text)
    replies = await c.engine.handle(incoming, resend=True)
    return [_reply(token, cid, r, links) for r in replies]


@router.get("/{token}/messages")
def get_messages(token: str, c: Dep, links: Links, after: int = -1) -> list[dict[str, Any]]:
    """The conversation's messages after sequence number `after`."""
    cid = _conversation(token, c)
    return [_entry(token, cid, e, links) for e in c.engine.transcript(cid, after=after)]


@router.get("/{token}/documentos/{link}")
def get_document(token: str, link: str, c: Dep, links: Links) -> FileResponse:
    """A document the bot sent in this conversation, by its signed link."""
    cid = _conversation(token, c)
    target = links.check(link)
    if target is None or target.conversation_id != cid:
        raise HTTPException(status_code=404, detail="Ese enlace no es válido o ya venció.")
    for entry in c.engine.transcript(cid):
        doc = entry.document
        if doc is not None and Path(doc.path).name == target.name and Path(doc.path).is_file():
            return FileResponse(doc.path, media_type=doc.mime, filename=doc.filename)
    raise HTTPException(status_code=404, detail="No encontramos ese documento en esta conversación.")
