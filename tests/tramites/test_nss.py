"""Consulta de NSS: CURP + correo -> NSS, with a folio; clear messages when it cannot be found."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.tramites.registro.apoyo_registro import AHORA, copia_demo, registro_vacio
from tramites.identidad import CurpInvalida
from tramites.nss import CurpNoRegistrada, EmailInvalido, SinNssAsignado, consultar_nss
from tramites.registro import CURP_NO_REGISTRADA, PREDECIBLES, Persona, SqlRegistro

MARIA = PREDECIBLES[0]


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> SqlRegistro:
    return copia_demo(tmp_path_factory, tmp_path)


def test_da_el_nss_y_registra_la_solicitud(demo: SqlRegistro) -> None:
    resultado = consultar_nss(demo, " helg 880314 mdfrpd05 ", "  Lupita.Hernandez@Example.COM ")
    assert resultado.nss == MARIA.nss
    assert resultado.curp == MARIA.curp
    assert resultado.nombre_completo == "María Guadalupe Hernández López"
    assert resultado.email == "lupita.hernandez@example.com"
    assert resultado.folio == "NSS-20260302-000001"
    assert "tu Número de Seguridad Social (NSS) es 01078871009" in resultado.mensaje
    solicitud = demo.solicitud(resultado.folio)
    assert solicitud is not None
    assert (solicitud.tramite, solicitud.estado, solicitud.curp) == ("nss", "concluida", MARIA.curp)
    assert solicitud.datos == {"email": "lupita.hernandez@example.com", "nss": MARIA.nss}
    assert solicitud.creada == AHORA


def test_no_cambia_el_correo_de_contacto(demo: SqlRegistro) -> None:
    consultar_nss(demo, MARIA.curp, "otro@example.com")
    persona = demo.persona_por_curp(MARIA.curp)
    assert persona is not None and persona.email == "guadalupe.hernandez@example.com"


def test_curp_que_no_esta_registrada_dice_que_hacer(demo: SqlRegistro) -> None:
    with pytest.raises(CurpNoRegistrada) as error:
        consultar_nss(demo, CURP_NO_REGISTRADA, "pedro@example.com")
    mensaje = error.value.mensaje
    assert f"No encontramos un registro con la CURP {CURP_NO_REGISTRADA}" in mensaje
    assert "Si nunca has trabajado con un patrón afiliado al IMSS" in mensaje
    assert "asignártelo" in mensaje and "IMSS Digital" in mensaje
    assert "subdelegación" in mensaje and "identificación oficial" in mensaje


def test_curp_mal_escrita_dice_que_parte_falla(demo: SqlRegistro) -> None:
    with pytest.raises(CurpInvalida) as error:
        consultar_nss(demo, "HELG880314MDFRPD04", "lupita@example.com")
    assert "dígito verificador" in error.value.mensaje


@pytest.mark.parametrize(("email", "fragmento"), [
    ("", "No escribiste tu correo"),
    ("lupita.example.com", "le falta la @"),
    ("lupita @example.com", "tiene espacios"),
    ("lupita@example", "no parece válido"),
    ("lupita@@example.com", "no parece válido"),
    ("lupita@gmail.con", "¿quisiste decir lupita@gmail.com?"),
    ("lupita@hotmial.com", "¿quisiste decir lupita@hotmail.com?"),
])
def test_correo_invalido_no_crea_solicitud(demo: SqlRegistro, email: str, fragmento: str) -> None:
    with pytest.raises(EmailInvalido) as error:
        consultar_nss(demo, MARIA.curp, email)
    assert fragmento in error.value.mensaje
    assert demo.solicitud("NSS-20260302-000001") is None


def test_curp_registrada_sin_nss(tmp_path: Path) -> None:
    registro = registro_vacio(tmp_path)
    registro.agregar_persona(Persona(
        curp=CURP_NO_REGISTRADA, nss=None, nombre="Pedro", apellido_paterno="Páramo",
        apellido_materno="Preciado", email=None, telefono=None, cp=None, fecha_nacimiento=date(1960, 5, 15),
        sexo="H", umf=None, tipo="sin_afiliacion",
    ))
    with pytest.raises(SinNssAsignado) as error:
        consultar_nss(registro, CURP_NO_REGISTRADA, "pedro@example.com")
    assert "todavía no tiene un NSS asignado" in error.value.mensaje
