"""Document links for the web chat: unguessable, bound to one conversation, and short-lived.

A link is `<payload>.<signature>`: the payload names the conversation and the issued file (its name is a
folio, never a CURP, NSS or RFC) and when the link expires; the signature is an HMAC-SHA256 with the
server's secret, so nobody can make or alter one, and a link of one conversation opens nothing in another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

__all__ = ["DocumentLink", "LinkSigner"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class DocumentLink:
    """What a valid link points at."""

    conversation_id: str
    name: str
    expires_at: float


class LinkSigner:
    """Makes and checks document links."""

    def __init__(self, secret: bytes, ttl_seconds: float = 3600.0) -> None:
        # A key of its own, derived from the server secret: links never share a key with anything else.
        self._key = hmac.new(secret, b"enlaces-de-documentos", hashlib.sha256).digest()
        self.ttl_seconds = ttl_seconds

    def sign(self, conversation_id: str, name: str, now: float | None = None) -> str:
        """A link to the file `name` of `conversation_id`, valid for the TTL."""
        expires = int((now if now is not None else time.time()) + self.ttl_seconds)
        payload = _b64(json.dumps([conversation_id, name, expires], separators=(",", ":")).encode("utf-8"))
        return f"{payload}.{self._signature(payload)}"

    def check(self, link: str, now: float | None = None) -> DocumentLink | None:
        """What the link points at, or None when it is forged, altered, malformed or expired."""
        payload, _, signature = link.partition(".")
        if not payload or not hmac.compare_digest(signature, self._signature(payload)):
            return None
        try:
            conversation_id, name, expires = json.loads(_unb64(payload))
        except (ValueError, TypeError):
            return None
        if (now if now is not None else time.time()) > float(expires):
            return None
        return DocumentLink(str(conversation_id), str(name), float(expires))

    def _signature(self, payload: str) -> str:
        return _b64(hmac.new(self._key, payload.encode("ascii"), hashlib.sha256).digest()[:24])
