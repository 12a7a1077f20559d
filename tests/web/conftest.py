"""The web app served by uvicorn on a free loopback port, over a container on a fresh database."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from actions.servicios import instalar
from bot.container import Container, build_container
from bot.web.app import create_app
from tests.helpers import make_settings


@pytest.fixture
def container(tmp_path: Path, nlu_cache_dir: Path) -> Iterator[Container]:
    """The assistant on embedded defaults in a fresh data folder."""
    built = build_container(make_settings(tmp_path / "datos", nlu_cache_dir))
    yield built
    instalar(None)
    built.db.dispose()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def web(container: Container) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
