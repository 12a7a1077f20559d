"""Reading identity, número de certificado, validity and issuer out of SAT's real test certificates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from tramites.efirma import CertificadoEfirma, leer_certificado, numero_certificado

SAT_PRUEBAS = "A.C. 2 de pruebas(4096), Servicio de Administración Tributaria"
AC_UAT = "AC UAT, SERVICIO DE ADMINISTRACION TRIBUTARIA"
ACCEM = "ACCEM SERVICIOS EMPRESARIALES SC"
KEMPER = "ESCUELA KEMPER URGATE SA DE CV"


def _utc(anio: int, mes: int, dia: int, hora: int = 0, minuto: int = 0, segundo: int = 0) -> datetime:
    return datetime(anio, mes, dia, hora, minuto, segundo, tzinfo=UTC)


# Read once with `openssl x509 -inform DER -noout -subject -serial -dates` and kept as literals.
ESPERADOS: dict[str, dict[str, object]] = {
    "phpcfdi_FIEL_AAA010101AAA/certificate.cer": {
        "rfc": "AAA010101AAA",
        "curp": None,
        "nombre": ACCEM,
        "persona": "moral",
        "rfc_representante": "HEGT7610034S2",
        "curp_representante": "HEGT761003MDFRNN09",
        "tipo": "FIEL",
        "numero_certificado": "30001000000300023685",
        "valido_desde": _utc(2017, 5, 16, 23, 29, 17),
        "valido_hasta": _utc(2021, 5, 15, 23, 29, 17),
        "emisor": SAT_PRUEBAS,
    },
    "phpcfdi_CSD01_AAA010101AAA/certificate.cer": {
        "rfc": "AAA010101AAA",
        "curp": None,
        "nombre": ACCEM,
        "persona": "moral",
        "rfc_representante": "HEGT7610034S2",
        "curp_representante": "HEGT761003MDFRNN09",
        "tipo": "CSD",
        "numero_certificado": "30001000000300023708",
        "valido_desde": _utc(2017, 5, 18, 3, 54, 56),
        "valido_hasta": _utc(2021, 5, 18, 3, 54, 56),
        "emisor": SAT_PRUEBAS,
    },
    "satcfdi/eku9003173c9.cer": {
        "rfc": "EKU9003173C9",
        "curp": None,
        "nombre": KEMPER,
        "persona": "moral",
        "rfc_representante": "XIQB891116QE4",
        "curp_representante": "XIQB891116MGRMZR05",
        "tipo": "FIEL",
        "numero_certificado": "30001000000400002417",
        "valido_desde": _utc(2019, 6, 14, 21, 5, 15),
        "valido_hasta": _utc(2023, 6, 13, 21, 5, 15),
        "emisor": AC_UAT,
    },
    "satcfdi/eku9003173c9_csd.cer": {
        "rfc": "EKU9003173C9",
        "curp": None,
        "nombre": KEMPER,
        "persona": "moral",
        "rfc_representante": "XIQB891116QE4",
        "curp_representante": "XIQB891116MGRMZR05",
        "tipo": "CSD",
        "numero_certificado": "30001000000400002434",
        "valido_desde": _utc(2019, 6, 17, 19, 44, 14),
        "valido_hasta": _utc(2023, 6, 17, 19, 44, 14),
        "emisor": AC_UAT,
    },
    "satcfdi/xiqb891116qe4.cer": {
        "rfc": "XIQB891116QE4",
        "curp": "XIQB891116MGRMZR05",
        "nombre": "BERENICE XIMO QUEZADA",
        "persona": "fisica",
        "rfc_representante": None,
        "curp_representante": None,
        "tipo": "FIEL",
        "numero_certificado": "30001000000400002311",
        "valido_desde": _utc(2019, 5, 28, 21, 58, 42),
        "valido_hasta": _utc(2023, 5, 27, 21, 58, 42),
        "emisor": AC_UAT,
    },
    "satcfdi/xiqb891116qe4_csd.cer": {
        "rfc": "XIQB891116QE4",
        "curp": "XIQB891116MGRMZR05",
        "nombre": "BERENICE XIMO QUEZADA",
        "persona": "fisica",
        "rfc_representante": None,
        "curp_representante": None,
        "tipo": "CSD",
        "numero_certificado": "30001000000400002336",
        "valido_desde": _utc(2019, 5, 29, 19, 52, 42),
        "valido_hasta": _utc(2023, 5, 29, 19, 52, 42),
        "emisor": AC_UAT,
    },
    "satcfdi/cacx7605101p8.cer": {
        "rfc": "CACX7605101P8",
        "curp": "CACX760510MGTSHC04",
        "nombre": "XOCHILT CASAS CHAVEZ",
        "persona": "fisica",
        "rfc_representante": None,
        "curp_representante": None,
        "tipo": "FIEL",
        "numero_certificado": "30001000000400002300",
        "valido_desde": _utc(2019, 5, 28, 21, 49, 54),
        "valido_hasta": _utc(2023, 5, 27, 21, 49, 54),
        "emisor": AC_UAT,
    },
    "satcfdi/emisor2021.cer": {
        "rfc": "AAA010101AAA",
        "curp": None,
        "nombre": ACCEM,
        "persona": "moral",
        "rfc_representante": "HEGT7610034S2",
        "curp_representante": "HEGT761003MDFRNN09",
        # Decided in docs/efirma.md: no OU but only the CSD key usages, so it is not an e.firma.
        "tipo": "CSD",
        "numero_certificado": "30001000000300023708",
        "valido_desde": _utc(2021, 12, 7, 0, 0, 1),
        "valido_hasta": _utc(2028, 12, 7, 0, 0, 1),
        "emisor": "AC de pruebas, SERVICIO DE ADMINISTRACION TRIBUTARIA",
    },
}


def test_cada_certificado_del_folder_compartido_tiene_datos_esperados(fixtures_efirma: Path) -> None:
    en_disco = {str(p.relative_to(fixtures_efirma)) for p in fixtures_efirma.rglob("*.cer")}
    assert en_disco == set(ESPERADOS)


@pytest.mark.parametrize("archivo", sorted(ESPERADOS))
def test_lee_identidad_numero_vigencia_y_emisor(archivo: str, leer_fixture: Callable[[str], bytes]) -> None:
    cert = leer_certificado(leer_fixture(archivo))
    leido = {clave: getattr(cert, clave) for clave in ESPERADOS[archivo]}
    assert leido == ESPERADOS[archivo]
    assert cert.valido_desde.tzinfo is not None and cert.valido_hasta.utcoffset() is not None


@pytest.mark.parametrize("archivo", sorted(ESPERADOS))
def test_lee_igual_el_certificado_en_pem(archivo: str, leer_fixture: Callable[[str], bytes]) -> None:
    der = leer_fixture(archivo)
    pem = x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
    assert leer_certificado(pem) == leer_certificado(der)


def test_pem_con_texto_antes_del_bloque(leer_fixture: Callable[[str], bytes]) -> None:
    der = leer_fixture("satcfdi/xiqb891116qe4.cer")
    pem = x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
    con_texto = b"subject=CN = BERENICE XIMO QUEZADA\r\n" + pem.replace(b"\n", b"\r\n")
    assert leer_certificado(con_texto).rfc == "XIQB891116QE4"


def test_numero_de_certificado_se_lee_por_pares_como_ascii() -> None:
    assert numero_certificado(0x3330303031303030303030343030303032333131) == "30001000000400002311"


def test_numero_de_certificado_no_sat_queda_en_hexadecimal() -> None:
    assert numero_certificado(0x01FF) == "01FF"
    assert numero_certificado(0x41) == "41"  # "A" is ASCII but not a digit


def test_como_dict_tiene_las_llaves_y_fechas_iso(leer_fixture: Callable[[str], bytes]) -> None:
    datos = leer_certificado(leer_fixture("satcfdi/eku9003173c9.cer")).como_dict()
    assert datos["rfc"] == "EKU9003173C9"
    assert datos["rfc_representante"] == "XIQB891116QE4"
    assert datos["curp_representante"] == "XIQB891116MGRMZR05"
    assert datos["valido_hasta"] == "2023-06-13T21:05:15+00:00"
    assert datos["persona"] == "moral"


def test_repr_no_vuelca_el_certificado_completo(leer_fixture: Callable[[str], bytes]) -> None:
    cert = leer_certificado(leer_fixture("satcfdi/xiqb891116qe4.cer"))
    texto = repr(cert)
    assert "XIQB891116QE4" in texto
    assert " der=" not in texto and "<Certificate" not in texto


def test_vigente_usa_el_instante_inyectado(leer_fixture: Callable[[str], bytes]) -> None:
    cert: CertificadoEfirma = leer_certificado(leer_fixture("satcfdi/cacx7605101p8.cer"))
    assert cert.vigente(_utc(2022, 6, 1))
    assert not cert.vigente(_utc(2024, 1, 1))
    assert not cert.vigente(_utc(2019, 1, 1))
