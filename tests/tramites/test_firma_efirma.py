"""The e.firma steps of a form and the two signed trámites (account, contact details) over real custody."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.efirma_factory import CaPrueba, crear_ca, crear_fiel
from tests.helpers import pdf_text
from tests.tramites.registro.apoyo_registro import AHORA, copia_demo, puertos_de
from tramites.cuenta_efirma import (
    FirmaNoCoincide,
    SolicitudContacto,
    SolicitudCuenta,
    abrir_cuenta,
    actualizar_contacto,
    firma_del_acuse,
)
from tramites.documentos import verificar_pdf
from tramites.efirma import ContrasenaIncorrecta, IdentidadNoCoincide, leer_certificado, verificar_firma
from tramites.efirma.configuracion import ConfigEfirma
from tramites.efirma.custodia import SqlCustodia
from tramites.firma_efirma import (
    MAX_INTENTOS,
    PAUSA_BLOQUEO,
    ArchivosVencidos,
    firmar_solicitud,
    intento_fallido,
    revisar_certificado_subido,
)
from tramites.identidad import digito_rfc
from tramites.puertos import Puertos
from tramites.registro import PREDECIBLES, CuentaYaRegistrada, SqlRegistro

MARIA = PREDECIBLES[0]
CONVERSACION = "conv-efirma"
PASSWORD = "Quetzal-Verde-2026"
RFC = MARIA.curp[:10] + "K7" + digito_rfc(MARIA.curp[:10] + "K7")


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CaPrueba:
    return crear_ca(tmp_path_factory.mktemp("ca"), ahora=AHORA)


@pytest.fixture(scope="module")
def fiel(ca: CaPrueba) -> tuple[bytes, bytes, str]:
    return crear_fiel(ca, RFC, MARIA.curp, MARIA.nombre.upper(), password=PASSWORD, ahora=AHORA)


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> SqlRegistro:
    return copia_demo(tmp_path_factory, tmp_path)


@pytest.fixture
def puertos(demo: SqlRegistro, tmp_path: Path) -> Puertos:
    return puertos_de(demo, tmp_path)


@pytest.fixture
def custodia(demo: SqlRegistro) -> SqlCustodia:
    return SqlCustodia(demo.session_factory, Fernet.generate_key(), now=lambda: AHORA)


@pytest.fixture
def config(ca: CaPrueba) -> ConfigEfirma:
    assert ca.ruta is not None
    return ConfigEfirma(ca_dir=ca.ruta.parent)


def _ids(custodia: SqlCustodia, fiel: tuple[bytes, bytes, str]) -> tuple[str, str]:
    cer = custodia.hold(CONVERSACION, "a.cer", fiel[0], len(fiel[0]))
    key = custodia.hold(CONVERSACION, "a.key", fiel[1], len(fiel[1]))
    assert cer.id is not None and key.id is not None
    return cer.id, key.id


def _firmar(custodia: SqlCustodia, config: ConfigEfirma, archivos: tuple[str, str], password: str = PASSWORD):
    return firmar_solicitud(
        custodia, config, CONVERSACION, archivos, password,
        lambda certificado, fecha: SolicitudCuenta.firmada_con(
            MARIA.curp, "lupita@example.com", certificado, fecha
        ),
        ahora=AHORA, curp=MARIA.curp, rfc=RFC,
    )


def test_the_uploaded_certificate_is_checked_and_described(
    custodia: SqlCustodia, config: ConfigEfirma, fiel: tuple[bytes, bytes, str]
) -> None:
    cer_id, _ = _ids(custodia, fiel)
    datos = revisar_certificado_subido(
        custodia, config, CONVERSACION, cer_id, ahora=AHORA, curp=MARIA.curp, rfc=RFC
    )
    assert (datos.rfc, datos.curp) == (RFC, MARIA.curp)


def test_a_certificate_of_someone_else_is_refused_and_wiped(
    custodia: SqlCustodia, config: ConfigEfirma, fiel: tuple[bytes, bytes, str]
) -> None:
    cer_id, _ = _ids(custodia, fiel)
    with pytest.raises(IdentidadNoCoincide):
        revisar_certificado_subido(
            custodia, config, CONVERSACION, cer_id, ahora=AHORA, curp=PREDECIBLES[1].curp, rfc=None
        )
    assert custodia.take(CONVERSACION, cer_id) is None


def test_signing_wipes_both_files_and_the_signature_verifies(
    custodia: SqlCustodia, config: ConfigEfirma, fiel: tuple[bytes, bytes, str]
) -> None:
    firma = _firmar(custodia, config, _ids(custodia, fiel))
    assert custodia.count(CONVERSACION) == 0
    assert verificar_firma(leer_certificado(fiel[0]), firma.cadena, firma.sello)
    esperada = SolicitudCuenta.firmada_con(MARIA.curp, "lupita@example.com", firma.certificado, firma.fecha)
    assert firma.cadena == esperada.cadena_original()


def test_a_wrong_password_keeps_the_files_for_another_try(
    custodia: SqlCustodia, config: ConfigEfirma, fiel: tuple[bytes, bytes, str]
) -> None:
    archivos = _ids(custodia, fiel)
    with pytest.raises(ContrasenaIncorrecta):
        _firmar(custodia, config, archivos, "no-es")
    assert custodia.count(CONVERSACION) == 2
    assert _firmar(custodia, config, archivos).sello


def test_files_gone_from_custody_start_over(
    custodia: SqlCustodia, config: ConfigEfirma, fiel: tuple[bytes, bytes, str]
) -> None:
    cer_id, key_id = _ids(custodia, fiel)
    custodia.release(key_id)
    with pytest.raises(ArchivosVencidos) as error:
        _firmar(custodia, config, (cer_id, key_id))
    assert "certificado (.cer)" in error.value.mensaje
    assert custodia.count(CONVERSACION) == 0


def test_the_third_wrong_password_pauses() -> None:
    assert intento_fallido(0, AHORA).intentos == 1 and intento_fallido(0, AHORA).restantes == MAX_INTENTOS - 1
    assert intento_fallido(1, AHORA).pausa_hasta is None
    tercero = intento_fallido(MAX_INTENTOS - 1, AHORA)
    assert tercero.pausa_hasta == AHORA + PAUSA_BLOQUEO and tercero.intentos == 0


def test_opening_an_account_issues_a_signed_acuse_once_per_key(
    demo: SqlRegistro, puertos: Puertos, custodia: SqlCustodia, config: ConfigEfirma,
    fiel: tuple[bytes, bytes, str],
) -> None:
    firma = _firmar(custodia, config, _ids(custodia, fiel))
    acuse = abrir_cuenta(puertos, MARIA.curp, "Lupita@Example.com", firma, clave="m-1")
    cuenta = demo.cuenta(MARIA.curp)
    assert cuenta is not None and cuenta.acuse_folio == acuse.documento.folio
    assert (acuse.nombre, acuse.email) == ("María Guadalupe", "lupita@example.com")
    assert abrir_cuenta(puertos, MARIA.curp, "lupita@example.com", firma, clave="m-1") == acuse
    emisor = puertos.emisor
    verificado = verificar_pdf(acuse.documento.path.read_bytes(), emisor.claves, emisor.folios)
    assert firma_del_acuse(verificado.documento) == (firma.cadena, firma.sello)
    with pytest.raises(CuentaYaRegistrada) as error:
        abrir_cuenta(puertos, MARIA.curp, "lupita@example.com", firma, clave="m-2")
    assert cuenta.numero_certificado in error.value.mensaje


def test_data_that_was_not_signed_is_not_sent(
    demo: SqlRegistro, puertos: Puertos, custodia: SqlCustodia, config: ConfigEfirma,
    fiel: tuple[bytes, bytes, str],
) -> None:
    firma = _firmar(custodia, config, _ids(custodia, fiel))
    with pytest.raises(FirmaNoCoincide):
        abrir_cuenta(puertos, MARIA.curp, "otra@example.com", firma)
    assert demo.cuenta(MARIA.curp) is None


def test_updating_contact_details_with_the_signed_change(
    demo: SqlRegistro, puertos: Puertos, custodia: SqlCustodia, config: ConfigEfirma,
    fiel: tuple[bytes, bytes, str],
) -> None:
    firma = firmar_solicitud(
        custodia, config, CONVERSACION, _ids(custodia, fiel), PASSWORD,
        lambda certificado, fecha: SolicitudContacto.firmada_con(
            MARIA.curp, "nuevo@example.mx", "5512349876", certificado, fecha
        ),
        ahora=AHORA + timedelta(minutes=1), curp=MARIA.curp, rfc=None,
    )
    acuse = actualizar_contacto(puertos, MARIA.curp, "nuevo@example.mx", "5512349876", firma, clave="m-9")
    persona = demo.persona_por_curp(MARIA.curp)
    assert persona is not None and (persona.email, persona.telefono) == ("nuevo@example.mx", "5512349876")
    assert (acuse.email, acuse.telefono) == ("nuevo@example.mx", "5512349876")
    assert acuse.solicitud.datos["acuse_folio"] == acuse.documento.folio
    assert "5512349876" in pdf_text(acuse.documento.path)
    otra_vez = actualizar_contacto(puertos, MARIA.curp, "nuevo@example.mx", "5512349876", firma, clave="m-9")
    assert otra_vez == acuse
