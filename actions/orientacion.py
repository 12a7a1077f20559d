"""Answers to questions and the routing of what other institutions handle, from the sourced guidance data.

A question gets its answer and, when a trámite settles it, one button to start it now (the offer is kept
in the `oferta` slot, so a typed "sí" takes it too). Nothing here starts a form by itself.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.accion import Accion
from actions.dialogo import botones_de, texto_del_mensaje
from tramites.orientacion import Destino, Entrada, buscador

__all__ = ["SLOT_OFERTA", "ActionFueraDeAlcance", "ActionOrientar"]

SLOT_OFERTA = "oferta"
#: The menu button that goes with every out-of-scope answer (the domain response's own buttons).
_MENU = "utter_fuera_de_alcance"
#: The guidance data's own words, said as they come (like the domain errors' `utter_explicacion`).
_RESPUESTA = "utter_orientacion"


def _intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def _en_formulario(tracker: Tracker) -> bool:
    return bool((tracker.active_loop or {}).get("name"))


def _titulo(domain: DomainDict, intent: str) -> str:
    titulos = (domain.get("conversation_policy") or {}).get("intent_titles") or {}
    return str(titulos.get(intent) or intent.replace("_", " ").capitalize())


def responder(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, entrada: Entrada
) -> list[EventType]:
    """Say the answer with a button for its trámite; outside a form, remember the offer.

    An answer that is the trámite itself (`inicia`) is not said outside a form: the offer alone asks the
    engine to start the trámite, as if the person had tapped its button.
    """
    if entrada.inicia and entrada.tramite and not _en_formulario(tracker):
        return [SlotSet(SLOT_OFERTA, entrada.tramite)]
    botones: list[dict[str, Any]] = []
    if entrada.tramite:
        titulo = entrada.boton or _titulo(domain, entrada.tramite)
        botones.append({"title": titulo, "payload": f"/{entrada.tramite}"})
    dispatcher.utter_message(response=_RESPUESTA, respuesta=entrada.respuesta, buttons=botones)
    if entrada.tramite and not _en_formulario(tracker):
        return [SlotSet(SLOT_OFERTA, entrada.tramite)]
    return []


def canalizar(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, destino: Destino
) -> list[EventType]:
    """Say where to go; the menu follows, except in an emergency or in the middle of a trámite."""
    menu = [] if destino.urgente or _en_formulario(tracker) else botones_de(domain, _MENU)
    dispatcher.utter_message(response=_RESPUESTA, respuesta=destino.respuesta, buttons=menu)
    return []


class ActionOrientar(Accion):
    """Answers a question from the guidance data; inside a form, only a question it really knows."""

    NOMBRE = "action_orientar"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """The answer (emergencies first); nothing at all in a form when no answer fits the question.

        Inside a form the engine then helps with the step that was asked, so a question that merely
        mentions a topic ("¿dónde la veo?") is not answered with that topic's default.
        """
        texto = texto_del_mensaje(tracker)
        b = buscador()
        urgente = b.destino(texto, solo_urgentes=True)
        if urgente is not None:
            return canalizar(dispatcher, tracker, domain, urgente)
        en_formulario = _en_formulario(tracker)
        entrada = b.entrada(texto, _intent(tracker), por_omision=not en_formulario)
        if entrada is not None:
            return responder(dispatcher, tracker, domain, entrada)
        destino = b.destino(texto)
        if destino is not None:
            return canalizar(dispatcher, tracker, domain, destino)
        if not en_formulario:
            dispatcher.utter_message(response="utter_sin_respuesta")
        return []


class ActionFueraDeAlcance(Accion):
    """Routes what another institution handles; answers IMSS guidance that came labelled out of scope."""

    NOMBRE = "action_fuera_de_alcance"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Where to go (Afore, INFONAVIT, SAT, ISSSTE, 911…), an IMSS answer, or an honest "no sé"."""
        texto = texto_del_mensaje(tracker)
        b = buscador()
        destino = b.destino(texto)
        if destino is not None:
            return canalizar(dispatcher, tracker, domain, destino)
        entrada = b.entrada(texto, _intent(tracker), por_omision=False)
        if entrada is not None:
            return responder(dispatcher, tracker, domain, entrada)
        dispatcher.utter_message(response=_MENU)
        return []
