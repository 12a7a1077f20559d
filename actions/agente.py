"""Hand the conversation to a human agent, and take a "sí" after the bot offered one as accepting it."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.accion import Accion

__all__ = ["EN_COLA", "ActionAfirmar", "ActionHandoff"]

#: The engine's own action that puts the conversation in the agents' queue and says the place and wait
#: (bot/engine/handoff.py): the queue lives with the engine, not in the action server.
EN_COLA = "action_en_cola"
#: What the bot says when it offers an agent: a "sí" right after it accepts.
_OFERTAS = ("utter_ofrecer_agente",)


class ActionHandoff(Accion):
    """Tells the person a person will answer, pauses the bot and asks the engine to queue them."""

    NOMBRE = "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Pause the conversation; its next messages go to the agent's view."""
        dispatcher.utter_message(response="utter_handoff")
        return [ConversationPaused(), FollowupAction(EN_COLA)]


class ActionAfirmar(Accion):
    """A "sí" with no question pending shows the menu; right after an agent was offered, it accepts."""

    NOMBRE = "action_afirmar"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Hand off if the last thing the bot did was offer an agent; else the menu."""
        if tracker.latest_action_name in _OFERTAS:
            return ActionHandoff().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_menu")
        return []
