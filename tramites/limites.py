"""Rate limits kept in the database, so they hold across workers and restarts.

A limit (`Regla`) allows at most `maximo` events of one kind per key (a sender, a certificate number)
within a sliding window. With `distintos`, it counts distinct values instead (e.g. different CURPs a day
per sender): the same value again costs nothing. Keys and values are stored only as keyed hashes, so the
table holds no CURP, certificate number or chat id. The rules themselves are data (`data/limites.yml`).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import (
    DateTime,
    Engine,
    Index,
    Integer,
    String,
    bindparam,
    column,
    delete,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from tramites.db import TramitesBase

__all__ = ["Decision", "EventoLimiteRow", "Limitador", "Regla", "cargar_reglas"]


@dataclass(frozen=True)
class Regla:
    """At most `maximo` events (or distinct values) per key within `ventana`."""

    nombre: str
    maximo: int
    ventana: timedelta
    distintos: bool = False


@dataclass(frozen=True)
class Decision:
    """The outcome of one attempt: allowed, or refused (at `decidida`, by the limiter's clock) until
    `reintentar_desde`."""

    permitido: bool
    regla: str
    reintentar_desde: datetime | None = None
    decidida: datetime | None = None

    @property
    def segundos_restantes(self) -> int:
        """Whole seconds (at least 1) until a refused attempt may be tried again; 0 when allowed."""
        if self.permitido or self.reintentar_desde is None or self.decidida is None:
            return 0
        return max(1, math.ceil((self.reintentar_desde - self.decidida).total_seconds()))

    @property
    def minutos_restantes(self) -> int:
        """Whole minutes (at least 1) until a refused attempt may be tried again; 0 when allowed."""
        return math.ceil(self.segundos_restantes / 60)


_DONDE = "FROM limites_eventos WHERE regla = :regla AND clave = :clave AND instante > :desde"
_CUENTA = text(f"SELECT count(*) {_DONDE}").bindparams(bindparam("desde", type_=DateTime(timezone=True)))
_VALORES = text(f"SELECT valor {_DONDE}").bindparams(bindparam("desde", type_=DateTime(timezone=True)))
_PRIMERO = text(f"SELECT min(instante) {_DONDE}").bindparams(
    bindparam("desde", type_=DateTime(timezone=True))
).columns(column("instante", DateTime(timezone=True)))
# Count and insert in one statement: the row goes in only while the count is under the maximum, so the
# common case is one round trip, and two workers cannot both take the last place.
_ANOTAR_SI_CABE = text(
    "INSERT INTO limites_eventos (regla, clave, valor, instante) "
    # Typed: PostgreSQL must not deduce two types for a parameter used in the list and the condition.
    "SELECT CAST(:regla AS VARCHAR(40)), CAST(:clave AS VARCHAR(64)), CAST(:valor AS VARCHAR(64)), :instante "
    f"WHERE (SELECT count(*) {_DONDE}) < :maximo"
).bindparams(
    bindparam("instante", type_=DateTime(timezone=True)), bindparam("desde", type_=DateTime(timezone=True))
)
_ANOTAR = text(
    "INSERT INTO limites_eventos (regla, clave, valor, instante) VALUES (:regla, :clave, :valor, :instante)"
).bindparams(bindparam("instante", type_=DateTime(timezone=True)))


class EventoLimiteRow(TramitesBase):
    """One counted event: which rule, whose key (hashed), which value (hashed), when."""

    __tablename__ = "limites_eventos"
    __table_args__ = (Index("ix_limites_eventos_regla_clave_instante", "regla", "clave", "instante"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    regla: Mapped[str] = mapped_column(String(40))
    clave: Mapped[str] = mapped_column(String(64))
    valor: Mapped[str] = mapped_column(String(64), default="")
    instante: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def cargar_reglas(ruta: Path) -> dict[str, Regla]:
    """The rules of a YAML file: `{nombre: {maximo: N, ventana_minutos: M, distintos: bool}}`."""
    datos: Mapping[str, Any] = yaml.safe_load(ruta.read_text(encoding="utf-8")) or {}
    return {
        nombre: Regla(
            nombre=nombre,
            maximo=int(valores["maximo"]),
            ventana=timedelta(minutes=float(valores["ventana_minutos"])),
            distintos=bool(valores.get("distintos", False)),
        )
        for nombre, valores in (datos.get("limites") or {}).items()
    }


class Limitador:
    """Counts attempts per rule and key in `limites_eventos` and says whether one more is allowed."""

    def __init__(
        self,
        sesiones: sessionmaker[Session],
        reglas: Mapping[str, Regla],
        secreto: bytes,
        ahora: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._sesiones = sesiones
        motor = sesiones.kw.get("bind")
        if not isinstance(motor, Engine):
            raise TypeError("el Limitador necesita un sessionmaker ligado a un Engine")
        self._motor = motor
        self._reglas = dict(reglas)
        self._secreto = secreto
        self._ahora = ahora

    @property
    def reglas(self) -> Mapping[str, Regla]:
        """The rules this limiter enforces, by name."""
        return self._reglas

    def fijar(self, regla: Regla) -> None:
        """Add or replace one rule (the benchmark's 1,000-turn conversation is not a flood)."""
        self._reglas[regla.nombre] = regla

    def _huella(self, regla: str, texto: str) -> str:
        # Keyed: a stolen database cannot be searched for a known CURP or chat id by hashing it.
        return hmac.new(self._secreto, f"{regla}\n{texto}".encode(), hashlib.sha256).hexdigest()

    def intentar(self, regla: str, clave: str, valor: str = "") -> Decision:
        """Count one attempt of `regla` for `clave` (`valor` for distinct rules) if the limit allows it."""
        r = self._reglas.get(regla)
        if r is None:
            return Decision(True, regla)
        ahora = self._ahora()
        filtro = self._filtro(r, clave, ahora)
        huella_valor = self._huella(regla, valor) if r.distintos else ""
        # Prepared text statements on a plain connection: this runs on every message, and building
        # ORM queries cost several times the database work.
        with self._motor.begin() as c:
            if not r.distintos:
                valores = {**filtro, "valor": "", "instante": ahora, "maximo": r.maximo}
                if c.execute(_ANOTAR_SI_CABE, valores).rowcount == 1:
                    return Decision(True, regla)
                return _negada(c, r, filtro, ahora)
            vistos = set(c.execute(_VALORES, filtro).scalars())
            if huella_valor in vistos:
                return Decision(True, regla)
            if len(vistos) >= r.maximo:
                return _negada(c, r, filtro, ahora)
            c.execute(_ANOTAR, {**filtro, "valor": huella_valor, "instante": ahora})
        return Decision(True, regla)

    def _filtro(self, r: Regla, clave: str, ahora: datetime) -> dict[str, Any]:
        """The parameters of `_DONDE`: `clave`'s events under `r` within its window."""
        return {"regla": r.nombre, "clave": self._huella(r.nombre, clave), "desde": ahora - r.ventana}

    def consultar(self, regla: str, clave: str) -> Decision:
        """Whether `clave` is currently refused by `regla`, without counting an attempt."""
        r = self._reglas.get(regla)
        if r is None:
            return Decision(True, regla)
        ahora = self._ahora()
        filtro = self._filtro(r, clave, ahora)
        with self._motor.connect() as c:
            if c.execute(_CUENTA, filtro).scalar_one() < r.maximo:
                return Decision(True, regla)
            return _negada(c, r, filtro, ahora)

    def usados(self, regla: str, clave: str) -> int:
        """How many events `clave` has under `regla` within its window (0 for an unknown rule)."""
        r = self._reglas.get(regla)
        if r is None:
            return 0
        with self._motor.connect() as c:
            return int(c.execute(_CUENTA, self._filtro(r, clave, self._ahora())).scalar_one())

    def olvidar(self, regla: str, clave: str) -> None:
        """Drop the events of `clave` under `regla` (e.g. the wrong passwords once a signature succeeds)."""
        with self._sesiones.begin() as s:
            s.execute(
                delete(EventoLimiteRow).where(
                    EventoLimiteRow.regla == regla, EventoLimiteRow.clave == self._huella(regla, clave)
                )
            )

    def purgar(self) -> int:
        """Delete events older than every window; returns how many went."""
        if not self._reglas:
            return 0
        limite = self._ahora() - max(r.ventana for r in self._reglas.values())
        with self._sesiones.begin() as s:
            resultado = s.execute(delete(EventoLimiteRow).where(EventoLimiteRow.instante <= limite))
        return int(getattr(resultado, "rowcount", 0) or 0)


def _negada(c: Connection, r: Regla, filtro: dict[str, Any], ahora: datetime) -> Decision:
    """A refusal under `r`: allowed again once its oldest counted event leaves the window."""
    primero = c.execute(_PRIMERO, filtro).scalar()
    desde = _aware(primero) if primero is not None else ahora
    return Decision(False, r.nombre, desde + r.ventana, ahora)


def _aware(instante: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone-aware columns; they were stored in UTC.
    return instante if instante.tzinfo else instante.replace(tzinfo=UTC)
