"""How the engine handles what people say besides answers, as data: domain.yml `conversation_policy`.

These keys sit next to the ones `bot.engine.domain.Policy` reads; each has a default, so a domain that
does not use them (or a test's small domain) keeps the plain form behaviour.

- `act_threshold`: below this confidence the NLU's dialogue act (pregunta, solicitud, no_se, salir,
  dato) is ignored. A tapped button or a Rasa server gives act "solicitud" with confidence 0.
- `start_form_acts`: outside a form, only these acts start a trámite; a question or a "no sé" about one
  gets an answer (`guidance_action`) with a button to start it.
- `guidance_action`, `out_of_scope_action`, `out_of_scope_intent`, `out_of_scope_margin`: who answers
  questions; who routes out-of-scope messages, also at low confidence when the out-of-scope intent leads
  the next intent by at least the margin (so no trámite buttons are offered for them).
- `attempts_before_help`: after this many failed attempts at one value, the step's help and an agent.
- `slot_providers`: slot -> the intent whose trámite gives it (nss -> obtener_nss); switching to it from
  that question is a detour, and the trámite asked for first resumes after it.
- `conversation_slots`: the names of the slots the engine keeps its own memory in (pending request, last
  trámite finished, failed attempts, offered trámite, identity confirmed for this trámite).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.engine.domain import Domain, DomainError

__all__ = ["ConversationSlots", "DialoguePolicy", "dialogue_policy"]


@dataclass(frozen=True)
class ConversationSlots:
    """Where the engine keeps what it must remember between messages."""

    #: The form a detour interrupted, to resume after it.
    pending: str = "pendiente"
    #: The form that last finished (a follow-up such as "ahora la de mi esposa" refers to it).
    last_form: str = "ultimo_tramite"
    #: The form that last started, finished or not (starting it again goes on with the same person).
    last_started: str = "tramite_iniciado"
    #: Failed attempts at the value asked now.
    failed_attempts: str = "intentos_fallidos"
    #: The intent an answer offered to start (a "sí" accepts it).
    offer: str = "oferta"
    #: The identity confirmed for the current trámite; cleared when a different trámite starts.
    identity_confirmed: str = "identidad_confirmada"
    #: The slot whose value that confirmation is about.
    identity: str = "curp"


@dataclass(frozen=True)
class DialoguePolicy:
    """The `conversation_policy` keys about digressions, questions, offers and detours."""

    act_threshold: float = 0.6
    start_form_acts: frozenset[str] = frozenset({"solicitud"})
    guidance_action: str | None = None
    out_of_scope_action: str | None = None
    out_of_scope_intent: str = "fuera_de_alcance"
    out_of_scope_margin: float = 0.1
    agent_intent: str = "hablar_con_agente"
    affirm_intent: str = "afirmar"
    deny_intent: str = "negar"
    attempts_before_help: int = 2
    slot_providers: Mapping[str, str] = field(default_factory=dict)
    slots: ConversationSlots = field(default_factory=ConversationSlots)

    def act(self, act: str | None, confidence: float) -> str | None:
        """The dialogue act, when the NLU gave one confidently enough to act on."""
        return act if act is not None and confidence >= self.act_threshold else None


def _number(spec: Mapping[str, Any], key: str, default: float) -> float:
    value = spec.get(key, default)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise DomainError(f"conversation_policy.{key} debe ser un número, no {value!r}.")
    return float(value)


def dialogue_policy(domain: Domain) -> DialoguePolicy:
    """Read the keys from the domain's `conversation_policy` (missing ones take their defaults)."""
    spec: Mapping[str, Any] = domain.raw.get("conversation_policy") or {}
    names = spec.get("conversation_slots") or {}
    try:
        slots = ConversationSlots(**{str(k): str(v) for k, v in names.items()})
    except TypeError as error:
        raise DomainError(f"conversation_policy.conversation_slots: {error}") from None
    defaults = DialoguePolicy()
    return DialoguePolicy(
        act_threshold=_number(spec, "act_threshold", defaults.act_threshold),
        start_form_acts=frozenset(str(a) for a in spec.get("start_form_acts") or defaults.start_form_acts),
        guidance_action=spec.get("guidance_action"),
        out_of_scope_action=spec.get("out_of_scope_action"),
        out_of_scope_intent=str(spec.get("out_of_scope_intent", defaults.out_of_scope_intent)),
        out_of_scope_margin=_number(spec, "out_of_scope_margin", defaults.out_of_scope_margin),
        attempts_before_help=int(_number(spec, "attempts_before_help", defaults.attempts_before_help)),
        slot_providers={str(k): str(v) for k, v in (spec.get("slot_providers") or {}).items()},
        slots=slots,
    )
