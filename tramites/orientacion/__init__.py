"""Sourced guidance: answers to people's questions and the routing of what other institutions handle.

The answers and the routing table are data (conocimiento.yml, fuera_de_alcance.yml, next to this
package), each entry with its facts, its official source and the date it was checked.
"""

from __future__ import annotations

from functools import cache

from tramites.orientacion.busqueda import UMBRAL, Buscador, raices
from tramites.orientacion.datos import (
    CARPETA,
    Destino,
    Entrada,
    Fuente,
    GuiaInvalida,
    Orientacion,
    cargar_orientacion,
)

__all__ = [
    "CARPETA",
    "UMBRAL",
    "Buscador",
    "Destino",
    "Entrada",
    "Fuente",
    "GuiaInvalida",
    "Orientacion",
    "buscador",
    "cargar_orientacion",
    "raices",
]


@cache
def buscador() -> Buscador:
    """The search over the shipped guidance files, read on first use and kept."""
    return Buscador(cargar_orientacion())
