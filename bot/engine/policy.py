"""The rule policy: what to do with one message, given the conversation state and the NLU's parse.

Order of precedence: a handoff keeps the bot quiet; an over-long message is refused; "cancelar" leaves the
trámite; inside a form a confident unrelated request interrupts, anything else is the form's answer; an
unexpected file is refused; otherwise low confidence gets "¿Quisiste decir…?" and a confident intent
follows its rule.
"""

from __future__ import annotations

from bot.engine.dispatch import ActionDispatcher
from bot.engine.domain import Domain, Policy
from bot.engine.events import ActionExecuted, ParseData, SlotSet, UserUttered
from bot.engine.forms import FormLoop
from bot.engine.handoff import while_paused
from bot.engine.messages import Button
from bot.engine.ports import AttachmentSink
from bot.engine.tracker import FALLBACK_ACTION
from bot.engine.turn import Turn

__all__ = ["RulePolicy", "is_payload", "looks_like_data"]


def is_payload(text: str) -> bool:
    """A tapped button ("/intent" or "/intent{...}") rather than typed words."""
    return text.strip().startswith("/")


def looks_like_data(text: str, parse: ParseData) -> bool:
    """Digits, an @, an entity or one long/dotted token read as an answer, not as a new request."""
    if any(ch.isdigit() for ch in text) or "@" in text or parse.entities:
        return True
    tokens = text.split()
    return len(tokens) == 1 and ("." in tokens[0] or len(tokens[0]) >= 10)


class RulePolicy:
    """Decides and runs the response to one message."""

    def __init__(self, forms: FormLoop, attachments: AttachmentSink | None = None) -> None:
        # The form loop knows the domain and the dispatcher; the policy decides between them.
        self.forms = forms
        self.domain: Domain = forms.domain
        self.rules: Policy = forms.domain.policy
        self.dispatcher: ActionDispatcher = forms.dispatcher
        self.attachments = attachments

    def respond(self, turn: Turn, message: UserUttered) -> None:
        """Run whatever the person's message calls for."""
        state = turn.state
        parse = message.parse
        text = message.text
        attachment = "attachment" in message.metadata
        if state.paused:
            # --- agentes: waiting for or talking with an agent (bot/engine/handoff.py) ---
            while_paused(turn, message, self.rules, self.dispatcher)
            return
        if len(text) > self.rules.max_message_length:
            self.dispatcher.run(turn, "utter_mensaje_largo")
            if state.active_loop and state.requested_slot:
                self.forms.ask(turn, state.active_loop, state.requested_slot)
            return
        media = message.metadata.get("media")
        if isinstance(media, dict):
            self.media(turn, str(media.get("kind")))
            return
        if not attachment and self.rules.is_cancel(text):
            self.cancel(turn)
            return
        if state.active_loop:
            if not turn.sensitive and self.interrupts(parse, text, state.active_loop):
                self.interrupt(turn, parse)
                return
            self.forms.run(turn, state.active_loop)
            return
        if attachment:
            self._release(turn)
            self.dispatcher.run(turn, "utter_archivo_no_esperado")
            return
        self.fill_global_slots(turn, parse)
        if parse.confidence < self.rules.fallback_threshold and not is_payload(text):
            self.fallback(turn, parse)
            return
        self.follow_intent(turn, parse.intent or "")

    def media(self, turn: Turn, kind: str) -> None:
        """A voice note, photo, sticker or video: say honestly we cannot read it, then carry on."""
        self.dispatcher.run(turn, "utter_media_no_soportada")
        hint = self.rules.media_hints.get(kind)
        if hint:
            self.dispatcher.run(turn, hint)
        state = turn.state
        if state.active_loop and state.requested_slot:
            self.forms.ask(turn, state.active_loop, state.requested_slot)

    def interrupts(self, parse: ParseData, text: str, form: str) -> bool:
        """A confident trámite or help request with no data in it leaves the form's question."""
        intent = parse.intent or ""
        if self.domain.starts_form(intent) == form:
            # Talking about the same trámite ("mi esposa" while registering family) is an answer.
            return False
        if intent not in self.rules.interrupting_intents:
            return False
        if is_payload(text):
            return True
        return parse.confidence >= self.rules.interrupt_threshold and not looks_like_data(text, parse)

    def interrupt(self, turn: Turn, parse: ParseData) -> None:
        """Follow the new request; come back to the form's question unless the request replaces it."""
        state = turn.state
        form = state.active_loop
        intent = parse.intent or ""
        other = self.domain.starts_form(intent)
        if (other is not None and other != form) or intent == "despedida":
            self.forms.deactivate(turn)
            self._release(turn)
            self.follow_intent(turn, intent)
            return
        self.follow_intent(turn, intent)
        if not state.paused and state.active_loop == form and form and state.requested_slot:
            self.forms.ask(turn, form, state.requested_slot)

    def cancel(self, turn: Turn) -> None:
        """Leave the trámite: its slots are forgotten, identity slots kept."""
        form = turn.state.active_loop
        if not form:
            self.dispatcher.run(turn, "utter_nada_que_cancelar")
            return
        self.forms.deactivate(turn)
        for slot in self.domain.forms.get(form, []):
            if turn.state.slots.get(slot) is not None and slot not in self.rules.keep_slots:
                turn.add(SlotSet(name=slot, value=None))
        self._release(turn)
        self.dispatcher.run(turn, "utter_cancelado")

    def fallback(self, turn: Turn, parse: ParseData) -> None:
        """Offer the likeliest intents as buttons, or an agent after repeated failures."""
        turn.add(ActionExecuted(name=FALLBACK_ACTION))
        if turn.state.fallbacks >= self.rules.fallbacks_before_agent:
            self.dispatcher.run(turn, "utter_ofrecer_agente")
            return
        choices = tuple(
            Button(title=self.rules.intent_title(name), payload=f"/{name}")
            for name, score in parse.ranking
            if name not in self.rules.not_suggested and score > self.rules.suggestion_min_score
        )[: self.rules.max_suggestions]
        if choices:
            self.dispatcher.renderer.utter(turn, "utter_quisiste_decir", buttons=choices)
        else:
            self.dispatcher.run(turn, "utter_no_entendi")

    def follow_intent(self, turn: Turn, intent: str) -> None:
        """Run the actions of the rule the intent triggers."""
        intent = self.rules.command_aliases.get(intent, intent)
        rule = self.domain.rule_for_intent(intent, turn.state.slots)
        if rule is None:
            self.dispatcher.run(turn, "utter_no_entendi")
            return
        for action in rule.actions:
            self.dispatcher.run(turn, action)
            if turn.state.paused:
                return

    def fill_global_slots(self, turn: Turn, parse: ParseData) -> None:
        """Entities anywhere fill the slots mapped to them (Rasa's action_extract_slots)."""
        for slot, mappings in self.domain.mappings.items():
            for mapping in mappings:
                if mapping.type != "from_entity" or mapping.conditions:
                    continue
                value = parse.entity(mapping.entity or "")
                if value is not None and turn.state.slots.get(slot) != value:
                    turn.add(SlotSet(name=slot, value=value))
                    break

    def _release(self, turn: Turn) -> None:
        if self.attachments is not None:
            self.attachments.release_conversation(turn.state.sender_id)
