"""Fixtures for channel adapters: a Bot API stand-in on 127.0.0.1 and the assistant wired to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from actions.servicios import instalar
from bot.container import Container, build_container
from bot.web.app import create_app
from tests.channels.botapi import BotApi, serve_in_thread
from tests.efirma_factory import CaPrueba, crear_ca
from tests.helpers import make_settings


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CaPrueba:
    """The test CA; its folder is EFIRMA_CA_DIR."""
    return crear_ca(tmp_path_factory.mktemp("ca-confianza"))


@pytest.fixture
def botapi() -> Iterator[BotApi]:
    """The Bot API stand-in, served and recording."""
    api = BotApi()
    with serve_in_thread(api.app) as url:
        api.url = url
        yield api


def build_assistant(
    tmp_path: Path, nlu_cache_dir: Path, ca: CaPrueba, botapi: BotApi, **overrides: Any
) -> Container:
    """The assistant on embedded defaults, trusting the test CA, with Telegram pointed at the stand-in."""
    assert ca.ruta is not None
    settings = make_settings(
        tmp_path / "datos",
        nlu_cache_dir,
        efirma_ca_dir=ca.ruta.parent,
        telegram_token=botapi.token,
        telegram_api_url=botapi.url,
        **overrides,
    )
    return build_container(settings)


@contextmanager
def disposed(built: Container) -> Iterator[Container]:
    """Use a container, then drop the action services it configured and its database connections."""
    try:
        yield built
    finally:
        instalar(None)
        built.db.dispose()


@pytest.fixture
def container(tmp_path: Path, nlu_cache_dir: Path, ca: CaPrueba, botapi: BotApi) -> Iterator[Container]:
    """The assistant with Telegram in polling mode (the default)."""
    with disposed(build_assistant(tmp_path, nlu_cache_dir, ca, botapi)) as built:
        yield built


@pytest.fixture
def telegram(container: Container, botapi: BotApi) -> Iterator[BotApi]:
    """The web app as `asistente serve` runs it: its lifespan polls the stand-in for Telegram updates."""
    with serve_in_thread(create_app(container)):
        botapi.wait_for(lambda: "getUpdates" in [c.method for c in botapi.snapshot()], what="polling")
        yield botapi
