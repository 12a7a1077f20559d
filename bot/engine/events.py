"""Typed conversation events; Rasa's event dicts exist only for storage and the action-server boundary."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

from bot.engine.messages import Button, Document

__all__ = [
    "ActionExecuted",
    "ActiveLoop",
    "AgentUttered",
    "AllSlotsReset",
    "BotUttered",
    "ConversationPaused",
    "ConversationResumed",
    "Event",
    "FollowupAction",
    "ParseData",
    "SessionStarted",
    "SlotSet",
    "UnknownEvent",
    "UserUttered",
    "event_from_dict",
    "events_from_dicts",
]


def _now() -> float:
    return time.time()


@dataclass(frozen=True)
class ParseData:
    """What the NLU understood of one message, in Rasa's parse_data terms."""

    text: str = ""
    intent: str | None = None
    confidence: float = 0.0
    entities: tuple[Mapping[str, Any], ...] = ()
    ranking: tuple[tuple[str, float], ...] = ()
    #: Dialogue act (pregunta, solicitud, no_se, salir, dato) when the NLU gives one.
    act: str | None = None
    act_confidence: float = 0.0

    @classmethod
    def from_rasa(cls, data: Mapping[str, Any]) -> ParseData:
        """Read a Rasa parse_data dict (what `/model/parse` answers)."""
        intent = data.get("intent") or {}
        act = data.get("act") or {}
        return cls(
            text=str(data.get("text") or ""),
            intent=intent.get("name"),
            confidence=float(intent.get("confidence") or 0.0),
            entities=tuple(dict(e) for e in data.get("entities") or []),
            ranking=tuple(
                (str(r.get("name")), float(r.get("confidence") or 0.0))
                for r in data.get("intent_ranking") or []
            ),
            act=act.get("name"),
            act_confidence=float(act.get("confidence") or 0.0),
        )

    def to_rasa(self) -> dict[str, Any]:
        """Rasa's parse_data dict."""
        data: dict[str, Any] = {
            "text": self.text,
            "intent": {"name": self.intent, "confidence": self.confidence},
            "entities": [dict(e) for e in self.entities],
            "intent_ranking": [{"name": n, "confidence": c} for n, c in self.ranking],
        }
        if self.act is not None:
            data["act"] = {"name": self.act, "confidence": self.act_confidence}
        return data

    def entity(self, name: str) -> Any:
        """The value of the first entity called `name`, or None."""
        return next((e.get("value") for e in self.entities if e.get("entity") == name), None)


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event; `timestamp` is seconds since the epoch, as Rasa stores it."""

    KIND: ClassVar[str] = ""
    timestamp: float = field(default_factory=_now)

    def to_dict(self) -> dict[str, Any]:
        """The Rasa event dict."""
        return {"event": self.KIND, "timestamp": self.timestamp, **self._payload()}

    def _payload(self) -> dict[str, Any]:
        return {}


@dataclass(frozen=True, kw_only=True)
class UserUttered(Event):
    """A message from the person (text, an attachment's metadata, or media by type and size)."""

    KIND: ClassVar[str] = "user"
    text: str
    parse: ParseData = field(default_factory=ParseData)
    input_channel: str | None = None
    message_id: str | None = None
    metadata: Mapping[str, Any] = field(default_factory=dict)

    def _payload(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "parse_data": self.parse.to_rasa(),
            "input_channel": self.input_channel,
            "message_id": self.message_id,
            "metadata": dict(self.metadata),
        }

    @property
    def intent(self) -> str | None:
        """The intent the NLU gave."""
        return self.parse.intent


@dataclass(frozen=True, kw_only=True)
class BotUttered(Event):
    """A message the bot sent."""

    KIND: ClassVar[str] = "bot"
    text: str
    buttons: tuple[Button, ...] = ()
    document: Document | None = None
    #: The domain response it came from, when it came from one (for transcripts and tests).
    response: str | None = None

    def _payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {"buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons]}
        if self.document is not None:
            data["custom"] = {
                "document": {
                    "path": self.document.path,
                    "filename": self.document.filename,
                    "mime": self.document.mime,
                }
            }
        metadata = {"utter_action": self.response} if self.response else {}
        return {"text": self.text, "data": data, "metadata": metadata}


# --- agentes: an agent's message is a bot event with the agent's name in its metadata ---
@dataclass(frozen=True, kw_only=True)
class AgentUttered(BotUttered):
    """A message a help-desk agent wrote to the person: the web chat shows it like any bot message."""

    agent: str

    @classmethod
    def by(cls, agent: str, said: BotUttered) -> AgentUttered:
        """The same message, written by `agent`."""
        return cls(agent=agent, **{f.name: getattr(said, f.name) for f in fields(said)})

    def _payload(self) -> dict[str, Any]:
        data = super()._payload()
        data["metadata"] = {**data["metadata"], "agente": self.agent}
        return data


# --- end agentes ---


@dataclass(frozen=True, kw_only=True)
class SlotSet(Event):
    """A slot took a value (None clears it)."""

    KIND: ClassVar[str] = "slot"
    name: str
    value: Any = None

    def _payload(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value}


@dataclass(frozen=True, kw_only=True)
class ActionExecuted(Event):
    """An action ran (utterances and forms count as actions)."""

    KIND: ClassVar[str] = "action"
    name: str

    def _payload(self) -> dict[str, Any]:
        return {"name": self.name, "policy": None, "confidence": None}


@dataclass(frozen=True, kw_only=True)
class ActiveLoop(Event):
    """A form started (`name`) or ended (None)."""

    KIND: ClassVar[str] = "active_loop"
    name: str | None

    def _payload(self) -> dict[str, Any]:
        return {"name": self.name}


@dataclass(frozen=True, kw_only=True)
class FollowupAction(Event):
    """An action asks the engine to run another action next."""

    KIND: ClassVar[str] = "followup"
    name: str

    def _payload(self) -> dict[str, Any]:
        return {"name": self.name}


class ConversationPaused(Event):
    """Handed to a human agent: the bot stays quiet."""

    KIND: ClassVar[str] = "pause"


class ConversationResumed(Event):
    """Back with the bot."""

    KIND: ClassVar[str] = "resume"


class AllSlotsReset(Event):
    """Every slot back to its initial value."""

    KIND: ClassVar[str] = "reset_slots"


class SessionStarted(Event):
    """A new session of the conversation begins (after the idle time)."""

    KIND: ClassVar[str] = "session_started"


@dataclass(frozen=True, kw_only=True)
class UnknownEvent(Event):
    """An event kind the engine does not act on, kept as it came (e.g. from a custom action)."""

    raw: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The event as it came."""
        return dict(self.raw)


def _buttons(data: Mapping[str, Any]) -> tuple[Button, ...]:
    return tuple(Button(title=str(b["title"]), payload=str(b["payload"])) for b in data.get("buttons") or [])


def _document(data: Mapping[str, Any]) -> Document | None:
    custom = data.get("custom") or {}
    doc = custom.get("document") if isinstance(custom, Mapping) else None
    if not isinstance(doc, Mapping):
        return None
    return Document(
        path=str(doc["path"]), filename=str(doc["filename"]), mime=str(doc.get("mime", "application/pdf"))
    )


def event_from_dict(data: Mapping[str, Any]) -> Event:
    """The typed event for a Rasa event dict."""
    kind = data.get("event")
    stamp = float(data.get("timestamp") or _now())
    if kind == "user":
        return UserUttered(
            timestamp=stamp,
            text=str(data.get("text") or ""),
            parse=ParseData.from_rasa(data.get("parse_data") or {}),
            input_channel=data.get("input_channel"),
            message_id=data.get("message_id"),
            metadata=dict(data.get("metadata") or {}),
        )
    if kind == "bot":
        payload = data.get("data") or {}
        metadata = data.get("metadata") or {}
        said = BotUttered(
            timestamp=stamp,
            text=str(data.get("text") or ""),
            buttons=_buttons(payload),
            document=_document(payload),
            response=metadata.get("utter_action"),
        )
        return AgentUttered.by(str(metadata["agente"]), said) if metadata.get("agente") else said
    if kind == "slot":
        return SlotSet(timestamp=stamp, name=str(data["name"]), value=data.get("value"))
    if kind == "action":
        return ActionExecuted(timestamp=stamp, name=str(data.get("name")))
    if kind == "active_loop":
        return ActiveLoop(timestamp=stamp, name=data.get("name"))
    if kind == "followup":
        return FollowupAction(timestamp=stamp, name=str(data.get("name")))
    simple: dict[str, type[Event]] = {
        "pause": ConversationPaused,
        "resume": ConversationResumed,
        "reset_slots": AllSlotsReset,
        "session_started": SessionStarted,
    }
    if kind in simple:
        return simple[str(kind)](timestamp=stamp)
    return UnknownEvent(timestamp=stamp, raw=dict(data))


def events_from_dicts(data: list[Mapping[str, Any]]) -> list[Event]:
    """Typed events for a list of Rasa event dicts."""
    return [event_from_dict(d) for d in data]


def with_timestamp(event: Event, stamp: float) -> Event:
    """The same event at another time."""
    return replace(event, timestamp=stamp)
