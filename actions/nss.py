"""Consulta de NSS: CURP + email → NSS and its comprobante in PDF."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.acceso import del_titular, recordar
from actions.accion import Accion
from actions.dialogo import clave_del_mensaje, explicar
from actions.entrega import entregar, explicar_por_correo
from actions.formulario import Formulario, limpiar
from actions.identidad import DATOS_DE_IDENTIDAD
from actions.servicios import servicios
from tramites.acceso import Resultado
from tramites.errores import TramiteError
from tramites.nss import consultar_nss

__all__ = ["ActionObtenerNss", "ValidateNssForm"]


class ValidateNssForm(Formulario):
    """Checks the CURP and email of the NSS form, and that the email is the one IMSS holds."""

    VERIFICA_TITULAR = True

    def name(self) -> str:
        """Action name."""
        return "validate_nss_form"


class ActionObtenerNss(Accion):
    """Looks the person up and sends the NSS with its comprobante."""

    NOMBRE = "action_obtener_nss"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the NSS and the PDF (only by email when IMSS holds none), or explain why there is none."""
        acceso = del_titular(dispatcher, tracker)
        if acceso is None:
            return limpiar(DATOS_DE_IDENTIDAD)
        curp, email = str(tracker.get_slot("curp")), str(tracker.get_slot("email"))
        try:
            resultado = consultar_nss(servicios(), curp, email, clave=clave_del_mensaje(tracker))
        except TramiteError as error:
            if acceso is Resultado.SIN_CORREO:
                explicar_por_correo(dispatcher, domain, error, email)
            else:
                explicar(dispatcher, error)
            return [SlotSet("curp", None)]
        entregado = entregar(
            dispatcher, tracker, resultado.documento, "utter_documento_nss", acceso=acceso, email=email,
            resumen=lambda: dispatcher.utter_message(
                response="utter_nss", nombre=resultado.persona.nombre, nss=resultado.nss
            ),
        )
        # Not even in a slot when the NSS went only by email: nothing proved it is this person's.
        nss = resultado.nss if acceso is Resultado.COINCIDE else None
        return [SlotSet("nss", nss), *recordar(curp, email, acceso), *entregado]
