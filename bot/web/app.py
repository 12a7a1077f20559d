"""The FastAPI application: web chat at `/`, its API, the verification page the QR code opens."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from bot.channels import running_channels
from bot.container import Container, build_container
from bot.web.agentes import router as agentes_router
from bot.web.agentes_api import router as agentes_api_router
from bot.web.body_limit import BodyLimit, limits_by_kind
from bot.web.errors import install_error_handlers
from bot.web.headers import SecurityHeaders
from bot.web.json_text import JsonTextCheck
from bot.web.links import LinkSigner
from bot.web.webchat import MAX_UPLOAD_BYTES, get_container
from bot.web.webchat import router as webchat_router
from bot.web.webhooks import MAX_BODY_BYTES as WEBHOOK_BODY_BYTES
from bot.web.webhooks import router as webhooks_router

__all__ = ["create_app", "create_app_from_settings"]

_TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
#: The web chat's script, styles and icons: files, never inline, so a strict CSP can forbid inline code.
_STATIC = Path(__file__).parent / "static"

Dep = Annotated[Container, Depends(get_container)]


def create_app(container: Container) -> FastAPI:
    """The web app bound to one container (engine, settings)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Telegram and WhatsApp (when configured) share uvicorn's event loop and stop with it.
        async with running_channels(container) as channels:
            _app.state.channels = channels
            # --- agentes: reminders to people waiting for an agent, NLU misses for review ---
            mesa = container.mesa
            async with mesa.recordatorios.en_marcha(channels.deliver, mesa.intervalo):
                yield

    settings = container.settings
    # The schema maps every endpoint: served only where an operator turned it on (WEB_OPENAPI=true).
    openapi = settings.web_openapi
    app = FastAPI(
        title="Asistente IMSS Digital",
        docs_url="/docs" if openapi else None,
        redoc_url=None,
        openapi_url="/openapi.json" if openapi else None,
        lifespan=lifespan,
    )
    app.state.container = container
    install_error_handlers(app)
    # The last added runs first: headers on every answer, then the size bound, then the text check.
    app.add_middleware(JsonTextCheck)
    app.add_middleware(BodyLimit, limit_for=limits_by_kind(MAX_UPLOAD_BYTES, WEBHOOK_BODY_BYTES))
    app.add_middleware(SecurityHeaders, trust_forwarded_proto=settings.web_trust_forwarded_proto)
    app.state.links = LinkSigner(container.secret_key)
    app.include_router(webchat_router)
    app.include_router(webhooks_router)
    # --- agentes: the agents' console and its JSON API (docs/consola.md) ---
    app.include_router(agentes_router)
    app.include_router(agentes_api_router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")

    @app.get("/", response_class=HTMLResponse)
    def web_chat(request: Request) -> HTMLResponse:
        """The WhatsApp-style web chat."""
        return _TEMPLATES.TemplateResponse(request, "chat.html", {})

    @app.get("/salud")
    def salud() -> dict[str, str]:
        """Liveness probe: answers at once, whatever turns are running."""
        return {"estado": "ok"}

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


def create_app_from_settings() -> FastAPI:
    """The app on the settings of the environment: what each `serve --workers N` process runs."""
    from bot.logs import configure_logging

    configure_logging()
    # `serve` migrated the database before starting the workers; two workers must not migrate at once.
    return create_app(build_container(migrate_database=False))
