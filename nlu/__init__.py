"""Natural-language understanding: intents and validated entities from what people type."""

from __future__ import annotations

from nlu.datos import load_training_data
from nlu.embedded import EmbeddedInterpreter
from nlu.entities import extract_entities
from nlu.factory import build_interpreter
from nlu.rasa_http import RasaHttpInterpreter
from nlu.tipos import DatosNluInvalidos, Entity, Interpreter, NluError, NluNoDisponible, Parse

__all__ = [
    "INTENTS",
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

INTENTS: tuple[str, ...] = (
    "obtener_nss",
    "vigencia_derechos",
    "cambio_clinica",
    "semanas_cotizadas",
    "registrar_beneficiarios",
    "incapacidades",
    "cita_medica",
    "crear_cuenta",
    "actualizar_datos",
    "patron_tramites",
    "hablar_con_agente",
    "fuera_de_alcance",
    "saludo",
    "despedida",
    "agradecer",
    "afirmar",
    "negar",
    "ayuda",
)
