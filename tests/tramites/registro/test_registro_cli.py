"""`asistente demo personas` and the registry factory the chat engine uses."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.demo import app
from bot.registro_factory import construir_registro
from bot.settings import Settings
from tramites.registro import PREDECIBLES, fecha_referencia


@pytest.fixture
def entorno(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private data folder through the environment, as an operator would configure it."""
    monkeypatch.chdir(tmp_path)  # no developer .env
    monkeypatch.setenv("ASISTENTE_DATA_DIR", str(tmp_path / "datos"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "220")
    return tmp_path / "datos"


def test_personas_json(entorno: Path) -> None:
    resultado = CliRunner().invoke(app, ["personas", "--json", "--limit", "3"])
    assert resultado.exit_code == 0, resultado.output
    personas = json.loads(resultado.stdout)
    assert [p["curp"] for p in personas] == [p.curp for p in PREDECIBLES[:3]]
    for p in personas:
        assert {"curp", "nss", "nombre", "email", "cp", "vigente"} <= p.keys()
        assert isinstance(p["vigente"], bool)
    assert "María Guadalupe Hernández López" in resultado.stdout  # accents are not escaped
    assert (entorno / "asistente.db").exists()


def test_personas_json_completo(entorno: Path) -> None:
    resultado = CliRunner().invoke(app, ["personas", "--json"])
    assert resultado.exit_code == 0, resultado.output
    personas = json.loads(resultado.stdout)
    assert len(personas) >= 200
    assert {p["vigente"] for p in personas} == {True, False}


def test_personas_tabla(entorno: Path) -> None:
    resultado = CliRunner().invoke(app, ["personas", "--limit", "4"])
    assert resultado.exit_code == 0, resultado.output
    assert "María Guadalupe Hernández López" in resultado.stdout
    assert PREDECIBLES[3].curp in resultado.stdout
    assert PREDECIBLES[4].curp not in resultado.stdout


def test_limite_invalido(entorno: Path) -> None:
    resultado = CliRunner().invoke(app, ["personas", "--limit", "0"])
    assert resultado.exit_code != 0


def test_construir_registro_siembra_una_sola_vez(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, asistente_data_dir=tmp_path / "datos")  # type: ignore[call-arg]
    primero = construir_registro(settings, hoy=date(2026, 3, 2))
    personas = primero.listar_personas()
    assert len(personas) >= 200
    segundo = construir_registro(settings, hoy=date(2027, 1, 1))
    assert segundo.listar_personas() == personas
    assert segundo.historial_laboral(PREDECIBLES[1].nss) == primero.historial_laboral(PREDECIBLES[1].nss)
    assert fecha_referencia(segundo.session_factory) == date(2026, 3, 2)
