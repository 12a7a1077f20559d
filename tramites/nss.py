"""Consulta/localización del NSS: CURP + correo electrónico -> Número de Seguridad Social.

IMSS Digital sends the NSS to the email given; here the assistant hands it over in the chat and records
the request (with the email) as a solicitud, so the folio can be printed on the comprobante.
"""

from __future__ import annotations

from dataclasses import dataclass

from tramites.identidad import validar_curp
from tramites.registro.errores import CurpNoRegistrada, TramiteError
from tramites.registro.modelos import Persona
from tramites.registro.puerto import Registro
from tramites.registro.validacion import EmailInvalido, validar_email

__all__ = ["CurpNoRegistrada", "EmailInvalido", "NssError", "ResultadoNss", "SinNssAsignado", "consultar_nss"]


class NssError(TramiteError):
    """Base error of the NSS trámite."""


class SinNssAsignado(NssError):
    """The CURP is registered but no NSS was ever assigned to it."""

    def __init__(self, curp: str) -> None:
        self.curp = curp
        super().__init__(
            f"Tu CURP {curp} está en el registro del IMSS, pero todavía no tiene un NSS asignado. Puedes "
            "asignártelo en línea en IMSS Digital con tu CURP y tu correo, o en tu subdelegación con tu CURP "
            "y una identificación oficial."
        )


@dataclass(frozen=True)
class ResultadoNss:
    """The NSS found for a CURP, with the request folio and the email it was requested with."""

    nss: str
    curp: str
    nombre_completo: str
    email: str
    folio: str
    persona: Persona

    @property
    def mensaje(self) -> str:
        """The chat answer, e.g. "Tu Número de Seguridad Social (NSS) es 01078871009."."""
        return (f"{self.persona.nombre}, tu Número de Seguridad Social (NSS) es {self.nss}. "
                f"Guardamos tu solicitud con el folio {self.folio} y tu correo {self.email}.")


def consultar_nss(registro: Registro, curp: str, email: str) -> ResultadoNss:
    """Find the NSS of a CURP and record the request.

    Raises `CurpInvalida` (tramites.identidad) for a malformed CURP, `EmailInvalido`, `CurpNoRegistrada`
    (with what to do next) and `SinNssAsignado`.
    """
    valor = validar_curp(curp).valor
    correo = validar_email(email)
    persona = registro.persona_por_curp(valor)
    if persona is None:
        raise CurpNoRegistrada(valor)
    if persona.nss is None:
        raise SinNssAsignado(valor)
    solicitud = registro.crear_solicitud("nss", valor, {"email": correo, "nss": persona.nss},
                                         estado="concluida")
    return ResultadoNss(nss=persona.nss, curp=valor, nombre_completo=persona.nombre_completo, email=correo,
                        folio=solicitud.folio, persona=persona)
