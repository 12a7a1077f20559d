"""Semanas cotizadas: weeks contributed, weeks taken off (retiro por desempleo) and weeks given back.

Counting rules (documented because people compare them with their IMSS statement):
- An empleo covers every day from `fecha_alta` to `fecha_baja`, both included; an open empleo (or one whose
  baja is in the future) counts up to `hoy`, included. Empleos that start after `hoy` count nothing.
- Overlapping or simultaneous empleos are merged first, so a day is counted once:
  `cotizadas = (distinct days cotizados) // 7` (whole weeks, remainder days dropped).
- Per empleo, `semanas = días de ese empleo // 7`; with overlaps the per-empleo weeks can add up to more than
  `cotizadas`.
- `total = cotizadas - descontadas + reintegradas`; movements dated after `hoy` are ignored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tramites.documentos.modelo import DocumentoEmitido
from tramites.errores import TramiteError
from tramites.puertos import Puertos
from tramites.registro.identificar import identificar_persona
from tramites.registro.modelos import Empleo, Movimiento, Persona
from tramites.registro.puerto import Registro
from tramites.reportes import reporte_semanas as documento_semanas

__all__ = [
    "EmpleoSemanas",
    "ReporteEmitido",
    "ReporteSemanas",
    "SinNss",
    "calcular_semanas",
    "consultar_semanas",
    "dias_empleo",
    "emitir_reporte_semanas",
    "empleo_mas_reciente",
    "periodos_cotizados",
    "reporte_semanas",
]


class SinNss(TramiteError):
    """The person has no NSS, so there is nothing cotizado to report."""

    MENSAJE = (
        "Todavía no tienes un Número de Seguridad Social (NSS), así que no hay semanas cotizadas que "
        "mostrar. Puedo ayudarte a consultar o asignar tu NSS con tu CURP."
    )


@dataclass(frozen=True)
class EmpleoSemanas:
    """One empleo with the days and whole weeks it contributed up to the report date."""

    empleo: Empleo
    dias: int
    semanas: int


@dataclass(frozen=True)
class ReporteSemanas:
    """What the Reporte de Semanas Cotizadas shows."""

    nss: str
    fecha_corte: date
    cotizadas: int
    descontadas: int
    reintegradas: int
    total: int
    dias_cotizados: int
    empleos: list[EmpleoSemanas]
    movimientos: list[Movimiento]
    salario_base: Decimal | None
    """Salario base de cotización (diario) of the current or most recent empleo."""


def _fin(empleo: Empleo, hoy: date) -> date:
    return hoy if empleo.fecha_baja is None or empleo.fecha_baja > hoy else empleo.fecha_baja


def dias_empleo(empleo: Empleo, hoy: date) -> int:
    """Days cotizados by one empleo up to `hoy` (alta and baja included); 0 if it starts after `hoy`."""
    if empleo.fecha_alta > hoy:
        return 0
    return max(0, (_fin(empleo, hoy) - empleo.fecha_alta).days + 1)


def periodos_cotizados(empleos: Sequence[Empleo], hoy: date) -> list[tuple[date, date]]:
    """Uninterrupted periods (first day, last day, inclusive) after merging overlapping/adjacent empleos."""
    rangos = sorted((e.fecha_alta, _fin(e, hoy)) for e in empleos if e.fecha_alta <= hoy)
    periodos: list[tuple[date, date]] = []
    for inicio, fin in rangos:
        if fin < inicio:
            continue
        if periodos and inicio <= periodos[-1][1] + timedelta(days=1):
            if fin > periodos[-1][1]:
                periodos[-1] = (periodos[-1][0], fin)
        else:
            periodos.append((inicio, fin))
    return periodos


def empleo_mas_reciente(empleos: Sequence[Empleo], hoy: date) -> Empleo | None:
    """The current empleo, or the one that ended last (None without empleos up to `hoy`)."""
    vigentes = [e for e in empleos if e.fecha_alta <= hoy]
    if not vigentes:
        return None
    # Latest last-day wins; among those an open empleo, then the latest alta.
    return max(vigentes, key=lambda e: (_fin(e, hoy), e.fecha_baja is None or e.fecha_baja >= hoy,
                                        e.fecha_alta))


def calcular_semanas(
    nss: str, empleos: Sequence[Empleo], movimientos: Sequence[Movimiento], hoy: date
) -> ReporteSemanas:
    """Build the report from raw registry data (pure)."""
    dias = sum((fin - inicio).days + 1 for inicio, fin in periodos_cotizados(empleos, hoy))
    cotizadas = dias // 7
    vigentes = [m for m in movimientos if m.fecha <= hoy]
    descontadas = sum(m.semanas for m in vigentes if m.tipo == "descontadas")
    reintegradas = sum(m.semanas for m in vigentes if m.tipo == "reintegradas")
    detalle = [
        EmpleoSemanas(empleo=e, dias=dias_empleo(e, hoy), semanas=dias_empleo(e, hoy) // 7)
        for e in sorted(empleos, key=lambda e: (e.fecha_alta, e.registro_patronal))
        if e.fecha_alta <= hoy
    ]
    reciente = empleo_mas_reciente(empleos, hoy)
    return ReporteSemanas(
        nss=nss, fecha_corte=hoy, cotizadas=cotizadas, descontadas=descontadas, reintegradas=reintegradas,
        total=cotizadas - descontadas + reintegradas, dias_cotizados=dias, empleos=detalle,
        movimientos=list(vigentes), salario_base=reciente.salario_base_cotizacion if reciente else None,
    )


def reporte_semanas(registro: Registro, persona: Persona, hoy: date) -> ReporteSemanas:
    """The report for a registered person; raises `SinNss` when the person has no NSS."""
    if persona.nss is None:
        raise SinNss()
    return calcular_semanas(
        persona.nss, registro.historial_laboral(persona.nss), registro.movimientos_semanas(persona.nss), hoy
    )


def consultar_semanas(registro: Registro, curp: str, nss: str | None, hoy: date) -> ReporteSemanas:
    """The trámite: validate CURP (and NSS), find the person and build the report."""
    return reporte_semanas(registro, identificar_persona(registro, curp, nss, hoy=hoy), hoy)


@dataclass(frozen=True)
class ReporteEmitido:
    """The person, their semanas cotizadas and the Reporte de Semanas Cotizadas issued with them."""

    persona: Persona
    reporte: ReporteSemanas
    documento: DocumentoEmitido


def emitir_reporte_semanas(
    p: Puertos, curp: str, nss: str | None, *, clave: str | None = None
) -> ReporteEmitido:
    """The trámite: find the person, count the weeks up to today and issue the report.

    Raises what `identificar_persona` raises and `SinNss`. The same `clave` gives the same document.
    """
    hoy = p.hoy()
    persona = identificar_persona(p.registro, curp, nss, hoy=hoy)
    reporte = reporte_semanas(p.registro, persona, hoy)
    documento = p.emisor.emitir(documento_semanas(persona, reporte, p.ahora()), clave=clave)
    return ReporteEmitido(persona=persona, reporte=reporte, documento=documento)
