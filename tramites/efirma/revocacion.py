"""Pluggable revocation check (OCSP interface) with an offline default."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID

__all__ = [
    "MENSAJE_SIN_CONEXION",
    "EstadoRevocacion",
    "RevocacionOcsp",
    "RevocacionSinConexion",
    "TransporteOcsp",
    "VerificadorRevocacion",
]

MENSAJE_SIN_CONEXION = "No se consultó el estado de revocación (modo sin conexión)."


class EstadoRevocacion(StrEnum):
    """What the revocation check learned about a certificate."""

    VIGENTE = "vigente"
    REVOCADO = "revocado"
    NO_VERIFICADO = "no_verificado"

    @property
    def mensaje(self) -> str:
        """A short Spanish description, for the person or for the agent console.

        NO_VERIFICADO means nobody gave a trustworthy answer (offline mode, or OCSP unreachable), which
        for the person is the same as not having asked.
        """
        if self is EstadoRevocacion.VIGENTE:
            return "El SAT confirma que tu e.firma no está revocada."
        if self is EstadoRevocacion.REVOCADO:
            return "El SAT reporta que tu e.firma fue revocada."
        return MENSAJE_SIN_CONEXION


class VerificadorRevocacion(Protocol):
    """Asks an authority (OCSP in production) whether `cert`, issued by `emisor`, has been revoked."""

    def estado(self, cert: x509.Certificate, emisor: x509.Certificate) -> EstadoRevocacion:
        """Revocation status; must not raise for network or protocol problems (return NO_VERIFICADO)."""
        ...


class RevocacionSinConexion:
    """Offline default: never asks anybody, so the answer is always NO_VERIFICADO."""

    mensaje = MENSAJE_SIN_CONEXION

    def estado(self, cert: x509.Certificate, emisor: x509.Certificate) -> EstadoRevocacion:
        """Always NO_VERIFICADO (with `mensaje` explaining that nothing was consulted)."""
        return EstadoRevocacion.NO_VERIFICADO


TransporteOcsp = Callable[[str, bytes], bytes]
"""POSTs a DER OCSP request (application/ocsp-request) to a URL and returns the DER response body."""


def _verifica(llave_publica: object, resp: ocsp.OCSPResponse) -> bool:
    algoritmo = resp.signature_hash_algorithm
    if algoritmo is None:
        return False
    try:
        if isinstance(llave_publica, rsa.RSAPublicKey):
            llave_publica.verify(resp.signature, resp.tbs_response_bytes, padding.PKCS1v15(), algoritmo)
        elif isinstance(llave_publica, ec.EllipticCurvePublicKey):
            llave_publica.verify(resp.signature, resp.tbs_response_bytes, ec.ECDSA(algoritmo))
        else:
            return False
    except InvalidSignature:
        return False
    return True


def _responde_ocsp(cert: x509.Certificate) -> bool:
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        return False
    return ExtendedKeyUsageOID.OCSP_SIGNING in eku


class RevocacionOcsp:
    """OCSP client (RFC 6960) over an injected transport, so the domain stays free of HTTP code.

    The response must be signed by the issuer or by a responder certificate that the issuer delegated
    (EKU OCSPSigning), refer to this serial and issuer, and be fresh at the injected clock; anything
    else, including transport errors, gives NO_VERIFICADO rather than a false "vigente".
    """

    def __init__(
        self,
        url: str,
        transporte: TransporteOcsp,
        *,
        reloj: Callable[[], datetime],
        tolerancia: timedelta = timedelta(minutes=5),
    ) -> None:
        self.url = url
        self._transporte = transporte
        self._reloj = reloj
        self._tolerancia = tolerancia

    def estado(self, cert: x509.Certificate, emisor: x509.Certificate) -> EstadoRevocacion:
        """Ask the OCSP responder; NO_VERIFICADO whenever the answer cannot be trusted."""
        try:
            # SHA-1 here only names the certificate (CertID); responders widely support nothing else.
            certid = hashes.SHA1()  # noqa: S303
            solicitud = ocsp.OCSPRequestBuilder().add_certificate(cert, emisor, certid).build()
        except (ValueError, TypeError):
            return EstadoRevocacion.NO_VERIFICADO
        try:
            crudo = self._transporte(self.url, solicitud.public_bytes(serialization.Encoding.DER))
        except Exception:
            return EstadoRevocacion.NO_VERIFICADO
        try:
            return self._interpretar(crudo, solicitud, emisor)
        except ValueError:
            return EstadoRevocacion.NO_VERIFICADO

    def _interpretar(
        self, crudo: bytes, solicitud: ocsp.OCSPRequest, emisor: x509.Certificate
    ) -> EstadoRevocacion:
        resp = ocsp.load_der_ocsp_response(crudo)
        if resp.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return EstadoRevocacion.NO_VERIFICADO
        if (
            resp.serial_number != solicitud.serial_number
            or resp.issuer_key_hash != solicitud.issuer_key_hash
            or resp.issuer_name_hash != solicitud.issuer_name_hash
        ):
            return EstadoRevocacion.NO_VERIFICADO
        ahora = self._reloj()
        firmantes = [emisor] + [
            c
            for c in resp.certificates
            if _responde_ocsp(c)
            and c.not_valid_before_utc <= ahora <= c.not_valid_after_utc
            and _emitido_por(c, emisor)
        ]
        if not any(_verifica(f.public_key(), resp) for f in firmantes):
            return EstadoRevocacion.NO_VERIFICADO
        if resp.this_update_utc > ahora + self._tolerancia:
            return EstadoRevocacion.NO_VERIFICADO
        siguiente = resp.next_update_utc
        if siguiente is not None and siguiente < ahora - self._tolerancia:
            return EstadoRevocacion.NO_VERIFICADO
        if resp.certificate_status == ocsp.OCSPCertStatus.GOOD:
            return EstadoRevocacion.VIGENTE
        if resp.certificate_status == ocsp.OCSPCertStatus.REVOKED:
            return EstadoRevocacion.REVOCADO
        return EstadoRevocacion.NO_VERIFICADO


def _emitido_por(cert: x509.Certificate, emisor: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(emisor)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
