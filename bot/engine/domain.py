"""The Rasa-format domain (domain.yml), its rules and the policy data, loaded into typed objects."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.engine.rules import Rule, load_rules
from tramites.texto import fold

__all__ = ["Domain", "DomainError", "Policy", "SlotMapping", "load_domain"]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class DomainError(ValueError):
    """domain.yml or config.yml lacks something the engine needs; the message says what."""


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
class Policy:
    """How the engine decides, as data: domain.yml `conversation_policy` and config.yml thresholds."""

    #: Below this NLU confidence a typed message gets "¿Quisiste decir…?" (config.yml FallbackClassifier).
    fallback_threshold: float
    #: Intents whose examples hold no slot values: a confident one leaves the form's question.
    interrupting_intents: frozenset[str]
    interrupt_threshold: float
    #: While one of these is asked, what the person types is kept out of the store and the NLU.
    sensitive_slots: frozenset[str]
    #: Values of these slots are never written.
    secret_slots: frozenset[str]
    #: Identity slots that outlive a cancelled or finished trámite.
    keep_slots: frozenset[str]
    #: Channel commands that arrive as payloads ("/start") and the intent they mean.
    command_aliases: Mapping[str, str]
    fallbacks_before_agent: int
    max_suggestions: int
    suggestion_min_score: float
    not_suggested: frozenset[str]
    max_message_length: int
    cancel_phrases: frozenset[str]
    resume_phrases: frozenset[str]
    #: The title of each intent on "¿Quisiste decir…?" buttons.
    intent_titles: Mapping[str, str]
    #: An extra response for some media we cannot read (a photo may be a document: ask for the file).
    media_hints: Mapping[str, str] = field(default_factory=dict)
    #: After this idle time a new session starts (Rasa's session_expiration_time; 0: never).
    session_expiration_minutes: float = 60.0
    #: Slots a new session keeps; identity data is not among them, so the next person on a shared phone
    #: does not inherit it.
    session_carry_over_slots: frozenset[str] = frozenset()

    def is_cancel(self, text: str) -> bool:
        """Whether the person asked to leave the current trámite."""
        folded = fold(text).strip(" .,")
        return folded in self.cancel_phrases or folded.startswith("cancelar ") or folded == "/cancelar"

    def is_resume(self, text: str) -> bool:
        """Whether the person asked to go back to the assistant after a handoff."""
        return fold(text).strip(" .,") in self.resume_phrases

    def intent_title(self, intent: str) -> str:
        """The Spanish title of an intent."""
        return self.intent_titles.get(intent, intent.replace("_", " ").capitalize())


@dataclass
class Domain:
    """Intents, slots, forms, responses, actions, rules and policy of the assistant."""

    raw: dict[str, Any]
    intents: list[str]
    slots: dict[str, dict[str, Any]]
    mappings: dict[str, list[SlotMapping]]
    forms: dict[str, list[str]]
    responses: dict[str, list[dict[str, Any]]]
    actions: list[str]
    policy: Policy
    rules: list[Rule] = field(default_factory=list)

    def initial_slots(self) -> dict[str, Any]:
        """Every slot at its initial value."""
        return {name: spec.get("initial_value") for name, spec in self.slots.items()}

    def render(
        self, name: str, variables: Mapping[str, Any], pick: Callable[[list[Any]], Any] | None = None
    ) -> dict[str, Any]:
        """Pick a response variant and fill its `{name}` placeholders from `variables`."""
        variants = self.responses.get(name)
        if not variants:
            raise KeyError(f"Response {name!r} is not in the domain")
        chosen = pick(variants) if pick else variants[0]

        def fill(match: re.Match[str]) -> str:
            value = variables.get(match.group(1))
            return "" if value is None else str(value)

        rendered = dict(chosen)
        if "text" in rendered:
            rendered["text"] = _PLACEHOLDER.sub(fill, str(rendered["text"]))
        return rendered

    def rule_for_intent(self, intent: str, slots: Mapping[str, Any] | None = None) -> Rule | None:
        """The first rule the intent triggers whose slot conditions hold."""
        for rule in self.rules:
            if rule.intent == intent and rule.active_loop is None and rule.applies_to(slots or {}):
                return rule
        return None

    def submit_actions(self, form: str) -> tuple[str, ...]:
        """Actions that run once `form` has every slot (the rule's steps after `active_loop: null`)."""
        for rule in self.rules:
            if rule.active_loop == form:
                return rule.actions
        return ()

    def starts_form(self, intent: str) -> str | None:
        """The form the intent's rule starts, if any."""
        rule = self.rule_for_intent(intent)
        return next((a for a in rule.actions if a in self.forms), None) if rule else None


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (str(value),)


def _mapping(spec: dict[str, Any]) -> SlotMapping:
    conditions = tuple((c.get("active_loop"), c.get("requested_slot")) for c in spec.get("conditions", []))
    return SlotMapping(
        type=spec["type"],
        entity=spec.get("entity"),
        intent=_as_tuple(spec.get("intent")),
        not_intent=_as_tuple(spec.get("not_intent")),
        value=spec.get("value"),
        conditions=conditions,
    )


def _fallback_threshold(config_path: Path | None) -> float:
    """FallbackClassifier's threshold in config.yml (Rasa's own key for it)."""
    if config_path is None or not config_path.exists():
        return 0.45
    config = yaml.safe_load(config_path.read_text(encoding="utf-8")) or {}
    for component in config.get("pipeline") or []:
        if component.get("name") == "FallbackClassifier":
            return float(component.get("threshold", 0.3))
    return 0.3


def _policy(raw: Mapping[str, Any], intents: list[str], fallback_threshold: float) -> Policy:
    spec = raw.get("conversation_policy")
    if not isinstance(spec, Mapping):
        raise DomainError("domain.yml no tiene el bloque conversation_policy.")
    session = raw.get("session_config") or {}
    if session.get("carry_over_slots_to_new_session"):
        raise DomainError(
            "session_config.carry_over_slots_to_new_session debe ser false: los datos de identidad no "
            "pasan a la sesión siguiente; los que sí pasan se listan en "
            "conversation_policy.session_carry_over_slots."
        )

    def names(key: str) -> frozenset[str]:
        return frozenset(str(v) for v in spec.get(key) or [])

    titles = {str(k): str(v) for k, v in (spec.get("intent_titles") or {}).items()}
    missing = [i for i in intents if i not in titles]
    if missing:
        raise DomainError(f"conversation_policy.intent_titles no tiene título para: {', '.join(missing)}.")
    return Policy(
        fallback_threshold=fallback_threshold,
        interrupting_intents=names("interrupting_intents"),
        interrupt_threshold=float(spec.get("interrupt_threshold", 0.7)),
        sensitive_slots=names("sensitive_slots"),
        secret_slots=names("secret_slots"),
        keep_slots=names("keep_slots"),
        command_aliases={str(k): str(v) for k, v in (spec.get("command_aliases") or {}).items()},
        fallbacks_before_agent=int(spec.get("fallbacks_before_agent", 3)),
        max_suggestions=int(spec.get("max_suggestions", 3)),
        suggestion_min_score=float(spec.get("suggestion_min_score", 0.02)),
        not_suggested=names("not_suggested"),
        max_message_length=int(spec.get("max_message_length", 1500)),
        cancel_phrases=frozenset(fold(p) for p in spec.get("cancel_phrases") or []),
        resume_phrases=frozenset(fold(p) for p in spec.get("resume_phrases") or []),
        intent_titles=titles,
        media_hints={str(k): str(v) for k, v in (spec.get("media_hints") or {}).items()},
        session_expiration_minutes=float(session.get("session_expiration_time", 60)),
        session_carry_over_slots=names("session_carry_over_slots"),
    )


def load_domain(path: Path, rules_path: Path | None = None, config_path: Path | None = None) -> Domain:
    """Read domain.yml, the rules file and config.yml's thresholds into a `Domain`."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    slots: dict[str, dict[str, Any]] = raw.get("slots", {}) or {}
    intents = [i if isinstance(i, str) else next(iter(i)) for i in raw.get("intents", [])]
    domain = Domain(
        raw=raw,
        intents=intents,
        slots=slots,
        mappings={name: [_mapping(m) for m in spec.get("mappings", [])] for name, spec in slots.items()},
        forms={
            name: list((spec or {}).get("required_slots", []))
            for name, spec in (raw.get("forms", {}) or {}).items()
        },
        responses=raw.get("responses", {}) or {},
        actions=list(raw.get("actions", []) or []),
        policy=_policy(raw, intents, _fallback_threshold(config_path)),
    )
    if rules_path is not None and rules_path.exists():
        domain.rules = load_rules(rules_path)
    return domain
