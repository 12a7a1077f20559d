"""Medios de contacto: CURP → new email → new phone → .cer → .key → password (signature) → confirm → acuse."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogo import explicar, valor_texto
from actions.efirma import AccionFirmada, FormularioEfirma, pregunta_final
from actions.servicios import Servicios, servicios
from actions.validacion import revisar
from tramites.cuenta_efirma import (
    AcuseEmitido,
    DatosCertificado,
    FirmaHecha,
    SolicitudContacto,
    actualizar_contacto,
)
from tramites.registro import CurpNoRegistrada
from tramites.texto import fold

__all__ = ["ActionActualizarDatos", "ValidateDatosForm"]

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
        return SolicitudContacto.firmada_con(
            str(tracker.get_slot("curp")),
            str(tracker.get_slot("email_nuevo")),
            str(tracker.get_slot("telefono_nuevo")),
            certificado,
            fecha,
        )

    def con_curp(self, curp: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """Somebody in the IMSS registry (we can only update existing records)."""
        if servicios().registro.persona_por_curp(curp) is None:
            explicar(dispatcher, CurpNoRegistrada(curp=curp))
            return {"curp": None}
        return {"curp": curp}

    def validate_email_nuevo(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The new email ("el mismo" keeps the one on record)."""
        return self._nuevo(dispatcher, tracker, "email_nuevo", "email", value)

    def validate_telefono_nuevo(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The new 10-digit phone ("el mismo" keeps the one on record)."""
        return self._nuevo(dispatcher, tracker, "telefono_nuevo", "telefono", value)

    @staticmethod
    def _nuevo(
        dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, campo: str, value: Any
    ) -> dict[str, Any]:
        """A new contact detail; "el mismo" keeps the one on record."""
        if fold(str(value or "")).strip(" .") in _SIN_CAMBIO:
            persona = servicios().registro.persona_por_curp(valor_texto(tracker, "curp") or "")
            actual = getattr(persona, campo, None) if persona is not None else None
            if actual:
                return {slot: actual}
        return revisar(slot, value, dispatcher, campo)

    # Only an explicit yes changes the registry; a "no" discards the signature.
    extract_confirmar, validate_confirmar = pregunta_final(
        "confirmar", si="sí", no="no", despedida="utter_datos_sin_cambio"
    )


class ActionActualizarDatos(AccionFirmada):
    """Updates the contact details in the registry and sends the signed acuse."""

    FORMULARIO = "datos_form"
    RESPUESTA = "utter_datos_actualizados"
    NOMBRE = "action_actualizar_datos"

    def tramite(self, s: Servicios, tracker: Tracker, firma: FirmaHecha, clave: str | None) -> AcuseEmitido:
        """Replace the email and phone with the signed change."""
        return actualizar_contacto(
            s,
            str(tracker.get_slot("curp")),
            str(tracker.get_slot("email_nuevo") or ""),
            str(tracker.get_slot("telefono_nuevo") or ""),
            firma,
            clave=clave,
        )
