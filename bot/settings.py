"""Typed configuration, read from environment variables or a `.env` file."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["PROJECT_ROOT", "Settings"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything an operator can configure; every field has a working embedded default."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    asistente_data_dir: Path = Field(default=PROJECT_ROOT / ".asistente")
    database_url: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    nlu_url: str | None = None
    nlu_confidence_threshold: float = 0.45
    nlu_cache_dir: Path | None = None
    endpoints_file: Path = Field(default=PROJECT_ROOT / "endpoints.yml")
    domain_file: Path = Field(default=PROJECT_ROOT / "domain.yml")
    #: The rate limits (per sender, identity, certificate, client address); see docs/seguridad.md.
    limites_file: Path = Field(default=PROJECT_ROOT / "data" / "limites.yml")
    nlu_data_dir: Path = Field(default=PROJECT_ROOT / "nlu" / "data")
    sello_key_path: Path | None = None
    sello_cert_path: Path | None = None
    efirma_ca_dir: Path | None = None
    server_secret_key: str | None = None
    telegram_token: str | None = None
    telegram_api_url: str | None = None
    whatsapp_token: str | None = None
    whatsapp_app_secret: str | None = None
    whatsapp_verify_token: str | None = None
    whatsapp_api_url: str | None = None
    whatsapp_phone_number_id: str | None = None
    #: An approved template sent instead of a free-form message outside WhatsApp's 24-hour window.
    whatsapp_template_seguimiento: str | None = None
    whatsapp_template_language: str = "es_MX"
    #: The public URL Telegram posts updates to (…/webhooks/telegram); empty means long polling.
    telegram_webhook_url: str | None = None
    #: What Telegram sends back in X-Telegram-Bot-Api-Secret-Token; derived from the server key if empty.
    telegram_webhook_secret: str | None = None
    # --- agentes (docs/consola.md) ---
    #: When agents answer ("lun-vie 08:00-20:00") and in which time zone; outside it people are told when.
    agentes_horario: str = "lun-vie 08:00-20:00"
    agentes_zona_horaria: str = "America/Mexico_City"
    #: After this wait without an agent, one gentle reminder; at most one "still in the queue" per interval.
    agentes_recordatorio_minutos: float = 10
    agentes_aviso_minutos: float = 5
    #: The estimate per place in the queue.
    agentes_minutos_por_persona: float = 5
    #: How long a console login lasts, and how often the desk's periodic task runs (reminders, review).
    agentes_sesion_horas: float = 8
    agentes_intervalo_segundos: float = 30
    #: Where reviewed NLU examples are written (Rasa NLU YAML); default nlu_data_dir/revisados.yml.
    nlu_revisados_file: Path | None = None
    # --- end agentes ---
    # --- correo (docs/correo.md) ---
    #: smtp://[usuario:contraseña@]host[:587] (STARTTLS, required off loopback) or smtps://host[:465];
    #: empty: each message is written as a .eml file to the outbox folder (`asistente correo`).
    smtp_url: str | None = None
    #: Credentials when they are not in SMTP_URL (so the URL can be logged or shared without them).
    smtp_usuario: str | None = None
    smtp_contrasena: str | None = None
    #: A CA bundle (PEM) that signed the server's certificate, when it is not a public CA.
    smtp_ca_file: Path | None = None
    smtp_timeout_segundos: float = 15
    #: The From: of every message.
    correo_remitente: str = "Asistente IMSS Digital <no-responder@localhost>"
    # --- end correo ---
    # --- web hardening (docs/seguridad.md) ---
    #: Serve /openapi.json and /docs; off in production: the schema maps every endpoint for an attacker.
    web_openapi: bool = False
    #: Believe X-Forwarded-Proto for HSTS: only behind a proxy that always sets it (never when exposed).
    web_trust_forwarded_proto: bool = False

    @cached_property
    def data_dir(self) -> Path:
        """The data folder, created on first use."""
        path = self.asistente_data_dir
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def effective_database_url(self) -> str:
        """`DATABASE_URL`, or the embedded SQLite file inside the data folder."""
        return self.database_url or f"sqlite:///{self.data_dir / 'asistente.db'}"

    @property
    def effective_nlu_cache_dir(self) -> Path:
        """Where the trained NLU weights are cached (by content hash)."""
        return self.nlu_cache_dir or self.data_dir / "nlu-cache"

    @property
    def effective_nlu_revisados_file(self) -> Path:
        """The reviewed-examples file the NLU trains from (inside the NLU data folder by default)."""
        return self.nlu_revisados_file or self.nlu_data_dir / "revisados.yml"

    @property
    def documents_dir(self) -> Path:
        """Where issued PDFs are written."""
        path = self.data_dir / "documentos"
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def correo_dir(self) -> Path:
        """The outbox: one .eml file per message when no SMTP_URL is set."""
        return self.data_dir / "correo"

    @property
    def keys_dir(self) -> Path:
        """Where development keys (sello digital, server key) live."""
        path = self.data_dir / "claves"
        path.mkdir(parents=True, exist_ok=True)
        return path
