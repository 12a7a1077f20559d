"""Consulta de NSS: CURP + correo -> NSS, with a folio and its comprobante; clear messages when not found."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.helpers import pdf_text
from tests.tramites.registro.apoyo_registro import AHORA, copia_demo, puertos_de, registro_vacio
from tramites.contacto import EmailInvalido
from tramites.identidad import CurpInvalida
from tramites.nss import SinNssAsignado, consultar_nss
from tramites.puertos import Puertos
from tramites.registro import CURP_NO_REGISTRADA, PREDECIBLES, CurpNoRegistrada, Persona, SqlRegistro

MARIA = PREDECIBLES[0]


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> SqlRegistro:
    return copia_demo(tmp_path_factory, tmp_path)


@pytest.fixture
def puertos(demo: SqlRegistro, tmp_path: Path) -> Puertos:
    return puertos_de(demo, tmp_path)


def test_da_el_nss_registra_la_solicitud_y_emite_el_comprobante(demo: SqlRegistro, puertos: Puertos) -> None:
    resultado = consultar_nss(puertos, " helg 880314 mdfrpd05 ", "  Lupita.Hernandez@Example.COM ")
    assert resultado.nss == MARIA.nss
    assert resultado.persona.curp == MARIA.curp
    assert resultado.persona.nombre_completo == "María Guadalupe Hernández López"
    assert resultado.solicitud.folio == "NSS-20260302-000001"
    solicitud = demo.solicitud(resultado.solicitud.folio)
    assert solicitud is not None
    assert (solicitud.tramite, solicitud.estado, solicitud.curp) == ("nss", "concluida", MARIA.curp)
    assert solicitud.datos == {"email": "lupita.hernandez@example.com", "nss": MARIA.nss}
    assert solicitud.creada == AHORA
    contenido = pdf_text(resultado.documento.path)
    assert "Comprobante de Número de Seguridad Social" in contenido and MARIA.nss in contenido


def test_el_comprobante_no_lleva_datos_personales_en_el_nombre(puertos: Puertos) -> None:
    documento = consultar_nss(puertos, MARIA.curp, "lupita@example.com").documento
    assert documento.filename == f"comprobante-nss-{documento.folio}.pdf"
    assert documento.path.name == documento.filename
    for dato in (MARIA.nss, MARIA.curp, "lupita"):
        assert dato not in documento.filename


def test_no_cambia_el_correo_de_contacto(demo: SqlRegistro, puertos: Puertos) -> None:
    consultar_nss(puertos, MARIA.curp, "otro@example.com")
    persona = demo.persona_por_curp(MARIA.curp)
    assert persona is not None and persona.email == "guadalupe.hernandez@example.com"


def test_curp_que_no_esta_registrada_dice_que_hacer(puertos: Puertos) -> None:
    with pytest.raises(CurpNoRegistrada) as error:
        consultar_nss(puertos, CURP_NO_REGISTRADA, "pedro@example.com")
    mensaje = error.value.mensaje
    assert f"No encontramos un registro con la CURP {CURP_NO_REGISTRADA}" in mensaje
    assert "Si nunca has trabajado con un patrón afiliado al IMSS" in mensaje
    assert "asignártelo" in mensaje and "IMSS Digital" in mensaje
    assert "subdelegación" in mensaje and "identificación oficial" in mensaje


def test_curp_mal_escrita_dice_que_parte_falla(puertos: Puertos) -> None:
    with pytest.raises(CurpInvalida) as error:
        consultar_nss(puertos, "HELG880314MDFRPD04", "lupita@example.com")
    assert "dígito verificador" in error.value.mensaje


@pytest.mark.parametrize(("email", "fragmento"), [
    ("", "No escribiste tu correo"),
    ("lupita.example.com", "le falta la @"),
    ("lupita @example.com", "tiene espacios"),
    ("lupita@example", "no parece válido"),
    ("lupita@@example.com", "no parece válido"),
    ("lupita@gmail.con", "tal vez quisiste decir lupita@gmail.com."),
    ("lupita@hotmial.com", "tal vez quisiste decir lupita@hotmail.com."),
])
def test_correo_invalido_no_crea_solicitud(
    demo: SqlRegistro, puertos: Puertos, email: str, fragmento: str
) -> None:
    with pytest.raises(EmailInvalido) as error:
        consultar_nss(puertos, MARIA.curp, email)
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
        consultar_nss(puertos_de(registro, tmp_path), CURP_NO_REGISTRADA, "pedro@example.com")
    assert "todavía no tiene un NSS asignado" in error.value.mensaje
