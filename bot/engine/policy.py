"""The rule policy: what to do with one message, given the conversation state and the NLU's parse.

Order of precedence: a handoff keeps the bot quiet; an over-long message is refused; "cancelar" leaves the
trámite; inside a form, an answer goes to the form and a digression gets its own reply (help for the
step, an exit, a switch, an agent: `bot.engine.digressions`); an unexpected file is refused; a "sí" takes
the trámite just offered; low confidence gets "¿Quisiste decir…?" (or, when it looks out of scope, the
out-of-scope routing, never trámite buttons); a question or a "no sé" about a trámite gets an answer with
a button instead of the form; anything else follows its rule.
"""

from __future__ import annotations

from bot.engine.dialogue import DialoguePolicy
from bot.engine.digressions import Kind, looks_like_data
from bot.engine.dispatch import ActionDispatcher
from bot.engine.domain import Domain, Policy
from bot.engine.events import ActionExecuted, ParseData, SlotSet, UserUttered
from bot.engine.forms import FormLoop
from bot.engine.handoff import while_paused
from bot.engine.messages import Button
from bot.engine.ports import AttachmentSink
from bot.engine.tracker import FALLBACK_ACTION
from bot.engine.turn import Turn

__all__ = ["RulePolicy", "is_payload", "looks_like_data"]  # looks_like_data: bot.engine.digressions


def is_payload(text: str) -> bool:
    """A tapped button ("/intent" or "/intent{...}") rather than typed words."""
    return text.strip().startswith("/")


class RulePolicy:
    """Decides and runs the response to one message."""

    def __init__(self, forms: FormLoop, attachments: AttachmentSink | None = None) -> None:
        # The form loop knows the domain and the dispatcher; the policy decides between them.
        self.forms = forms
        self.domain: Domain = forms.domain
        self.rules: Policy = forms.domain.policy
        self.dispatcher: ActionDispatcher = forms.dispatcher
        self.dialogue: DialoguePolicy = forms.dialogue
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
            if turn.sensitive or attachment or not state.requested_slot:
                self.forms.run(turn, state.active_loop)
            elif is_payload(text):
                if self.interrupts(parse, text, state.active_loop):
                    self.interrupt(turn, parse)
                else:
                    self.forms.run(turn, state.active_loop)
            else:
                self.in_form(turn, parse, text, state.active_loop, state.requested_slot)
            return
        if attachment:
            self._release(turn)
            self.dispatcher.run(turn, "utter_archivo_no_esperado")
            return
        self.fill_global_slots(turn, parse)
        if self.take_offer(turn, parse, text):
            return
        if is_payload(text):
            self.follow_intent(turn, parse.intent or "")
            return
        if parse.confidence < self.rules.fallback_threshold:
            if self.looks_out_of_scope(parse):
                self.dispatcher.run(turn, self.dialogue.out_of_scope_action or "")
            else:
                self.fallback(turn, parse)
            return
        if self.answers_instead(parse):
            self.answer(turn)
            return
        self.follow_intent(turn, parse.intent or "")

    def answer(self, turn: Turn) -> None:
        """The guidance answers; an answer that is the trámite itself (it only offers it) starts it."""
        said = len(turn.outgoing)
        self.dispatcher.run(turn, self.dialogue.guidance_action or "")
        slot = self.dialogue.slots.offer
        offered = turn.state.slots.get(slot)
        if len(turn.outgoing) == said and offered:
            turn.add(SlotSet(name=slot, value=None))
            self.follow_intent(turn, str(offered))

    # -- inside a form ---------------------------------------------------------------------

    def in_form(self, turn: Turn, parse: ParseData, text: str, form: str, slot: str) -> None:
        """An answer goes to the form; a digression gets its reply, and the question comes back."""
        kind = self.forms.digressions.kind(parse, text, form, slot)
        if kind is Kind.ANSWER:
            self.forms.run(turn, form)
        elif kind is Kind.EXIT:
            self.cancel(turn)
        elif kind in (Kind.AGENT, Kind.REQUEST):
            self.interrupt(turn, parse)
        else:
            if kind is Kind.QUESTION:
                self.answer_in_form(turn, parse)
            else:
                self.forms.digressions.help(turn, form, slot)
            if turn.state.active_loop == form and not turn.state.paused:
                self.forms.ask(turn, form, slot, after_help=True)

    def answer_in_form(self, turn: Turn, parse: ParseData) -> None:
        """A question in the middle of a trámite: its answer if the guidance knows it, else the step help."""
        state = turn.state
        form, slot = state.active_loop or "", state.requested_slot or ""
        intent = parse.intent or ""
        confident = parse.confidence >= self.rules.interrupt_threshold
        general = intent in self.rules.interrupting_intents and self.domain.starts_form(intent) is None
        if confident and general and intent not in self.guided_intents:
            # "¿qué puedes hacer?": the general help, then back to the question.
            self.follow_intent(turn, intent)
            return
        said = len(turn.outgoing)
        guidance = self.dialogue.guidance_action
        if guidance and self.dispatcher.runner.known(guidance):
            self.dispatcher.run(turn, guidance)
        if len(turn.outgoing) == said:
            self.forms.digressions.help(turn, form, slot)

    @property
    def guided_intents(self) -> frozenset[str]:
        """Intents whose rule answers from the guidance data (their questions are answered the same way)."""
        guidance = self.dialogue.guidance_action
        return frozenset(r.intent for r in self.domain.rules if r.intent and guidance in r.actions)

    # -- outside a form --------------------------------------------------------------------

    def take_offer(self, turn: Turn, parse: ParseData, text: str) -> bool:
        """A "sí" right after an answer offered a trámite starts it; "no" declines it politely."""
        slot = self.dialogue.slots.offer
        offered = turn.state.slots.get(slot)
        if not offered:
            return False
        turn.add(SlotSet(name=slot, value=None))
        intent = parse.intent or ""
        sure = is_payload(text) or parse.confidence >= self.rules.fallback_threshold
        if not sure or looks_like_data(text, parse):
            return False
        if intent == self.dialogue.affirm_intent:
            self.follow_intent(turn, str(offered))
            return True
        if intent == self.dialogue.deny_intent:
            self.follow_intent(turn, intent)
            return True
        return False

    def looks_out_of_scope(self, parse: ParseData) -> bool:
        """Low confidence, but the out-of-scope intent leads clearly: route it, offer no trámite buttons."""
        action = self.dialogue.out_of_scope_action
        if not action or not self.dispatcher.runner.known(action):
            return False
        if parse.intent != self.dialogue.out_of_scope_intent:
            return False
        others = [score for name, score in parse.ranking if name != parse.intent]
        return parse.confidence - max(others, default=0.0) >= self.dialogue.out_of_scope_margin

    def answers_instead(self, parse: ParseData) -> bool:
        """A question (or "no sé") about a trámite is answered, with a button to start it: no form unasked."""
        guidance = self.dialogue.guidance_action
        act = self.dialogue.act(parse.act, parse.act_confidence)
        if not guidance or act is None or act in self.dialogue.start_form_acts or parse.entities:
            # A CURP, an NSS or an email in the message is data for the trámite: it was asked for.
            return False
        rule = self.domain.rule_for_intent(parse.intent or "", {})
        starts = rule is not None and any(a in self.domain.forms for a in rule.actions)
        return starts and self.dispatcher.runner.known(guidance)

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
            slot = state.requested_slot
            if form and other is not None and slot and self.dialogue.slot_providers.get(slot) == intent:
                # A detour: the trámite that gives the missing value, then back to this one.
                self.forms.continuity.remember(turn, form)
            elif other is not None:
                self.forms.continuity.switching(turn, other)
            else:
                self.forms.continuity.forget(turn)
            self.forms.deactivate(turn)
            self._release(turn)
            self.follow_intent(turn, intent)
            return
        self.follow_intent(turn, intent)
        if not state.paused and state.active_loop == form and form and state.requested_slot:
            self.forms.ask(turn, form, state.requested_slot)

    def cancel(self, turn: Turn) -> None:
        """Leave the trámite: its slots are forgotten, identity slots kept, nothing resumes."""
        form = turn.state.active_loop
        if not form:
            self.dispatcher.run(turn, "utter_nada_que_cancelar")
            return
        self.forms.continuity.forget(turn)
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
