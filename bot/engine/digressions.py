"""At a form's question: is the message an attempt at the value, or something else (a digression)?

The kinds, decided with the NLU's dialogue act (not keyword lists) and a few facts about the message:
- an answer: it looks like data (digits, an @, an entity, one long token), or it is the sí/no the slot
  takes, or it talks about the same trámite ("mi esposa" while registering family);
- a question about the step ("¿para qué quieren mi CURP?"), a "no sé"/"no la tengo", a wish to stop;
- a request for an agent, or a confident request for another trámite (a statement about another topic,
  "me sale error 500", is treated as a question);
- without a confident act (a Rasa server, a tapped button): the plain rule, a confident request
  interrupts and anything else is an answer.
Only answers reach the form's validation, so a validation error never answers a question.
Step help is data: `utter_ayuda_paso_<form>_<slot>`, `utter_ayuda_paso_<slot>` or `utter_ayuda_paso`.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.engine.dialogue import DialoguePolicy
from bot.engine.domain import Domain
from bot.engine.events import ParseData
from bot.engine.responses import Renderer
from bot.engine.turn import Turn

__all__ = ["Digressions", "Kind", "looks_like_data"]

_DIGIT_RUN = re.compile(r"\d{4,}")
#: Up to this many words, any digit makes a message an answer ("Av. Juárez 45, colonia Centro").
_SHORT = 6
#: Conversational intents that are never the value of a slot unless the slot takes them (sí/no).
_NOT_VALUES = ("saludo", "agradecer", "despedida")
_HELP = "utter_ayuda_paso"
_AGENT_OFFER = "utter_paso_con_agente"


class Kind(StrEnum):
    """What a message at a form's question is."""

    ANSWER = "respuesta"
    QUESTION = "pregunta"
    UNKNOWN = "no_se"
    EXIT = "salir"
    REQUEST = "solicitud"
    AGENT = "agente"


def looks_like_data(text: str, parse: ParseData) -> bool:
    """An entity, an @, one long/dotted token, or digits in a short message read as an answer.

    Digits in a long sentence ("me sale error 500 en la página") are part of what someone tells, unless
    they are a run long enough to be a number asked for (a CP, an NSS, a phone).
    """
    if "@" in text or parse.entities or _DIGIT_RUN.search(text):
        return True
    tokens = text.split()
    if any(ch.isdigit() for ch in text) and len(tokens) <= _SHORT:
        return True
    return len(tokens) == 1 and ("." in tokens[0] or len(tokens[0]) >= 10)


class Digressions:
    """Tells answers from digressions and says a step's help."""

    def __init__(self, domain: Domain, dialogue: DialoguePolicy, renderer: Renderer) -> None:
        self.domain = domain
        self.dialogue = dialogue
        self.renderer = renderer

    def takes_intent(self, intent: str, form: str, slot: str | None) -> bool:
        """Whether the slot asked now is filled by this intent (a sí/no question takes afirmar/negar)."""
        return any(
            m.type == "from_intent" and intent in m.intent and m.applies(form, slot)
            for m in self.domain.mappings.get(slot or "", [])
        )

    def kind(self, parse: ParseData, text: str, form: str, slot: str | None) -> Kind:
        """What the message is, at the question for `slot` of `form`."""
        intent = parse.intent or ""
        rules = self.domain.policy
        confident = parse.confidence >= rules.interrupt_threshold
        if looks_like_data(text, parse) or self.takes_intent(intent, form, slot):
            return Kind.ANSWER
        if confident and intent == self.dialogue.agent_intent:
            return Kind.AGENT
        act = self.dialogue.act(parse.act, parse.act_confidence)
        if act == "salir":
            return Kind.EXIT
        if act == "no_se":
            return Kind.UNKNOWN
        if act == "pregunta":
            return Kind.QUESTION
        if self.domain.starts_form(intent) == form:
            return Kind.ANSWER
        if confident and intent in rules.interrupting_intents:
            # Telling something about another topic ("me sale error 500 en la página") is not asking to
            # switch: it is answered like a question, and the form's question comes back.
            return Kind.QUESTION if act == "dato" else Kind.REQUEST
        if confident and intent in (self.dialogue.affirm_intent, self.dialogue.deny_intent, *_NOT_VALUES):
            # A bare "sí", "no" or "gracias" where a CURP or an address is asked: not the value, so no
            # error for it; the step's help says what is needed.
            return Kind.UNKNOWN
        return Kind.ANSWER

    def help(self, turn: Turn, form: str, slot: str) -> bool:
        """Say the step's help (most specific response first); False when the domain has none."""
        names = (f"{_HELP}_{form}_{slot}", f"{_HELP}_{slot}", _HELP)
        name = next((n for n in names if n in self.domain.responses), None)
        if name is None:
            return False
        self.renderer.utter(turn, name)
        return True

    def offer_agent(self, turn: Turn) -> None:
        """After repeated failed attempts: an agent or leaving the trámite, as buttons."""
        if _AGENT_OFFER in self.domain.responses:
            self.renderer.utter(turn, _AGENT_OFFER)
