"""Data types and errors for issued documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tramites.errores import TramiteError

__all__ = [
    "ClavesInvalidas",
    "Documento",
    "DocumentoEmitido",
    "DocumentoNoValido",
    "DocumentosError",
    "Tabla",
    "VerificacionOk",
]


class DocumentosError(TramiteError):
    """Base error of the documents module; `mensaje` is Spanish and shown to people."""


class DocumentoNoValido(DocumentosError):
    """A PDF failed verification; `motivo` is a stable code, `mensaje` the Spanish reason."""

    motivo: str


class ClavesInvalidas(DocumentosError):
    """The institution key or certificate is missing, unreadable or mismatched."""


@dataclass
class Tabla:
    """A table inside a document (e.g. beneficiarios, patrones)."""

    titulo: str
    columnas: list[str]
    filas: list[list[str]]


@dataclass
class Documento:
    """What a document says, before it gets a folio and a sello."""

    tipo: str
    titulo: str
    campos: list[tuple[str, str]]
    tablas: list[Tabla] = field(default_factory=list)
    notas: list[str] = field(default_factory=list)
    firmas: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentoEmitido:
    """An issued, sealed and signed PDF on disk."""

    folio: str
    path: Path
    filename: str
    mime: str
    cadena_original: str
    sello: str
    fecha: datetime


@dataclass(frozen=True)
class VerificacionOk:
    """A PDF that passed every check, with the data read back from its cadena original."""

    folio: str
    tipo: str
    fecha: datetime
    titulo: str
    campos: dict[str, str]
    cadena: str
    sello: str
    documento: Documento
