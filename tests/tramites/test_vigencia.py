"""Vigencia de derechos: empleo, conservación de derechos (LSS art. 109), pensionados, beneficiarios."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.tramites.registro.apoyo_registro import HOY, copia_demo
from tramites.identidad import CurpInvalida
from tramites.registro import (
    CURP_NO_REGISTRADA,
    PREDECIBLES,
    CurpNoRegistrada,
    Empleo,
    NssNoCoincide,
    Persona,
    SqlRegistro,
)
from tramites.vigencia import Vigencia, calcular_vigencia, consultar_vigencia, evaluar_vigencia

BAJA = date(2026, 1, 31)


def _persona(tipo: str = "asegurado", sexo: str = "H", titular: str | None = None) -> Persona:
    return Persona(curp="MAGL791102HJCRRS07", nss="35997971011", nombre="José Luis",
                   apellido_paterno="Martínez", apellido_materno="García", email=None, telefono=None,
                   cp="44100", fecha_nacimiento=date(1979, 11, 2), sexo=sexo, umf=34, tipo=tipo,
                   titular_curp=titular)


def _empleo(alta: date, baja: date | None, patron: str = "Autopartes Jalisco S.A. de C.V.") -> Empleo:
    return Empleo(registro_patronal="C2210456108", patron=patron, fecha_alta=alta, fecha_baja=baja,
                  salario_base_cotizacion=Decimal("450.00"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> SqlRegistro:
    return copia_demo(tmp_path_factory, tmp_path_factory.mktemp("vigencia"))


def test_empleo_abierto_es_vigente() -> None:
    v = evaluar_vigencia(_persona(), [_empleo(date(2019, 1, 1), date(2020, 5, 31)),
                                      _empleo(date(2020, 6, 1), None)], HOY)
    assert v.vigente
    assert v.vigente_hasta is None
    assert v.desde == date(2019, 1, 1)  # continuous since the first job
    assert v.ultimo_patron == "Autopartes Jalisco S.A. de C.V."
    assert v.registro_patronal == "C2210456108"
    assert "Autopartes Jalisco" in v.motivo and "1 de junio de 2020" in v.motivo


def test_baja_en_el_futuro_sigue_siendo_empleo_vigente() -> None:
    v = evaluar_vigencia(_persona(), [_empleo(date(2025, 1, 1), HOY)], HOY)
    assert v.vigente and v.vigente_hasta is None


def test_exactamente_56_dias_cotizados_conserva_derechos() -> None:
    empleo = _empleo(BAJA - timedelta(days=55), BAJA)  # alta and baja both count: 56 days
    v = evaluar_vigencia(_persona(), [empleo], BAJA + timedelta(days=1))
    assert v.vigente
    assert v.vigente_hasta == BAJA + timedelta(days=56) == date(2026, 3, 28)
    assert "28 de marzo de 2026" in v.motivo
    assert "artículo 109" in v.motivo


def test_55_dias_cotizados_no_conservan_derechos() -> None:
    v = evaluar_vigencia(_persona(), [_empleo(BAJA - timedelta(days=54), BAJA)], BAJA + timedelta(days=1))
    assert not v.vigente
    assert "55 días" in v.motivo
    assert "8 semanas (56 días)" in v.motivo
    assert v.vigente_hasta is None


def test_dia_56_despues_de_la_baja_vigente_dia_57_no() -> None:
    empleos = [_empleo(date(2020, 1, 1), BAJA)]
    assert evaluar_vigencia(_persona(), empleos, BAJA + timedelta(days=56)).vigente
    v57 = evaluar_vigencia(_persona(), empleos, BAJA + timedelta(days=57))
    assert not v57.vigente
    assert "ya pasaron más de 8 semanas" in v57.motivo
    assert "Incorporación Voluntaria" in v57.motivo


def test_empleos_seguidos_se_suman_para_las_8_semanas() -> None:
    primero = _empleo(BAJA - timedelta(days=55), BAJA - timedelta(days=26), "Primer patrón S.A.")
    segundo = _empleo(BAJA - timedelta(days=25), BAJA)  # starts the day after: uninterrupted, 30 + 26 days
    v = evaluar_vigencia(_persona(), [primero, segundo], BAJA + timedelta(days=10))
    assert v.vigente and v.desde == BAJA - timedelta(days=55)


def test_un_dia_sin_cotizar_interrumpe_las_8_semanas() -> None:
    primero = _empleo(BAJA - timedelta(days=55), BAJA - timedelta(days=27))
    segundo = _empleo(BAJA - timedelta(days=25), BAJA)  # one day in between without cotizar
    v = evaluar_vigencia(_persona(), [primero, segundo], BAJA + timedelta(days=10))
    assert not v.vigente
    assert "26 días" in v.motivo


def test_empleo_que_empieza_despues_de_hoy_no_cuenta() -> None:
    v = evaluar_vigencia(_persona(), [_empleo(HOY + timedelta(days=3), None)], HOY)
    assert not v.vigente
    assert "no encontramos empleos" in v.motivo


def test_pensionada_es_vigente() -> None:
    empleos = [_empleo(date(1980, 1, 1), date(2015, 1, 31))]
    v = evaluar_vigencia(_persona("pensionado", sexo="M"), empleos, HOY)
    assert v.vigente and v.vigente_hasta is None
    assert "eres pensionada del IMSS" in v.motivo


def test_beneficiario_sigue_la_vigencia_de_su_titular() -> None:
    titular = evaluar_vigencia(_persona(), [_empleo(date(2020, 1, 1), BAJA)], BAJA + timedelta(days=5))
    beneficiaria = Persona(curp="CAMJ860830MDFSNN00", nss=None, nombre="Juana", apellido_paterno="Castillo",
                           apellido_materno="Mendoza", email=None, telefono=None, cp=None,
                           fecha_nacimiento=date(1986, 8, 30), sexo="M", umf=34, tipo="beneficiario",
                           titular_curp=titular.persona.curp)
    v = evaluar_vigencia(beneficiaria, [], BAJA + timedelta(days=5), titular=titular)
    assert v.vigente
    assert v.vigente_hasta == titular.vigente_hasta == date(2026, 3, 28)
    assert v.titular == titular.persona
    assert "eres beneficiaria de José Luis Martínez García y él está al día" in v.motivo

    vencido = evaluar_vigencia(_persona(), [_empleo(date(2020, 1, 1), BAJA)], BAJA + timedelta(days=60))
    v = evaluar_vigencia(beneficiaria, [], BAJA + timedelta(days=60), titular=vencido)
    assert not v.vigente
    assert "estás registrada como beneficiaria de José Luis Martínez García" in v.motivo


def _vigencia(demo: SqlRegistro, indice: int, hoy: date = HOY) -> Vigencia:
    p = PREDECIBLES[indice]
    return consultar_vigencia(demo, p.curp, p.nss, hoy)


def test_constancia_de_persona_empleada(demo: SqlRegistro) -> None:
    v = _vigencia(demo, 0)
    assert v.vigente
    assert v.persona.nombre_completo == "María Guadalupe Hernández López"
    assert (v.ultimo_patron, v.registro_patronal, v.umf) == ("Farmacias del Centro S.A. de C.V.",
                                                             "Y5412345109", 1)
    assert [b.nombre for b in v.beneficiarios] == ["Juan Pablo Castillo Mendoza", "Sofía Castillo Hernández",
                                                   "Emiliano Castillo Hernández"]
    assert v.fecha_consulta == HOY


def test_conservacion_de_derechos_en_el_registro(demo: SqlRegistro) -> None:
    v = _vigencia(demo, 1)
    assert v.vigente and v.vigente_hasta == date(2026, 3, 28)
    assert "te dio de baja el 31 de enero de 2026" in v.motivo
    assert _vigencia(demo, 1, date(2026, 3, 28)).vigente
    assert not _vigencia(demo, 1, date(2026, 3, 29)).vigente


def test_casos_no_vigentes_del_registro(demo: SqlRegistro) -> None:
    assert not _vigencia(demo, 2).vigente
    assert "15 de marzo de 2021" in _vigencia(demo, 2).motivo
    assert not _vigencia(demo, 4).vigente
    assert not _vigencia(demo, 8).vigente


def test_beneficiario_del_registro_vigente_por_su_titular(demo: SqlRegistro) -> None:
    v = _vigencia(demo, 5)
    assert v.vigente
    assert v.titular is not None and v.titular.curp == PREDECIBLES[0].curp
    assert "María Guadalupe Hernández López" in v.motivo


def test_consultar_sin_nss_solo_con_curp(demo: SqlRegistro) -> None:
    v = consultar_vigencia(demo, PREDECIBLES[3].curp.lower(), None, HOY)
    assert v.vigente and v.persona.tipo == "pensionado"


def test_curp_que_no_esta_en_el_registro(demo: SqlRegistro) -> None:
    with pytest.raises(CurpNoRegistrada) as error:
        consultar_vigencia(demo, CURP_NO_REGISTRADA, None, HOY)
    assert CURP_NO_REGISTRADA in error.value.mensaje


def test_nss_de_otra_persona(demo: SqlRegistro) -> None:
    with pytest.raises(NssNoCoincide) as error:
        consultar_vigencia(demo, PREDECIBLES[0].curp, PREDECIBLES[1].nss, HOY)
    assert PREDECIBLES[1].nss in error.value.mensaje
    assert "consultar mi NSS" in error.value.mensaje


def test_curp_mal_escrita(demo: SqlRegistro) -> None:
    with pytest.raises(CurpInvalida) as error:
        consultar_vigencia(demo, "HELG880314MDFRPD0", None, HOY)
    assert "17 caracteres" in error.value.mensaje


def test_calcular_vigencia_de_persona_sin_nss(tmp_path: Path) -> None:
    from tests.tramites.registro.apoyo_registro import registro_vacio

    registro = registro_vacio(tmp_path)
    persona = Persona(curp=CURP_NO_REGISTRADA, nss=None, nombre="Pedro", apellido_paterno="Páramo",
                      apellido_materno="Preciado", email=None, telefono=None, cp=None,
                      fecha_nacimiento=date(1960, 5, 15), sexo="H", umf=None, tipo="sin_afiliacion")
    v = calcular_vigencia(registro, persona, HOY)
    assert not v.vigente and v.beneficiarios == []


@pytest.mark.parametrize(("sexo", "palabra"), [("M", "dada de alta"), ("H", "dado de alta")])
def test_the_reason_agrees_with_the_registrys_sex(sexo: str, palabra: str) -> None:
    v = evaluar_vigencia(_persona(sexo=sexo), [_empleo(date(2020, 6, 1), None)], HOY)
    assert f"te tiene {palabra} desde el 1 de junio de 2020" in v.motivo
