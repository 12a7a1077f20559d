"""The engine's turn loop: lock, dedupe, limit, persist the message, understand it, respond, persist, reply.

`Engine.handle` reads like docs/arquitectura.md: everything a turn does is named there, and each step
lives in its own module (policy, forms, dispatch, responses, redaction). The turn itself is blocking code
(database, PDFs) and runs in a worker thread, so the event loop that serves channels never waits on it.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from typing import Any, Literal

from bot.engine.dispatch import ActionDispatcher
from bot.engine.domain import Domain
from bot.engine.events import (
    AgentUttered,
    BotUttered,
    ConversationPaused,
    Event,
    ParseData,
    SessionStarted,
    UserUttered,
)
from bot.engine.forms import FormLoop
from bot.engine.handoff import HandoffActions, HandoffDesk, back_to_the_bot
from bot.engine.messages import Button, Deletion, Incoming, Outgoing
from bot.engine.ordering import ArrivalOrder
from bot.engine.policy import RulePolicy
from bot.engine.ports import (
    AttachmentSink,
    Claim,
    ConversationStore,
    DuplicateMessage,
    Interpreter,
    MessageKey,
    RateLimit,
)
from bot.engine.redaction import REDACTED, Redactor
from bot.engine.responses import Renderer
from bot.engine.runner import ActionRunner
from bot.engine.sessions import Sessions
from bot.engine.tracker import TrackerState
from bot.engine.transcript import TranscriptEntry, transcript_entries
from bot.engine.turn import Turn
from bot.engine.upkeep import Upkeep
from tramites.texto import fold

__all__ = ["ATTACHMENT_INTENT", "Engine"]

logger = logging.getLogger(__name__)

#: The intent an upload is given: files are never classified by the NLU.
ATTACHMENT_INTENT = "adjuntar_archivo"


def _titled(buttons: list[Button], text: str) -> Button | None:
    """The offered button whose title the person typed (accents, case and end punctuation aside)."""
    typed = fold(text).strip(" .,!")
    return next((b for b in buttons if typed and fold(b.title).strip(" .,!") == typed), None)


class Engine:
    """Handles one message at a time per conversation; all state lives in the store."""

    def __init__(
        self, *, store: ConversationStore, interpreter: Interpreter, domain: Domain, runner: ActionRunner,
        attachments: AttachmentSink | None = None, rate_limit: RateLimit | None = None,
    ) -> None:
        self.domain = domain
        self._store, self._interpreter = store, interpreter
        self._attachments, self._rate_limit = attachments, rate_limit
        self._upkeep = Upkeep(attachments, rate_limit)
        self._renderer = Renderer(domain)
        dispatcher = ActionDispatcher(domain, runner, self._renderer)
        forms = FormLoop(domain, dispatcher)
        dispatcher.activate_form = forms.activate
        self._policy = RulePolicy(forms, attachments)
        self._redactor = Redactor(domain.policy)
        self._sessions = Sessions(domain)
        self._order = ArrivalOrder()

    # -- public interface --------------------------------------------------------------------

    async def handle(
        self,
        incoming: Incoming,
        *,
        on_received: Callable[[], None] | None = None,
        resend: bool = False,
    ) -> list[Outgoing]:
        """Process one message off the event loop.

        `on_received` is called (from the turn's thread) once the message is durably stored, so a
        webhook can acknowledge before the turn runs. A redelivered message id whose turn finished is
        answered with nothing, or, with `resend` (request/response channels such as the web API), with
        the replies it got then. A message whose turn crashed is run again.
        """
        # The ticket is taken here, on the event loop, so the conversation's messages keep arrival order.
        ticket = self._order.take(incoming.conversation_id)
        try:
            return await asyncio.to_thread(
                self.handle_blocking, incoming, on_received=on_received, resend=resend, ticket=ticket
            )
        except asyncio.CancelledError:
            self._order.release(incoming.conversation_id, ticket)
            raise

    def handle_blocking(
        self,
        incoming: Incoming,
        *,
        on_received: Callable[[], None] | None = None,
        resend: bool = False,
        ticket: int | None = None,
    ) -> list[Outgoing]:
        """Process one message in the calling thread (CLIs, benchmarks and tests call this)."""
        cid = incoming.conversation_id
        if ticket is None:
            ticket = self._order.take(cid)
        with self._order.turn(cid, ticket), self._store.lock(cid):
            self._upkeep.run()
            start = self._store.begin(cid, incoming.channel, incoming.message_id)
            claim = start.claim
            replies: list[Outgoing] = []
            for crashed in start.unfinished:
                if (crashed.channel, crashed.message_id) != (incoming.channel, incoming.message_id):
                    replies += self._resume(crashed)
            if claim is not None and claim.done:
                logger.info("Duplicate message %s on %s", incoming.message_id, incoming.channel)
                if on_received is not None:
                    on_received()
                return replies + (self._replies_to(claim) if resend else [])
            if claim is not None:
                # This very message crashed mid-turn before: its event is stored, run it again.
                replies += self._resume(claim)
                if on_received is not None:
                    on_received()
                return replies
            refusal = self._over_the_limit(incoming)
            if refusal is not None:
                # Not claimed, stored, parsed or acted on: a flood costs one count per message and no log.
                if on_received is not None:
                    on_received()
                return [*replies, refusal]
            state = self._state(cid, start.snapshot, start.since) if not replies else self.tracker(cid)
            turn = self._receive(incoming, state, new=start.snapshot is None and not start.since)
            if on_received is not None:
                on_received()
            return replies + self._respond(turn, incoming.message_id, deletable=incoming.deletable)

    def tracker(self, conversation_id: str) -> TrackerState:
        """The conversation's current state: its snapshot plus the events stored after it."""
        snapshot, since = self._store.load(conversation_id)
        return self._state(conversation_id, snapshot, since)

    def _state(
        self, conversation_id: str, snapshot: dict[str, Any] | None, since: list[tuple[int, Event]]
    ) -> TrackerState:
        state = TrackerState.from_snapshot(conversation_id, self.domain.initial_slots(), snapshot)
        for _seq, event in since:
            state.apply(event)
        return state

    def transcript(self, conversation_id: str, after: int = -1) -> list[TranscriptEntry]:
        """What was said in a conversation (read-only), each entry with its sequence number."""
        return transcript_entries(self._store.records(conversation_id, after))

    def conversation_exists(self, conversation_id: str) -> bool:
        """Whether a conversation with this id has been opened."""
        return self._store.exists(conversation_id)

    def open_conversation(self, conversation_id: str, channel: str, sender: str) -> None:
        """Create a conversation before its first message (the web chat hands out its id first)."""
        self._store.open(conversation_id, channel, sender)

    def record_delivery(
        self, channel: str, conversation_id: str, external_id: str, status: str, detail: str | None = None
    ) -> None:
        """Record a channel's status report (sent, delivered, read, failed) of a message we sent."""
        self._store.record_delivery(channel, conversation_id, external_id, status, detail)

    def deliveries(self, conversation_id: str) -> list[tuple[str, str, str | None]]:
        """The status reports recorded for a conversation: (external id, status, detail)."""
        return self._store.deliveries(conversation_id)

    def text(self, response: str, **variables: Any) -> str:
        """The text of a domain response, for channels' own notices."""
        return self._renderer.text(response, variables)

    # -- agentes: the help desk's side of a conversation -------------------------------------

    def attach_handoff(self, desk: HandoffDesk) -> None:
        """Run the handoff actions (queue notice, answers while waiting) with this desk."""
        dispatcher = self._policy.dispatcher
        dispatcher.runner = HandoffActions(dispatcher.runner, desk)

    def message(self, response: str, **variables: Any) -> Outgoing:
        """A domain response (first variant) as a message: its text and buttons."""
        rendered = self.domain.render(response, variables)
        buttons = tuple(Button(str(b["title"]), str(b["payload"])) for b in rendered.get("buttons") or [])
        return Outgoing(text=str(rendered.get("text", "")), buttons=buttons)

    def post(
        self,
        conversation_id: str,
        message: Outgoing | None,
        *,
        agent: str | None = None,
        response: str | None = None,
        handoff: Literal["pause", "resume"] | None = None,
    ) -> None:
        """Store a message that answers nothing (an agent's reply, a reminder) in the conversation's log.

        It goes in under the conversation's lock, as a turn's end does: the events and the new snapshot
        in one transaction. `agent` marks an agent's message (its name in the metadata); `handoff`
        pauses the bot before the message or resumes it after. Sending it on Telegram or WhatsApp is the
        caller's (`Channels.deliver`); the web chat reads it from the log.
        """
        with self._store.lock(conversation_id):
            state = self.tracker(conversation_id)
            events: list[Event] = []
            if handoff == "pause" and not state.paused:
                events.append(ConversationPaused())
            if message is not None:
                buttons, document = message.buttons, message.document
                said = BotUttered(text=message.text, buttons=buttons, document=document, response=response)
                events.append(AgentUttered.by(agent, said) if agent else said)
            if handoff == "resume" and state.paused:
                events += back_to_the_bot(state)
            for event in events:
                state.apply(event)
            # No message claim is behind these events: the key only names the conversation.
            key = MessageKey(conversation_id, "agentes", uuid.uuid4().hex)
            self._store.finish(key, events, state.snapshot())

    def log(self, conversation_id: str, after: int = -1) -> list[tuple[int, Event]]:
        """Every stored event of a conversation after `after`, typed, with its number (read-only)."""
        return self._store.records(conversation_id, after)

    # -- end agentes ---------------------------------------------------------------------------

    # -- steps ---------------------------------------------------------------------------

    def _over_the_limit(self, incoming: Incoming) -> Outgoing | None:
        """The reply to a message its sender sent over the limit, or None when it is read as usual.

        Only new messages count (a redelivered id was answered before). A limiter that fails lets the
        message through: an outage of the count must not silence the assistant.
        """
        if self._rate_limit is None:
            return None
        try:
            verdict = self._rate_limit.admit(incoming.channel, incoming.sender or incoming.conversation_id)
        except Exception:
            logger.exception("The message rate limit could not be checked")
            return None
        if verdict.allowed:
            return None
        logger.info("Message %s on %s refused: over the rate limit", incoming.message_id, incoming.channel)
        seconds = max(1, verdict.retry_in_seconds)
        return Outgoing(text=self.text("utter_demasiados_mensajes", segundos=seconds))

    def _receive(self, incoming: Incoming, state: TrackerState, *, new: bool) -> Turn:
        """Start the turn: a new session if the conversation was idle, then the person's message.

        Both are stored, with the claim of the message id, in one transaction before anything else runs.
        """
        cid = incoming.conversation_id
        turn = Turn(state=state, channel=incoming.channel)
        for event in self._sessions.new_session_events(turn.state, incoming.time.timestamp()):
            turn.add(event)
            if isinstance(event, SessionStarted) and self._attachments is not None:
                self._attachments.release_conversation(cid)
        turn.sensitive = self._is_sensitive(turn.state, incoming)
        turn.add(self._user_event(turn, incoming))
        stored = self._redactor.stored(turn.new_events, sensitive=turn.sensitive)
        try:
            key = MessageKey(cid, incoming.channel, incoming.message_id, incoming.sender)
            self._store.receive(key, stored, new=new)
        except DuplicateMessage:
            raise RuntimeError("a message id was claimed while its conversation was locked") from None
        turn.new_events.clear()
        return turn

    def _respond(self, turn: Turn, message_id: str, *, deletable: bool) -> list[Outgoing]:
        """Run the policy for the turn's message and store what it produced with the new snapshot."""
        message = turn.state.latest_message
        assert message is not None
        try:
            self._policy.respond(turn, message)
        finally:
            stored = self._redactor.stored(turn.new_events, sensitive=False)
            key = MessageKey(turn.state.sender_id, turn.channel, message_id)
            self._store.finish(key, stored, snapshot=turn.state.snapshot())
        return self._replies(turn, message_id, deletable=deletable)

    def _resume(self, claim: Claim) -> list[Outgoing]:
        """Run again the turn of a stored message whose turn never finished."""
        logger.warning("Resuming the unfinished turn of message %s on %s", claim.message_id, claim.channel)
        state = self.tracker(claim.conversation_id)
        turn = Turn(state=state, channel=claim.channel)
        message = state.latest_message
        if message is None or message.text == REDACTED:
            # The secret typed then was never stored: ask for it again instead of guessing.
            turn.sensitive = True
            if state.active_loop and state.requested_slot:
                self._policy.forms.ask(turn, state.active_loop, state.requested_slot)
            key = MessageKey(claim.conversation_id, claim.channel, claim.message_id)
            self._store.finish(key, turn.new_events, turn.state.snapshot())
            return list(turn.outgoing)
        return self._respond(turn, claim.message_id, deletable=False)

    def _replies_to(self, claim: Claim) -> list[Outgoing]:
        """The replies a finished message got: the bot's messages after it, up to the next message."""
        replies: list[Outgoing] = []
        for entry in self.transcript(claim.conversation_id, after=claim.user_seq or -1):
            if entry.author != "asistente":
                break
            replies.append(Outgoing(text=entry.text, buttons=entry.buttons, document=entry.document))
        return replies

    def _is_sensitive(self, state: TrackerState, incoming: Incoming) -> bool:
        """Typed text while a secret is asked is never stored or parsed (a tapped button is no secret)."""
        if state.requested_slot not in self.domain.policy.sensitive_slots or incoming.attachment is not None:
            return False
        return not self._is_button_payload(incoming.text)

    def _is_button_payload(self, text: str) -> bool:
        stripped = text.strip()
        name = stripped[1:].split("{", 1)[0]
        aliases = self.domain.policy.command_aliases
        return stripped.startswith("/") and (name in self.domain.intents or name in aliases)

    def _user_event(self, turn: Turn, incoming: Incoming) -> UserUttered:
        """The person's message as an event: parsed, or described (files, media), or kept unparsed."""
        metadata: dict[str, Any] = {}
        if incoming.deletable:
            metadata["deletable"] = True
        parse = ParseData(text=incoming.text)
        if incoming.attachment is not None:
            attachment = incoming.attachment
            parse = ParseData(text=incoming.text, intent=ATTACHMENT_INTENT, confidence=1.0)
            # The engine's own description (for transcripts and agents), then whatever the vault adds.
            described: dict[str, Any] = {
                "filename": attachment.filename,
                "mime": attachment.mime,
                "size": attachment.size,
            }
            if self._attachments is not None:
                held = self._attachments.hold(
                    incoming.conversation_id, attachment.filename, attachment.data, attachment.size
                )
                described = {**held.to_metadata(), **described}
            metadata["attachment"] = described
        elif incoming.media is not None:
            media = incoming.media
            metadata["media"] = {"kind": media.kind, "mime": media.mime, "size": media.size}
        elif not turn.sensitive and len(incoming.text) <= self.domain.policy.max_message_length:
            text, parse = self._understand(turn.state, incoming.text, metadata)
            return UserUttered(
                text=text,
                parse=parse,
                input_channel=incoming.channel,
                message_id=incoming.message_id,
                metadata=metadata,
                timestamp=incoming.time.timestamp(),
            )
        return UserUttered(
            text=incoming.text,
            parse=parse,
            input_channel=incoming.channel,
            message_id=incoming.message_id,
            metadata=metadata,
            timestamp=incoming.time.timestamp(),
        )

    def _understand(self, state: TrackerState, text: str, metadata: dict[str, Any]) -> tuple[str, ParseData]:
        """What a typed message says: a number choosing an offered option, or the NLU's parse.

        A payload typed by the person ("/semanas_cotizadas{...}") keeps its intent but not its values
        unless the bot offered exactly that button in this conversation: slots are never set from text
        that only looks like a button.
        """
        choice = text.strip()
        if choice.isdecimal() and 1 <= int(choice) <= len(state.last_buttons):
            # Channels without buttons number the options; the number chooses, as a tap would.
            metadata["chosen"] = int(choice)
            text = state.last_buttons[int(choice) - 1].payload
        # --- conversación: a button's title typed as it reads ("Para otra persona") chooses it too ---
        elif (titled := _titled(state.last_buttons, choice)) is not None:
            metadata["chosen"] = state.last_buttons.index(titled) + 1
            text = titled.payload
        parse = ParseData.from_rasa(self._interpreter.parse(text).to_rasa())
        if text.lstrip().startswith("/") and parse.entities and text not in state.offered_payloads:
            logger.warning("A typed payload with values that was never offered lost its values")
            metadata["payload_refused"] = True
            parse = replace(parse, entities=())
        return text, parse

    def _replies(self, turn: Turn, message_id: str, *, deletable: bool) -> list[Outgoing]:
        """The turn's messages; the first one carries the deletion of a secret the channel can delete."""
        replies = list(turn.outgoing)
        if turn.sensitive and deletable and replies:
            deletion = Deletion(
                message_id=message_id,
                deleted_text=self.text("utter_contrasena_borrada"),
                not_deleted_text=self.text("utter_contrasena_no_borrada"),
            )
            first = replies[0]
            replies[0] = Outgoing(
                text=first.text, buttons=first.buttons, document=first.document, deletion=deletion
            )
        return replies
