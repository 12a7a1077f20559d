"""The content of each comprobante we issue (what the PDF says, before folio and sello)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from tramites.documentos.modelo import Documento, Tabla
from tramites.registro.formato import fecha_larga
from tramites.registro.modelos import Beneficiario, Persona, Solicitud, Umf

if TYPE_CHECKING:
    from tramites.umf import Turno

__all__ = ["comprobante_beneficiario", "comprobante_nss", "comprobante_umf", "nombre_parentesco"]


def comprobante_nss(persona: Persona, nss: str, ahora: datetime) -> Documento:
    """The Comprobante de Número de Seguridad Social."""
    return Documento(
        tipo="comprobante_nss",
        titulo="Comprobante de Número de Seguridad Social",
        campos=[
            ("Nombre", persona.nombre_completo),
            ("CURP", persona.curp),
            ("Número de Seguridad Social (NSS)", nss),
            ("Fecha de consulta", fecha_larga(ahora)),
        ],
        notas=[
            "El Número de Seguridad Social es único, permanente e intransferible.",
            "Preséntalo a tu patrón para que te dé de alta ante el IMSS.",
        ],
    )


_PARENTESCO: dict[str, tuple[str, str]] = {
    # (masculine or neutral, feminine) as printed on the comprobante
    "conyuge": ("Cónyuge (esposo)", "Cónyuge (esposa)"),
    "concubina": ("Concubinario", "Concubina"),
    "concubinario": ("Concubinario", "Concubina"),
    "hijo": ("Hijo", "Hija"),
    "padre": ("Padre", "Padre"),
    "madre": ("Madre", "Madre"),
}


def nombre_parentesco(parentesco: str, curp: str) -> str:
    """"Hija", "Cónyuge (esposo)"...: the registry's parentesco worded by the CURP's sex."""
    masculino, femenino = _PARENTESCO.get(parentesco, (parentesco.capitalize(), parentesco.capitalize()))
    mujer = len(curp) == 18 and curp[10] == "M"
    return femenino if mujer else masculino


def _requisitos(requisitos: list[str]) -> Tabla:
    return Tabla(
        titulo="Qué llevar",
        columnas=["#", "Documento"],
        filas=[[str(i), texto] for i, texto in enumerate(requisitos, start=1)],
    )


def comprobante_umf(
    persona: Persona,
    umf: Umf,
    turno: Turno,
    solicitud: Solicitud,
    *,
    domicilio: str,
    cp: str,
    requisitos: list[str],
    ahora: datetime,
) -> Documento:
    """The comprobante of an alta or cambio de UMF: clinic, turno, folio and what to bring."""
    alta = solicitud.tramite == "alta_umf"
    campos: list[tuple[str, str]] = [
        ("Nombre", persona.nombre_completo),
        ("CURP", persona.curp),
        ("Número de Seguridad Social (NSS)", persona.nss or ""),
        ("Folio de la solicitud", solicitud.folio),
        ("Trámite", f"{'Alta en' if alta else 'Cambio de'} Unidad de Medicina Familiar"),
        ("Unidad de Medicina Familiar", f"UMF {umf.numero} {umf.nombre}"),
        ("Domicilio de la clínica", f"{umf.domicilio}, {umf.municipio}, {umf.estado}"),
        ("Teléfono de la clínica", umf.telefono),
        ("Turno", turno.etiqueta),
        ("Tu domicilio", f"{domicilio}, C.P. {cp}"),
    ]
    anterior = solicitud.datos.get("umf_anterior")
    if anterior:
        campos.append(("Clínica anterior", str(anterior)))
    campos.append(("Fecha de la solicitud", fecha_larga(ahora)))
    horario = f"{turno.inicio:%H:%M} a {turno.fin:%H:%M}"
    return Documento(
        tipo="comprobante_umf",
        titulo=(
            "Comprobante de alta en Unidad de Medicina Familiar"
            if alta
            else "Comprobante de cambio de Unidad de Medicina Familiar"
        ),
        campos=campos,
        tablas=[_requisitos(requisitos)],
        notas=[
            f"Acude a la UMF {umf.numero} en tu turno ({horario}) con la Asistente Médica para completar "
            "tu registro; lleva los documentos de la tabla.",
            "Tu nueva clínica te atiende desde hoy; en urgencias te atienden en cualquier unidad del IMSS.",
        ],
    )


def comprobante_beneficiario(
    titular: Persona,
    beneficiario: Beneficiario,
    solicitud: Solicitud,
    *,
    requisitos: list[str],
    ahora: datetime,
) -> Documento:
    """The comprobante of a beneficiary registered under the titular's NSS."""
    campos: list[tuple[str, str]] = [
        ("Asegurado(a) titular", titular.nombre_completo),
        ("CURP del titular", titular.curp),
        ("NSS del titular", titular.nss or ""),
        ("Folio de la solicitud", solicitud.folio),
        ("Beneficiario(a)", beneficiario.nombre),
        ("CURP del beneficiario", beneficiario.curp),
        ("Parentesco", nombre_parentesco(beneficiario.parentesco, beneficiario.curp)),
        ("Fecha de nacimiento", fecha_larga(beneficiario.fecha_nacimiento)),
    ]
    if beneficiario.parentesco == "hijo" and beneficiario.estudiante:
        campos.append(("Estudiante", "Sí"))
    campos.append(("Fecha de registro", fecha_larga(ahora)))
    return Documento(
        tipo="comprobante_beneficiarios",
        titulo="Comprobante de registro de beneficiario",
        campos=campos,
        tablas=[_requisitos(requisitos)],
        notas=[
            "Tu familiar queda registrado bajo tu Número de Seguridad Social. Lleva a tu UMF los documentos "
            "de la tabla para que le asignen consultorio.",
            "Sus derechos dependen de los tuyos: si dejas de estar vigente, tu familiar también.",
        ],
    )
