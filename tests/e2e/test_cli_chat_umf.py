"""A cambio de clínica through `asistente chat --json` in a pipe, then `asistente verificar` on its PDF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT
from tests.helpers import pdf_text


def _run(args: list[str], data_dir: Path, cache: Path, entrada: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASISTENTE_DATA_DIR": str(data_dir), "NLU_CACHE_DIR": str(cache)}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=entrada,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
        check=True,
    )


def test_cambio_de_clinica_in_the_terminal_chat(tmp_path: Path, nlu_cache_dir: Path) -> None:
    data = tmp_path / "datos"
    personas = json.loads(_run(["demo", "personas", "--json"], data, nlu_cache_dir).stdout)
    persona: dict[str, Any] = personas[0]
    lineas = [
        "hola, me quiero cambiar de clinica",
        persona["curp"],
        persona["email"],
        "Calle Roble 12, colonia Huipulco",
        "14100",
        "UMF 45",
        "vespertino",
        "/afirmar",
    ]
    salida = _run(["chat", "--json"], data, nlu_cache_dir, "\n".join(lineas) + "\n").stdout
    mensajes = [json.loads(linea) for linea in salida.splitlines() if linea.strip()]
    for mensaje in mensajes:
        assert set(mensaje) == {"text", "buttons", "document"}
    clinicas = next(m for m in mensajes if any(b["payload"] == "UMF 45" for b in m["buttons"]))
    assert "14100" in clinicas["text"]
    turnos = next(m for m in mensajes if any(b["payload"] == "vespertino" for b in m["buttons"]))
    assert "UMF 45" in turnos["text"]
    documento = next(m["document"] for m in mensajes if m["document"])
    assert documento["mime"] == "application/pdf" and documento["filename"].endswith(".pdf")
    contenido = pdf_text(documento["path"])
    assert "UMF 45 Villa Coapa" in contenido and "Vespertino (14:00 a 20:00)" in contenido
    assert persona["curp"] in contenido

    verificado = _run(["verificar", "--json", documento["path"]], data, nlu_cache_dir)
    assert json.loads(verificado.stdout)["tipo"] == "comprobante_umf"
