"""What a person signs with their e.firma and what the acuse says (pure domain)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tramites.cuenta_efirma import (
    ETIQUETA_FIRMA,
    TERMINOS_VERSION,
    DatosCertificado,
    SolicitudContacto,
    SolicitudCuenta,
    acuse_contacto,
    acuse_cuenta,
    firma_del_acuse,
)
from tramites.documentos import cadena_original, parsear_cadena

MEXICO = timezone(timedelta(hours=-6))
FECHA = datetime(2026, 2, 3, 9, 30, 15, tzinfo=MEXICO)
CERTIFICADO = DatosCertificado(
    numero_certificado="30001000000500003416",
    rfc="XIQB891116QE4",
    curp="XIQB891116MGRMZR05",
    nombre="BLANCA XIQUE",
    valido_desde=datetime(2025, 5, 28, 18, 0, tzinfo=UTC),
    valido_hasta=datetime(2029, 5, 28, 18, 0, tzinfo=UTC),
    emisor="AC DEL SERVICIO DE ADMINISTRACION TRIBUTARIA",
)


def test_cadena_of_the_account_request_is_canonical() -> None:
    solicitud = SolicitudCuenta("XIQB891116MGRMZR05", "XIQB891116QE4", "Blanca@Example.com", "3000100", FECHA)
    assert solicitud.cadena_original() == (
        "||1.0|ALTA_CUENTA_ESCRITORIO_VIRTUAL|2026-02-03T09:30:15-06:00|XIQB891116MGRMZR05|XIQB891116QE4|"
        f"blanca@example.com|3000100|TERMINOS-{TERMINOS_VERSION}||"
    )


def test_cadena_of_the_contact_update_escapes_separators() -> None:
    solicitud = SolicitudContacto("XIQB891116MGRMZR05", "a|b@example.com", "5512345678", "3000100", FECHA)
    assert "|a\\|b@example.com|5512345678|" in solicitud.cadena_original()


def test_cadena_needs_a_time_zone() -> None:
    with pytest.raises(ValueError):
        SolicitudCuenta("X", "Y", "z@example.com", "1", datetime(2026, 1, 1)).cadena_original()


def test_certificate_data_survives_a_slot_round_trip() -> None:
    assert DatosCertificado.desde_dict(CERTIFICADO.como_dict()) == CERTIFICADO
    assert CERTIFICADO.vigencia() == "28/05/2025 al 28/05/2029"


def test_acuse_carries_the_signed_cadena_and_firma_through_our_cadena_original() -> None:
    solicitud = SolicitudCuenta("XIQB891116MGRMZR05", "XIQB891116QE4", "blanca@example.com", "3000100", FECHA)
    documento = acuse_cuenta(solicitud, CERTIFICADO, "ZmlybWE=")
    campos = dict(documento.campos)
    assert campos["Número de certificado de la e.firma"] == "30001000000500003416"
    assert campos["RFC"] == "XIQB891116QE4"
    assert dict(documento.firmas)[ETIQUETA_FIRMA] == "ZmlybWE="
    leido = parsear_cadena(cadena_original(documento, "IMSS-1", FECHA)).documento
    assert firma_del_acuse(leido) == (solicitud.cadena_original(), "ZmlybWE=")


def test_contact_acuse_names_the_new_details() -> None:
    solicitud = SolicitudContacto("XIQB891116MGRMZR05", "nuevo@example.com", "5512345678", "3000100", FECHA)
    campos = dict(acuse_contacto(solicitud, CERTIFICADO, "ZmlybWE=").campos)
    assert campos["Correo electrónico nuevo"] == "nuevo@example.com"
    assert campos["Teléfono nuevo"] == "5512345678"
