"""Trust store: SAT's CA certificates, and the issuer chain check of an uploaded certificate."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes

from tramites.efirma.errores import (
    AlmacenConfianzaInvalido,
    AlmacenConfianzaNoConfigurado,
    EmisorNoConfiable,
)

__all__ = ["EXTENSIONES_CONFIANZA", "PROFUNDIDAD_MAXIMA", "AlmacenConfianza"]

EXTENSIONES_CONFIANZA = (".cer", ".crt", ".pem")
"""File types loaded from the trust store folder."""

PROFUNDIDAD_MAXIMA = 8
"""Longest chain we walk (SAT's is leaf → AC → root); also stops loops in a badly built store."""


def _cargar_archivo(ruta: Path) -> list[x509.Certificate]:
    data = ruta.read_bytes()
    try:
        if b"-----BEGIN" in data:
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError as exc:
        raise AlmacenConfianzaInvalido(
            detalle=f"El archivo {ruta} del almacén de confianza no es un certificado: {exc}"
        ) from None


def _firmado_por(cert: x509.Certificate, emisor: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(emisor)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _puede_emitir(ca: x509.Certificate) -> bool:
    """A CA may sign certificates: basicConstraints CA and keyCertSign, when those extensions are present."""
    try:
        restricciones = ca.extensions.get_extension_for_class(x509.BasicConstraints).value
        if not restricciones.ca:
            return False
    except x509.ExtensionNotFound:
        pass  # Old v1 roots carry no extensions at all.
    try:
        uso = ca.extensions.get_extension_for_class(x509.KeyUsage).value
        if not uso.key_cert_sign:
            return False
    except x509.ExtensionNotFound:
        pass
    return True


def _vigente(cert: x509.Certificate, ahora: datetime) -> bool:
    return cert.not_valid_before_utc <= ahora <= cert.not_valid_after_utc


def _autofirmado(cert: x509.Certificate) -> bool:
    return cert.subject == cert.issuer and _firmado_por(cert, cert)


class AlmacenConfianza:
    """The CA certificates we trust (SAT's roots and intermediates), as configured by the operator."""

    def __init__(self, certificados: Iterable[x509.Certificate] = ()) -> None:
        unicos: dict[bytes, x509.Certificate] = {}
        for cert in certificados:
            unicos.setdefault(cert.fingerprint(hashes.SHA256()), cert)
        self._certificados: tuple[x509.Certificate, ...] = tuple(unicos.values())

    @classmethod
    def desde_directorio(cls, directorio: Path | None) -> AlmacenConfianza:
        """Load every .cer/.crt/.pem (DER or PEM, several per PEM file) in a folder such as EFIRMA_CA_DIR.

        An unset or missing folder gives an empty store: the bot still starts, and checking an e.firma
        then raises AlmacenConfianzaNoConfigurado. A file that is not a certificate raises
        AlmacenConfianzaInvalido naming it, so a broken deployment is noticed.
        """
        if directorio is None or not directorio.is_dir():
            return cls()
        certificados: list[x509.Certificate] = []
        for ruta in sorted(directorio.iterdir()):
            if ruta.is_file() and ruta.suffix.lower() in EXTENSIONES_CONFIANZA:
                certificados.extend(_cargar_archivo(ruta))
        return cls(certificados)

    @property
    def certificados(self) -> tuple[x509.Certificate, ...]:
        """The trusted CA certificates."""
        return self._certificados

    def __len__(self) -> int:
        return len(self._certificados)

    @property
    def vacio(self) -> bool:
        """True when nothing is configured (every chain check would fail)."""
        return not self._certificados

    def __repr__(self) -> str:
        return f"AlmacenConfianza({len(self._certificados)} certificados)"

    def emisores_de(self, cert: x509.Certificate) -> list[x509.Certificate]:
        """Store certificates whose name matches the issuer and whose key verifies the signature."""
        return [
            ca
            for ca in self._certificados
            if ca.subject == cert.issuer and _puede_emitir(ca) and _firmado_por(cert, ca)
        ]

    def verificar_cadena(self, cert: x509.Certificate, ahora: datetime) -> tuple[x509.Certificate, ...]:
        """The chain [issuer, …, self-signed root] from the store that vouches for `cert` at `ahora`.

        Every CA on the way must sign the one below, be allowed to sign certificates and be valid at
        `ahora`. Raises AlmacenConfianzaNoConfigurado for an empty store and EmisorNoConfiable otherwise.
        """
        if ahora.tzinfo is None:
            raise ValueError("ahora must be timezone-aware")
        if self.vacio:
            raise AlmacenConfianzaNoConfigurado()
        cadena = self._buscar(cert, ahora, ())
        if cadena is None:
            raise EmisorNoConfiable(
                detalle=f"No CA in the trust store ({len(self)} certificates) vouches for issuer "
                f"{cert.issuer.rfc4514_string()} at {ahora.isoformat()}"
            )
        return cadena

    def _buscar(
        self, cert: x509.Certificate, ahora: datetime, camino: tuple[x509.Certificate, ...]
    ) -> tuple[x509.Certificate, ...] | None:
        if len(camino) >= PROFUNDIDAD_MAXIMA:
            return None
        for ca in self.emisores_de(cert):
            if ca in camino or not _vigente(ca, ahora):
                continue
            nuevo = (*camino, ca)
            if _autofirmado(ca):
                return nuevo
            encontrado = self._buscar(ca, ahora, nuevo)
            if encontrado is not None:
                return encontrado
        return None
