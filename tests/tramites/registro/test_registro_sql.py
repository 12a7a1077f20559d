"""The SQL registry: what the trámites read and write through the `Registro` port."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from tests.tramites.registro.apoyo_registro import AHORA, registro_vacio
from tramites.registro import (
    CATALOGO_UMF,
    CURP_NO_REGISTRADA,
    PREDECIBLES,
    Beneficiario,
    BeneficiarioDuplicado,
    CuentaYaRegistrada,
    Persona,
    PersonaNoEncontrada,
    Registro,
    SolicitudNoEncontrada,
    SqlRegistro,
    UmfNoEncontrada,
)

MARIA = PREDECIBLES[0]
ANA = PREDECIBLES[2]


def test_sql_registro_implementa_el_puerto(demo: SqlRegistro) -> None:
    puerto: Registro = demo
    assert isinstance(puerto, Registro)


def test_persona_por_curp_y_por_nss_dan_la_misma_persona(demo: SqlRegistro) -> None:
    por_curp = demo.persona_por_curp(MARIA.curp)
    assert por_curp is not None
    assert por_curp.nombre_completo == "María Guadalupe Hernández López"
    assert por_curp.nss == MARIA.nss
    assert por_curp.umf == 1
    assert por_curp.turno == "matutino"
    assert por_curp.email == "guadalupe.hernandez@example.com"
    assert demo.persona_por_nss(MARIA.nss) == por_curp


def test_persona_desconocida_es_none(demo: SqlRegistro) -> None:
    assert demo.persona_por_curp(CURP_NO_REGISTRADA) is None
    assert demo.persona_por_nss("72795608040") is None


def test_listar_personas_en_orden_de_registro_y_con_limite(demo: SqlRegistro) -> None:
    primeras = demo.listar_personas(len(PREDECIBLES))
    assert [p.curp for p in primeras] == [p.curp for p in PREDECIBLES]
    assert len(demo.listar_personas(3)) == 3
    assert len(demo.listar_personas()) > 200


def test_historial_laboral_del_mas_antiguo_al_actual(demo: SqlRegistro) -> None:
    empleos = demo.historial_laboral(MARIA.nss)
    assert [e.fecha_alta for e in empleos] == sorted(e.fecha_alta for e in empleos)
    actual = empleos[-1]
    assert actual.fecha_baja is None
    assert actual.patron == "Farmacias del Centro S.A. de C.V."
    assert actual.registro_patronal == "Y5412345109"
    assert actual.fecha_alta == date(2020, 1, 15)
    for e in empleos:
        assert isinstance(e.salario_base_cotizacion, Decimal)
        assert e.salario_base_cotizacion == e.salario_base_cotizacion.quantize(Decimal("0.01"))
        assert e.salario_base_cotizacion > 0


def test_movimientos_de_semanas(demo: SqlRegistro) -> None:
    movimientos = demo.movimientos_semanas(ANA.nss)
    assert [(m.tipo, m.semanas) for m in movimientos] == [("descontadas", 30), ("reintegradas", 10)]
    assert "desempleo" in movimientos[0].motivo


def test_beneficiarios_del_titular(demo: SqlRegistro) -> None:
    beneficiarios = demo.beneficiarios(MARIA.nss)
    assert [(b.nombre, b.parentesco, b.estudiante) for b in beneficiarios] == [
        ("Juan Pablo Castillo Mendoza", "conyuge", False),
        ("Sofía Castillo Hernández", "hijo", False),
        ("Emiliano Castillo Hernández", "hijo", True),
    ]
    assert beneficiarios[0].curp == PREDECIBLES[5].curp


def test_agregar_beneficiario_y_no_duplicarlo(demo_nuevo: SqlRegistro) -> None:
    nuevo = Beneficiario(curp="CAHL150203HDFSRSA8", nombre="Luis Castillo Hernández", parentesco="hijo",
                         fecha_nacimiento=date(2015, 2, 3))
    demo_nuevo.agregar_beneficiario(MARIA.nss, nuevo)
    assert demo_nuevo.beneficiarios(MARIA.nss)[-1] == nuevo
    with pytest.raises(BeneficiarioDuplicado) as error:
        demo_nuevo.agregar_beneficiario(MARIA.nss, nuevo)
    assert "CAHL150203HDFSRSA8" in error.value.mensaje
    assert "ya está registrada" in error.value.mensaje
    with pytest.raises(PersonaNoEncontrada):
        demo_nuevo.agregar_beneficiario("72795608040", nuevo)


def test_catalogo_de_umf(demo: SqlRegistro) -> None:
    umf = demo.umf(28)
    assert umf is not None
    assert umf.nombre == "Gabriel Mancera"
    assert umf.estado == "Ciudad de México"
    assert "03100" in umf.cps
    assert umf.turnos == ["matutino", "vespertino"]
    assert umf.etiqueta == "UMF 28 Gabriel Mancera (Benito Juárez)"
    assert demo.umf(9999) is None
    todas = demo.listar_umfs()
    assert [u.numero for u in todas] == sorted(u.numero for u in CATALOGO_UMF)
    assert todas == sorted(CATALOGO_UMF, key=lambda u: u.numero)


def test_umfs_por_cp_exacto(demo: SqlRegistro) -> None:
    assert [u.numero for u in demo.umfs_por_cp("14100")] == [7, 45]
    assert [u.numero for u in demo.umfs_por_cp("44100")] == [34]
    assert demo.umfs_por_cp("06760") == []


def test_umfs_cercanas_en_el_mismo_estado(demo: SqlRegistro) -> None:
    cercanas = demo.umfs_cercanas("06760")
    # 06720 (UMF 1) and 06800 (UMF 3) are both 40 away: the lower number goes first.
    assert [u.numero for u in cercanas][:2] == [1, 3]
    assert len(cercanas) == 3
    assert {u.estado for u in demo.umfs_cercanas("06760", limite=10)} == {"Ciudad de México"}
    assert len(demo.umfs_cercanas("97250", limite=5)) == 5
    assert demo.umfs_cercanas("22000") == []
    assert demo.umfs_cercanas("00000") == []


def test_cambiar_umf(demo_nuevo: SqlRegistro) -> None:
    persona = demo_nuevo.cambiar_umf(MARIA.nss, 28, "vespertino")
    assert (persona.umf, persona.turno) == (28, "vespertino")
    guardada = demo_nuevo.persona_por_curp(MARIA.curp)
    assert guardada is not None and (guardada.umf, guardada.turno) == (28, "vespertino")
    with pytest.raises(UmfNoEncontrada) as error:
        demo_nuevo.cambiar_umf(MARIA.nss, 9999, "matutino")
    assert "9999" in error.value.mensaje
    with pytest.raises(PersonaNoEncontrada):
        demo_nuevo.cambiar_umf("72795608040", 28, "matutino")


def test_solicitudes_con_folio_unico_y_estado(demo_nuevo: SqlRegistro) -> None:
    primera = demo_nuevo.crear_solicitud("cambio_umf", MARIA.curp, {"umf": 28, "turno": "matutino",
                                                                    "requisitos": ["CURP"]})
    segunda = demo_nuevo.crear_solicitud("beneficiario", MARIA.curp, {})
    assert primera.folio == "UMF-20260302-000001"
    assert segunda.folio == "BEN-20260302-000002"
    assert primera.estado == "recibida"
    assert primera.creada == AHORA
    assert demo_nuevo.solicitud(primera.folio) == primera
    assert demo_nuevo.solicitud("UMF-20260302-999999") is None

    actualizada = demo_nuevo.actualizar_estado(primera.folio, "concluida")
    assert actualizada.estado == "concluida"
    assert actualizada.datos == {"umf": 28, "turno": "matutino", "requisitos": ["CURP"]}
    with pytest.raises(SolicitudNoEncontrada) as error:
        demo_nuevo.actualizar_estado("NADA-1", "concluida")
    assert "NADA-1" in error.value.mensaje


def test_folio_de_tramite_desconocido_usa_sus_iniciales(demo_nuevo: SqlRegistro) -> None:
    assert demo_nuevo.crear_solicitud("incapacidad", MARIA.curp, {}).folio.startswith("INC-20260302-")


def test_cuentas_del_escritorio_virtual(demo_nuevo: SqlRegistro) -> None:
    vence = datetime(2029, 5, 1, 12, 0, tzinfo=UTC)
    cuenta = demo_nuevo.registrar_cuenta(MARIA.curp, "HELG880314AB1", "guadalupe.hernandez@example.com",
                                         "00001000000512345678", vence, "CTA-20260302-000001")
    assert cuenta.valido_hasta == vence
    assert cuenta.creada == AHORA
    assert demo_nuevo.cuenta(MARIA.curp) == cuenta
    assert demo_nuevo.cuenta(ANA.curp) is None
    with pytest.raises(CuentaYaRegistrada) as error:
        demo_nuevo.registrar_cuenta(MARIA.curp, "HELG880314AB1", "otro@example.com", "1", vence, "X")
    assert "Ya tienes una cuenta" in error.value.mensaje


def test_fecha_sin_zona_se_toma_como_utc(demo_nuevo: SqlRegistro) -> None:
    cuenta = demo_nuevo.registrar_cuenta(ANA.curp, "RATA920721XY2", "ana.ramirez@example.org", "2",
                                         datetime(2030, 1, 1, 8, 0), "CTA-1")
    assert cuenta.valido_hasta == datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    guardada = demo_nuevo.cuenta(ANA.curp)
    assert guardada is not None and guardada.valido_hasta == cuenta.valido_hasta


def test_fecha_con_otra_zona_se_guarda_en_utc(demo_nuevo: SqlRegistro) -> None:
    cdmx = timezone(timedelta(hours=-6))
    cuenta = demo_nuevo.registrar_cuenta(ANA.curp, "RATA920721XY2", "ana.ramirez@example.org", "2",
                                         datetime(2030, 1, 1, 2, 0, tzinfo=cdmx), "CTA-1")
    assert cuenta.valido_hasta == datetime(2030, 1, 1, 8, 0, tzinfo=UTC)
    assert cuenta.valido_hasta.utcoffset() == timedelta(0)


def test_actualizar_contacto_cambia_solo_lo_que_se_da(demo_nuevo: SqlRegistro) -> None:
    antes = demo_nuevo.persona_por_curp(MARIA.curp)
    assert antes is not None
    despues = demo_nuevo.actualizar_contacto(MARIA.curp, email="lupita@example.com")
    assert despues.email == "lupita@example.com"
    assert despues.telefono == antes.telefono
    despues = demo_nuevo.actualizar_contacto(MARIA.curp, telefono="5500000000")
    assert (despues.email, despues.telefono) == ("lupita@example.com", "5500000000")
    with pytest.raises(PersonaNoEncontrada):
        demo_nuevo.actualizar_contacto(CURP_NO_REGISTRADA, email="x@example.com")


def test_registro_vacio_no_tiene_personas(tmp_path: Path) -> None:
    registro = registro_vacio(tmp_path, con_catalogo=False)
    assert registro.listar_personas() == []
    assert registro.listar_umfs() == []
    assert registro.umfs_cercanas("06760") == []
    assert registro.persona_por_curp(MARIA.curp) is None


def test_agregar_persona_sin_nss(tmp_path: Path) -> None:
    registro = registro_vacio(tmp_path)
    persona = Persona(curp=CURP_NO_REGISTRADA, nss=None, nombre="Pedro", apellido_paterno="Páramo",
                      apellido_materno="Preciado", email=None, telefono=None, cp="44100",
                      fecha_nacimiento=date(1960, 5, 15), sexo="H", umf=None, tipo="sin_afiliacion")
    registro.agregar_persona(persona)
    assert registro.persona_por_curp(CURP_NO_REGISTRADA) == persona
    assert registro.listar_personas() == [persona]
