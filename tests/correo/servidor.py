"""A local SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, optionally with STARTTLS."""

from __future__ import annotations

import datetime
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

__all__ = ["Recibidos", "ServidorSmtp", "certificado_local", "puerto_libre", "servidor_smtp"]


def puerto_libre() -> int:
    """A TCP port nobody listens on right now, on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Recibidos:
    """The messages the server accepted and the logins it saw."""

    mensajes: list[EmailMessage] = field(default_factory=list)
    sobres: list[tuple[str, list[str]]] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message, parsed as a mail client would."""
        mensaje = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(mensaje, EmailMessage)
        self.mensajes.append(mensaje)
        self.sobres.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def autenticar(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        """Accept exactly usuario/secreto."""
        if isinstance(data, LoginPassword):
            usuario, contrasena = data.login.decode(), data.password.decode()
            self.logins.append((usuario, contrasena))
            return AuthResult(success=(usuario, contrasena) == ("usuario", "secreto"), handled=False)
        return AuthResult(success=False, handled=False)


@dataclass(frozen=True)
class ServidorSmtp:
    """A running server: where it listens and what it received."""

    puerto: int
    recibidos: Recibidos

    @property
    def url(self) -> str:
        """Its smtp:// URL."""
        return f"smtp://127.0.0.1:{self.puerto}"


def certificado_local(carpeta: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, as PEM files (certificate, key)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    clave = ec.generate_private_key(ec.SECP256R1())
    nombre = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    ahora = datetime.datetime.now(datetime.UTC)
    local = x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    cert = (
        x509.CertificateBuilder()
        .subject_name(nombre)
        .issuer_name(nombre)
        .public_key(clave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(ahora - datetime.timedelta(days=1))
        .not_valid_after(ahora + datetime.timedelta(days=1))
        .add_extension(local, critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(clave, hashes.SHA256())
    )
    ruta_cert, ruta_clave = carpeta / "smtp.crt", carpeta / "smtp.key"
    ruta_cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    ruta_clave.write_bytes(
        clave.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return ruta_cert, ruta_clave


@contextmanager
def servidor_smtp(tls: tuple[Path, Path] | None = None) -> Iterator[ServidorSmtp]:
    """Serve on 127.0.0.1 until the block ends; with `tls` (cert, key) STARTTLS is offered and required."""
    recibidos = Recibidos()
    puerto = puerto_libre()
    opciones: dict[str, Any] = {"authenticator": recibidos.autenticar}
    if tls is not None:
        contexto = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        contexto.load_cert_chain(str(tls[0]), str(tls[1]))
        opciones |= {"tls_context": contexto, "require_starttls": True, "auth_require_tls": True}
    else:
        # Plain text on loopback only (what the adapter allows there): let AUTH happen without TLS.
        opciones["auth_require_tls"] = False
    controlador = Controller(recibidos, hostname="127.0.0.1", port=puerto, **opciones)
    controlador.start()
    try:
        yield ServidorSmtp(puerto=puerto, recibidos=recibidos)
    finally:
        controlador.stop()
