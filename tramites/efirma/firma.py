"""Signing with the e.firma (RSA-SHA256, PKCS#1 v1.5, base64) and checking that key and certificate match."""

from __future__ import annotations

import base64
import binascii
import secrets

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from tramites.efirma.archivos import LlavePrivada
from tramites.efirma.certificado import CertificadoEfirma
from tramites.efirma.errores import LlaveNoCorresponde

__all__ = ["firmar", "llave_corresponde", "verificar_firma", "verificar_par"]


def _x509(cert: x509.Certificate | CertificadoEfirma) -> x509.Certificate:
    return cert.objeto_x509() if isinstance(cert, CertificadoEfirma) else cert


def firmar(llave: LlavePrivada, cadena_original: str) -> str:
    """Sign the UTF-8 cadena original with RSA-SHA256 (PKCS#1 v1.5), as SAT sellos do; returns base64."""
    firma = llave.sign(cadena_original.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(firma).decode("ascii")


def verificar_firma(cert: x509.Certificate | CertificadoEfirma, cadena: str, sello_b64: str) -> bool:
    """True when `sello_b64` is the certificate holder's RSA-SHA256 signature of `cadena`."""
    try:
        llave_publica = _x509(cert).public_key()
    except (ValueError, UnsupportedAlgorithm):
        return False
    if not isinstance(llave_publica, rsa.RSAPublicKey):
        return False
    try:
        firma = base64.b64decode(sello_b64.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        llave_publica.verify(firma, cadena.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def llave_corresponde(cert: x509.Certificate | CertificadoEfirma, llave: LlavePrivada) -> bool:
    """True when the private key belongs to the certificate: it signs a random challenge the cert verifies."""
    reto = secrets.token_hex(32)
    return verificar_firma(cert, reto, firmar(llave, reto))


def verificar_par(cert: x509.Certificate | CertificadoEfirma, llave: LlavePrivada) -> None:
    """Raise LlaveNoCorresponde unless the key and the certificate are a pair."""
    if not llave_corresponde(cert, llave):
        raise LlaveNoCorresponde()
