"""Short-lived, encrypted holding of e.firma uploads while a form waits for the next step.

The engine hands every attachment to `FileVault.hold` before anything else sees it. Only a SAT
certificate or an encrypted private key of at most 64 KB is kept, encrypted with the server's Fernet
key, for at most 10 minutes; the actions take it back with `take` and wipe it with `release` as soon
as the signature is made. The bytes never appear in the metadata, the event log or a log line.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import HeldFile

if TYPE_CHECKING:
    from sqlalchemy import Engine as DbEngine

    from bot.settings import Settings

__all__ = [
    "ARCHIVO_CLAVE_SERVIDOR",
    "HOLD_TTL",
    "ClaveServidorInvalida",
    "FileVault",
    "cargar_clave_servidor",
]

logger = logging.getLogger(__name__)

HOLD_TTL = timedelta(minutes=10)
"""How long an upload may wait for the rest of the form."""

ARCHIVO_CLAVE_SERVIDOR = "servidor.fernet"
"""Name of the generated server key inside `settings.keys_dir` (mode 0600)."""

_MAX_NOMBRE = 200


class ClaveServidorInvalida(ValueError):
    """`SERVER_SECRET_KEY` (or the key file) is not a valid Fernet key."""

    def __init__(self, detalle: str) -> None:
        self.mensaje = (
            "La clave del servidor (SERVER_SECRET_KEY) no es una clave Fernet válida. "
            "Genera una con: python -c \"from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())\""
        )
        self.detalle = detalle
        super().__init__(self.mensaje)


def _validar_clave(clave: bytes, origen: str) -> bytes:
    try:
        Fernet(clave)
    except (ValueError, TypeError):
        raise ClaveServidorInvalida(f"{origen} is not a 32-byte url-safe base64 key") from None
    return clave


def cargar_clave_servidor(settings: Settings) -> bytes:
    """The Fernet key: `SERVER_SECRET_KEY`, or one generated once into keys_dir/servidor.fernet (0600)."""
    if settings.server_secret_key:
        return _validar_clave(settings.server_secret_key.strip().encode("ascii"), "SERVER_SECRET_KEY")
    ruta: Path = settings.keys_dir / ARCHIVO_CLAVE_SERVIDOR
    if not ruta.exists():
        clave = Fernet.generate_key()
        try:
            # O_EXCL: two processes starting together must not overwrite each other's key.
            fd = os.open(ruta, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as archivo:
                archivo.write(clave + b"\n")
            logger.info("Generated the server key for held uploads in %s", ruta)
            return clave
    os.chmod(ruta, 0o600)
    return _validar_clave(ruta.read_bytes().strip(), str(ruta))


def _utc(momento: datetime) -> datetime:
    """Aware UTC; naive values (SQLite drops the zone) are taken as UTC."""
    if momento.tzinfo is None:
        return momento.replace(tzinfo=UTC)
    return momento.astimezone(UTC)


def _ahora_utc() -> datetime:
    return datetime.now(UTC)


class _Held:
    """The description of one upload for the actions (no bytes)."""

    def __init__(self, metadata: dict[str, Any]) -> None:
        self._metadata = metadata

    def to_metadata(self) -> dict[str, Any]:
        """A JSON-ready copy."""
        return dict(self._metadata)


def _nombre_seguro(nombre: str) -> str:
    base = Path(nombre.replace("\\", "/")).name.strip() or "archivo"
    return base[:_MAX_NOMBRE]


class FileVault:
    """The engine's `AttachmentSink`: holds e.firma uploads encrypted in `held_files`, for 10 minutes."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clave: bytes,
        *,
        ttl: timedelta = HOLD_TTL,
        now: Callable[[], datetime] = _ahora_utc,
    ) -> None:
        self._sessions = sessions
        self._fernet = Fernet(_validar_clave(clave, "the vault key"))
        self.ttl = ttl
        #: The clock (timezone-aware); replaceable in tests.
        self.now = now

    def __repr__(self) -> str:
        return f"FileVault(ttl={self.ttl})"

    @classmethod
    def desde_settings(cls, settings: Settings, db: DbEngine | None = None) -> FileVault:
        """A vault on the configured database (migrated when no engine is given) and the server key."""
        from bot.store import create_db_engine, migrate, session_factory

        if db is None:
            db = create_db_engine(settings.effective_database_url)
            migrate(db)
        return cls(session_factory(db), cargar_clave_servidor(settings))

    def _ahora(self) -> datetime:
        return _utc(self.now())

    # -- AttachmentSink ------------------------------------------------------------------

    def hold(self, conversation_id: str, filename: str, data: bytes | None, size: int) -> _Held:
        """Keep a .cer/.key encrypted and describe it; anything else gets `rechazo` and is dropped.

        The size (64 KB) is checked before the content is looked at; nothing is decrypted here. `data`
        is None when the channel did not download a file it reported as too big.
        """
        from tramites.efirma import ArchivoDemasiadoGrande, EfirmaError, clasificar_archivo
        from tramites.efirma.archivos import LIMITE_BYTES

        nombre = _nombre_seguro(filename)
        metadata: dict[str, Any] = {"filename": nombre, "size": size}
        try:
            if data is None:
                raise ArchivoDemasiadoGrande(size, LIMITE_BYTES)
            kind = clasificar_archivo(nombre, data)
        except EfirmaError as error:
            metadata["kind"] = None
            metadata["rechazo"] = error.mensaje
            # Which check failed, so a form can phrase it for the file it asked for.
            metadata["motivo"] = type(error).__name__
            logger.info("Upload refused for %s (%d bytes): %s", conversation_id, size, metadata["motivo"])
            return _Held(metadata)
        held_id = secrets.token_urlsafe(24)
        expira = self._ahora() + self.ttl
        with self._sessions.begin() as session:
            session.add(
                HeldFile(
                    id=held_id,
                    conversation_id=conversation_id,
                    kind=kind,
                    filename=nombre,
                    ciphertext=self._fernet.encrypt(data),
                    expires_at=expira,
                )
            )
        self.purge_expired()
        metadata.update({"id": held_id, "kind": kind, "expires_at": expira.isoformat()})
        return _Held(metadata)

    def release_conversation(self, conversation_id: str) -> None:
        """Wipe every file held for the conversation (the form ended or was cancelled)."""
        with self._sessions.begin() as session:
            session.execute(delete(HeldFile).where(HeldFile.conversation_id == conversation_id))

    # -- for the actions -----------------------------------------------------------------

    def take(self, conversation_id: str, held_id: str) -> bytes | None:
        """The decrypted bytes, or None when missing, expired (then deleted) or from another conversation."""
        with self._sessions.begin() as session:
            row = session.get(HeldFile, held_id)
            if row is None or row.conversation_id != conversation_id:
                return None
            if _utc(row.expires_at) <= self._ahora():
                session.delete(row)
                return None
            ciphertext = row.ciphertext
        try:
            return self._fernet.decrypt(ciphertext)
        except InvalidToken:
            # Encrypted under another server key (rotated): useless, so wipe it.
            self.release(held_id)
            return None

    def kind(self, conversation_id: str, held_id: str) -> str | None:
        """"certificado"/"llave" for a live held file of this conversation, else None (no decryption)."""
        with self._sessions() as session:
            row = session.get(HeldFile, held_id)
            if row is None or row.conversation_id != conversation_id or _utc(row.expires_at) <= self._ahora():
                return None
            return row.kind

    def release(self, held_id: str) -> None:
        """Wipe one held file (e.g. the key right after signing)."""
        with self._sessions.begin() as session:
            session.execute(delete(HeldFile).where(HeldFile.id == held_id))

    def purge_expired(self) -> int:
        """Delete every held file past its expiry; returns how many."""
        with self._sessions.begin() as session:
            result = session.execute(delete(HeldFile).where(HeldFile.expires_at <= self._ahora()))
        return int(getattr(result, "rowcount", 0) or 0)

    def count(self, conversation_id: str | None = None) -> int:
        """How many files are held (for one conversation, or in total)."""
        query = select(HeldFile.id)
        if conversation_id is not None:
            query = query.where(HeldFile.conversation_id == conversation_id)
        with self._sessions() as session:
            return len(session.scalars(query).all())
