"""Actions run against real domain services on a private database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from actions.servicios import Servicios, configurar_desde_settings, instalar
from tests.helpers import make_settings


@pytest.fixture
def servicios_demo(tmp_path: Path, nlu_cache_dir: Path) -> Iterator[Servicios]:
    """Demo registry and document issuer in a fresh data folder."""
    yield configurar_desde_settings(make_settings(tmp_path / "datos", nlu_cache_dir))
    instalar(None)
