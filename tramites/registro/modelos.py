"""Typed records that the IMSS registry port exchanges with the trámites."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

__all__ = [
    "ESTADOS_SOLICITUD",
    "PARENTESCOS",
    "TIPOS_MOVIMIENTO",
    "TIPOS_PERSONA",
    "TURNOS",
    "Beneficiario",
    "Cuenta",
    "Empleo",
    "Movimiento",
    "Persona",
    "Solicitud",
    "Umf",
]

TIPOS_PERSONA: tuple[str, ...] = ("asegurado", "pensionado", "beneficiario", "sin_afiliacion")
"""`asegurado`: has (or had) a job registered by a patrón; `beneficiario`: covered through `titular_curp`;
`sin_afiliacion`: has an NSS but no employment ever reported."""

PARENTESCOS: tuple[str, ...] = ("conyuge", "concubina", "concubinario", "hijo", "padre", "madre")
"""Parentescos the registry stores (`hijo` covers hijas too)."""

TIPOS_MOVIMIENTO: tuple[str, ...] = ("descontadas", "reintegradas")
TURNOS: tuple[str, ...] = ("matutino", "vespertino")
ESTADOS_SOLICITUD: tuple[str, ...] = ("recibida", "en_proceso", "concluida", "rechazada")


@dataclass(frozen=True)
class Persona:
    """A person known to the IMSS registry (asegurado, pensionado or beneficiario)."""

    curp: str
    nss: str | None
    nombre: str
    apellido_paterno: str
    apellido_materno: str
    email: str | None
    telefono: str | None
    cp: str | None
    fecha_nacimiento: date
    sexo: str
    umf: int | None
    tipo: str
    titular_curp: str | None = None
    turno: str | None = None

    @property
    def nombre_completo(self) -> str:
        """Name followed by both surnames, as printed on IMSS documents."""
        return " ".join(p for p in (self.nombre, self.apellido_paterno, self.apellido_materno) if p)


@dataclass(frozen=True)
class Empleo:
    """One labor relationship reported by a patrón; `fecha_baja` None means it is still open.

    Both `fecha_alta` and `fecha_baja` are days cotizados (the baja date is the last day worked).
    """

    registro_patronal: str
    patron: str
    fecha_alta: date
    fecha_baja: date | None
    salario_base_cotizacion: Decimal


@dataclass(frozen=True)
class Movimiento:
    """Weeks taken off (retiro parcial por desempleo) or given back (reintegro) to the count."""

    tipo: str
    semanas: int
    fecha: date
    motivo: str


@dataclass(frozen=True)
class Beneficiario:
    """A family member registered under a titular's NSS."""

    curp: str
    nombre: str
    parentesco: str
    fecha_nacimiento: date
    estudiante: bool = False
    dependiente_economico: bool = True
    discapacidad: bool = False


@dataclass(frozen=True)
class Umf:
    """An Unidad de Medicina Familiar and the códigos postales it serves."""

    numero: int
    nombre: str
    domicilio: str
    municipio: str
    estado: str
    cps: list[str]
    turnos: list[str]
    telefono: str

    @property
    def etiqueta(self) -> str:
        """Short label for buttons and lists, e.g. "UMF 28 Gabriel Mancera (Benito Juárez)"."""
        return f"UMF {self.numero} {self.nombre} ({self.municipio})"


@dataclass(frozen=True)
class Solicitud:
    """A trámite request with its folio and status history point."""

    folio: str
    tramite: str
    curp: str
    estado: str
    creada: datetime
    actualizada: datetime
    datos: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Cuenta:
    """An Escritorio Virtual account opened with an e.firma."""

    curp: str
    rfc: str
    email: str
    numero_certificado: str
    valido_hasta: datetime
    acuse_folio: str
    creada: datetime
