"""Consulta de NSS: CURP + email → NSS and its comprobante in PDF."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.documento import enviar_documento
from actions.servicios import servicios
from actions.validacion import candidato_al_activar, revisar_curp, revisar_email
from tramites.comprobantes import comprobante_nss
from tramites.nss import consultar_nss
from tramites.registro import TramiteError

__all__ = ["ActionObtenerNss", "ValidateNssForm"]


class ValidateNssForm(FormValidationAction):
    """Checks the CURP and email of the NSS form."""

    def name(self) -> str:
        """Action name."""
        return "validate_nss_form"

    async def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A mistyped CURP in the opening message is validated too."""
        return candidato_al_activar(tracker, "curp", "CURP")

    def validate_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The CURP must pass every check of DESIGN.md."""
        return revisar_curp(value, dispatcher)

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The email must look like nombre@dominio.mx."""
        return revisar_email(value, dispatcher)


class ActionObtenerNss(Action):
    """Looks the person up and sends the NSS with its comprobante."""

    def name(self) -> str:
        """Action name."""
        return "action_obtener_nss"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the NSS and the PDF, or explain why there is none."""
        s = servicios()
        curp = str(tracker.get_slot("curp"))
        email = str(tracker.get_slot("email"))
        try:
            resultado = consultar_nss(s.registro, curp, email)
        except TramiteError as error:
            dispatcher.utter_message(text=error.mensaje)
            return [SlotSet("curp", None)]
        documento = comprobante_nss(resultado.persona, resultado.nss, s.ahora())
        emitido = s.emisor.emitir(documento, f"comprobante-nss-{resultado.nss}.pdf")
        nombre = resultado.persona.nombre
        texto = f"¡Listo, {nombre}! Tu Número de Seguridad Social (NSS) es {resultado.nss}."
        dispatcher.utter_message(text=texto)
        enviar_documento(
            dispatcher, emitido, "Aquí está tu comprobante en PDF. Guárdalo o imprímelo cuando lo necesites."
        )
        return [SlotSet("nss", resultado.nss)]
