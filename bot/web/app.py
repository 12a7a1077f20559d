"""FastAPI application: web chat at `/`, `/verificar/{folio}` and the chat API."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel, Field

from bot.channels import running_channels
from bot.container import Container
from bot.engine import Attachment, Incoming, Outgoing

__all__ = ["create_app"]

_TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
#: Larger uploads are refused before they are read whole (e.firma files are a few KB).
MAX_UPLOAD_BYTES = 64 * 1024


class MensajeWeb(BaseModel):
    """A message typed in the web chat."""

    texto: str = Field(max_length=20_000)
    id: str | None = Field(default=None, max_length=128)


def _conversation_id(conversacion: str) -> str:
    if not conversacion.replace("-", "").isalnum() or len(conversacion) > 64:
        raise HTTPException(status_code=400, detail="Id de conversación no válido")
    return f"web-{conversacion}"


def get_container(request: Request) -> Container:
    """The container the app was created with."""
    container: Container = request.app.state.container
    return container


Dep = Annotated[Container, Depends(get_container)]


def create_app(container: Container) -> FastAPI:
    """The web app bound to one container (engine, store, settings)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Telegram polling (when TELEGRAM_TOKEN is set) shares uvicorn's event loop and stops with it.
        async with running_channels(container):
            yield

    app = FastAPI(title="Asistente IMSS Digital", docs_url=None, redoc_url=None, lifespan=lifespan)
    app.state.container = container

    def render(conversation_id: str, replies: list[Outgoing]) -> list[dict[str, Any]]:
        out = []
        for reply in replies:
            data = reply.to_json()
            if reply.document is not None:
                name = Path(reply.document.path).name
                data["document"] = {
                    "filename": reply.document.filename,
                    "mime": reply.document.mime,
                    "url": f"/api/conversaciones/{conversation_id.removeprefix('web-')}/documentos/{name}",
                }
            out.append(data)
        return out

    @app.get("/", response_class=HTMLResponse)
    def web_chat(request: Request) -> HTMLResponse:
        """The WhatsApp-style web chat."""
        return _TEMPLATES.TemplateResponse(request, "chat.html", {})

    @app.get("/salud")
    def salud() -> dict[str, str]:
        """Liveness probe."""
        return {"estado": "ok"}

    @app.post("/api/conversaciones/{conversacion}/mensajes")
    async def mensaje(conversacion: str, body: MensajeWeb, c: Dep) -> list[dict[str, Any]]:
        """Send a text message; the bot's replies come back."""
        cid = _conversation_id(conversacion)
        incoming = Incoming(cid, "web", cid, body.id or uuid.uuid4().hex, text=body.texto)
        return render(cid, await c.engine.handle(incoming))

    @app.post("/api/conversaciones/{conversacion}/archivos")
    async def archivo(conversacion: str, archivo: UploadFile, c: Dep) -> list[dict[str, Any]]:
        """Upload a file (e.firma .cer/.key); over 64 KB is refused before reading it all."""
        cid = _conversation_id(conversacion)
        data = await archivo.read(MAX_UPLOAD_BYTES + 1)
        attachment = Attachment(
            filename=archivo.filename or "archivo",
            mime=archivo.content_type or "application/octet-stream",
            data=data,
        )
        incoming = Incoming(cid, "web", cid, uuid.uuid4().hex, attachment=attachment)
        return render(cid, await c.engine.handle(incoming))

    @app.get("/api/conversaciones/{conversacion}/documentos/{nombre}")
    def documento(conversacion: str, nombre: str, c: Dep) -> FileResponse:
        """A PDF the bot sent in this conversation (and only then)."""
        cid = _conversation_id(conversacion)
        for entry in c.engine.transcript(cid):
            doc = entry.document
            if doc is not None and Path(doc.path).name == nombre:
                return FileResponse(doc.path, media_type=doc.mime, filename=doc.filename)
        raise HTTPException(status_code=404, detail="No encontramos ese documento en esta conversación")

    @app.get("/verificar/{folio}", response_class=HTMLResponse)
    def verificar_folio(folio: str, request: Request, c: Dep) -> HTMLResponse:
        """The page the QR code opens: is this folio one we issued?"""
        registro = c.folios.buscar(folio)
        return _TEMPLATES.TemplateResponse(
            request,
            "verificar.html",
            {"folio": folio, "registro": registro},
            status_code=200 if registro else 404,
        )

    return app
