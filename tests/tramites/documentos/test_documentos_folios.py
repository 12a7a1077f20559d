"""Folios and the registry of issued documents."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlalchemy.orm import sessionmaker

from tramites.db import TramitesBase
from tramites.documentos import (
    FOLIO_PATRON,
    FolioDuplicado,
    MemoriaRegistroFolios,
    RegistroFolio,
    RegistroFolios,
    SqlRegistroFolios,
    huella_cadena,
    nuevo_folio,
)

FECHA = datetime(2026, 1, 15, 10, 30, 5, tzinfo=timezone(timedelta(hours=-6)))


def test_formato_y_unicidad_del_folio() -> None:
    folios = {nuevo_folio(FECHA) for _ in range(2000)}
    assert len(folios) == 2000
    for folio in folios:
        assert FOLIO_PATRON.match(folio), folio
        assert folio.startswith("IMSS-20260115-")


def _sql(tmp_path: Path) -> SqlRegistroFolios:
    engine = create_engine(f"sqlite:///{tmp_path}/folios.db")
    TramitesBase.metadata.create_all(engine)
    assert "documentos_emitidos" in inspect(engine).get_table_names()
    return SqlRegistroFolios(sessionmaker(engine))


@pytest.mark.parametrize("tipo", ["memoria", "sql"])
def test_registrar_y_buscar(tipo: str, tmp_path: Path) -> None:
    registro: RegistroFolios = MemoriaRegistroFolios() if tipo == "memoria" else _sql(tmp_path)
    entrada = RegistroFolio(folio="IMSS-20260115-ABCDEFGH", tipo="comprobante_nss", fecha=FECHA,
                            cadena_sha256=huella_cadena("||x||"), sello="c2VsbG8=")
    registro.registrar(entrada)
    encontrado = registro.buscar("IMSS-20260115-ABCDEFGH")
    assert encontrado is not None
    assert encontrado.fecha == FECHA  # same instant, whatever offset the database returns
    assert (encontrado.tipo, encontrado.cadena_sha256, encontrado.sello) == (
        "comprobante_nss", huella_cadena("||x||"), "c2VsbG8=")
    assert registro.buscar("IMSS-20260115-ZZZZZZZZ") is None
    with pytest.raises(FolioDuplicado):
        registro.registrar(entrada)


def test_sql_devuelve_fechas_con_zona(tmp_path: Path) -> None:
    registro = _sql(tmp_path)
    registro.registrar(RegistroFolio(folio="F1", tipo="t", fecha=FECHA, cadena_sha256="0" * 64, sello="s"))
    encontrado = registro.buscar("F1")
    assert encontrado is not None and encontrado.fecha.tzinfo is not None
    assert encontrado.fecha.astimezone(UTC) == datetime(2026, 1, 15, 16, 30, 5, tzinfo=UTC)


def test_huella_es_sha256_de_utf8() -> None:
    import hashlib

    assert huella_cadena("||ñ||") == hashlib.sha256("||ñ||".encode()).hexdigest()
