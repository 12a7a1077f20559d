"""Idempotency keys: the same key (a person's message) never writes the same thing twice.

A use case that writes takes `clave` (the id of the message that asked for it). The tables keep only a
hash of the key and its scope, in a unique column, so a repeated call finds the first result instead of
creating a second one, and no conversation or message id is stored next to personal data.
"""

from __future__ import annotations

import hashlib

__all__ = ["huella_clave"]


def huella_clave(clave: str | None, ambito: str) -> str | None:
    """What a table stores for `clave` within `ambito` (a trámite, a document type): SHA-256 hex, or None."""
    if not clave:
        return None
    return hashlib.sha256(f"{ambito}\n{clave}".encode()).hexdigest()
