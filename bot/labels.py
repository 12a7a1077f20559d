"""Human titles for intents, used on "¿Quisiste decir…?" buttons."""

from __future__ import annotations

__all__ = ["INTENT_LABELS", "intent_label"]

INTENT_LABELS: dict[str, str] = {
    "obtener_nss": "Consultar mi NSS",
    "vigencia_derechos": "Constancia de vigencia",
    "cambio_clinica": "Alta o cambio de clínica",
    "semanas_cotizadas": "Semanas cotizadas",
    "registrar_beneficiarios": "Registrar beneficiarios",
    "incapacidades": "Incapacidades",
    "cita_medica": "Cita médica",
    "crear_cuenta": "Crear cuenta con e.firma",
    "actualizar_datos": "Actualizar mis datos",
    "patron_tramites": "Trámites de patrones",
    "hablar_con_agente": "Hablar con un agente",
    "fuera_de_alcance": "Otra cosa",
    "saludo": "Saludar",
    "despedida": "Terminar",
    "agradecer": "Dar las gracias",
    "afirmar": "Sí",
    "negar": "No",
    "ayuda": "Ver qué puedo hacer",
}


def intent_label(intent: str) -> str:
    """The Spanish title of an intent."""
    return INTENT_LABELS.get(intent, intent.replace("_", " ").capitalize())
