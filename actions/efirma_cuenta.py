"""Escritorio Virtual account: CURP → RFC → .cer → .key → password (signature) → terms → acuse."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogo import explicar, valor_texto
from actions.efirma import AccionFirmada, FormularioEfirma
from actions.servicios import Servicios, servicios
from actions.validacion import revisar
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

    def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The typed text when the CURP was asked; a CURP-looking token in the opening message."""
        return self.texto_pedido(tracker, "curp") or self.candidato_al_activar(tracker, "curp", "CURP")

    def validate_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid CURP without an account yet; the registry's email is used when we have it."""
        resultado = revisar("curp", value, dispatcher)
        curp = resultado["curp"]
        if curp is None:
            return resultado
        s = servicios()
        try:
            revisar_cuenta_nueva(s.registro, curp)
        except TramiteError as error:
            explicar(dispatcher, error)
            return self.terminar(curp=curp, terminos=None)
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

    def validate_rfc(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The RFC must be well formed (a doubtful check digit only warns)."""
        return revisar("rfc", value, dispatcher)

    def extract_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The typed text when the email was asked."""
        return self.texto_pedido(tracker, "email")

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The email must look like nombre@dominio.mx."""
        return revisar("email", value, dispatcher)

    def extract_terminos(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """"acepto" / "no acepto" typed in the person's words."""
        return self.si_no_escrito(tracker, "terminos")

    def validate_terminos(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Only an explicit acceptance opens the account; a "no" discards the signature."""
        return self.respuesta_final(
            dispatcher, tracker, "terminos", value,
            si="acepto", no="no acepto", despedida="utter_cuenta_sin_terminos",
        )


class ActionCrearCuenta(AccionFirmada):
    """Opens the account in the registry and sends the signed acuse."""

    FORMULARIO = "cuenta_form"
    RESPUESTA = "utter_cuenta_abierta"

    def name(self) -> str:
        """Action name."""
        return "action_crear_cuenta"

    def tramite(self, s: Servicios, tracker: Tracker, firma: FirmaHecha, clave: str | None) -> AcuseEmitido:
        """Open the account with the signed request."""
        return abrir_cuenta(
            s, str(tracker.get_slot("curp")), str(tracker.get_slot("email") or ""), firma, clave=clave
        )
