"""A relative's constancia inside the vigencia form: "quiero la de mi mamá", "ahora la de mi esposa".

The opening message names the relative (`familiar`, "tu esposa"); then the form asks the relative's CURP
and, depending on what the registry says (`tramites.vigencia_familiar.como_identificar`), nothing more
(a beneficiario of the titular already known), the relative's own NSS, or the titular's CURP and NSS.
"""

from __future__ import annotations

from abc import ABC
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.acceso import verificado
from actions.accion import Accion
from actions.dialogo import explicar, texto_del_mensaje, valor_texto
from actions.formulario import Formulario
from actions.identidad import SLOT_CONFIRMADA, SLOT_PARA_QUIEN
from actions.servicios import servicios
from actions.validacion import revisar
from tramites.acceso import Resultado
from tramites.errores import TramiteError
from tramites.familiares import es_referencia, familiar_mencionado
from tramites.registro import Persona, identificar_persona
from tramites.vigencia_familiar import FamiliarEsElTitular, como_identificar

__all__ = [
    "SLOTS_FAMILIAR",
    "ActionTramiteDeFamiliar",
    "FlujoFamiliar",
    "titular_conocido",
]

SLOT_FAMILIAR = "familiar"
SLOT_FAMILIAR_CURP = "familiar_curp"
SLOT_FAMILIAR_NSS = "familiar_nss"
SLOT_TITULAR_CURP = "titular_curp"
SLOT_TITULAR_NSS = "titular_nss"
SLOTS_FAMILIAR = (SLOT_FAMILIAR, SLOT_FAMILIAR_CURP, SLOT_FAMILIAR_NSS, SLOT_TITULAR_CURP, SLOT_TITULAR_NSS)
"""Everything the relative's flow remembers, forgotten when the constancia is issued."""


def titular_conocido(tracker: Tracker) -> tuple[str, str] | None:
    """The titular's CURP and NSS: typed for the relative, or the person's own when it is them."""
    for curp_slot, nss_slot in ((SLOT_TITULAR_CURP, SLOT_TITULAR_NSS), ("curp", "nss")):
        curp, nss = valor_texto(tracker, curp_slot), valor_texto(tracker, nss_slot)
        if curp and nss:
            return curp, nss
    return None


def _titular(tracker: Tracker) -> Persona | None:
    """The titular as the registry has them, only once their email passed the check in this conversation.

    Before that, nothing the registry says about the titular or the relative may reach the person: the
    form asks for the data as if every CURP could be placed, and the constancia's action explains a
    mismatch after the email check (`ActionConstanciaVigencia.de_familiar`).
    """
    datos = titular_conocido(tracker)
    if datos is None:
        return None
    if verificado(tracker, datos[0], valor_texto(tracker, "email")) is not Resultado.COINCIDE:
        return None
    s = servicios()
    try:
        return identificar_persona(s.registro, datos[0], datos[1], hoy=s.hoy())
    except TramiteError:
        return None


class FlujoFamiliar(Formulario, ABC):
    """The steps of a relative's constancia, mixed into the vigencia form's validation."""

    def al_activar(self, tracker: Tracker) -> dict[str, Any]:
        """Who the constancia is for, from the opening message; a relative's data from before is dropped."""
        texto = texto_del_mensaje(tracker)
        familiar = None if texto.startswith("/") else familiar_mencionado(texto)
        limpio: dict[str, Any] = dict.fromkeys(SLOTS_FAMILIAR)
        if familiar is None:
            return limpio
        # The data known so far is the person's own; ask before using it as the titular's.
        return {**limpio, SLOT_FAMILIAR: familiar.nombre, SLOT_CONFIRMADA: None}

    async def requeridos(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Own constancia: CURP, NSS, email (the domain's). A relative's: their CURP, then what identifies,
        then the email of whoever identifies them (`ActionConstanciaVigencia.de_familiar` checks it)."""
        if not tracker.get_slot(SLOT_FAMILIAR):
            return domain_slots
        return [*self._pasos_familiar(tracker), "email"]

    def verifica_titular(self, tracker: Tracker) -> bool:
        """A relative's constancia checks whoever identifies the relative when it is issued, not here."""
        return not tracker.get_slot(SLOT_FAMILIAR) and super().verifica_titular(tracker)

    def _pasos_familiar(self, tracker: Tracker) -> list[str]:
        """The relative's CURP, then their own NSS or the titular's CURP and NSS, as the registry needs."""
        pasos = [SLOT_FAMILIAR_CURP]
        curp = valor_texto(tracker, SLOT_FAMILIAR_CURP)
        if curp is None:
            return pasos
        try:
            falta = como_identificar(servicios().registro, curp, _titular(tracker))
        except TramiteError:
            # Not among a verified titular's beneficiarios: the constancia's action explains it, to them.
            return pasos
        if falta == "nss_del_familiar":
            return [*pasos, SLOT_FAMILIAR_NSS]
        if falta == "titular":
            propios = tracker.get_slot(SLOT_PARA_QUIEN) == "yo" and tracker.get_slot("curp")
            return [*pasos, "nss"] if propios else [*pasos, SLOT_TITULAR_CURP, SLOT_TITULAR_NSS]
        return pasos

    def _por_el_dominio(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Filled by the domain's slot mappings (the CURP or NSS entity, or the typed text)."""
        return {}

    extract_familiar_curp = extract_familiar_nss = _por_el_dominio
    extract_titular_curp = extract_titular_nss = _por_el_dominio

    def validate_familiar_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid CURP that is not the titular's; the registry is asked only after the email check."""
        curp = revisar(SLOT_FAMILIAR_CURP, value, dispatcher, "curp")[SLOT_FAMILIAR_CURP]
        if curp is None:
            return {SLOT_FAMILIAR_CURP: None}
        titular = titular_conocido(tracker)
        if titular is not None and titular[0] == curp:
            explicar(dispatcher, FamiliarEsElTitular())
            return {SLOT_FAMILIAR_CURP: None}
        return {SLOT_FAMILIAR_CURP: curp}

    def validate_familiar_nss(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The relative's own NSS, well formed; whether it is theirs is said after the email check."""
        return revisar(SLOT_FAMILIAR_NSS, value, dispatcher, "nss")

    def validate_titular_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The titular's CURP: valid, and of someone in the registry."""
        return revisar(SLOT_TITULAR_CURP, value, dispatcher, "curp")

    def validate_titular_nss(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The titular's NSS, well formed; whether it matches, and the relative, after the email check."""
        return revisar(SLOT_TITULAR_NSS, value, dispatcher, "nss")


class ActionTramiteDeFamiliar(Accion):
    """After one's own constancia, "ahora la de mi esposa" asks for hers, not to register her."""

    NOMBRE = "action_tramite_de_familiar"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """A reference to a relative goes to their constancia; anything else to the registration."""
        texto = texto_del_mensaje(tracker)
        if familiar_mencionado(texto) is not None and es_referencia(texto):
            return [FollowupAction("vigencia_form")]
        dispatcher.utter_message(response="utter_inicio_beneficiarios")
        return [SlotSet(SLOT_FAMILIAR, None), FollowupAction("beneficiario_form")]
