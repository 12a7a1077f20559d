"""Consulta de NSS: CURP + email → NSS and its comprobante in PDF."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.accion import Accion
from actions.dialogo import clave_del_mensaje, enviar_documento, explicar
from actions.formulario import Formulario
from actions.servicios import servicios
from tramites.errores import TramiteError
from tramites.nss import consultar_nss

__all__ = ["ActionObtenerNss", "ValidateNssForm"]


class ValidateNssForm(Formulario):
    """Checks the CURP and email of the NSS form."""

    def name(self) -> str:
        """Action name."""
        return "validate_nss_form"


class ActionObtenerNss(Accion):
    """Looks the person up and sends the NSS with its comprobante."""

    NOMBRE = "action_obtener_nss"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the NSS and the PDF, or explain why there is none."""
        try:
            resultado = consultar_nss(
                servicios(), str(tracker.get_slot("curp")), str(tracker.get_slot("email")),
                clave=clave_del_mensaje(tracker),
            )
        except TramiteError as error:
            explicar(dispatcher, error)
            return [SlotSet("curp", None)]
        dispatcher.utter_message(response="utter_nss", nombre=resultado.persona.nombre, nss=resultado.nss)
        enviado = enviar_documento(dispatcher, tracker, resultado.documento, "utter_documento_nss")
        return [SlotSet("nss", resultado.nss), enviado]
