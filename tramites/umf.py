"""Alta o cambio de Unidad de Medicina Familiar (UMF): clinics for a código postal, turno, comprobante.

`buscar_clinicas` gives the clinics that serve the CP; when none does, the nearest ones in the same state
(by numeric CP distance) with an explanation; when the state has none, `SinClinicaCercana`.
`solicitar_cambio_umf` is the trámite: it assigns clinic and turno, records the solicitud and issues the
comprobante with what to bring to the clinic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from tramites.comprobantes import comprobante_umf
from tramites.contacto import validar_cp, validar_email
from tramites.documentos.modelo import DocumentoEmitido
from tramites.errores import TramiteError
from tramites.identidad import validar_curp
from tramites.puertos import Puertos
from tramites.registro.catalogo import estado_de_cp
from tramites.registro.errores import CurpNoRegistrada, UmfNoEncontrada
from tramites.registro.modelos import Persona, Solicitud, Umf
from tramites.registro.puerto import Registro
from tramites.texto import fold

__all__ = [
    "TURNOS_UMF",
    "CambioUmf",
    "MismaClinica",
    "OpcionesUmf",
    "SinClinicaCercana",
    "SinNssParaClinica",
    "Turno",
    "TurnoNoDisponible",
    "buscar_clinicas",
    "requisitos_clinica",
    "solicitar_cambio_umf",
    "turnos_de",
    "turnos_en_palabras",
    "turnos_ofrecidos",
    "validar_turno",
]

_TRAMITES = ("alta_umf", "cambio_umf")


class SinClinicaCercana(TramiteError):
    """No clinic serves the CP and none is in the same state."""

    MENSAJE = (
        "No encontramos clínicas del IMSS{lugar} cerca del código postal {cp}. Revisa que el código "
        "postal sea el de tu domicilio actual; si es correcto, acude a tu subdelegación del IMSS con tu "
        "comprobante de domicilio para que te asignen clínica."
    )
    cp: str

    def __init__(self, cp: str, estado: str | None) -> None:
        super().__init__(cp=cp, lugar=f" en {estado}" if estado else "")


class TurnoNoDisponible(TramiteError):
    """The clinic does not offer the turno asked for."""

    MENSAJE = "La UMF {numero} {nombre} no tiene turno «{turno}». Elige: {opciones}."
    turno: str

    def __init__(self, umf: Umf, turno: str) -> None:
        opciones = " o ".join(t.etiqueta for t in turnos_de(umf))
        super().__init__(numero=umf.numero, nombre=umf.nombre, turno=turno, opciones=opciones)


class MismaClinica(TramiteError):
    """The person is already assigned to that clinic and turno."""

    MENSAJE = (
        "Ya estás en la UMF {numero} {nombre}, turno {turno}; no necesitas hacer el cambio. "
        "Si quieres otra clínica o turno, elígelo."
    )

    def __init__(self, umf: Umf, turno: str) -> None:
        super().__init__(numero=umf.numero, nombre=umf.nombre, turno=turno)


class SinNssParaClinica(TramiteError):
    """Clinics are assigned to an NSS; the person has none."""

    MENSAJE = (
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


def turnos_en_palabras(umf: Umf) -> str:
    """"matutino y vespertino": the clinic's turnos for a sentence."""
    return " y ".join(t.clave for t in turnos_de(umf))


def validar_turno(umf: Umf, texto: str) -> Turno:
    """Understand "matutino", "mañana", "tarde"... and check the clinic offers it (`TurnoNoDisponible`)."""
    clave = _SINONIMOS_TURNO.get(fold(texto), "")
    if clave not in umf.turnos:
        raise TurnoNoDisponible(umf, texto.strip())
    return TURNOS_UMF[clave]


def requisitos_clinica() -> list[str]:
    """What to bring to the clinic's Asistente Médica to finish the alta."""
    return [
        "Tu INE, pasaporte o cédula profesional.",
        "Tu CURP.",
        "Tu Número de Seguridad Social (NSS).",
        "Comprobante de domicilio reciente, de 3 meses o menos.",
        "Una foto reciente tamaño infantil.",
        "El comprobante que te damos aquí, impreso o en tu celular.",
    ]


def turnos_ofrecidos(umf: Umf, persona: Persona | None) -> list[Turno]:
    """The clinic's turnos; for the person's own clinic, only the ones that would be a change."""
    turnos = turnos_de(umf)
    if persona is not None and persona.umf == umf.numero:
        return [t for t in turnos if t.clave != persona.turno]
    return turnos


@dataclass(frozen=True)
class CambioUmf:
    """An alta or cambio de clínica done: the person, clinic and turno, the solicitud and the comprobante."""

    persona: Persona
    umf: Umf
    turno: Turno
    solicitud: Solicitud
    documento: DocumentoEmitido

    @property
    def requisitos(self) -> list[str]:
        """What to bring to the clinic's Asistente Médica."""
        return list(self.solicitud.datos["requisitos"])


def solicitar_cambio_umf(
    p: Puertos,
    curp: str,
    umf: int,
    turno: str,
    *,
    domicilio: str | None = None,
    cp: str | None = None,
    email: str | None = None,
    clave: str | None = None,
) -> CambioUmf:
    """Assign clinic and turno, record the solicitud (`alta_umf` or `cambio_umf`), issue the comprobante.

    `domicilio`, `cp` and `email` are the ones the person typed (recorded on the solicitud). Raises
    `CurpNoRegistrada`, `SinNssParaClinica`, `UmfNoEncontrada`, `TurnoNoDisponible`, `MismaClinica`,
    `EmailInvalido`, `CodigoPostalInvalido`. The same `clave` returns the first result.
    """
    valor = validar_curp(curp).valor
    previo = _previo(p.registro, clave)
    if previo is not None:
        return _cambio(p, previo, clave)
    persona = p.registro.persona_por_curp(valor)
    if persona is None:
        raise CurpNoRegistrada(curp=valor)
    if persona.nss is None:
        raise SinNssParaClinica()
    clinica = p.registro.umf(umf)
    if clinica is None:
        raise UmfNoEncontrada(numero=umf)
    elegido = validar_turno(clinica, turno)
    if persona.umf == clinica.numero and persona.turno == elegido.clave:
        raise MismaClinica(clinica, elegido.clave)
    correo = validar_email(email) if email else persona.email
    cp_domicilio = validar_cp(cp) if cp else persona.cp
    anterior = p.registro.umf(persona.umf) if persona.umf is not None else None
    p.registro.cambiar_umf(persona.nss, clinica.numero, elegido.clave)
    solicitud = p.registro.crear_solicitud(
        "cambio_umf" if persona.umf is not None else "alta_umf",
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
        clave=clave,
    )
    return _cambio(p, solicitud, clave)


def _previo(registro: Registro, clave: str | None) -> Solicitud | None:
    """The solicitud already recorded for this key (an alta or a cambio), if any."""
    if not clave:
        return None
    return next(
        (s for s in (registro.solicitud_por_clave(t, clave) for t in _TRAMITES) if s is not None), None
    )


def _cambio(p: Puertos, solicitud: Solicitud, clave: str | None) -> CambioUmf:
    """The result for a recorded solicitud: its clinic and turno, and its comprobante (issued once)."""
    datos = solicitud.datos
    persona = p.registro.persona_por_curp(solicitud.curp)
    clinica = p.registro.umf(int(datos["umf"]))
    if persona is None:
        raise CurpNoRegistrada(curp=solicitud.curp)
    if clinica is None:
        raise UmfNoEncontrada(numero=int(datos["umf"]))
    turno = TURNOS_UMF[str(datos["turno"])]
    documento = p.emisor.emitir(
        comprobante_umf(
            persona, clinica, turno, solicitud,
            domicilio=str(datos.get("domicilio") or ""), cp=str(datos.get("cp") or ""),
            requisitos=list(datos["requisitos"]), ahora=p.ahora(),
        ),
        clave=clave,
    )
    return CambioUmf(persona=persona, umf=clinica, turno=turno, solicitud=solicitud, documento=documento)
