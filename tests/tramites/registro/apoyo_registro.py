"""Builders shared by the registry and trámite tests: a SQLite registry in a temporary folder."""

from __future__ import annotations

import functools
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

import tramites.documentos.folios
import tramites.efirma.custodia
from tramites.db import TramitesBase
from tramites.documentos import ClavesInstitucion, Emisor, SqlRegistroFolios
from tramites.puertos import Puertos
from tramites.registro import SqlRegistro, sembrar_demo
from tramites.registro.demo import sembrar_catalogo

__all__ = [
    "AHORA",
    "HOY",
    "claves_de_prueba",
    "copia_demo",
    "crear_sesiones",
    "puertos_de",
    "registro_demo",
    "registro_vacio",
]

# Imported for their tables: `crear_sesiones` creates every tramites table.
_ = (tramites.documentos.folios, tramites.efirma.custodia)

HOY = date(2026, 3, 2)
"""Reference date of the demo seed in the tests."""
AHORA = datetime(2026, 3, 2, 16, 30, tzinfo=UTC)

_plantillas: dict[tuple[int, int, date], Path] = {}


def crear_sesiones(carpeta: Path) -> sessionmaker[Session]:
    """A session factory on a new SQLite file with every tramites table."""
    engine = create_engine(f"sqlite:///{carpeta / 'registro.db'}")
    TramitesBase.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)


def _sesiones_de(archivo: Path) -> sessionmaker[Session]:
    return sessionmaker(create_engine(f"sqlite:///{archivo}"), expire_on_commit=False)


def registro_demo(carpeta: Path, hoy: date = HOY, semilla: int = 2026) -> SqlRegistro:
    """A registry freshly seeded with the demo data at `hoy`, with a fixed clock for folios."""
    sesiones = crear_sesiones(carpeta)
    sembrar_demo(sesiones, semilla, hoy=hoy)
    return SqlRegistro(sesiones, now=lambda: AHORA)


def copia_demo(tmp_path_factory: pytest.TempPathFactory, carpeta: Path, hoy: date = HOY) -> SqlRegistro:
    """A private copy of a demo registry seeded once per test session (cheap for tests that write)."""
    clave = (id(tmp_path_factory), 2026, hoy)
    if clave not in _plantillas:
        origen = tmp_path_factory.mktemp("plantilla")
        registro_demo(origen, hoy)
        _plantillas[clave] = origen / "registro.db"
    destino = carpeta / "registro.db"
    shutil.copyfile(_plantillas[clave], destino)
    return SqlRegistro(_sesiones_de(destino), now=lambda: AHORA)


def registro_vacio(carpeta: Path, con_catalogo: bool = True) -> SqlRegistro:
    """A registry with no people (and the UMF catalogue unless told otherwise)."""
    sesiones = crear_sesiones(carpeta)
    if con_catalogo:
        with sesiones.begin() as s:
            sembrar_catalogo(s)
    return SqlRegistro(sesiones, now=lambda: AHORA)


@functools.cache
def claves_de_prueba() -> ClavesInstitucion:
    """The institution keys for the tests, generated once (RSA generation is the slow part)."""
    return ClavesInstitucion.generar()


def puertos_de(registro: SqlRegistro, carpeta: Path, ahora: datetime = AHORA) -> Puertos:
    """The use cases' ports on `registro`'s database: SQL folio registry, documents into `carpeta`."""
    emisor = Emisor(
        claves_de_prueba(), SqlRegistroFolios(registro.session_factory), "https://imss.example.mx",
        carpeta / "documentos", now=lambda: ahora,
    )
    return Puertos(registro=registro, emisor=emisor, ahora=lambda: ahora)
