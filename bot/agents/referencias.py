"""Opaque references to conversations for the console's URLs and API: ids may carry a phone number.

A WhatsApp conversation's id is "whatsapp-<phone>" and a Telegram one carries the chat id. The console
never shows them: its links and JSON use a deterministic encryption of the id (AES-SIV with a key
derived from the server's secret), so the same conversation always has the same reference, nobody can
make one up, and nothing about the person can be read from it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESSIV

__all__ = ["Referencias"]


class Referencias:
    """Turns conversation ids into references and back."""

    def __init__(self, secreto: bytes) -> None:
        clave = hmac.new(secreto, b"referencias-de-conversaciones", hashlib.sha512).digest()
        self._cifra = AESSIV(clave)

    def de(self, conversation_id: str) -> str:
        """The reference of a conversation id."""
        cifrado = self._cifra.encrypt(conversation_id.encode("utf-8"), None)
        return base64.urlsafe_b64encode(cifrado).rstrip(b"=").decode("ascii")

    def a(self, referencia: str) -> str | None:
        """The conversation id of a reference, or None for anything not made here."""
        if not referencia or len(referencia) > 400:
            return None
        try:
            datos = base64.urlsafe_b64decode(referencia + "=" * (-len(referencia) % 4))
            return self._cifra.decrypt(datos, None).decode("utf-8")
        except (InvalidTag, ValueError):
            return None
