"""`asistente verificar FILE.pdf` (the command function on its own Typer app)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli.verificar import app
from bot.documentos_factory import construir_emisor
from bot.settings import Settings
from tramites.documentos import Documento, DocumentoEmitido


@pytest.fixture
def ajustes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing at a temporary data folder (embedded SQLite, dev keys)."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's checkout
    monkeypatch.setenv("ASISTENTE_DATA_DIR", str(tmp_path / "datos"))
    for variable in ("DATABASE_URL", "SELLO_KEY_PATH", "SELLO_CERT_PATH", "PUBLIC_URL"):
        monkeypatch.delenv(variable, raising=False)
    return Settings()


@pytest.fixture
def emitido_cli(ajustes: Settings, documento: Documento) -> DocumentoEmitido:
    """A document issued through the same wiring the CLI uses."""
    emisor, _, _ = construir_emisor(ajustes)
    return emisor.emitir(documento, "constancia.pdf")


def test_documento_valido_sale_con_cero(emitido_cli: DocumentoEmitido, ajustes: Settings) -> None:
    resultado = CliRunner().invoke(app, [str(emitido_cli.path)])
    assert resultado.exit_code == 0, resultado.output
    assert "Documento válido" in resultado.output
    assert emitido_cli.folio in resultado.output
    assert "José Ñúñez Güemes" in resultado.output
    assert (ajustes.keys_dir / "sello_key.pem").exists()


def test_json(emitido_cli: DocumentoEmitido) -> None:
    resultado = CliRunner().invoke(app, [str(emitido_cli.path), "--json"])
    assert resultado.exit_code == 0, resultado.output
    datos = json.loads(resultado.stdout)
    assert datos["valido"] is True
    assert datos["folio"] == emitido_cli.folio
    assert datos["campos"]["Nombre"] == "José Ñúñez Güemes"
    assert "José" in resultado.stdout  # ensure_ascii=False


def test_documento_alterado_sale_con_uno(emitido_cli: DocumentoEmitido, tmp_path: Path) -> None:
    alterado = tmp_path / "alterado.pdf"
    alterado.write_bytes(emitido_cli.path.read_bytes().replace(b"72795608040", b"72795608041"))
    resultado = CliRunner().invoke(app, [str(alterado)])
    assert resultado.exit_code == 1
    assert "El archivo fue modificado después de firmarse" in resultado.output
    resultado = CliRunner().invoke(app, [str(alterado), "--json"])
    assert resultado.exit_code == 1
    assert json.loads(resultado.stdout) == {
        "valido": False, "motivo": "modificado",
        "mensaje": "El archivo fue modificado después de firmarse; no es válido. Descárgalo de nuevo.",
    }


def test_no_pdf_y_archivo_inexistente(ajustes: Settings, tmp_path: Path) -> None:
    texto = tmp_path / "nota.txt"
    texto.write_text("hola")
    resultado = CliRunner().invoke(app, [str(texto)])
    assert resultado.exit_code == 1 and "El archivo no es un PDF" in resultado.output
    resultado = CliRunner().invoke(app, [str(tmp_path / "no_existe.pdf")])
    assert resultado.exit_code == 1 and "No pude abrir el archivo" in resultado.output


def test_folio_de_otra_instalacion(emitido_cli: DocumentoEmitido, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Another data folder: other dev key, other registry.
    monkeypatch.setenv("ASISTENTE_DATA_DIR", str(tmp_path / "otra"))
    resultado = CliRunner().invoke(app, [str(emitido_cli.path)])
    assert resultado.exit_code == 1
    assert "La firma no es del IMSS Digital" in resultado.output


def test_claves_mal_configuradas(ajustes: Settings, emitido_cli: DocumentoEmitido, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELLO_KEY_PATH", str(tmp_path / "no_existe.key"))
    resultado = CliRunner().invoke(app, [str(emitido_cli.path), "--json"])
    assert resultado.exit_code == 1
    datos = json.loads(resultado.stdout)
    assert datos["motivo"] == "configuracion" and "SELLO_CERT_PATH" in datos["mensaje"]
