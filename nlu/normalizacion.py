"""Text normalization shared by training and serving (they must see exactly the same text)."""

from __future__ import annotations

import re

from tramites.texto import quitar_acentos

__all__ = ["ABREVIATURAS", "SIGNO_PREGUNTA", "normalizar"]

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
    "pa": "para",
    "grax": "gracias",
    "grs": "gracias",
    "bno": "bueno",
    "weno": "bueno",
    "oie": "oye",
    "aki": "aqui",
    "sq": "es que",
    "nd": "nada",
    "nadamas": "nada mas",
    "nomas": "nada mas",
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
_PREGUNTA = re.compile(r"[¿?]+")
#: Word that stands for a question mark when the classifier keeps it (the act classifier does).
SIGNO_PREGUNTA = "qqsigno"


def normalizar(texto: str, signos: bool = False) -> str:
    """Lowercase, strip accents and punctuation, collapse letter repeats, expand chat abbreviations.

    With `signos`, ¿ and ? become the word `qqsigno`: whether a message asks something matters to the
    act classifier, not to the intent one.
    """
    t = quitar_acentos(texto.lower())
    if signos:
        t = _PREGUNTA.sub(f" {SIGNO_PREGUNTA} ", t)
    t = _EMAIL.sub(" correo ", t)
    t = _CURP.sub(" curp ", t)
    t = _RFC.sub(" rfc ", t)
    t = _NO_ALFANUM.sub(" ", t)
    t = _DIGITOS.sub("0", t)
    t = _REPETIDAS.sub(r"\1", t)
    t = _DOBLE_FINAL.sub(r"\1", t)
    palabras = [ABREVIATURAS.get(p, p) for p in t.split()]
    return _ESPACIOS.sub(" ", " ".join(palabras)).strip()
