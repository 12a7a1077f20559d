"""The content of each comprobante we issue (what the PDF says, before folio and sello)."""

from __future__ import annotations

from datetime import datetime

from tramites.documentos.modelo import Documento
from tramites.registro.modelos import Persona

__all__ = ["comprobante_nss", "fecha_larga"]

_MESES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)


def fecha_larga(momento: datetime) -> str:
    """A date as people read it: "21 de noviembre de 2026"."""
    return f"{momento.day} de {_MESES[momento.month - 1]} de {momento.year}"


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
