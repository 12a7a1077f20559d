"""Demo data: deterministic, valid identity numbers, the documented people and enough variety."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from stdnum.mx import curp as stdnum_curp

from tests.tramites.registro.apoyo_registro import HOY, crear_sesiones, registro_demo
from tramites.identidad import validar_curp, validar_nss
from tramites.registro import (
    CATALOGO_UMF,
    CP_SIN_CLINICA,
    CURP_NO_REGISTRADA,
    PREDECIBLES,
    SqlRegistro,
    construir_curp,
    construir_nss,
    demo_personas,
    fecha_referencia,
    sembrar_demo,
)
from tramites.registro.catalogo import ordenar_por_cercania
from tramites.registro.sql import PersonaRow
from tramites.vigencia import calcular_vigencia


def _volcado(registro: SqlRegistro) -> list[object]:
    datos: list[object] = []
    for p in registro.listar_personas():
        datos.append(p)
        if p.nss:
            datos.extend([registro.historial_laboral(p.nss), registro.movimientos_semanas(p.nss),
                          registro.beneficiarios(p.nss)])
    return datos


def test_al_menos_200_personas_con_curp_y_nss_validos(demo: SqlRegistro) -> None:
    personas = demo.listar_personas()
    assert len(personas) >= 200
    assert len({p.curp for p in personas}) == len(personas)
    assert len({p.nss for p in personas}) == len(personas)
    for p in personas:
        curp = validar_curp(p.curp)
        assert stdnum_curp.is_valid(p.curp), p.curp
        assert curp.fecha_nacimiento == p.fecha_nacimiento
        assert curp.sexo == p.sexo
        assert p.nss is not None
        nss = validar_nss(p.nss, hoy=HOY)
        assert nss.anio_nacimiento == p.fecha_nacimiento.year % 100
        assert nss.subdelegacion != "97"


def test_beneficiarios_con_curp_valida_y_fecha_coherente(demo: SqlRegistro) -> None:
    total = 0
    for p in demo.listar_personas():
        for b in demo.beneficiarios(p.nss or ""):
            assert validar_curp(b.curp).fecha_nacimiento == b.fecha_nacimiento
            total += 1
    assert total >= 100


def test_nss_afiliacion_coincide_con_el_primer_empleo(demo: SqlRegistro) -> None:
    for p in demo.listar_personas():
        assert p.nss is not None
        empleos = demo.historial_laboral(p.nss)
        afiliacion = int(p.nss[2:4])
        if empleos:
            assert empleos[0].fecha_alta.year % 100 == afiliacion, p
            assert empleos[0].fecha_alta >= p.fecha_nacimiento + timedelta(days=365 * 16)


def test_misma_semilla_mismos_datos(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = registro_demo(tmp_path / "a")
    b = registro_demo(tmp_path / "b")
    assert _volcado(a) == _volcado(b)


def test_otra_semilla_cambia_los_generados_pero_no_los_predecibles(demo: SqlRegistro, tmp_path: Path) -> None:
    (tmp_path / "otra").mkdir()
    otra = registro_demo(tmp_path / "otra", semilla=7)
    n = len(PREDECIBLES)
    assert otra.listar_personas(n) == demo.listar_personas(n)
    assert otra.listar_personas()[n:n + 20] != demo.listar_personas()[n:n + 20]


def test_sembrar_es_idempotente_y_rapido(tmp_path: Path) -> None:
    sesiones = crear_sesiones(tmp_path)
    inicio = time.perf_counter()
    insertadas = sembrar_demo(sesiones, hoy=HOY)
    assert time.perf_counter() - inicio < 2.0
    assert insertadas >= 200
    assert sembrar_demo(sesiones, hoy=HOY + timedelta(days=90)) == 0
    with sesiones() as s:
        assert s.scalar(select(func.count()).select_from(PersonaRow)) == insertadas
    assert fecha_referencia(sesiones) == HOY


def test_fecha_referencia_sin_sembrar(tmp_path: Path) -> None:
    assert fecha_referencia(crear_sesiones(tmp_path)) is None


def test_predecibles_son_las_primeras_y_no_cambian(demo: SqlRegistro) -> None:
    for esperado, persona in zip(PREDECIBLES, demo.listar_personas(len(PREDECIBLES)), strict=True):
        assert persona.curp == esperado.curp
        assert persona.nss == esperado.nss
        assert persona.nombre_completo == esperado.nombre


def test_estado_de_cada_persona_predecible(demo: SqlRegistro) -> None:
    p = demo.listar_personas(len(PREDECIBLES))
    v = [calcular_vigencia(demo, x, HOY) for x in p]
    assert v[0].vigente and v[0].vigente_hasta is None
    assert v[1].vigente and v[1].vigente_hasta == HOY + timedelta(days=26)
    assert not v[2].vigente
    assert p[3].tipo == "pensionado" and v[3].vigente
    assert not v[4].vigente and "41 días" in v[4].motivo
    assert p[5].tipo == "beneficiario" and p[5].titular_curp == p[0].curp and v[5].vigente
    assert demo.historial_laboral(p[5].nss or "") == []
    assert p[6].cp == "06760" and p[6].umf == 1 and demo.umfs_por_cp("06760") == []
    assert p[7].fecha_nacimiento.year == 2003 and p[7].curp[16].isalpha() and v[7].vigente
    assert p[8].tipo == "sin_afiliacion" and not v[8].vigente
    assert p[9].cp == "22000" and p[9].umf is None and v[9].vigente
    assert p[10].email is None and v[10].vigente
    assert all(x.curp[16].isdigit() for x in p if x.fecha_nacimiento.year < 2000)


def test_curp_no_registrada_es_valida_y_no_esta(demo: SqlRegistro) -> None:
    assert validar_curp(CURP_NO_REGISTRADA).estado == "JC"
    assert demo.persona_por_curp(CURP_NO_REGISTRADA) is None
    for p in demo.listar_personas():
        assert all(b.curp != CURP_NO_REGISTRADA for b in demo.beneficiarios(p.nss or ""))


def test_hay_variedad_de_casos(demo: SqlRegistro) -> None:
    personas = demo_personas(demo, HOY)
    vigencias = Counter(p["vigente"] for p in personas)
    assert vigencias[True] >= 50 and vigencias[False] >= 30
    tipos = Counter(p["tipo"] for p in personas)
    assert tipos["pensionado"] >= 10 and tipos["beneficiario"] >= 5 and tipos["sin_afiliacion"] >= 3
    en_conservacion = [p for p in personas if p["vigente"] and p["vigente_hasta"]]
    assert len(en_conservacion) >= 5
    con_movimientos = [p for p in personas if demo.movimientos_semanas(p["nss"])]
    assert len(con_movimientos) >= 5
    varios_patrones = [p for p in personas if len({e.patron for e in demo.historial_laboral(p["nss"])}) >= 3]
    assert len(varios_patrones) >= 50
    estudiantes = [b for p in personas for b in demo.beneficiarios(p["nss"]) if b.estudiante]
    assert len(estudiantes) >= 10


def test_demo_personas_tiene_los_campos_del_contrato(demo: SqlRegistro) -> None:
    primeras = demo_personas(demo, HOY, limit=2)
    assert len(primeras) == 2
    assert primeras[0] == {
        "curp": "HELG880314MDFRPD05", "nss": "01078871009", "nombre": "María Guadalupe Hernández López",
        "email": "guadalupe.hernandez@example.com", "telefono": "5512345670", "cp": "06700", "umf": 1,
        "tipo": "asegurado", "fecha_nacimiento": "1988-03-14", "vigente": True, "vigente_hasta": None,
    }
    assert primeras[1]["vigente_hasta"] == "2026-03-28"


def test_cps_y_clinicas_de_las_personas(demo: SqlRegistro) -> None:
    personas = demo.listar_personas()
    atendidos = {cp: u for u in CATALOGO_UMF for cp in u.cps}
    en_catalogo = [p for p in personas if p.cp in atendidos]
    assert len(en_catalogo) >= 0.8 * len(personas)
    numeros = {u.numero for u in CATALOGO_UMF}
    for p in personas:
        assert p.cp is not None
        if p.cp in CP_SIN_CLINICA:
            assert p.umf == ordenar_por_cercania(p.cp, CATALOGO_UMF)[0].numero
        elif p.umf is not None:
            assert p.umf in numeros
            assert p.turno in demo.umf(p.umf).turnos  # type: ignore[union-attr]
    assert any(p.cp in CP_SIN_CLINICA for p in personas[len(PREDECIBLES):])


def test_correos_unicos_en_dominios_reservados(demo: SqlRegistro) -> None:
    personas = demo.listar_personas()
    # Only the documented person 10 has no email on file (his documents go only by email).
    assert [p.curp for p in personas if p.email is None] == [PREDECIBLES[10].curp]
    correos = [p.email for p in personas if p.email is not None]
    assert len(set(correos)) == len(correos)
    for correo in correos:
        assert correo == correo.lower()
        assert correo.rsplit("@", 1)[1] in ("example.com", "example.net", "example.org")


@pytest.mark.parametrize(("args", "esperada"), [
    # Ñ counts as X; MARÍA/JOSÉ are skipped in compound names.
    (("Óscar Iván", "Morales", "Peña", date(1984, 1, 25), "H", "BC"), "MOPO840125HBCRXS00"),
    (("María Guadalupe", "Hernández", "López", date(1988, 3, 14), "M", "DF"), "HELG880314MDFRPD05"),
    (("José Luis", "Martínez", "García", date(1979, 11, 2), "H", "JC"), "MAGL791102HJCRRS07"),
    # RATA is an inconvenient word: its second letter becomes X.
    (("Ana Sofía", "Ramírez", "Torres", date(1992, 7, 21), "M", "NL"), "RXTA920721MNLMRN06"),
    # Born in 2000 or later: the homoclave is a letter.
    (("Valeria Itzel", "Chan", "Pech", date(2003, 2, 11), "M", "YN"), "CAPV030211MYNHCLA3"),
])
def test_construir_curp(args: tuple[str, str, str, date, str, str], esperada: str) -> None:
    assert construir_curp(*args) == esperada
    assert stdnum_curp.is_valid(esperada)


def test_construir_curp_omite_particulas_del_apellido() -> None:
    curp = construir_curp("Juan", "de la Cruz", "López", date(1990, 1, 1), "H", "DF")
    assert curp.startswith("CULJ900101HDFRPN")
    validar_curp(curp)


def test_construir_nss_con_digito_de_luhn() -> None:
    assert construir_nss("72", 1979, 1956, 804) == "72795608040"
    validar_nss(construir_nss("01", 2007, 1988, 7100), hoy=HOY)


def test_la_documentacion_lista_las_personas_predecibles() -> None:
    from tramites.registro import CP_SIN_CLINICA_EN_ESTADO

    doc = (Path(__file__).resolve().parents[3] / "docs" / "registro.md").read_text(encoding="utf-8")
    for p in PREDECIBLES:
        assert f"`{p.curp}`" in doc and f"`{p.nss}`" in doc and p.nombre in doc
    assert CURP_NO_REGISTRADA in doc
    for cp in (*CP_SIN_CLINICA, *CP_SIN_CLINICA_EN_ESTADO):
        assert f"`{cp}`" in doc
