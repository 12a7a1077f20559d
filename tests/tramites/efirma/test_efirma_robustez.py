"""Random, truncated and bit-flipped uploads only ever raise typed e.firma errors, never crash."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.efirma_factory import FIXTURES_EFIRMA
from tramites.efirma import (
    EfirmaError,
    abrir_llave,
    clasificar_archivo,
    leer_certificado,
)

FIXTURES = sorted(
    str(p.relative_to(FIXTURES_EFIRMA)) for p in FIXTURES_EFIRMA.rglob("*") if p.suffix in (".cer", ".key")
)
RAPIDO = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _intentar(data: bytes, nombre: str = "archivo.cer") -> None:
    """Every public entry point that takes upload bytes; only EfirmaError may escape."""
    with contextlib.suppress(EfirmaError):
        clasificar_archivo(nombre, data)
    with contextlib.suppress(EfirmaError):
        leer_certificado(data)
    with contextlib.suppress(EfirmaError):
        abrir_llave(data, "12345678a")


def test_hay_archivos_de_prueba() -> None:
    assert len(FIXTURES) == 16


@pytest.mark.parametrize("archivo", FIXTURES)
def test_cada_truncamiento_de_cada_archivo(archivo: str, leer_fixture: Callable[[str], bytes]) -> None:
    completo = leer_fixture(archivo)
    for largo in range(len(completo)):
        recortado = completo[:largo]
        with pytest.raises(EfirmaError):
            clasificar_archivo(archivo, recortado)
        with pytest.raises(EfirmaError):
            leer_certificado(recortado)
        with pytest.raises(EfirmaError):
            abrir_llave(recortado, "12345678a")


@RAPIDO
@given(data=st.binary(max_size=4096))
def test_bytes_al_azar(data: bytes) -> None:
    _intentar(data)
    _intentar(data, "llave.key")


@RAPIDO
@given(
    cuerpo=st.binary(max_size=2048),
    cabecera=st.sampled_from(
        [b"\x30\x82\x05\x0e", b"\x30\x82\x06\x40\x30\x82\x05\x28\xa0\x03\x02\x01\x02", b"\x30\x80"]
    ),
)
def test_bytes_que_parecen_der(cabecera: bytes, cuerpo: bytes) -> None:
    _intentar(cabecera + cuerpo)


@RAPIDO
@given(
    etiqueta=st.sampled_from(["CERTIFICATE", "ENCRYPTED PRIVATE KEY", "PRIVATE KEY", "RSA PRIVATE KEY"]),
    cuerpo=st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n:-", max_size=600
    ),
)
def test_pem_al_azar(etiqueta: str, cuerpo: str) -> None:
    _intentar(f"-----BEGIN {etiqueta}-----\n{cuerpo}\n-----END {etiqueta}-----\n".encode())


@RAPIDO
@given(data=st.data())
def test_bytes_cambiados_en_archivos_reales(
    data: st.DataObject, leer_fixture: Callable[[str], bytes]
) -> None:
    archivo = data.draw(st.sampled_from(FIXTURES))
    original = bytearray(leer_fixture(archivo))
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        posicion = data.draw(st.integers(min_value=0, max_value=len(original) - 1))
        original[posicion] = data.draw(st.integers(min_value=0, max_value=255))
    _intentar(bytes(original), archivo)


@RAPIDO
@given(data=st.data())
def test_basura_pegada_al_final(data: st.DataObject, leer_fixture: Callable[[str], bytes]) -> None:
    archivo = data.draw(st.sampled_from(FIXTURES))
    cola = data.draw(st.binary(min_size=1, max_size=64))
    with pytest.raises(EfirmaError):
        clasificar_archivo(archivo, leer_fixture(archivo) + cola)


def test_version_x509_invalida(leer_fixture: Callable[[str], bytes]) -> None:
    # Found by hypothesis: version INTEGER 2 (v3) turned into 1 makes cryptography raise InvalidVersion.
    data = bytearray(leer_fixture("phpcfdi_CSD01_AAA010101AAA/certificate.cer"))
    assert data[12] == 2
    data[12] = 1
    with pytest.raises(EfirmaError):
        leer_certificado(bytes(data))


def test_marcadores_pem_hostiles_se_rechazan_rapido() -> None:
    import time

    inicio = time.monotonic()
    for data in (
        b"-----BEGIN CERTIFICATE-----" * 2400,
        b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + b"A" * 60000,
        b"-----BEGIN " * 5900,
    ):
        with pytest.raises(EfirmaError):
            clasificar_archivo("x.cer", data)
        with pytest.raises(EfirmaError):
            abrir_llave(data, "12345678a")
    assert time.monotonic() - inicio < 1
