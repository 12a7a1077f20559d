"""Semanas cotizadas: CURP + NSS + email → a short summary and the Reporte de Semanas Cotizadas in PDF."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.documento import enviar_documento
from actions.servicios import servicios
from actions.vigencia import ValidacionCurpNss, eventos_por_error
from tramites.identidad import IdentidadError
from tramites.registro import Persona, TramiteError, identificar_persona
from tramites.registro.formato import fecha_larga
from tramites.reportes import reporte_semanas as documento_semanas
from tramites.semanas import ReporteSemanas, reporte_semanas

__all__ = ["ActionReporteSemanas", "ValidateSemanasForm", "resumen_semanas"]


class ValidateSemanasForm(ValidacionCurpNss):
    """Checks the CURP, NSS and email of the semanas cotizadas form."""

    def name(self) -> str:
        """Action name."""
        return "validate_semanas_form"


def _plural(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def resumen_semanas(persona: Persona, reporte: ReporteSemanas) -> str:
    """The chat summary: total weeks, how it is made up, and how many employers."""
    al = fecha_larga(reporte.fecha_corte)
    if not reporte.empleos and not reporte.movimientos:
        return (
            f"{persona.nombre}, todavía no tienes semanas cotizadas al {al}: no hay empleos registrados "
            "con tu NSS. Cuando un patrón te dé de alta, tus semanas empiezan a contar."
        )
    patrones = len({e.empleo.registro_patronal for e in reporte.empleos})
    return (
        f"{persona.nombre}, tienes {_plural(reporte.total, 'semana cotizada', 'semanas cotizadas')} al {al} "
        f"({reporte.cotizadas} cotizadas, {reporte.descontadas} descontadas y {reporte.reintegradas} "
        f"reintegradas), con {_plural(patrones, 'patrón', 'patrones')}."
    )


class ActionReporteSemanas(Action):
    """Builds the semanas cotizadas report and sends it."""

    def name(self) -> str:
        """Action name."""
        return "action_reporte_semanas"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the summary and the PDF, or explain what to fix."""
        s = servicios()
        curp = str(tracker.get_slot("curp"))
        nss = tracker.get_slot("nss")
        hoy = s.hoy()
        try:
            persona = identificar_persona(s.registro, curp, None if nss is None else str(nss), hoy=hoy)
            reporte = reporte_semanas(s.registro, persona, hoy)
        except (TramiteError, IdentidadError) as error:
            dispatcher.utter_message(text=error.mensaje)
            return eventos_por_error(error)
        documento = documento_semanas(persona, reporte, s.ahora())
        emitido = s.emisor.emitir(documento, f"reporte-semanas-{reporte.nss}.pdf")
        dispatcher.utter_message(text=resumen_semanas(persona, reporte))
        enviar_documento(
            dispatcher,
            emitido,
            "Aquí está tu Reporte de Semanas Cotizadas en PDF, con cada patrón, sus fechas de alta y baja "
            "y tu salario base de cotización.",
        )
        return []
