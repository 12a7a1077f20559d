"""The ports every trámite use case is given: the IMSS registry, the document issuer and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from tramites.documentos.emisor import Emisor, ahora_mexico
from tramites.registro.puerto import Registro

__all__ = ["Puertos"]


@dataclass
class Puertos:
    """What a use case reads from and writes to; each part swaps behind its own Protocol or class."""

    registro: Registro
    emisor: Emisor
    ahora: Callable[[], datetime] = field(default=ahora_mexico)
    """The clock, timezone-aware (Mexico City); replaceable in tests."""

    def hoy(self) -> date:
        """Today's date by the clock."""
        return self.ahora().date()
