"""The e.firma checks, one by one (for a chat that receives files over several turns) and all together."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from cryptography import x509

from tramites.efirma.archivos import LlavePrivada, abrir_llave, clasificar_archivo
from tramites.efirma.certificado import CertificadoEfirma, fecha_mexico, leer_certificado
from tramites.efirma.confianza import AlmacenConfianza
from tramites.efirma.errores import (
    AlmacenConfianzaNoConfigurado,
    ArchivoNoEsCertificado,
    ArchivoNoEsLlave,
    CertificadoAunNoValido,
    CertificadoRevocado,
    CertificadoVencido,
    IdentidadNoCoincide,
    NoEsFiel,
)
from tramites.efirma.firma import firmar, verificar_par
from tramites.efirma.revocacion import EstadoRevocacion, VerificadorRevocacion

__all__ = [
    "EfirmaValidada",
    "exigir_fiel",
    "revisar_certificado",
    "revisar_llave",
    "revisar_revocacion",
    "validar_efirma",
    "verificar_cadena",
    "verificar_identidad",
    "verificar_vigencia",
]

_SEPARADORES = re.compile(r"[\s\-.]")


@dataclass(frozen=True)
class EfirmaValidada:
    """An e.firma that passed every check: the certificate's data plus the opened private key.

    The key is kept out of repr and comparisons; it lives only in memory for the current request.
    """

    certificado: CertificadoEfirma
    llave: LlavePrivada = field(repr=False, compare=False)
    revocacion: EstadoRevocacion
    cadena: tuple[x509.Certificate, ...] = field(repr=False, compare=False)

    @property
    def aviso_revocacion(self) -> str | None:
        """Spanish note when revocation could not be confirmed (e.g. offline mode), else None."""
        if self.revocacion is EstadoRevocacion.NO_VERIFICADO:
            return self.revocacion.mensaje
        return None

    def firmar(self, cadena_original: str) -> str:
        """Sign a cadena original with this e.firma (RSA-SHA256, base64)."""
        return firmar(self.llave, cadena_original)

    def __reduce__(self) -> str | tuple[object, ...]:
        # Refuse pickling outright, so the private key can never end up in a tracker, cache or queue.
        raise TypeError("EfirmaValidada holds a private key and cannot be serialized")


def _exigir_zona(ahora: datetime) -> None:
    if ahora.tzinfo is None or ahora.utcoffset() is None:
        raise ValueError("ahora must be timezone-aware")


def exigir_fiel(certificado: CertificadoEfirma) -> None:
    """Raise NoEsFiel for a Certificado de Sello Digital."""
    if certificado.tipo != "FIEL":
        raise NoEsFiel()


def verificar_vigencia(certificado: CertificadoEfirma, ahora: datetime) -> None:
    """Raise CertificadoVencido / CertificadoAunNoValido (with the date) unless valid at `ahora`."""
    _exigir_zona(ahora)
    if ahora > certificado.valido_hasta:
        raise CertificadoVencido(fecha=fecha_mexico(certificado.valido_hasta))
    if ahora < certificado.valido_desde:
        raise CertificadoAunNoValido(fecha=fecha_mexico(certificado.valido_desde))


def _normalizar(valor: str) -> str:
    return _SEPARADORES.sub("", valor).upper()


def verificar_identidad(
    certificado: CertificadoEfirma,
    *,
    curp_esperada: str | None = None,
    rfc_esperado: str | None = None,
) -> None:
    """Raise IdentidadNoCoincide (campo "CURP" or "RFC") when what the person typed is not in the certificate.

    For a persona moral the typed RFC may be the company's or the representante's, and the CURP is the
    representante's: the person in the chat is the one who holds the company's e.firma.
    """
    if curp_esperada is not None:
        curps = {c for c in (certificado.curp, certificado.curp_representante) if c}
        if _normalizar(curp_esperada) not in curps:
            raise IdentidadNoCoincide("CURP")
    if rfc_esperado is not None:
        rfcs = {r for r in (certificado.rfc, certificado.rfc_representante) if r}
        if _normalizar(rfc_esperado) not in rfcs:
            raise IdentidadNoCoincide("RFC")


def verificar_cadena(
    certificado: CertificadoEfirma, almacen: AlmacenConfianza | None, ahora: datetime
) -> tuple[x509.Certificate, ...]:
    """The trusted chain [issuer, …, root]; raises AlmacenConfianzaNoConfigurado or EmisorNoConfiable."""
    _exigir_zona(ahora)
    if almacen is None:
        raise AlmacenConfianzaNoConfigurado()
    return almacen.verificar_cadena(certificado.objeto_x509(), ahora)


def revisar_certificado(
    cer_bytes: bytes,
    *,
    ahora: datetime,
    almacen: AlmacenConfianza | None,
    curp_esperada: str | None = None,
    rfc_esperado: str | None = None,
) -> CertificadoEfirma:
    """Every check that needs only the .cer, for right after it is uploaded and before asking for the .key.

    Order: size/shape → parse → FIEL → validity at `ahora` → identity → issuer chain.
    """
    _exigir_zona(ahora)
    if clasificar_archivo("certificado.cer", cer_bytes) != "certificado":
        raise ArchivoNoEsCertificado(detalle="a private key was given where the certificate was expected")
    certificado = leer_certificado(cer_bytes)
    exigir_fiel(certificado)
    verificar_vigencia(certificado, ahora)
    verificar_identidad(certificado, curp_esperada=curp_esperada, rfc_esperado=rfc_esperado)
    verificar_cadena(certificado, almacen, ahora)
    return certificado


def revisar_llave(certificado: CertificadoEfirma, key_bytes: bytes, contrasena: str) -> LlavePrivada:
    """Open the .key with the password and check it is the certificate's pair.

    Raises ArchivoNoEsLlave / ContrasenaIncorrecta / LlaveNoCorresponde. The password and the key bytes
    are not stored, logged or copied anywhere.
    """
    if clasificar_archivo("llave.key", key_bytes) != "llave":
        raise ArchivoNoEsLlave(detalle="a certificate was given where the key was expected")
    llave = abrir_llave(key_bytes, contrasena)
    verificar_par(certificado, llave)
    return llave


def revisar_revocacion(
    certificado: CertificadoEfirma, emisor: x509.Certificate, revocacion: VerificadorRevocacion
) -> EstadoRevocacion:
    """Ask the revocation checker; raise CertificadoRevocado when the certificate was revoked."""
    estado = revocacion.estado(certificado.objeto_x509(), emisor)
    if estado is EstadoRevocacion.REVOCADO:
        raise CertificadoRevocado()
    return estado


def validar_efirma(
    cer_bytes: bytes,
    key_bytes: bytes,
    password: str,
    *,
    ahora: datetime,
    almacen: AlmacenConfianza | None,
    revocacion: VerificadorRevocacion,
    curp_esperada: str | None = None,
    rfc_esperado: str | None = None,
) -> EfirmaValidada:
    """Run every check and return the certificate data with the opened key, or raise the first typed error.

    Order: size/shape of both files → certificate parse → FIEL → validity → identity → chain →
    password (decrypt) → key/certificate pair → revocation.
    """
    _exigir_zona(ahora)
    if clasificar_archivo("certificado.cer", cer_bytes) != "certificado":
        raise ArchivoNoEsCertificado(detalle="a private key was given where the certificate was expected")
    if clasificar_archivo("llave.key", key_bytes) != "llave":
        raise ArchivoNoEsLlave(detalle="a certificate was given where the key was expected")
    certificado = leer_certificado(cer_bytes)
    exigir_fiel(certificado)
    verificar_vigencia(certificado, ahora)
    verificar_identidad(certificado, curp_esperada=curp_esperada, rfc_esperado=rfc_esperado)
    cadena = verificar_cadena(certificado, almacen, ahora)
    llave = revisar_llave(certificado, key_bytes, password)
    estado = revisar_revocacion(certificado, cadena[0], revocacion)
    return EfirmaValidada(certificado=certificado, llave=llave, revocacion=estado, cadena=cadena)
