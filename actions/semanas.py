"""Semanas cotizadas: CURP + NSS + email → a short summary and the Reporte de Semanas Cotizadas in PDF."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.acceso import del_titular
from actions.accion import Accion
from actions.dialogo import clave_del_mensaje
from actions.entrega import entregar
from actions.formulario import limpiar
from actions.identidad import DATOS_DE_IDENTIDAD
from actions.servicios import servicios
from actions.vigencia import ValidacionCurpNss, corregir, nss_opcional
from tramites.errores import TramiteError
from tramites.registro.formato import fecha_larga
from tramites.semanas import ReporteEmitido, emitir_reporte_semanas

__all__ = ["ActionReporteSemanas", "ValidateSemanasForm"]


class ValidateSemanasForm(ValidacionCurpNss):
    """Checks the CURP, NSS and email of the semanas cotizadas form."""

    def name(self) -> str:
        """Action name."""
        return "validate_semanas_form"


def _cuantos(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _resumen(dispatcher: CollectingDispatcher, hecho: ReporteEmitido) -> None:
    """The chat summary: total weeks, how it is made up, and how many employers."""
    reporte = hecho.reporte
    comunes = {"nombre": hecho.persona.nombre, "fecha": fecha_larga(reporte.fecha_corte)}
    if not reporte.empleos and not reporte.movimientos:
        dispatcher.utter_message(response="utter_semanas_sin_empleos", **comunes)
        return
    dispatcher.utter_message(
        response="utter_semanas",
        total=_cuantos(reporte.total, "semana cotizada", "semanas cotizadas"),
        cotizadas=reporte.cotizadas,
        descontadas=reporte.descontadas,
        reintegradas=reporte.reintegradas,
        patrones=_cuantos(len({e.empleo.registro_patronal for e in reporte.empleos}), "patrón", "patrones"),
        **comunes,
    )


class ActionReporteSemanas(Accion):
    """Builds the semanas cotizadas report and sends it."""

    NOMBRE = "action_reporte_semanas"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the summary and the PDF (only by email when IMSS holds none), or explain what to fix."""
        acceso = del_titular(dispatcher, tracker)
        if acceso is None:
            return limpiar(DATOS_DE_IDENTIDAD)
        try:
            hecho = emitir_reporte_semanas(
                servicios(), str(tracker.get_slot("curp")), nss_opcional(tracker),
                clave=clave_del_mensaje(tracker),
            )
        except TramiteError as error:
            return corregir(dispatcher, error)
        return entregar(
            dispatcher, tracker, hecho.documento, "utter_documento_semanas", acceso=acceso,
            email=str(tracker.get_slot("email")), resumen=lambda: _resumen(dispatcher, hecho),
        )
