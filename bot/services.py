"""Wiring of the services the actions use (registry, issuer, upload custody, e.firma trust store, email)."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from actions.servicios import Servicios
    from bot.settings import Settings

__all__ = ["build_services"]


def build_services(settings: Settings, db: Engine) -> Servicios:
    """The embedded services on an already migrated database: SQL registry with demo data, local issuer."""
    from actions.servicios import Servicios
    from bot.correo import construir_correo
    from bot.documentos_factory import construir_emisor
    from bot.registro_factory import construir_registro
    from bot.store import session_factory
    from bot.store.database import checkpoint
    from tramites.efirma.configuracion import ConfigEfirma
    from tramites.efirma.custodia import SqlCustodia, cargar_clave_servidor
    from tramites.limites import Limitador, cargar_reglas

    sessions = session_factory(db)
    emisor, _claves, _folios = construir_emisor(settings, sessions)
    clave = cargar_clave_servidor(settings.server_secret_key, settings.keys_dir)
    reglas = cargar_reglas(settings.limites_file)
    servicios = Servicios(
        registro=construir_registro(settings, engine=db),
        emisor=emisor,
        vault=SqlCustodia(sessions, clave, wiped=lambda: checkpoint(db)),
        efirma=ConfigEfirma(ca_dir=settings.efirma_ca_dir),
        correo=construir_correo(settings),
    )
    # The limits follow the services' clock (in UTC, as they store it), so a pause and the time the
    # person is told agree with every other date the actions give.
    servicios.limites = Limitador(sessions, reglas, clave, ahora=lambda: servicios.ahora().astimezone(UTC))
    return servicios
