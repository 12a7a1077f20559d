"""Folding of what people type, so that "Mamá", "mama" and "MAMÁ?" match: one rule for the whole project.

Decision: ñ folds to n like any accented letter. People on phones without a Spanish keyboard write
"companera" and "ano"; matching is what folding is for, and no two words we match on differ only by ñ.
This module imports nothing of ours, so the engine, the actions, the NLU and the trámites can all use it.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "quitar_acentos"]

_SIGNOS = str.maketrans({"¿": " ", "?": " ", "¡": " ", "!": " "})


def quitar_acentos(texto: str) -> str:
    """The text without combining marks (á→a, ü→u, ñ→n), keeping its case."""
    descompuesto = unicodedata.normalize("NFD", texto)
    return unicodedata.normalize("NFC", "".join(c for c in descompuesto if unicodedata.category(c) != "Mn"))


def fold(texto: str) -> str:
    """Lowercase, without accents, without ¿?¡! and with single spaces."""
    return " ".join(quitar_acentos(texto.lower()).translate(_SIGNOS).split())
