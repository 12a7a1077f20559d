"""`asistente bench`: speed and memory measurements."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["bench"]


def bench(
    conversaciones: Annotated[
        int, typer.Option(min=1, max=200, help="Conversaciones de NSS completas.")
    ] = 10,
    json_output: Annotated[bool, typer.Option("--json", help="Resultados en JSON.")] = False,
) -> None:
    """Mide el NLU, un turno completo, emitir y verificar PDFs, y la memoria máxima."""
    import json
    from dataclasses import asdict

    from bot.bench import run_benchmarks

    results, peak = run_benchmarks(conversations=conversaciones)
    if json_output:
        print(
            json.dumps(
                {"mediciones": [asdict(r) for r in results], "memoria_max_mib": round(peak, 1)},
                ensure_ascii=False,
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Rendimiento del asistente")
    for column in ("operación", "corridas", "p50 ms", "p95 ms", "máx ms"):
        table.add_column(column)
    for r in results:
        table.add_row(r.name, str(r.runs), f"{r.p50_ms:.1f}", f"{r.p95_ms:.1f}", f"{r.max_ms:.1f}")
    console = Console()
    console.print(table)
    console.print(f"Memoria máxima del proceso: {peak:.0f} MiB")
