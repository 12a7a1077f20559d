"""`asistente verificar FILE.pdf`: check that a PDF was issued by us and has not been changed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer

__all__ = ["app", "verificar"]

app = typer.Typer(help="Verifica documentos PDF emitidos por el IMSS Digital.", add_completion=False)


def _fallar(motivo: str, mensaje: str, *, json_: bool, titulo: str = "") -> NoReturn:
    """Report why the document is not valid and exit with status 1."""
    if json_:
        import json

        print(json.dumps({"valido": False, "motivo": motivo, "mensaje": mensaje}, ensure_ascii=False))
    else:
        from rich.console import Console
        from rich.markup import escape

        Console().print(f"[red]✗ {titulo}[/red]{escape(mensaje)}", highlight=False)
    raise typer.Exit(1)


@app.command()
def verificar(
    archivo: Annotated[Path, typer.Argument(help="El PDF a verificar.")],
    json_: Annotated[bool, typer.Option("--json", help="Imprime el resultado como JSON.")] = False,
) -> None:
    """Verify a PDF's signature, sello digital and folio; exit 0 when valid, 1 otherwise."""
    from bot.documentos_factory import construir_emisor
    from bot.settings import Settings
    from tramites.documentos import ClavesInvalidas, DocumentoNoValido, verificar_pdf

    try:
        data = archivo.read_bytes()
    except OSError:
        _fallar("sin_archivo", f"No pude abrir el archivo {archivo}; revisa la ruta.", json_=json_)
    try:
        _, claves, folios = construir_emisor(Settings())
    except ClavesInvalidas as e:
        _fallar("configuracion", e.mensaje, json_=json_)
    try:
        ok = verificar_pdf(data, claves, folios)
    except DocumentoNoValido as e:
        _fallar(e.motivo, e.mensaje, json_=json_, titulo="Documento no válido: ")

    if json_:
        import json

        print(
            json.dumps(
                {
                    "valido": True,
                    "folio": ok.folio,
                    "tipo": ok.tipo,
                    "titulo": ok.titulo,
                    "fecha": ok.fecha.isoformat(),
                    "campos": ok.campos,
                    "tablas": [
                        {"titulo": t.titulo, "columnas": t.columnas, "filas": t.filas}
                        for t in ok.documento.tablas
                    ],
                    "cadena_original": ok.cadena,
                },
                ensure_ascii=False,
            )
        )
        return

    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    consola = Console()
    consola.print(f"[green]✓ Documento válido[/green]: {escape(ok.titulo)}", highlight=False)
    tabla = Table(show_header=False, box=None)
    tabla.add_column(style="bold")
    tabla.add_column()
    filas = [("Folio", ok.folio), ("Tipo", ok.tipo), ("Fecha de emisión", ok.fecha.isoformat())]
    for etiqueta, valor in [*filas, *ok.campos.items()]:
        # Document data is untrusted text: never let it be read as rich markup.
        tabla.add_row(Text(etiqueta), Text(valor))
    consola.print(tabla)
