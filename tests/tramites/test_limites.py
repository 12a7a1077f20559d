"""Rate limits kept in the database: they count per rule and key, across limiter instances (workers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.store import create_db_engine, migrate, session_factory
from tests.conftest import REPO_ROOT
from tests.databases import fresh_database_url
from tramites.limites import EventoLimiteRow, Limitador, Regla, cargar_reglas

SECRETO = b"x" * 32
REGLAS = {
    "consultas": Regla("consultas", 2, timedelta(hours=1)),
    "curps": Regla("curps", 2, timedelta(days=1), distintos=True),
}


class Reloj:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.ahora = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.ahora


@pytest.fixture
def sesiones(tmp_path: Path) -> sessionmaker[Session]:
    db = create_db_engine(fresh_database_url() or f"sqlite:///{tmp_path / 'limites.db'}")
    migrate(db)
    return session_factory(db)


@pytest.fixture
def nuevo(sesiones: sessionmaker[Session]) -> Callable[[Reloj], Limitador]:
    return lambda reloj: Limitador(sesiones, REGLAS, SECRETO, ahora=reloj)


def test_the_third_attempt_in_the_window_is_refused_until_the_first_one_ages_out(
    nuevo: Callable[[Reloj], Limitador],
) -> None:
    reloj = Reloj()
    primero, segundo = nuevo(reloj), nuevo(reloj)  # two workers on one database
    assert primero.intentar("consultas", "telegram:1").permitido
    reloj.ahora += timedelta(minutes=10)
    assert segundo.intentar("consultas", "telegram:1").permitido
    negado = primero.intentar("consultas", "telegram:1")
    assert not negado.permitido
    assert negado.reintentar_desde == datetime(2026, 11, 30, 13, 0, tzinfo=UTC)
    assert primero.intentar("consultas", "telegram:2").permitido, "another sender has its own count"
    reloj.ahora = datetime(2026, 11, 30, 13, 0, 1, tzinfo=UTC)
    assert segundo.intentar("consultas", "telegram:1").permitido


def test_distinct_values_cost_once_and_repeats_stay_allowed(nuevo: Callable[[Reloj], Limitador]) -> None:
    limitador = nuevo(Reloj())
    assert limitador.intentar("curps", "web:a", "CURP1").permitido
    assert limitador.intentar("curps", "web:a", "CURP2").permitido
    assert limitador.intentar("curps", "web:a", "CURP1").permitido
    assert not limitador.intentar("curps", "web:a", "CURP3").permitido


def test_the_table_holds_no_sender_or_curp_in_clear(
    nuevo: Callable[[Reloj], Limitador], sesiones: sessionmaker[Session]
) -> None:
    nuevo(Reloj()).intentar("curps", "telegram:5551234", "HEGL850212MDFRRP05")
    with sesiones() as s:
        fila = s.scalars(select(EventoLimiteRow)).one()
    assert "5551234" not in fila.clave and "HEGL" not in fila.valor
    assert len(fila.clave) == len(fila.valor) == 64


def test_forget_and_purge(nuevo: Callable[[Reloj], Limitador], sesiones: sessionmaker[Session]) -> None:
    reloj = Reloj()
    limitador = nuevo(reloj)
    limitador.intentar("consultas", "a")
    limitador.intentar("consultas", "a")
    assert not limitador.consultar("consultas", "a").permitido
    limitador.olvidar("consultas", "a")
    assert limitador.consultar("consultas", "a").permitido
    limitador.intentar("consultas", "b")
    reloj.ahora += timedelta(days=2)
    assert limitador.purgar() == 1
    with sesiones() as s:
        assert s.scalars(select(EventoLimiteRow)).all() == []


def test_the_shipped_rules_are_the_documented_limits() -> None:
    reglas = cargar_reglas(REPO_ROOT / "data" / "limites.yml")
    consultas = reglas["consultas_identidad"]
    assert (consultas.maximo, consultas.ventana) == (5, timedelta(hours=1))
    assert reglas["curps_distintas"].distintos and reglas["curps_distintas"].ventana == timedelta(days=1)
    assert (reglas["mensajes"].maximo, reglas["mensajes"].ventana) == (30, timedelta(minutes=1))
    efirma = reglas["contrasenas_efirma"]
    assert (efirma.maximo, efirma.ventana) == (3, timedelta(minutes=15))
