"""Escritorio Virtual account: CURP → RFC → .cer → .key → password (signature) → terms → acuse."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.documento import enviar_documento
from actions.efirma_comun import FormularioEfirma, cerrar_firma, enmascarar_email
from actions.servicios import servicios
from actions.validacion import candidato_al_activar, revisar_curp, revisar_email, revisar_rfc
from tramites.cuenta_efirma import DatosCertificado, SolicitudCuenta, acuse_cuenta
from tramites.identidad import enmascarar
from tramites.registro import TramiteError

__all__ = ["ActionCrearCuenta", "ValidateCuentaForm"]

logger = logging.getLogger(__name__)

_FORMULARIO = "cuenta_form"
_YA_TIENES = (
    "Ya tienes una cuenta del Escritorio Virtual del IMSS con esa CURP (e.firma número {numero}). "
    "Para entrar usa tu e.firma en el Escritorio Virtual. Si quieres cambiar tu correo o tu teléfono, "
    "escribe \"actualizar mis datos\"."
)


class ValidateCuentaForm(FormularioEfirma):
    """Checks each step of the account form; the e.firma steps are shared (actions.efirma_comun)."""

    def name(self) -> str:
        """Action name."""
        return "validate_cuenta_form"

    def solicitud(self, tracker: Tracker, certificado: DatosCertificado, fecha: datetime) -> SolicitudCuenta:
        """The account request the person signs."""
        return SolicitudCuenta(
            curp=str(tracker.get_slot("curp")),
            rfc=certificado.rfc,
            email=str(tracker.get_slot("email")),
            numero_certificado=certificado.numero_certificado,
            fecha=fecha,
        )

    def rfc_esperado(self, tracker: Tracker) -> str | None:
        """The RFC the person typed must be in the certificate."""
        valor = tracker.get_slot("rfc")
        return str(valor) if valor else None

    def impedimento(self, tracker: Tracker) -> str | None:
        """A CURP kept from earlier in the conversation may already have an account."""
        curp = tracker.get_slot("curp")
        cuenta = servicios().registro.cuenta(str(curp)) if curp else None
        return _YA_TIENES.format(numero=cuenta.numero_certificado) if cuenta is not None else None

    def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The typed text when the CURP was asked; a CURP-looking token in the opening message."""
        return self.texto_pedido(tracker, "curp") or candidato_al_activar(tracker, "curp", "CURP")

    def validate_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid CURP without an account yet; the registry's email is used when we have it."""
        resultado = revisar_curp(value, dispatcher)
        curp = resultado["curp"]
        if curp is None:
            return resultado
        s = servicios()
        cuenta = s.registro.cuenta(curp)
        if cuenta is not None:
            aviso = _YA_TIENES.format(numero=cuenta.numero_certificado)
            return {**self.terminar(dispatcher, aviso, "terminos"), "curp": curp}
        persona = s.registro.persona_por_curp(curp)
        if persona is not None and persona.email and not tracker.get_slot("email"):
            dispatcher.utter_message(
                text=f"Los avisos de tu cuenta llegarán al correo que tienes registrado en el IMSS "
                f"({enmascarar_email(persona.email)})."
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
        return revisar_rfc(value, dispatcher)

    def extract_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The typed text when the email was asked."""
        return self.texto_pedido(tracker, "email")

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The email must look like nombre@dominio.mx."""
        return revisar_email(value, dispatcher)

    def extract_terminos(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """"acepto" / "no acepto" typed in the person's words."""
        return self.respuesta_si_no(tracker, "terminos")

    def validate_terminos(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Only an explicit acceptance opens the account; a "no" discards the signature."""
        return self.respuesta_final(
            dispatcher,
            tracker,
            "terminos",
            value,
            pregunta="¿Aceptas los términos? Respóndeme «acepto» o «no acepto».",
            despedida="Está bien: sin aceptar los términos no puedo abrir tu cuenta, así que no envié tu "
            "solicitud y descarté tu firma. Cuando quieras intentarlo de nuevo, escribe \"crear cuenta\".",
        )


class ActionCrearCuenta(Action):
    """Opens the account in the registry and sends the signed acuse."""

    def name(self) -> str:
        """Action name."""
        return "action_crear_cuenta"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Issue the acuse (person's firma + our sello) and record the account with its folio."""
        s = servicios()
        limpiar, firma = cerrar_firma(tracker, domain, _FORMULARIO)
        curp = tracker.get_slot("curp")
        email = tracker.get_slot("email")
        if firma is None or not curp or not email:
            dispatcher.utter_message(response="utter_error")
            return limpiar
        certificado, cadena, sello, fecha = firma
        if s.registro.cuenta(str(curp)) is not None:
            dispatcher.utter_message(text=_YA_TIENES.format(numero=certificado.numero_certificado))
            return limpiar
        solicitud = SolicitudCuenta(
            curp=str(curp),
            rfc=certificado.rfc,
            email=str(email),
            numero_certificado=certificado.numero_certificado,
            fecha=fecha,
        )
        if solicitud.cadena_original() != cadena:
            # The slots changed after the signature: never issue an acuse for something not signed.
            logger.error("Signed cadena does not match the form data in %s", tracker.sender_id)
            dispatcher.utter_message(response="utter_error")
            return limpiar
        emitido = s.emisor.emitir(
            acuse_cuenta(solicitud, certificado, sello), f"acuse-cuenta-{certificado.rfc}.pdf"
        )
        try:
            s.registro.registrar_cuenta(
                curp=solicitud.curp,
                rfc=certificado.rfc,
                email=solicitud.email.lower(),
                numero_certificado=certificado.numero_certificado,
                valido_hasta=certificado.valido_hasta,
                acuse_folio=emitido.folio,
            )
        except TramiteError as error:
            emitido.path.unlink(missing_ok=True)
            dispatcher.utter_message(text=error.mensaje)
            return limpiar
        logger.info(
            "Escritorio Virtual account opened for %s, acuse %s", enmascarar(solicitud.curp), emitido.folio
        )
        dispatcher.utter_message(
            text=f"¡Listo, {certificado.nombre}! Abrí tu cuenta del Escritorio Virtual del IMSS. "
            f"Para entrar usa tu e.firma; los avisos llegarán a {enmascarar_email(solicitud.email)}."
        )
        enviar_documento(
            dispatcher,
            emitido,
            "Aquí está tu acuse con tu firma electrónica y el sello digital del IMSS. Guárdalo.",
        )
        return [*limpiar, SlotSet("email", solicitud.email.lower())]
