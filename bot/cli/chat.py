"""`asistente chat`: talk to the assistant in the terminal."""

from __future__ import annotations

import asyncio
import json
import mimetypes
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bot.engine import Engine, Incoming, Outgoing

__all__ = ["chat", "incoming_from_line"]

_FILE_PREFIX = "/file "


def incoming_from_line(line: str, conversation_id: str) -> Incoming:
    """One typed line as an Incoming message; `/file PATH` attaches that file."""
    from bot.engine import UPLOAD_LIMIT_BYTES, Attachment, Incoming, Media, media_kind

    message_id = uuid.uuid4().hex
    if line.startswith(_FILE_PREFIX):
        path = Path(line[len(_FILE_PREFIX) :].strip()).expanduser()
        if not path.is_file():
            return Incoming(conversation_id, "terminal", "terminal", message_id, text=line)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        size = path.stat().st_size
        kind = media_kind(mime)
        if kind is not None:
            media = Media(kind=kind, mime=mime, size=size)
            return Incoming(conversation_id, "terminal", "terminal", message_id, media=media)
        # Like the other channels: a file over the limit is described, never read.
        data = path.read_bytes() if size <= UPLOAD_LIMIT_BYTES else None
        attachment = Attachment(filename=path.name, mime=mime, data=data, size=size)
        return Incoming(conversation_id, "terminal", "terminal", message_id, attachment=attachment)
    return Incoming(conversation_id, "terminal", "terminal", message_id, text=line)


def _print_plain(messages: list[Outgoing]) -> None:
    for message in messages:
        if message.text:
            print(f"asistente> {message.text}")
        for index, button in enumerate(message.buttons, start=1):
            print(f"   [{index}] {button.title}")
        if message.document is not None:
            print(f"   📄 {message.document.filename}: {message.document.path}")


async def _piped(engine: Engine, conversation_id: str, as_json: bool) -> None:
    for raw in sys.stdin:
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        replies = await engine.handle(incoming_from_line(line, conversation_id))
        if as_json:
            for message in replies:
                print(json.dumps(message.to_json(), ensure_ascii=False), flush=True)
        else:
            _print_plain(replies)


async def _interactive(engine: Engine, conversation_id: str, as_json: bool) -> None:
    from rich.console import Console
    from rich.panel import Panel
    from rich.prompt import Prompt

    console = Console()
    console.print(
        Panel(
            "Escribe tu mensaje y presiona Enter. Para elegir un botón escribe su número. "
            "Para enviar un archivo: /file RUTA. Para salir: Ctrl+D.",
            title="Asistente IMSS Digital",
        )
    )
    buttons: list[tuple[str, str]] = []
    while True:
        try:
            line = Prompt.ask("[bold cyan]tú[/]")
        except (EOFError, KeyboardInterrupt):
            console.print("¡Hasta luego!")
            return
        if not line.strip():
            continue
        if line.strip().isdecimal() and 0 < int(line.strip()) <= len(buttons):
            line = buttons[int(line.strip()) - 1][1]
        replies = await engine.handle(incoming_from_line(line, conversation_id))
        buttons = []
        for message in replies:
            if as_json:
                console.print_json(json.dumps(message.to_json(), ensure_ascii=False))
                continue
            body = message.text
            for button in message.buttons:
                buttons.append((button.title, button.payload))
                body += f"\n  [{len(buttons)}] {button.title}"
            if message.document is not None:
                body += f"\n📄 {message.document.filename} → {message.document.path}"
            console.print(Panel(body, title="asistente", title_align="left", border_style="green"))


def chat(
    json_output: Annotated[
        bool, typer.Option("--json", help="Un objeto JSON por mensaje del asistente.")
    ] = False,
    conversacion: Annotated[
        str | None, typer.Option(help="Id de conversación para retomar una anterior.")
    ] = None,
) -> None:
    """Chatea con el asistente en la terminal (sin configuración: SQLite, NLU integrado, registro demo)."""
    import logging

    from bot.container import build_container
    from bot.logs import configure_logging

    configure_logging(logging.WARNING)
    container = build_container()
    conversation_id = conversacion or f"terminal-{uuid.uuid4().hex[:12]}"
    runner = _interactive if sys.stdin.isatty() else _piped
    asyncio.run(runner(container.engine, conversation_id, json_output))
