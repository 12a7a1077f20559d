"""The NLU result types and the interpreter protocol that the engine codes against."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

__all__ = [
    "ACTOS",
    "ACTO_POR_OMISION",
    "DatosNluInvalidos",
    "Entity",
    "Interpreter",
    "NluError",
    "NluNoDisponible",
    "Parse",
]

#: Dialogue acts: what kind of message this is, whatever its topic (see docs/nlu.md).
ACTOS: tuple[str, ...] = ("pregunta", "solicitud", "no_se", "salir", "dato")
#: The act when nothing classified it (a Rasa server, a button): an ordinary request, with no confidence.
ACTO_POR_OMISION = "solicitud"


class NluError(Exception):
    """Base error of the NLU package; `mensaje` is a Spanish text for operators or users."""

    def __init__(self, mensaje: str) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje


class NluNoDisponible(NluError):
    """The remote NLU server (Rasa) could not be reached or answered badly."""


class DatosNluInvalidos(NluError):
    """A training or evaluation file cannot be read."""


@dataclass(frozen=True)
class Entity:
    """One entity found in a message, with offsets into the original text."""

    entity: str
    value: str
    start: int
    end: int
    extractor: str = "regex"

    def to_rasa(self) -> dict[str, Any]:
        """Rasa's entity dict."""
        return asdict(self)


@dataclass(frozen=True)
class Parse:
    """What the NLU understood from one message."""

    text: str
    intent: str
    confidence: float
    ranking: list[tuple[str, float]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    act: str = ACTO_POR_OMISION
    act_confidence: float = 0.0

    def to_rasa(self) -> dict[str, Any]:
        """Rasa's parse_data dict (what `/model/parse` answers) plus our dialogue act."""
        return {
            "text": self.text,
            "intent": {"name": self.intent, "confidence": self.confidence},
            "entities": [e.to_rasa() for e in self.entities],
            "intent_ranking": [{"name": n, "confidence": c} for n, c in self.ranking],
            "act": {"name": self.act, "confidence": self.act_confidence},
        }

    def to_dict(self) -> dict[str, Any]:
        """A compact JSON-ready dict (used by `asistente nlu parse`)."""
        return {
            "text": self.text,
            "intent": self.intent,
            "confidence": self.confidence,
            "ranking": [{"intent": n, "confidence": c} for n, c in self.ranking],
            "entities": [e.to_rasa() for e in self.entities],
            "act": self.act,
            "act_confidence": self.act_confidence,
        }


class Interpreter(Protocol):
    """Anything that turns a user message into a Parse."""

    def parse(self, text: str) -> Parse:
        """Classify the message and extract its entities."""
        ...
