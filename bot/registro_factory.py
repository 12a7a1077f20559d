"""Wiring of the IMSS registry port from the typed settings (embedded SQL registry with demo data)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from bot.settings import Settings
    from tramites.registro import SqlRegistro

__all__ = ["construir_registro", "hoy_mexico"]

_ZONA = ZoneInfo("America/Mexico_City")


def hoy_mexico() -> date:
    """Today's date in Mexico City (the reference date for vigencia and for the first demo seed)."""
    return datetime.now(_ZONA).date()


def construir_registro(
    settings: Settings, *, engine: Engine | None = None, hoy: date | None = None
) -> SqlRegistro:
    """The SQL registry on the configured database (or `engine`), seeded with demo data on first use.

    The first seed places the demo people's employment dates relative to `hoy` (default: today in Mexico
    City); later calls find the data and leave it alone.
    """
    from bot.store import create_db_engine, migrate, session_factory
    from tramites.registro import SqlRegistro, sembrar_demo

    if engine is None:
        engine = create_db_engine(settings.effective_database_url)
        migrate(engine)
    sesiones = session_factory(engine)
    sembrar_demo(sesiones, hoy=hoy or hoy_mexico())
    return SqlRegistro(sesiones)
