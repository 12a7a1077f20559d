"""Handing over an issued document: in the chat, or only by email when IMSS holds no email for the CURP.

With no email on file, nothing proves the person typing is the titular, so the document (and every data
in it) goes only to the email given, as IMSS Digital does; the chat says where it went and nothing more.
"""

from __future__ import annotations

from collections.abc import Callable

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogo import enviar_documento
from actions.servicios import servicios
from tramites.acceso import Resultado
from tramites.correo import Correo, CorreoNoEnviado, MensajeCorreo
from tramites.documentos import DocumentoEmitido
from tramites.envio_documento import enviar_documento_por_correo
from tramites.errores import TramiteError

__all__ = ["entregar", "explicar_por_correo"]


def _solo_por_correo(
    dispatcher: CollectingDispatcher, email: str, respuesta: str, enviar: Callable[[Correo], object]
) -> None:
    """Send with the configured delivery; the chat says only where it went (`respuesta`) or that it failed."""
    correo = servicios().correo
    try:
        if correo is None:
            raise CorreoNoEnviado(detalle="no email delivery is configured")
        enviar(correo)
    except TramiteError:  # CorreoNoEnviado included
        dispatcher.utter_message(response="utter_documento_no_enviado")
        return
    dispatcher.utter_message(response=respuesta, email=email)


def entregar(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    documento: DocumentoEmitido,
    response: str,
    *,
    acceso: Resultado,
    email: str,
    resumen: Callable[[], None],
) -> list[EventType]:
    """In the chat: `resumen` (what the trámite says) and the PDF with `response`; else only by email.

    Returns the events the caller must return too (what lets «Enviar por correo» send this folio).
    """
    if acceso is Resultado.SIN_CORREO:
        # The same message «Enviar por correo» sends, to the email given.
        _solo_por_correo(
            dispatcher, email, "utter_documento_por_correo",
            lambda correo: enviar_documento_por_correo(servicios(), correo, documento.folio, email),
        )
        return []
    resumen()
    return [enviar_documento(dispatcher, tracker, documento, response)]


def explicar_por_correo(
    dispatcher: CollectingDispatcher, domain: DomainDict, error: TramiteError, email: str
) -> None:
    """What a trámite found about a CURP with no email on file («todavía no tiene NSS»), only by email.

    Said in the chat, it would tell anyone who knows the CURP something about that person's record.
    """
    asunto = str(domain["responses"]["utter_correo_respuesta_asunto"][0]["text"])
    mensaje = MensajeCorreo(destinatario=email, asunto=asunto, cuerpo=error.mensaje)
    _solo_por_correo(dispatcher, email, "utter_respuesta_por_correo", lambda correo: correo.enviar(mensaje))
