"""What the e.firma checks need besides the files: the trust store and the revocation checker."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tramites.efirma.confianza import AlmacenConfianza
from tramites.efirma.revocacion import RevocacionSinConexion, VerificadorRevocacion

__all__ = ["ConfigEfirma"]


@dataclass
class ConfigEfirma:
    """Trust store folder (`EFIRMA_CA_DIR`), loaded on first use, and the revocation checker."""

    ca_dir: Path | None = None
    revocacion: VerificadorRevocacion = field(default_factory=RevocacionSinConexion)
    almacen_fijo: AlmacenConfianza | None = None

    def almacen(self) -> AlmacenConfianza:
        """The trust store; an unset folder gives an empty one (checks then say it is not configured).

        Loaded lazily so a broken folder does not stop the bot from starting: the error
        (`AlmacenConfianzaInvalido`) surfaces when an e.firma is checked, with its `detalle` for the log.
        """
        if self.almacen_fijo is None:
            self.almacen_fijo = AlmacenConfianza.desde_directorio(self.ca_dir)
        return self.almacen_fijo
