"""Training data: format, coverage of the 18 intents, valid entity annotations."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nlu import INTENTS, extract_entities, load_training_data
from nlu.datos import leer_archivo_evaluacion, leer_ejemplos, leer_tsv, quitar_anotaciones
from nlu.normalizacion import normalizar
from nlu.tipos import DatosNluInvalidos

from .conftest import EVALUACION


def test_every_intent_has_at_least_40_distinct_examples(data_dir: Path) -> None:
    pares = load_training_data(data_dir)
    por_intent = Counter(intent for _, intent in set(pares))
    assert set(por_intent) == set(INTENTS)
    pocos = {i: n for i, n in por_intent.items() if n < 40}
    assert not pocos, f"intents con menos de 40 ejemplos: {pocos}"


def test_training_texts_have_no_annotation_syntax(data_dir: Path) -> None:
    textos = [t for t, _ in load_training_data(data_dir)]
    assert "mi curp es XIQB891116MGRMZR05 y ocupo mi nss" in textos
    assert not [t for t in textos if "](" in t or "]{" in t]


def test_annotated_entities_are_valid_and_found_by_the_extractors(data_dir: Path) -> None:
    anotadas = [(e, a) for e in leer_ejemplos(data_dir) for a in e.entities]
    assert len(anotadas) >= 20
    for ejemplo, anotada in anotadas:
        encontradas = {(x.entity, x.start, x.end) for x in extract_entities(ejemplo.text)}
        assert (anotada.entity, anotada.start, anotada.end) in encontradas, ejemplo.text


def test_evaluation_file_is_held_out_and_covers_every_intent(data_dir: Path) -> None:
    entrenamiento = {normalizar(t) for t, _ in load_training_data(data_dir)}
    evaluacion = leer_tsv(EVALUACION)
    assert Counter(e.intent for e in evaluacion) == {i: 10 for i in INTENTS}
    copias = [e.text for e in evaluacion if normalizar(e.text) in entrenamiento]
    assert not copias


def test_annotation_styles_are_stripped_with_offsets() -> None:
    texto, entidades = quitar_anotaciones(
        'curp [XIQB891116MGRMZR05](curp), cp [06600]{"entity": "cp"} y [hoy](fecha:2025-01-02)'
    )
    assert texto == "curp XIQB891116MGRMZR05, cp 06600 y hoy"
    assert [(e.entity, e.value, texto[e.start : e.end]) for e in entidades] == [
        ("curp", "XIQB891116MGRMZR05", "XIQB891116MGRMZR05"),
        ("cp", "06600", "06600"),
        ("fecha", "2025-01-02", "hoy"),
    ]


def test_evaluation_reader_accepts_tsv_and_rasa_yaml(tmp_path: Path) -> None:
    tsv = tmp_path / "casos.tsv"
    tsv.write_text(
        "text\tintent\n# comentario\nhola amigo\tsaludo\n\nmi nss\tobtener_nss\n", encoding="utf-8"
    )
    yml = tmp_path / "casos.yml"
    yml.write_text(
        'version: "3.1"\nnlu:\n- intent: saludo\n  examples: |\n    - hola amigo\n'
        "- regex: cp\n  examples: |\n    - \\d{5}\n",
        encoding="utf-8",
    )
    assert [(e.text, e.intent) for e in leer_archivo_evaluacion(tsv)] == [
        ("hola amigo", "saludo"),
        ("mi nss", "obtener_nss"),
    ]
    assert [(e.text, e.intent) for e in leer_archivo_evaluacion(yml)] == [("hola amigo", "saludo")]


def test_bad_files_raise_spanish_errors(tmp_path: Path) -> None:
    malo = tmp_path / "malo.tsv"
    malo.write_text("hola sin tabulador\n", encoding="utf-8")
    with pytest.raises(DatosNluInvalidos, match="tabulador"):
        leer_archivo_evaluacion(malo)
    with pytest.raises(DatosNluInvalidos, match="No encontré"):
        leer_archivo_evaluacion(tmp_path / "no-existe.tsv")
    with pytest.raises(DatosNluInvalidos, match="No existe"):
        load_training_data(tmp_path / "sin-datos")
