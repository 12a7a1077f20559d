"""What every action reads from the person's latest message and says back in the same way."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.boton_correo import boton_enviar_por_correo, recordar_documento
from tramites.documentos import DocumentoEmitido
from tramites.errores import TramiteError

__all__ = [
    "botones_de",
    "clave_del_mensaje",
    "enviar_documento",
    "explicar",
    "texto_del_mensaje",
    "valor_texto",
]


def texto_del_mensaje(tracker: Tracker) -> str:
    """The text of the person's latest message."""
    return str(tracker.latest_message.get("text") or "")


def valor_texto(tracker: Tracker, slot: str) -> str | None:
    """A slot's value as text, or None when it is empty."""
    valor = tracker.get_slot(slot)
    return str(valor) if valor else None


def clave_del_mensaje(tracker: Tracker) -> str | None:
    """The idempotency key of the latest message: a repeated message never repeats what it wrote.

    Message ids are unique per channel conversation only, so the conversation is part of the key.
    """
    message_id = tracker.latest_message.get("message_id")
    return f"{tracker.sender_id}/{message_id}" if message_id else None


def explicar(dispatcher: CollectingDispatcher, error: TramiteError) -> None:
    """Say the domain's Spanish reason (what is wrong and what to do); the engine asks again if needed."""
    dispatcher.utter_message(response="utter_explicacion", mensaje=error.mensaje)


def enviar_documento(
    dispatcher: CollectingDispatcher, tracker: Tracker, documento: DocumentoEmitido, response: str
) -> SlotSet:
    """One message, `response` (which shows the `{folio}`), with the PDF and «Enviar por correo».

    Returns the slot change the caller must return too: it is what lets the button send this folio.
    """
    dispatcher.utter_message(
        response=response,
        folio=documento.folio,
        buttons=[boton_enviar_por_correo(documento.folio)],
        json_message={
            "document": {"path": str(documento.path), "filename": documento.filename, "mime": documento.mime}
        },
    )
    return recordar_documento(tracker, documento.folio)


def botones_de(domain: DomainDict, response: str) -> list[dict[str, Any]]:
    """The fixed buttons of a domain response, to go after the options an action adds to it."""
    variantes = (domain.get("responses") or {}).get(response) or [{}]
    return list(variantes[0].get("buttons") or [])
