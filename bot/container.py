"""The composition root: settings → database, store, NLU, actions and their services, engine.

Nothing else builds these parts. The CLI commands and the web app call `build_container` once; the
rasa-sdk action server has its own start-up module that builds only the actions' services.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Engine as DbEngine
from sqlalchemy.orm import Session, sessionmaker

from bot.engine import (
    ActionRunner,
    Domain,
    Engine,
    HttpActionRunner,
    InProcessActionRunner,
    action_endpoint_url,
    load_domain,
)
from bot.engine.ports import Interpreter
from bot.limites import LimiteMensajes
from bot.settings import Settings
from bot.store import ConversationStore, create_db_engine, migrate, session_factory
from bot.store.locks import locks_for
from tramites.documentos import RegistroFolios, SqlRegistroFolios

if TYPE_CHECKING:
    from actions.servicios import Servicios
    from bot.agents.mesa import Mesa

__all__ = ["Container", "build_container", "build_runner", "load_project_domain"]


@dataclass
class Container:
    """Everything one process needs to serve conversations."""

    settings: Settings
    db: DbEngine
    sessions: sessionmaker[Session]
    store: ConversationStore
    domain: Domain
    interpreter: Interpreter
    runner: ActionRunner
    engine: Engine
    #: The issued documents, for the verification page the QR code opens.
    folios: RegistroFolios
    #: The server's secret (SERVER_SECRET_KEY): held files are encrypted with it, links signed with it.
    secret_key: bytes
    #: What the actions use: registry, document issuer, vault, clock.
    services: Servicios
    #: The help desk (bot/agents): its queue is attached to the engine.
    mesa: Mesa


def load_project_domain(settings: Settings) -> Domain:
    """domain.yml, the rules in data/rules.yml and the thresholds in config.yml."""
    root = settings.domain_file.parent
    return load_domain(settings.domain_file, root / "data" / "rules.yml", root / "config.yml")


def build_runner(settings: Settings, domain: Domain) -> ActionRunner:
    """In-process rasa-sdk executor, or the action server named in endpoints.yml."""
    url = action_endpoint_url(settings.endpoints_file)
    if url:
        return HttpActionRunner(url, domain.actions)
    return InProcessActionRunner("actions")


def build_container(settings: Settings | None = None, *, migrate_database: bool = True) -> Container:
    """Wire every part from the settings; the database is migrated here (or by `serve` before its workers)."""
    from actions.servicios import instalar
    from bot.services import build_services
    from nlu.factory import build_interpreter
    from tramites.efirma.custodia import cargar_clave_servidor

    settings = settings or Settings()
    db = create_db_engine(settings.effective_database_url)
    if migrate_database:
        migrate(db)
    sessions = session_factory(db)
    store = ConversationStore(db, locks_for(db))
    domain = load_project_domain(settings)
    interpreter = build_interpreter(settings.nlu_url, settings.nlu_data_dir, settings.effective_nlu_cache_dir)
    services = build_services(settings, db)
    instalar(services)
    runner = build_runner(settings, domain)
    # Each sender's messages are counted (rule `mensajes`) before the engine reads them.
    rate_limit = LimiteMensajes(services.limites) if services.limites is not None else None
    engine = Engine(
        store=store,
        interpreter=interpreter,
        domain=domain,
        runner=runner,
        attachments=services.vault,
        rate_limit=rate_limit,
    )
    # --- agentes: the help desk, whose queue the engine tells people about ---
    from bot.agents.mesa import construir_mesa

    secret_key = cargar_clave_servidor(settings.server_secret_key, settings.keys_dir)
    mesa = construir_mesa(settings, db, engine, secret_key)
    folios = SqlRegistroFolios(sessions)
    # In the order of the fields above.
    parts = (settings, db, sessions, store, domain, interpreter, runner, engine, folios, secret_key, services)
    return Container(*parts, mesa=mesa)
