"""The upload vault: only e.firma files, encrypted, for 10 minutes, and gone when released."""

from __future__ import annotations

import base64
import json
import random
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from bot.vault import (
    ARCHIVO_CLAVE_SERVIDOR,
    ClaveServidorInvalida,
    FileVault,
    cargar_clave_servidor,
)
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.models import HeldFile, StoreBase
from tests.efirma_factory import CaPrueba, crear_ca, crear_fiel
from tests.helpers import make_settings

_AZAR = random.Random(2026)
CURP = "XIQB891116MGRMZR05"
RFC = "XIQB891116AB1"


class Reloj:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.ahora = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.ahora


@pytest.fixture(scope="module")
def fiel(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, bytes, str]:
    """A SAT-like e.firma from a test CA."""
    ca: CaPrueba = crear_ca(tmp_path_factory.mktemp("ca"))
    return crear_fiel(ca, RFC, CURP, "BLANCA XIQUE", password="Bóveda-2026")


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """A private SQLite database with the store tables."""
    engine = create_engine(f"sqlite:///{tmp_path / 'vault.db'}")
    StoreBase.metadata.create_all(engine)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def reloj() -> Reloj:
    """The vault's clock."""
    return Reloj()


@pytest.fixture
def vault(sessions: sessionmaker[Session], reloj: Reloj) -> FileVault:
    """A vault with a fresh key and the hand clock."""
    return FileVault(sessions, Fernet.generate_key(), now=reloj)


def _filas(sessions: sessionmaker[Session]) -> list[HeldFile]:
    with sessions() as session:
        return list(session.scalars(select(HeldFile)))


def test_certificate_and_key_are_held_encrypted(
    vault: FileVault, sessions: sessionmaker[Session], fiel: tuple[bytes, bytes, str]
) -> None:
    cer, key, _ = fiel
    meta_cer = vault.hold("conv-1", "mi_efirma.cer", cer)
    meta_key = vault.hold("conv-1", "Claveprivada_FIEL.key", key)
    assert meta_cer["kind"] == "certificado" and meta_key["kind"] == "llave"
    assert meta_key["filename"] == "Claveprivada_FIEL.key" and meta_key["size"] == len(key)
    assert "rechazo" not in meta_key
    # The metadata is what actions and the event log see: never the bytes.
    texto = json.dumps(meta_key)
    assert base64.b64encode(key).decode()[:40] not in texto and key.hex()[:40] not in texto
    filas = {f.id: f for f in _filas(sessions)}
    assert set(filas) == {meta_cer["id"], meta_key["id"]}
    assert key not in filas[meta_key["id"]].ciphertext and key[:64] not in filas[meta_key["id"]].ciphertext
    assert vault.take("conv-1", meta_key["id"]) == key
    assert vault.take("conv-1", meta_cer["id"]) == cer


def test_expires_after_ten_minutes(
    vault: FileVault, sessions: sessionmaker[Session], reloj: Reloj, fiel: tuple[bytes, bytes, str]
) -> None:
    meta = vault.hold("conv-1", "llave.key", fiel[1])
    reloj.ahora += timedelta(minutes=9, seconds=59)
    assert vault.take("conv-1", meta["id"]) == fiel[1]
    reloj.ahora += timedelta(seconds=2)
    assert vault.take("conv-1", meta["id"]) is None
    assert _filas(sessions) == []


def test_purge_removes_only_expired_files(
    vault: FileVault, sessions: sessionmaker[Session], reloj: Reloj, fiel: tuple[bytes, bytes, str]
) -> None:
    viejo = vault.hold("conv-1", "llave.key", fiel[1])
    reloj.ahora += timedelta(minutes=6)
    nuevo = vault.hold("conv-2", "llave.key", fiel[1])
    reloj.ahora += timedelta(minutes=5)
    assert vault.purge_expired() == 1
    assert [f.id for f in _filas(sessions)] == [nuevo["id"]]
    assert vault.take("conv-1", viejo["id"]) is None


def test_another_conversation_cannot_take_a_file(vault: FileVault, fiel: tuple[bytes, bytes, str]) -> None:
    meta = vault.hold("conv-1", "llave.key", fiel[1])
    assert vault.take("conv-2", meta["id"]) is None
    assert vault.take("conv-1", meta["id"]) == fiel[1]


def test_release_and_release_conversation_wipe(
    vault: FileVault, sessions: sessionmaker[Session], fiel: tuple[bytes, bytes, str]
) -> None:
    a = vault.hold("conv-1", "a.cer", fiel[0])
    b = vault.hold("conv-1", "b.key", fiel[1])
    c = vault.hold("conv-2", "c.key", fiel[1])
    vault.release(a["id"])
    assert vault.take("conv-1", a["id"]) is None
    vault.release_conversation("conv-1")
    assert vault.take("conv-1", b["id"]) is None
    assert [f.id for f in _filas(sessions)] == [c["id"]]
    assert vault.count("conv-2") == 1 and vault.count() == 1


def test_oversized_upload_is_refused_before_parsing(
    vault: FileVault, sessions: sessionmaker[Session]
) -> None:
    meta = vault.hold("conv-1", "grande.key", b"\x30" * (64 * 1024 + 1))
    assert "64 KB" in meta["rechazo"]
    assert meta["motivo"] == "ArchivoDemasiadoGrande"
    assert "id" not in meta and meta["kind"] is None
    assert _filas(sessions) == []


@pytest.mark.parametrize(
    ("nombre", "data", "motivo"),
    [
        ("foto.jpg", b"\xff\xd8\xff\xe0" + _AZAR.randbytes(500), "ArchivoNoEsCertificado"),
        ("Claveprivada.key", _AZAR.randbytes(1200), "ArchivoNoEsLlave"),
        ("nota.txt", "hola, aquí va mi contraseña".encode(), "ArchivoNoEsCertificado"),
        ("vacio.cer", b"", "ArchivoNoEsCertificado"),
    ],
)
def test_non_efirma_files_are_refused_with_a_reason(
    vault: FileVault, sessions: sessionmaker[Session], nombre: str, data: bytes, motivo: str
) -> None:
    meta = vault.hold("conv-1", nombre, data)
    assert meta["motivo"] == motivo
    assert meta["rechazo"].startswith("Ese archivo no es")
    assert _filas(sessions) == []


def test_filename_is_reduced_to_a_base_name(vault: FileVault, fiel: tuple[bytes, bytes, str]) -> None:
    meta = vault.hold("conv-1", "../../etc/llave.key", fiel[1])
    assert meta["filename"] == "llave.key"


def test_a_file_under_another_server_key_is_useless_and_wiped(
    sessions: sessionmaker[Session], reloj: Reloj, fiel: tuple[bytes, bytes, str]
) -> None:
    antes = FileVault(sessions, Fernet.generate_key(), now=reloj)
    meta = antes.hold("conv-1", "llave.key", fiel[1])
    despues = FileVault(sessions, Fernet.generate_key(), now=reloj)
    assert despues.take("conv-1", meta["id"]) is None
    assert _filas(sessions) == []


def test_server_key_is_generated_once_with_private_permissions(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "datos", tmp_path / "nlu")
    primera = cargar_clave_servidor(settings)
    ruta = settings.keys_dir / ARCHIVO_CLAVE_SERVIDOR
    assert stat.S_IMODE(ruta.stat().st_mode) == 0o600
    assert cargar_clave_servidor(make_settings(tmp_path / "datos", tmp_path / "nlu")) == primera
    Fernet(primera)


def test_server_key_from_settings_wins(tmp_path: Path) -> None:
    clave = Fernet.generate_key().decode()
    settings = make_settings(tmp_path / "datos", tmp_path / "nlu", server_secret_key=clave)
    assert cargar_clave_servidor(settings) == clave.encode()
    assert not (settings.keys_dir / ARCHIVO_CLAVE_SERVIDOR).exists()


def test_invalid_server_key_is_a_clear_error(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "datos", tmp_path / "nlu", server_secret_key="no-es-una-clave")
    with pytest.raises(ClaveServidorInvalida) as error:
        cargar_clave_servidor(settings)
    assert "SERVER_SECRET_KEY" in error.value.mensaje
