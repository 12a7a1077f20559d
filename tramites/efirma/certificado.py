"""What a SAT certificate says: identity, número de certificado, validity, issuer, and FIEL vs CSD."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Literal

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

from tramites.efirma.archivos import cargar_certificado
from tramites.efirma.errores import ArchivoNoEsCertificado, CertificadoSinRfc

__all__ = [
    "OID_CURP",
    "OID_RFC",
    "CertificadoEfirma",
    "TipoCertificado",
    "TipoPersona",
    "desde_x509",
    "fecha_mexico",
    "formatear_fecha_hora",
    "leer_certificado",
    "numero_certificado",
    "tipo_certificado",
    "zona_mexico",
]

OID_RFC = ObjectIdentifier("2.5.4.45")  # x500UniqueIdentifier: "RFC" or "RFC_EMPRESA / RFC_REPRESENTANTE"
OID_CURP = NameOID.SERIAL_NUMBER  # 2.5.4.5: "CURP" or " / CURP_REPRESENTANTE"
_OID_NAME = ObjectIdentifier("2.5.4.41")

TipoCertificado = Literal["FIEL", "CSD"]
TipoPersona = Literal["fisica", "moral"]

_RFC_FORMA = re.compile(r"^[A-ZÑ&]{3,4}\d{6}[A-Z\d]{3}$")


def zona_mexico() -> tzinfo:
    """Central Mexico's time zone (America/Mexico_City), for dates shown to people."""
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo("America/Mexico_City")
        except ZoneInfoNotFoundError:
            pass
    except ImportError:  # pragma: no cover - zoneinfo is stdlib on 3.9+
        pass
    # Central Mexico has been UTC-6 all year since 2022, a fine fallback without tz data.
    return timezone(timedelta(hours=-6), "CST")


def fecha_mexico(instante: datetime) -> date:
    """The calendar date of an instant in central Mexico, for the dates we show to people."""
    return instante.astimezone(zona_mexico()).date()


def formatear_fecha_hora(instante: datetime) -> str:
    """An instant as central-Mexico local time, DD/MM/AAAA HH:MM."""
    return instante.astimezone(zona_mexico()).strftime("%d/%m/%Y %H:%M")


@dataclass(frozen=True)
class CertificadoEfirma:
    """The readable content of a SAT certificate (.cer); public data only, safe to show and store."""

    rfc: str
    curp: str | None
    nombre: str
    persona: TipoPersona
    rfc_representante: str | None
    curp_representante: str | None
    tipo: TipoCertificado
    numero_certificado: str
    valido_desde: datetime
    valido_hasta: datetime
    emisor: str
    correo: str | None = None
    sucursal: str | None = None
    der: bytes = field(default=b"", repr=False)
    certificado: x509.Certificate | None = field(default=None, repr=False, compare=False)

    def objeto_x509(self) -> x509.Certificate:
        """The cryptography certificate object (re-parsed from `der` if needed)."""
        if self.certificado is not None:
            return self.certificado
        return cargar_certificado(self.der)

    def vigente(self, ahora: datetime) -> bool:
        """True when `ahora` (timezone-aware) is inside the validity period."""
        return self.valido_desde <= ahora <= self.valido_hasta

    @property
    def es_fiel(self) -> bool:
        """True for an e.firma (FIEL), False for a Certificado de Sello Digital."""
        return self.tipo == "FIEL"

    def como_dict(self) -> dict[str, str | None]:
        """JSON-ready view (ISO 8601 dates); the same keys `asistente efirma inspeccionar --json` prints."""
        return {
            "rfc": self.rfc,
            "curp": self.curp,
            "nombre": self.nombre,
            "persona": self.persona,
            "rfc_representante": self.rfc_representante,
            "curp_representante": self.curp_representante,
            "tipo": self.tipo,
            "numero_certificado": self.numero_certificado,
            "valido_desde": self.valido_desde.isoformat(),
            "valido_hasta": self.valido_hasta.isoformat(),
            "emisor": self.emisor,
            "correo": self.correo,
            "sucursal": self.sucursal,
        }


def numero_certificado(serial: int) -> str:
    """SAT's número de certificado: the serial's hex digits read pairwise as ASCII ("3330…" → "30…").

    Certificates not issued the SAT way (the bytes are not ASCII digits) get the serial in hex instead.
    """
    hexa = format(abs(serial), "x")
    if len(hexa) % 2:
        hexa = "0" + hexa
    try:
        texto = bytes.fromhex(hexa).decode("ascii")
    except (ValueError, UnicodeDecodeError):
        return hexa.upper()
    return texto if texto.isdecimal() else hexa.upper()


def tipo_certificado(cert: x509.Certificate) -> TipoCertificado:
    """FIEL or CSD, by the rule documented in docs/efirma.md.

    A CSD names a branch in OU; a FIEL has no OU and is meant for authentication/encryption too (EKU
    clientAuth or emailProtection, or keyUsage keyAgreement or dataEncipherment). Anything else, for
    example `emisor2021` (no OU, keyUsage digitalSignature + nonRepudiation only, no EKU: exactly the
    CSD key usage, and the same key and serial as SAT's CSD01_AAA010101AAA), is treated as a CSD,
    because calling a sello a person's e.firma is the dangerous mistake and the other one is not.
    """
    if cert.subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME):
        return "CSD"
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except x509.ExtensionNotFound:
        eku = None
    if eku is not None and (
        ExtendedKeyUsageOID.CLIENT_AUTH in eku or ExtendedKeyUsageOID.EMAIL_PROTECTION in eku
    ):
        return "FIEL"
    try:
        uso = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return "CSD"
    if uso.key_agreement or uso.data_encipherment:
        return "FIEL"
    return "CSD"


def _texto(nombre: x509.Name, oid: ObjectIdentifier) -> str | None:
    for atributo in nombre.get_attributes_for_oid(oid):
        valor = atributo.value
        if isinstance(valor, bytes):
            try:
                valor = valor.decode("ascii")
            except UnicodeDecodeError:
                continue
        limpio = " ".join(valor.split())
        if limpio:
            return limpio
    return None


def _partes(valor: str | None) -> tuple[str | None, str | None]:
    """Split "TITULAR / REPRESENTANTE" (either side may be empty) into normalized parts."""
    if valor is None:
        return None, None
    trozos = [t.strip().upper().replace(" ", "") for t in valor.split("/")]
    titular = trozos[0] or None
    representante = (trozos[1] or None) if len(trozos) > 1 else None
    return titular, representante


def _legible(nombre: x509.Name) -> str:
    cn = _texto(nombre, NameOID.COMMON_NAME)
    o = _texto(nombre, NameOID.ORGANIZATION_NAME)
    if cn and o and cn != o:
        return f"{cn}, {o}"
    return cn or o or nombre.rfc4514_string()


def _desde_x509(cert: x509.Certificate, der: bytes) -> CertificadoEfirma:
    # Parse the public key now, so a damaged one is "not a certificate" here and not a crash at signing.
    cert.public_key()
    sujeto = cert.subject
    rfc, rfc_representante = _partes(_texto(sujeto, OID_RFC))
    if rfc is None or not _RFC_FORMA.match(rfc):
        raise CertificadoSinRfc()
    curp, curp_representante = _partes(_texto(sujeto, OID_CURP))
    persona: TipoPersona = "moral" if len(rfc) == 12 else "fisica"
    nombre = (
        _texto(sujeto, NameOID.COMMON_NAME)
        or _texto(sujeto, _OID_NAME)
        or _texto(sujeto, NameOID.ORGANIZATION_NAME)
        or ""
    )
    return CertificadoEfirma(
        rfc=rfc,
        curp=curp,
        nombre=nombre,
        persona=persona,
        rfc_representante=rfc_representante,
        curp_representante=curp_representante,
        tipo=tipo_certificado(cert),
        numero_certificado=numero_certificado(cert.serial_number),
        valido_desde=cert.not_valid_before_utc,
        valido_hasta=cert.not_valid_after_utc,
        emisor=_legible(cert.issuer),
        correo=_texto(sujeto, NameOID.EMAIL_ADDRESS),
        sucursal=_texto(sujeto, NameOID.ORGANIZATIONAL_UNIT_NAME),
        der=der,
        certificado=cert,
    )


def desde_x509(cert: x509.Certificate) -> CertificadoEfirma:
    """Read a loaded certificate; raise a typed error (never a parser exception) if it is not usable."""
    try:
        der = cert.public_bytes(Encoding.DER)
        return _desde_x509(cert, der)
    except (
        ValueError,
        TypeError,
        UnicodeError,
        x509.DuplicateExtension,
        x509.UnsupportedGeneralNameType,
        x509.InvalidVersion,
        UnsupportedAlgorithm,
    ):
        # cryptography parses names and extensions lazily, so malformed ones only fail here.
        raise ArchivoNoEsCertificado(detalle="malformed subject, issuer or extensions") from None


def leer_certificado(data: bytes) -> CertificadoEfirma:
    """Load and read a .cer (DER or PEM): size, shape, parse, identity. No validity or trust checks here."""
    return desde_x509(cargar_certificado(data))
