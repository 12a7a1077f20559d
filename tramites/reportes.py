"""The content of the Constancia de Vigencia de Derechos and the Reporte de Semanas Cotizadas.

Pure builders: they turn a computed `Vigencia` / `ReporteSemanas` into a `Documento` (what the PDF says,
before folio and sello). Looking people and clinics up is the caller's job.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tramites.documentos.modelo import Documento, Tabla
from tramites.registro.formato import fecha_corta, fecha_larga, genero, pesos
from tramites.registro.modelos import Beneficiario, Persona, Umf

if TYPE_CHECKING:
    # The trámite modules import this one to issue their documents.
    from tramites.semanas import ReporteSemanas
    from tramites.vigencia import Vigencia

__all__ = [
    "NO_VIGENTE",
    "VIGENTE",
    "constancia_vigencia",
    "etiqueta_parentesco",
    "etiqueta_umf",
    "reporte_semanas",
]

VIGENTE = "VIGENTE"
NO_VIGENTE = "NO VIGENTE"

_PARENTESCOS = {
    "conyuge": ("Cónyuge", "Cónyuge"),
    "concubina": ("Concubina", "Concubina"),
    "concubinario": ("Concubinario", "Concubinario"),
    "hijo": ("Hijo", "Hija"),
    "padre": ("Padre", "Padre"),
    "madre": ("Madre", "Madre"),
}


def etiqueta_parentesco(beneficiario: Beneficiario) -> str:
    """"Hija", "Cónyuge", ...: the registry code in words, with the sex read from the CURP."""
    propio = beneficiario.parentesco.capitalize()
    masculino, femenino = _PARENTESCOS.get(beneficiario.parentesco, (propio, propio))
    sexo = beneficiario.curp[10] if len(beneficiario.curp) == 18 else "H"
    return genero(sexo, masculino, femenino)


def etiqueta_umf(numero: int | None, umf: Umf | None = None) -> str:
    """The clinic as printed on the constancia: number, name and address when known."""
    if umf is not None:
        return f"UMF {umf.numero} {umf.nombre}. {umf.domicilio}, {umf.municipio}, {umf.estado}"
    if numero is not None:
        return f"UMF {numero}"
    return "Sin clínica asignada"


def _tipo_derechohabiente(persona: Persona, vigencia: Vigencia) -> str:
    s = persona.sexo
    if vigencia.titular is not None:
        palabra = genero(s, "Beneficiario", "Beneficiaria")
        return f"{palabra} de {vigencia.titular.nombre_completo} (NSS {vigencia.titular.nss or 'sin NSS'})"
    if persona.tipo == "pensionado":
        return genero(s, "Pensionado", "Pensionada")
    if persona.tipo == "sin_afiliacion":
        return "Con NSS, sin empleos registrados"
    return genero(s, "Asegurado", "Asegurada")


def _vigente_hasta(vigencia: Vigencia) -> str:
    if vigencia.vigente_hasta is not None:
        return fecha_larga(vigencia.vigente_hasta)
    if vigencia.titular is not None:
        return "Sin fecha de término mientras el titular conserve sus derechos"
    if vigencia.desde is not None:
        return "Sin fecha de término mientras continúe la relación laboral"
    return "Sin fecha de término mientras se reciba la pensión"


def constancia_vigencia(vigencia: Vigencia, ahora: datetime, umf: Umf | None = None) -> Documento:
    """The Constancia de Vigencia de Derechos; `umf` is the catalogue entry of `vigencia.umf`, if known."""
    persona = vigencia.persona
    campos: list[tuple[str, str]] = [
        ("Nombre", persona.nombre_completo),
        ("CURP", persona.curp),
        ("Número de Seguridad Social (NSS)", persona.nss or "Sin NSS"),
        ("Derechohabiente", _tipo_derechohabiente(persona, vigencia)),
        ("UMF de adscripción", etiqueta_umf(vigencia.umf, umf)),
        ("Último patrón", vigencia.ultimo_patron or "Sin empleos registrados"),
        ("Registro patronal", vigencia.registro_patronal or "Sin registro patronal"),
        ("Vigencia de derechos", VIGENTE if vigencia.vigente else NO_VIGENTE),
        ("Motivo", vigencia.motivo),
    ]
    if vigencia.vigente:
        if vigencia.desde is not None:
            campos.append(("Vigente desde", fecha_larga(vigencia.desde)))
        campos.append(("Vigente hasta", _vigente_hasta(vigencia)))
    campos.append(("Fecha de consulta", fecha_larga(ahora)))
    filas = [
        [b.nombre, b.curp, etiqueta_parentesco(b), fecha_corta(b.fecha_nacimiento)]
        for b in vigencia.beneficiarios
    ]
    tabla = Tabla(
        titulo="Beneficiarios registrados",
        columnas=["Nombre", "CURP", "Parentesco", "Fecha de nacimiento"],
        filas=filas,
    )
    notas = [
        "Esta constancia muestra tus derechos a la fecha de consulta; pueden cambiar si cambia tu "
        "situación laboral o tu registro ante el IMSS.",
    ]
    if vigencia.beneficiarios:
        notas.append(
            "Tus beneficiarios registrados reciben atención médica mientras tus derechos estén vigentes."
        )
    notas.append(
        "Vigencia calculada conforme a la Ley del Seguro Social: después de una baja se conservan 8 semanas "
        "de derechos si antes se cotizaron al menos 8 semanas seguidas (artículo 109)."
    )
    return Documento(
        tipo="constancia_vigencia",
        titulo="Constancia de Vigencia de Derechos",
        campos=campos,
        tablas=[tabla],
        notas=notas,
    )


def _semanas(n: int) -> str:
    return f"{n} semana" if n == 1 else f"{n} semanas"


def reporte_semanas(persona: Persona, reporte: ReporteSemanas, ahora: datetime) -> Documento:
    """The Reporte de Semanas Cotizadas: totals, employers (most recent first) and movements."""
    corte = reporte.fecha_corte
    campos: list[tuple[str, str]] = [
        ("Nombre", persona.nombre_completo),
        ("CURP", persona.curp),
        ("Número de Seguridad Social (NSS)", reporte.nss),
        ("Semanas cotizadas", str(reporte.cotizadas)),
        ("Semanas descontadas", str(reporte.descontadas)),
        ("Semanas reintegradas", str(reporte.reintegradas)),
        ("Total de semanas cotizadas", str(reporte.total)),
        (
            "Último salario base de cotización (diario)",
            pesos(reporte.salario_base) if reporte.salario_base is not None else "Sin registro",
        ),
        ("Semanas calculadas al", fecha_larga(corte)),
        ("Fecha de consulta", fecha_larga(ahora)),
    ]
    empleos = sorted(reporte.empleos, key=lambda e: (e.empleo.fecha_alta, e.empleo.registro_patronal),
                     reverse=True)
    patrones = Tabla(
        titulo="Patrones",
        columnas=["Registro patronal", "Patrón", "Fecha de alta", "Fecha de baja",
                  "Salario base de cotización (diario)", "Semanas"],
        filas=[
            [
                e.empleo.registro_patronal,
                e.empleo.patron,
                fecha_corta(e.empleo.fecha_alta),
                fecha_corta(e.empleo.fecha_baja)
                if e.empleo.fecha_baja is not None and e.empleo.fecha_baja <= corte
                else "Vigente",
                pesos(e.empleo.salario_base_cotizacion),
                str(e.semanas),
            ]
            for e in empleos
        ],
    )
    tablas = [patrones]
    if reporte.movimientos:
        tablas.append(
            Tabla(
                titulo="Semanas descontadas y reintegradas",
                columnas=["Fecha", "Movimiento", "Semanas", "Motivo"],
                filas=[
                    [fecha_corta(m.fecha), m.tipo.capitalize(), str(m.semanas), m.motivo]
                    for m in reporte.movimientos
                ],
            )
        )
    notas = [
        f"Total = semanas cotizadas - descontadas + reintegradas = {_semanas(reporte.total)}.",
        "Cada día cuenta una sola vez: si trabajaste con dos patrones al mismo tiempo, esos días no se "
        "suman dos veces, por eso la suma de semanas por patrón puede ser mayor que las semanas cotizadas.",
        "Las semanas descontadas son las que se restaron por un retiro parcial por desempleo de tu AFORE; "
        "las reintegradas, las que recuperaste al devolver ese retiro.",
    ]
    return Documento(
        tipo="reporte_semanas",
        titulo="Reporte de Semanas Cotizadas",
        campos=campos,
        tablas=tablas,
        notas=notas,
    )
