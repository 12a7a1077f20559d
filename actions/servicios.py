"""The domain services the actions use, built lazily (never at import) and replaceable in tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from actions.efirma_config import ConfigEfirma
    from bot.settings import Settings
    from bot.vault import FileVault
    from tramites.documentos import Emisor
    from tramites.registro import Registro

__all__ = ["ZONA", "Servicios", "configurar", "configurar_desde_settings", "servicios"]

ZONA = ZoneInfo("America/Mexico_City")


@dataclass
class Servicios:
    """Registry port, document issuer, clock and, for e.firma, the upload vault and trust store."""

    registro: Registro
    emisor: Emisor
    ahora: Callable[[], datetime] = field(default=lambda: datetime.now(ZONA))
    vault: FileVault | None = None
    efirma: ConfigEfirma | None = None

    def hoy(self) -> date:
        """Today's date in Mexico City."""
        return self.ahora().date()


_actual: Servicios | None = None


def configurar(nuevos: Servicios | None) -> None:
    """Install the services the actions use (the engine at start, or a test)."""
    global _actual
    _actual = nuevos


def configurar_desde_settings(settings: Settings, db: Engine | None = None) -> Servicios:
    """Build the embedded services (SQL registry with demo data, local issuer) from settings."""
    from actions.efirma_config import ConfigEfirma
    from bot.documentos_factory import construir_emisor
    from bot.registro_factory import construir_registro
    from bot.store import create_db_engine, migrate, session_factory
    from bot.vault import FileVault

    if db is None:
        db = create_db_engine(settings.effective_database_url)
        migrate(db)
    emisor, _claves, _folios = construir_emisor(settings, session_factory(db))
    servicios_ = Servicios(
        registro=construir_registro(settings, engine=db),
        emisor=emisor,
        vault=FileVault.desde_settings(settings, db),
        efirma=ConfigEfirma(ca_dir=settings.efirma_ca_dir),
    )
    configurar(servicios_)
    return servicios_


def servicios() -> Servicios:
    """The installed services; an action server process builds them from its environment."""
    if _actual is None:
        from bot.settings import Settings

        return configurar_desde_settings(Settings())
    return _actual
