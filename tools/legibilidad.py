"""Readability of Spanish text on the Fernández-Huerta scale, the project's own scorer.

    L = 206.84 - 0.60 * P - 1.02 * F

with P the syllables per 100 words and F the words per sentence. 80 or more reads easily; below 60 is hard.
Syllables are counted as vowel nuclei: a run of vowels is one syllable unless two open vowels meet (a, e,
o) or an accented i/u breaks the diphthong (hiatus: "le-í-do", "dí-a"). Numbers, e-mail addresses and
URLs are not words: people read them as one chunk, and they carry no syllable load the formula is about.
A line break ends a sentence too: a bullet list reads as separate sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Puntaje", "legibilidad", "legibilidad_conjunta", "oraciones", "palabras", "silabas"]

_ABIERTAS = frozenset("aeoáéó")
_CERRADAS_TONICAS = frozenset("íú")
_VOCALES = frozenset("aeiouáéíóúü")
#: Addresses and links are read as one token, not spelled out.
_NO_PALABRAS = re.compile(r"\S+@\S+|\b(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?")
_PALABRA = re.compile(r"[a-záéíóúüñ]+", re.IGNORECASE)
_FIN_DE_ORACION = re.compile(r"[.!?…]+(?=\s|$)|\n+")
# The u of que, qui, gue, gui is written but not said.
_U_MUDA = re.compile(r"(?<=[qg])u(?=[eiéí])")


@dataclass(frozen=True)
class Puntaje:
    """A text's Fernández-Huerta score and the word count that weighs it in an average."""

    valor: float
    palabras: int


def silabas(palabra: str) -> int:
    """Syllables of one Spanish word (at least 1)."""
    texto = _U_MUDA.sub("", palabra.lower())
    if texto.endswith("y") and len(texto) > 1 and texto[-2] in _VOCALES:
        texto = texto[:-1] + "i"  # "hoy", "muy", "rey": a closing y is a vowel
    elif texto == "y":
        return 1
    total = 0
    anterior = ""
    for letra in texto:
        if letra not in _VOCALES:
            anterior = ""
            continue
        hiato = (letra in _ABIERTAS and anterior in _ABIERTAS) or bool(_CERRADAS_TONICAS & {letra, anterior})
        if not anterior or hiato:
            total += 1
        anterior = letra
    return max(total, 1)


def palabras(texto: str) -> list[str]:
    """The words of a text, without numbers, e-mail addresses or links."""
    return _PALABRA.findall(_NO_PALABRAS.sub(" ", texto))


def oraciones(texto: str) -> int:
    """How many sentences the text has (at least 1 when it has any word)."""
    partes = [p for p in _FIN_DE_ORACION.split(texto) if palabras(p)]
    return max(len(partes), 1)


def legibilidad(texto: str) -> Puntaje:
    """The Fernández-Huerta score of one text (100 for a text with no words)."""
    lista = palabras(texto)
    if not lista:
        return Puntaje(100.0, 0)
    p = 100 * sum(silabas(w) for w in lista) / len(lista)
    f = len(lista) / oraciones(texto)
    return Puntaje(206.84 - 0.60 * p - 1.02 * f, len(lista))


def legibilidad_conjunta(puntajes: Iterable[Puntaje]) -> float:
    """The average score of many texts, weighted by their words."""
    lista = list(puntajes)
    total = sum(p.palabras for p in lista)
    if not total:
        return 100.0
    return sum(p.valor * p.palabras for p in lista) / total
