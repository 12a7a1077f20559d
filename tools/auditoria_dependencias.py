"""Reads pip-audit's JSON report of the lock file and decides the build (docs/seguridad.md).

A known vulnerability with a fixed version fails the build; one without a fix is printed and the build goes
on (nothing to upgrade to yet). A dependency pip-audit could not check (the vulnerability service did not
answer: some CI networks reach PyPI's index but not its JSON API) is printed as unchecked, never as clean,
and fails the build only with AUDITORIA_ESTRICTA=1, so a network that blocks the service does not block
every change. Usage: `uv run python tools/auditoria_dependencias.py REPORTE.json`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

__all__ = ["Hallazgo", "Veredicto", "main", "revisar"]


class Hallazgo(NamedTuple):
    """One vulnerability of one locked package."""

    paquete: str
    version: str
    id: str
    corregida_en: tuple[str, ...]


@dataclass(frozen=True)
class Veredicto:
    """What the report means for the build."""

    con_correccion: list[Hallazgo]
    sin_correccion: list[Hallazgo]
    sin_revisar: list[str]
    #: Whether an unchecked dependency stops the build (AUDITORIA_ESTRICTA=1).
    estricta: bool = False

    @property
    def falla(self) -> bool:
        """True when the build must stop."""
        return bool(self.con_correccion or (self.estricta and self.sin_revisar))


def revisar(reporte: dict[str, Any], estricta: bool = False) -> Veredicto:
    """Sort the findings of a pip-audit JSON report into fixable, unfixable and unchecked."""
    con: list[Hallazgo] = []
    sin: list[Hallazgo] = []
    sin_revisar: list[str] = []
    for dep in reporte.get("dependencies", []):
        nombre, version = str(dep.get("name", "?")), str(dep.get("version", "?"))
        if dep.get("skip_reason"):
            # pip-audit reports no version for a package it skipped; its reason names it.
            sin_revisar.append(f"{nombre}: {dep['skip_reason']}")
            continue
        for vuln in dep.get("vulns", []):
            hallazgo = Hallazgo(nombre, version, str(vuln.get("id")), tuple(vuln.get("fix_versions") or ()))
            (con if hallazgo.corregida_en else sin).append(hallazgo)
    return Veredicto(con, sin, sin_revisar, estricta)


def main(argv: list[str]) -> int:
    """Print the verdict of the report at argv[0]; 1 when the build must stop."""
    estricta = os.environ.get("AUDITORIA_ESTRICTA", "") == "1"
    try:
        reporte = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        # pip-audit could not run at all (no network to fetch it, a crash): unchecked, never clean.
        etiqueta = "FALLA" if estricta else "AVISO"
        print(f"{etiqueta} pip-audit no dejó reporte ({error}): dependencias SIN REVISAR.")
        return 1 if estricta else 0
    veredicto = revisar(reporte, estricta)
    for h in veredicto.con_correccion:
        print(f"FALLA {h.paquete} {h.version}: {h.id}, corregida en {', '.join(h.corregida_en)}")
    for h in veredicto.sin_correccion:
        print(f"AVISO {h.paquete} {h.version}: {h.id}, aún sin versión corregida")
    etiqueta = "FALLA" if estricta else "AVISO"
    for linea in veredicto.sin_revisar:
        print(f"{etiqueta} no se pudo revisar {linea}")
    if veredicto.sin_revisar:
        print(f"pip-audit: {len(veredicto.sin_revisar)} dependencias SIN REVISAR (el servicio no respondió).")
    elif not veredicto.falla:
        print("pip-audit: ninguna vulnerabilidad con corrección pendiente.")
    return 1 if veredicto.falla else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
