"""Serving side of the text classifiers: TF-IDF + linear model from exported weights, numpy only.

The analyzers reproduce scikit-learn's `TfidfVectorizer(analyzer="word")` and `analyzer="char_wb"`
exactly, so a model trained with scikit-learn scores the same here without importing it (the import
alone costs seconds; a parse here costs about a millisecond).
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nlu.normalizacion import normalizar

__all__ = [
    "Configuracion",
    "ModeloIntents",
    "guardar_npz",
    "ngramas_char_wb",
    "ngramas_palabras",
    "softmax",
]

Vector = npt.NDArray[np.float64]
_ESPACIOS_DOBLES = re.compile(r"\s\s+")


@dataclass(frozen=True)
class Configuracion:
    """Feature and classifier settings; stored with the weights so serving featurizes the same way."""

    token_pattern: str = r"(?u)\b\w+\b"
    palabras_ngram: tuple[int, int] = (1, 2)
    chars_ngram: tuple[int, int] = (2, 5)
    chars_min_df: int = 1
    clasificador: str = "svc"  # "svc" (LinearSVC + calibrated softmax) or "logreg"
    c: float = 1.0
    folds_calibracion: int = 5
    semilla: int = 13
    signos: bool = False  # keep ¿? as a word (the act classifier); see normalizar


    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, datos: dict[str, Any]) -> Configuracion:
        """Inverse of to_json (tuples come back from JSON lists)."""
        datos = {"signos": False, **datos}
        datos["palabras_ngram"] = tuple(datos["palabras_ngram"])
        datos["chars_ngram"] = tuple(datos["chars_ngram"])
        return cls(**datos)


def ngramas_palabras(doc: str, patron: re.Pattern[str], rango: tuple[int, int]) -> list[str]:
    """Word n-grams exactly as sklearn's `_word_ngrams` (no stop words)."""
    tokens = patron.findall(doc)
    min_n, max_n = rango
    if max_n == 1:
        return list(tokens)
    salida: list[str] = list(tokens) if min_n == 1 else []
    desde = max(min_n, 2)
    for n in range(desde, min(max_n + 1, len(tokens) + 1)):
        for i in range(len(tokens) - n + 1):
            salida.append(" ".join(tokens[i : i + n]))
    return salida


def ngramas_char_wb(doc: str, rango: tuple[int, int]) -> list[str]:
    """Character n-grams inside space-padded words, exactly as sklearn's `_char_wb_ngrams`."""
    doc = _ESPACIOS_DOBLES.sub(" ", doc)
    min_n, max_n = rango
    salida: list[str] = []
    for w in doc.split():
        w = " " + w + " "
        largo = len(w)
        for n in range(min_n, max_n + 1):
            offset = 0
            salida.append(w[offset : offset + n])
            while offset + n < largo:
                offset += 1
                salida.append(w[offset : offset + n])
            if offset == 0:  # sklearn counts a word shorter than n only once
                break
    return salida


def softmax(puntajes: Vector, temperatura: float = 1.0) -> Vector:
    """Numerically stable softmax over the last axis."""
    z = puntajes / temperatura
    z = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(z)
    resultado: Vector = e / np.sum(e, axis=-1, keepdims=True)
    return resultado


class _Bloque:
    """One TF-IDF vectorizer (vocabulary + idf), sublinear tf and l2 norm."""

    def __init__(self, vocabulario: list[str], idf: Vector, offset: int) -> None:
        self.indice = {termino: i + offset for i, termino in enumerate(vocabulario)}
        self.idf = idf
        self.offset = offset

    def vector(self, terminos: list[str]) -> tuple[list[int], list[float]]:
        """Sparse (indices, values) of the l2-normalized tf-idf vector."""
        conteo = Counter(t for t in terminos if t in self.indice)
        if not conteo:
            return [], []
        indices = [self.indice[t] for t in conteo]
        valores = [
            (math.log(n) + 1.0) * float(self.idf[i - self.offset])
            for i, n in zip(indices, conteo.values(), strict=True)
        ]
        norma = math.sqrt(sum(v * v for v in valores))
        return indices, [v / norma for v in valores]


class ModeloIntents:
    """Exported TF-IDF + linear classifier: scores and calibrated probabilities with numpy alone.

    It serves any label set: the intents and the dialogue acts are two instances.
    """

    def __init__(self, arreglos: dict[str, Any]) -> None:
        meta = json.loads(str(arreglos["meta"]))
        self.meta: dict[str, Any] = meta
        self.config = Configuracion.from_json(meta["config"])
        self.temperatura = float(meta["temperatura"])
        self.clases: list[str] = [str(c) for c in arreglos["clases"]]
        vocab_p = [str(t) for t in arreglos["vocab_palabras"]]
        vocab_c = [str(t) for t in arreglos["vocab_chars"]]
        self._palabras = _Bloque(vocab_p, np.asarray(arreglos["idf_palabras"], dtype=np.float64), 0)
        self._chars = _Bloque(vocab_c, np.asarray(arreglos["idf_chars"], dtype=np.float64), len(vocab_p))
        # Feature-major so one message gathers a few contiguous rows.
        self._coef_t: Vector = np.ascontiguousarray(np.asarray(arreglos["coef"], dtype=np.float64).T)
        self._intercept: Vector = np.asarray(arreglos["intercept"], dtype=np.float64)
        self._patron = re.compile(self.config.token_pattern)

    @classmethod
    def cargar(cls, path: Path) -> ModeloIntents:
        """Load weights written by `guardar_npz` (no pickles)."""
        with np.load(path, allow_pickle=False) as datos:
            return cls({k: datos[k] for k in datos.files})

    def puntajes(self, texto: str) -> Vector:
        """Decision scores per class, like sklearn's `decision_function`."""
        doc = normalizar(texto, self.config.signos)
        ip, vp = self._palabras.vector(ngramas_palabras(doc, self._patron, self.config.palabras_ngram))
        ic, vc = self._chars.vector(ngramas_char_wb(doc, self.config.chars_ngram))
        indices = ip + ic
        if not indices:
            return self._intercept.copy()
        valores = np.asarray(vp + vc, dtype=np.float64)
        resultado: Vector = valores @ self._coef_t[indices] + self._intercept
        return resultado

    def probabilidades(self, texto: str) -> Vector:
        """Calibrated probabilities per class (softmax of the scores at the fitted temperature)."""
        return softmax(self.puntajes(texto), self.temperatura)


def guardar_npz(arreglos: dict[str, Any], destino: Path) -> None:
    """Write the weights atomically: temp file in the same folder, then rename over the target."""
    destino.parent.mkdir(parents=True, exist_ok=True)
    fd, temporal = tempfile.mkstemp(prefix=destino.name + ".", suffix=".tmp", dir=destino.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arreglos)
        os.chmod(temporal, 0o644)  # mkstemp creates 0600; other workers (other users) must read it too
        os.replace(temporal, destino)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise
