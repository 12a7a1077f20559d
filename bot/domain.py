"""The Rasa-format domain (domain.yml) and rules, loaded into typed objects."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Domain", "Rule", "SlotMapping", "load_domain", "load_rules"]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class SlotMapping:
    """One way a slot is filled from a user message (Rasa 3 slot mapping)."""

    type: str
    entity: str | None = None
    intent: tuple[str, ...] = ()
    not_intent: tuple[str, ...] = ()
    value: Any = None
    conditions: tuple[tuple[str | None, str | None], ...] = ()

    def applies(self, active_loop: str | None, requested_slot: str | None) -> bool:
        """Whether the mapping's conditions hold for the current form state."""
        if not self.conditions:
            return True
        return any(
            loop == active_loop and (slot is None or slot == requested_slot) for loop, slot in self.conditions
        )


@dataclass(frozen=True)
class Rule:
    """A Rasa rule reduced to what the policy needs: a trigger and the actions that follow."""

    name: str
    intent: str | None
    actions: tuple[str, ...]
    active_loop: str | None = None


@dataclass
class Domain:
    """Intents, slots, forms, responses and actions of the assistant."""

    raw: dict[str, Any]
    intents: list[str]
    slots: dict[str, dict[str, Any]]
    mappings: dict[str, list[SlotMapping]]
    forms: dict[str, list[str]]
    responses: dict[str, list[dict[str, Any]]]
    actions: list[str]
    rules: list[Rule] = field(default_factory=list)

    def initial_slots(self) -> dict[str, Any]:
        """Every slot at its initial value."""
        return {name: spec.get("initial_value") for name, spec in self.slots.items()}

    def render(
        self, name: str, slots: dict[str, Any], pick: Callable[[list[Any]], Any] | None = None
    ) -> dict[str, Any]:
        """Pick a response variant and fill `{slot}` placeholders."""
        variants = self.responses.get(name)
        if not variants:
            raise KeyError(f"Response {name!r} is not in the domain")
        chosen = pick(variants) if pick else variants[0]

        def fill(match: re.Match[str]) -> str:
            value = slots.get(match.group(1))
            return "" if value is None else str(value)

        rendered = dict(chosen)
        if "text" in rendered:
            rendered["text"] = _PLACEHOLDER.sub(fill, str(rendered["text"]))
        return rendered

    def rule_for_intent(self, intent: str) -> Rule | None:
        """The rule a plain intent triggers, if any."""
        for rule in self.rules:
            if rule.intent == intent and rule.active_loop is None:
                return rule
        return None

    def submit_actions(self, form: str) -> tuple[str, ...]:
        """Actions that run once `form` has every slot (the rule's steps after `active_loop: null`)."""
        for rule in self.rules:
            if rule.active_loop == form:
                return rule.actions
        return ()


def _mapping(spec: dict[str, Any]) -> SlotMapping:
    def as_tuple(value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        return tuple(value) if isinstance(value, list) else (str(value),)

    conditions = tuple(
        (cond.get("active_loop"), cond.get("requested_slot")) for cond in spec.get("conditions", [])
    )
    return SlotMapping(
        type=spec["type"],
        entity=spec.get("entity"),
        intent=as_tuple(spec.get("intent")),
        not_intent=as_tuple(spec.get("not_intent")),
        value=spec.get("value"),
        conditions=conditions,
    )


def load_domain(path: Path, rules_path: Path | None = None) -> Domain:
    """Read domain.yml (and the rules file beside it) into a `Domain`."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    slots: dict[str, dict[str, Any]] = raw.get("slots", {}) or {}
    forms = {
        name: list((spec or {}).get("required_slots", []))
        for name, spec in (raw.get("forms", {}) or {}).items()
    }
    domain = Domain(
        raw=raw,
        intents=[i if isinstance(i, str) else next(iter(i)) for i in raw.get("intents", [])],
        slots=slots,
        mappings={name: [_mapping(m) for m in spec.get("mappings", [])] for name, spec in slots.items()},
        forms=forms,
        responses=raw.get("responses", {}) or {},
        actions=list(raw.get("actions", []) or []),
    )
    if rules_path is not None and rules_path.exists():
        domain.rules = load_rules(rules_path)
    return domain


def load_rules(path: Path) -> list[Rule]:
    """Read a Rasa rules file into trigger → actions pairs."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rules: list[Rule] = []
    for item in raw.get("rules", []) or []:
        intent: str | None = None
        loop: str | None = None
        actions: list[str] = []
        for condition in item.get("condition", []) or []:
            if "active_loop" in condition:
                loop = condition["active_loop"]
        for step in item.get("steps", []) or []:
            if "intent" in step:
                intent = step["intent"]
            elif "action" in step:
                if loop is not None and step["action"] == loop:
                    continue
                actions.append(step["action"])
            elif "active_loop" in step and step["active_loop"] is not None and loop is None:
                # `- action: form` followed by `- active_loop: form` activates it; the
                # action step already says which form.
                continue
        rules.append(Rule(name=item.get("rule", ""), intent=intent, actions=tuple(actions), active_loop=loop))
    return rules
