"""The demo UMF catalogue and the state ranges of códigos postales."""

from __future__ import annotations

from collections import Counter

import pytest

from tramites.registro import CATALOGO_UMF, CP_SIN_CLINICA, CP_SIN_CLINICA_EN_ESTADO, estado_de_cp
from tramites.registro.catalogo import ordenar_por_cercania


def test_al_menos_60_clinicas_en_al_menos_8_estados() -> None:
    assert len(CATALOGO_UMF) >= 60
    por_estado = Counter(u.estado for u in CATALOGO_UMF)
    assert len(por_estado) >= 8
    assert min(por_estado.values()) >= 5


def test_numeros_unicos_y_datos_completos() -> None:
    numeros = [u.numero for u in CATALOGO_UMF]
    assert len(numeros) == len(set(numeros))
    for u in CATALOGO_UMF:
        assert u.nombre and u.domicilio and u.municipio
        assert u.cps, u
        assert set(u.turnos) <= {"matutino", "vespertino"} and "matutino" in u.turnos
        assert sum(c.isdigit() for c in u.telefono) == 10, u.telefono


def test_cada_cp_de_clinica_esta_en_el_rango_de_su_estado() -> None:
    for u in CATALOGO_UMF:
        for cp in u.cps:
            assert len(cp) == 5 and cp.isdigit()
            assert estado_de_cp(cp) == u.estado, (u.numero, cp)


@pytest.mark.parametrize(("cp", "estado"), [
    ("01000", "Ciudad de México"), ("16999", "Ciudad de México"), ("44100", "Jalisco"),
    ("49999", "Jalisco"), ("64000", "Nuevo León"), ("67999", "Nuevo León"), ("72000", "Puebla"),
    ("75999", "Puebla"), ("50000", "Estado de México"), ("57999", "Estado de México"),
    ("39000", "Guerrero"), ("41999", "Guerrero"), ("36000", "Guanajuato"), ("38999", "Guanajuato"),
    ("91000", "Veracruz"), ("96999", "Veracruz"), ("97000", "Yucatán"), ("97999", "Yucatán"),
    ("22000", "Baja California"),
])
def test_estado_de_cp(cp: str, estado: str) -> None:
    assert estado_de_cp(cp) == estado


@pytest.mark.parametrize("cp", ["00000", "00999", "17000", "18500", "19000", "1234", "ABCDE", "123456"])
def test_cp_sin_estado(cp: str) -> None:
    assert estado_de_cp(cp) is None


def test_cps_sin_clinica_documentados() -> None:
    atendidos = {cp for u in CATALOGO_UMF for cp in u.cps}
    estados = {u.estado for u in CATALOGO_UMF}
    for cp in CP_SIN_CLINICA:
        assert cp not in atendidos
        assert estado_de_cp(cp) in estados
        assert ordenar_por_cercania(cp, CATALOGO_UMF), cp
    for cp in CP_SIN_CLINICA_EN_ESTADO:
        assert estado_de_cp(cp) not in estados
        assert ordenar_por_cercania(cp, CATALOGO_UMF) == []


def test_cercania_por_distancia_numerica() -> None:
    cercanas = ordenar_por_cercania("44200", CATALOGO_UMF)
    assert {u.estado for u in cercanas} == {"Jalisco"}
    # 44190 (UMF 51 Chapultepec) is 10 away, 44140 (UMF 34) 60 away.
    assert [u.numero for u in cercanas[:2]] == [51, 34]
