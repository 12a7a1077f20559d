"""Vigencia de derechos: CURP + NSS + email → vigente or not, with the Constancia in PDF."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.documento import enviar_documento
from actions.servicios import servicios
from actions.validacion import candidato_al_activar, revisar_curp, revisar_email, revisar_nss
from tramites.identidad import IdentidadError, buscar_candidato
from tramites.registro import CurpNoRegistrada, NssNoCoincide, TramiteError, identificar_persona
from tramites.reportes import constancia_vigencia
from tramites.vigencia import Vigencia, consultar_vigencia

__all__ = [
    "SIN_NSS",
    "ActionConstanciaVigencia",
    "ValidacionCurpNss",
    "ValidateVigenciaForm",
    "eventos_por_error",
    "resumen_vigencia",
]

SIN_NSS = (
    "Tu NSS son 11 números, por ejemplo 72795608040; viene en tus recibos de nómina. Si no lo sabes, "
    "escribe \"consultar mi NSS\" y te lo doy con tu CURP. Si lo tienes a la mano, escríbemelo."
)
"""Said when the answer to the NSS question has no digits at all."""

_PREGUNTAS = {
    "curp": " ¿Me escribes otra vez tu CURP?",
    "nss": " ¿Me escribes otra vez tu NSS? Son 11 dígitos.",
}


def eventos_por_error(error: Exception) -> list[EventType]:
    """The slot to ask again after a failed lookup: the CURP nobody has, or the NSS of someone else."""
    if isinstance(error, CurpNoRegistrada):
        return [SlotSet("curp", None)]
    if isinstance(error, NssNoCoincide):
        return [SlotSet("nss", None)]
    if isinstance(error, IdentidadError) and error.campo in ("CURP", "NSS"):
        return [SlotSet(error.campo.lower(), None)]
    return []


class ValidacionCurpNss(FormValidationAction, ABC):
    """Shared checks of the forms that ask CURP, NSS and email of the same registered person.

    Besides each slot's format, once a CURP is known it must be in the registry and the NSS must be
    the one of that CURP, so a typo is caught while the form can still ask again.
    """

    @abstractmethod
    def name(self) -> str:
        """Action name."""

    async def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A mistyped CURP in the opening message is validated too (but not an NSS read as a CURP)."""
        candidato = candidato_al_activar(tracker, "curp", "CURP")
        nss = buscar_candidato(str(tracker.latest_message.get("text") or ""), "NSS")
        if candidato and nss and nss in str(candidato["curp"]):
            # "mi nss es 0107887100 quiero…" joins into a CURP-shaped token; it is the NSS that is wrong.
            return {}
        return candidato

    async def extract_nss(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A mistyped NSS in the opening message is validated too."""
        return candidato_al_activar(tracker, "nss", "NSS")

    def validate_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The CURP must pass every check of DESIGN.md."""
        return revisar_curp(value, dispatcher)

    def validate_nss(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The NSS must be 11 valid digits.

        A CURP typed while the NSS was asked fills both slots (the CURP by entity, the NSS by text);
        that is a correction of the CURP, not a wrong NSS, so the NSS is asked again silently.
        """
        texto = str(value or "")
        if (
            tracker.get_slot("requested_slot") == "nss"
            and "curp" in tracker.slots_to_validate()
            and buscar_candidato(texto, "NSS") is None
            and buscar_candidato(texto, "CURP") is not None
        ):
            return {"nss": None}
        if tracker.get_slot("requested_slot") == "nss" and not any(c.isdigit() for c in texto):
            # "no me lo sé", "no tengo": point to the trámite that gives it instead of a format error.
            dispatcher.utter_message(text=SIN_NSS)
            return {"nss": None}
        return revisar_nss(value, dispatcher)

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The email must look like nombre@dominio.mx."""
        return revisar_email(value, dispatcher)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Each slot's own checks, then whether the CURP and the NSS belong to one registered person."""
        eventos: list[EventType] = await super().get_validation_events(dispatcher, tracker, domain)
        valores: dict[str, Any] = {e["name"]: e["value"] for e in eventos}
        nuevos = {k for k in ("curp", "nss") if valores.get(k) is not None}
        curp, nss = tracker.get_slot("curp"), tracker.get_slot("nss")
        if not nuevos or curp is None:
            return eventos
        s = servicios()
        try:
            identificar_persona(s.registro, str(curp), None if nss is None else str(nss), hoy=s.hoy())
        except (TramiteError, IdentidadError) as error:
            limpiar = eventos_por_error(error)
            mensaje = error.mensaje
            for evento in limpiar:
                valores[evento["name"]] = None
                tracker.slots[evento["name"]] = None
                if evento["name"] == tracker.get_slot("requested_slot"):
                    mensaje += _PREGUNTAS[evento["name"]]
            dispatcher.utter_message(text=mensaje)
        return [SlotSet(nombre, valor) for nombre, valor in valores.items()]


class ValidateVigenciaForm(ValidacionCurpNss):
    """Checks the CURP, NSS and email of the vigencia de derechos form."""

    def name(self) -> str:
        """Action name."""
        return "validate_vigencia_form"


def resumen_vigencia(vigencia: Vigencia) -> str:
    """One message: vigente or not, and why (with the dates), addressed to the person."""
    motivo = vigencia.motivo
    return f"{vigencia.persona.nombre}, {motivo[:1].lower()}{motivo[1:]}"


class ActionConstanciaVigencia(Action):
    """Computes the vigencia and sends the Constancia de Vigencia de Derechos."""

    def name(self) -> str:
        """Action name."""
        return "action_constancia_vigencia"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Say whether the person is vigente and send the PDF, or explain what to fix."""
        s = servicios()
        curp = str(tracker.get_slot("curp"))
        nss = tracker.get_slot("nss")
        try:
            vigencia = consultar_vigencia(s.registro, curp, None if nss is None else str(nss), s.hoy())
        except (TramiteError, IdentidadError) as error:
            dispatcher.utter_message(text=error.mensaje)
            return eventos_por_error(error)
        umf = s.registro.umf(vigencia.umf) if vigencia.umf is not None else None
        documento = constancia_vigencia(vigencia, s.ahora(), umf)
        emitido = s.emisor.emitir(documento, f"constancia-vigencia-{vigencia.persona.nss or curp}.pdf")
        dispatcher.utter_message(text=resumen_vigencia(vigencia))
        enviar_documento(
            dispatcher,
            emitido,
            "Aquí está tu Constancia de Vigencia de Derechos en PDF. Preséntala donde te la pidan; "
            "quien la reciba puede verificarla con el código QR.",
        )
        return []
