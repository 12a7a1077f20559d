"""The server key (SERVER_SECRET_KEY) comes from the environment when set: nothing is generated in the data
folder, and held uploads are encrypted with exactly that key."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from actions.servicios import instalar, servicios
from bot.container import Container, build_container
from tests.efirma_factory import directorio_fixtures
from tests.helpers import make_settings
from tramites.efirma.custodia import ARCHIVO_CLAVE_SERVIDOR, ArchivoCustodiadoRow, ClaveServidorInvalida

CLAVE = Fernet.generate_key().decode()


@pytest.fixture
def desde_el_entorno(
    tmp_path: Path, nlu_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Container]:
    """The assistant with SERVER_SECRET_KEY set in the environment, nothing else saying it."""
    monkeypatch.setenv("SERVER_SECRET_KEY", CLAVE)
    built = build_container(make_settings(tmp_path / "datos", nlu_cache_dir))
    yield built
    instalar(None)
    built.db.dispose()


def test_the_key_in_the_environment_is_used_and_none_is_written_to_the_data_folder(
    desde_el_entorno: Container,
) -> None:
    assert desde_el_entorno.settings.server_secret_key == CLAVE
    assert desde_el_entorno.secret_key == CLAVE.encode()
    assert not (desde_el_entorno.settings.keys_dir / ARCHIVO_CLAVE_SERVIDOR).exists()
    vault = servicios().vault
    assert vault is not None
    cer = (directorio_fixtures() / "satcfdi" / "xiqb891116qe4.cer").read_bytes()
    vault.hold("conv-clave", "mi.cer", cer, len(cer))
    with desde_el_entorno.sessions() as s:
        cifrado = s.scalar(select(ArchivoCustodiadoRow.ciphertext))
    assert cifrado is not None and cer not in cifrado
    assert Fernet(CLAVE.encode()).decrypt(cifrado) == cer


def test_without_the_variable_a_key_is_generated_once_in_the_keys_folder(
    tmp_path: Path, nlu_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SERVER_SECRET_KEY", raising=False)
    settings = make_settings(tmp_path / "datos", nlu_cache_dir)
    primera = build_container(settings)
    primera.db.dispose()
    archivo = settings.keys_dir / ARCHIVO_CLAVE_SERVIDOR
    assert archivo.read_bytes().strip() == primera.secret_key
    assert archivo.stat().st_mode & 0o777 == 0o600
    segunda = build_container(settings)
    segunda.db.dispose()
    instalar(None)
    assert segunda.secret_key == primera.secret_key


def test_a_malformed_key_in_the_environment_stops_the_start(
    tmp_path: Path, nlu_cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SERVER_SECRET_KEY", "no-es-una-clave")
    with pytest.raises(ClaveServidorInvalida):
        build_container(make_settings(tmp_path / "datos", nlu_cache_dir))
