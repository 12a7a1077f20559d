"""Vigencia de derechos: whether a person can get medical care at the IMSS today.

Rules, applied in this order at the date `hoy`:
1. Empleo abierto: an empleo with `fecha_alta <= hoy` and no baja (or a baja on/after `hoy`) -> vigente,
   `vigente_hasta` None, `desde` the first day of the current uninterrupted period.
2. Pensionado (`tipo == "pensionado"`) -> vigente, `vigente_hasta` None.
3. Conservación de derechos (LSS art. 109): with B the last baja and the uninterrupted period that ends
   on B covering at least 56 days (8 weeks; alta and baja days included, overlapping/adjacent empleos
   merged), the person stays vigente while `(hoy - B).days <= 56`: on day 56 after the baja
   (hoy = B + 56 = `vigente_hasta`) still vigente, on day 57 not. 55 days cotizados are not enough.
4. Beneficiario (`titular_curp` set): vigente exactly when the titular is vigente (same `vigente_hasta`).
5. Otherwise not vigente, with a motivo that says why and what the person can do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tramites.documentos.modelo import DocumentoEmitido
from tramites.puertos import Puertos
from tramites.registro.formato import fecha_larga, genero
from tramites.registro.identificar import identificar_persona
from tramites.registro.modelos import Beneficiario, Empleo, Persona
from tramites.registro.puerto import Registro
from tramites.reportes import constancia_vigencia
from tramites.semanas import empleo_mas_reciente, periodos_cotizados

__all__ = [
    "DIAS_CONSERVACION",
    "DIAS_MINIMOS_CONSERVACION",
    "ConstanciaVigencia",
    "Vigencia",
    "calcular_vigencia",
    "consultar_vigencia",
    "emitir_constancia",
    "emitir_constancia_vigencia",
    "evaluar_vigencia",
]

DIAS_CONSERVACION = 56
"""Days after the baja that medical rights are kept (8 weeks, LSS art. 109)."""
DIAS_MINIMOS_CONSERVACION = 56
"""Uninterrupted days cotizados right before the baja needed to keep rights (8 weekly contributions)."""

_REACTIVAR = (
    "Tus derechos se activan de nuevo en cuanto un patrón te dé de alta. Mientras tanto puedes contratar "
    "la Incorporación Voluntaria al Régimen Obligatorio o el Seguro de Salud para la Familia en tu "
    "subdelegación del IMSS."
)


@dataclass(frozen=True)
class Vigencia:
    """What the Constancia de Vigencia de Derechos states about a person at `fecha_consulta`."""

    persona: Persona
    fecha_consulta: date
    vigente: bool
    motivo: str
    vigente_hasta: date | None
    desde: date | None
    ultimo_patron: str | None
    registro_patronal: str | None
    umf: int | None
    beneficiarios: list[Beneficiario] = field(default_factory=list)
    titular: Persona | None = None
    """The titular through whom a beneficiario is covered."""


def evaluar_vigencia(
    persona: Persona,
    empleos: Sequence[Empleo],
    hoy: date,
    beneficiarios: Sequence[Beneficiario] = (),
    titular: Vigencia | None = None,
) -> Vigencia:
    """Apply the rules in the module docstring to raw data (pure); `titular` is the titular's Vigencia."""
    ultimo = empleo_mas_reciente(empleos, hoy)

    def resultado(vigente: bool, motivo: str, hasta: date | None = None, desde: date | None = None,
                  con_titular: Vigencia | None = None) -> Vigencia:
        return Vigencia(
            persona=persona, fecha_consulta=hoy, vigente=vigente, motivo=motivo, vigente_hasta=hasta,
            desde=desde, ultimo_patron=ultimo.patron if ultimo else None,
            registro_patronal=ultimo.registro_patronal if ultimo else None, umf=persona.umf,
            beneficiarios=list(beneficiarios), titular=con_titular.persona if con_titular else None,
        )

    periodos = periodos_cotizados(empleos, hoy)
    if ultimo is not None and periodos and (ultimo.fecha_baja is None or ultimo.fecha_baja >= hoy):
        return resultado(
            True,
            f"Tus derechos están vigentes: {ultimo.patron} (registro patronal {ultimo.registro_patronal}) "
            f"te tiene {genero(persona.sexo, 'dado', 'dada')} de alta desde el "
            f"{fecha_larga(ultimo.fecha_alta)}.",
            desde=periodos[-1][0],
        )
    if persona.tipo == "pensionado":
        palabra = genero(persona.sexo, "pensionado", "pensionada")
        return resultado(True, f"Tus derechos están vigentes porque eres {palabra} del IMSS. Siguen así "
                               "mientras recibas tu pensión.")
    sin_conservacion: Vigencia | None = None
    if ultimo is not None and periodos:
        inicio, baja = periodos[-1]
        cotizados = (baja - inicio).days + 1
        hasta = baja + timedelta(days=DIAS_CONSERVACION)
        if cotizados >= DIAS_MINIMOS_CONSERVACION and hoy <= hasta:
            return resultado(
                True,
                f"Tus derechos están vigentes hasta el {fecha_larga(hasta)}: {ultimo.patron} te dio de baja "
                f"el {fecha_larga(baja)} y, como cotizaste al menos 8 semanas seguidas antes, conservas "
                "8 semanas de atención médica, de maternidad, hospitalaria y medicinas (conservación de "
                "derechos, artículo 109 de la Ley del Seguro Social).",
                hasta=hasta, desde=inicio,
            )
        if hoy <= hasta:
            motivo = (f"No tienes derechos vigentes: {ultimo.patron} te dio de baja el {fecha_larga(baja)} "
                      f"y antes cotizaste solo {cotizados} días seguidos; para conservar derechos después "
                      "de la baja se necesitan al menos 8 semanas (56 días) seguidas. " + _REACTIVAR)
        else:
            motivo = (f"No tienes derechos vigentes: tu última baja fue el {fecha_larga(baja)} "
                      f"({ultimo.patron}) y ya pasaron más de 8 semanas. " + _REACTIVAR)
        sin_conservacion = resultado(False, motivo)
    if persona.titular_curp is not None and titular is not None:
        palabra = genero(persona.sexo, "beneficiario", "beneficiaria")
        if titular.vigente:
            hasta_txt = f" hasta el {fecha_larga(titular.vigente_hasta)}" if titular.vigente_hasta else ""
            return resultado(
                True,
                f"Tus derechos están vigentes{hasta_txt}: eres {palabra} de "
                f"{titular.persona.nombre_completo} y {genero(titular.persona.sexo, 'él', 'ella')} está al "
                "día con el IMSS.",
                hasta=titular.vigente_hasta, desde=titular.desde, con_titular=titular,
            )
        return resultado(
            False,
            f"No tienes derechos vigentes: estás {genero(persona.sexo, 'registrado', 'registrada')} como "
            f"{palabra} de "
            f"{titular.persona.nombre_completo}, pero sus derechos no están vigentes. Se activan de nuevo "
            "cuando un patrón le dé de alta.",
            con_titular=titular,
        )
    if sin_conservacion is not None:
        return sin_conservacion
    return resultado(
        False,
        "No tienes derechos vigentes: no encontramos empleos registrados con tu NSS. Si trabajas, pide a tu "
        "patrón que te dé de alta en el IMSS; si no, puedes contratar la Incorporación Voluntaria al Régimen "
        "Obligatorio o el Seguro de Salud para la Familia.",
    )


def calcular_vigencia(registro: Registro, persona: Persona, hoy: date) -> Vigencia:
    """Vigencia of a registered person, following a beneficiario to the titular."""
    empleos = registro.historial_laboral(persona.nss) if persona.nss else []
    beneficiarios = registro.beneficiarios(persona.nss) if persona.nss else []
    titular: Vigencia | None = None
    if persona.titular_curp is not None and persona.titular_curp != persona.curp:
        titular_persona = registro.persona_por_curp(persona.titular_curp)
        if titular_persona is not None and titular_persona.titular_curp is None:
            titular = calcular_vigencia(registro, titular_persona, hoy)
    return evaluar_vigencia(persona, empleos, hoy, beneficiarios, titular)


def consultar_vigencia(registro: Registro, curp: str, nss: str | None, hoy: date) -> Vigencia:
    """The trámite: validate CURP (and NSS), find the person and compute the vigencia.

    Raises `CurpInvalida`/`NssInvalido` (malformed), `CurpNoRegistrada`, `NssNoCoincide`.
    """
    return calcular_vigencia(registro, identificar_persona(registro, curp, nss, hoy=hoy), hoy)


@dataclass(frozen=True)
class ConstanciaVigencia:
    """The vigencia computed for a person and the Constancia de Vigencia de Derechos issued with it."""

    vigencia: Vigencia
    documento: DocumentoEmitido


def emitir_constancia_vigencia(
    p: Puertos, curp: str, nss: str | None, *, clave: str | None = None
) -> ConstanciaVigencia:
    """The trámite: find the person, compute the vigencia today and issue the constancia.

    Raises what `consultar_vigencia` raises. The same `clave` gives the same document.
    """
    return emitir_constancia(p, consultar_vigencia(p.registro, curp, nss, p.hoy()), clave=clave)


def emitir_constancia(p: Puertos, vigencia: Vigencia, *, clave: str | None = None) -> ConstanciaVigencia:
    """Issue the Constancia de Vigencia de Derechos of a computed vigencia (with its clinic, if known)."""
    umf = p.registro.umf(vigencia.umf) if vigencia.umf is not None else None
    documento = p.emisor.emitir(constancia_vigencia(vigencia, p.ahora(), umf), clave=clave)
    return ConstanciaVigencia(vigencia=vigencia, documento=documento)
