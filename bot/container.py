"""Builds the engine and its collaborators from `Settings` (the composition root)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine as DbEngine
from sqlalchemy.orm import Session, sessionmaker

from bot.action_runner import ActionRunner, HttpActionRunner, InProcessActionRunner, action_endpoint_url
from bot.domain import Domain, load_domain
from bot.engine import Engine
from bot.settings import Settings
from bot.store import ConversationStore, create_db_engine, migrate, session_factory

__all__ = ["Container", "build_container", "load_project_domain"]


@dataclass
class Container:
    """Everything one process needs to serve conversations."""

    settings: Settings
    db: DbEngine
    sessions: sessionmaker[Session]
    store: ConversationStore
    domain: Domain
    engine: Engine


def load_project_domain(settings: Settings) -> Domain:
    """domain.yml plus the rules in data/rules.yml."""
    return load_domain(settings.domain_file, settings.domain_file.parent / "data" / "rules.yml")


def build_runner(settings: Settings, domain: Domain) -> ActionRunner:
    """In-process rasa-sdk executor, or the action server named in endpoints.yml."""
    url = action_endpoint_url(settings.endpoints_file)
    if url:
        return HttpActionRunner(url, domain.actions)
    return InProcessActionRunner("actions")


def build_container(settings: Settings | None = None) -> Container:
    """Wire the store, NLU, domain, actions and engine; migrate the database first."""
    from actions.servicios import instalar
    from bot.services import build_services
    from nlu.factory import build_interpreter

    settings = settings or Settings()
    db = create_db_engine(settings.effective_database_url)
    migrate(db)
    sessions = session_factory(db)
    store = ConversationStore(sessions)
    domain = load_project_domain(settings)
    interpreter = build_interpreter(settings.nlu_url, settings.nlu_data_dir, settings.effective_nlu_cache_dir)
    servicios_ = build_services(settings, db)
    instalar(servicios_)
    engine = Engine(
        store=store,
        interpreter=interpreter,
        domain=domain,
        runner=build_runner(settings, domain),
        confidence_threshold=settings.nlu_confidence_threshold,
        attachments=servicios_.vault,
    )
    return Container(settings=settings, db=db, sessions=sessions, store=store, domain=domain, engine=engine)
