"""Rendering the domain's responses (and actions' messages) into what the person reads."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from bot.engine.domain import Domain
from bot.engine.messages import Button, Document
from bot.engine.runner import ActionMessage
from bot.engine.turn import Turn

__all__ = ["Renderer"]

logger = logging.getLogger(__name__)


def _buttons(spec: Any) -> tuple[Button, ...]:
    return tuple(Button(title=str(b["title"]), payload=str(b["payload"])) for b in spec or [])


class Renderer:
    """Fills responses with variables and slots and says them in the turn."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain

    def text(self, name: str, variables: Mapping[str, Any] | None = None) -> str:
        """The text of a response, with its first variant (channels use it for their own notices)."""
        return str(self.domain.render(name, variables or {}).get("text", ""))

    def utter(
        self,
        turn: Turn,
        name: str,
        variables: Mapping[str, Any] | None = None,
        *,
        buttons: tuple[Button, ...] | None = None,
        document: Document | None = None,
    ) -> None:
        """Say response `name`; given buttons replace the response's own."""
        values = {**turn.state.slots, **(variables or {})}
        seed = len(turn.state.events)
        rendered = self.domain.render(name, values, pick=lambda variants: variants[seed % len(variants)])
        chosen = buttons if buttons is not None else _buttons(rendered.get("buttons"))
        turn.say(str(rendered.get("text", "")), chosen, document, response=name)

    def message(self, turn: Turn, message: ActionMessage) -> None:
        """Say what an action sent through its dispatcher."""
        if message.response:
            if message.response not in self.domain.responses:
                logger.error("Action named the unknown response %s", message.response)
                self.utter(turn, "utter_error")
                return
            self.utter(
                turn, message.response, message.variables, buttons=message.buttons, document=message.document
            )
            return
        if message.text or message.buttons or message.document:
            turn.say(message.text, message.buttons or (), message.document)
