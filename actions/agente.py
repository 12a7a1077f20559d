"""Hand the conversation to a human agent."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.accion import Accion

__all__ = ["ActionHandoff"]


class ActionHandoff(Accion):
    """Tells the person an agent will answer and pauses the bot for this conversation."""

    NOMBRE = "action_handoff"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Pause the conversation; its next messages go to the agent inbox."""
        dispatcher.utter_message(response="utter_handoff")
        return [ConversationPaused()]
