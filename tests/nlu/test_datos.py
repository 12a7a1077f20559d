"""Training data: format, coverage of the 18 intents, valid entity annotations."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nlu import extract_entities, load_training_data
from nlu.datos import leer_archivo_evaluacion, leer_ejemplos, leer_tsv, quitar_anotaciones
from nlu.normalizacion import normalizar
from nlu.tipos import ACTOS, DatosNluInvalidos

from .conftest import ACTOS_DIR, ACTOS_EVAL, CHAT, REALES, TRAMITES, intents_del_dominio


def _distintos(data_dir: Path) -> Counter[str]:
    """Distinct examples per label, after normalization (a typo-free copy is not a new example)."""
    return Counter(intent for _, intent in {(normalizar(t), i) for t, i in load_training_data(data_dir)})


def test_training_data_covers_exactly_the_domain_intents(data_dir: Path) -> None:
    assert set(_distintos(data_dir)) == intents_del_dominio()


def test_every_tramite_has_100_examples_and_the_rest_40(data_dir: Path) -> None:
    por_intent = _distintos(data_dir)
    minimo = {i: 100 if i in TRAMITES else 40 for i in por_intent}
    minimo["fuera_de_alcance"] = 200
    pocos = {i: n for i, n in por_intent.items() if n < minimo[i]}
    assert not pocos, f"intents con pocos ejemplos: {pocos}"


def test_no_sentence_is_trained_under_two_intents(data_dir: Path) -> None:
    vistos: dict[str, set[str]] = {}
    for texto, intent in load_training_data(data_dir):
        vistos.setdefault(normalizar(texto), set()).add(intent)
    assert not {t: i for t, i in vistos.items() if len(i) > 1}


def test_act_data_has_the_five_acts_with_60_examples_each() -> None:
    por_acto = _distintos(ACTOS_DIR)
    assert set(por_acto) == set(ACTOS)
    assert min(por_acto.values()) >= 60, por_acto


def test_every_yml_in_the_data_folder_is_read(data_dir: Path, tmp_path: Path) -> None:
    # The agent console writes reviewed messages to nlu/data/revisados.yml: no code change must be needed.
    for ruta in data_dir.glob("*.yml"):
        (tmp_path / ruta.name).write_text(ruta.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "revisados.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: obtener_nss\n  examples: |\n    - me urge el numerito del seguro\n',
        encoding="utf-8",
    )
    assert ("me urge el numerito del seguro", "obtener_nss") in load_training_data(tmp_path)


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


@pytest.mark.parametrize("archivo", [REALES, CHAT], ids=["reales", "chat"])
def test_held_out_intent_files_are_not_trained_and_cover_every_intent(data_dir: Path, archivo: Path) -> None:
    entrenamiento = {normalizar(t) for t, _ in load_training_data(data_dir)}
    evaluacion = leer_tsv(archivo)
    por_intent = Counter(e.intent for e in evaluacion)
    assert set(por_intent) == intents_del_dominio()
    assert min(por_intent.values()) >= 5 and por_intent["fuera_de_alcance"] >= 15
    assert not [e.text for e in evaluacion if normalizar(e.text) in entrenamiento]


def test_held_out_act_file_is_not_trained() -> None:
    entrenamiento = {normalizar(t) for t, _ in load_training_data(ACTOS_DIR)}
    evaluacion = leer_tsv(ACTOS_EVAL)
    assert {e.intent for e in evaluacion} == set(ACTOS)
    assert not [e.text for e in evaluacion if normalizar(e.text) in entrenamiento]


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
