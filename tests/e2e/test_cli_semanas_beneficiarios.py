"""Semanas cotizadas and registering a child, one after the other, through `asistente chat --json`."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tests.e2e.test_cli_chat_umf import _run
from tests.helpers import pdf_text
from tramites.registro.demo import construir_curp


def test_semanas_then_beneficiario_in_the_terminal_chat(tmp_path: Path, nlu_cache_dir: Path) -> None:
    data = tmp_path / "datos"
    persona: dict[str, Any] = json.loads(_run(["demo", "personas", "--json"], data, nlu_cache_dir).stdout)[0]
    born = date.today() - timedelta(days=5 * 365)
    child = construir_curp("Mateo", "Castillo", "Hernandez", born, "H", "DF")
    lines = [
        "cuantas semanas cotizadas tengo",
        persona["curp"],
        persona["nss"],
        persona["email"],
        "quiero registrar a mi hijo como beneficiario",
        "sí",  # the second trámite asks whose it is before reusing the CURP
        "Hija(o)",
        child,
        "Mateo Castillo Hernández",
    ]
    out = _run(["chat", "--json"], data, nlu_cache_dir, "\n".join(lines) + "\n").stdout
    messages = [json.loads(line) for line in out.splitlines() if line.strip()]
    documents = [m["document"] for m in messages if m["document"]]
    assert len(documents) == 2, [m["text"] for m in messages]
    assert any("semanas cotizadas" in m["text"] for m in messages)
    assert any(m["text"].startswith("¿Es para ti, ") for m in messages)
    report = pdf_text(documents[0]["path"])
    assert "Semanas cotizadas" in report and persona["nss"] in report
    comprobante = pdf_text(documents[1]["path"])
    assert child in comprobante and persona["curp"] in comprobante
    for document in documents:
        verified = _run(["verificar", "--json", document["path"]], data, nlu_cache_dir)
        assert json.loads(verified.stdout)["folio"]
