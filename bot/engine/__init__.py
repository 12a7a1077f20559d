"""The conversation engine: the turn loop and its parts. Channels and the web app use only what is here.

Public interface: `Engine.handle` (one message in, the replies out), `Engine.transcript` (read-only),
`Engine.conversation_exists` / `Engine.open_conversation` and `Engine.text` (a domain response's text),
plus the channel-neutral messages.
"""

from bot.engine.core import ATTACHMENT_INTENT, Engine
from bot.engine.domain import Domain, DomainError, Policy, load_domain
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
    "Attachment",
    "Button",
    "Deletion",
    "Document",
    "Domain",
    "DomainError",
    "Engine",
    "HttpActionRunner",
    "InProcessActionRunner",
    "Incoming",
    "Media",
    "Outgoing",
    "Policy",
    "Rule",
    "RuleError",
    "TranscriptEntry",
    "action_endpoint_url",
    "load_domain",
    "media_kind",
]
