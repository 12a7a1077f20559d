"""`asistente demo personas [--json] [--limit N]`: the people of the demo registry, to try the trámites."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["app", "personas"]

app = typer.Typer(help="Datos del registro de demostración.", add_completion=False, no_args_is_help=True)


@app.callback()
def _grupo() -> None:
    """Datos del registro de demostración."""


@app.command("personas")
def personas(
    json_: Annotated[bool, typer.Option("--json", help="Imprime una lista JSON (con acentos).")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Muestra solo las primeras N personas.")
    ] = None,
) -> None:
    """Lista las personas de demostración: CURP, NSS, correo, CP, UMF y si tienen vigencia hoy."""
    import json

    from bot.registro_factory import construir_registro, hoy_mexico
    from bot.settings import Settings
    from tramites.registro import demo_personas

    hoy = hoy_mexico()
    filas = demo_personas(construir_registro(Settings(), hoy=hoy), hoy, limit)
    if json_:
        print(json.dumps(filas, ensure_ascii=False, indent=2))
        return

    from rich.console import Console
    from rich.table import Table

    tabla = Table(title=f"Personas del registro de demostración ({len(filas)}) — vigencia al {hoy:%d/%m/%Y}")
    for columna in ("#", "Nombre", "CURP", "NSS", "Correo", "CP", "UMF", "Tipo", "Vigente"):
        tabla.add_column(columna, justify="right" if columna in ("#", "UMF") else "left")
    for i, f in enumerate(filas):
        vigente = "[green]sí[/green]" if f["vigente"] else "[red]no[/red]"
        if f["vigente"] and f["vigente_hasta"]:
            vigente += f" (hasta {f['vigente_hasta']})"
        tabla.add_row(
            str(i),
            f["nombre"],
            f["curp"],
            f["nss"] or "—",
            f["email"] or "—",
            f["cp"] or "—",
            str(f["umf"]) if f["umf"] is not None else "—",
            f["tipo"],
            vigente,
        )
    Console().print(tabla)
