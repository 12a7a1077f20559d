"""Test factory for e.firma: a test CA and SAT-like FIEL/CSD leaves built with cryptography.

Plain functions, importable from any test folder (`from tests.efirma_factory import crear_ca, crear_fiel`),
plus the path of the real SAT test files copied into `tests/fixtures/efirma`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

__all__ = [
    "FIXTURES_EFIRMA",
    "PASSWORD_FIXTURES",
    "REPO_ROOT",
    "CaPrueba",
    "con_iteraciones",
    "crear_ca",
    "crear_csd",
    "crear_fiel",
    "directorio_fixtures",
    "numero_a_serial",
    "serial_a_numero",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
PASSWORD_FIXTURES = "12345678a"

OID_RFC = ObjectIdentifier("2.5.4.45")  # x500UniqueIdentifier


def directorio_fixtures() -> Path:
    """The real SAT test files, kept in the repository (see their README for provenance and licence)."""
    return REPO_ROOT / "tests" / "fixtures" / "efirma"


FIXTURES_EFIRMA = directorio_fixtures()


@dataclass
class CaPrueba:
    """A test certification authority (root or intermediate) and where its certificate was written."""

    cert: x509.Certificate
    llave: rsa.RSAPrivateKey = field(repr=False)
    ruta: Path | None = None

    @property
    def der(self) -> bytes:
        """The CA certificate in DER (what SAT publishes as .cer)."""
        return self.cert.public_bytes(serialization.Encoding.DER)


def numero_a_serial(numero: str) -> int:
    """Encode a número de certificado the SAT way: each digit's ASCII code becomes a hex byte."""
    return int(numero.encode("ascii").hex(), 16)


def serial_a_numero(serial: int) -> str:
    """Inverse of numero_a_serial (for assertions)."""
    return bytes.fromhex(format(serial, "x")).decode("ascii")


def _nueva_llave(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def _ahora(ahora: datetime | None) -> datetime:
    return ahora if ahora is not None else datetime.now(UTC)


def crear_ca(
    directorio: Path | None,
    *,
    nombre: str = "AC de pruebas del Asistente",
    emisor: CaPrueba | None = None,
    ahora: datetime | None = None,
    desde: datetime | None = None,
    hasta: datetime | None = None,
    archivo: str | None = None,
    pem: bool = False,
) -> CaPrueba:
    """A CA certificate (self-signed root, or intermediate when `emisor` is given), valid now by default.

    When `directorio` is given the certificate is written there (DER `.cer`, or PEM `.pem`), ready for
    `AlmacenConfianza.desde_directorio(directorio)`.
    """
    momento = _ahora(ahora)
    llave = _nueva_llave()
    sujeto = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, nombre),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "SERVICIO DE ADMINISTRACION TRIBUTARIA"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "SAT-IES Authority"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"),
        ]
    )
    firmante = emisor.llave if emisor is not None else llave
    nombre_emisor = emisor.cert.subject if emisor is not None else sujeto
    cert = (
        x509.CertificateBuilder()
        .subject_name(sujeto)
        .issuer_name(nombre_emisor)
        .public_key(llave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(desde or momento - timedelta(days=365))
        .not_valid_after(hasta or momento + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(llave.public_key()), critical=False)
        .sign(firmante, hashes.SHA256())
    )
    ca = CaPrueba(cert=cert, llave=llave)
    if directorio is not None:
        directorio.mkdir(parents=True, exist_ok=True)
        nombre_archivo = archivo or f"ac_{secrets.token_hex(4)}.{'pem' if pem else 'cer'}"
        ruta = directorio / nombre_archivo
        codificacion = serialization.Encoding.PEM if pem else serialization.Encoding.DER
        ruta.write_bytes(cert.public_bytes(codificacion))
        ca.ruta = ruta
    return ca


def _hoja(
    ca: CaPrueba,
    rfc: str,
    curp: str | None,
    nombre: str,
    *,
    fiel: bool,
    password: str,
    rfc_representante: str | None,
    curp_representante: str | None,
    sucursal: str | None,
    correo: str | None,
    numero: str | None,
    ahora: datetime | None,
    desde: datetime | None,
    hasta: datetime | None,
    llave: rsa.RSAPrivateKey | None,
    pem: bool,
) -> tuple[bytes, bytes, str]:
    momento = _ahora(ahora)
    llave = llave or _nueva_llave()
    rfc_valor = f"{rfc} / {rfc_representante}" if rfc_representante else rfc
    curp_valor = f"{curp or ''} / {curp_representante}" if curp_representante else (curp or "")
    atributos = [
        x509.NameAttribute(NameOID.COMMON_NAME, nombre),
        x509.NameAttribute(ObjectIdentifier("2.5.4.41"), nombre),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, nombre),
    ]
    if fiel:
        atributos.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "MX"))
        if correo:
            atributos.append(x509.NameAttribute(NameOID.EMAIL_ADDRESS, correo))
    atributos.append(x509.NameAttribute(OID_RFC, rfc_valor))
    if curp_valor:
        atributos.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, curp_valor))
    if not fiel:
        atributos.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, sucursal or nombre))
    numero = numero or "300010000005" + "".join(secrets.choice("0123456789") for _ in range(8))
    constructor = (
        x509.CertificateBuilder()
        .subject_name(x509.Name(atributos))
        .issuer_name(ca.cert.subject)
        .public_key(llave.public_key())
        .serial_number(numero_a_serial(numero))
        .not_valid_before(desde or momento - timedelta(days=30))
        .not_valid_after(hasta or momento + timedelta(days=4 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=fiel,
                key_agreement=fiel,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=False,
        )
    )
    if fiel:
        constructor = constructor.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
    cert = constructor.sign(ca.llave, hashes.SHA256())
    codificacion = serialization.Encoding.PEM if pem else serialization.Encoding.DER
    cer = cert.public_bytes(codificacion)
    key = llave.private_bytes(
        codificacion,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    return cer, key, password


def crear_fiel(
    ca: CaPrueba,
    rfc: str,
    curp: str | None,
    nombre: str,
    *,
    password: str = PASSWORD_FIXTURES,
    rfc_representante: str | None = None,
    curp_representante: str | None = None,
    correo: str | None = "pruebas@pruebas.gob.mx",
    numero: str | None = None,
    ahora: datetime | None = None,
    desde: datetime | None = None,
    hasta: datetime | None = None,
    llave: rsa.RSAPrivateKey | None = None,
    pem: bool = False,
) -> tuple[bytes, bytes, str]:
    """A SAT-like e.firma (FIEL) issued by `ca`: returns (cer_der, key_der_encrypted, password).

    Subject like SAT's: CN/name/O, C=MX, emailAddress, x500UniqueIdentifier with the RFC (persona moral:
    "RFC_EMPRESA / RFC_REPRESENTANTE"), serialNumber with the CURP (" / CURP_REPRESENTANTE"), no OU;
    keyUsage with dataEncipherment + keyAgreement, EKU emailProtection + clientAuth; serial number
    encoded the SAT way; the key as encrypted PKCS#8 (DER, or PEM with `pem=True`). Valid now by default.
    """
    return _hoja(
        ca,
        rfc,
        curp,
        nombre,
        fiel=True,
        password=password,
        rfc_representante=rfc_representante,
        curp_representante=curp_representante,
        sucursal=None,
        correo=correo,
        numero=numero,
        ahora=ahora,
        desde=desde,
        hasta=hasta,
        llave=llave,
        pem=pem,
    )


def crear_csd(
    ca: CaPrueba,
    rfc: str,
    curp: str | None,
    nombre: str,
    *,
    sucursal: str | None = None,
    password: str = PASSWORD_FIXTURES,
    rfc_representante: str | None = None,
    curp_representante: str | None = None,
    numero: str | None = None,
    ahora: datetime | None = None,
    desde: datetime | None = None,
    hasta: datetime | None = None,
    llave: rsa.RSAPrivateKey | None = None,
    pem: bool = False,
) -> tuple[bytes, bytes, str]:
    """A SAT-like CSD (sello digital): OU = sucursal, keyUsage only digitalSignature + nonRepudiation."""
    return _hoja(
        ca,
        rfc,
        curp,
        nombre,
        fiel=False,
        password=password,
        rfc_representante=rfc_representante,
        curp_representante=curp_representante,
        sucursal=sucursal,
        correo=None,
        numero=numero,
        ahora=ahora,
        desde=desde,
        hasta=hasta,
        llave=llave,
        pem=pem,
    )


def con_iteraciones(key_der: bytes, iteraciones: int) -> bytes:
    """The same encrypted PKCS#8 key (DER) claiming another PBKDF2 iteration count; nothing else changes."""
    from asn1crypto import keys

    info = keys.EncryptedPrivateKeyInfo.load(key_der)
    parametros = info["encryption_algorithm"]["parameters"]
    parametros["key_derivation_func"]["parameters"]["iteration_count"] = iteraciones
    return bytes(info.dump(force=True))
