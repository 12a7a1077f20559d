"""The conversation engine: the turn loop and its parts. Channels and the web app use only what is here.

Public interface: `Engine.handle` (one message in, the replies out), `Engine.transcript` (read-only),
`Engine.conversation_exists` / `Engine.open_conversation` and `Engine.text` (a domain response's text),
plus the channel-neutral messages. The help desk (bot/agents) also uses `Engine.attach_handoff`,
`Engine.post`, `Engine.message`, `Engine.log` and the typed events it reads there.
"""

from bot.engine.core import ATTACHMENT_INTENT, Engine
from bot.engine.domain import Domain, DomainError, Policy, load_domain

# --- agentes: what the help desk reads in a conversation's log, and its port ---
from bot.engine.events import (
    ActiveLoop,
    AgentUttered,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from bot.engine.handoff import HandoffDesk, Notice

# --- end agentes ---
from bot.engine.messages import (
    UPLOAD_LIMIT_BYTES,
    Attachment,
    Button,
    Deletion,
    Document,
    Incoming,
    Media,
    Outgoing,
    media_kind,
)
from bot.engine.rules import Rule, RuleError
from bot.engine.runner import ActionRunner, HttpActionRunner, InProcessActionRunner, action_endpoint_url
from bot.engine.transcript import TranscriptEntry

__all__ = [
    "ATTACHMENT_INTENT",
    "UPLOAD_LIMIT_BYTES",
    "ActionRunner",
    "ActiveLoop",
    "AgentUttered",
    "Attachment",
    "BotUttered",
    "Button",
    "ConversationPaused",
    "ConversationResumed",
    "Deletion",
    "Document",
    "Domain",
    "DomainError",
    "Engine",
    "Event",
    "HandoffDesk",
    "HttpActionRunner",
    "InProcessActionRunner",
    "Incoming",
    "Media",
    "Notice",
    "Outgoing",
    "Policy",
    "Rule",
    "RuleError",
    "SessionStarted",
    "SlotSet",
    "TranscriptEntry",
    "UserUttered",
    "action_endpoint_url",
    "load_domain",
    "media_kind",
]
