"""The «Enviar por correo» button under a document, and the memory of which folios this session issued."""

from __future__ import annotations

import json

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

__all__ = ["INTENCION_CORREO", "SLOT_DOCUMENTOS", "boton_enviar_por_correo", "recordar_documento"]

#: The folios issued in this session, oldest first; a new session (another person) starts empty.
SLOT_DOCUMENTOS = "documentos_emitidos"
#: How many folios a conversation remembers (old buttons further back answer "not this conversation's").
_RECORDADOS = 20
#: A button-only trigger (no NLU examples): the rule in data/rules.yml maps it to the action.
INTENCION_CORREO = "enviar_por_correo"


def boton_enviar_por_correo(folio: str) -> dict[str, str]:
    """The «Enviar por correo» button of one document (its payload fits Telegram's 64 bytes)."""
    datos = json.dumps({"folio": folio}, separators=(",", ":"))
    return {"title": "Enviar por correo", "payload": f"/{INTENCION_CORREO}{datos}"}


def recordar_documento(tracker: Tracker, folio: str) -> SlotSet:
    """The slot change that lets this conversation email `folio` later."""
    previos = [f for f in tracker.get_slot(SLOT_DOCUMENTOS) or [] if f != folio]
    return SlotSet(SLOT_DOCUMENTOS, [*previos, folio][-_RECORDADOS:])
