"""Registries for the registry tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tramites.registro.apoyo_registro import copia_demo
from tramites.registro import SqlRegistro


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> SqlRegistro:
    """A seeded registry (a private copy, so tests may write)."""
    return copia_demo(tmp_path_factory, tmp_path)


@pytest.fixture
def demo_nuevo(demo: SqlRegistro) -> SqlRegistro:
    """Same as `demo`; the name tells the reader the test writes."""
    return demo
