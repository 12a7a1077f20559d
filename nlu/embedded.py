"""The embedded interpreter: trains from the YAML data on first use, then serves with numpy alone."""

from __future__ import annotations

import logging
import threading
import zipfile
from pathlib import Path
from typing import Literal

from nlu.datos import huella_de_datos, leer_ejemplos
from nlu.entities import extract_entities
from nlu.modelo import ModeloIntents, guardar_npz
from nlu.normalizacion import normalizar
from nlu.payload import parse_payload
from nlu.tipos import Parse

__all__ = ["INTENT_VACIO", "EmbeddedInterpreter"]

log = logging.getLogger(__name__)

# An empty message has no words to classify; it is reported as out of scope with zero confidence.
INTENT_VACIO = "fuera_de_alcance"


class EmbeddedInterpreter:
    """TF-IDF + linear intent classifier trained from Rasa YAML in `data_dir`, cached in `cache_dir`."""

    def __init__(self, data_dir: Path, cache_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.cache_dir = Path(cache_dir)
        self._modelo: ModeloIntents | None = None
        self._lock = threading.Lock()
        self.origen: Literal["cache", "entrenamiento"] | None = None
        self.cache_path: Path | None = None

    def ruta_cache(self) -> Path:
        """The cache file for the current training data (content hash + code version)."""
        from nlu.entrenamiento import VERSION_CODIGO  # cheap: only defines names, no sklearn import

        huella = huella_de_datos(self.data_dir, VERSION_CODIGO)
        return self.cache_dir / f"intents-{huella[:24]}.npz"

    def modelo(self) -> ModeloIntents:
        """The served model: loaded from the cache, or trained and cached when missing or unreadable."""
        if self._modelo is not None:
            return self._modelo
        with self._lock:
            if self._modelo is None:
                self._modelo = self._cargar_o_entrenar()
        return self._modelo

    def _cargar_o_entrenar(self) -> ModeloIntents:
        ruta = self.ruta_cache()
        self.cache_path = ruta
        if ruta.is_file():
            try:
                modelo = ModeloIntents.cargar(ruta)
                self.origen = "cache"
                return modelo
            except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
                log.warning("El modelo en caché %s no se pudo leer (%s); se vuelve a entrenar.", ruta, exc)
        from nlu.entrenamiento import entrenar

        ejemplos = leer_ejemplos(self.data_dir)
        log.info("Entrenando el modelo de intents con %d ejemplos.", len(ejemplos))
        arreglos = entrenar(
            [e.text for e in ejemplos],
            [e.intent for e in ejemplos],
            extra={"huella": ruta.stem, "ejemplos": len(ejemplos)},
        )
        guardar_npz(arreglos, ruta)
        self.origen = "entrenamiento"
        return ModeloIntents(arreglos)

    @property
    def intents(self) -> list[str]:
        """The intents the model knows."""
        return list(self.modelo().clases)

    def parse(self, text: str) -> Parse:
        """Intent, calibrated confidence, full ranking and validated entities for one message."""
        payload = parse_payload(text)
        if payload is not None:
            return payload
        entidades = extract_entities(text)
        if not normalizar(text):
            return Parse(text=text, intent=INTENT_VACIO, confidence=0.0, ranking=[], entities=entidades)
        modelo = self.modelo()
        probabilidades = modelo.probabilidades(text)
        orden = sorted(range(len(modelo.clases)), key=lambda i: -float(probabilidades[i]))
        ranking = [(modelo.clases[i], float(probabilidades[i])) for i in orden]
        return Parse(
            text=text, intent=ranking[0][0], confidence=ranking[0][1], ranking=ranking, entities=entidades
        )
