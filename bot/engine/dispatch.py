"""Running one action by name: a response, a form, or a custom action through the runner."""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot.engine.domain import Domain
from bot.engine.events import ActionExecuted, ActiveLoop, FollowupAction, SlotSet
from bot.engine.responses import Renderer
from bot.engine.runner import ActionCall, ActionMessage, ActionResult, ActionRunner
from bot.engine.tracker import TrackerState
from bot.engine.turn import Turn

__all__ = ["ActionDispatcher", "AppliedResult"]

logger = logging.getLogger(__name__)

#: Guards against actions that keep asking for each other.
_MAX_FOLLOWUPS = 10


class AppliedResult:
    """What applying an action's result told the engine besides its events."""

    def __init__(self) -> None:
        #: Whether the action set `requested_slot`, and to what (None: the form is complete).
        self.requested: tuple[bool, str | None] = (False, None)


class ActionDispatcher:
    """Runs actions in a turn; forms are handed to the form loop through `activate_form`."""

    def __init__(self, domain: Domain, runner: ActionRunner, renderer: Renderer) -> None:
        self.domain = domain
        self.runner = runner
        self.renderer = renderer
        #: Set by the engine: starts a form (the form loop lives in its own module).
        self.activate_form: Callable[[Turn, str], None] = lambda _turn, _form: None

    def run(self, turn: Turn, name: str, depth: int = 0) -> None:
        """Run the action `name` and whatever it asks to run next."""
        if depth > _MAX_FOLLOWUPS:
            logger.error("Too many follow-up actions after %s", name)
            return
        if name == "action_listen":
            return
        if name in self.domain.forms:
            self.activate_form(turn, name)
            return
        if name.startswith("utter_"):
            turn.add(ActionExecuted(name=name))
            self.renderer.utter(turn, name)
            return
        if not self.runner.known(name):
            logger.error("Unknown action %s", name)
            self.run(turn, "utter_error", depth + 1)
            return
        result = self.call(turn, name)
        turn.add(ActionExecuted(name=name))
        self.apply(turn, result)
        for event in result.events:
            if isinstance(event, FollowupAction):
                self.run(turn, event.name, depth + 1)

    def call(self, turn: Turn, name: str) -> ActionResult:
        """Call a custom action with the current tracker; a failure becomes utter_error."""
        call = ActionCall(
            name=name,
            sender_id=turn.state.sender_id,
            tracker=turn.state.to_rasa(turn.channel),
            domain=self.domain.raw,
        )
        try:
            return self.runner.run(call)
        except Exception:
            logger.exception("Action %s failed", name)
            return ActionResult(events=[], messages=[ActionMessage(response="utter_error")])

    def apply(self, turn: Turn, result: ActionResult) -> AppliedResult:
        """Apply an action's events and say its messages."""
        applied = AppliedResult()
        state: TrackerState = turn.state
        for event in result.events:
            if isinstance(event, FollowupAction):
                continue
            if isinstance(event, SlotSet) and event.name == "requested_slot":
                applied.requested = (True, event.value)
                if event.value is None:
                    continue
            if isinstance(event, ActiveLoop) and event.name is None and state.active_loop is None:
                continue
            turn.add(event)
        for message in result.messages:
            self.renderer.message(turn, message)
        return applied
