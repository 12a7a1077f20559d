"""Custody of uploads: only e.firma files, encrypted, for 10 minutes, gone when released; typed results."""

from __future__ import annotations

import base64
import json
import random
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from tests.efirma_factory import CaPrueba, crear_ca, crear_fiel
from tramites.db import TramitesBase
from tramites.efirma.custodia import (
    ARCHIVO_CLAVE_SERVIDOR,
    ArchivoCustodiadoRow,
    ArchivoRecibido,
    ClaveServidorInvalida,
    MotivoRechazo,
    SqlCustodia,
    cargar_clave_servidor,
)

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
    """A private SQLite database with the tramites tables."""
    engine = create_engine(f"sqlite:///{tmp_path / 'custodia.db'}")
    TramitesBase.metadata.create_all(engine)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def reloj() -> Reloj:
    """The custody's clock."""
    return Reloj()


@pytest.fixture
def custodia(sessions: sessionmaker[Session], reloj: Reloj) -> SqlCustodia:
    """Custody with a fresh key and the hand clock."""
    return SqlCustodia(sessions, Fernet.generate_key(), now=reloj)


def _filas(sessions: sessionmaker[Session]) -> list[ArchivoCustodiadoRow]:
    with sessions() as session:
        return list(session.scalars(select(ArchivoCustodiadoRow)))


def _guardar(custodia: SqlCustodia, conversacion: str, nombre: str, data: bytes) -> str:
    archivo = custodia.hold(conversacion, nombre, data, len(data))
    assert archivo.id is not None, archivo.mensaje
    return archivo.id


def test_certificate_and_key_are_held_encrypted(
    custodia: SqlCustodia, sessions: sessionmaker[Session], fiel: tuple[bytes, bytes, str]
) -> None:
    cer, key, _ = fiel
    recibido_cer = custodia.hold("conv-1", "mi_efirma.cer", cer, len(cer))
    recibido_key = custodia.hold("conv-1", "Claveprivada_FIEL.key", key, len(key))
    assert recibido_cer.tipo == "certificado" and recibido_key.tipo == "llave"
    assert recibido_key.nombre == "Claveprivada_FIEL.key" and recibido_key.tamano == len(key)
    assert recibido_key.rechazo is None and recibido_key.mensaje_para("llave") is None
    # The metadata is what actions and the event log see: never the bytes, and JSON-ready.
    texto = json.dumps(recibido_key.to_metadata())
    assert base64.b64encode(key).decode()[:40] not in texto and key.hex()[:40] not in texto
    assert ArchivoRecibido.from_metadata(json.loads(texto)) == recibido_key
    filas = {f.id: f for f in _filas(sessions)}
    assert set(filas) == {recibido_cer.id, recibido_key.id}
    assert recibido_key.id is not None and recibido_cer.id is not None
    assert key not in filas[recibido_key.id].ciphertext and key[:64] not in filas[recibido_key.id].ciphertext
    assert custodia.take("conv-1", recibido_key.id) == key
    assert custodia.take("conv-1", recibido_cer.id) == cer


def test_expires_after_ten_minutes(
    custodia: SqlCustodia, sessions: sessionmaker[Session], reloj: Reloj, fiel: tuple[bytes, bytes, str]
) -> None:
    archivo = _guardar(custodia, "conv-1", "llave.key", fiel[1])
    reloj.ahora += timedelta(minutes=9, seconds=59)
    assert custodia.take("conv-1", archivo) == fiel[1]
    reloj.ahora += timedelta(seconds=2)
    assert custodia.take("conv-1", archivo) is None
    assert _filas(sessions) == []


def test_purge_removes_only_expired_files(
    custodia: SqlCustodia, sessions: sessionmaker[Session], reloj: Reloj, fiel: tuple[bytes, bytes, str]
) -> None:
    viejo = _guardar(custodia, "conv-1", "llave.key", fiel[1])
    reloj.ahora += timedelta(minutes=6)
    nuevo = _guardar(custodia, "conv-2", "llave.key", fiel[1])
    reloj.ahora += timedelta(minutes=5)
    assert custodia.purge_expired() == 1
    assert [f.id for f in _filas(sessions)] == [nuevo]
    assert custodia.take("conv-1", viejo) is None


def test_another_conversation_cannot_take_a_file(
    custodia: SqlCustodia, fiel: tuple[bytes, bytes, str]
) -> None:
    archivo = _guardar(custodia, "conv-1", "llave.key", fiel[1])
    assert custodia.take("conv-2", archivo) is None
    assert custodia.take("conv-1", archivo) == fiel[1]


def test_release_and_release_conversation_wipe(
    custodia: SqlCustodia, sessions: sessionmaker[Session], fiel: tuple[bytes, bytes, str]
) -> None:
    a = _guardar(custodia, "conv-1", "a.cer", fiel[0])
    b = _guardar(custodia, "conv-1", "b.key", fiel[1])
    c = _guardar(custodia, "conv-2", "c.key", fiel[1])
    custodia.release(a)
    assert custodia.take("conv-1", a) is None
    custodia.release_conversation("conv-1")
    assert custodia.take("conv-1", b) is None
    assert [f.id for f in _filas(sessions)] == [c]
    assert custodia.count("conv-2") == 1 and custodia.count() == 1


def test_oversized_upload_is_refused_before_parsing(
    custodia: SqlCustodia, sessions: sessionmaker[Session]
) -> None:
    archivo = custodia.hold("conv-1", "grande.key", b"\x30" * (64 * 1024 + 1), 64 * 1024 + 1)
    assert archivo.rechazo is MotivoRechazo.DEMASIADO_GRANDE
    assert archivo.mensaje is not None and "64 KB" in archivo.mensaje
    assert archivo.id is None and archivo.tipo is None
    assert _filas(sessions) == []


def test_a_file_the_channel_did_not_download_is_refused_by_its_size(
    custodia: SqlCustodia, sessions: sessionmaker[Session]
) -> None:
    archivo = custodia.hold("conv-1", "enorme.cer", None, 5 * 1024 * 1024)
    assert archivo.rechazo is MotivoRechazo.DEMASIADO_GRANDE
    assert archivo.mensaje is not None and "5120 KB" in archivo.mensaje and "64 KB" in archivo.mensaje
    assert _filas(sessions) == []


@pytest.mark.parametrize(
    ("nombre", "data", "motivo"),
    [
        ("foto.jpg", b"\xff\xd8\xff\xe0" + _AZAR.randbytes(500), MotivoRechazo.NO_ES_CERTIFICADO),
        ("Claveprivada.key", _AZAR.randbytes(1200), MotivoRechazo.NO_ES_LLAVE),
        ("nota.txt", "hola, aquí va mi contraseña".encode(), MotivoRechazo.NO_ES_CERTIFICADO),
        ("vacio.cer", b"", MotivoRechazo.NO_ES_CERTIFICADO),
    ],
)
def test_non_efirma_files_are_refused_with_a_reason(
    custodia: SqlCustodia, sessions: sessionmaker[Session], nombre: str, data: bytes, motivo: MotivoRechazo
) -> None:
    archivo = custodia.hold("conv-1", nombre, data, len(data))
    assert archivo.rechazo is motivo
    assert archivo.mensaje is not None and archivo.mensaje.startswith("Ese archivo no es")
    assert _filas(sessions) == []


def test_a_refusal_is_phrased_for_the_file_the_form_asked_for(custodia: SqlCustodia) -> None:
    foto = custodia.hold("conv-1", "foto.jpg", b"\xff\xd8\xff\xe0" + b"JFIF" * 100, 404)
    assert foto.mensaje_para("certificado") == foto.mensaje
    llave = foto.mensaje_para("llave")
    assert llave is not None and llave.startswith("Ese archivo no es la llave privada (.key)")
    texto = custodia.hold("conv-1", "x.key", b"\x01\x02" * 300, 600)
    cer = texto.mensaje_para("certificado")
    assert cer is not None and cer.startswith("Ese archivo no es el certificado (.cer)")


def test_filename_is_reduced_to_a_base_name(custodia: SqlCustodia, fiel: tuple[bytes, bytes, str]) -> None:
    assert custodia.hold("conv-1", "../../etc/llave.key", fiel[1], len(fiel[1])).nombre == "llave.key"


def test_a_file_under_another_server_key_is_useless_and_wiped(
    sessions: sessionmaker[Session], reloj: Reloj, fiel: tuple[bytes, bytes, str]
) -> None:
    antes = SqlCustodia(sessions, Fernet.generate_key(), now=reloj)
    archivo = _guardar(antes, "conv-1", "llave.key", fiel[1])
    despues = SqlCustodia(sessions, Fernet.generate_key(), now=reloj)
    assert despues.take("conv-1", archivo) is None
    assert _filas(sessions) == []


def test_server_key_is_generated_once_with_private_permissions(tmp_path: Path) -> None:
    primera = cargar_clave_servidor(None, tmp_path)
    ruta = tmp_path / ARCHIVO_CLAVE_SERVIDOR
    assert stat.S_IMODE(ruta.stat().st_mode) == 0o600
    assert cargar_clave_servidor(None, tmp_path) == primera
    Fernet(primera)


def test_configured_server_key_wins(tmp_path: Path) -> None:
    clave = Fernet.generate_key().decode()
    assert cargar_clave_servidor(clave, tmp_path) == clave.encode()
    assert not (tmp_path / ARCHIVO_CLAVE_SERVIDOR).exists()


def test_invalid_server_key_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ClaveServidorInvalida) as error:
        cargar_clave_servidor("no-es-una-clave", tmp_path)
    assert "SERVER_SECRET_KEY" in error.value.mensaje
    assert error.value.detalle is not None
