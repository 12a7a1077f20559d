"""A relative's Constancia de Vigencia de Derechos, asked by the titular or by the relative.

Beneficiarios are registered under the titular's NSS (LSS art. 84) and many have no NSS of their own
(children, most spouses), so a relative is identified in one of two ways:
- with their CURP plus the titular's CURP and NSS: the relative must be among the titular's
  beneficiarios, and is vigente exactly when the titular is (rule 4 of `tramites.vigencia`);
- with their own CURP and NSS, when they have a record of their own (they work or worked).
`como_identificar` tells the conversation which of the two it still needs.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

from tramites.errores import TramiteError
from tramites.identidad import validar_curp
from tramites.puertos import Puertos
from tramites.registro.identificar import identificar_persona
from tramites.registro.modelos import Beneficiario, Persona
from tramites.registro.puerto import Registro
from tramites.vigencia import (
    ConstanciaVigencia,
    Vigencia,
    calcular_vigencia,
    emitir_constancia,
    evaluar_vigencia,
)

__all__ = [
    "Falta",
    "FamiliarEsElTitular",
    "FamiliarNoRegistrado",
    "como_identificar",
    "emitir_constancia_familiar",
    "vigencia_familiar",
]

Falta = Literal["nada", "nss_del_familiar", "titular"]
"""What identifies the relative still: nothing more, their own NSS, or the titular's CURP and NSS."""


class FamiliarEsElTitular(TramiteError):
    """The relative's CURP is the titular's own."""

    MENSAJE = "Esa CURP es la tuya. Necesito la CURP de tu familiar."


class FamiliarNoRegistrado(TramiteError):
    """The CURP is not among the titular's beneficiarios and has no record of its own."""

    MENSAJE = (
        "No encontré la CURP {curp} entre los beneficiarios de {titular}. Revisa la CURP. Si aún no es tu "
        "beneficiario, primero hay que registrarlo."
    )
    curp: str
    titular: str


def _beneficiario(registro: Registro, titular: Persona, curp: str) -> Beneficiario | None:
    if not titular.nss:
        return None
    return next((b for b in registro.beneficiarios(titular.nss) if b.curp == curp), None)


def como_identificar(registro: Registro, familiar_curp: str, titular: Persona | None) -> Falta:
    """What is still needed to identify the relative, given the titular (if known).

    Raises `FamiliarEsElTitular`, and `FamiliarNoRegistrado` when the titular is known, the relative is
    not their beneficiario and has no record of their own.
    """
    curp = validar_curp(familiar_curp).valor
    if titular is not None:
        if curp == titular.curp:
            raise FamiliarEsElTitular()
        if _beneficiario(registro, titular, curp) is not None:
            return "nada"
    propio = registro.persona_por_curp(curp)
    if propio is not None and propio.nss:
        return "nss_del_familiar"
    if titular is not None:
        raise FamiliarNoRegistrado(curp=curp, titular=titular.nombre_completo)
    return "titular"


def _como_persona(beneficiario: Beneficiario, titular: Persona) -> Persona:
    """A beneficiario with no record of their own, as the constancia needs them: covered by the titular."""
    return Persona(
        curp=beneficiario.curp, nss=None, nombre=beneficiario.nombre, apellido_paterno="",
        apellido_materno="", email=None, telefono=None, cp=titular.cp,
        fecha_nacimiento=beneficiario.fecha_nacimiento, sexo=beneficiario.curp[10], umf=titular.umf,
        tipo="beneficiario", titular_curp=titular.curp, turno=titular.turno,
    )


def vigencia_familiar(
    registro: Registro, familiar_curp: str, hoy: date, *, titular: Persona | None = None,
    familiar_nss: str | None = None,
) -> Vigencia:
    """The relative's vigencia, through the titular when they are a beneficiario, else on their own.

    Raises `CurpInvalida`, `FamiliarEsElTitular`, `FamiliarNoRegistrado`, and what `identificar_persona`
    raises for the relative's own CURP and NSS.
    """
    curp = validar_curp(familiar_curp).valor
    if titular is not None:
        if curp == titular.curp:
            raise FamiliarEsElTitular()
        beneficiario = _beneficiario(registro, titular, curp)
        if beneficiario is not None:
            propio = registro.persona_por_curp(curp)
            persona = replace(propio or _como_persona(beneficiario, titular), titular_curp=titular.curp)
            empleos = registro.historial_laboral(persona.nss) if persona.nss else []
            suyos = registro.beneficiarios(persona.nss) if persona.nss else []
            return evaluar_vigencia(persona, empleos, hoy, suyos, calcular_vigencia(registro, titular, hoy))
        if familiar_nss is None:
            raise FamiliarNoRegistrado(curp=curp, titular=titular.nombre_completo)
    if familiar_nss is None:
        raise FamiliarNoRegistrado(curp=curp, titular="la persona asegurada")
    return calcular_vigencia(registro, identificar_persona(registro, curp, familiar_nss, hoy=hoy), hoy)


def emitir_constancia_familiar(
    p: Puertos,
    familiar_curp: str,
    *,
    titular_curp: str | None,
    titular_nss: str | None,
    familiar_nss: str | None = None,
    clave: str | None = None,
) -> ConstanciaVigencia:
    """The trámite: identify the titular (if given) and the relative, and issue the relative's constancia."""
    hoy = p.hoy()
    titular = identificar_persona(p.registro, titular_curp, titular_nss, hoy=hoy) if titular_curp else None
    vigencia = vigencia_familiar(p.registro, familiar_curp, hoy, titular=titular, familiar_nss=familiar_nss)
    return emitir_constancia(p, vigencia, clave=clave)
