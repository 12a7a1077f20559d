"""Short-lived, encrypted custody of e.firma uploads while a form waits for the next step.

The engine hands every attachment to `Custodia.hold` before anything else sees it. Only a SAT certificate
or an encrypted private key of at most 64 KB is kept, encrypted with the server's Fernet key, for at most
10 minutes; the actions take it back with `take` and wipe it with `release` as soon as the signature is
made. The bytes never appear in the metadata, the event log or a log line: what travels (in the tracker's
latest message, also over HTTP to an action server) is `ArchivoRecibido.to_metadata()`.
"""

from __future__ import annotations

import enum
import logging
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import ColumnElement, DateTime, LargeBinary, String, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from tramites.db import TramitesBase
from tramites.efirma.archivos import LIMITE_BYTES, TipoArchivo, clasificar_archivo
from tramites.efirma.errores import (
    ArchivoDemasiadoGrande,
    ArchivoNoEsCertificado,
    ArchivoNoEsLlave,
    CertificadoSinRfc,
    EfirmaError,
    LlaveSinCifrar,
)
from tramites.errores import TramiteError

__all__ = [
    "ARCHIVO_CLAVE_SERVIDOR",
    "DURACION_CUSTODIA",
    "ArchivoCustodiadoRow",
    "ArchivoRecibido",
    "ClaveServidorInvalida",
    "Custodia",
    "MotivoRechazo",
    "SqlCustodia",
    "cargar_clave_servidor",
]

logger = logging.getLogger(__name__)

DURACION_CUSTODIA = timedelta(minutes=10)
"""How long an upload may wait for the rest of the form."""

ARCHIVO_CLAVE_SERVIDOR = "servidor.fernet"
"""Name of the generated server key inside the keys folder (mode 0600)."""

_MAX_NOMBRE = 200


class ClaveServidorInvalida(TramiteError):
    """`SERVER_SECRET_KEY` (or the key file) is not a valid Fernet key; `detalle` says which."""

    MENSAJE = (
        "La clave del servidor (SERVER_SECRET_KEY) no es una clave Fernet válida. "
        'Genera una con: python -c "from cryptography.fernet import Fernet; '
        'print(Fernet.generate_key().decode())"'
    )


class MotivoRechazo(enum.Enum):
    """Why an upload was not kept; the value is what the metadata carries."""

    DEMASIADO_GRANDE = "demasiado_grande"
    NO_ES_CERTIFICADO = "no_es_certificado"
    CERTIFICADO_SIN_RFC = "certificado_sin_rfc"
    NO_ES_LLAVE = "no_es_llave"
    LLAVE_SIN_CIFRAR = "llave_sin_cifrar"

    @classmethod
    def de_error(cls, error: EfirmaError) -> MotivoRechazo:
        """The reason for one of `clasificar_archivo`'s errors (most specific class first)."""
        for clase, motivo in _MOTIVOS:
            if isinstance(error, clase):
                return motivo
        return cls.NO_ES_CERTIFICADO


_MOTIVOS: tuple[tuple[type[EfirmaError], MotivoRechazo], ...] = (
    (ArchivoDemasiadoGrande, MotivoRechazo.DEMASIADO_GRANDE),
    (CertificadoSinRfc, MotivoRechazo.CERTIFICADO_SIN_RFC),
    (ArchivoNoEsCertificado, MotivoRechazo.NO_ES_CERTIFICADO),
    (LlaveSinCifrar, MotivoRechazo.LLAVE_SIN_CIFRAR),
    (ArchivoNoEsLlave, MotivoRechazo.NO_ES_LLAVE),
)
# A file refused as "not a certificate" while the form asked for the key is "not a key", and back.
_OTRO_ARCHIVO: dict[tuple[TipoArchivo, MotivoRechazo], str] = {
    ("llave", MotivoRechazo.NO_ES_CERTIFICADO): ArchivoNoEsLlave.MENSAJE,
    ("llave", MotivoRechazo.CERTIFICADO_SIN_RFC): ArchivoNoEsLlave.MENSAJE,
    ("certificado", MotivoRechazo.NO_ES_LLAVE): ArchivoNoEsCertificado.MENSAJE,
}


@dataclass(frozen=True)
class ArchivoRecibido:
    """What became of one upload: held (with its id and kind) or refused (with the reason and message)."""

    nombre: str
    tamano: int
    id: str | None = None
    tipo: TipoArchivo | None = None
    expira: datetime | None = None
    rechazo: MotivoRechazo | None = None
    mensaje: str | None = None
    """The refusal, in Spanish, for the person."""

    def mensaje_para(self, esperado: TipoArchivo) -> str | None:
        """The refusal phrased for the file the form asked for; None when the file was held."""
        if self.rechazo is None:
            return None
        return _OTRO_ARCHIVO.get((esperado, self.rechazo), self.mensaje)

    def to_metadata(self) -> dict[str, Any]:
        """JSON-ready: it travels in the tracker's latest message (and over HTTP to an action server)."""
        return {
            **asdict(self),
            "expira": self.expira.isoformat() if self.expira else None,
            "rechazo": self.rechazo.value if self.rechazo else None,
        }

    @classmethod
    def from_metadata(cls, datos: Mapping[str, Any]) -> ArchivoRecibido:
        """Inverse of `to_metadata`."""
        tipo = datos.get("tipo")
        expira = datos.get("expira")
        rechazo = datos.get("rechazo")
        return cls(
            nombre=str(datos.get("nombre") or ""),
            tamano=int(datos.get("tamano") or 0),
            id=str(datos["id"]) if datos.get("id") else None,
            tipo="llave" if tipo == "llave" else "certificado" if tipo == "certificado" else None,
            expira=datetime.fromisoformat(str(expira)) if expira else None,
            rechazo=MotivoRechazo(rechazo) if rechazo else None,
            mensaje=str(datos["mensaje"]) if datos.get("mensaje") else None,
        )


class Custodia(Protocol):
    """Where uploads wait for the rest of a form; the engine holds, the e.firma steps take and release."""

    def hold(self, conversation_id: str, filename: str, data: bytes | None, size: int) -> ArchivoRecibido:
        """Keep a .cer/.key; anything else, or `data=None` (not downloaded: over the limit), is refused."""
        ...

    def take(self, conversation_id: str, held_id: str) -> bytes | None:
        """The bytes of a live file of this conversation, or None."""
        ...

    def release(self, held_id: str) -> None:
        """Wipe one held file."""
        ...

    def release_conversation(self, conversation_id: str) -> None:
        """Wipe every file held for the conversation."""
        ...

    def purge_expired(self) -> int:
        """Delete every file past its expiry; returns how many."""
        ...


class ArchivoCustodiadoRow(TramitesBase):
    """An upload held for a form, encrypted with the server key, until it expires or is used."""

    __tablename__ = "held_files"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(255))
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _validar_clave(clave: bytes, origen: str) -> bytes:
    try:
        Fernet(clave)
    except (ValueError, TypeError):
        raise ClaveServidorInvalida(detalle=f"{origen} is not a 32-byte url-safe base64 key") from None
    return clave


def cargar_clave_servidor(configurada: str | None, directorio: Path) -> bytes:
    """The Fernet key: the configured one, or one generated once into `directorio` (file mode 0600)."""
    if configurada:
        return _validar_clave(configurada.strip().encode("ascii"), "SERVER_SECRET_KEY")
    ruta = directorio / ARCHIVO_CLAVE_SERVIDOR
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
    return momento.replace(tzinfo=UTC) if momento.tzinfo is None else momento.astimezone(UTC)


def _ahora_utc() -> datetime:
    return datetime.now(UTC)


def _nombre_seguro(nombre: str) -> str:
    base = Path(nombre.replace("\\", "/")).name.strip() or "archivo"
    return base[:_MAX_NOMBRE]


class SqlCustodia:
    """`Custodia` on the `held_files` table: uploads encrypted with the server key, for 10 minutes."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clave: bytes,
        *,
        ttl: timedelta = DURACION_CUSTODIA,
        now: Callable[[], datetime] = _ahora_utc,
        wiped: Callable[[], None] | None = None,
    ) -> None:
        self._sessions = sessions
        self._fernet = Fernet(_validar_clave(clave, "the custody key"))
        self.ttl = ttl
        #: The clock (timezone-aware); replaceable in tests.
        self.now = now
        # Called after rows were deleted: the store empties its write-ahead log, which still holds them.
        self._wiped = wiped

    def __repr__(self) -> str:
        return f"SqlCustodia(ttl={self.ttl})"

    def _ahora(self) -> datetime:
        return _utc(self.now())

    def hold(self, conversation_id: str, filename: str, data: bytes | None, size: int) -> ArchivoRecibido:
        """Keep a .cer/.key encrypted; anything else is refused with its reason and dropped.

        The size (64 KB) is checked before the content is looked at; nothing is decrypted here.
        """
        nombre = _nombre_seguro(filename)
        try:
            if data is None:
                raise ArchivoDemasiadoGrande(size, LIMITE_BYTES)
            tipo = clasificar_archivo(nombre, data)
        except EfirmaError as error:
            motivo = MotivoRechazo.de_error(error)
            logger.info("Upload refused for %s (%d bytes): %s", conversation_id, size, motivo.value)
            return ArchivoRecibido(nombre=nombre, tamano=size, rechazo=motivo, mensaje=error.mensaje)
        held_id = secrets.token_urlsafe(24)
        expira = self._ahora() + self.ttl
        with self._sessions.begin() as session:
            session.add(
                ArchivoCustodiadoRow(
                    id=held_id,
                    conversation_id=conversation_id,
                    kind=tipo,
                    filename=nombre,
                    ciphertext=self._fernet.encrypt(data),
                    expires_at=expira,
                )
            )
        self.purge_expired()
        return ArchivoRecibido(nombre=nombre, tamano=size, id=held_id, tipo=tipo, expira=expira)

    def take(self, conversation_id: str, held_id: str) -> bytes | None:
        """The decrypted bytes, or None when missing, expired (then deleted) or from another conversation."""
        with self._sessions.begin() as session:
            row = session.get(ArchivoCustodiadoRow, held_id)
            if row is None or row.conversation_id != conversation_id:
                return None
            if _utc(row.expires_at) <= self._ahora():
                session.delete(row)
                expired = True
            else:
                expired = False
                ciphertext = row.ciphertext
        if expired:
            self._after_wipe(1)
            return None
        try:
            return self._fernet.decrypt(ciphertext)
        except InvalidToken:
            # Encrypted under another server key (rotated): useless, so wipe it.
            self.release(held_id)
            return None

    def release(self, held_id: str) -> None:
        """Wipe one held file (e.g. the key right after signing)."""
        self._delete(ArchivoCustodiadoRow.id == held_id)

    def release_conversation(self, conversation_id: str) -> None:
        """Wipe every file held for the conversation (the form ended or was cancelled)."""
        self._delete(ArchivoCustodiadoRow.conversation_id == conversation_id)

    def purge_expired(self) -> int:
        """Delete every held file past its expiry; returns how many."""
        return self._delete(ArchivoCustodiadoRow.expires_at <= self._ahora())

    def _delete(self, condition: ColumnElement[bool]) -> int:
        """Delete the held files matching `condition`; the store forgets them too. Returns how many."""
        with self._sessions.begin() as session:
            result = session.execute(delete(ArchivoCustodiadoRow).where(condition))
        deleted = int(getattr(result, "rowcount", 0) or 0)
        self._after_wipe(deleted)
        return deleted

    def _after_wipe(self, deleted: int) -> None:
        if deleted and self._wiped is not None:
            self._wiped()

    def count(self, conversation_id: str | None = None) -> int:
        """How many files are held (for one conversation, or in total)."""
        query = select(func.count()).select_from(ArchivoCustodiadoRow)
        if conversation_id is not None:
            query = query.where(ArchivoCustodiadoRow.conversation_id == conversation_id)
        with self._sessions() as session:
            return int(session.scalar(query) or 0)
