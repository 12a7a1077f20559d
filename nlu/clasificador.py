"""One text classifier trained from a folder of Rasa NLU YAML on first use and cached by content hash."""

from __future__ import annotations

import json
import logging
import threading
import zipfile
from pathlib import Path
from typing import Literal

from nlu.datos import huella_de_datos, leer_ejemplos
from nlu.modelo import Configuracion, ModeloIntents, guardar_npz

__all__ = ["ClasificadorEnCache"]

log = logging.getLogger(__name__)


class ClasificadorEnCache:
    """TF-IDF + linear classifier over the examples in `data_dir`, its weights cached in `cache_dir`.

    The intents and the dialogue acts are two of these, told apart by `prefijo` (the cache file name).
    """

    def __init__(
        self, data_dir: Path, cache_dir: Path, prefijo: str = "intents", config: Configuracion | None = None
    ) -> None:
        self.data_dir = Path(data_dir)
        self.cache_dir = Path(cache_dir)
        self.prefijo = prefijo
        self.config = config or Configuracion()
        self._modelo: ModeloIntents | None = None
        self._lock = threading.Lock()
        self.origen: Literal["cache", "entrenamiento"] | None = None
        self.cache_path: Path | None = None

    def ruta_cache(self) -> Path:
        """The cache file for the current data, code version and settings."""
        from nlu.entrenamiento import VERSION_CODIGO  # cheap: only defines names, no sklearn import

        version = f"{VERSION_CODIGO}:{json.dumps(self.config.to_json(), sort_keys=True)}"
        huella = huella_de_datos(self.data_dir, version)
        return self.cache_dir / f"{self.prefijo}-{huella[:24]}.npz"

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
        log.info("Entrenando el modelo %s con %d ejemplos.", self.prefijo, len(ejemplos))
        arreglos = entrenar(
            [e.text for e in ejemplos],
            [e.intent for e in ejemplos],
            self.config,
            extra={"huella": ruta.stem, "ejemplos": len(ejemplos)},
        )
        guardar_npz(arreglos, ruta)
        self.origen = "entrenamiento"
        return ModeloIntents(arreglos)

    def ranking(self, texto: str) -> list[tuple[str, float]]:
        """Every label with its calibrated probability, most likely first."""
        modelo = self.modelo()
        probabilidades = modelo.probabilidades(texto)
        orden = sorted(range(len(modelo.clases)), key=lambda i: -float(probabilidades[i]))
        return [(modelo.clases[i], float(probabilidades[i])) for i in orden]
