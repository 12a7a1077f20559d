"""The one door to a person's data: rate limits, then the email on file (`tramites.acceso`).

Every trámite that reveals data (NSS, constancia de vigencia, a relative's too, semanas cotizadas,
beneficiarios, clinic) passes `comprobar_titular` before it reads the registry: first the sender's
look-up limits (data/limites.yml), then whether the email given is the one IMSS holds for the CURP.
A CURP + email pair that passed is remembered in `titular_verificado` for the rest of the conversation,
so one person's trámites, one after another, are one look-up.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.servicios import servicios
from tramites.acceso import Resultado, normalizar_email, verificar_titular
from tramites.limites import Decision

__all__ = ["SLOT_VERIFICADO", "comprobar_titular", "del_titular", "recordar", "verificado"]

SLOT_VERIFICADO = "titular_verificado"
"""`CURP|email|resultado` of the pair that passed in this conversation (set by actions only)."""

#: The rules of data/limites.yml this door applies, and the answer to each refusal.
_CONSULTAS, _CURPS = "consultas_identidad", "curps_distintas"
_RESPUESTA_LIMITE = {_CONSULTAS: "utter_limite_consultas", _CURPS: "utter_limite_curps"}


def _clave(curp: str, email: str) -> str:
    return f"{curp.strip().upper()}|{normalizar_email(email)}"


def verificado(tracker: Tracker, curp: str | None, email: str | None) -> Resultado | None:
    """What the check said for this CURP and email earlier in the conversation, or None if never passed."""
    guardado = str(tracker.get_slot(SLOT_VERIFICADO) or "")
    if not curp or not email or not guardado:
        return None
    clave, _, resultado = guardado.rpartition("|")
    if clave != _clave(curp, email):
        return None
    return next((r for r in Resultado if r.value == resultado and r.permite), None)


def recordar(curp: str, email: str, resultado: Resultado) -> list[EventType]:
    """The event that remembers a pair that passed."""
    return [SlotSet(SLOT_VERIFICADO, f"{_clave(curp, email)}|{resultado.value}")]


def _rechazo(dispatcher: CollectingDispatcher, decision: Decision) -> None:
    """When the sender may try again, in the unit the rule's window is counted in."""
    minutos = decision.minutos_restantes
    dispatcher.utter_message(
        response=_RESPUESTA_LIMITE.get(decision.regla, "utter_limite_consultas"),
        minutos=minutos,
        horas=math.ceil(minutos / 60),
    )


def _limites(tracker: Tracker, curp: str) -> Decision | None:
    """The refusal of the sender's look-up limits, or None when one more look-up is allowed.

    A failed match counts as a look-up too: an enumeration (many CURPs, or many emails for one CURP)
    is mostly failed matches. The hourly count is only peeked first, so a CURP refused by it is not
    also counted among the day's distinct CURPs, and vice versa.
    """
    limites = servicios().limites
    if limites is None:
        return None
    remitente = str(tracker.sender_id)
    pasos: tuple[Callable[[], Decision], ...] = (
        lambda: limites.consultar(_CONSULTAS, remitente),
        lambda: limites.intentar(_CURPS, remitente, curp.strip().upper()),
        lambda: limites.intentar(_CONSULTAS, remitente),
    )
    for paso in pasos:
        decision = paso()
        if not decision.permitido:
            return decision
    return None


def comprobar_titular(
    dispatcher: CollectingDispatcher, tracker: Tracker, curp: str, email: str
) -> Resultado | None:
    """COINCIDE or SIN_CORREO when the trámite may go on; None when refused (the person heard why).

    A refusal never says whether the CURP exists, whose it is or which email IMSS holds: a wrong
    email and an unknown CURP get the same answer.
    """
    previo = verificado(tracker, curp, email)
    if previo is not None:
        return previo
    rechazo = _limites(tracker, curp)
    if rechazo is not None:
        _rechazo(dispatcher, rechazo)
        return None
    resultado = verificar_titular(servicios().registro, curp, email)
    if not resultado.permite:
        dispatcher.utter_message(response="utter_datos_no_coinciden")
        return None
    return resultado


def del_titular(dispatcher: CollectingDispatcher, tracker: Tracker) -> Resultado | None:
    """`comprobar_titular` for the CURP and email slots (a submit action's last check)."""
    curp, email = tracker.get_slot("curp"), tracker.get_slot("email")
    if not curp or not email:
        dispatcher.utter_message(response="utter_datos_no_coinciden")
        return None
    return comprobar_titular(dispatcher, tracker, str(curp), str(email))
