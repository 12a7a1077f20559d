"""Trámites signed with the person's e.firma: Escritorio Virtual account and medios de contacto.

Pure domain: what the person signs (the solicitud's cadena original) and what the acuse says. The
signature itself (tramites.efirma.firmar) and issuing the PDF (tramites.documentos.Emisor) happen in
the actions, with the clock and the keys injected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tramites.documentos.cadena import normalizar_texto
from tramites.documentos.modelo import Documento
from tramites.efirma import CertificadoEfirma, fecha_mexico, formatear_fecha, formatear_fecha_hora

__all__ = [
    "ETIQUETA_CADENA",
    "ETIQUETA_FIRMA",
    "TERMINOS_VERSION",
    "TIPO_SOLICITUD_CONTACTO",
    "TIPO_SOLICITUD_CUENTA",
    "DatosCertificado",
    "SolicitudContacto",
    "SolicitudCuenta",
    "acuse_contacto",
    "acuse_cuenta",
    "firma_del_acuse",
]

TERMINOS_VERSION = "2026-01"
"""Version of the Escritorio Virtual terms the person accepts (part of what they sign)."""

TIPO_SOLICITUD_CUENTA = "ALTA_CUENTA_ESCRITORIO_VIRTUAL"
TIPO_SOLICITUD_CONTACTO = "ACTUALIZACION_MEDIOS_CONTACTO"
ETIQUETA_CADENA = "Cadena original firmada por el solicitante"
ETIQUETA_FIRMA = "Firma electrónica del solicitante (e.firma)"
_VERSION = "1.0"


def _pieza(valor: str) -> str:
    """One field of a cadena: canonical text with `|` and `\\` escaped, so fields can never merge."""
    return normalizar_texto(valor).replace("\\", "\\\\").replace("|", "\\|")


def _cadena(tipo: str, fecha: datetime, valores: list[str]) -> str:
    if fecha.tzinfo is None or fecha.utcoffset() is None:
        raise ValueError("la fecha de la firma debe llevar zona horaria")
    piezas = [_VERSION, tipo, fecha.isoformat(timespec="seconds"), *valores]
    return "||" + "|".join(_pieza(p) for p in piezas) + "||"


@dataclass(frozen=True)
class DatosCertificado:
    """The public data of the e.firma we keep and print: never the key, never the password."""

    numero_certificado: str
    rfc: str
    curp: str | None
    nombre: str
    valido_desde: datetime
    valido_hasta: datetime
    emisor: str
    rfc_representante: str | None = None

    @classmethod
    def de_certificado(cls, certificado: CertificadoEfirma) -> DatosCertificado:
        """Copy what we keep from a read certificate."""
        return cls(
            numero_certificado=certificado.numero_certificado,
            rfc=certificado.rfc,
            curp=certificado.curp or certificado.curp_representante,
            nombre=certificado.nombre,
            valido_desde=certificado.valido_desde,
            valido_hasta=certificado.valido_hasta,
            emisor=certificado.emisor,
            rfc_representante=certificado.rfc_representante,
        )

    def como_dict(self) -> dict[str, Any]:
        """JSON-ready (ISO dates), e.g. for a tracker slot."""
        return {
            "numero_certificado": self.numero_certificado,
            "rfc": self.rfc,
            "curp": self.curp,
            "nombre": self.nombre,
            "valido_desde": self.valido_desde.isoformat(),
            "valido_hasta": self.valido_hasta.isoformat(),
            "emisor": self.emisor,
            "rfc_representante": self.rfc_representante,
        }

    @classmethod
    def desde_dict(cls, datos: dict[str, Any]) -> DatosCertificado:
        """Inverse of `como_dict`."""
        return cls(
            numero_certificado=str(datos["numero_certificado"]),
            rfc=str(datos["rfc"]),
            curp=datos.get("curp"),
            nombre=str(datos.get("nombre") or ""),
            valido_desde=datetime.fromisoformat(str(datos["valido_desde"])),
            valido_hasta=datetime.fromisoformat(str(datos["valido_hasta"])),
            emisor=str(datos.get("emisor") or ""),
            rfc_representante=datos.get("rfc_representante"),
        )

    def vigencia(self) -> str:
        """"DD/MM/AAAA al DD/MM/AAAA" in central-Mexico dates."""
        return (
            f"{formatear_fecha(fecha_mexico(self.valido_desde))} al "
            f"{formatear_fecha(fecha_mexico(self.valido_hasta))}"
        )


@dataclass(frozen=True)
class SolicitudCuenta:
    """A request to open an Escritorio Virtual account, as the person signs it."""

    curp: str
    rfc: str
    email: str
    numero_certificado: str
    fecha: datetime

    def cadena_original(self) -> str:
        """`||1.0|ALTA_CUENTA_ESCRITORIO_VIRTUAL|fecha|CURP|RFC|correo|no. certificado|TERMINOS-versión||`."""
        return _cadena(
            TIPO_SOLICITUD_CUENTA,
            self.fecha,
            [
                self.curp,
                self.rfc,
                self.email.lower(),
                self.numero_certificado,
                f"TERMINOS-{TERMINOS_VERSION}",
            ],
        )


@dataclass(frozen=True)
class SolicitudContacto:
    """A request to replace the email and phone on record, as the person signs it."""

    curp: str
    email: str
    telefono: str
    numero_certificado: str
    fecha: datetime

    def cadena_original(self) -> str:
        """`||1.0|ACTUALIZACION_MEDIOS_CONTACTO|fecha|CURP|correo|teléfono|no. certificado||`."""
        return _cadena(
            TIPO_SOLICITUD_CONTACTO,
            self.fecha,
            [self.curp, self.email.lower(), self.telefono, self.numero_certificado],
        )


def _campos_certificado(certificado: DatosCertificado) -> list[tuple[str, str]]:
    campos = [
        ("Número de certificado de la e.firma", certificado.numero_certificado),
        ("Vigencia de la e.firma", certificado.vigencia()),
        ("Emisor del certificado", certificado.emisor),
    ]
    if certificado.rfc_representante:
        campos.insert(0, ("RFC del representante legal", certificado.rfc_representante))
    return campos


def _firmas(cadena: str, sello: str) -> list[tuple[str, str]]:
    return [(ETIQUETA_CADENA, cadena), (ETIQUETA_FIRMA, sello)]


_NOTA_SEGURIDAD = (
    "De tu e.firma el IMSS conserva solo el número de certificado, el RFC y la vigencia. "
    "Tu llave privada (.key) y tu contraseña no se guardaron."
)
_NOTA_VERIFICACION = (
    "La firma del solicitante es RSA-SHA256 sobre la cadena original firmada y se comprueba con su "
    "certificado; el sello digital del IMSS protege todo el acuse."
)


def acuse_cuenta(solicitud: SolicitudCuenta, certificado: DatosCertificado, sello: str) -> Documento:
    """The acuse de apertura de cuenta: the data, the person's firma and, once issued, our sello."""
    return Documento(
        tipo="acuse_cuenta",
        titulo="Acuse de apertura de cuenta en el Escritorio Virtual del IMSS",
        campos=[
            ("Nombre", certificado.nombre),
            ("CURP", solicitud.curp),
            ("RFC", certificado.rfc),
            ("Correo electrónico", solicitud.email.lower()),
            *_campos_certificado(certificado),
            ("Fecha y hora de la firma", formatear_fecha_hora(solicitud.fecha)),
            ("Términos y condiciones", f"Aceptados (versión {TERMINOS_VERSION})"),
        ],
        notas=[
            "Tu cuenta quedó registrada. Para entrar al Escritorio Virtual usa tu e.firma "
            "(archivos .cer y .key y su contraseña).",
            _NOTA_SEGURIDAD,
            _NOTA_VERIFICACION,
        ],
        firmas=_firmas(solicitud.cadena_original(), sello),
    )


def acuse_contacto(solicitud: SolicitudContacto, certificado: DatosCertificado, sello: str) -> Documento:
    """The acuse de actualización de medios de contacto, with the person's firma."""
    return Documento(
        tipo="acuse_datos",
        titulo="Acuse de actualización de medios de contacto",
        campos=[
            ("Nombre", certificado.nombre),
            ("CURP", solicitud.curp),
            ("RFC", certificado.rfc),
            ("Correo electrónico nuevo", solicitud.email.lower()),
            ("Teléfono nuevo", solicitud.telefono),
            *_campos_certificado(certificado),
            ("Fecha y hora de la firma", formatear_fecha_hora(solicitud.fecha)),
        ],
        notas=[
            "Desde ahora el IMSS te enviará sus avisos a estos medios de contacto.",
            _NOTA_SEGURIDAD,
            _NOTA_VERIFICACION,
        ],
        firmas=_firmas(solicitud.cadena_original(), sello),
    )


def firma_del_acuse(documento: Documento) -> tuple[str, str] | None:
    """(cadena firmada, firma base64) of an acuse read back from its cadena original, or None."""
    firmas = dict(documento.firmas)
    cadena = firmas.get(ETIQUETA_CADENA)
    sello = firmas.get(ETIQUETA_FIRMA)
    if cadena is None or sello is None:
        return None
    return cadena, sello
