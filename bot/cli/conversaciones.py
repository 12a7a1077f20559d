"""`asistente conversaciones exportar|borrar`: what operators do with stored conversations."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(
    help="Exportar o borrar conversaciones guardadas.", add_completion=False, no_args_is_help=True
)


@app.command("exportar")
def exportar(
    conversacion: Annotated[str | None, typer.Option(help="Solo esta conversación.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Una línea JSON por evento.")] = False,
) -> None:
    """Escribe los eventos guardados, en orden; cada mensaje de la persona lleva su message_id."""
    import json

    from bot.container import build_container
    from bot.store.export import export_events

    container = build_container()
    for line in export_events(container.sessions, conversacion):
        if json_:
            print(json.dumps(line, ensure_ascii=False, default=str))
            continue
        text = line.get("text") or line.get("name") or ""
        print(f"{line['conversation_id']}\t{line['seq']}\t{line['event']}\t{text}")


@app.command("borrar")
def borrar(
    curp: Annotated[str, typer.Option(help="CURP de la persona cuyos datos se borran.")],
    por: Annotated[str, typer.Option(help="Quién pide el borrado (queda registrado).")] = "operador",
) -> None:
    """Borra las conversaciones, archivos y copias de datos de una persona (salvo lo que la ley guarda)."""
    import json

    from bot.container import build_container
    from bot.erasure import erase_person

    counts = erase_person(build_container(), curp, por)
    print(json.dumps(counts, ensure_ascii=False))
