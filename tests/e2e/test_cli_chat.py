"""`asistente chat --json` driven through a pipe, as the DESIGN.md contract says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT
from tests.helpers import pdf_text


def _chat(lines: list[str], data_dir: Path, cache: Path, *extra: str) -> list[dict[str, Any]]:
    env = {**os.environ, "ASISTENTE_DATA_DIR": str(data_dir), "NLU_CACHE_DIR": str(cache)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json", *extra],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def _persona(data_dir: Path, cache: Path) -> dict[str, Any]:
    env = {**os.environ, "ASISTENTE_DATA_DIR": str(data_dir), "NLU_CACHE_DIR": str(cache)}
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-m", "bot", "demo", "personas", "--json"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
        check=True,
    ).stdout
    personas = json.loads(out)
    assert len(personas) >= 200
    assert {"curp", "nss", "nombre", "email", "cp", "vigente"} <= set(personas[0])
    first: dict[str, Any] = personas[0]
    return first


def test_scripted_nss_conversation(tmp_path: Path, nlu_cache_dir: Path) -> None:
    data = tmp_path / "datos"
    persona = _persona(data, nlu_cache_dir)
    messages = _chat(
        ["hola", "ocupo mi numero de seguro social", persona["curp"][:-1], persona["curp"], persona["email"]],
        data,
        nlu_cache_dir,
    )
    for message in messages:
        assert set(message) == {"text", "buttons", "document"}
    texts = [m["text"] for m in messages]
    assert any("17 caracteres" in t for t in texts)
    assert any(persona["nss"] in t for t in texts)
    document = next(m["document"] for m in messages if m["document"])
    assert document["mime"] == "application/pdf" and document["filename"].endswith(".pdf")
    assert persona["nss"] in pdf_text(document["path"])


def test_restarted_process_resumes_the_form(tmp_path: Path, nlu_cache_dir: Path) -> None:
    data = tmp_path / "datos"
    persona = _persona(data, nlu_cache_dir)
    first = _chat(["quiero mi nss", persona["curp"]], data, nlu_cache_dir, "--conversacion", "tty-1")
    assert "correo" in first[-1]["text"].lower()
    second = _chat([persona["email"]], data, nlu_cache_dir, "--conversacion", "tty-1")
    assert any(persona["nss"] in m["text"] for m in second)


def test_file_line_sends_an_attachment(tmp_path: Path, nlu_cache_dir: Path) -> None:
    sample = tmp_path / "nota.txt"
    sample.write_text("hola", encoding="utf-8")
    messages = _chat([f"/file {sample}"], tmp_path / "datos", nlu_cache_dir)
    assert "archivo" in messages[0]["text"]
