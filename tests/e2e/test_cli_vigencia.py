"""Vigencia de derechos through `asistente chat --json`, then `asistente verificar` on the PDF it gave."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT
from tests.helpers import pdf_text
from tramites.registro import PREDECIBLES

ANA = PREDECIBLES[2]  # baja in 2021: no vigente


def _env(data_dir: Path, cache: Path) -> dict[str, str]:
    env = {**os.environ, "ASISTENTE_DATA_DIR": str(data_dir), "NLU_CACHE_DIR": str(cache)}
    env.pop("DATABASE_URL", None)
    return env


def _bot(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
    )


def test_constancia_from_the_terminal_chat_verifies_and_a_forgery_does_not(
    tmp_path: Path, nlu_cache_dir: Path
) -> None:
    env = _env(tmp_path / "datos", nlu_cache_dir)
    lines = ["hola", "necesito mi constancia de vigencia", ANA.curp, ANA.nss, str(ANA.email)]
    chat = _bot(["chat", "--json"], env, "\n".join(lines) + "\n")
    assert chat.returncode == 0, chat.stderr
    messages: list[dict[str, Any]] = [json.loads(line) for line in chat.stdout.splitlines() if line.strip()]
    assert any(m["text"].startswith("Ana Sofía, no tienes derechos vigentes") for m in messages)
    document = next(m["document"] for m in messages if m["document"])
    assert document["mime"] == "application/pdf" and document["filename"].endswith(".pdf")
    pdf = Path(document["path"])
    content = pdf_text(pdf)
    assert "Constancia de Vigencia de Derechos" in content and "NO VIGENTE" in content
    assert ANA.curp in content and ANA.nss in content and ANA.nombre in content

    ok = _bot(["verificar", str(pdf), "--json"], env)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    result = json.loads(ok.stdout)
    assert result["valido"] is True and result["tipo"] == "constancia_vigencia"
    assert result["campos"]["Vigencia de derechos"] == "NO VIGENTE"

    data = bytearray(pdf.read_bytes())
    # Change one byte inside the first signed byte range: the body, not the signature value.
    inicio, largo = map(int, re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)", bytes(data)).groups())  # type: ignore[union-attr]
    data[inicio + largo // 2] ^= 0x01
    forged = tmp_path / "constancia-alterada.pdf"
    forged.write_bytes(bytes(data))
    rejected = _bot(["verificar", str(forged), "--json"], env)
    assert rejected.returncode != 0
    assert json.loads(rejected.stdout)["valido"] is False
