"""Start-up module of the rasa-sdk action server: settings → database (migrated) → services → endpoint.

    python -m bot.action_server [--host 127.0.0.1] [--port 5055] [--workers 1]

Each Sanic worker process builds and installs its own services (`actions.servicios.instalar`) before it
serves, so no action ever builds a database on its first call.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sanic import Sanic

__all__ = ["create_app", "main"]

DEFAULT_PORT = 5055


def create_app() -> Sanic[Any, Any]:
    """The action server app with the services installed (Sanic calls this in every worker)."""
    from rasa_sdk.endpoint import create_app as rasa_sdk_app
    from rasa_sdk.executor import ActionExecutor

    from actions.servicios import instalar
    from bot.services import build_services
    from bot.settings import Settings
    from bot.store import create_db_engine, migrate

    settings = Settings()
    db = create_db_engine(settings.effective_database_url)
    migrate(db)
    instalar(build_services(settings, db))
    executor = ActionExecutor()
    executor.register_package("actions")
    app: Sanic[Any, Any] = rasa_sdk_app(executor, cors_origins=[])
    return app


def main(argv: list[str] | None = None) -> None:
    """Parse the flags and serve the `actions` package over Rasa's action-server HTTP protocol."""
    parser = argparse.ArgumentParser(description="Servidor de acciones (rasa-sdk) del asistente")
    parser.add_argument("--host", default="127.0.0.1", help="dónde escucha (por omisión, solo local)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)

    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    loader = AppLoader(factory=create_app)
    app = loader.load()
    app.prepare(host=args.host, port=args.port, workers=args.workers, access_log=False)
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
