"""A `MensajeCorreo` as an RFC 5322 message (UTF-8 text body, each attachment a MIME part)."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from tramites.correo import CorreoNoEnviado, MensajeCorreo

__all__ = ["componer"]


def componer(mensaje: MensajeCorreo, remitente: str) -> EmailMessage:
    """The message as sent or stored; a header with a line break (injection) raises `CorreoNoEnviado`."""
    try:
        return _componer(mensaje, remitente)
    except ValueError as error:
        raise CorreoNoEnviado(detalle="a header with a line break (injection?)") from error


def _componer(mensaje: MensajeCorreo, remitente: str) -> EmailMessage:
    correo = EmailMessage()
    correo["From"] = remitente
    correo["To"] = mensaje.destinatario
    correo["Subject"] = mensaje.asunto
    correo["Date"] = formatdate(localtime=True)
    # The domain part of the id is the sender's, never this machine's host name.
    dominio = remitente.rpartition("@")[2].strip("> ") or "localhost"
    correo["Message-ID"] = make_msgid(domain=dominio)
    correo.set_content(mensaje.cuerpo)
    for adjunto in mensaje.adjuntos:
        principal, _, secundario = adjunto.tipo.partition("/")
        correo.add_attachment(
            adjunto.contenido,
            maintype=principal or "application",
            subtype=secundario or "octet-stream",
            filename=adjunto.nombre,
        )
    return correo
