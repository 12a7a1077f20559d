"""The embedded outbox: each message is one `.eml` file (mode 0600) in `<ASISTENTE_DATA_DIR>/correo/`.

File names are random, so they say nothing about whom a message is for; the files themselves hold the
recipient and the document, so the folder is readable by its owner only. `asistente correo` lists them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from bot.correo.mensaje import componer
from tramites.correo import CorreoNoEnviado, MensajeCorreo

__all__ = ["Buzon", "EntradaBuzon"]


@dataclass(frozen=True)
class EntradaBuzon:
    """One stored message, as the outbox listing shows it."""

    archivo: Path
    fecha: datetime | None
    destinatario: str
    asunto: str
    adjuntos: tuple[str, ...]


class Buzon:
    """The `Correo` port as a folder of `.eml` files."""

    def __init__(self, carpeta: Path, *, remitente: str) -> None:
        self.carpeta = carpeta
        self.remitente = remitente

    def enviar(self, mensaje: MensajeCorreo) -> None:
        """Write `mensaje` as a new `.eml` file; raises `CorreoNoEnviado` if the folder is not writable."""
        datos = componer(mensaje, self.remitente).as_bytes()
        try:
            self.carpeta.mkdir(mode=0o700, parents=True, exist_ok=True)
            destino = self.carpeta / f"{secrets.token_hex(12)}.eml"
            temporal = self.carpeta / f".{destino.stem}.tmp"
            # Created 0600 from the start (no window with wider permissions), renamed once complete.
            fd = os.open(temporal, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as archivo:
                archivo.write(datos)
            os.replace(temporal, destino)
        except OSError as error:
            raise CorreoNoEnviado(detalle=f"outbox {self.carpeta}: {type(error).__name__}") from error

    def listar(self) -> list[EntradaBuzon]:
        """The stored messages, oldest first."""
        if not self.carpeta.is_dir():
            return []
        entradas = [self._entrada(ruta) for ruta in self.carpeta.glob("*.eml")]
        return sorted(entradas, key=lambda e: (e.fecha.timestamp() if e.fecha else 0.0, e.archivo.name))

    def leer(self, archivo: Path) -> EmailMessage:
        """The whole message of one stored file."""
        with archivo.open("rb") as f:
            mensaje = BytesParser(policy=policy.default).parse(f)
        assert isinstance(mensaje, EmailMessage)
        return mensaje

    def olvidar(self, destinatarios: Collection[str], adjuntos: Collection[str]) -> int:
        """Delete the messages to any of `destinatarios` or carrying any of `adjuntos`; returns how many."""
        para = {d.strip().lower() for d in destinatarios}
        borrados = 0
        for entrada in self.listar():
            if entrada.destinatario.strip().lower() in para or set(entrada.adjuntos) & set(adjuntos):
                entrada.archivo.unlink(missing_ok=True)
                borrados += 1
        return borrados

    def _entrada(self, ruta: Path) -> EntradaBuzon:
        mensaje = self.leer(ruta)
        fecha_texto = mensaje.get("Date")
        try:
            fecha = parsedate_to_datetime(str(fecha_texto)) if fecha_texto else None
        except (TypeError, ValueError):
            fecha = None
        adjuntos = tuple(str(parte.get_filename() or "") for parte in mensaje.iter_attachments())
        return EntradaBuzon(
            archivo=ruta,
            fecha=fecha,
            destinatario=str(mensaje.get("To") or ""),
            asunto=str(mensaje.get("Subject") or ""),
            adjuntos=adjuntos,
        )
