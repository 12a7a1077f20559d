"""Training side of the intent classifier (scikit-learn, imported only here and inside functions)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

from nlu.modelo import Configuracion, Vector, softmax
from nlu.normalizacion import normalizar

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

__all__ = [
    "VERSION_CODIGO",
    "ajustar_temperatura",
    "construir_pipeline",
    "entrenar",
    "entrenar_pipeline",
    "exportar",
]

# Bump when featurization or training changes: the cache key includes it, so old weights are not reused.
VERSION_CODIGO = "nlu-2"


def construir_pipeline(config: Configuracion) -> Pipeline:
    """An unfitted TF-IDF (word + char_wb) + linear classifier pipeline."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.svm import LinearSVC

    preprocesar = partial(normalizar, signos=config.signos)
    palabras = TfidfVectorizer(
        analyzer="word", token_pattern=config.token_pattern, ngram_range=config.palabras_ngram,
        preprocessor=preprocesar, sublinear_tf=True,
    )  # fmt: skip
    chars = TfidfVectorizer(
        analyzer="char_wb", ngram_range=config.chars_ngram, min_df=config.chars_min_df,
        preprocessor=preprocesar, sublinear_tf=True,
    )  # fmt: skip
    clasificador: Any
    if config.clasificador == "logreg":
        clasificador = LogisticRegression(
            C=config.c, max_iter=5000, class_weight="balanced", random_state=config.semilla
        )
    else:
        clasificador = LinearSVC(C=config.c, class_weight="balanced", random_state=config.semilla)
    return Pipeline(
        [("rasgos", FeatureUnion([("palabras", palabras), ("chars", chars)])), ("clf", clasificador)]
    )


def ajustar_temperatura(puntajes: Vector, etiquetas: Sequence[int]) -> float:
    """Softmax temperature minimizing the log-loss of out-of-fold scores (SVM margins → probabilities)."""
    y = np.asarray(etiquetas)
    filas = np.arange(len(y))

    def perdida(t: float) -> float:
        p = softmax(puntajes, t)
        return float(-np.mean(np.log(np.clip(p[filas, y], 1e-12, 1.0))))

    candidatas = np.logspace(-2.5, 1.0, 71)
    mejor = float(min(candidatas, key=perdida))
    # Refine around the best grid point.
    finas = np.linspace(mejor / 1.12, mejor * 1.12, 41)
    return float(min(finas, key=perdida))


def entrenar_pipeline(
    textos: Sequence[str], intents: Sequence[str], config: Configuracion
) -> tuple[Pipeline, float]:
    """Fit the pipeline and the softmax temperature (1.0 for logistic regression: already calibrated)."""
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    pipeline = construir_pipeline(config)
    pipeline.fit(list(textos), list(intents))
    if config.clasificador == "logreg":
        return pipeline, 1.0
    clases = list(pipeline.classes_)
    menor = min(list(intents).count(c) for c in clases)
    folds = max(2, min(config.folds_calibracion, menor))
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=config.semilla)
    fuera = cross_val_predict(
        construir_pipeline(config), list(textos), list(intents), cv=cv, method="decision_function"
    )
    etiquetas = [clases.index(i) for i in intents]
    return pipeline, ajustar_temperatura(np.asarray(fuera, dtype=np.float64), etiquetas)


def exportar(
    pipeline: Pipeline, temperatura: float, config: Configuracion, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Arrays that `ModeloIntents` serves from: vocabularies, idf, coef, intercept, classes, meta."""
    union = pipeline.named_steps["rasgos"]
    palabras = union.transformer_list[0][1]
    chars = union.transformer_list[1][1]
    clf = pipeline.named_steps["clf"]

    def vocabulario(vectorizador: Any) -> tuple[np.ndarray[Any, Any], Vector]:
        terminos = sorted(vectorizador.vocabulary_.items(), key=lambda kv: kv[1])
        return np.array([t for t, _ in terminos], dtype=np.str_), np.asarray(
            vectorizador.idf_, dtype=np.float64
        )

    vocab_p, idf_p = vocabulario(palabras)
    vocab_c, idf_c = vocabulario(chars)
    coef = np.asarray(clf.coef_, dtype=np.float64)
    intercept = np.asarray(clf.intercept_, dtype=np.float64)
    if coef.shape[0] == 1:  # binary problems store one row; serving expects one per class
        coef = np.vstack([-coef, coef])
        intercept = np.array([-intercept[0], intercept[0]])
    meta = {
        "version": VERSION_CODIGO,
        "config": config.to_json(),
        "temperatura": temperatura,
        **(extra or {}),
    }
    return {
        "clases": np.array(list(clf.classes_), dtype=np.str_),
        "vocab_palabras": vocab_p,
        "idf_palabras": idf_p,
        "vocab_chars": vocab_c,
        "idf_chars": idf_c,
        "coef": coef,
        "intercept": intercept,
        "meta": np.array(json.dumps(meta, ensure_ascii=False)),
    }


def entrenar(
    textos: Sequence[str],
    intents: Sequence[str],
    config: Configuracion | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Train and export in one step."""
    config = config or Configuracion()
    pipeline, temperatura = entrenar_pipeline(textos, intents, config)
    return exportar(pipeline, temperatura, config, extra)
