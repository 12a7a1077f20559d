"""Enviar por correo: an issued document, by its folio, as a PDF attached to one message.

The PDF is the very file the emitter wrote (`<tipo>-<folio>.pdf` in its folder), read back: nothing new
with personal data is kept for this. The attachment is named by the folio only; subject and body carry
no CURP, NSS or name. Which folios a conversation may send is the caller's check (the chat's own).
"""

from __future__ import annotations

from dataclasses import dataclass

from tramites.contacto import enmascarar_email, validar_email
from tramites.correo import Adjunto, Correo, MensajeCorreo
from tramites.documentos.emisor import MIME_PDF, nombre_documento
from tramites.errores import TramiteError
from tramites.puertos import Puertos

__all__ = ["DocumentoNoDisponible", "EnvioHecho", "enviar_documento_por_correo"]

#: What each document type is called in the subject line.
_TITULOS = {
    "comprobante_nss": "Comprobante de Número de Seguridad Social",
    "constancia_vigencia": "Constancia de Vigencia de Derechos",
    "reporte_semanas": "Reporte de Semanas Cotizadas",
    "comprobante_umf": "Comprobante de Unidad de Medicina Familiar",
    "comprobante_beneficiarios": "Comprobante de registro de beneficiario",
    "acuse_cuenta": "Acuse de apertura de cuenta",
    "acuse_datos": "Acuse de actualización de medios de contacto",
}


class DocumentoNoDisponible(TramiteError):
    """The folio was never issued here, or its file is gone (erased at the person's request)."""

    MENSAJE = (
        "Ya no tengo ese documento para enviártelo. Pídelo de nuevo aquí en el chat y te lo mando."
    )


@dataclass(frozen=True)
class EnvioHecho:
    """What was sent: which folio, to which address (masked for the reply)."""

    folio: str
    destinatario_oculto: str


def enviar_documento_por_correo(p: Puertos, correo: Correo, folio: str, destinatario: str) -> EnvioHecho:
    """Email the document `folio` to `destinatario`; raises `TramiteError` or `CorreoNoEnviado`."""
    email = validar_email(destinatario)
    registro = p.emisor.folios.buscar(folio)
    if registro is None:
        raise DocumentoNoDisponible(detalle="folio sin registro")
    ruta = p.emisor.salida / nombre_documento(registro.tipo, registro.folio)
    try:
        pdf = ruta.read_bytes()
    except FileNotFoundError as error:
        raise DocumentoNoDisponible(detalle="archivo borrado") from error
    titulo = _TITULOS.get(registro.tipo, "Documento del IMSS")
    correo.enviar(
        MensajeCorreo(
            destinatario=email,
            asunto=f"{titulo} (folio {registro.folio})",
            cuerpo=_cuerpo(titulo, registro.folio, p.emisor.url_verificacion(registro.folio)),
            adjuntos=(Adjunto(nombre=f"{registro.folio}.pdf", contenido=pdf, tipo=MIME_PDF),),
        )
    )
    return EnvioHecho(folio=registro.folio, destinatario_oculto=enmascarar_email(email))


def _cuerpo(titulo: str, folio: str, url: str) -> str:
    return (
        "Hola:\n\n"
        f"Te enviamos el documento que pediste en el Asistente IMSS Digital: {titulo}. Va adjunto en PDF.\n\n"
        f"Folio: {folio}\n"
        f"Quien lo reciba puede verificarlo en {url} o con el código QR del documento.\n\n"
        "Si no lo pediste tú, ignora este correo.\n\n"
        "Este buzón no recibe respuestas.\n"
    )
