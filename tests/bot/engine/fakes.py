"""Fakes for driving the engine alone: a scripted NLU, an in-memory store and a runner with canned results."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.engine import Domain, Engine, Incoming, Outgoing, load_domain
from bot.engine.events import Event
from bot.engine.ports import Claim, DuplicateMessage, MessageKey, TurnStart
from bot.engine.runner import ActionCall, ActionMessage, ActionResult

DOMAIN = """
version: "3.1"
intents: [saludo, pedir_cita, hablar_con_agente, afirmar, negar, despedida, ayuda]
entities: [curp]
slots:
  curp:
    type: text
    mappings:
      - type: from_entity
        entity: curp
      - type: from_text
        conditions: [{active_loop: cita_form, requested_slot: curp}]
  clave:
    type: text
    mappings:
      - type: from_text
        conditions: [{active_loop: cita_form, requested_slot: clave}]
  dia:
    type: text
    mappings:
      - type: from_text
        conditions: [{active_loop: cita_form, requested_slot: dia}]
forms:
  cita_form:
    required_slots: [curp, clave, dia]
actions: [validate_cita_form, action_agendar, action_handoff]
responses:
  utter_saludo: [{text: "Hola"}]
  utter_ayuda: [{text: "Te ayudo con citas"}]
  utter_despedida: [{text: "Adiós"}]
  utter_ask_curp: [{text: "¿Cuál es tu CURP?"}]
  utter_reask_curp: [{text: "¿Me la escribes de nuevo?"}]
  utter_ask_clave: [{text: "¿Cuál es tu clave?"}]
  utter_ask_dia: [{text: "¿Qué día, {curp}?"}]
  utter_quisiste_decir: [{text: "¿Quisiste decir…?"}]
  utter_no_entendi: [{text: "No te entendí"}]
  utter_ofrecer_agente: [{text: "¿Te comunico con un agente?"}]
  utter_cancelado: [{text: "Cancelé el trámite"}]
  utter_nada_que_cancelar: [{text: "No hay nada que cancelar"}]
  utter_regreso_asistente: [{text: "De nuevo conmigo"}]
  utter_mensaje_largo: [{text: "Muy largo"}]
  utter_archivo_no_esperado: [{text: "No necesito archivos"}]
  utter_media_no_soportada: [{text: "No puedo oír audios"}]
  utter_foto_de_documento: [{text: "Manda el archivo"}]
  utter_error: [{text: "Algo falló"}]
  utter_contrasena_borrada: [{text: "Borré tu mensaje"}]
  utter_contrasena_no_borrada: [{text: "Bórralo tú"}]
conversation_policy:
  interrupting_intents: [hablar_con_agente, ayuda, despedida, pedir_cita]
  interrupt_threshold: 0.7
  sensitive_slots: [clave]
  secret_slots: [clave]
  keep_slots: [curp]
  command_aliases: {start: saludo}
  fallbacks_before_agent: 3
  max_suggestions: 2
  suggestion_min_score: 0.05
  not_suggested: [negar]
  max_message_length: 50
  cancel_phrases: [cancelar, ya no quiero]
  resume_phrases: [volver al asistente]
  media_hints: {foto: utter_foto_de_documento}
  intent_titles: {saludo: Saludar, pedir_cita: Pedir cita, hablar_con_agente: Agente, afirmar: Sí,
                  negar: "No", despedida: Adiós, ayuda: Ayuda}
"""

RULES = """
rules:
  - rule: saludo
    steps: [{intent: saludo}, {action: utter_saludo}]
  - rule: ayuda
    steps: [{intent: ayuda}, {action: utter_ayuda}]
  - rule: despedida
    steps: [{intent: despedida}, {action: utter_despedida}]
  - rule: agente
    steps: [{intent: hablar_con_agente}, {action: action_handoff}]
  - rule: cita
    steps: [{intent: pedir_cita}, {action: cita_form}, {active_loop: cita_form}]
  - rule: agendar
    condition: [{active_loop: cita_form}]
    steps:
      - action: cita_form
      - active_loop: null
      - slot_was_set: [{requested_slot: null}]
      - action: action_agendar
"""


def small_domain(tmp_path: Path, domain: str = DOMAIN, rules: str = RULES) -> Domain:
    """The small domain above, written to `tmp_path` and loaded like the project's."""
    (tmp_path / "domain.yml").write_text(domain, encoding="utf-8")
    (tmp_path / "rules.yml").write_text(rules, encoding="utf-8")
    (tmp_path / "config.yml").write_text(
        yaml.safe_dump({"pipeline": [{"name": "FallbackClassifier", "threshold": 0.4}]}), encoding="utf-8"
    )
    return load_domain(tmp_path / "domain.yml", tmp_path / "rules.yml", tmp_path / "config.yml")


@dataclass
class ScriptedNlu:
    """Answers each text with the intent and confidence given for it (unknown text: saludo at 0.1).

    `acts` gives some texts a dialogue act and its confidence; the others have none (like a Rasa server).
    """

    parses: dict[str, tuple[str, float]] = field(default_factory=dict)
    entities: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    acts: dict[str, tuple[str, float]] = field(default_factory=dict)
    seen: list[str] = field(default_factory=list)

    def parse(self, text: str) -> _Parse:
        """The scripted parse of `text`."""
        self.seen.append(text)
        if text.startswith("/"):
            intent, confidence = text[1:].split("{", 1)[0], 1.0
            if "{" in text:
                values = json.loads("{" + text.split("{", 1)[1])
                entities = [{"entity": k, "value": v, "start": 0, "end": 0} for k, v in values.items()]
                ranking = [(intent, confidence)]
                return _Parse(text, intent, confidence, ranking, entities)
        else:
            intent, confidence = self.parses.get(text, ("saludo", 0.1))
        ranking = [(intent, confidence), ("pedir_cita", 0.3), ("ayuda", 0.2), ("negar", 0.2)]
        return _Parse(text, intent, confidence, ranking, self.entities.get(text, []), self.acts.get(text))


@dataclass(frozen=True)
class _Parse:
    text: str
    intent: str
    confidence: float
    ranking: list[tuple[str, float]]
    entities: list[dict[str, Any]]
    act: tuple[str, float] | None = None

    def to_rasa(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "text": self.text,
            "intent": {"name": self.intent, "confidence": self.confidence},
            "entities": self.entities,
            "intent_ranking": [{"name": n, "confidence": c} for n, c in self.ranking],
        }
        if self.act is not None:
            data["act"] = {"name": self.act[0], "confidence": self.act[1]}
        return data


class MemoryStore:
    """The conversation store in dicts: same contract as the SQL one (claims, snapshots, one lock)."""

    def __init__(self) -> None:
        self.log: dict[str, list[Event]] = {}
        self._claims: dict[tuple[str, str], Claim] = {}
        self.snapshots: dict[str, tuple[int, dict[str, Any]]] = {}
        self.reports: list[tuple[str, str, str, str | None]] = []
        self._lock = threading.Lock()

    @contextmanager
    def lock(self, conversation_id: str) -> Iterator[None]:
        """One lock for all conversations is enough for these tests."""
        with self._lock:
            yield

    def claim_of(self, channel: str, message_id: str) -> Claim | None:
        """The claim of a message id."""
        return self._claims.get((channel, message_id))

    def begin(self, conversation_id: str, channel: str, message_id: str) -> TurnStart:
        """This message's claim, the conversation's unfinished ones, the snapshot and what follows it."""
        snapshot, since = self.load(conversation_id)
        claim = self.claim_of(channel, message_id)
        return TurnStart(claim, self.unfinished(conversation_id), snapshot, since)

    def unfinished(self, conversation_id: str) -> list[Claim]:
        """Claims whose turn never finished."""
        return [c for c in self._claims.values() if c.conversation_id == conversation_id and not c.done]

    def load(self, conversation_id: str) -> tuple[dict[str, Any] | None, list[tuple[int, Event]]]:
        """The snapshot and the events after it."""
        seq, state = self.snapshots.get(conversation_id, (-1, None))  # type: ignore[arg-type]
        return state, self.records(conversation_id, seq)

    def receive(self, key: MessageKey, events: Sequence[Event], *, new: bool = True) -> int:
        """Claim and store."""
        if (key.channel, key.message_id) in self._claims:
            raise DuplicateMessage(key.message_id)
        log = self.log.setdefault(key.conversation_id, [])
        log.extend(events)
        claim = Claim(key.channel, key.message_id, key.conversation_id, len(log) - 1, False)
        self._claims[(key.channel, key.message_id)] = claim
        return len(log) - 1

    def finish(self, key: MessageKey, events: Sequence[Event], snapshot: dict[str, Any]) -> None:
        """Store the rest, the snapshot, and mark the claim done."""
        log = self.log.setdefault(key.conversation_id, [])
        log.extend(events)
        self.snapshots[key.conversation_id] = (len(log) - 1, snapshot)
        claim = self._claims[(key.channel, key.message_id)]
        self._claims[(key.channel, key.message_id)] = Claim(
            claim.channel, claim.message_id, claim.conversation_id, claim.user_seq, True
        )

    def open(self, conversation_id: str, channel: str, sender: str) -> None:
        """Create the conversation's log."""
        self.log.setdefault(conversation_id, [])

    def exists(self, conversation_id: str) -> bool:
        """Whether the conversation was created."""
        return conversation_id in self.log

    def records(self, conversation_id: str, after: int = -1) -> list[tuple[int, Event]]:
        """The events with their numbers."""
        return [(i, e) for i, e in enumerate(self.log.get(conversation_id, [])) if i > after]

    def record_delivery(
        self, channel: str, conversation_id: str, external_id: str, status: str, detail: str | None = None
    ) -> None:
        """Keep the report."""
        self.reports.append((conversation_id, external_id, status, detail))

    def deliveries(self, conversation_id: str) -> list[tuple[str, str, str | None]]:
        """The reports of a conversation."""
        return [(e, s, d) for c, e, s, d in self.reports if c == conversation_id]

    def stored(self, conversation_id: str) -> list[dict[str, Any]]:
        """The log as Rasa dicts."""
        return [e.to_dict() for e in self.log.get(conversation_id, [])]


Behaviour = Callable[[ActionCall], ActionResult]


class CannedRunner:
    """Runs custom actions by calling the behaviour given for each name; records every call."""

    def __init__(self, behaviours: Mapping[str, Behaviour]) -> None:
        self.behaviours = dict(behaviours)
        self.calls: list[ActionCall] = []

    def known(self, name: str) -> bool:
        """Only the actions given a behaviour exist."""
        return name in self.behaviours

    def run(self, call: ActionCall) -> ActionResult:
        """Record the call and return the behaviour's result."""
        self.calls.append(call)
        return self.behaviours[call.name](call)

    def names(self) -> list[str]:
        """The names of the actions called, in order."""
        return [c.name for c in self.calls]


def result(*events: Event, responses: Sequence[str] = (), **variables: Any) -> ActionResult:
    """An action result with typed events and messages naming domain responses."""
    return ActionResult(
        events=list(events), messages=[ActionMessage(response=r, variables=variables) for r in responses]
    )


class Person:
    """Someone chatting with an engine through one conversation."""

    def __init__(self, engine: Engine, conversation_id: str = "c1", channel: str = "terminal") -> None:
        self.engine = engine
        self.conversation_id = conversation_id
        self.channel = channel
        self._n = 0

    def send(self, text: str = "", **extra: Any) -> list[Outgoing]:
        """Send one message and return the replies."""
        self._n += 1
        incoming = Incoming(self.conversation_id, self.channel, "ana", f"m{self._n}", text=text, **extra)
        return self.engine.handle_blocking(incoming)

    def say(self, text: str = "", **extra: Any) -> list[str]:
        """Send one message and return the reply texts."""
        return [r.text for r in self.send(text, **extra)]
