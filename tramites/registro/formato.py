"""Spanish formatting shared by the trámites' messages (dates, money, gendered words)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

__all__ = ["MESES", "fecha_corta", "fecha_larga", "genero", "pesos"]

MESES: tuple[str, ...] = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                          "septiembre", "octubre", "noviembre", "diciembre")


def fecha_larga(d: date) -> str:
    """"14 de marzo de 2026"."""
    return f"{d.day} de {MESES[d.month - 1]} de {d.year}"


def fecha_corta(d: date) -> str:
    """"14/03/2026", as IMSS documents print dates."""
    return f"{d:%d/%m/%Y}"


def pesos(monto: Decimal) -> str:
    """"$1,234.56"."""
    return f"${monto:,.2f}"


def genero(sexo: str, masculino: str, femenino: str) -> str:
    """Pick the word that matches the CURP sex (M = mujer); H and X get the masculine/neutral form."""
    return femenino if sexo == "M" else masculino
