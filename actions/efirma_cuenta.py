"""Escritorio Virtual account: CURP → RFC → .cer → .key → password (signature) → terms → acuse."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogo import explicar, valor_texto
from actions.efirma import AccionFirmada, FormularioEfirma, pregunta_final
from actions.servicios import Servicios, servicios
from tramites.contacto import enmascarar_email
from tramites.cuenta_efirma import (
    AcuseEmitido,
    DatosCertificado,
    FirmaHecha,
    SolicitudCuenta,
    abrir_cuenta,
    revisar_cuenta_nueva,
)
from tramites.errores import TramiteError

__all__ = ["ActionCrearCuenta", "ValidateCuentaForm"]


class ValidateCuentaForm(FormularioEfirma):
    """Checks each step of the account form; the e.firma steps are shared (actions.efirma)."""

    def name(self) -> str:
        """Action name."""
        return "validate_cuenta_form"

    def solicitud(self, tracker: Tracker, certificado: DatosCertificado, fecha: datetime) -> SolicitudCuenta:
        """The account request the person signs."""
        return SolicitudCuenta.firmada_con(
            str(tracker.get_slot("curp")), str(tracker.get_slot("email")), certificado, fecha
        )

    def rfc_esperado(self, tracker: Tracker) -> str | None:
        """The RFC the person typed must be in the certificate."""
        return valor_texto(tracker, "rfc")

    def impedimento(self, tracker: Tracker) -> TramiteError | None:
        """A CURP kept from earlier in the conversation may already have an account."""
        curp = valor_texto(tracker, "curp")
        try:
            if curp:
                revisar_cuenta_nueva(servicios().registro, curp)
        except TramiteError as error:
            return error
        return None

    def con_curp(self, curp: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """A CURP without an account yet; the registry's email is used when we have it."""
        resultado: dict[str, Any] = {"curp": curp}
        s = servicios()
        try:
            revisar_cuenta_nueva(s.registro, curp)
        except TramiteError as error:
            explicar(dispatcher, error)
            return self.terminar(curp=curp)
        persona = s.registro.persona_por_curp(curp)
        if persona is not None and persona.email and not tracker.get_slot("email"):
            dispatcher.utter_message(
                response="utter_cuenta_correo_registrado", email=enmascarar_email(persona.email)
            )
            resultado["email"] = persona.email
        return resultado

    def extract_rfc(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The typed text when the RFC was asked (a valid one already came as an entity)."""
        return self.texto_pedido(tracker, "rfc")

    def extract_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The typed text when the email was asked."""
        return self.texto_pedido(tracker, "email")

    # Only an explicit acceptance opens the account; a "no" discards the signature.
    extract_terminos, validate_terminos = pregunta_final(
        "terminos", si="acepto", no="no acepto", despedida="utter_cuenta_sin_terminos"
    )


class ActionCrearCuenta(AccionFirmada):
    """Opens the account in the registry and sends the signed acuse."""

    FORMULARIO = "cuenta_form"
    RESPUESTA = "utter_cuenta_abierta"
    NOMBRE = "action_crear_cuenta"

    def tramite(self, s: Servicios, tracker: Tracker, firma: FirmaHecha, clave: str | None) -> AcuseEmitido:
        """Open the account with the signed request."""
        return abrir_cuenta(
            s, str(tracker.get_slot("curp")), str(tracker.get_slot("email") or ""), firma, clave=clave
        )
