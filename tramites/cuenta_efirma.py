"""Trámites signed with the person's e.firma: Escritorio Virtual account and medios de contacto.

What the person signs (the solicitud's cadena original), what the acuse says, and the two use cases,
which share one skeleton: check that what was signed is what is sent, the trámite's own check, issue
the acuse (the person's firma plus our sello), record the change and the solicitud. The signature itself
is made in the form (`tramites.firma_efirma`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from tramites.documentos.cadena import normalizar_texto
from tramites.documentos.modelo import Documento, DocumentoEmitido
from tramites.efirma import CertificadoEfirma, fecha_mexico, formatear_fecha_hora
from tramites.errores import TramiteError
from tramites.identidad import enmascarar
from tramites.puertos import Puertos
from tramites.registro.errores import CuentaYaRegistrada, CurpNoRegistrada
from tramites.registro.formato import fecha_corta
from tramites.registro.modelos import Solicitud
from tramites.registro.puerto import Registro

__all__ = [
    "ETIQUETA_CADENA",
    "ETIQUETA_FIRMA",
    "TERMINOS_VERSION",
    "TIPO_SOLICITUD_CONTACTO",
    "TIPO_SOLICITUD_CUENTA",
    "AcuseEmitido",
    "DatosCertificado",
    "FirmaHecha",
    "FirmaNoCoincide",
    "SolicitudContacto",
    "SolicitudCuenta",
    "abrir_cuenta",
    "actualizar_contacto",
    "acuse_contacto",
    "acuse_cuenta",
    "firma_del_acuse",
    "revisar_cuenta_nueva",
]

logger = logging.getLogger(__name__)

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
        desde, hasta = self.valido_desde.isoformat(), self.valido_hasta.isoformat()
        return {**asdict(self), "valido_desde": desde, "valido_hasta": hasta}

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
            f"{fecha_corta(fecha_mexico(self.valido_desde))} al "
            f"{fecha_corta(fecha_mexico(self.valido_hasta))}"
        )


@dataclass(frozen=True)
class FirmaHecha:
    """The signature made in a form: the certificate's public data, what was signed, the firma and when."""

    certificado: DatosCertificado
    cadena: str
    sello: str
    fecha: datetime

    def como_dict(self) -> dict[str, Any]:
        """JSON-ready (ISO dates), e.g. for tracker slots."""
        return {
            "certificado": self.certificado.como_dict(),
            "cadena": self.cadena,
            "sello": self.sello,
            "fecha": self.fecha.isoformat(),
        }

    @classmethod
    def desde_dict(cls, datos: dict[str, Any]) -> FirmaHecha:
        """Inverse of `como_dict`."""
        return cls(
            certificado=DatosCertificado.desde_dict(datos["certificado"]),
            cadena=str(datos["cadena"]),
            sello=str(datos["sello"]),
            fecha=datetime.fromisoformat(str(datos["fecha"])),
        )


class FirmaNoCoincide(TramiteError):
    """The form's data changed after the signature: never send something that was not signed."""

    MENSAJE = (
        "Tus datos cambiaron después de que firmaste, así que no envié tu solicitud. "
        "Empieza el trámite de nuevo para firmar los datos correctos."
    )


@dataclass(frozen=True)
class SolicitudCuenta:
    """A request to open an Escritorio Virtual account, as the person signs it."""

    curp: str
    rfc: str
    email: str
    numero_certificado: str
    fecha: datetime

    @classmethod
    def firmada_con(
        cls, curp: str, email: str, certificado: DatosCertificado, fecha: datetime
    ) -> SolicitudCuenta:
        """The request as signed with that certificate at `fecha`."""
        return cls(curp=curp, rfc=certificado.rfc, email=email,
                   numero_certificado=certificado.numero_certificado, fecha=fecha)

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

    @classmethod
    def firmada_con(
        cls, curp: str, email: str, telefono: str, certificado: DatosCertificado, fecha: datetime
    ) -> SolicitudContacto:
        """The change as signed with that certificate at `fecha`."""
        return cls(curp=curp, email=email, telefono=telefono,
                   numero_certificado=certificado.numero_certificado, fecha=fecha)

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


_NOTA_SEGURIDAD = (
    "De tu e.firma el IMSS conserva solo el número de certificado, el RFC y la vigencia. "
    "Tu llave privada (.key) y tu contraseña no se guardaron."
)
_NOTA_VERIFICACION = (
    "La firma del solicitante es RSA-SHA256 sobre la cadena original firmada y se comprueba con su "
    "certificado; el sello digital del IMSS protege todo el acuse."
)


def _acuse(
    tipo: str,
    titulo: str,
    solicitud: SolicitudCuenta | SolicitudContacto,
    certificado: DatosCertificado,
    sello: str,
    *,
    datos: list[tuple[str, str]],
    nota: str,
    al_final: tuple[tuple[str, str], ...] = (),
) -> Documento:
    """What every acuse says: who signed, the trámite's data, the e.firma, when, and the person's firma."""
    return Documento(
        tipo=tipo,
        titulo=titulo,
        campos=[
            ("Nombre", certificado.nombre),
            ("CURP", solicitud.curp),
            ("RFC", certificado.rfc),
            *datos,
            *_campos_certificado(certificado),
            ("Fecha y hora de la firma", formatear_fecha_hora(solicitud.fecha)),
            *al_final,
        ],
        notas=[nota, _NOTA_SEGURIDAD, _NOTA_VERIFICACION],
        firmas=[(ETIQUETA_CADENA, solicitud.cadena_original()), (ETIQUETA_FIRMA, sello)],
    )


def acuse_cuenta(solicitud: SolicitudCuenta, certificado: DatosCertificado, sello: str) -> Documento:
    """The acuse de apertura de cuenta: the data, the person's firma and, once issued, our sello."""
    titulo = "Acuse de apertura de cuenta en el Escritorio Virtual del IMSS"
    return _acuse(
        "acuse_cuenta", titulo, solicitud, certificado, sello,
        datos=[("Correo electrónico", solicitud.email.lower())],
        nota="Tu cuenta quedó registrada. Para entrar al Escritorio Virtual usa tu e.firma "
        "(archivos .cer y .key y su contraseña).",
        al_final=(("Términos y condiciones", f"Aceptados (versión {TERMINOS_VERSION})"),),
    )


def acuse_contacto(solicitud: SolicitudContacto, certificado: DatosCertificado, sello: str) -> Documento:
    """The acuse de actualización de medios de contacto, with the person's firma."""
    return _acuse(
        "acuse_datos", "Acuse de actualización de medios de contacto", solicitud, certificado, sello,
        datos=[("Correo electrónico nuevo", solicitud.email.lower()), ("Teléfono nuevo", solicitud.telefono)],
        nota="Desde ahora el IMSS te enviará sus avisos a estos medios de contacto.",
    )


def firma_del_acuse(documento: Documento) -> tuple[str, str] | None:
    """(cadena firmada, firma base64) of an acuse read back from its cadena original, or None."""
    firmas = dict(documento.firmas)
    cadena = firmas.get(ETIQUETA_CADENA)
    sello = firmas.get(ETIQUETA_FIRMA)
    if cadena is None or sello is None:
        return None
    return cadena, sello


@dataclass(frozen=True)
class AcuseEmitido:
    """A signed trámite done: who it was for, the contact details on record, the solicitud and the acuse."""

    nombre: str
    email: str
    telefono: str | None
    solicitud: Solicitud
    documento: DocumentoEmitido


def revisar_cuenta_nueva(registro: Registro, curp: str) -> None:
    """Raise `CuentaYaRegistrada` (with the e.firma it was opened with) when the CURP has an account."""
    cuenta = registro.cuenta(curp)
    if cuenta is not None:
        raise CuentaYaRegistrada(curp=curp, numero=cuenta.numero_certificado)


def abrir_cuenta(
    p: Puertos, curp: str, email: str, firma: FirmaHecha, *, clave: str | None = None
) -> AcuseEmitido:
    """Open an Escritorio Virtual account with the signed request and issue its acuse.

    Raises `FirmaNoCoincide` and `CuentaYaRegistrada`. The same `clave` returns the first result.
    """
    solicitud = SolicitudCuenta.firmada_con(curp, email.lower(), firma.certificado, firma.fecha)
    certificado = firma.certificado

    def registrar(acuse_folio: str) -> None:
        p.registro.registrar_cuenta(
            curp=curp, rfc=certificado.rfc, email=solicitud.email,
            numero_certificado=certificado.numero_certificado,
            valido_hasta=certificado.valido_hasta, acuse_folio=acuse_folio, clave=clave,
        )

    return _tramite_firmado(
        p, "cuenta", solicitud, firma,
        revisar=lambda: revisar_cuenta_nueva(p.registro, curp),
        acuse=acuse_cuenta(solicitud, certificado, firma.sello),
        registrar=registrar,
        clave=clave,
    )


def actualizar_contacto(
    p: Puertos, curp: str, email: str, telefono: str, firma: FirmaHecha, *, clave: str | None = None
) -> AcuseEmitido:
    """Replace the email and phone on record with the signed change and issue its acuse.

    Raises `FirmaNoCoincide` and `CurpNoRegistrada`. The same `clave` returns the first result.
    """
    solicitud = SolicitudContacto.firmada_con(curp, email.lower(), telefono, firma.certificado, firma.fecha)

    def revisar() -> None:
        if p.registro.persona_por_curp(curp) is None:
            raise CurpNoRegistrada(curp=curp)

    def registrar(_acuse_folio: str) -> None:
        p.registro.actualizar_contacto(curp, email=solicitud.email, telefono=solicitud.telefono)

    return _tramite_firmado(
        p, "actualizar_datos", solicitud, firma,
        revisar=revisar,
        acuse=acuse_contacto(solicitud, firma.certificado, firma.sello),
        registrar=registrar,
        clave=clave,
    )


def _tramite_firmado(
    p: Puertos,
    tramite: str,
    solicitud: SolicitudCuenta | SolicitudContacto,
    firma: FirmaHecha,
    *,
    revisar: Callable[[], None],
    acuse: Documento,
    registrar: Callable[[str], None],
    clave: str | None,
) -> AcuseEmitido:
    """The skeleton both signed trámites share: checks, acuse, record; a repeated `clave` only reads."""
    registrada = p.registro.solicitud_por_clave(tramite, clave) if clave else None
    if registrada is None:
        if solicitud.cadena_original() != firma.cadena:
            logger.error("Signed cadena does not match the form data for %s", enmascarar(solicitud.curp))
            raise FirmaNoCoincide()
        revisar()
    documento = p.emisor.emitir(acuse, clave=clave)
    if registrada is None:
        registrar(documento.folio)
        registrada = p.registro.crear_solicitud(
            tramite,
            solicitud.curp,
            {
                "numero_certificado": firma.certificado.numero_certificado,
                "rfc": firma.certificado.rfc,
                "valido_hasta": firma.certificado.valido_hasta.isoformat(),
                "acuse_folio": documento.folio,
            },
            estado="atendida",
            clave=clave,
        )
        logger.info("%s done for %s, acuse %s", tramite, enmascarar(solicitud.curp), documento.folio)
    persona = p.registro.persona_por_curp(solicitud.curp)
    return AcuseEmitido(
        nombre=persona.nombre if persona is not None else firma.certificado.nombre,
        email=solicitud.email.lower(),
        telefono=persona.telefono if persona is not None else None,
        solicitud=registrada,
        documento=documento,
    )
