"""The SMTP adapter against a real SMTP server on 127.0.0.1: what arrives, and what is refused."""

from __future__ import annotations

import smtplib
from pathlib import Path

import pytest

from bot.correo import construir_correo
from bot.correo.smtp import CorreoSmtp, leer_url
from tests.correo.servidor import certificado_local, puerto_libre, servidor_smtp
from tests.helpers import make_settings
from tramites.correo import Adjunto, CorreoNoEnviado, MensajeCorreo

REMITENTE = "Asistente IMSS Digital <no-responder@asistente.example>"
PDF = b"%PDF-1.7\n% un documento de prueba\n%%EOF\n"


def _mensaje(destinatario: str = "ana@example.com") -> MensajeCorreo:
    return MensajeCorreo(
        destinatario=destinatario,
        asunto="Constancia de Vigencia de Derechos (folio IMSS-20260302-8K2M4Q7W)",
        cuerpo="Hola: te enviamos tu documento.",
        adjuntos=(Adjunto(nombre="IMSS-20260302-8K2M4Q7W.pdf", contenido=PDF),),
    )


def test_a_message_arrives_with_its_pdf_attached() -> None:
    with servidor_smtp() as servidor:
        CorreoSmtp(servidor.url, remitente=REMITENTE).enviar(_mensaje())
    [recibido] = servidor.recibidos.mensajes
    assert recibido["To"] == "ana@example.com"
    assert recibido["From"] == REMITENTE
    assert recibido["Subject"] == "Constancia de Vigencia de Derechos (folio IMSS-20260302-8K2M4Q7W)"
    assert recibido.get_body(("plain",)).get_content().strip() == "Hola: te enviamos tu documento."  # type: ignore[union-attr]
    [adjunto] = list(recibido.iter_attachments())
    assert adjunto.get_content_type() == "application/pdf"
    assert adjunto.get_filename() == "IMSS-20260302-8K2M4Q7W.pdf"
    assert adjunto.get_content() == PDF
    assert servidor.recibidos.sobres == [("no-responder@asistente.example", ["ana@example.com"])]


def test_starttls_protects_the_login_and_the_message(tmp_path: Path) -> None:
    cert, clave = certificado_local(tmp_path)
    with servidor_smtp(tls=(cert, clave)) as servidor:
        correo = CorreoSmtp(
            f"smtp://127.0.0.1:{servidor.puerto}", remitente=REMITENTE,
            usuario="usuario", contrasena="secreto", ca_file=cert,
        )
        correo.enviar(_mensaje())
    assert servidor.recibidos.logins == [("usuario", "secreto")]
    assert len(servidor.recibidos.mensajes) == 1


def test_credentials_in_the_url_are_decoded_and_used(tmp_path: Path) -> None:
    cert, clave = certificado_local(tmp_path)
    with servidor_smtp(tls=(cert, clave)) as servidor:
        url = f"smtp://usuario:secr%65to@127.0.0.1:{servidor.puerto}"
        correo = CorreoSmtp(url, remitente=REMITENTE, usuario="otro", contrasena="otra", ca_file=cert)
        correo.enviar(_mensaje())
    assert servidor.recibidos.logins == [("usuario", "secreto")]


def test_an_untrusted_certificate_is_refused_before_anything_is_sent(tmp_path: Path) -> None:
    cert, clave = certificado_local(tmp_path)
    with servidor_smtp(tls=(cert, clave)) as servidor:
        correo = CorreoSmtp(servidor.url, remitente=REMITENTE, usuario="usuario", contrasena="secreto")
        with pytest.raises(CorreoNoEnviado):
            correo.enviar(_mensaje())
    assert servidor.recibidos.logins == [] and servidor.recibidos.mensajes == []


def test_a_remote_server_without_starttls_gets_neither_password_nor_message() -> None:
    with servidor_smtp() as servidor:
        # The name is not loopback; the connection is opened to the local server that offers no STARTTLS.
        def abrir(host: str, puerto: int, timeout: float) -> smtplib.SMTP:
            assert (host, puerto) == ("correo.example.mx", 587)
            return smtplib.SMTP("127.0.0.1", servidor.puerto, timeout=timeout)

        correo = CorreoSmtp(
            "smtp://usuario:secreto@correo.example.mx", remitente=REMITENTE, abrir=abrir
        )
        with pytest.raises(CorreoNoEnviado) as error:
            correo.enviar(_mensaje())
    assert "no STARTTLS" in str(error.value.detalle)
    assert servidor.recibidos.logins == [] and servidor.recibidos.mensajes == []


def test_a_server_that_is_down_is_a_clear_error() -> None:
    correo = CorreoSmtp(f"smtp://127.0.0.1:{puerto_libre()}", remitente=REMITENTE, timeout=5)
    with pytest.raises(CorreoNoEnviado):
        correo.enviar(_mensaje())


def test_wrong_credentials_are_a_clear_error_and_nothing_is_sent(tmp_path: Path) -> None:
    cert, clave = certificado_local(tmp_path)
    with servidor_smtp(tls=(cert, clave)) as servidor:
        correo = CorreoSmtp(
            servidor.url, remitente=REMITENTE, usuario="usuario", contrasena="mala", ca_file=cert
        )
        with pytest.raises(CorreoNoEnviado):
            correo.enviar(_mensaje())
    assert servidor.recibidos.mensajes == []


@pytest.mark.parametrize(
    "destinatario",
    ["ana@example.com\r\nBcc: victima@example.com", "ana@example.com\nSubject: otro"],
)
def test_a_line_break_in_the_recipient_sends_nothing(destinatario: str) -> None:
    with servidor_smtp() as servidor, pytest.raises(CorreoNoEnviado):
        CorreoSmtp(servidor.url, remitente=REMITENTE).enviar(_mensaje(destinatario))
    assert servidor.recibidos.mensajes == []


@pytest.mark.parametrize("url", ["http://correo.example.mx", "smtp://", "correo.example.mx:587", "ftp://h"])
def test_an_smtp_url_of_another_kind_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="SMTP_URL"):
        leer_url(url)


def test_default_ports_follow_the_scheme() -> None:
    assert leer_url("smtp://correo.example.mx").puerto == 587
    assert leer_url("smtps://correo.example.mx").puerto == 465
    assert leer_url("smtps://correo.example.mx").tls_implicito


def test_settings_choose_smtp_with_the_credentials_from_the_environment(tmp_path: Path) -> None:
    cert, clave = certificado_local(tmp_path)
    with servidor_smtp(tls=(cert, clave)) as servidor:
        settings = make_settings(
            tmp_path / "datos", tmp_path / "nlu", smtp_url=servidor.url, smtp_usuario="usuario",
            smtp_contrasena="secreto", smtp_ca_file=cert, correo_remitente=REMITENTE,
        )
        construir_correo(settings).enviar(_mensaje())
    assert servidor.recibidos.logins == [("usuario", "secreto")]
    assert servidor.recibidos.mensajes[0]["From"] == REMITENTE
