"""Text normalization shared by training and serving (they must see exactly the same text)."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ABREVIATURAS", "normalizar"]

# Chat abbreviations that Mexican users type; mapped to full words so that "q onda" and
# "que onda" share features even when only one spelling is in the training data.
ABREVIATURAS: dict[str, str] = {
    "q": "que",
    "k": "que",
    "ke": "que",
    "qe": "que",
    "xq": "porque",
    "xk": "porque",
    "pq": "porque",
    "porq": "porque",
    "xfa": "por favor",
    "xfavor": "por favor",
    "porfa": "por favor",
    "porfis": "por favor",
    "porfavor": "por favor",
    "plis": "por favor",
    "pliss": "por favor",
    "pls": "por favor",
    "plz": "por favor",
    "x": "por",
    "d": "de",
    "tmb": "tambien",
    "tmbn": "tambien",
    "tb": "tambien",
    "dnd": "donde",
    "cel": "celular",
    "tel": "telefono",
    "num": "numero",
    "msj": "mensaje",
    "info": "informacion",
    "ps": "pues",
    "pss": "pues",
    "bn": "bien",
    "toy": "estoy",
    "sta": "esta",
}

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# CURP/RFC-shaped tokens carry no intent signal in their letters; a placeholder keeps "mi curp es X" generic.
_CURP = re.compile(r"\b[a-z]{4}\d{6}[a-z0-9]{8}\b")
_RFC = re.compile(r"\b[a-z&]{3,4}\d{6}[a-z0-9]{3}\b")
_NO_ALFANUM = re.compile(r"[^a-z0-9]+")
_DIGITOS = re.compile(r"\d+")
_REPETIDAS = re.compile(r"([a-z])\1{2,}")
_DOBLE_FINAL = re.compile(r"([aiouyjsh])\1\b")
_ESPACIOS = re.compile(r"\s+")


def _sin_acentos(texto: str) -> str:
    """Drop combining marks (á→a, ñ→n, ü→u)."""
    descompuesto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in descompuesto if not unicodedata.combining(c))


def normalizar(texto: str) -> str:
    """Lowercase, strip accents and punctuation, collapse letter repeats, expand chat abbreviations."""
    t = _sin_acentos(texto.lower())
    t = _EMAIL.sub(" correo ", t)
    t = _CURP.sub(" curp ", t)
    t = _RFC.sub(" rfc ", t)
    t = _NO_ALFANUM.sub(" ", t)
    t = _DIGITOS.sub("0", t)
    t = _REPETIDAS.sub(r"\1", t)
    t = _DOBLE_FINAL.sub(r"\1", t)
    palabras = [ABREVIATURAS.get(p, p) for p in t.split()]
    return _ESPACIOS.sub(" ", " ".join(palabras)).strip()
