"""Natural-language understanding: intents, dialogue acts and validated entities from what people type.

The intent names are declared once, in domain.yml; the classifier learns its classes from nlu/data.
"""

from __future__ import annotations

from nlu.datos import load_training_data
from nlu.embedded import EmbeddedInterpreter
from nlu.entities import extract_entities
from nlu.factory import build_interpreter
from nlu.rasa_http import RasaHttpInterpreter
from nlu.tipos import DatosNluInvalidos, Entity, Interpreter, NluError, NluNoDisponible, Parse

__all__ = [
    "DatosNluInvalidos",
    "EmbeddedInterpreter",
    "Entity",
    "Interpreter",
    "NluError",
    "NluNoDisponible",
    "Parse",
    "RasaHttpInterpreter",
    "build_interpreter",
    "extract_entities",
    "load_training_data",
]
