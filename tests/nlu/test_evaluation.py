"""Evaluation metrics, the confusion-matrix picture and the `asistente nlu` commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from bot.cli.nlu import app
from nlu import EmbeddedInterpreter, load_training_data
from nlu.datos import leer_tsv
from nlu.evaluation import calcular_reporte, dibujar_matriz, evaluar_archivo

from .conftest import ACTOS_EVAL, DATA_DIR, EVALUACION


def test_metrics_by_hand() -> None:
    reporte = calcular_reporte(
        ["a", "b", "c", "d"],
        ["saludo", "saludo", "negar", "negar"],
        ["saludo", "negar", "negar", "negar"],
        [0.9, 0.4, 0.8, 0.7],
    )
    assert reporte.accuracy == 0.75
    assert reporte.etiquetas == ["saludo", "negar"]  # the order labels first appear in
    assert reporte.matriz == [[1, 1], [0, 2]]
    assert reporte.por_intent["saludo"].precision == 1.0 and reporte.por_intent["saludo"].recall == 0.5
    assert reporte.por_intent["negar"].precision == pytest.approx(2 / 3)
    assert reporte.por_intent["negar"].f1 == pytest.approx(0.8)
    assert [(f.text, f.obtenido, f.confianza) for f in reporte.fallos] == [("b", "negar", 0.4)]


def test_confusion_matrix_png(interprete: EmbeddedInterpreter, tmp_path: Path) -> None:
    reporte = evaluar_archivo(interprete, EVALUACION)
    destino = dibujar_matriz(reporte, tmp_path / "sub" / "matriz.png")
    with Image.open(destino) as imagen:
        assert imagen.format == "PNG"
        assert imagen.width > 18 * 30 and imagen.height > 18 * 30


@pytest.fixture()
def entorno(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, interprete: EmbeddedInterpreter) -> Path:
    """Settings for the command: session cache (no retraining), no Rasa server."""
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("ASISTENTE_DATA_DIR", str(tmp_path / "datos"))
    monkeypatch.setenv("NLU_CACHE_DIR", str(interprete.cache_dir))
    monkeypatch.setenv("NLU_DATA_DIR", str(DATA_DIR))
    monkeypatch.delenv("NLU_URL", raising=False)
    return tmp_path


def test_command_parse_prints_json(entorno: Path) -> None:
    resultado = CliRunner().invoke(
        app, ["parse", "mi curp es XIQB891116MGRMZR05 y ocupo mi número de seguro social"]
    )
    assert resultado.exit_code == 0, resultado.output
    datos = json.loads(resultado.stdout)
    assert datos["intent"] == "obtener_nss" and datos["act"] == "solicitud"
    assert 0 < datos["act_confidence"] <= 1
    assert datos["ranking"][0] == {"intent": "obtener_nss", "confidence": datos["confidence"]}
    assert datos["entities"] == [
        {"entity": "curp", "value": "XIQB891116MGRMZR05", "start": 11, "end": 29, "extractor": "regex"}
    ]
    assert "número" in resultado.stdout  # ensure_ascii=False


def test_command_evaluate_json_and_plot(entorno: Path) -> None:
    png = entorno / "matriz.png"
    resultado = CliRunner().invoke(app, ["evaluate", str(EVALUACION), "--json", "--plot", str(png)])
    assert resultado.exit_code == 0, resultado.output
    datos = json.loads(resultado.stdout)
    assert datos["total"] == len(leer_tsv(EVALUACION)) and datos["accuracy"] >= 0.9
    assert set(datos["por_intent"]["saludo"]) == {"precision", "recall", "f1", "support"}
    assert png.read_bytes().startswith(b"\x89PNG")


def test_command_evaluate_yaml_table(entorno: Path) -> None:
    yml = entorno / "casos.yml"
    yml.write_text(
        'version: "3.1"\nnlu:\n- intent: saludo\n  examples: |\n    - hola buenas tardes\n'
        "- intent: negar\n  examples: |\n    - nel, mejor no\n",
        encoding="utf-8",
    )
    resultado = CliRunner().invoke(app, ["evaluate", str(yml)])
    assert resultado.exit_code == 0, resultado.output
    assert "100.0%" in resultado.stdout and "saludo" in resultado.stdout


def test_command_evaluate_missing_file(entorno: Path) -> None:
    resultado = CliRunner().invoke(app, ["evaluate", "no-existe.tsv"])
    assert resultado.exit_code == 1
    assert "No encontré el archivo" in resultado.output


def test_command_cross_validation_takes_k_and_no_file(entorno: Path) -> None:
    png = entorno / "cv.png"
    resultado = CliRunner().invoke(app, ["evaluate", "--cv", "3", "--json", "--plot", str(png)])
    assert resultado.exit_code == 0, resultado.output
    datos = json.loads(resultado.stdout)
    assert "3 pliegues" in datos["fuente"]
    assert datos["accuracy"] >= 0.85 and datos["macro_f1"] >= 0.85
    assert {"precision", "recall"} <= set(datos["por_intent"]["obtener_nss"])
    assert datos["total"] == len(load_training_data(DATA_DIR))
    assert png.read_bytes().startswith(b"\x89PNG")


def test_command_file_and_cross_validation_together(entorno: Path) -> None:
    resultado = CliRunner().invoke(app, ["evaluate", str(EVALUACION), "--cv", "2"])
    assert resultado.exit_code == 0, resultado.output
    assert "Evaluación de chat.tsv" in resultado.stdout
    assert "Validación cruzada, 2 pliegues" in resultado.stdout


def test_command_evaluates_dialogue_acts(entorno: Path) -> None:
    resultado = CliRunner().invoke(app, ["evaluate", str(ACTOS_EVAL), "--actos", "--json"])
    assert resultado.exit_code == 0, resultado.output
    datos = json.loads(resultado.stdout)
    assert set(datos["por_intent"]) == {"pregunta", "solicitud", "no_se", "salir", "dato"}
    assert datos["accuracy"] >= 0.85


def test_command_evaluate_needs_a_file_or_cv(entorno: Path) -> None:
    resultado = CliRunner().invoke(app, ["evaluate"])
    assert resultado.exit_code == 1
    assert "--cv K" in resultado.output
