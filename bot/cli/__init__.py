"""The `asistente` command line: one module per command, each importing its heavy parts lazily."""

from __future__ import annotations

import typer

from bot.cli import agentes, bench, chat, conversaciones, correo, demo, efirma, nlu, serve, verificar

__all__ = ["app"]

app = typer.Typer(
    help="Asistente IMSS Digital: trámites del IMSS por chat.",
    no_args_is_help=True,
    add_completion=False,
)
app.command("chat")(chat.chat)
app.command("serve")(serve.serve)
app.command("verificar")(verificar.verificar)
app.command("bench")(bench.bench)
app.command("correo")(correo.correo)
app.add_typer(demo.app, name="demo", help="Datos del registro de demostración.")
app.add_typer(nlu.app, name="nlu", help="Entender mensajes: probar y evaluar el NLU.")
app.add_typer(efirma.app, name="efirma", help="Revisar archivos de e.firma del SAT.")
app.add_typer(conversaciones.app, name="conversaciones", help="Exportar o borrar conversaciones guardadas.")
app.add_typer(agentes.app, name="agentes", help="Cuentas de la consola de agentes.")
