"""The e.firma steps of a signed form: the uploaded certificate checked on arrival, the key opened with the
password to sign the solicitud, and the pause after too many wrong passwords.

Security rules these steps keep (docs/efirma.md): uploads are held by the custody port, encrypted, for at
most 10 minutes; the password lives in memory for one call and is never stored or repeated; the key is
wiped from custody as soon as the signature is made; after `MAX_INTENTOS` wrong passwords, e.firma
trámites pause for `PAUSA_BLOQUEO`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tramites.cuenta_efirma import DatosCertificado, FirmaHecha
from tramites.efirma import (
    ArchivoNoEsLlave,
    ConfiguracionEfirmaInvalida,
    ContrasenaIncorrecta,
    EfirmaError,
    LlaveNoCorresponde,
    revisar_certificado,
    validar_efirma,
)
from tramites.efirma.configuracion import ConfigEfirma
from tramites.efirma.custodia import Custodia
from tramites.errores import TramiteError

__all__ = [
    "MAX_INTENTOS",
    "PAUSA_BLOQUEO",
    "ArchivoYaNoEsta",
    "ArchivosVencidos",
    "Intento",
    "SolicitudFirmable",
    "firmar_solicitud",
    "intento_fallido",
    "revisar_certificado_subido",
]

logger = logging.getLogger(__name__)

MAX_INTENTOS = 3
"""Wrong passwords before e.firma trámites pause in the conversation."""
PAUSA_BLOQUEO = timedelta(minutes=15)


class ArchivoYaNoEsta(TramiteError):
    """The held upload expired or was wiped before it was checked."""

    MENSAJE = "Ya no tengo ese archivo."


class ArchivosVencidos(TramiteError):
    """The .cer or the .key expired in custody before the password came."""

    MENSAJE = (
        "Pasaron más de 10 minutos desde que subiste tus archivos y los borré por seguridad. "
        "Súbelos de nuevo, empezando por el certificado (.cer)."
    )


class SolicitudFirmable(Protocol):
    """Anything with a cadena original the person signs."""

    def cadena_original(self) -> str:
        """The exact text that is signed."""
        ...


@dataclass(frozen=True)
class Intento:
    """A wrong password counted: how many so far, and until when e.firma trámites pause (if they do)."""

    intentos: int
    pausa_hasta: datetime | None

    @property
    def restantes(self) -> int:
        """Tries left before the pause."""
        return MAX_INTENTOS - self.intentos


def intento_fallido(previos: int, ahora: datetime) -> Intento:
    """Count a wrong password; the third one pauses e.firma trámites (and the count starts again)."""
    intentos = previos + 1
    if intentos >= MAX_INTENTOS:
        return Intento(intentos=0, pausa_hasta=ahora + PAUSA_BLOQUEO)
    return Intento(intentos=intentos, pausa_hasta=None)


def revisar_certificado_subido(
    custodia: Custodia,
    config: ConfigEfirma,
    conversacion: str,
    archivo_id: str,
    *,
    ahora: datetime,
    curp: str | None,
    rfc: str | None,
) -> DatosCertificado:
    """Check a held .cer right away (FIEL, validity, identity, issuer) and return whose it is.

    Raises `ArchivoYaNoEsta`, `ConfiguracionEfirmaInvalida` (operator problem, logged) or the certificate's
    `EfirmaError`; a refused certificate is wiped from custody.
    """
    data = custodia.take(conversacion, archivo_id)
    if data is None:
        raise ArchivoYaNoEsta()
    try:
        certificado = revisar_certificado(
            data, ahora=ahora, almacen=config.almacen(), curp_esperada=curp, rfc_esperado=rfc
        )
    except ConfiguracionEfirmaInvalida as error:
        logger.error("e.firma trust store problem: %s", error.detalle)
        raise
    except EfirmaError as error:
        custodia.release(archivo_id)
        logger.info("Certificate refused in %s: %s", conversacion, type(error).__name__)
        raise
    return DatosCertificado.de_certificado(certificado)


def firmar_solicitud(
    custodia: Custodia,
    config: ConfigEfirma,
    conversacion: str,
    archivos: tuple[str, str],
    contrasena: str,
    solicitud: Callable[[DatosCertificado, datetime], SolicitudFirmable],
    *,
    ahora: datetime,
    curp: str | None,
    rfc: str | None,
) -> FirmaHecha:
    """Open the held key with the password, run every check and sign the solicitud; wipe the files after.

    `archivos` is (certificate id, key id). Raises `ArchivosVencidos` (both wiped), `ContrasenaIncorrecta`
    (files kept for another try), `LlaveNoCorresponde` / `ArchivoNoEsLlave` (key wiped),
    `ConfiguracionEfirmaInvalida` (logged) or another `EfirmaError` (both wiped: start from the .cer).
    """
    cer_id, key_id = archivos
    cer = custodia.take(conversacion, cer_id) if cer_id else None
    key = custodia.take(conversacion, key_id) if key_id else None
    if cer is None or key is None:
        custodia.release_conversation(conversacion)
        raise ArchivosVencidos()
    try:
        validada = validar_efirma(
            cer, key, contrasena, ahora=ahora, almacen=config.almacen(), revocacion=config.revocacion,
            curp_esperada=curp, rfc_esperado=rfc,
        )
    except ContrasenaIncorrecta:
        logger.info("Wrong e.firma password in %s", conversacion)
        raise
    except (LlaveNoCorresponde, ArchivoNoEsLlave):
        custodia.release(key_id)
        raise
    except ConfiguracionEfirmaInvalida as error:
        logger.error("e.firma trust store problem: %s", error.detalle)
        raise
    except EfirmaError:
        # The certificate stopped passing (expired or revoked meanwhile): start again from the .cer.
        custodia.release_conversation(conversacion)
        raise
    fecha = ahora.replace(microsecond=0)
    datos = DatosCertificado.de_certificado(validada.certificado)
    cadena = solicitud(datos, fecha).cadena_original()
    sello = validada.firmar(cadena)
    custodia.release(key_id)
    custodia.release(cer_id)
    if validada.aviso_revocacion:
        logger.info("e.firma %s: %s", datos.numero_certificado, validada.aviso_revocacion)
    del validada
    return FirmaHecha(certificado=datos, cadena=cadena, sello=sello, fecha=fecha)
