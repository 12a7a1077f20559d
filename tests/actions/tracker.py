"""Building real rasa-sdk trackers for action tests."""

from __future__ import annotations

from typing import Any

import yaml
from rasa_sdk import Tracker

from tests.conftest import REPO_ROOT


def domain() -> dict[str, Any]:
    """The project's domain.yml as the action server receives it."""
    return dict(yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8")))


def tracker(
    slots: dict[str, Any],
    *,
    text: str = "",
    candidates: dict[str, Any] | None = None,
    active_loop: str | None = None,
) -> Tracker:
    """A tracker whose latest user message is `text`, followed by slot candidates as Rasa sends them."""
    events: list[dict[str, Any]] = [{"event": "user", "text": text, "parse_data": {"text": text}}]
    all_slots = dict(slots)
    for name, value in (candidates or {}).items():
        events.append({"event": "slot", "name": name, "value": value})
        all_slots[name] = value
    return Tracker(
        sender_id="prueba",
        slots=all_slots,
        latest_message={"text": text, "intent": {"name": None}, "entities": []},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=None,
    )
