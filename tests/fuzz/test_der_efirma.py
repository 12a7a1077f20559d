"""Hostile .cer and .key bytes (random, cut short, bytes changed, lengths lied about) end in an e.firma
error at most: never another exception from the DER reader, the PKCS#8 checks or cryptography."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.efirma_factory import directorio_fixtures
from tramites.efirma import EfirmaError, abrir_llave, clasificar_archivo, leer_certificado

REALES = sorted(p.read_bytes() for p in directorio_fixtures().rglob("*") if p.suffix in (".cer", ".key"))


@st.composite
def mutados(draw: st.DrawFn) -> bytes:
    """A real SAT file cut short, with bytes changed, or with a chunk inserted."""
    data = bytearray(draw(st.sampled_from(REALES)))
    forma = draw(st.sampled_from(["recortar", "cambiar", "insertar"]))
    if forma == "recortar":
        return bytes(data[: draw(st.integers(0, len(data)))])
    if forma == "cambiar":
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    pos = draw(st.integers(0, len(data)))
    return bytes(data[:pos] + draw(st.binary(max_size=64)) + data[pos:])


HOSTILES = st.one_of(st.binary(max_size=4096), mutados())


@settings(max_examples=60, deadline=None)
@given(data=HOSTILES)
def test_sniffing_any_bytes_gives_a_kind_or_an_efirma_error(data: bytes) -> None:
    for nombre in ("archivo.cer", "archivo.key"):
        try:
            assert clasificar_archivo(nombre, data) in ("certificado", "llave")
        except EfirmaError as error:
            assert error.mensaje


@settings(max_examples=60, deadline=None)
@given(data=HOSTILES)
def test_reading_any_bytes_as_a_certificate_gives_a_certificate_or_an_efirma_error(data: bytes) -> None:
    try:
        leer_certificado(data)
    except EfirmaError as error:
        assert error.mensaje


@settings(max_examples=40, deadline=None)
@given(data=mutados())
def test_opening_a_damaged_key_gives_a_key_or_an_efirma_error(data: bytes) -> None:
    try:
        abrir_llave(data, "12345678a")
    except EfirmaError as error:
        assert error.mensaje
