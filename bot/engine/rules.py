"""Rasa rules (data/rules.yml) read into the two shapes the policy follows; anything else is refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Rule", "RuleError", "load_rules"]

_NULL = object()


class RuleError(ValueError):
    """A rule uses a step or condition the engine does not follow; the message names file and rule."""


@dataclass(frozen=True)
class Rule:
    """A trigger and the actions that follow.

    Either an intent rule (`intent` set: the person says it, the actions run) or a form-submit rule
    (`active_loop` set: once that form has every slot, the actions run).
    """

    name: str
    intent: str | None
    actions: tuple[str, ...]
    active_loop: str | None = None
    #: Slot values the rule requires (`slot_was_set` conditions), e.g. (("nss", None),).
    slots: tuple[tuple[str, Any], ...] = ()

    def applies_to(self, slots: Mapping[str, Any]) -> bool:
        """Whether the conversation's slots meet the rule's `slot_was_set` conditions."""
        return all(_slot_matches(slots.get(name), expected) for name, expected in self.slots)


def _slot_matches(value: Any, expected: Any) -> bool:
    # As in Rasa's rules: a value in the condition must match; `null` means "not set"; any other
    # featurisation is out of scope, so a condition without a value means "set to anything".
    if expected is _NULL:
        return value is not None
    return bool(value == expected)


class _Reader:
    """Reads one rule, refusing what the engine would otherwise silently ignore."""

    def __init__(self, path: Path, item: Mapping[str, Any]) -> None:
        self.path = path
        self.name = str(item.get("rule") or "(sin nombre)")
        self.item = item

    def fail(self, what: str) -> RuleError:
        return RuleError(f"{self.path}: la regla «{self.name}» usa {what}, que el asistente no sigue.")

    def slot_conditions(self, spec: Any) -> list[tuple[str, Any]]:
        entries = spec if isinstance(spec, list) else [spec]
        found: list[tuple[str, Any]] = []
        for entry in entries:
            if isinstance(entry, str):
                found.append((entry, _NULL))
            elif isinstance(entry, Mapping):
                found.extend((str(k), v) for k, v in entry.items())
            else:
                raise self.fail(f"slot_was_set: {entry!r}")
        return found

    def read(self) -> Rule:
        unknown = set(self.item) - {"rule", "condition", "steps", "wait_for_user_input"}
        if unknown:
            raise self.fail(", ".join(sorted(unknown)))
        if self.item.get("wait_for_user_input") is False:
            raise self.fail("wait_for_user_input: false")
        loop: str | None = None
        slots: list[tuple[str, Any]] = []
        for condition in self.item.get("condition") or []:
            if "active_loop" in condition and len(condition) == 1:
                loop = condition["active_loop"]
            elif "slot_was_set" in condition and len(condition) == 1:
                slots.extend(self.slot_conditions(condition["slot_was_set"]))
            else:
                raise self.fail(f"la condición {condition!r}")
        return self._steps(loop, slots)

    def _steps(self, loop: str | None, slots: list[tuple[str, Any]]) -> Rule:
        intent: str | None = None
        actions: list[str] = []
        submitted = False
        for step in self.item.get("steps") or []:
            if not isinstance(step, Mapping) or len(step) != 1:
                raise self.fail(f"el paso {step!r}")
            key, value = next(iter(step.items()))
            if key == "intent" and intent is None and not actions and loop is None:
                intent = str(value)
            elif key == "action" and loop is not None and value == loop and not submitted:
                continue  # the form's own step before `active_loop: null`
            elif key == "action":
                actions.append(str(value))
            elif key == "active_loop" and loop is not None and value is None:
                submitted = True
            elif key == "active_loop" and loop is None and actions and value == actions[-1]:
                continue  # `- action: form` then `- active_loop: form` activates it
            elif (
                key == "slot_was_set"
                and submitted
                and self.slot_conditions(value) == [("requested_slot", None)]
            ):
                continue  # the form filled its last slot: the submit pattern of Rasa's docs
            else:
                raise self.fail(f"el paso «{key}: {value}» en esa posición")
        if loop is not None and not submitted:
            raise self.fail(f"active_loop: {loop} sin «active_loop: null»")
        if loop is None and intent is None:
            raise self.fail("pasos sin una intención que los dispare")
        return Rule(
            name=self.name, intent=intent, actions=tuple(actions), active_loop=loop, slots=tuple(slots)
        )


def load_rules(path: Path) -> list[Rule]:
    """Read a Rasa rules file; raises `RuleError` naming the file and rule for any unsupported step."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [_Reader(path, item).read() for item in raw.get("rules") or []]
