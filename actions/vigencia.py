"""Vigencia de derechos: CURP + NSS + email → vigente or not, with the Constancia in PDF."""

from __future__ import annotations

from abc import ABC
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.acceso import SLOT_VERIFICADO, comprobar_titular, del_titular, verificado
from actions.accion import Accion
from actions.dialogo import clave_del_mensaje, explicar, texto_del_mensaje, valor_texto
from actions.entrega import entregar
from actions.formulario import Formulario, limpiar
from actions.identidad import DATOS_DE_IDENTIDAD
from actions.servicios import servicios
from actions.validacion import revisar
from actions.vigencia_familiar import SLOTS_FAMILIAR, FlujoFamiliar, titular_conocido
from tramites.errores import TramiteError
from tramites.identidad import IdentidadError, buscar_candidato
from tramites.registro import CurpNoRegistrada, NssNoCoincide, identificar_persona
from tramites.registro.formato import genero
from tramites.vigencia import ConstanciaVigencia, emitir_constancia_vigencia
from tramites.vigencia_familiar import emitir_constancia_familiar

__all__ = [
    "ActionConstanciaVigencia",
    "ValidacionCurpNss",
    "ValidateVigenciaForm",
    "corregir",
    "nss_opcional",
    "slot_a_corregir",
]


def slot_a_corregir(error: TramiteError) -> str | None:
    """The slot to ask again after a failed lookup: the CURP nobody has, or the NSS of someone else."""
    if isinstance(error, CurpNoRegistrada):
        return "curp"
    if isinstance(error, NssNoCoincide):
        return "nss"
    if isinstance(error, IdentidadError) and error.campo in ("CURP", "NSS"):
        return error.campo.lower()
    return None


def corregir(dispatcher: CollectingDispatcher, error: TramiteError) -> list[EventType]:
    """Explain why the lookup failed and forget the slot to ask again."""
    explicar(dispatcher, error)
    slot = slot_a_corregir(error)
    return [SlotSet(slot, None)] if slot else []


def nss_opcional(tracker: Tracker) -> str | None:
    """The NSS slot as text, or None."""
    nss = tracker.get_slot("nss")
    return None if nss is None else str(nss)


class ValidacionCurpNss(Formulario, ABC):
    """Shared checks of the forms that ask CURP, NSS and email of the same registered person.

    Besides each slot's format, once the CURP and email passed `actions.acceso`, the NSS must be the one
    of that CURP, so a typo is caught while the form can still ask again.
    """

    VERIFICA_TITULAR = True

    def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A mistyped CURP in the opening message is validated too (but not an NSS read as a CURP)."""
        candidato = self.candidato_al_activar(tracker, "curp", "CURP")
        nss = buscar_candidato(texto_del_mensaje(tracker), "NSS")
        if candidato and nss and nss in str(candidato["curp"]):
            # "mi nss es 0107887100 quiero…" joins into a CURP-shaped token; it is the NSS that is wrong.
            return {}
        return candidato

    def extract_nss(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A mistyped NSS in the opening message is validated too."""
        return self.candidato_al_activar(tracker, "nss", "NSS")

    def validate_nss(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The NSS must be 11 valid digits.

        A CURP typed while the NSS was asked fills both slots (the CURP by entity, the NSS by text);
        that is a correction of the CURP, not a wrong NSS, so the NSS is asked again silently.
        """
        texto = str(value or "")
        preguntado = tracker.get_slot("requested_slot") == "nss"
        if (
            preguntado
            and "curp" in tracker.slots_to_validate()
            and buscar_candidato(texto, "NSS") is None
            and buscar_candidato(texto, "CURP") is not None
        ):
            return {"nss": None}
        if preguntado and not any(c.isdigit() for c in texto):
            # "no me lo sé", "no tengo": point to the trámite that gives it instead of a format error.
            dispatcher.utter_message(response="utter_sin_nss")
            return {"nss": None}
        return revisar("nss", value, dispatcher)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Each slot's own checks and whose data it is, then whether the CURP and NSS are one person's."""
        eventos: list[EventType] = await super().get_validation_events(dispatcher, tracker, domain)
        valores: dict[str, Any] = {e["name"]: e["value"] for e in eventos}
        nuevos = {k for k in ("curp", "nss", SLOT_VERIFICADO) if valores.get(k) is not None}
        curp = valor_texto(tracker, "curp")
        if not nuevos or curp is None or verificado(tracker, curp, valor_texto(tracker, "email")) is None:
            # Nothing is read about a CURP before its email passed the check.
            return eventos
        s = servicios()
        try:
            identificar_persona(s.registro, str(curp), nss_opcional(tracker), hoy=s.hoy())
        except TramiteError as error:
            slot = slot_a_corregir(error)
            if slot is not None:
                valores[slot] = None
                tracker.slots[slot] = None
            explicar(dispatcher, error)
        return [SlotSet(nombre, valor) for nombre, valor in valores.items()]


class ValidateVigenciaForm(FlujoFamiliar, ValidacionCurpNss):
    """Checks the CURP, NSS and email of the vigencia de derechos form, or the relative's data."""

    def name(self) -> str:
        """Action name."""
        return "validate_vigencia_form"


class ActionConstanciaVigencia(Accion):
    """Computes the vigencia and sends the Constancia de Vigencia de Derechos (own or a relative's)."""

    NOMBRE = "action_constancia_vigencia"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Say whether the person is vigente and send the PDF, or explain what to fix."""
        familiar = valor_texto(tracker, "familiar_curp")
        if familiar:
            return self.de_familiar(dispatcher, tracker, domain, familiar)
        acceso = del_titular(dispatcher, tracker)
        if acceso is None:
            return limpiar(DATOS_DE_IDENTIDAD)
        try:
            hecho = emitir_constancia_vigencia(
                servicios(), str(tracker.get_slot("curp")), nss_opcional(tracker),
                clave=clave_del_mensaje(tracker),
            )
        except TramiteError as error:
            return corregir(dispatcher, error)
        motivo = hecho.vigencia.motivo
        return entregar(
            dispatcher, tracker, hecho.documento, "utter_documento_vigencia", acceso=acceso,
            email=str(tracker.get_slot("email")),
            resumen=lambda: dispatcher.utter_message(
                response="utter_vigencia",
                nombre=hecho.vigencia.persona.nombre,
                motivo=motivo[:1].lower() + motivo[1:],
            ),
        )

    def de_familiar(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, curp: str
    ) -> list[EventType]:
        """The relative's constancia: through the titular, or with the relative's own NSS.

        Whoever identifies the relative (the titular, or the relative with their own NSS) passes the
        email check first, with the email given in this conversation.
        """
        olvidar = [SlotSet(s, None) for s in SLOTS_FAMILIAR]
        titular = titular_conocido(tracker)
        email = valor_texto(tracker, "email") or ""
        acceso = comprobar_titular(dispatcher, tracker, titular[0] if titular else curp, email)
        if acceso is None:
            return [*olvidar, *limpiar(DATOS_DE_IDENTIDAD)]
        try:
            hecho = emitir_constancia_familiar(
                servicios(), curp,
                titular_curp=titular[0] if titular else None, titular_nss=titular[1] if titular else None,
                familiar_nss=valor_texto(tracker, "familiar_nss"), clave=clave_del_mensaje(tracker),
            )
        except TramiteError as error:
            explicar(dispatcher, error)
            return olvidar
        entregado = entregar(
            dispatcher, tracker, hecho.documento, "utter_documento_vigencia_familiar", acceso=acceso,
            email=email, resumen=lambda: dispatcher.utter_message(**_resumen_familiar(hecho)),
        )
        return [*olvidar, *entregado]


def _resumen_familiar(hecho: ConstanciaVigencia) -> dict[str, Any]:
    """What the titular reads about the relative: vigente or not, and through whom."""
    vigencia = hecho.vigencia
    persona = vigencia.persona
    comunes = {"nombre_completo": persona.nombre_completo}
    if not vigencia.vigente:
        return {"response": "utter_vigencia_familiar_no_vigente", **comunes}
    if vigencia.titular is None:
        return {"response": "utter_vigencia_familiar_propia", **comunes}
    return {
        "response": "utter_vigencia_familiar_beneficiario",
        "beneficiario": genero(persona.sexo, "beneficiario", "beneficiaria"),
        "titular": vigencia.titular.nombre_completo,
        **comunes,
    }
