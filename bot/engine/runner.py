"""Running rasa-sdk actions in-process through its executor, or over HTTP on an action server.

This is the action-server boundary: the call goes out as Rasa's JSON, and what comes back is turned into
typed events and typed messages here, so nothing past this module sees a Rasa dict.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from bot.engine.events import Event, event_from_dict
from bot.engine.messages import Button, Document

__all__ = [
    "ActionCall",
    "ActionMessage",
    "ActionResult",
    "ActionRunner",
    "ActionServerError",
    "HttpActionRunner",
    "InProcessActionRunner",
    "action_endpoint_url",
]

RASA_VERSION = "3.6.21"


class ActionServerError(RuntimeError):
    """The action server could not run an action."""


@dataclass(frozen=True)
class ActionCall:
    """One call of the action-server protocol."""

    name: str
    sender_id: str
    tracker: Mapping[str, Any]
    domain: Mapping[str, Any]

    def to_rasa(self) -> dict[str, Any]:
        """The JSON body Rasa posts to the action server."""
        return {
            "next_action": self.name,
            "sender_id": self.sender_id,
            "tracker": dict(self.tracker),
            "domain": dict(self.domain),
            "version": RASA_VERSION,
        }


@dataclass(frozen=True)
class ActionMessage:
    """A message an action sent through its dispatcher."""

    response: str | None = None
    text: str = ""
    buttons: tuple[Button, ...] | None = None
    document: Document | None = None
    #: Extra keyword arguments of `utter_message`: the response's variables.
    variables: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_rasa(cls, message: Mapping[str, Any]) -> ActionMessage:
        """Read one dispatcher message."""
        known = {"response", "template", "text", "buttons", "custom", "elements", "image", "attachment"}
        buttons = message.get("buttons")
        custom = message.get("custom") or {}
        doc = custom.get("document") if isinstance(custom, Mapping) else None
        return cls(
            response=message.get("response") or message.get("template"),
            text=str(message.get("text") or ""),
            buttons=tuple(Button(title=str(b["title"]), payload=str(b["payload"])) for b in buttons)
            if buttons
            else None,
            document=Document(
                path=str(doc["path"]),
                filename=str(doc["filename"]),
                mime=str(doc.get("mime", "application/pdf")),
            )
            if isinstance(doc, Mapping)
            else None,
            # A variable given as None renders as empty text (never falls back to a slot of that name).
            variables={k: ("" if v is None else v) for k, v in message.items() if k not in known},
        )


@dataclass(frozen=True)
class ActionResult:
    """What an action returned: typed events and its messages."""

    events: list[Event]
    messages: list[ActionMessage]

    @classmethod
    def from_rasa(cls, events: list[Mapping[str, Any]], responses: list[Mapping[str, Any]]) -> ActionResult:
        """Read the action server's answer."""
        return cls(
            events=[event_from_dict(e) for e in events],
            messages=[ActionMessage.from_rasa(m) for m in responses],
        )


class ActionRunner(Protocol):
    """Runs a custom action with the Rasa action-server call format."""

    def known(self, name: str) -> bool:
        """Whether this runner can run `name`."""
        ...

    def run(self, call: ActionCall) -> ActionResult:
        """Run the action and return its events and messages (blocking: called from a turn thread)."""
        ...


class InProcessActionRunner:
    """The embedded default: rasa-sdk's own executor, in this process."""

    def __init__(self, package: str = "actions") -> None:
        from rasa_sdk.executor import ActionExecutor

        self._executor = ActionExecutor()
        self._executor.register_package(package)
        # rasa-sdk is asyncio code; each turn thread keeps one event loop for it.
        self._loops = threading.local()

    def known(self, name: str) -> bool:
        """Whether the actions package defines `name`."""
        return name in self._executor.actions

    def run(self, call: ActionCall) -> ActionResult:
        """Run through `ActionExecutor.run`, exactly as the action server would."""
        loop: asyncio.AbstractEventLoop | None = getattr(self._loops, "loop", None)
        if loop is None:
            loop = self._loops.loop = asyncio.new_event_loop()
        result = loop.run_until_complete(self._executor.run(call.to_rasa()))  # type: ignore[arg-type]
        if result is None:
            raise ActionServerError("No action name in the call")
        return ActionResult.from_rasa(list(result.events), list(result.responses))


class HttpActionRunner:
    """A rasa-sdk action server reached over HTTP (`endpoints.yml` action_endpoint)."""

    def __init__(self, url: str, actions: list[str], timeout: float = 30.0) -> None:
        import httpx

        self._url = url
        self._actions = set(actions)
        self._client = httpx.Client(timeout=timeout)

    def known(self, name: str) -> bool:
        """Custom actions listed in the domain are served by the action server."""
        return name in self._actions

    def run(self, call: ActionCall) -> ActionResult:
        """POST the call to the webhook, as Rasa does."""
        response = self._client.post(self._url, json=call.to_rasa())
        if response.status_code != 200:
            raise ActionServerError(f"Action server answered {response.status_code} for {call.name}")
        body = response.json()
        return ActionResult.from_rasa(body.get("events", []), body.get("responses", []))


def action_endpoint_url(endpoints_file: Path) -> str | None:
    """The `action_endpoint.url` of an endpoints.yml, if it names one."""
    if not endpoints_file.exists():
        return None
    raw = yaml.safe_load(endpoints_file.read_text(encoding="utf-8")) or {}
    endpoint = raw.get("action_endpoint") or {}
    url = endpoint.get("url")
    return str(url) if url else None
