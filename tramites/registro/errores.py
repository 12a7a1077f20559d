"""Errors raised by the registry and the trámites; each carries a Spanish `mensaje` for the person."""

from __future__ import annotations

__all__ = [
    "BeneficiarioDuplicado",
    "CuentaYaRegistrada",
    "CurpNoRegistrada",
    "NssNoCoincide",
    "NssNoRegistrado",
    "PersonaNoEncontrada",
    "SolicitudNoEncontrada",
    "TramiteError",
    "UmfNoEncontrada",
]


class TramiteError(Exception):
    """Base of every registry/trámite error; `mensaje` says what is wrong and what to do."""

    def __init__(self, mensaje: str) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje


class CurpNoRegistrada(TramiteError):
    """No person with that CURP is in the IMSS registry."""

    def __init__(self, curp: str) -> None:
        self.curp = curp
        super().__init__(
            f"No encontramos un registro con la CURP {curp}. Revisa que sea la tuya y esté bien escrita. "
            "Si nunca has trabajado con un patrón afiliado al IMSS, todavía no tienes NSS: "
            "puedes asignártelo en línea con tu CURP y un correo electrónico en IMSS Digital "
            "(app o serviciosdigitales.imss.gob.mx). "
            "Si ya trabajaste y crees que es un error, acude a tu subdelegación del IMSS con tu CURP y una "
            "identificación oficial con fotografía."
        )


class NssNoRegistrado(TramiteError):
    """The NSS is well formed but belongs to nobody in the registry."""

    def __init__(self, nss: str) -> None:
        self.nss = nss
        super().__init__(
            f"No encontramos el NSS {nss} en el registro del IMSS. Revisa que esté bien escrito; si no lo "
            "recuerdas, pídeme \"consultar mi NSS\" y te lo doy con tu CURP."
        )


class NssNoCoincide(TramiteError):
    """The NSS given does not belong to the CURP given."""

    def __init__(self, curp: str, nss: str) -> None:
        self.curp = curp
        self.nss = nss
        super().__init__(
            f"El NSS {nss} no corresponde a la CURP {curp}. Revisa ambos datos; si no recuerdas tu NSS, "
            "pídeme \"consultar mi NSS\" y te lo doy con tu CURP."
        )


class PersonaNoEncontrada(TramiteError):
    """A registry write referenced a person that does not exist."""

    def __init__(self, clave: str) -> None:
        self.clave = clave
        super().__init__(
            f"No encontramos a nadie registrado con {clave}. "
            "Revisa el dato o acude a tu subdelegación del IMSS."
        )


class UmfNoEncontrada(TramiteError):
    """The clinic number is not in the catalogue."""

    def __init__(self, numero: int) -> None:
        self.numero = numero
        super().__init__(
            f"No encontramos la Unidad de Medicina Familiar {numero}. "
            "Elige una de las clínicas que te mostré."
        )


class SolicitudNoEncontrada(TramiteError):
    """No solicitud has that folio."""

    def __init__(self, folio: str) -> None:
        self.folio = folio
        super().__init__(f"No encontramos una solicitud con el folio {folio}. Revisa que esté bien escrito.")


class CuentaYaRegistrada(TramiteError):
    """The CURP already has an Escritorio Virtual account."""

    def __init__(self, curp: str) -> None:
        self.curp = curp
        super().__init__(
            "Ya tienes una cuenta en el Escritorio Virtual con esta CURP. Entra con tu e.firma; "
            "si la perdiste o venció, renuévala en el SAT y vuelve a intentarlo."
        )


class BeneficiarioDuplicado(TramiteError):
    """The beneficiary CURP is already registered under that titular."""

    def __init__(self, curp: str) -> None:
        self.curp = curp
        super().__init__(
            f"La persona con CURP {curp} ya está registrada como tu beneficiaria. "
            "No necesitas registrarla de nuevo."
        )
