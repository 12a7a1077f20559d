"""The base of the actions that are not form validations: the action's name is data."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

__all__ = ["Accion"]


class Accion(Action, ABC):
    """An action named by `NOMBRE`, whose `run` says what happened and returns the slot changes."""

    NOMBRE: ClassVar[str]

    def name(self) -> str:
        """Action name."""
        return self.NOMBRE

    @abstractmethod
    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Run the action."""
