"""Actions run against real domain services, built from tramites parts on a private database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from actions.servicios import ZONA, Servicios, instalar
from tests.tramites.registro.apoyo_registro import claves_de_prueba, crear_sesiones
from tramites.documentos import Emisor, SqlRegistroFolios
from tramites.efirma.configuracion import ConfigEfirma
from tramites.efirma.custodia import SqlCustodia
from tramites.registro import SqlRegistro, sembrar_demo


@pytest.fixture(scope="session")
def registro_sembrado(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo registry seeded once, today in Mexico City (the actions' clock is the real one)."""
    carpeta = tmp_path_factory.mktemp("registro-demo")
    sembrar_demo(crear_sesiones(carpeta), hoy=datetime.now(ZONA).date())
    return carpeta / "registro.db"


def construir_servicios(plantilla: Path, carpeta: Path, ca_dir: Path | None = None) -> Servicios:
    """Registry, issuer, upload custody and trust store on a private copy of the demo database."""
    carpeta.mkdir(parents=True, exist_ok=True)
    archivo = carpeta / "tramites.db"
    shutil.copyfile(plantilla, archivo)
    sesiones = sessionmaker(create_engine(f"sqlite:///{archivo}"), expire_on_commit=False)
    emisor = Emisor(
        claves_de_prueba(), SqlRegistroFolios(sesiones), "https://imss.example.mx", carpeta / "documentos"
    )
    return Servicios(
        registro=SqlRegistro(sesiones),
        emisor=emisor,
        vault=SqlCustodia(sesiones, Fernet.generate_key()),
        efirma=ConfigEfirma(ca_dir=ca_dir),
    )


@pytest.fixture
def servicios_demo(registro_sembrado: Path, tmp_path: Path) -> Iterator[Servicios]:
    """Fresh demo services, installed for the actions."""
    servicios_ = construir_servicios(registro_sembrado, tmp_path / "datos")
    instalar(servicios_)
    yield servicios_
    instalar(None)
