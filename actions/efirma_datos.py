"""Medios de contacto: CURP → new email → new phone → .cer → .key → password (signature) → confirm → acuse."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.documento import enviar_documento
from actions.efirma_comun import FormularioEfirma, cerrar_firma
from actions.servicios import servicios
from actions.validacion import candidato_al_activar, revisar_curp
from tramites.contacto import ContactoInvalido, validar_email, validar_telefono
from tramites.cuenta_efirma import DatosCertificado, SolicitudContacto, acuse_contacto
from tramites.identidad import enmascarar
from tramites.registro import CurpNoRegistrada, TramiteError
from tramites.texto import fold

__all__ = ["ActionActualizarDatos", "ValidateDatosForm"]

logger = logging.getLogger(__name__)

_FORMULARIO = "datos_form"
_SIN_CAMBIO = {
    "el mismo", "mismo", "igual", "el de siempre", "no cambia", "sin cambio", "el actual", "la misma",
}


class ValidateDatosForm(FormularioEfirma):
    """Checks each step of the contact-details form; the e.firma steps are shared."""

    def name(self) -> str:
        """Action name."""
        return "validate_datos_form"

    def solicitud(
        self, tracker: Tracker, certificado: DatosCertificado, fecha: datetime
    ) -> SolicitudContacto:
        """The change the person signs."""
        return SolicitudContacto(
            curp=str(tracker.get_slot("curp")),
            email=str(tracker.get_slot("email_nuevo")),
            telefono=str(tracker.get_slot("telefono_nuevo")),
            numero_certificado=certificado.numero_certificado,
            fecha=fecha,
        )

    def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The typed text when the CURP was asked; a CURP-looking token in the opening message."""
        return self.texto_pedido(tracker, "curp") or candidato_al_activar(tracker, "curp", "CURP")

    def validate_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid CURP of somebody in the IMSS registry (we can only update existing records)."""
        resultado = revisar_curp(value, dispatcher)
        curp = resultado["curp"]
        if curp is not None and servicios().registro.persona_por_curp(curp) is None:
            dispatcher.utter_message(text=CurpNoRegistrada(curp).mensaje)
            return {"curp": None}
        return resultado

    def _actual(self, tracker: Tracker, campo: str) -> str | None:
        persona = servicios().registro.persona_por_curp(str(tracker.get_slot("curp") or ""))
        return getattr(persona, campo, None) if persona is not None else None

    def validate_email_nuevo(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The new email ("el mismo" keeps the one on record)."""
        texto = str(value or "")
        if fold(texto).strip(" .") in _SIN_CAMBIO and self._actual(tracker, "email"):
            return {"email_nuevo": self._actual(tracker, "email")}
        try:
            return {"email_nuevo": validar_email(texto)}
        except ContactoInvalido as error:
            dispatcher.utter_message(text=f"{error.mensaje} ¿Me lo escribes de nuevo?")
            return {"email_nuevo": None}

    def validate_telefono_nuevo(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The new 10-digit phone ("el mismo" keeps the one on record)."""
        texto = str(value or "")
        if fold(texto).strip(" .") in _SIN_CAMBIO and self._actual(tracker, "telefono"):
            return {"telefono_nuevo": self._actual(tracker, "telefono")}
        try:
            return {"telefono_nuevo": validar_telefono(texto)}
        except ContactoInvalido as error:
            dispatcher.utter_message(text=f"{error.mensaje} ¿Me lo escribes de nuevo?")
            return {"telefono_nuevo": None}

    def extract_confirmar(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """"sí" / "no" typed in the person's words."""
        return self.respuesta_si_no(tracker, "confirmar")

    def validate_confirmar(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Only an explicit yes changes the registry; a "no" discards the signature."""
        return self.respuesta_final(
            dispatcher,
            tracker,
            "confirmar",
            value,
            pregunta="¿Confirmas el cambio? Respóndeme «sí» o «no».",
            despedida="Está bien: no cambié nada y descarté tu firma. Si quieres intentarlo de nuevo, "
            "escribe \"actualizar mis datos\".",
        )


class ActionActualizarDatos(Action):
    """Updates the contact details in the registry and sends the signed acuse."""

    def name(self) -> str:
        """Action name."""
        return "action_actualizar_datos"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Record the change, issue the acuse (person's firma + our sello) and keep its folio."""
        s = servicios()
        limpiar, firma = cerrar_firma(tracker, domain, _FORMULARIO)
        curp = tracker.get_slot("curp")
        email = tracker.get_slot("email_nuevo")
        telefono = tracker.get_slot("telefono_nuevo")
        if firma is None or not (curp and email and telefono):
            dispatcher.utter_message(response="utter_error")
            return limpiar
        certificado, cadena, sello, fecha = firma
        solicitud = SolicitudContacto(
            curp=str(curp),
            email=str(email),
            telefono=str(telefono),
            numero_certificado=certificado.numero_certificado,
            fecha=fecha,
        )
        if solicitud.cadena_original() != cadena:
            logger.error("Signed cadena does not match the form data in %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_error")
            return limpiar
        try:
            persona = s.registro.actualizar_contacto(
                solicitud.curp, email=solicitud.email, telefono=solicitud.telefono
            )
        except TramiteError as error:
            dispatcher.utter_message(text=error.mensaje)
            return limpiar
        emitido = s.emisor.emitir(
            acuse_contacto(solicitud, certificado, sello), f"acuse-datos-{certificado.rfc}.pdf"
        )
        s.registro.crear_solicitud(
            "actualizar_datos",
            solicitud.curp,
            {
                "numero_certificado": certificado.numero_certificado,
                "rfc": certificado.rfc,
                "valido_hasta": certificado.valido_hasta.isoformat(),
                "acuse_folio": emitido.folio,
            },
            estado="atendida",
        )
        logger.info("Contact details updated for %s, acuse %s", enmascarar(solicitud.curp), emitido.folio)
        dispatcher.utter_message(
            text=f"¡Listo, {persona.nombre}! Actualicé tus medios de contacto: correo {solicitud.email} "
            f"y teléfono {solicitud.telefono}."
        )
        enviar_documento(
            dispatcher,
            emitido,
            "Aquí está tu acuse con tu firma electrónica y el sello digital del IMSS. Guárdalo.",
        )
        return [*limpiar, SlotSet("email", solicitud.email)]
