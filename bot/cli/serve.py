"""`asistente serve`: the web app (web chat, its API, webhooks, verification), plus Telegram with a token."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["serve"]

#: Seconds an idle connection stays open: people pause between messages, and a connection closed
#: under a client that is about to reuse it costs that client a retry.
_KEEP_ALIVE = 75


def serve(
    host: Annotated[str, typer.Option(help="Dirección donde escuchar.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Puerto.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Procesos que atienden, sobre la misma base.")] = 1,
) -> None:
    """Levanta la app web: chat en /, su API, verificación en /verificar/FOLIO; y Telegram si hay token."""
    import uvicorn

    from bot.container import build_container
    from bot.logs import configure_logging, log_config

    configure_logging()
    # Migrate, seed the demo registry and train the NLU once, here, before any worker starts.
    container = build_container()
    container.interpreter.parse("hola")
    if workers == 1:
        from bot.web.app import create_app

        uvicorn.run(
            create_app(container),
            host=host,
            port=port,
            # uvicorn applies it itself (in every worker): its access and error lines are masked too.
            log_config=log_config(),
            timeout_keep_alive=_KEEP_ALIVE,
        )
        return
    container.db.dispose()
    uvicorn.run(
        "bot.web.app:create_app_from_settings",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config(),
        timeout_keep_alive=_KEEP_ALIVE,
    )
