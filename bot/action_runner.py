"""Running rasa-sdk actions: in-process through its executor, or over HTTP on an action server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import yaml

__all__ = [
    "ActionResult",
    "ActionRunner",
    "ActionServerError",
    "HttpActionRunner",
    "InProcessActionRunner",
    "action_endpoint_url",
]


@dataclass(frozen=True)
class ActionResult:
    """What an action returned: Rasa event dicts and dispatcher messages."""

    events: list[dict[str, Any]]
    responses: list[dict[str, Any]]


class ActionServerError(RuntimeError):
    """The action server could not run an action."""


class ActionRunner(Protocol):
    """Runs a custom action with the Rasa action-server call format."""

    def known(self, name: str) -> bool:
        """Whether this runner can run `name`."""
        ...

    async def run(self, call: dict[str, Any]) -> ActionResult:
        """Run `call["next_action"]` and return its events and messages."""
        ...


class InProcessActionRunner:
    """The embedded default: rasa-sdk's own executor, in this process."""

    def __init__(self, package: str = "actions") -> None:
        from rasa_sdk.executor import ActionExecutor

        self._executor = ActionExecutor()
        self._executor.register_package(package)

    def known(self, name: str) -> bool:
        """Whether the actions package defines `name`."""
        return name in self._executor.actions

    async def run(self, call: dict[str, Any]) -> ActionResult:
        """Run through `ActionExecutor.run`, exactly as the action server would."""
        result = await self._executor.run(call)  # type: ignore[arg-type]
        if result is None:
            raise ActionServerError("No action name in the call")
        return ActionResult(events=list(result.events), responses=list(result.responses))


class HttpActionRunner:
    """A rasa-sdk action server reached over HTTP (`endpoints.yml` action_endpoint)."""

    def __init__(self, url: str, actions: list[str], timeout: float = 30.0) -> None:
        self._url = url
        self._actions = set(actions)
        self._timeout = timeout

    def known(self, name: str) -> bool:
        """Custom actions listed in the domain are served by the action server."""
        return name in self._actions

    async def run(self, call: dict[str, Any]) -> ActionResult:
        """POST the call to the webhook, as Rasa does."""
        import httpx

        async with httpx.AsyncClient(timeout=self._timeout) as client:
            response = await client.post(self._url, json=call)
        if response.status_code != 200:
            raise ActionServerError(
                f"Action server answered {response.status_code} for {call.get('next_action')}"
            )
        body = response.json()
        return ActionResult(events=body.get("events", []), responses=body.get("responses", []))


def action_endpoint_url(endpoints_file: Path) -> str | None:
    """The `action_endpoint.url` of an endpoints.yml, if it names one."""
    if not endpoints_file.exists():
        return None
    raw = yaml.safe_load(endpoints_file.read_text(encoding="utf-8")) or {}
    endpoint = raw.get("action_endpoint") or {}
    url = endpoint.get("url")
    return str(url) if url else None
