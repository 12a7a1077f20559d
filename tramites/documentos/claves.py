"""The institution's signing key and certificate (sello digital and PAdES signature)."""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from tramites.documentos.modelo import ClavesInvalidas

if TYPE_CHECKING:
    from asn1crypto.x509 import Certificate as Asn1Certificate
    from pyhanko.sign.signers import SimpleSigner

__all__ = ["NOMBRE_DESARROLLO", "ClavesInstitucion"]

NOMBRE_DESARROLLO = "IMSS Digital (desarrollo)"
_KEY_DEFAULT = "sello_key.pem"
_CERT_DEFAULT = "sello_cert.pem"


def _escribir_privado(path: Path, data: bytes) -> None:
    """Create a file readable only by its owner; fails if it already exists (no silent overwrite)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)  # the umask may have narrowed it further; make it exact


def _certificado_autofirmado(clave: rsa.RSAPrivateKey, nombre: str, ahora: datetime) -> x509.Certificate:
    sujeto = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Instituto Mexicano del Seguro Social"),
        x509.NameAttribute(NameOID.COMMON_NAME, nombre),
    ])
    publica = clave.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(sujeto)
        .public_key(publica)
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - timedelta(days=1))
        .not_valid_after(ahora + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(publica), critical=False)
        .sign(clave, hashes.SHA256())
    )


def _firmante(cert: Asn1Certificate, clave_asn1: Any, clave: rsa.RSAPrivateKey) -> SimpleSigner:
    """A SimpleSigner that reuses the loaded key: pyHanko would re-parse (and re-check) it per signature."""
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class FirmanteInstitucion(SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mecanismo = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mecanismo.signature_algo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            return clave.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    registro = SimpleCertificateStore.from_certs([cert])  # type: ignore[no-untyped-call]
    return FirmanteInstitucion(signing_cert=cert, signing_key=clave_asn1, cert_registry=registro)


@dataclass
class ClavesInstitucion:
    """The RSA key that seals documents and the certificate that identifies it."""

    clave_privada: rsa.RSAPrivateKey
    certificado: x509.Certificate
    key_path: Path | None = None
    cert_path: Path | None = None
    _signer: SimpleSigner | None = field(default=None, repr=False, compare=False)

    @classmethod
    def cargar_o_generar(
        cls, directorio: Path, key_path: Path | None = None, cert_path: Path | None = None
    ) -> ClavesInstitucion:
        """Load the configured key/cert, or create a development pair in `directorio` on first run."""
        if (key_path is None) != (cert_path is None):
            raise ClavesInvalidas(
                "Configura juntas SELLO_KEY_PATH y SELLO_CERT_PATH (la clave privada y su certificado), "
                "o ninguna para usar la clave de desarrollo."
            )
        if key_path is not None and cert_path is not None:
            return cls.cargar(key_path, cert_path)
        directorio.mkdir(parents=True, exist_ok=True)
        llave, cert = directorio / _KEY_DEFAULT, directorio / _CERT_DEFAULT
        if not llave.exists():
            if cert.exists():
                raise ClavesInvalidas(
                    f"Existe el certificado {cert} pero falta su clave privada {llave}. "
                    f"Restaura la clave o borra el certificado para generar un par nuevo."
                )
            cls._generar(llave, cert)
        elif not cert.exists():
            clave = cls._leer_clave(llave)
            cert.write_bytes(_certificado_autofirmado(clave, NOMBRE_DESARROLLO, datetime.now(UTC))
                             .public_bytes(serialization.Encoding.PEM))
        return cls.cargar(llave, cert)

    @classmethod
    def generar(cls, nombre: str = NOMBRE_DESARROLLO) -> ClavesInstitucion:
        """A fresh in-memory key and self-signed certificate (tests, tools)."""
        clave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        certificado = _certificado_autofirmado(clave, nombre, datetime.now(UTC))
        return cls(clave_privada=clave, certificado=certificado)

    @staticmethod
    def _generar(llave: Path, cert: Path) -> None:
        claves = ClavesInstitucion.generar()
        pem = claves.clave_privada.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:
            _escribir_privado(llave, pem)
        except FileExistsError:
            return  # another process generated it first; load theirs
        cert.write_bytes(claves.certificado.public_bytes(serialization.Encoding.PEM))

    @staticmethod
    def _leer_clave(path: Path) -> rsa.RSAPrivateKey:
        try:
            clave = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except (OSError, ValueError, TypeError) as e:
            raise ClavesInvalidas(f"No se pudo leer la clave privada del sello ({path}): {e}") from e
        if not isinstance(clave, rsa.RSAPrivateKey):
            raise ClavesInvalidas(f"La clave del sello ({path}) debe ser RSA.")
        return clave

    @classmethod
    def cargar(cls, key_path: Path, cert_path: Path) -> ClavesInstitucion:
        """Load a PEM private key (unencrypted, RSA) and its PEM or DER certificate."""
        clave = cls._leer_clave(key_path)
        try:
            datos = cert_path.read_bytes()
            cert = (x509.load_pem_x509_certificate(datos) if b"-----BEGIN" in datos
                    else x509.load_der_x509_certificate(datos))
        except (OSError, ValueError) as e:
            raise ClavesInvalidas(f"No se pudo leer el certificado del sello ({cert_path}): {e}") from e
        publica = cert.public_key()
        propia = clave.public_key().public_numbers()
        if not isinstance(publica, rsa.RSAPublicKey) or publica.public_numbers() != propia:
            raise ClavesInvalidas(
                f"El certificado {cert_path} no corresponde a la clave privada {key_path}."
            )
        return cls(clave_privada=clave, certificado=cert, key_path=key_path, cert_path=cert_path)

    @property
    def nombre(self) -> str:
        """The certificate's common name."""
        cns = self.certificado.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        valor = cns[0].value if cns else self.certificado.subject.rfc4514_string()
        return valor if isinstance(valor, str) else valor.decode()

    @property
    def huella(self) -> str:
        """SHA-256 fingerprint of the certificate, hex."""
        return self.certificado.fingerprint(hashes.SHA256()).hex()

    def sellar(self, cadena: str) -> str:
        """The sello digital: RSA-SHA256 (PKCS#1 v1.5) of the UTF-8 cadena, base64."""
        firma = self.clave_privada.sign(cadena.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(firma).decode("ascii")

    def verificar_sello(self, cadena: str, sello: str) -> bool:
        """True when `sello` is this institution's signature of `cadena`."""
        try:
            firma = base64.b64decode(sello.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            return False
        publica = self.clave_privada.public_key()
        try:
            publica.verify(firma, cadena.encode("utf-8"), padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            return False
        return True

    def signer(self) -> SimpleSigner:
        """A pyHanko signer for PAdES signatures with this key (built once)."""
        if self._signer is None:
            from asn1crypto import keys as asn1_keys
            from asn1crypto import x509 as asn1_x509
            cert = asn1_x509.Certificate.load(self.certificado.public_bytes(serialization.Encoding.DER))
            clave = asn1_keys.PrivateKeyInfo.load(
                self.clave_privada.private_bytes(
                    serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            self._signer = _firmante(cert, clave, self.clave_privada)
        return self._signer

    def espacio_firma(self) -> int:
        """Bytes to reserve for the PAdES signature container, an upper bound computed from the key.

        pyHanko otherwise estimates it by making a whole dummy signature before each real one.
        The container holds the certificate, the issuer name again, the signature and a few hundred
        bytes of signed attributes; twice the certificate plus the modulus and 4 KB is well above it.
        """
        certificado = len(self.certificado.public_bytes(serialization.Encoding.DER))
        return 2 * certificado + self.clave_privada.key_size // 8 + 4096

    def certificado_asn1(self) -> Asn1Certificate:
        """The certificate as an asn1crypto object (what pyHanko's validators expect)."""
        from asn1crypto import x509 as asn1_x509

        return asn1_x509.Certificate.load(self.certificado.public_bytes(serialization.Encoding.DER))

