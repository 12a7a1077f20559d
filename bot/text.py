"""Small text helpers for matching what people type (no accents, lowercase, trimmed)."""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "is_cancel", "is_resume"]

_CANCEL = {
    "cancelar",
    "cancela",
    "cancelalo",
    "cancel",
    "salir",
    "salte",
    "ya no",
    "olvidalo",
    "mejor no quiero seguir",
    "detente",
    "alto",
    "terminar",
    "ya no quiero",
}
_RESUME = {"volver al asistente", "hablar con el asistente", "terminar chat con agente", "/resume"}


def fold(text: str) -> str:
    """Lowercase, without accents (ñ kept) and with single spaces."""
    decomposed = unicodedata.normalize("NFD", text.lower().replace("ñ", "\0"))
    plain = "".join(c for c in decomposed if unicodedata.category(c) != "Mn").replace("\0", "ñ")
    return " ".join(plain.replace("¿", " ").replace("?", " ").replace("!", " ").replace("¡", " ").split())


def is_cancel(text: str) -> bool:
    """Whether the person asked to leave the current trámite."""
    folded = fold(text).strip(" .,")
    return folded in _CANCEL or folded.startswith("cancelar ") or folded == "/cancelar"


def is_resume(text: str) -> bool:
    """Whether the person asked to go back to the assistant after a handoff."""
    return fold(text).strip(" .,") in _RESUME
