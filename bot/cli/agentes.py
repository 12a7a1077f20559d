"""`asistente agentes crear USUARIO --rol agente|supervisor --password-stdin`: console accounts."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(help="Cuentas de la consola de agentes.", add_completion=False, no_args_is_help=True)


@app.command("crear")
def crear(
    usuario: Annotated[str, typer.Argument(help="Nombre de usuario (letras, números, . _ -).")],
    rol: Annotated[str, typer.Option(help="agente o supervisor.")] = "agente",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Lee la contraseña de la primera línea de la entrada.")
    ] = False,
) -> None:
    """Crea una cuenta de la consola; la contraseña se guarda como hash argon2id."""
    from bot.agents.cuentas import CuentaInvalida
    from bot.container import build_container

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Contraseña", hide_input=True, confirmation_prompt=True)
    container = build_container()
    try:
        cuenta = container.mesa.cuentas.crear(usuario, rol, password)
    except CuentaInvalida as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(code=1) from None
    finally:
        container.db.dispose()
    typer.echo(f"Cuenta «{cuenta.usuario}» creada con rol {cuenta.rol}.")
