"""The cadena original: canonical, unambiguous, reversible."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tramites.documentos import Documento, Tabla, cadena_original, parsear_cadena
from tramites.documentos.cadena import CadenaInvalida

FECHA = datetime(2026, 1, 15, 10, 30, 5, tzinfo=timezone(timedelta(hours=-6)))


def test_forma_canonica_exacta() -> None:
    doc = Documento(
        tipo="comprobante_nss",
        titulo="Comprobante de NSS",
        campos=[("Nombre", "José  Pérez\n"), ("NSS", " 72795608040 ")],
        tablas=[Tabla("Patrones", ["Registro patronal", "Alta"], [["Y5412345108", "2019-03-01"]])],
        notas=["Trámite gratuito."],
        firmas=[("Firma del solicitante (e.firma)", "QUJD")],
    )
    assert cadena_original(doc, "IMSS-20260115-ABCDEFGH", FECHA) == (
        "||1|comprobante_nss|IMSS-20260115-ABCDEFGH|2026-01-15T10:30:05-06:00|Comprobante de NSS"
        "|Nombre=José Pérez|NSS=72795608040"
        "|@tabla:Patrones:0:Registro patronal=|@tabla:Patrones:0:Alta="
        "|@tabla:Patrones:1:Registro patronal=Y5412345108|@tabla:Patrones:1:Alta=2019-03-01"
        "|@nota:1=Trámite gratuito.|@firma:Firma del solicitante (e.firma)=QUJD||"
    )


def test_misma_informacion_misma_cadena() -> None:
    # "é" precomposed vs "e" + combining accent, and different spacing, are the same data.
    a = Documento(tipo="t", titulo="T", campos=[("Nombre", "Jos\u00e9 P\u00e9rez")])
    b = Documento(tipo="t", titulo="T", campos=[("Nombre", "  Jose\u0301   Pe\u0301rez ")])
    assert cadena_original(a, "F", FECHA) == cadena_original(b, "F", FECHA)
    assert cadena_original(a, "F", FECHA).encode("utf-8") == cadena_original(b, "F", FECHA).encode("utf-8")


def test_separadores_en_los_datos_no_confunden() -> None:
    doc = Documento(tipo="t", titulo="a|b", campos=[("x=y", "1|2"), ("@raro", "c\\d"), ("h:m", "10:30")])
    cadena = cadena_original(doc, "F", FECHA)
    otro = Documento(tipo="t", titulo="a", campos=[("b|x", "y=1"), ("2", "")])
    assert cadena != cadena_original(otro, "F", FECHA)
    assert parsear_cadena(cadena).documento.campos == doc.campos
    assert parsear_cadena(cadena).documento.titulo == "a|b"


def test_fecha_sin_zona_horaria_se_rechaza() -> None:
    with pytest.raises(ValueError):
        cadena_original(Documento(tipo="t", titulo="T", campos=[]), "F", datetime(2026, 1, 15))


def test_parsear_rechaza_lo_que_no_es_cadena() -> None:
    for malo in ["", "hola", "||2|t|F|2026-01-15T10:30:05-06:00|T||", "||1|t|F|ayer|T||", "||1|t|F||"]:
        with pytest.raises(CadenaInvalida):
            parsear_cadena(malo)


_texto = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=12
).map(lambda s: " ".join(s.split())).filter(bool)


@settings(max_examples=150, deadline=None)
@given(
    titulo=_texto,
    campos=st.lists(st.tuples(_texto, _texto), max_size=4),
    columnas=st.lists(_texto, min_size=1, max_size=3, unique=True),
    n_filas=st.integers(0, 3),
    notas=st.lists(_texto, max_size=2),
    firmas=st.lists(st.tuples(_texto, _texto), max_size=2),
    data=st.data(),
)
def test_ida_y_vuelta(titulo: str, campos: list[tuple[str, str]], columnas: list[str], n_filas: int,
                      notas: list[str], firmas: list[tuple[str, str]], data: st.DataObject) -> None:
    import unicodedata

    def nfc(texto: str) -> str:
        return unicodedata.normalize("NFC", texto)

    filas = [[data.draw(_texto) for _ in columnas] for _ in range(n_filas)]
    doc = Documento(tipo="t", titulo=titulo, campos=campos, tablas=[Tabla("Tabla", columnas, filas)],
                    notas=notas, firmas=firmas)
    leida = parsear_cadena(cadena_original(doc, "IMSS-20260115-ABCDEFGH", FECHA))
    assert leida.folio == "IMSS-20260115-ABCDEFGH"
    assert leida.fecha == FECHA
    assert leida.documento.titulo == nfc(titulo)
    assert leida.documento.campos == [(nfc(" ".join(k.split())), nfc(" ".join(v.split()))) for k, v in campos]
    assert leida.documento.tablas[0].columnas == [nfc(" ".join(c.split())) for c in columnas]
    assert len(leida.documento.tablas[0].filas) == n_filas
    assert len(leida.documento.notas) == len(notas)
    assert len(leida.documento.firmas) == len(firmas)
