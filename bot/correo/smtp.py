"""Sending through an SMTP server: `smtp://` with STARTTLS (plain text only on loopback) or `smtps://`.

Credentials travel only inside TLS. Any failure (refused, unreachable, timeout, bad certificate, no
STARTTLS) becomes `CorreoNoEnviado`; the log names the server, never the recipient. smtplib blocks: the
actions call it from the engine's turn thread or the action server's worker, never an event loop.
"""

from __future__ import annotations

import ipaddress
import logging
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.correo.mensaje import componer
from tramites.correo import CorreoNoEnviado, MensajeCorreo

__all__ = ["CorreoSmtp", "Servidor", "es_local", "leer_url"]

logger = logging.getLogger(__name__)

_PUERTOS = {"smtp": 587, "smtps": 465}

#: Opens the plain TCP connection of `smtp://` (host, port, timeout); tests point a name at a local server.
Abrir = Callable[[str, int, float], smtplib.SMTP]


def _abrir_tcp(host: str, puerto: int, timeout: float) -> smtplib.SMTP:
    return smtplib.SMTP(host, puerto, timeout=timeout)


@dataclass(frozen=True)
class Servidor:
    """Where and how to connect, read from `SMTP_URL`."""

    host: str
    puerto: int
    tls_implicito: bool
    #: (user, password) as far as the URL carries them.
    credenciales: tuple[str | None, str | None] = (None, None)


def leer_url(url: str) -> Servidor:
    """`smtp://user:pass@host:587` or `smtps://host`; raises ValueError for anything else."""
    partes = urlsplit(url)
    esquema = partes.scheme.lower()
    if esquema not in _PUERTOS or not partes.hostname:
        raise ValueError("SMTP_URL debe ser smtp://host[:puerto] o smtps://host[:puerto].")
    return Servidor(
        host=partes.hostname,
        puerto=partes.port or _PUERTOS[esquema],
        tls_implicito=esquema == "smtps",
        credenciales=(
            unquote(partes.username) if partes.username else None,
            unquote(partes.password) if partes.password else None,
        ),
    )


def es_local(host: str) -> bool:
    """Whether `host` names this machine's loopback (the only place plain-text SMTP is allowed)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class CorreoSmtp:
    """The `Correo` port over SMTP; one connection per message (documents are sent one at a time)."""

    def __init__(
        self,
        url: str,
        *,
        remitente: str,
        usuario: str | None = None,
        contrasena: str | None = None,
        ca_file: Path | None = None,
        timeout: float = 15,
        abrir: Abrir = _abrir_tcp,
    ) -> None:
        self.servidor = leer_url(url)
        self.remitente = remitente
        # Credentials in the URL win; SMTP_USUARIO/SMTP_CONTRASENA keep them out of it.
        en_url = self.servidor.credenciales
        self._usuario, self._contrasena = en_url[0] or usuario, en_url[1] or contrasena
        self._ca_file = ca_file
        self._timeout = timeout
        self._abrir = abrir

    def _contexto(self) -> ssl.SSLContext:
        contexto = ssl.create_default_context(cafile=str(self._ca_file) if self._ca_file else None)
        contexto.minimum_version = ssl.TLSVersion.TLSv1_2
        return contexto

    def enviar(self, mensaje: MensajeCorreo) -> None:
        """Send `mensaje`; raises `CorreoNoEnviado` when the server cannot take it."""
        correo = componer(mensaje, self.remitente)
        s = self.servidor
        try:
            with self._conectar() as smtp:
                if self._usuario and self._contrasena:
                    smtp.login(self._usuario, self._contrasena)
                smtp.send_message(correo)
        except CorreoNoEnviado:
            raise
        except (smtplib.SMTPException, OSError) as error:
            logger.warning("SMTP %s:%d did not take a message: %s", s.host, s.puerto, type(error).__name__)
            raise CorreoNoEnviado(detalle=f"SMTP {s.host}:{s.puerto}: {type(error).__name__}") from error

    def _conectar(self) -> smtplib.SMTP:
        """A connection ready to authenticate: TLS from the start, after STARTTLS, or plain on loopback."""
        s = self.servidor
        if s.tls_implicito:
            return smtplib.SMTP_SSL(s.host, s.puerto, timeout=self._timeout, context=self._contexto())
        smtp = self._abrir(s.host, s.puerto, self._timeout)
        try:
            smtp.ehlo()
            if smtp.has_extn("starttls"):
                smtp.starttls(context=self._contexto())
                smtp.ehlo()
            elif not es_local(s.host):
                # Never send a password or a document in clear text across a network.
                raise CorreoNoEnviado(detalle=f"SMTP {s.host}: no STARTTLS, refused to send in clear text")
        except BaseException:
            smtp.close()
            raise
        return smtp
