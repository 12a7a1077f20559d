"""Email adapters of the `tramites.correo` port: SMTP (`SMTP_URL`) or the embedded outbox folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings
    from tramites.correo import Correo

__all__ = ["construir_correo"]


def construir_correo(settings: Settings) -> Correo:
    """The SMTP sender when `SMTP_URL` is set, else the outbox folder; nothing connects here."""
    if settings.smtp_url:
        from bot.correo.smtp import CorreoSmtp

        return CorreoSmtp(
            settings.smtp_url,
            remitente=settings.correo_remitente,
            usuario=settings.smtp_usuario,
            contrasena=settings.smtp_contrasena,
            ca_file=settings.smtp_ca_file,
            timeout=settings.smtp_timeout_segundos,
        )
    from bot.correo.buzon import Buzon

    return Buzon(settings.correo_dir, remitente=settings.correo_remitente)
