"""Fixtures that build the whole assistant on a private SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from actions.servicios import instalar
from bot.container import Container, build_container
from tests.helpers import Chat, make_settings


@pytest.fixture
def container(tmp_path: Path, nlu_cache_dir: Path) -> Iterator[Container]:
    """The assistant on embedded defaults in a fresh data folder."""
    built = build_container(make_settings(tmp_path / "datos", nlu_cache_dir))
    yield built
    instalar(None)
    built.db.dispose()


@pytest.fixture
def chat(container: Container) -> Chat:
    """A new conversation with the assistant."""
    return Chat(container.engine)
