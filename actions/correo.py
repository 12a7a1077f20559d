"""Enviar por correo: the button under every document, and the action that emails that document.

The button's payload names the folio. Only folios issued in this conversation's session may be sent
(slot `documentos_emitidos`), so a typed or forged folio fetches nobody else's document; the engine also
drops the values of a payload it never offered. The address is the one the person gave (`email` slot).
Pressing twice with the same message id sends once: the engine answers a repeated message id from its
stored replies without running the action again. A new press (a new message id) sends again, within the
`correos` rate limit (data/limites.yml).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.accion import Accion
from actions.boton_correo import SLOT_DOCUMENTOS
from actions.dialogo import explicar, valor_texto
from actions.servicios import servicios
from tramites.correo import CorreoNoEnviado
from tramites.envio_documento import enviar_documento_por_correo
from tramites.errores import TramiteError

__all__ = ["ActionEnviarPorCorreo"]

_REGLA_LIMITE = "correos"


class ActionEnviarPorCorreo(Accion):
    """Emails a document issued in this conversation to the person's email, or says why not."""

    NOMBRE = "action_enviar_por_correo"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Check the folio and the address, then send; every outcome gets its own reply."""
        emitidos = [str(f) for f in tracker.get_slot(SLOT_DOCUMENTOS) or []]
        folio = self._folio(tracker, emitidos)
        if not emitidos:
            dispatcher.utter_message(response="utter_correo_sin_documento")
            return []
        if folio is None:
            dispatcher.utter_message(response="utter_correo_documento_ajeno")
            return []
        email = valor_texto(tracker, "email")
        if email is None:
            dispatcher.utter_message(response="utter_correo_sin_email")
            return []
        s = servicios()
        if s.correo is None:
            dispatcher.utter_message(response="utter_correo_no_enviado")
            return []
        if s.limites is not None:
            decision = s.limites.intentar(_REGLA_LIMITE, tracker.sender_id)
            if not decision.permitido:
                dispatcher.utter_message(response="utter_correo_limite", minutos=decision.minutos_restantes)
                return []
        try:
            hecho = enviar_documento_por_correo(s, s.correo, folio, email)
        except CorreoNoEnviado:
            dispatcher.utter_message(response="utter_correo_no_enviado")
            return []
        except TramiteError as error:
            explicar(dispatcher, error)
            return []
        dispatcher.utter_message(response="utter_correo_enviado", email_oculto=hecho.destinatario_oculto)
        return []

    @staticmethod
    def _folio(tracker: Tracker, emitidos: list[str]) -> str | None:
        """The folio the button names if this conversation issued it; no folio at all means the latest."""
        mensaje: dict[str, Any] = tracker.latest_message or {}
        if (mensaje.get("metadata") or {}).get("payload_refused"):
            return None  # typed by hand with a folio the bot never offered here
        nombrado = next(tracker.get_latest_entity_values("folio"), None)
        if nombrado is None:
            return emitidos[-1] if emitidos else None
        return str(nombrado) if str(nombrado) in emitidos else None
