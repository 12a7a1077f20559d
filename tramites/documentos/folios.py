"""Folios of issued documents: generation and the registry that verification checks against."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import DateTime, String, Text, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from tramites.db import TramitesBase
from tramites.documentos.modelo import DocumentosError

__all__ = [
    "FOLIO_PATRON",
    "DocumentoEmitidoRow",
    "FolioDuplicado",
    "MemoriaRegistroFolios",
    "RegistroFolio",
    "RegistroFolios",
    "SqlRegistroFolios",
    "huella_cadena",
    "nuevo_folio",
]

_BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
FOLIO_PATRON: re.Pattern[str] = re.compile(r"^IMSS-\d{8}-[A-Z2-7]{8}$")


class FolioDuplicado(DocumentosError):
    """A folio was registered twice."""


def nuevo_folio(fecha: datetime) -> str:
    """A random folio such as ``IMSS-20260115-K7Q2MZ4D`` (40 bits of randomness per day)."""
    aleatorio = "".join(secrets.choice(_BASE32) for _ in range(8))
    return f"IMSS-{fecha:%Y%m%d}-{aleatorio}"


def huella_cadena(cadena: str) -> str:
    """SHA-256 (hex) of the UTF-8 cadena original, as stored in the registry."""
    return hashlib.sha256(cadena.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RegistroFolio:
    """What the institution keeps about each issued document (no personal data, only hashes)."""

    folio: str
    tipo: str
    fecha: datetime
    cadena_sha256: str
    sello: str
    clave: str | None = None
    """Hash of the idempotency key the document was issued for (`tramites.idempotencia`), if any."""


class RegistroFolios(Protocol):
    """Where issued folios are recorded and looked up."""

    def registrar(self, registro: RegistroFolio) -> None:
        """Record a newly issued folio; raises FolioDuplicado if it exists."""
        ...

    def buscar(self, folio: str) -> RegistroFolio | None:
        """The record of a folio, or None if it was never issued."""
        ...

    def buscar_clave(self, clave: str) -> RegistroFolio | None:
        """The record issued for that idempotency key hash, or None."""
        ...


class MemoriaRegistroFolios:
    """In-memory registry (tests, one-off tools)."""

    def __init__(self) -> None:
        self._datos: dict[str, RegistroFolio] = {}

    def registrar(self, registro: RegistroFolio) -> None:
        """Record a newly issued folio."""
        if registro.folio in self._datos or (registro.clave and self.buscar_clave(registro.clave)):
            raise FolioDuplicado(f"El folio {registro.folio} ya estaba registrado.")
        self._datos[registro.folio] = registro

    def buscar(self, folio: str) -> RegistroFolio | None:
        """The record of a folio, or None."""
        return self._datos.get(folio)

    def buscar_clave(self, clave: str) -> RegistroFolio | None:
        """The record issued for that idempotency key hash, or None."""
        return next((r for r in self._datos.values() if r.clave == clave), None)


class DocumentoEmitidoRow(TramitesBase):
    """Table `documentos_emitidos`: one row per issued document."""

    __tablename__ = "documentos_emitidos"
    __table_args__ = (UniqueConstraint("clave", name="uq_documentos_emitidos_clave"),)

    folio: Mapped[str] = mapped_column(String(40), primary_key=True)
    tipo: Mapped[str] = mapped_column(String(60), index=True)
    fecha: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    cadena_sha256: Mapped[str] = mapped_column(String(64))
    sello: Mapped[str] = mapped_column(Text)
    clave: Mapped[str | None] = mapped_column(String(64), nullable=True)


class SqlRegistroFolios:
    """Registry of issued folios in the `documentos_emitidos` table."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def registrar(self, registro: RegistroFolio) -> None:
        """Insert a newly issued folio."""
        # Stored in UTC: SQLite drops offsets, PostgreSQL keeps them; UTC reads back the same on both.
        fecha = registro.fecha.astimezone(UTC)
        with self._sessions() as session:
            session.add(DocumentoEmitidoRow(
                folio=registro.folio, tipo=registro.tipo, fecha=fecha,
                cadena_sha256=registro.cadena_sha256, sello=registro.sello, clave=registro.clave,
            ))
            try:
                session.commit()
            except IntegrityError as e:
                session.rollback()
                raise FolioDuplicado(f"El folio {registro.folio} ya estaba registrado.") from e

    def buscar(self, folio: str) -> RegistroFolio | None:
        """The record of a folio, or None."""
        with self._sessions() as session:
            return _registro(session.get(DocumentoEmitidoRow, folio))

    def buscar_clave(self, clave: str) -> RegistroFolio | None:
        """The record issued for that idempotency key hash, or None."""
        with self._sessions() as session:
            consulta = select(DocumentoEmitidoRow).where(DocumentoEmitidoRow.clave == clave)
            return _registro(session.scalars(consulta).first())


def _registro(fila: DocumentoEmitidoRow | None) -> RegistroFolio | None:
    if fila is None:
        return None
    fecha = fila.fecha if fila.fecha.tzinfo else fila.fecha.replace(tzinfo=UTC)
    return RegistroFolio(folio=fila.folio, tipo=fila.tipo, fecha=fecha, cadena_sha256=fila.cadena_sha256,
                         sello=fila.sello, clave=fila.clave)
