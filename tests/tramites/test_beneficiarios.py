"""Registro de beneficiarios: LSS art. 84 rules, the age limits to the day, and the registration."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import pdf_text
from tests.tramites.registro.apoyo_registro import HOY, copia_demo, puertos_de
from tramites.beneficiarios import (
    BeneficiarioNoElegible,
    Elegibilidad,
    NombreFaltante,
    ParentescoInvalido,
    TitularNoAsegurado,
    edad,
    evaluar_beneficiario,
    normalizar_parentesco,
    parentesco_en_texto,
    parentesco_por_sexo,
    preguntas_pendientes,
    registrar_beneficiario,
    revisar_beneficiarios,
    revisar_familiar,
    validar_nombre_completo,
)
from tramites.identidad import CurpInvalida
from tramites.registro import PREDECIBLES, Beneficiario, Persona, SqlRegistro, construir_curp

TITULAR = Persona(curp="HELG880314MDFRPD05", nss="01078871009", nombre="María Guadalupe",
                  apellido_paterno="Hernández", apellido_materno="López", email=None, telefono=None,
                  cp="06700", fecha_nacimiento=date(1988, 3, 14), sexo="M", umf=1, tipo="asegurado")


def _curp(nacimiento: date, sexo: str = "H", nombre: str = "Luis") -> str:
    return construir_curp(nombre, "Castillo", "Hernández", nacimiento, sexo, "DF")


def _evaluar(parentesco: str, nacimiento: date, *, estudiante: bool = False, dependiente: bool = False,
             existentes: Sequence[Beneficiario] = (), sexo: str = "H", discapacidad: bool = False,
             titular: Persona = TITULAR, hoy: date = HOY) -> Elegibilidad:
    return evaluar_beneficiario(titular, parentesco, _curp(nacimiento, sexo), None, estudiante, dependiente,
                                existentes, hoy, discapacidad=discapacidad)


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> SqlRegistro:
    return copia_demo(tmp_path_factory, tmp_path)


def test_hijo_de_15_anios_364_dias_si() -> None:
    resultado = _evaluar("hijo", date(2010, 3, 3))
    assert resultado.ok
    assert resultado.edad == 15
    assert resultado.motivo == "Tu hijo puede ser tu beneficiario: es menor de 16 años."


def test_hijo_que_cumple_16_hoy_necesita_estudiar() -> None:
    resultado = _evaluar("hijo", date(2010, 3, 2))
    assert not resultado.ok
    assert resultado.motivo.startswith("Tu hijo ya cumplió 16 años; puede seguir como beneficiario hasta "
                                       "los 25 si estudia")
    estudiante = _evaluar("hijo", date(2010, 3, 2), estudiante=True)
    assert estudiante.ok
    constancia = "Su constancia de estudios de este ciclo escolar."
    assert constancia in estudiante.requisitos


def test_hija_estudiante_un_dia_antes_de_los_25_si() -> None:
    resultado = _evaluar("hija", date(2001, 3, 3), estudiante=True, sexo="M")
    assert resultado.ok
    assert resultado.motivo == ("Tu hija puede ser tu beneficiaria mientras estudie, hasta antes de cumplir "
                                "25 años (el 3 de marzo de 2026). Lleva su constancia de estudios vigente.")


def test_el_dia_que_cumple_25_ya_no_aunque_estudie() -> None:
    titular = Persona(**{**TITULAR.__dict__, "fecha_nacimiento": date(1970, 1, 1)})
    resultado = _evaluar("hijo", date(2001, 3, 2), estudiante=True, titular=titular)
    assert not resultado.ok
    assert "ya cumplió 25 años, así que ya no puede ser tu beneficiario aunque estudie" in resultado.motivo
    assert "Seguro de Salud para la Familia" in resultado.motivo


def test_hijo_con_discapacidad_sin_limite_de_edad() -> None:
    titular = Persona(**{**TITULAR.__dict__, "fecha_nacimiento": date(1960, 1, 1)})
    resultado = _evaluar("hijo", date(1990, 6, 1), discapacidad=True, titular=titular)
    assert resultado.ok and "sin límite de edad" in resultado.motivo
    assert any("dictamen médico" in r for r in resultado.requisitos)


def test_solo_un_conyuge_o_concubino() -> None:
    esposo = Beneficiario(curp=PREDECIBLES[5].curp, nombre="Juan Pablo Castillo Mendoza",
                          parentesco="conyuge", fecha_nacimiento=date(1986, 8, 30))
    primero = _evaluar("esposo", date(1985, 1, 1))
    assert primero.ok and primero.parentesco == "conyuge"
    segundo = _evaluar("concubinario", date(1985, 1, 1), existentes=[esposo])
    assert not segundo.ok
    assert segundo.motivo.startswith("Ya tienes registrado a Juan Pablo Castillo Mendoza como cónyuge; solo "
                                     "puede haber una persona")


def test_curp_repetida_se_rechaza() -> None:
    curp = _curp(date(2015, 2, 3))
    ya = Beneficiario(curp=curp, nombre="Luis Castillo Hernández", parentesco="hijo",
                      fecha_nacimiento=date(2015, 2, 3))
    resultado = evaluar_beneficiario(TITULAR, "hijo", curp, None, False, False, [ya], HOY)
    assert not resultado.ok
    assert resultado.motivo == ("Luis Castillo Hernández ya está registrado como tu beneficiario. No hace "
                                "falta que lo registres otra vez.")


def test_no_puedes_registrarte_a_ti_mismo() -> None:
    resultado = evaluar_beneficiario(TITULAR, "hijo", TITULAR.curp, None, False, False, [], HOY)
    assert not resultado.ok and "Esa CURP es la tuya" in resultado.motivo


def test_padres_solo_si_dependen_de_ti() -> None:
    sin_depender = _evaluar("mamá", date(1960, 5, 5), sexo="M")
    assert not sin_depender.ok
    assert "solo si depende económicamente de ti y vive en tu casa" in sin_depender.motivo
    dependiente = _evaluar("madre", date(1960, 5, 5), sexo="M", dependiente=True)
    assert dependiente.ok
    assert "Un comprobante de domicilio: tiene que vivir contigo." in dependiente.requisitos
    madre = Beneficiario(curp=_curp(date(1961, 1, 1), "M"), nombre="Rosa López", parentesco="madre",
                         fecha_nacimiento=date(1961, 1, 1))
    segunda = _evaluar("madre", date(1960, 5, 5), sexo="M", dependiente=True, existentes=[madre])
    assert not segunda.ok and "Ya tienes registrada a tu madre (Rosa López)" in segunda.motivo
    assert _evaluar("papá", date(1958, 5, 5), dependiente=True, existentes=[madre]).ok


def test_fechas_imposibles_segun_la_curp() -> None:
    assert "nació después que tú" in _evaluar("padre", date(1995, 1, 1), dependiente=True).motivo
    assert "nació antes que tú" in _evaluar("hijo", date(1980, 1, 1)).motivo


def test_fecha_de_nacimiento_de_la_curp_o_la_escrita() -> None:
    curp = _curp(date(2015, 2, 3))
    sin_fecha = evaluar_beneficiario(TITULAR, "hijo", curp, None, False, False, [], HOY)
    assert sin_fecha.fecha_nacimiento == date(2015, 2, 3)
    assert evaluar_beneficiario(TITULAR, "hijo", curp, date(2015, 2, 3), False, False, [], HOY).ok
    distinta = evaluar_beneficiario(TITULAR, "hijo", curp, date(2015, 3, 2), False, False, [], HOY)
    assert not distinta.ok
    assert "no coincide con la de la CURP (3 de febrero de 2015)" in distinta.motivo


def test_solo_asegurados_y_pensionados_registran() -> None:
    beneficiario = Persona(**{**TITULAR.__dict__, "tipo": "beneficiario"})
    resultado = _evaluar("hijo", date(2015, 1, 1), titular=beneficiario)
    assert not resultado.ok and "Solo una persona asegurada o pensionada" in resultado.motivo


@pytest.mark.parametrize(("texto", "valor"), [
    ("Esposa", "conyuge"), ("mi esposo", "conyuge"), ("Cónyuge", "conyuge"), ("concubina", "concubina"),
    ("concubino", "concubinario"), ("mi hija", "hijo"), ("HIJO", "hijo"), ("mamá", "madre"),
    ("papa", "padre"), ("Hija(o)", "hijo"), ("Esposa(O)", "conyuge"), ("¿Mamá?", "madre"),
])
def test_parentescos_como_los_escribe_la_gente(texto: str, valor: str) -> None:
    assert normalizar_parentesco(texto) == valor


def test_parentesco_no_cubierto() -> None:
    with pytest.raises(ParentescoInvalido) as error:
        normalizar_parentesco("primo")
    assert "«primo»" in error.value.mensaje and "cónyuge" in error.value.mensaje


def test_curp_invalida_del_beneficiario() -> None:
    with pytest.raises(CurpInvalida):
        evaluar_beneficiario(TITULAR, "hijo", "CAHL150203HDFSRSA9", None, False, False, [], HOY)


def test_edad_el_dia_del_cumpleanios_y_29_de_febrero() -> None:
    assert edad(date(2010, 3, 2), date(2026, 3, 1)) == 15
    assert edad(date(2010, 3, 2), date(2026, 3, 2)) == 16
    assert edad(date(2008, 2, 29), date(2024, 2, 28)) == 15
    assert edad(date(2008, 2, 29), date(2024, 2, 29)) == 16
    assert edad(date(2008, 2, 29), date(2025, 2, 28)) == 16
    assert edad(date(2008, 2, 29), date(2025, 3, 1)) == 17


def test_registrar_beneficiario(demo: SqlRegistro, tmp_path: Path) -> None:
    titular = demo.persona_por_curp(PREDECIBLES[0].curp)
    assert titular is not None
    curp = _curp(date(2015, 2, 3))
    hecho = registrar_beneficiario(
        puertos_de(demo, tmp_path), titular.curp, titular.nss, "mi hijo", curp,
        "  luis  castillo de la hernández ",
    )
    assert hecho.titular == titular
    assert hecho.beneficiario.nombre == "Luis Castillo de la Hernández"
    assert hecho.beneficiario.parentesco == "hijo"
    assert hecho.solicitud.tramite == "beneficiario"
    assert hecho.solicitud.folio.startswith("BEN-20260302-")
    assert hecho.solicitud.datos["beneficiario_curp"] == curp
    assert "Su acta de nacimiento." in hecho.requisitos
    assert demo.beneficiarios(titular.nss or "")[-1] == hecho.beneficiario
    contenido = pdf_text(hecho.documento.path)
    assert "Comprobante de registro de beneficiario" in contenido and curp in contenido
    assert curp not in hecho.documento.filename and str(titular.nss) not in hecho.documento.filename


def test_registro_rechazado_no_guarda_nada(demo: SqlRegistro, tmp_path: Path) -> None:
    titular = demo.persona_por_curp(PREDECIBLES[0].curp)
    assert titular is not None
    antes = demo.beneficiarios(titular.nss or "")
    puertos = puertos_de(demo, tmp_path)
    with pytest.raises(BeneficiarioNoElegible) as error:
        registrar_beneficiario(
            puertos, titular.curp, titular.nss, "esposo", _curp(date(1985, 1, 1)), "Pedro C"
        )
    assert "Ya tienes registrado a Juan Pablo Castillo Mendoza como cónyuge" in error.value.mensaje
    with pytest.raises(NombreFaltante):
        registrar_beneficiario(puertos, titular.curp, titular.nss, "hijo", _curp(date(2015, 1, 1)), " ")
    beneficiario = demo.persona_por_curp(PREDECIBLES[5].curp)
    assert beneficiario is not None
    with pytest.raises(TitularNoAsegurado):
        registrar_beneficiario(puertos, beneficiario.curp, None, "hijo", _curp(date(2015, 1, 1)), "Luis C")
    assert demo.beneficiarios(titular.nss or "") == antes


def test_persona_del_registro_se_registra_con_su_nombre(demo: SqlRegistro, tmp_path: Path) -> None:
    titular = demo.persona_por_curp(PREDECIBLES[0].curp)
    padre = demo.persona_por_curp(PREDECIBLES[3].curp)
    assert titular is not None and padre is not None
    hecho = registrar_beneficiario(
        puertos_de(demo, tmp_path), titular.curp, titular.nss, "padre", padre.curp, None, dependiente=True
    )
    assert hecho.beneficiario.nombre == padre.nombre_completo


def test_preguntas_y_revision_con_las_mejores_respuestas(demo: SqlRegistro) -> None:
    titular = demo.persona_por_curp(PREDECIBLES[0].curp)
    assert titular is not None
    dieciseis = _curp(date(2010, 3, 2))
    assert preguntas_pendientes("hijo", dieciseis, HOY) == {"estudia"}
    assert preguntas_pendientes("hijo", _curp(date(2015, 1, 1)), HOY) == set()
    assert preguntas_pendientes("madre", None, HOY) == {"depende"}
    # Not answered yet: "sí" is assumed, so only a final refusal is a refusal.
    pendiente = revisar_familiar(demo, titular, "hijo", dieciseis, HOY)
    assert pendiente.elegibilidad.ok and pendiente.preguntas == {"estudia"}
    no_estudia = revisar_familiar(demo, titular, "hijo", dieciseis, HOY, estudia=False)
    assert not no_estudia.elegibilidad.ok and no_estudia.preguntas == set()
    veinticinco = revisar_familiar(demo, titular, "hijo", _curp(date(2001, 3, 2)), HOY)
    assert not veinticinco.elegibilidad.ok


def test_parentesco_en_una_frase_y_por_el_sexo_de_la_curp() -> None:
    assert parentesco_en_texto("quiero registrar a mi esposa") == "conyuge"
    assert parentesco_en_texto("dar de alta a mi mamá") == "madre"
    assert parentesco_en_texto("quiero registrar beneficiarios") is None
    assert parentesco_por_sexo("concubinario", _curp(date(1985, 1, 1), "M")) == "concubina"
    assert parentesco_por_sexo("concubina", _curp(date(1985, 1, 1), "H")) == "concubinario"
    assert parentesco_por_sexo("hijo", _curp(date(2015, 1, 1), "M")) == "hijo"


@pytest.mark.parametrize("texto", ["Ana", "Ana 2 Castillo", "x" * 60 + " " + "y" * 61, ""])
def test_nombre_incompleto(texto: str) -> None:
    with pytest.raises(NombreFaltante):
        validar_nombre_completo(texto)
    assert validar_nombre_completo("  Sofía   Castillo Hernández ") == "Sofía Castillo Hernández"


def test_revisar_beneficiarios_cuando_pasa_el_tiempo(demo: SqlRegistro) -> None:
    titular = demo.persona_por_curp(PREDECIBLES[0].curp)
    assert titular is not None
    beneficiarios = demo.beneficiarios(titular.nss or "")
    hoy = [(b.nombre, e.ok) for b, e in revisar_beneficiarios(titular, beneficiarios, HOY)]
    assert hoy == [("Juan Pablo Castillo Mendoza", True), ("Sofía Castillo Hernández", True),
                   ("Emiliano Castillo Hernández", True)]
    despues = dict((b.nombre, e) for b, e in revisar_beneficiarios(titular, beneficiarios, date(2028, 5, 20)))
    assert not despues["Sofía Castillo Hernández"].ok
    assert despues["Sofía Castillo Hernández"].motivo.startswith("Tu hija ya cumplió 16 años")
