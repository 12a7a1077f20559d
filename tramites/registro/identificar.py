"""Find the person a trámite is about from the CURP (and NSS) the person typed."""

from __future__ import annotations

from datetime import date

from tramites.identidad import validar_curp, validar_nss
from tramites.registro.errores import CurpNoRegistrada, NssNoCoincide
from tramites.registro.modelos import Persona
from tramites.registro.puerto import Registro

__all__ = ["identificar_persona"]


def identificar_persona(registro: Registro, curp: str, nss: str | None = None, *, hoy: date) -> Persona:
    """Validate the CURP (and NSS if given) and return the registered person.

    Raises `CurpInvalida` / `NssInvalido` (tramites.identidad) for malformed input, `CurpNoRegistrada` when
    nobody has that CURP and `NssNoCoincide` when the NSS belongs to someone else or to nobody.
    """
    valor = validar_curp(curp).valor
    nss_valor = validar_nss(nss, hoy=hoy).valor if nss is not None else None
    persona = registro.persona_por_curp(valor)
    if persona is None:
        raise CurpNoRegistrada(curp=valor)
    if nss_valor is not None and persona.nss != nss_valor:
        raise NssNoCoincide(curp=valor, nss=nss_valor)
    return persona
