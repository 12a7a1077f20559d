"""Errors raised by the registry; each is its Spanish message as data (see `tramites.errores`)."""

from __future__ import annotations

from tramites.errores import TramiteError

__all__ = [
    "BeneficiarioDuplicado",
    "CuentaYaRegistrada",
    "CurpNoRegistrada",
    "NssNoCoincide",
    "NssNoRegistrado",
    "PersonaNoEncontrada",
    "SolicitudNoEncontrada",
    "UmfNoEncontrada",
]

class CurpNoRegistrada(TramiteError):
    """No person with that CURP is in the IMSS registry."""

    MENSAJE = (
        "No encontramos un registro con la CURP {curp}. Revisa que sea la tuya y esté bien escrita. "
        "Si nunca has trabajado con un patrón afiliado al IMSS, todavía no tienes NSS: "
        "puedes asignártelo en línea con tu CURP y un correo electrónico en IMSS Digital "
        "(app o serviciosdigitales.imss.gob.mx). "
        "Si ya trabajaste y crees que es un error, acude a tu subdelegación del IMSS con tu CURP y una "
        "identificación oficial con fotografía."
    )
    curp: str


class NssNoRegistrado(TramiteError):
    """The NSS is well formed but belongs to nobody in the registry."""

    MENSAJE = (
        "No encontramos el NSS {nss} en el registro del IMSS. Revisa que esté bien escrito; si no lo "
        'recuerdas, pídeme "consultar mi NSS" y te lo doy con tu CURP.'
    )
    nss: str


class NssNoCoincide(TramiteError):
    """The NSS given does not belong to the CURP given."""

    MENSAJE = (
        "El NSS {nss} no corresponde a la CURP {curp}. Revisa ambos datos; si no recuerdas tu NSS, "
        'pídeme "consultar mi NSS" y te lo doy con tu CURP.'
    )
    curp: str
    nss: str


class PersonaNoEncontrada(TramiteError):
    """A registry write referenced a person that does not exist."""

    MENSAJE = (
        "No encontramos a nadie registrado con {clave}. Revisa el dato o acude a tu subdelegación del IMSS."
    )
    clave: str


class UmfNoEncontrada(TramiteError):
    """The clinic number is not in the catalogue."""

    MENSAJE = (
        "No encontramos la Unidad de Medicina Familiar {numero}. Elige una de las clínicas que te mostré."
    )
    numero: int


class SolicitudNoEncontrada(TramiteError):
    """No solicitud has that folio."""

    MENSAJE = "No encontramos una solicitud con el folio {folio}. Revisa que esté bien escrito."
    folio: str


class CuentaYaRegistrada(TramiteError):
    """The CURP already has an Escritorio Virtual account."""

    MENSAJE = (
        "Ya tienes una cuenta del Escritorio Virtual del IMSS con esa CURP (e.firma número {numero}). "
        "Para entrar usa tu e.firma; si la perdiste o venció, renuévala en el SAT. Si quieres cambiar tu "
        'correo o tu teléfono, escribe "actualizar mis datos".'
    )
    curp: str
    numero: str


class BeneficiarioDuplicado(TramiteError):
    """The beneficiary CURP is already registered under that titular."""

    MENSAJE = (
        "La persona con CURP {curp} ya está registrada como tu beneficiaria. "
        "No necesitas registrarla de nuevo."
    )
    curp: str
