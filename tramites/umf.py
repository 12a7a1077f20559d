"""Alta o cambio de Unidad de Medicina Familiar (UMF): clinics for a código postal, turno, comprobante.

`buscar_clinicas` gives the clinics that serve the CP; when none does, the nearest ones in the same state
(by numeric CP distance) with an explanation; when the state has none, `SinClinicaCercana`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import time

from tramites.registro.catalogo import estado_de_cp
from tramites.registro.errores import TramiteError, UmfNoEncontrada
from tramites.registro.modelos import Persona, Solicitud, Umf
from tramites.registro.puerto import Registro
from tramites.registro.validacion import CodigoPostalInvalido, validar_cp, validar_email

__all__ = [
    "TURNOS_UMF",
    "CodigoPostalInvalido",
    "MismaClinica",
    "OpcionesUmf",
    "SinClinicaCercana",
    "SinNssParaClinica",
    "Turno",
    "TurnoNoDisponible",
    "UmfError",
    "buscar_clinicas",
    "requisitos_clinica",
    "solicitar_cambio_umf",
    "turnos_de",
    "validar_turno",
]


class UmfError(TramiteError):
    """Base error of the alta/cambio de UMF trámite."""


class SinClinicaCercana(UmfError):
    """No clinic serves the CP and none is in the same state."""

    def __init__(self, cp: str, estado: str | None) -> None:
        self.cp = cp
        lugar = f" en {estado}" if estado else ""
        super().__init__(
            f"No encontramos clínicas del IMSS{lugar} cerca del código postal {cp}. Revisa que el código "
            "postal sea el de tu domicilio actual; si es correcto, acude a tu subdelegación del IMSS con tu "
            "comprobante de domicilio para que te asignen clínica."
        )


class TurnoNoDisponible(UmfError):
    """The clinic does not offer the turno asked for."""

    def __init__(self, umf: Umf, turno: str) -> None:
        self.turno = turno
        opciones = " o ".join(TURNOS_UMF[t].etiqueta for t in umf.turnos if t in TURNOS_UMF)
        super().__init__(
            f"La UMF {umf.numero} {umf.nombre} no tiene turno «{turno}». Elige: {opciones}."
        )


class MismaClinica(UmfError):
    """The person is already assigned to that clinic and turno."""

    def __init__(self, umf: Umf, turno: str) -> None:
        super().__init__(
            f"Ya estás en la UMF {umf.numero} {umf.nombre}, turno {turno}; no necesitas hacer el cambio. "
            "Si quieres otra clínica o turno, elígelo."
        )


class SinNssParaClinica(UmfError):
    """Clinics are assigned to an NSS; the person has none."""

    def __init__(self) -> None:
        super().__init__(
            "Para darte de alta en una clínica necesitas tu Número de Seguridad Social (NSS). Primero "
            "consulta o asigna tu NSS con tu CURP y después elegimos tu clínica."
        )


@dataclass(frozen=True)
class Turno:
    """A clinic shift with its hours."""

    clave: str
    etiqueta: str
    inicio: time
    fin: time


TURNOS_UMF: dict[str, Turno] = {
    "matutino": Turno("matutino", "Matutino (8:00 a 14:00)", time(8), time(14)),
    "vespertino": Turno("vespertino", "Vespertino (14:00 a 20:00)", time(14), time(20)),
}

_SINONIMOS_TURNO = {
    "matutino": "matutino", "manana": "matutino", "en la manana": "matutino", "temprano": "matutino",
    "am": "matutino", "vespertino": "vespertino", "tarde": "vespertino", "en la tarde": "vespertino",
    "pm": "vespertino", "despues de comer": "vespertino",
}


@dataclass(frozen=True)
class OpcionesUmf:
    """Clinics offered for a CP: those that serve it exactly, then the nearest ones."""

    cp: str
    estado: str
    exactas: list[Umf]
    cercanas: list[Umf]
    explicacion: str

    @property
    def clinicas(self) -> list[Umf]:
        """All options in the order to show them."""
        return [*self.exactas, *self.cercanas]


def buscar_clinicas(registro: Registro, cp: str, limite: int = 3) -> OpcionesUmf:
    """Clinics for a código postal; raises `CodigoPostalInvalido` or `SinClinicaCercana`."""
    valor = validar_cp(cp)
    estado = estado_de_cp(valor) or ""
    exactas = registro.umfs_por_cp(valor)[:limite]
    vistos = {u.numero for u in exactas}
    cercanas = [u for u in registro.umfs_cercanas(valor, limite + len(vistos)) if u.numero not in vistos]
    cercanas = cercanas[: max(0, limite - len(exactas))]
    if exactas:
        explicacion = (f"La clínica que corresponde a tu código postal {valor} es la UMF {exactas[0].numero}."
                       if len(exactas) == 1 else
                       f"Estas clínicas atienden tu código postal {valor}.")
        if cercanas:
            explicacion += " También te muestro otras cercanas."
    elif cercanas:
        explicacion = (f"Ninguna clínica tiene asignado tu código postal {valor}; estas son las más "
                       f"cercanas en {estado}.")
    else:
        raise SinClinicaCercana(valor, estado or None)
    return OpcionesUmf(cp=valor, estado=estado, exactas=exactas, cercanas=cercanas, explicacion=explicacion)


def turnos_de(umf: Umf) -> list[Turno]:
    """The turnos the clinic offers, morning first."""
    return [TURNOS_UMF[t] for t in TURNOS_UMF if t in umf.turnos]


def _sin_acentos(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto.lower()) if unicodedata.category(c) != "Mn")


def validar_turno(umf: Umf, texto: str) -> Turno:
    """Understand "matutino", "mañana", "tarde"... and check the clinic offers it (`TurnoNoDisponible`)."""
    clave = _SINONIMOS_TURNO.get(" ".join(_sin_acentos(texto).split()), "")
    if clave not in umf.turnos:
        raise TurnoNoDisponible(umf, texto.strip())
    return TURNOS_UMF[clave]


def requisitos_clinica() -> list[str]:
    """What to bring to the clinic's Asistente Médica to finish the alta."""
    return [
        "Identificación oficial con fotografía (INE, pasaporte o cédula profesional).",
        "CURP.",
        "Número de Seguridad Social (NSS).",
        "Comprobante de domicilio reciente (no mayor a 3 meses).",
        "Una fotografía reciente tamaño infantil.",
        "El comprobante de alta o cambio de clínica que te damos aquí (impreso o en tu celular).",
    ]


def solicitar_cambio_umf(
    registro: Registro,
    persona: Persona,
    umf: Umf | int,
    turno: str,
    *,
    domicilio: str | None = None,
    cp: str | None = None,
    email: str | None = None,
) -> Solicitud:
    """Assign the clinic and turno and record the solicitud (trámite `alta_umf` or `cambio_umf`).

    `domicilio`, `cp` and `email` are the ones the person typed (recorded on the solicitud).
    Raises `SinNssParaClinica`, `UmfNoEncontrada`, `TurnoNoDisponible`, `MismaClinica`, `EmailInvalido`,
    `CodigoPostalInvalido`.
    """
    if persona.nss is None:
        raise SinNssParaClinica()
    if isinstance(umf, int):
        encontrada = registro.umf(umf)
        if encontrada is None:
            raise UmfNoEncontrada(umf)
        clinica = encontrada
    else:
        clinica = umf
    elegido = validar_turno(clinica, turno)
    if persona.umf == clinica.numero and persona.turno == elegido.clave:
        raise MismaClinica(clinica, elegido.clave)
    correo = validar_email(email) if email else persona.email
    cp_domicilio = validar_cp(cp) if cp else persona.cp
    tramite = "cambio_umf" if persona.umf is not None else "alta_umf"
    anterior = registro.umf(persona.umf) if persona.umf is not None else None
    registro.cambiar_umf(persona.nss, clinica.numero, elegido.clave)
    return registro.crear_solicitud(
        tramite,
        persona.curp,
        {
            "nss": persona.nss,
            "nombre": persona.nombre_completo,
            "umf": clinica.numero,
            "umf_nombre": clinica.etiqueta,
            "umf_domicilio": f"{clinica.domicilio}, {clinica.municipio}, {clinica.estado}",
            "umf_telefono": clinica.telefono,
            "turno": elegido.clave,
            "turno_etiqueta": elegido.etiqueta,
            "umf_anterior": anterior.etiqueta if anterior else None,
            "cp": cp_domicilio,
            "domicilio": domicilio,
            "email": correo,
            "requisitos": requisitos_clinica(),
        },
        estado="concluida",
    )
