"""Fitting text into a platform's limits: long messages split, titles shortened."""

from __future__ import annotations

__all__ = ["shorten", "split_text", "utf16_len"]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (how Telegram counts; characters outside the BMP count twice)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = 4096) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut at a paragraph, line or space when there is one.

    Counting UTF-16 units is never more than counting characters, so it is safe for WhatsApp too.
    """
    pieces: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        # The longest prefix within the limit (characters outside the BMP count twice).
        end = min(len(rest), limit)
        while utf16_len(rest[:end]) > limit:
            end -= 1
        window = rest[:end]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            # One word longer than a message: cut it.
            cut = end
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def shorten(text: str, limit: int) -> str:
    """`text` within `limit` characters: cut at the last whole word that fits, marked with "…"."""
    clean = " ".join(text.split())
    if len(clean) <= limit:
        return clean
    window = clean[: limit - 1]
    cut = window.rfind(" ")
    # A cut that keeps less than half the room loses too much: cut the word instead.
    head = window[:cut] if cut >= limit // 2 else window
    return head.rstrip(" ,.;:-") + "…"
