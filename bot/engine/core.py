"""The engine's turn loop: lock, dedupe, persist the message, understand it, respond, persist, reply.

`Engine.handle` reads like docs/arquitectura.md: everything a turn does is named there, and each step
lives in its own module (policy, forms, dispatch, responses, redaction). The turn itself is blocking code
(database, PDFs) and runs in a worker thread, so the event loop that serves channels never waits on it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.engine.dispatch import ActionDispatcher
from bot.engine.domain import Domain
from bot.engine.events import ParseData, UserUttered
from bot.engine.forms import FormLoop
from bot.engine.messages import Deletion, Incoming, Outgoing
from bot.engine.policy import RulePolicy
from bot.engine.ports import AttachmentSink, ConversationStore, Interpreter
from bot.engine.redaction import Redactor
from bot.engine.responses import Renderer
from bot.engine.runner import ActionRunner
from bot.engine.tracker import TrackerState
from bot.engine.transcript import TranscriptEntry, transcript_entries
from bot.engine.turn import Turn

__all__ = ["ATTACHMENT_INTENT", "Engine"]

logger = logging.getLogger(__name__)

#: The intent an upload is given: files are never classified by the NLU.
ATTACHMENT_INTENT = "adjuntar_archivo"


class Engine:
    """Handles one message at a time per conversation; all state lives in the store."""

    def __init__(
        self,
        *,
        store: ConversationStore,
        interpreter: Interpreter,
        domain: Domain,
        runner: ActionRunner,
        attachments: AttachmentSink | None = None,
    ) -> None:
        self.domain = domain
        self._store = store
        self._interpreter = interpreter
        self._attachments = attachments
        self._renderer = Renderer(domain)
        dispatcher = ActionDispatcher(domain, runner, self._renderer)
        forms = FormLoop(domain, dispatcher)
        dispatcher.activate_form = forms.activate
        self._policy = RulePolicy(domain, dispatcher, forms, attachments)
        self._redactor = Redactor(domain.policy)

    # -- public interface --------------------------------------------------------------------

    async def handle(self, incoming: Incoming) -> list[Outgoing]:
        """Process one message off the event loop; a redelivered message id yields no reply."""
        return await asyncio.to_thread(self.handle_blocking, incoming)

    def handle_blocking(self, incoming: Incoming) -> list[Outgoing]:
        """Process one message in the calling thread (for CLIs, benchmarks and tests)."""
        cid = incoming.conversation_id
        with self._store.lock(cid):
            if not self._store.claim_message(incoming.channel, incoming.message_id, cid):
                logger.info("Duplicate message %s on %s ignored", incoming.message_id, incoming.channel)
                return []
            self._store.ensure_conversation(cid, incoming.channel, incoming.sender)
            turn = Turn(state=self.tracker(cid), channel=incoming.channel)
            turn.sensitive = self._is_sensitive(turn.state, incoming)
            turn.add(self._user_event(turn, incoming))
            # The person's message is stored before anything else can fail.
            self._store.append(cid, self._redactor.stored(turn.new_events, sensitive=turn.sensitive))
            stored = len(turn.new_events)
            try:
                self._policy.respond(turn, incoming)
            finally:
                later = turn.new_events[stored:]
                self._store.append(cid, self._redactor.stored(later, sensitive=False))
            return self._replies(turn, incoming)

    def tracker(self, conversation_id: str) -> TrackerState:
        """The conversation's current state, rebuilt from the store."""
        return TrackerState.from_events(
            conversation_id, self.domain.initial_slots(), self._store.events(conversation_id)
        )

    def transcript(self, conversation_id: str, after: int = -1) -> list[TranscriptEntry]:
        """What was said in a conversation (read-only), each entry with its sequence number."""
        return transcript_entries(self._store.records(conversation_id, after))

    def conversation_exists(self, conversation_id: str) -> bool:
        """Whether a conversation with this id has been opened."""
        return self._store.exists(conversation_id)

    def open_conversation(self, conversation_id: str, channel: str, sender: str) -> None:
        """Create a conversation before its first message (the web chat hands out its id first)."""
        self._store.ensure_conversation(conversation_id, channel, sender)

    def text(self, response: str, **variables: Any) -> str:
        """The text of a domain response, for channels' own notices."""
        return self._renderer.text(response, variables)

    # -- steps ---------------------------------------------------------------------------

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
            if self._attachments is not None:
                held = self._attachments.hold(
                    incoming.conversation_id, attachment.filename, attachment.data, attachment.size
                )
                metadata["attachment"] = {"mime": attachment.mime, **held.to_metadata()}
            else:
                metadata["attachment"] = {
                    "filename": attachment.filename,
                    "size": attachment.size,
                    "mime": attachment.mime,
                }
        elif incoming.media is not None:
            media = incoming.media
            metadata["media"] = {"kind": media.kind, "mime": media.mime, "size": media.size}
        elif not turn.sensitive and len(incoming.text) <= self.domain.policy.max_message_length:
            parse = ParseData.from_rasa(self._interpreter.parse(incoming.text).to_rasa())
        return UserUttered(
            text=incoming.text,
            parse=parse,
            input_channel=incoming.channel,
            message_id=incoming.message_id,
            metadata=metadata,
            timestamp=incoming.time.timestamp(),
        )

    def _replies(self, turn: Turn, incoming: Incoming) -> list[Outgoing]:
        """The turn's messages; the first one carries the deletion of a secret the channel can delete."""
        replies = list(turn.outgoing)
        if turn.sensitive and incoming.deletable and replies:
            deletion = Deletion(
                message_id=incoming.message_id,
                deleted_text=self.text("utter_contrasena_borrada"),
                not_deleted_text=self.text("utter_contrasena_no_borrada"),
            )
            first = replies[0]
            replies[0] = Outgoing(
                text=first.text, buttons=first.buttons, document=first.document, deletion=deletion
            )
        return replies
