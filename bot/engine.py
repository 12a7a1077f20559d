"""The turn loop: dedupe, persist, parse, decide, run actions, persist, reply."""

from __future__ import annotations

import asyncio
import logging
import time
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.action_runner import ActionResult, ActionRunner
from bot.domain import Domain
from bot.labels import intent_label
from bot.messages import Button, Document, Incoming, Outgoing
from bot.store import ConversationStore
from bot.text import is_cancel, is_resume
from bot.tracker import TrackerState

__all__ = ["MAX_TEXT_LENGTH", "AttachmentSink", "Engine", "InterpreterLike", "ParseLike"]

logger = logging.getLogger(__name__)

#: Longer messages are answered with a request to split them; NLU never sees them.
MAX_TEXT_LENGTH = 1500
#: Intents whose examples hold no slot values, so a confident one interrupts a form.
_INTERRUPTING = {
    "hablar_con_agente",
    "ayuda",
    "obtener_nss",
    "vigencia_derechos",
    "cambio_clinica",
    "semanas_cotizadas",
    "registrar_beneficiarios",
    "incapacidades",
    "cita_medica",
    "crear_cuenta",
    "actualizar_datos",
    "patron_tramites",
    "despedida",
}
#: Channel commands that arrive as payloads: Telegram opens every chat with "/start".
_INTENT_ALIASES = {"start": "saludo", "help": "ayuda", "ayuda_menu": "ayuda"}
_MAX_FOLLOWUPS = 10
_FALLBACKS_BEFORE_AGENT = 3
_REDACTED = "••••••"


class ParseLike(Protocol):
    """What the engine needs from an NLU parse."""

    intent: str
    confidence: float
    ranking: list[tuple[str, float]]

    def to_rasa(self) -> dict[str, Any]:
        """Rasa parse_data."""
        ...


class InterpreterLike(Protocol):
    """Anything that parses text into intent and entities."""

    def parse(self, text: str) -> Any:
        """Parse one message."""
        ...


class HeldAttachment(Protocol):
    """What became of an upload; its metadata is what the actions see."""

    def to_metadata(self) -> dict[str, Any]:
        """JSON-ready metadata for the user event."""
        ...


class AttachmentSink(Protocol):
    """Holds an uploaded file for a form (encrypted) and returns a reference to it."""

    def hold(self, conversation_id: str, filename: str, data: bytes | None, size: int) -> HeldAttachment:
        """Keep the file (or refuse it; `data=None`: not downloaded, over the size limit)."""
        ...

    def release_conversation(self, conversation_id: str) -> None:
        """Forget every held file of a conversation."""
        ...


@dataclass
class _Turn:
    """Events and messages produced while handling one incoming message."""

    state: TrackerState
    channel: str
    sensitive: bool
    new_events: list[dict[str, Any]] = field(default_factory=list)
    outgoing: list[Outgoing] = field(default_factory=list)
    delete_message_id: str | None = None

    def add(self, event: dict[str, Any]) -> None:
        event.setdefault("timestamp", time.time())
        self.state.apply(event)
        self.new_events.append(event)

    def say(self, text: str, buttons: Iterable[Button] = (), document: Document | None = None) -> None:
        data: dict[str, Any] = {"buttons": [{"title": b.title, "payload": b.payload} for b in buttons]}
        if document is not None:
            data["custom"] = {
                "document": {"path": document.path, "filename": document.filename, "mime": document.mime}
            }
        self.add({"event": "bot", "text": text, "data": data, "metadata": {}})
        self.outgoing.append(Outgoing(text=text, buttons=tuple(buttons), document=document))


class Engine:
    """Handles one incoming message at a time per conversation; all state lives in the store."""

    def __init__(
        self,
        *,
        store: ConversationStore,
        interpreter: InterpreterLike,
        domain: Domain,
        runner: ActionRunner,
        confidence_threshold: float = 0.45,
        sensitive_slots: Iterable[str] = ("efirma_password", "efirma_key"),
        secret_slots: Iterable[str] = ("efirma_password",),
        attachments: AttachmentSink | None = None,
    ) -> None:
        self.store = store
        self.interpreter = interpreter
        self.domain = domain
        self.runner = runner
        self.threshold = confidence_threshold
        # While these slots are asked for, whatever the person types is kept out of the store and
        # the NLU: people type their password when the bot asks for the .key file, too.
        self.sensitive_slots = frozenset(sensitive_slots)
        # Values of these slots are never written.
        self.secret_slots = frozenset(secret_slots)
        self.attachments = attachments
        # One turn at a time per conversation in this process; idle conversations drop their lock.
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    def tracker(self, conversation_id: str) -> TrackerState:
        """The conversation's current state, rebuilt from the store."""
        return TrackerState.from_events(
            conversation_id, self.domain.initial_slots(), self.store.events(conversation_id)
        )

    async def handle(self, incoming: Incoming) -> list[Outgoing]:
        """Process one message; a redelivered message id yields no reply."""
        lock = self._locks.get(incoming.conversation_id)
        if lock is None:
            lock = self._locks[incoming.conversation_id] = asyncio.Lock()
        async with lock:
            if not self.store.claim_message(incoming.channel, incoming.message_id, incoming.conversation_id):
                logger.info("Duplicate message %s on %s ignored", incoming.message_id, incoming.channel)
                return []
            self.store.ensure_conversation(incoming.conversation_id, incoming.channel, incoming.sender)
            state = self.tracker(incoming.conversation_id)
            sensitive = (
                state.requested_slot in self.sensitive_slots
                and incoming.attachment is None
                and not self._is_button_payload(incoming.text)
            )
            turn = _Turn(state=state, channel=incoming.channel, sensitive=sensitive)
            parse = self._user_event(turn, incoming)
            # The person's message is stored before anything else can fail.
            self.store.append(incoming.conversation_id, [self._stored(turn, e) for e in turn.new_events])
            stored_upto = len(turn.new_events)
            try:
                await self._decide(turn, incoming, parse)
            finally:
                self.store.append(
                    incoming.conversation_id,
                    [self._stored(turn, e) for e in turn.new_events[stored_upto:]],
                )
            if turn.sensitive and incoming.deletable and turn.outgoing:
                first = turn.outgoing[0]
                turn.outgoing[0] = Outgoing(
                    text=first.text,
                    buttons=first.buttons,
                    document=first.document,
                    delete_message_id=incoming.message_id,
                )
            return turn.outgoing

    # -- parsing -------------------------------------------------------------------------

    def _is_button_payload(self, text: str) -> bool:
        """A tapped button ("/intent" or "/intent{...}") is never a secret."""
        stripped = text.strip()
        name = stripped[1:].split("{", 1)[0]
        return stripped.startswith("/") and (name in self.domain.intents or name in _INTENT_ALIASES)

    def _user_event(self, turn: _Turn, incoming: Incoming) -> dict[str, Any] | None:
        metadata: dict[str, Any] = {}
        if incoming.deletable:
            # Lets an action tell the person that their message (e.g. a password) was deleted.
            metadata["deletable"] = True
        parse_data: dict[str, Any]
        if incoming.attachment is not None:
            parse_data = {
                "text": incoming.text,
                "intent": {"name": "adjuntar_archivo", "confidence": 1.0},
                "entities": [],
                "intent_ranking": [],
            }
            if self.attachments is not None:
                metadata["attachment"] = self.attachments.hold(
                    incoming.conversation_id,
                    incoming.attachment.filename,
                    incoming.attachment.data,
                    incoming.attachment.size,
                ).to_metadata()
            else:
                metadata["attachment"] = {
                    "filename": incoming.attachment.filename,
                    "size": incoming.attachment.size,
                    "mime": incoming.attachment.mime,
                }
            result = None
        elif len(incoming.text) > MAX_TEXT_LENGTH or turn.sensitive:
            parse_data = {
                "text": incoming.text,
                "intent": {"name": None, "confidence": 0.0},
                "entities": [],
                "intent_ranking": [],
            }
            result = None
        else:
            result = self.interpreter.parse(incoming.text)
            parse_data = result.to_rasa()
        turn.add(
            {
                "event": "user",
                "text": incoming.text,
                "parse_data": parse_data,
                "input_channel": incoming.channel,
                "message_id": incoming.message_id,
                "metadata": metadata,
                "timestamp": incoming.time.timestamp(),
            }
        )
        return result

    def _stored(self, turn: _Turn, event: dict[str, Any]) -> dict[str, Any]:
        """The copy of an event that may be written: secrets replaced."""
        if event.get("event") == "user" and turn.sensitive:
            hidden = dict(event)
            hidden["text"] = _REDACTED
            hidden["parse_data"] = {**event.get("parse_data", {}), "text": _REDACTED}
            return hidden
        if event.get("event") == "slot" and event.get("name") in self.secret_slots and event.get("value"):
            return {**event, "value": _REDACTED}
        return event

    # -- policy --------------------------------------------------------------------------

    async def _decide(self, turn: _Turn, incoming: Incoming, parse: Any) -> None:
        state = turn.state
        if state.paused:
            if is_resume(incoming.text) or is_cancel(incoming.text):
                turn.add({"event": "resume"})
                await self._run_action(turn, "utter_regreso_asistente")
            # Otherwise the message waits in the agent inbox.
            return
        if len(incoming.text) > MAX_TEXT_LENGTH:
            await self._run_action(turn, "utter_mensaje_largo")
            if state.active_loop and state.requested_slot:
                await self._ask(turn, state.active_loop, state.requested_slot)
            return
        if incoming.attachment is None and is_cancel(incoming.text):
            await self._cancel(turn)
            return
        if state.active_loop:
            if parse is not None and self._interrupts(parse, incoming.text, state.active_loop):
                await self._interrupt(turn, parse)
                return
            await self._run_form(turn, state.active_loop, parse, activating=False)
            return
        if incoming.attachment is not None:
            if self.attachments is not None:
                self.attachments.release_conversation(incoming.conversation_id)
            await self._run_action(turn, "utter_archivo_no_esperado")
            return
        self._fill_global_slots(turn, parse)
        payload = incoming.text.strip().startswith("/")
        if parse.confidence < self.threshold and not payload:
            await self._fallback(turn, parse)
            return
        await self._follow_intent(turn, parse.intent)

    def _interrupts(self, parse: Any, text: str, form: str) -> bool:
        """A confident trámite or help request with no data in it leaves the form's question."""
        rule = self.domain.rule_for_intent(parse.intent)
        if rule is not None and form in rule.actions:
            # Talking about the same trámite ("mi esposa" while registering family) is an answer.
            return False
        if text.strip().startswith("/") and parse.intent in _INTERRUPTING:
            return True
        return parse.intent in _INTERRUPTING and parse.confidence >= 0.7 and not _looks_like_data(text, parse)

    async def _interrupt(self, turn: _Turn, parse: Any) -> None:
        state = turn.state
        form = state.active_loop
        rule = self.domain.rule_for_intent(parse.intent)
        starts_other_form = rule is not None and any(
            a in self.domain.forms and a != form for a in rule.actions
        )
        if starts_other_form or parse.intent == "despedida":
            self._deactivate(turn)
            if self.attachments is not None:
                self.attachments.release_conversation(turn.state.sender_id)
            await self._follow_intent(turn, parse.intent)
            return
        await self._follow_intent(turn, parse.intent)
        if not state.paused and state.active_loop == form and form and state.requested_slot:
            await self._ask(turn, form, state.requested_slot)

    async def _cancel(self, turn: _Turn) -> None:
        if turn.state.active_loop:
            form = turn.state.active_loop
            self._deactivate(turn)
            for slot in self.domain.forms.get(form, []):
                if turn.state.slots.get(slot) is not None and slot not in _KEEP_ON_CANCEL:
                    turn.add({"event": "slot", "name": slot, "value": None})
            if self.attachments is not None:
                self.attachments.release_conversation(turn.state.sender_id)
            await self._run_action(turn, "utter_cancelado")
        else:
            await self._run_action(turn, "utter_nada_que_cancelar")

    def _deactivate(self, turn: _Turn) -> None:
        turn.add({"event": "active_loop", "name": None})
        turn.add({"event": "slot", "name": "requested_slot", "value": None})

    async def _fallback(self, turn: _Turn, parse: Any) -> None:
        turn.add({"event": "action", "name": "action_default_fallback"})
        if turn.state.fallbacks >= _FALLBACKS_BEFORE_AGENT:
            await self._run_action(turn, "utter_ofrecer_agente")
            return
        choices = [
            Button(title=intent_label(name), payload=f"/{name}")
            for name, score in parse.ranking
            if name not in {"fuera_de_alcance", "afirmar", "negar"} and score > 0.02
        ][:3]
        if choices:
            turn.say("¿Quisiste decir…?", choices)
        else:
            await self._run_action(turn, "utter_no_entendi")

    async def _follow_intent(self, turn: _Turn, intent: str) -> None:
        rule = self.domain.rule_for_intent(_INTENT_ALIASES.get(intent, intent))
        if rule is None:
            await self._run_action(turn, "utter_no_entendi")
            return
        for action in rule.actions:
            await self._run_action(turn, action)
            if turn.state.paused:
                return

    def _fill_global_slots(self, turn: _Turn, parse: Any) -> None:
        """Entities anywhere fill the slots mapped to them (Rasa's action_extract_slots)."""
        entities = parse.to_rasa()["entities"]
        for slot, mappings in self.domain.mappings.items():
            for mapping in mappings:
                if mapping.type != "from_entity" or mapping.conditions:
                    continue
                value = next((e["value"] for e in entities if e["entity"] == mapping.entity), None)
                if value is not None and turn.state.slots.get(slot) != value:
                    turn.add({"event": "slot", "name": slot, "value": value})
                    break

    # -- forms ---------------------------------------------------------------------------

    def _candidates(self, turn: _Turn, form: str, parse: Any) -> dict[str, Any]:
        """Slot values this message offers, by the domain's mappings, first mapping wins."""
        state = turn.state
        latest = state.latest_message
        text = str(latest.get("text") or "")
        intent = (latest.get("intent") or {}).get("name")
        entities = latest.get("entities") or []
        found: dict[str, Any] = {}
        # As in Rasa: an entity the requested slot takes (a relative's CURP) fills no other slot
        # (the titular's CURP) in the same message.
        reserved = {
            m.entity
            for m in self.domain.mappings.get(state.requested_slot or "", [])
            if m.type == "from_entity" and m.applies(form, state.requested_slot)
        }
        for slot, mappings in self.domain.mappings.items():
            for mapping in mappings:
                if not mapping.applies(form, state.requested_slot):
                    continue
                if mapping.type == "from_entity":
                    if mapping.entity in reserved and slot != state.requested_slot:
                        continue
                    value = next((e["value"] for e in entities if e["entity"] == mapping.entity), None)
                elif mapping.type == "from_text":
                    if not text or (mapping.not_intent and intent in mapping.not_intent):
                        continue
                    value = text
                elif mapping.type == "from_intent":
                    if intent not in mapping.intent:
                        continue
                    value = mapping.value
                else:
                    continue
                if value is not None:
                    found[slot] = value
                    break
        return found

    async def _run_form(self, turn: _Turn, form: str, parse: Any, *, activating: bool) -> None:
        """Fill, validate, then ask the next slot (again, if it was the one asked) or submit the form.

        Validators only explain; asking is the engine's job, so the person gets one question at a time.
        """
        state = turn.state
        asked_before = state.requested_slot
        for slot, value in self._candidates(turn, form, parse).items():
            turn.add({"event": "slot", "name": slot, "value": value})
        requested: tuple[bool, str | None] = (False, None)
        validator = f"validate_{form}"
        if self.runner.known(validator):
            result = await self._call(turn, validator)
            turn.add({"event": "action", "name": validator})
            requested = self._apply_result(turn, result)
        if state.paused or state.active_loop != form:
            return
        has_next, next_slot = requested
        if not has_next:
            next_slot = next((s for s in self.domain.forms.get(form, []) if state.slots.get(s) is None), None)
        if next_slot is not None:
            await self._ask(turn, form, next_slot, reask=next_slot == asked_before)
            return
        self._deactivate(turn)
        for action in self.domain.submit_actions(form):
            await self._run_action(turn, action)
            if state.paused:
                return

    async def _ask(self, turn: _Turn, form: str, slot: str, *, reask: bool = False) -> None:
        """`action_ask_<slot>`, else a re-ask response when asking the same slot again, else the question."""
        if turn.state.requested_slot != slot:
            turn.add({"event": "slot", "name": "requested_slot", "value": slot})
        custom = f"action_ask_{slot}"
        if self.runner.known(custom):
            await self._run_action(turn, custom)
            return
        reasks = (f"utter_reask_{form}_{slot}", f"utter_reask_{slot}") if reask else ()
        for name in (*reasks, f"utter_ask_{form}_{slot}", f"utter_ask_{slot}"):
            if name in self.domain.responses:
                self._utter(turn, name)
                return
        turn.say(f"¿Me compartes tu {slot.replace('_', ' ')}?")

    # -- actions -------------------------------------------------------------------------

    async def _run_action(self, turn: _Turn, name: str, depth: int = 0) -> None:
        if depth > _MAX_FOLLOWUPS:
            logger.error("Too many follow-up actions after %s", name)
            return
        if name == "action_listen":
            return
        if name in self.domain.forms:
            turn.add({"event": "action", "name": name})
            turn.add({"event": "active_loop", "name": name})
            await self._run_form(turn, name, None, activating=True)
            return
        if name.startswith("utter_"):
            turn.add({"event": "action", "name": name})
            self._utter(turn, name)
            return
        if not self.runner.known(name):
            logger.error("Unknown action %s", name)
            await self._run_action(turn, "utter_error", depth + 1)
            return
        result = await self._call(turn, name)
        turn.add({"event": "action", "name": name})
        self._apply_result(turn, result)
        for event in result.events:
            if event.get("event") == "followup" and event.get("name"):
                await self._run_action(turn, str(event["name"]), depth + 1)

    async def _call(self, turn: _Turn, name: str) -> ActionResult:
        call = {
            "next_action": name,
            "sender_id": turn.state.sender_id,
            "tracker": turn.state.to_rasa(turn.channel),
            "domain": self.domain.raw,
            "version": "3.6.21",
        }
        try:
            return await self.runner.run(call)
        except Exception:
            logger.exception("Action %s failed", name)
            return ActionResult(
                events=[],
                responses=[{"response": "utter_error"}],
            )

    def _apply_result(self, turn: _Turn, result: ActionResult) -> tuple[bool, str | None]:
        """Apply an action's events and messages; report a requested_slot it set."""
        requested: tuple[bool, str | None] = (False, None)
        for event in result.events:
            kind = event.get("event")
            if kind == "followup":
                continue
            if kind == "slot" and event.get("name") == "requested_slot":
                requested = (True, event.get("value"))
                if event.get("value") is None:
                    continue
            if kind == "active_loop" and event.get("name") is None and turn.state.active_loop is None:
                continue
            turn.add(dict(event))
        for message in result.responses:
            self._render(turn, message)
        return requested

    def _render(self, turn: _Turn, message: dict[str, Any]) -> None:
        """Turn a dispatcher message into a bot event and an outgoing message.

        A `response` is rendered with the message's extra keys as variables (then the slots); the
        message's own buttons replace the response's, and its `custom` document is attached.
        """
        buttons = [
            Button(title=str(b["title"]), payload=str(b["payload"])) for b in message.get("buttons") or []
        ]
        custom = message.get("custom") or {}
        document = None
        if isinstance(custom, dict) and isinstance(custom.get("document"), dict):
            doc = custom["document"]
            document = Document(
                path=str(doc["path"]),
                filename=str(doc["filename"]),
                mime=str(doc.get("mime", "application/pdf")),
            )
        name = message.get("response") or message.get("template")
        text = str(message.get("text") or "")
        if name:
            variables = {k: v for k, v in message.items() if k not in _DISPATCHER_KEYS}
            pick = _stable_pick(len(turn.state.events))
            rendered = self.domain.render(str(name), {**turn.state.slots, **variables}, pick=pick)
            text = str(rendered.get("text", ""))
            buttons = buttons or [
                Button(title=str(b["title"]), payload=str(b["payload"]))
                for b in rendered.get("buttons") or []
            ]
        if text or buttons or document:
            turn.say(text, buttons, document)

    def _utter(self, turn: _Turn, name: str, extra: dict[str, Any] | None = None) -> None:
        slots = {**turn.state.slots, **(extra or {})}
        rendered = self.domain.render(name, slots, pick=_stable_pick(len(turn.state.events)))
        buttons = [
            Button(title=str(b["title"]), payload=str(b["payload"])) for b in rendered.get("buttons") or []
        ]
        turn.say(str(rendered.get("text", "")), buttons)


def _looks_like_data(text: str, parse: Any) -> bool:
    """Digits, an @, an entity or one long/dotted token read as an answer, not as a new request."""
    if any(ch.isdigit() for ch in text) or "@" in text or parse.to_rasa()["entities"]:
        return True
    tokens = text.split()
    return len(tokens) == 1 and ("." in tokens[0] or len(tokens[0]) >= 10)


#: What a rasa-sdk dispatcher message always carries; any other key is a response variable.
_DISPATCHER_KEYS = frozenset(
    {"text", "buttons", "elements", "custom", "template", "response", "image", "attachment"}
)
#: Identity slots survive a cancelled form so the next trámite need not ask again.
_KEEP_ON_CANCEL = {"curp", "nss", "email"}


def _stable_pick(seed: int) -> Callable[[list[Any]], Any]:
    """A deterministic variant choice so replies are reproducible in tests and transcripts."""
    return lambda variants: variants[seed % len(variants)]
