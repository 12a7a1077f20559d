"""Revocation: the offline default and the OCSP client over a fake transport (no network)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.efirma_factory import CaPrueba, crear_ca
from tramites.efirma import (
    AlmacenConfianza,
    CertificadoRevocado,
    EstadoRevocacion,
    RevocacionOcsp,
    RevocacionSinConexion,
    validar_efirma,
)

URL = "http://127.0.0.1:9/ocsp"


def test_sin_conexion_no_verifica_y_lo_dice(fiel_fisica: tuple[bytes, bytes, str], ca: CaPrueba) -> None:
    verificador = RevocacionSinConexion()
    cert = x509.load_der_x509_certificate(fiel_fisica[0])
    assert verificador.estado(cert, ca.cert) is EstadoRevocacion.NO_VERIFICADO
    assert verificador.mensaje == "No se consultó el estado de revocación (modo sin conexión)."
    assert EstadoRevocacion.NO_VERIFICADO.value == "no_verificado"


def _respuesta(
    cert: x509.Certificate,
    emisor: CaPrueba,
    estado: ocsp.OCSPCertStatus,
    ahora: datetime,
    *,
    firmante: rsa.RSAPrivateKey | None = None,
    respondedor: x509.Certificate | None = None,
    siguiente: timedelta = timedelta(days=1),
) -> bytes:
    constructor = ocsp.OCSPResponseBuilder().add_response(
        cert=cert,
        issuer=emisor.cert,
        algorithm=hashes.SHA1(),  # noqa: S303 - OCSP CertID hashes are SHA-1 by RFC 6960 practice
        cert_status=estado,
        this_update=ahora - timedelta(hours=1),
        next_update=ahora + siguiente,
        revocation_time=ahora - timedelta(days=2) if estado == ocsp.OCSPCertStatus.REVOKED else None,
        revocation_reason=None,
    )
    constructor = constructor.responder_id(ocsp.OCSPResponderEncoding.HASH, respondedor or emisor.cert)
    if respondedor is not None:
        constructor = constructor.certificates([respondedor])
    respuesta = constructor.sign(firmante or emisor.llave, hashes.SHA256())
    return respuesta.public_bytes(serialization.Encoding.DER)


class Transporte:
    """Records the request and replays a canned answer."""

    def __init__(self, respuesta: bytes | Exception) -> None:
        self.respuesta = respuesta
        self.solicitudes: list[tuple[str, bytes]] = []

    def __call__(self, url: str, cuerpo: bytes) -> bytes:
        self.solicitudes.append((url, cuerpo))
        if isinstance(self.respuesta, Exception):
            raise self.respuesta
        return self.respuesta


@pytest.mark.parametrize(
    ("estado_ocsp", "esperado"),
    [
        (ocsp.OCSPCertStatus.GOOD, EstadoRevocacion.VIGENTE),
        (ocsp.OCSPCertStatus.REVOKED, EstadoRevocacion.REVOCADO),
        (ocsp.OCSPCertStatus.UNKNOWN, EstadoRevocacion.NO_VERIFICADO),
    ],
)
def test_ocsp_firmado_por_el_emisor(
    estado_ocsp: ocsp.OCSPCertStatus,
    esperado: EstadoRevocacion,
    fiel_fisica: tuple[bytes, bytes, str],
    ca: CaPrueba,
    ahora: datetime,
) -> None:
    cert = x509.load_der_x509_certificate(fiel_fisica[0])
    transporte = Transporte(_respuesta(cert, ca, estado_ocsp, ahora))
    verificador = RevocacionOcsp(URL, transporte, reloj=lambda: ahora)
    assert verificador.estado(cert, ca.cert) is esperado
    [(url, cuerpo)] = transporte.solicitudes
    assert url == URL
    assert ocsp.load_der_ocsp_request(cuerpo).serial_number == cert.serial_number


def test_ocsp_con_respondedor_delegado(
    fiel_fisica: tuple[bytes, bytes, str], ca: CaPrueba, ahora: datetime
) -> None:
    cert = x509.load_der_x509_certificate(fiel_fisica[0])
    llave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    respondedor = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "OCSP de pruebas")]))
        .issuer_name(ca.cert.subject)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - timedelta(days=1))
        .not_valid_after(ahora + timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=False)
        .sign(ca.llave, hashes.SHA256())
    )
    crudo = _respuesta(cert, ca, ocsp.OCSPCertStatus.GOOD, ahora, firmante=llave, respondedor=respondedor)
    verificador = RevocacionOcsp(URL, Transporte(crudo), reloj=lambda: ahora)
    assert verificador.estado(cert, ca.cert) is EstadoRevocacion.VIGENTE


@pytest.mark.parametrize(
    "problema", ["firma_ajena", "vieja", "otro_certificado", "basura", "red_caida", "no_autorizado"]
)
def test_ocsp_dudoso_no_verifica(
    problema: str, fiel_fisica: tuple[bytes, bytes, str], ca: CaPrueba, ahora: datetime
) -> None:
    cert = x509.load_der_x509_certificate(fiel_fisica[0])
    respuesta: bytes | Exception
    if problema == "firma_ajena":
        ajena = crear_ca(None, nombre="AC de pruebas del Asistente")
        respuesta = _respuesta(
            cert, ca, ocsp.OCSPCertStatus.REVOKED, ahora, firmante=ajena.llave, respondedor=ajena.cert
        )
    elif problema == "vieja":
        respuesta = _respuesta(cert, ca, ocsp.OCSPCertStatus.GOOD, ahora - timedelta(days=10))
    elif problema == "otro_certificado":
        otro = crear_ca(None, nombre="Otro", emisor=ca)
        respuesta = _respuesta(otro.cert, ca, ocsp.OCSPCertStatus.GOOD, ahora)
    elif problema == "basura":
        respuesta = b"\x30\x03\x0a\x01\x00garbage"
    elif problema == "red_caida":
        respuesta = OSError("connection refused")
    else:
        respuesta = ocsp.OCSPResponseBuilder.build_unsuccessful(
            ocsp.OCSPResponseStatus.UNAUTHORIZED
        ).public_bytes(serialization.Encoding.DER)
    verificador = RevocacionOcsp(URL, Transporte(respuesta), reloj=lambda: ahora)
    assert verificador.estado(cert, ca.cert) is EstadoRevocacion.NO_VERIFICADO


def test_validar_efirma_con_ocsp_revocado(
    fiel_fisica: tuple[bytes, bytes, str], ca: CaPrueba, almacen: AlmacenConfianza, ahora: datetime
) -> None:
    cer, key, password = fiel_fisica
    cert = x509.load_der_x509_certificate(cer)
    verificador = RevocacionOcsp(
        URL, Transporte(_respuesta(cert, ca, ocsp.OCSPCertStatus.REVOKED, ahora)), reloj=lambda: ahora
    )
    with pytest.raises(CertificadoRevocado):
        validar_efirma(cer, key, password, ahora=ahora, almacen=almacen, revocacion=verificador)
