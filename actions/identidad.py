"""Whose trámite: the one-tap question before a form reuses identity data from earlier in the session.

On a shared phone the second trámite must not silently take the first person's CURP. When a form
starts with a CURP from earlier in the session, it first asks `para_quien` (`actions.formulario`),
unless that CURP is confirmed for this trámite: the engine keeps `identidad_confirmada` for a detour, a
resumed trámite or the same trámite again, and clears it when a different one starts. "Para mí" keeps the
data; "otra persona" forgets it and the form asks again.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.acceso import verificado
from actions.accion import Accion
from actions.dialogo import texto_del_mensaje, valor_texto
from actions.servicios import servicios
from tramites.acceso import Resultado
from tramites.familiares import familiar_mencionado
from tramites.texto import fold

__all__ = [
    "DATOS_DE_IDENTIDAD",
    "SLOT_CONFIRMADA",
    "SLOT_PARA_QUIEN",
    "ActionAskParaQuien",
    "abreviar",
    "necesita_confirmar",
    "para_quien_escrito",
    "respuesta_para_quien",
]

SLOT_PARA_QUIEN = "para_quien"
SLOT_CONFIRMADA = "identidad_confirmada"
#: What "para otra persona" forgets: the identity slots kept between trámites.
DATOS_DE_IDENTIDAD = ("curp", "nss", "email", "rfc")
YO, OTRA = "yo", "otra"
_PARA_MI = ("para mi", "soy yo", "yo", "mio", "mia", "a mi", "es mio", "es mia", "la mia", "el mio")


def abreviar(valor: str) -> str:
    """"HELG…05": enough of an identity number to recognise it, not enough to copy it."""
    return f"{valor[:4]}…{valor[-2:]}" if len(valor) > 6 else valor


def necesita_confirmar(tracker: Tracker) -> bool:
    """Whether the form must ask whose trámite it is: a CURP is known but not confirmed for this one."""
    curp = tracker.get_slot("curp")
    return bool(curp) and tracker.get_slot(SLOT_CONFIRMADA) != curp


def para_quien_escrito(tracker: Tracker) -> dict[str, Any]:
    """"para mí", "es para mi hijo", "otra persona" typed when the question was asked."""
    if tracker.get_slot("requested_slot") != SLOT_PARA_QUIEN or tracker.get_slot(SLOT_PARA_QUIEN):
        return {}
    texto = texto_del_mensaje(tracker)
    plano = fold(texto).strip(" .,!")
    if plano in _PARA_MI or plano.startswith(("si", "sip", "claro")):
        return {SLOT_PARA_QUIEN: YO}
    if plano.startswith("no") or "otra persona" in plano or familiar_mencionado(texto) is not None:
        return {SLOT_PARA_QUIEN: OTRA}
    return {}


def respuesta_para_quien(valor: Any, tracker: Tracker) -> dict[str, Any]:
    """"yo" confirms the CURP for this trámite; "otra" forgets the identity data so the form asks it."""
    if valor == YO:
        return {SLOT_PARA_QUIEN: YO}
    if valor == OTRA:
        return {SLOT_PARA_QUIEN: OTRA, SLOT_CONFIRMADA: None, **dict.fromkeys(DATOS_DE_IDENTIDAD)}
    return {SLOT_PARA_QUIEN: None}


class ActionAskParaQuien(Accion):
    """Asks whether the trámite is for the person whose data the conversation already has."""

    NOMBRE = "action_ask_para_quien"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """"¿Es para ti, María (CURP HELG…05), o para otra persona?", with one button each."""
        curp = valor_texto(tracker, "curp") or ""
        # The name only for a CURP whose email on file was given here (a CURP alone shows nothing).
        propio = verificado(tracker, curp, valor_texto(tracker, "email")) is Resultado.COINCIDE
        persona = servicios().registro.persona_por_curp(curp) if propio else None
        nombre = persona.nombre.split()[0] if persona is not None else None
        familiar = valor_texto(tracker, "familiar")
        respuesta = "utter_ask_para_quien_familiar" if familiar else "utter_ask_para_quien"
        if not nombre:
            respuesta += "_sin_nombre"
        dispatcher.utter_message(response=respuesta, nombre=nombre, curp_abreviada=abreviar(curp))
        return []
