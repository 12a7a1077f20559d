"""Semanas cotizadas: whole weeks from distinct days, descontadas, reintegradas and the employers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.tramites.registro.apoyo_registro import HOY, copia_demo
from tramites.registro import (
    CURP_NO_REGISTRADA,
    PREDECIBLES,
    CurpNoRegistrada,
    Empleo,
    Movimiento,
    Persona,
    SqlRegistro,
)
from tramites.semanas import SinNss, calcular_semanas, consultar_semanas, periodos_cotizados, reporte_semanas


def _empleo(alta: date, baja: date | None, salario: str = "300.00", rp: str = "A0000000001") -> Empleo:
    return Empleo(registro_patronal=rp, patron=f"Patrón {rp}", fecha_alta=alta, fecha_baja=baja,
                  salario_base_cotizacion=Decimal(salario))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> SqlRegistro:
    return copia_demo(tmp_path_factory, tmp_path_factory.mktemp("semanas"))


def test_catorce_dias_son_dos_semanas_y_trece_una() -> None:
    assert calcular_semanas("1", [_empleo(date(2020, 1, 1), date(2020, 1, 14))], [], HOY).cotizadas == 2
    assert calcular_semanas("1", [_empleo(date(2020, 1, 1), date(2020, 1, 13))], [], HOY).cotizadas == 1


def test_empleos_simultaneos_no_se_cuentan_dos_veces() -> None:
    principal = _empleo(date(2020, 1, 1), date(2020, 3, 31), rp="A0000000001")  # 91 days
    otro = _empleo(date(2020, 2, 1), date(2020, 2, 29), rp="B0000000002")  # 29 days inside the first
    reporte = calcular_semanas("1", [principal, otro], [], HOY)
    assert reporte.dias_cotizados == 91
    assert reporte.cotizadas == 13
    assert [(e.dias, e.semanas) for e in reporte.empleos] == [(91, 13), (29, 4)]


def test_empleos_seguidos_forman_un_periodo() -> None:
    empleos = [_empleo(date(2020, 1, 1), date(2020, 1, 31)), _empleo(date(2020, 2, 1), date(2020, 2, 10)),
               _empleo(date(2020, 3, 1), date(2020, 3, 7))]
    assert periodos_cotizados(empleos, HOY) == [(date(2020, 1, 1), date(2020, 2, 10)),
                                                (date(2020, 3, 1), date(2020, 3, 7))]
    assert calcular_semanas("1", empleos, [], HOY).cotizadas == (41 + 7) // 7


def test_empleo_abierto_cuenta_hasta_hoy_y_lo_futuro_no() -> None:
    reporte = calcular_semanas("1", [_empleo(date(2026, 2, 2), None, "520.50"),
                                     _empleo(date(2026, 4, 1), None, "999.00", rp="F0000000009")], [], HOY)
    assert reporte.dias_cotizados == 29  # 2 Feb to 2 Mar 2026, both included
    assert reporte.cotizadas == 4
    assert len(reporte.empleos) == 1
    assert reporte.salario_base == Decimal("520.50")
    assert reporte.fecha_corte == HOY


def test_descontadas_y_reintegradas() -> None:
    movimientos = [Movimiento("descontadas", 30, date(2021, 6, 10), "Retiro parcial por desempleo"),
                   Movimiento("reintegradas", 10, date(2023, 2, 1), "Reintegro"),
                   Movimiento("reintegradas", 5, HOY.replace(year=2027), "Aún no ocurre")]
    reporte = calcular_semanas("1", [_empleo(date(2010, 1, 1), date(2020, 12, 31))], movimientos, HOY)
    assert (reporte.descontadas, reporte.reintegradas) == (30, 10)
    assert reporte.total == reporte.cotizadas - 30 + 10
    assert len(reporte.movimientos) == 2


def test_salario_base_del_empleo_mas_reciente() -> None:
    empleos = [_empleo(date(2010, 1, 1), date(2015, 1, 1), "200.00"),
               _empleo(date(2016, 1, 1), date(2019, 1, 1), "350.00")]
    assert calcular_semanas("1", empleos, [], HOY).salario_base == Decimal("350.00")
    assert calcular_semanas("1", [], [], HOY).salario_base is None


def test_reporte_de_persona_con_semanas_descontadas(demo: SqlRegistro) -> None:
    ana = PREDECIBLES[2]
    reporte = consultar_semanas(demo, ana.curp, ana.nss, HOY)
    dias = (date(2016, 5, 31) - date(2012, 1, 16)).days + 1 + (date(2021, 3, 15) - date(2016, 7, 1)).days + 1
    assert reporte.cotizadas == dias // 7
    assert (reporte.descontadas, reporte.reintegradas) == (30, 10)
    assert reporte.total == dias // 7 - 20
    assert [e.empleo.fecha_baja for e in reporte.empleos] == [date(2016, 5, 31), date(2021, 3, 15)]
    assert all(e.semanas > 0 for e in reporte.empleos)


def test_reporte_de_toda_la_demo_es_coherente(demo: SqlRegistro) -> None:
    for persona in demo.listar_personas():
        reporte = reporte_semanas(demo, persona, HOY)
        assert reporte.total >= 0
        assert reporte.cotizadas <= sum(e.semanas for e in reporte.empleos) + len(reporte.empleos)


def test_curp_sin_registro(demo: SqlRegistro) -> None:
    with pytest.raises(CurpNoRegistrada):
        consultar_semanas(demo, CURP_NO_REGISTRADA, None, HOY)


def test_persona_sin_nss(demo: SqlRegistro) -> None:
    persona = Persona(curp=CURP_NO_REGISTRADA, nss=None, nombre="Pedro", apellido_paterno="Páramo",
                      apellido_materno="Preciado", email=None, telefono=None, cp=None,
                      fecha_nacimiento=date(1960, 5, 15), sexo="H", umf=None, tipo="sin_afiliacion")
    with pytest.raises(SinNss) as error:
        reporte_semanas(demo, persona, HOY)
    assert "NSS" in error.value.mensaje
