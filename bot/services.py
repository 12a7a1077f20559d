"""Wiring of the services the actions use (registry, issuer, upload custody, e.firma trust store, email)."""

from __future__ import annotations

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
    from tramites.efirma.configuracion import ConfigEfirma
    from tramites.efirma.custodia import SqlCustodia, cargar_clave_servidor
    from tramites.limites import Limitador, cargar_reglas

    sessions = session_factory(db)
    emisor, _claves, _folios = construir_emisor(settings, sessions)
    clave = cargar_clave_servidor(settings.server_secret_key, settings.keys_dir)
    reglas = cargar_reglas(settings.domain_file.parent / "data" / "limites.yml")
    return Servicios(
        registro=construir_registro(settings, engine=db),
        emisor=emisor,
        vault=SqlCustodia(sessions, clave),
        efirma=ConfigEfirma(ca_dir=settings.efirma_ca_dir),
        limites=Limitador(sessions, reglas, clave),
        correo=construir_correo(settings),
    )
