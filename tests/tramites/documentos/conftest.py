"""Shared fixtures for the documents tests: institution keys, registries, a fixed clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tramites.documentos import (
    ClavesInstitucion,
    Documento,
    DocumentoEmitido,
    Emisor,
    MemoriaRegistroFolios,
    Tabla,
)

AHORA = datetime(2026, 1, 15, 10, 30, 5, 123456, tzinfo=ZoneInfo("America/Mexico_City"))
URL = "https://imss.example.mx"


@pytest.fixture(scope="session")
def claves() -> ClavesInstitucion:
    """The institution keys (generated once: RSA key generation is the slow part)."""
    return ClavesInstitucion.generar()


@pytest.fixture(scope="session")
def claves_ajenas() -> ClavesInstitucion:
    """Somebody else's self-signed key that even claims our name."""
    return ClavesInstitucion.generar()


@pytest.fixture
def folios() -> MemoriaRegistroFolios:
    """An empty in-memory folio registry."""
    return MemoriaRegistroFolios()


@pytest.fixture
def reloj() -> Callable[[], datetime]:
    """A clock stuck at 15 Jan 2026, 10:30:05 Mexico City."""
    return lambda: AHORA


@pytest.fixture
def emisor(claves: ClavesInstitucion, folios: MemoriaRegistroFolios, tmp_path: Path,
           reloj: Callable[[], datetime]) -> Emisor:
    """An issuer writing into a temporary folder."""
    return Emisor(claves, folios, URL, tmp_path / "documentos", now=reloj)


@pytest.fixture
def documento() -> Documento:
    """A constancia with accents, a table and notes."""
    return Documento(
        tipo="constancia_vigencia",
        titulo="Constancia de Vigencia de Derechos",
        campos=[
            ("Nombre", "José Ñúñez Güemes"),
            ("NSS", "72795608040"),
            ("CURP", "XIQB891116MGRMZR05"),
            ("UMF de adscripción", "UMF 28 Gabriel Mancera"),
            ("¿Vigente?", "¡Sí! Tienes derecho a atención médica"),
        ],
        tablas=[Tabla("Beneficiarios", ["Nombre", "Parentesco"],
                      [["Ana Pérez Ibáñez", "Cónyuge"], ["Luis Núñez Pérez", "Hijo"]])],
        notas=["Presenta esta constancia en tu Unidad de Medicina Familiar."],
    )


@pytest.fixture
def emitido(emisor: Emisor, documento: Documento) -> DocumentoEmitido:
    """The document above, issued."""
    return emisor.emitir(documento, "constancia_vigencia.pdf")
