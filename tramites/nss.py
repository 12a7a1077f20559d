"""Consulta/localización del NSS: CURP + correo electrónico -> Número de Seguridad Social and its comprobante.

IMSS Digital sends the NSS to the email given; here the assistant hands it over in the chat, records the
request (with the email) as a solicitud and issues the Comprobante de Número de Seguridad Social.
"""

from __future__ import annotations

from dataclasses import dataclass

from tramites.comprobantes import comprobante_nss
from tramites.contacto import validar_email
from tramites.documentos.modelo import DocumentoEmitido
from tramites.errores import TramiteError
from tramites.identidad import validar_curp
from tramites.puertos import Puertos
from tramites.registro.errores import CurpNoRegistrada
from tramites.registro.modelos import Persona, Solicitud

__all__ = ["ResultadoNss", "SinNssAsignado", "consultar_nss"]


class SinNssAsignado(TramiteError):
    """The CURP is registered but no NSS was ever assigned to it."""

    MENSAJE = (
        "Tu CURP {curp} está en el registro del IMSS, pero todavía no tiene un NSS asignado. Puedes "
        "asignártelo en línea en IMSS Digital con tu CURP y tu correo, o en tu subdelegación con tu CURP "
        "y una identificación oficial."
    )
    curp: str


@dataclass(frozen=True)
class ResultadoNss:
    """The NSS of a person, the solicitud that recorded the request and the comprobante issued for it."""

    persona: Persona
    nss: str
    solicitud: Solicitud
    documento: DocumentoEmitido


def consultar_nss(p: Puertos, curp: str, email: str, *, clave: str | None = None) -> ResultadoNss:
    """Find the NSS of a CURP, record the request and issue its comprobante.

    Raises `CurpInvalida` (tramites.identidad) for a malformed CURP, `EmailInvalido`, `CurpNoRegistrada`
    (with what to do next) and `SinNssAsignado`. The same `clave` gives the same folio and document.
    """
    valor = validar_curp(curp).valor
    correo = validar_email(email)
    persona = p.registro.persona_por_curp(valor)
    if persona is None:
        raise CurpNoRegistrada(curp=valor)
    if persona.nss is None:
        raise SinNssAsignado(curp=valor)
    solicitud = p.registro.crear_solicitud(
        "nss", valor, {"email": correo, "nss": persona.nss}, estado="concluida", clave=clave
    )
    documento = p.emisor.emitir(comprobante_nss(persona, persona.nss, p.ahora()), clave=clave)
    return ResultadoNss(persona=persona, nss=persona.nss, solicitud=solicitud, documento=documento)
