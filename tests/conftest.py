"""Fixtures shared by the whole suite."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
@pytest.fixture(scope="session")
def nlu_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One NLU training for the whole session."""
    return tmp_path_factory.mktemp("nlu-cache")


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests may only reach loopback addresses."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else address
        is_inet = self.family in (socket.AF_INET, socket.AF_INET6)
        loopback = isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1"))
        if is_inet and not loopback:
            raise RuntimeError(f"Test tried to reach the network: {address!r}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield


@pytest.fixture(scope="session")
def capturas(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where browser tests save screenshots: docs/capturas with ASISTENTE_CAPTURAS=1, else a temp folder.

    The committed screenshots change only when someone asks for new ones, not at every test run.
    """
    import os

    if os.environ.get("ASISTENTE_CAPTURAS") == "1":
        folder = REPO_ROOT / "docs" / "capturas"
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    return tmp_path_factory.mktemp("capturas")
