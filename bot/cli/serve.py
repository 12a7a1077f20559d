"""`asistente serve`: the web app (web chat, verification page, chat API), plus Telegram with a token."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["serve"]


def serve(
    host: Annotated[str, typer.Option(help="Dirección donde escuchar.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Puerto.")] = 8000,
) -> None:
    """Levanta la app web: chat en /, verificación en /verificar/FOLIO; y Telegram si hay TELEGRAM_TOKEN."""
    import uvicorn

    from bot.container import build_container
    from bot.logs import configure_logging
    from bot.web.app import create_app

    configure_logging()
    container = build_container()
    uvicorn.run(create_app(container), host=host, port=port, log_level="info")
