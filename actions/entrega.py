"""Handing over an issued document: in the chat, or only by email when IMSS holds no email for the CURP.

With no email on file, nothing proves the person typing is the titular, so the document (and every data
in it) goes only to the email given, as IMSS Digital does; the chat says where it went and nothing more.
"""

from __future__ import annotations

from collections.abc import Callable

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogo import enviar_documento
from actions.servicios import servicios
from tramites.acceso import Resultado
from tramites.correo import Adjunto, CorreoNoEnviado, MensajeCorreo
from tramites.documentos import DocumentoEmitido

__all__ = ["entregar"]


def _texto(domain: DomainDict, response: str, **valores: object) -> str:
    """A domain response's first text, filled in (the email's subject and body live in domain.yml)."""
    return str(domain["responses"][response][0]["text"]).format(**valores)


def _por_correo(
    dispatcher: CollectingDispatcher, domain: DomainDict, documento: DocumentoEmitido, email: str
) -> None:
    correo = servicios().correo
    mensaje = MensajeCorreo(
        destinatario=email,
        asunto=_texto(domain, "utter_correo_documento_asunto", folio=documento.folio),
        cuerpo=_texto(domain, "utter_correo_documento_cuerpo", folio=documento.folio),
        # Named by its folio: the file name of some documents carries the person's name.
        adjuntos=(Adjunto(f"{documento.folio}.pdf", documento.path.read_bytes(), documento.mime),),
    )
    try:
        if correo is None:
            raise CorreoNoEnviado("no email delivery is configured")
        correo.enviar(mensaje)
    except CorreoNoEnviado:
        dispatcher.utter_message(response="utter_documento_no_enviado")
        return
    dispatcher.utter_message(response="utter_documento_por_correo", email=email)


def entregar(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    documento: DocumentoEmitido,
    response: str,
    *,
    acceso: Resultado,
    email: str,
    resumen: Callable[[], None],
) -> None:
    """In the chat: `resumen` (what the trámite says) and the PDF with `response`; else only by email."""
    if acceso is Resultado.SIN_CORREO:
        _por_correo(dispatcher, domain, documento, email)
        return
    resumen()
    enviar_documento(dispatcher, documento, response)
