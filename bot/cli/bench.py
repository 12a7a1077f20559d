"""`asistente bench`: scripted turns through the whole engine, measured (speed and memory)."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["bench"]


def bench(
    json_output: Annotated[bool, typer.Option("--json", help="Resultados en JSON.")] = False,
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="Otra base (p. ej. postgresql+psycopg://…).")
    ] = None,
    turnos: Annotated[int, typer.Option(min=10, help="Turnos de trámites mezclados.")] = 1000,
) -> None:
    """Mide turnos por segundo, p50/p99, PDFs, memoria, arranque en frío y una conversación larga."""
    import json
    import logging
    import sys

    from rich.console import Console
    from rich.progress import Progress

    from bot.bench import run_bench
    from bot.logs import configure_logging

    configure_logging(logging.WARNING)
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("Midiendo turnos", total=None)
        result = run_bench(
            database_url,
            mixed_turns=turnos,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    if json_output:
        print(json.dumps(result.to_json(), ensure_ascii=False))
        return
    from rich.table import Table

    table = Table(title=f"Rendimiento del asistente ({result.database})")
    table.add_column("medida")
    table.add_column("valor", justify="right")
    for name, value in result.to_json().items():
        table.add_row(name, str(value))
    Console().print(table)
    sys.stdout.flush()
