"""Which guidance answer a question asks for, and which other institution a message is about.

Answers are matched by meaning the cheap way: the question's words (folded, without filler words, cut to
a short stem so "incapacidades" meets "incapacidad") against each entry's example questions, weighted by
how rare each word is among the entries (a word every entry shares decides nothing). The NLU's intent
is a prior, not a filter: "¿cuál es el teléfono?" may come labelled as another trámite and still find
the phone. Institutions are named, so the routing table matches its words as whole words.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from tramites.orientacion.datos import Destino, Entrada, Orientacion
from tramites.texto import fold

__all__ = ["UMBRAL", "Buscador", "raices"]

UMBRAL = 0.45
"""The least similarity (0 to 1, intent prior included) at which an answer is taken as the one asked for."""
#: How much an entry of the message's own intent is preferred over the others.
_PRIOR_INTENT = 0.15
_MINIMO_COMUN = 2
_PALABRA = re.compile(r"[a-z0-9]+")
_RAIZ = 6


def raices(texto: str, vacias: frozenset[str] = frozenset()) -> list[str]:
    """The words that carry meaning, folded and cut to their first letters (a crude, stable stem)."""
    salida = []
    for palabra in _PALABRA.findall(fold(texto).replace(".", "")):
        if palabra in vacias:
            continue
        if len(palabra) > 4 and palabra.endswith("s"):
            palabra = palabra[:-1]
        salida.append(palabra[:_RAIZ])
    return salida


class Buscador:
    """Finds the answer for a question and the institution a message names."""

    def __init__(self, orientacion: Orientacion) -> None:
        self.orientacion = orientacion
        vacias = orientacion.palabras_vacias
        self._vacias = vacias
        self._ejemplos: list[tuple[Entrada, frozenset[str]]] = [
            (e, frozenset(raices(p, vacias))) for e in orientacion.entradas for p in (*e.preguntas, e.id)
        ]
        por_entrada: dict[str, set[str]] = {}
        for entrada, palabras in self._ejemplos:
            por_entrada.setdefault(entrada.id, set()).update(palabras)
        frecuencia = Counter(p for palabras in por_entrada.values() for p in palabras)
        total = max(len(por_entrada), 1)
        self._idf = {p: math.log(1 + total / n) for p, n in frecuencia.items()}
        self._claves = [
            (d, [re.compile(rf"(?<![a-z0-9]){re.escape(fold(c))}(?![a-z0-9])") for c in d.claves])
            for d in orientacion.destinos
        ]

    def _peso(self, palabras: Iterable[str]) -> float:
        return math.sqrt(sum(self._idf.get(p, 0.0) ** 2 for p in palabras))

    def similitud(self, pregunta: str, entrada: Entrada) -> float:
        """How well `pregunta` matches the entry's best example question (0 to 1)."""
        consulta = {p for p in raices(pregunta, self._vacias) if p in self._idf}
        norma = self._peso(consulta)
        if not norma:
            return 0.0
        mejor = 0.0
        for candidata, palabras in self._ejemplos:
            if candidata.id != entrada.id or not palabras:
                continue
            comunes = consulta & palabras
            # One shared word ("curp", "veo") is a topic, not a question: two are needed, unless the
            # example is one word ("nss") and so is what the person asked.
            if len(comunes) < _MINIMO_COMUN and not (len(palabras) == 1 and consulta == palabras):
                continue
            peso = sum(self._idf[p] ** 2 for p in comunes)
            mejor = max(mejor, peso / (norma * self._peso(palabras)))
        return mejor

    def entrada(self, pregunta: str, intent: str | None, *, por_omision: bool = True) -> Entrada | None:
        """The answer to `pregunta`; without a good match, the intent's default answer (if allowed)."""
        puntajes = [
            (self.similitud(pregunta, e) + (_PRIOR_INTENT if intent in e.intents else 0.0), e)
            for e in self.orientacion.entradas
        ]
        mejor = max(puntajes, key=lambda par: par[0], default=None)
        if mejor is not None and mejor[0] >= UMBRAL:
            return mejor[1]
        if not por_omision or intent is None:
            return None
        return next((e for e in self.orientacion.entradas if e.por_omision and intent in e.intents), None)

    def destino(self, texto: str, *, solo_urgentes: bool = False) -> Destino | None:
        """The institution (or emergency) the message names most; ties go to the one first in the file."""
        plano = fold(texto)
        mejor: tuple[int, Destino] | None = None
        for destino, claves in self._claves:
            if solo_urgentes and not destino.urgente:
                continue
            veces = sum(1 for clave in claves if clave.search(plano))
            if veces and (mejor is None or veces > mejor[0]):
                mejor = (veces, destino)
        return mejor[1] if mejor else None
