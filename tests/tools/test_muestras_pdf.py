"""tools/muestras_pdf.py issues, verifies and renders one sample of every document type."""

from __future__ import annotations

from pathlib import Path

from tools.muestras_pdf import MUESTRAS, main


def test_every_document_type_gets_a_png_and_a_readme_line(tmp_path: Path) -> None:
    assert main(["--salida", str(tmp_path), "--dpi", "40"]) == 0
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    for muestra in MUESTRAS:
        png = tmp_path / f"{muestra.nombre}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", muestra.nombre
        assert f"[`{muestra.nombre}.png`]" in readme
    assert "Pendientes" not in readme
