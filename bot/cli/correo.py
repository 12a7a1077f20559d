"""`asistente correo [--ver N]`: the messages in the local outbox (when no SMTP_URL is set)."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["correo"]


def correo(
    ver: Annotated[int | None, typer.Option("--ver", help="Muestra el mensaje número N de la lista.")] = None,
) -> None:
    """Lista los correos del buzón local: fecha, para (oculto), asunto y adjuntos."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from bot.correo.buzon import Buzon
    from bot.settings import Settings
    from tramites.contacto import enmascarar_email

    settings = Settings()
    consola = Console()
    if settings.smtp_url:
        consola.print("Los correos salen por SMTP_URL; el buzón local no se usa.", highlight=False)
    buzon = Buzon(settings.correo_dir, remitente=settings.correo_remitente)
    entradas = buzon.listar()
    if not entradas:
        consola.print(f"El buzón {settings.correo_dir} está vacío.", highlight=False)
        return
    if ver is not None:
        if not 1 <= ver <= len(entradas):
            consola.print(f"[red]No hay mensaje {ver}: el buzón tiene {len(entradas)}.[/red]")
            raise typer.Exit(1)
        entrada = entradas[ver - 1]
        mensaje = buzon.leer(entrada.archivo)
        cuerpo = mensaje.get_body(("plain",))
        consola.print(f"Para: {escape(enmascarar_email(entrada.destinatario))}", highlight=False)
        consola.print(f"Asunto: {escape(entrada.asunto)}", highlight=False)
        consola.print(f"Adjuntos: {escape(', '.join(entrada.adjuntos) or '—')}", highlight=False)
        consola.print(f"Archivo: {entrada.archivo}\n", highlight=False)
        consola.print(escape(cuerpo.get_content() if cuerpo is not None else ""), highlight=False)
        return
    tabla = Table(title=f"Buzón local ({settings.correo_dir})")
    for columna in ("#", "fecha", "para", "asunto", "adjuntos"):
        tabla.add_column(columna)
    for numero, entrada in enumerate(entradas, start=1):
        tabla.add_row(
            str(numero),
            f"{entrada.fecha:%Y-%m-%d %H:%M}" if entrada.fecha else "—",
            escape(enmascarar_email(entrada.destinatario)),
            escape(entrada.asunto),
            escape(", ".join(entrada.adjuntos) or "—"),
        )
    consola.print(tabla)
