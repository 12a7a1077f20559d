"""Fixtures for the e.firma tests: the real SAT files, a test CA, SAT-like leaves and trust stores."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.efirma_factory import (
    PASSWORD_FIXTURES,
    CaPrueba,
    crear_ca,
    crear_csd,
    crear_fiel,
    directorio_fixtures,
)
from tramites.efirma import AlmacenConfianza

# Instants for the real (expired) SAT files: satcfdi FIELs are valid on the first, all expired on the second.
AHORA_VALIDO = datetime(2022, 6, 1, 12, 0, tzinfo=UTC)
AHORA_VENCIDO = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def fixtures_efirma() -> Path:
    """The folder with SAT's test .cer/.key files (tests/fixtures/efirma)."""
    ruta = directorio_fixtures()
    assert ruta.is_dir(), f"faltan los archivos de prueba del SAT en {ruta}"
    return ruta


@pytest.fixture(scope="session")
def leer_fixture(fixtures_efirma: Path) -> Callable[[str], bytes]:
    """Read a fixture file by its path relative to the fixtures folder."""

    def leer(relativo: str) -> bytes:
        return (fixtures_efirma / relativo).read_bytes()

    return leer


@pytest.fixture(scope="session")
def password_fixtures() -> str:
    """Password of every SAT test key."""
    return PASSWORD_FIXTURES


@pytest.fixture(scope="session")
def ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A trust-store folder holding only the test root CA."""
    return tmp_path_factory.mktemp("ca_confiable")


@pytest.fixture(scope="session")
def ca(ca_dir: Path) -> CaPrueba:
    """The test root CA, written into `ca_dir` (session-wide: RSA key generation is the slow part)."""
    return crear_ca(ca_dir, archivo="ac_raiz.cer")


@pytest.fixture(scope="session")
def almacen(ca: CaPrueba, ca_dir: Path) -> AlmacenConfianza:
    """A trust store that trusts the test CA."""
    return AlmacenConfianza.desde_directorio(ca_dir)


@pytest.fixture(scope="session")
def fabrica_fiel(ca: CaPrueba) -> Callable[..., tuple[bytes, bytes, str]]:
    """`crear_fiel` bound to the test CA: `fabrica_fiel(rfc, curp, nombre, **opciones)`."""
    return functools.partial(crear_fiel, ca)


@pytest.fixture(scope="session")
def fabrica_csd(ca: CaPrueba) -> Callable[..., tuple[bytes, bytes, str]]:
    """`crear_csd` bound to the test CA."""
    return functools.partial(crear_csd, ca)


@pytest.fixture(scope="session")
def fiel_fisica(ca: CaPrueba) -> tuple[bytes, bytes, str]:
    """A SAT-like FIEL of a persona física issued by the test CA, valid now."""
    return crear_fiel(
        ca, "XIQB891116QE4", "XIQB891116MGRMZR05", "BERENICE XIMO QUEZADA", password="Secreta#2026"
    )


@pytest.fixture(scope="session")
def fiel_moral(ca: CaPrueba) -> tuple[bytes, bytes, str]:
    """A SAT-like FIEL of a persona moral (company RFC + representante) issued by the test CA."""
    return crear_fiel(
        ca,
        "EKU9003173C9",
        None,
        "ESCUELA KEMPER URGATE SA DE CV",
        rfc_representante="XIQB891116QE4",
        curp_representante="XIQB891116MGRMZR05",
    )


@pytest.fixture(scope="session")
def csd_fisica(ca: CaPrueba) -> tuple[bytes, bytes, str]:
    """A SAT-like CSD issued by the test CA."""
    return crear_csd(ca, "XIQB891116QE4", "XIQB891116MGRMZR05", "BERENICE XIMO QUEZADA", sucursal="Matriz")


@pytest.fixture
def ahora_valido() -> datetime:
    """2022-06-01: the satcfdi FIELs are valid then."""
    return AHORA_VALIDO


@pytest.fixture
def ahora_vencido() -> datetime:
    """2024-01-01: every SAT test file except emisor2021 has expired."""
    return AHORA_VENCIDO


@pytest.fixture
def ahora() -> datetime:
    """The current instant, for certificates built by the factory (valid now)."""
    return datetime.now(UTC)
