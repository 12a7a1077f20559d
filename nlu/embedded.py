"""The embedded interpreter: trains from the YAML data on first use, then serves with numpy alone."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from nlu.clasificador import ClasificadorEnCache
from nlu.entities import extract_entities
from nlu.modelo import Configuracion, ModeloIntents
from nlu.normalizacion import normalizar
from nlu.payload import parse_payload
from nlu.tipos import ACTO_POR_OMISION, Parse

__all__ = ["ACTOS_DIR", "CONFIG_ACTOS", "INTENT_VACIO", "EmbeddedInterpreter"]

# An empty message has no words to classify; it is reported as out of scope with zero confidence.
INTENT_VACIO = "fuera_de_alcance"
#: The dialogue-act examples ship with the code: they describe Spanish, not this deployment's trámites.
ACTOS_DIR = Path(__file__).resolve().parent / "actos"
#: Acts keep ¿? as a word: "¿dónde la veo?" and "dónde la veo" are both questions, but the mark helps.
CONFIG_ACTOS = Configuracion(signos=True)


class EmbeddedInterpreter:
    """TF-IDF + linear intent classifier trained from Rasa YAML in `data_dir`, cached in `cache_dir`.

    A second classifier of the same kind, trained from `actos_dir`, gives the dialogue act.
    """

    def __init__(self, data_dir: Path, cache_dir: Path, actos_dir: Path | None = ACTOS_DIR) -> None:
        self.data_dir = Path(data_dir)
        self.cache_dir = Path(cache_dir)
        self._intents = ClasificadorEnCache(self.data_dir, self.cache_dir, "intents")
        self._actos = (
            ClasificadorEnCache(Path(actos_dir), self.cache_dir, "actos", CONFIG_ACTOS) if actos_dir else None
        )

    @property
    def origen(self) -> Literal["cache", "entrenamiento"] | None:
        """Where the intent model came from on first use."""
        return self._intents.origen

    @property
    def cache_path(self) -> Path | None:
        """The intent model's cache file, once loaded."""
        return self._intents.cache_path

    def ruta_cache(self) -> Path:
        """The intent model's cache file for the current training data."""
        return self._intents.ruta_cache()

    def ruta_cache_actos(self) -> Path | None:
        """The act model's cache file, when there is an act classifier."""
        return self._actos.ruta_cache() if self._actos else None

    def modelo(self) -> ModeloIntents:
        """The served intent model."""
        return self._intents.modelo()

    @property
    def intents(self) -> list[str]:
        """The intents the model knows."""
        return list(self.modelo().clases)

    def parse(self, text: str) -> Parse:
        """Intent, calibrated confidence, full ranking, dialogue act and validated entities."""
        payload = parse_payload(text)
        if payload is not None:
            return payload
        entidades = extract_entities(text)
        if not normalizar(text):
            return Parse(text=text, intent=INTENT_VACIO, confidence=0.0, ranking=[], entities=entidades)
        ranking = self._intents.ranking(text)
        acto, confianza_acto = self._actos.ranking(text)[0] if self._actos else (ACTO_POR_OMISION, 0.0)
        return Parse(
            text=text,
            intent=ranking[0][0],
            confidence=ranking[0][1],
            ranking=ranking,
            entities=entidades,
            act=acto,
            act_confidence=confianza_acto,
        )
