"""What the e.firma actions need besides the registry: the trust store and the revocation checker."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tramites.efirma import AlmacenConfianza, VerificadorRevocacion

__all__ = ["ConfigEfirma"]


def _sin_conexion() -> VerificadorRevocacion:
    from tramites.efirma import RevocacionSinConexion

    return RevocacionSinConexion()


@dataclass
class ConfigEfirma:
    """Trust store folder (`EFIRMA_CA_DIR`), loaded on first use, and the revocation checker."""

    ca_dir: Path | None = None
    revocacion: VerificadorRevocacion = field(default_factory=_sin_conexion)
    almacen_fijo: AlmacenConfianza | None = None

    def almacen(self) -> AlmacenConfianza:
        """The trust store; an unset folder gives an empty one (checks then say it is not configured).

        Loaded lazily so a broken folder does not stop the bot from starting: the error
        (`AlmacenConfianzaInvalido`) surfaces when an e.firma is checked, with its `detalle` for the log.
        """
        if self.almacen_fijo is None:
            from tramites.efirma import AlmacenConfianza

            self.almacen_fijo = AlmacenConfianza.desde_directorio(self.ca_dir)
        return self.almacen_fijo
