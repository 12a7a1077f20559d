"""Email delivery of issued documents: the port the trámites use, whatever sends the mail.

IMSS's portal offers "Enviar por correo" for every document, and sends a document only by email when it
holds no email for that CURP. The embedded default writes `.eml` files to an outbox folder; `SMTP_URL`
points at a real server. Adapters live outside the use cases that call this port.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol

from tramites.errores import TramiteError

__all__ = ["Adjunto", "Correo", "CorreoNoEnviado", "MensajeCorreo"]


class Adjunto(NamedTuple):
    """A file attached to a message: its name (a folio, never a personal identifier) and bytes."""

    nombre: str
    contenido: bytes
    tipo: str = "application/pdf"


@dataclass(frozen=True)
class MensajeCorreo:
    """One message to one address."""

    destinatario: str
    asunto: str
    cuerpo: str
    adjuntos: tuple[Adjunto, ...] = ()


class CorreoNoEnviado(TramiteError):
    """The server refused or could not be reached; the caller tells the person and may retry later.

    Like every domain error it has a Spanish `mensaje` for the person; what went wrong technically (the
    server's name, the kind of failure) goes in `detalle`, for the logs.
    """

    MENSAJE = 'No pude enviar el correo en este momento. Inténtalo en unos minutos o escribe "agente".'


class Correo(Protocol):
    """Sends one message; raises `CorreoNoEnviado` when it cannot."""

    def enviar(self, mensaje: MensajeCorreo) -> None:
        """Deliver `mensaje` (or queue it in the outbox)."""
        ...
