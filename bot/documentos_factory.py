"""Wiring of the document issuer (keys, folio registry, output folder) from the typed settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.settings import Settings
    from tramites.documentos import ClavesInstitucion, Emisor, RegistroFolios

__all__ = ["construir_emisor"]


def construir_emisor(
    settings: Settings, session_factory: sessionmaker[Session] | None = None
) -> tuple[Emisor, ClavesInstitucion, RegistroFolios]:
    """Build the issuer, the institution keys and the SQL folio registry (optionally on shared sessions)."""
    from bot.store import create_db_engine, migrate
    from bot.store import session_factory as crear_sessionmaker
    from tramites.documentos import ClavesInstitucion, Emisor, SqlRegistroFolios

    if session_factory is None:
        engine = create_db_engine(settings.effective_database_url)
        migrate(engine)
        session_factory = crear_sessionmaker(engine)
    claves = ClavesInstitucion.cargar_o_generar(
        settings.keys_dir, settings.sello_key_path, settings.sello_cert_path
    )
    folios = SqlRegistroFolios(session_factory)
    emisor = Emisor(claves, folios, settings.public_url, settings.documents_dir)
    return emisor, claves, folios
