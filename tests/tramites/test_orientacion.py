"""The sourced guidance: every entry has facts, a source and a date; answers hold their key facts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tramites.orientacion import (
    CARPETA,
    Buscador,
    Destino,
    Entrada,
    GuiaInvalida,
    buscador,
    cargar_orientacion,
    raices,
)

RUTAS = (CARPETA / "fuera_de_alcance.yml").read_text(encoding="utf-8")
ENTRADA = """
version: 1
entradas:
  - id: telefono
    preguntas: [cuál es el teléfono]
    respuesta: "Llama al 800 623 2323."
    hechos: ["La línea del IMSS es el 800 623 2323."]
{fuentes}
{verificado}
"""


def _carpeta(tmp_path: Path, fuentes: str, verificado: str = "    verificado: 2026-11-29") -> Path:
    (tmp_path / "conocimiento.yml").write_text(
        ENTRADA.format(fuentes=fuentes, verificado=verificado), encoding="utf-8"
    )
    (tmp_path / "fuera_de_alcance.yml").write_text(RUTAS, encoding="utf-8")
    return tmp_path


def test_the_shipped_files_load_with_a_source_and_a_date_for_every_entry() -> None:
    guia = cargar_orientacion()
    assert len(guia.entradas) >= 30 and len(guia.destinos) >= 8
    items: list[Entrada | Destino] = [*guia.entradas, *guia.destinos]
    for item in items:
        assert item.hechos and item.fuentes, item.id
        assert all(f.url or f.ley for f in item.fuentes), item.id
        assert date(2026, 1, 1) <= item.verificado <= date.today(), item.id


def test_an_entry_without_a_source_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(GuiaInvalida) as error:
        cargar_orientacion(_carpeta(tmp_path, fuentes="    fuentes: []"))
    assert "«telefono»" in error.value.mensaje and "fuente" in error.value.mensaje


def test_a_source_needs_a_url_or_a_law(tmp_path: Path) -> None:
    with pytest.raises(GuiaInvalida):
        cargar_orientacion(_carpeta(tmp_path, fuentes="    fuentes: [{nota: 'me lo dijeron'}]"))


def test_an_entry_without_the_date_it_was_checked_is_refused(tmp_path: Path) -> None:
    fuentes = "    fuentes: [{url: 'https://www.imss.gob.mx/contacto'}]"
    with pytest.raises(GuiaInvalida) as error:
        cargar_orientacion(_carpeta(tmp_path, fuentes=fuentes, verificado=""))
    assert "verificado" in error.value.mensaje
    assert cargar_orientacion(_carpeta(tmp_path, fuentes=fuentes)).entradas[0].id == "telefono"


def _respuesta(pregunta: str, intent: str | None = None) -> str:
    entrada = buscador().entrada(pregunta, intent)
    assert entrada is not None, pregunta
    return entrada.respuesta


@pytest.mark.parametrize(
    ("pregunta", "intent", "hechos"),
    [
        ("¿cuál es el teléfono del IMSS?", "actualizar_datos", ["800 623 2323", "lunes a viernes"]),
        ("cuánto paga la incapacidad", "incapacidades", ["60%", "cuarto día", "4 semanas"]),
        ("me accidenté en el trabajo, ¿cuánto me pagan?", "incapacidades", ["100%", "primer día"]),
        ("¿cuánto paga el imss por maternidad?", "incapacidades", ["100%", "84 días", "30 semanas"]),
        ("¿cómo cobro mi incapacidad?", "incapacidades", ["CLABE", "IMSS Digital"]),
        ("¿cómo saco cita por teléfono?", "cita_medica", ["800 623 2323", "NSS"]),
        ("como saco la opinion de cumplimiento", "patron_tramites", ["32-D", "Buzón IMSS"]),
        ("el poder notarial no se sube", "patron_tramites", ["1 MB"]),
        ("no tengo nss nunca he trabajado", "obtener_nss", ["nunca hayas trabajado", "CURP"]),
        ("me sale error 500 en la página del imss", "crear_cuenta", ["falla del portal", "800 623 2323"]),
        ("mi efirma está vencida", "fuera_de_alcance", ["SAT"]),
        ("cuánto me va a tocar de pensión", "fuera_de_alcance", ["Ley 73", "Afore"]),
        ("¿cuánto dura la vigencia después de la baja?", "vigencia_derechos", ["8 semanas"]),
    ],
)
def test_answers_hold_their_key_facts(pregunta: str, intent: str, hechos: list[str]) -> None:
    respuesta = _respuesta(pregunta, intent)
    for hecho in hechos:
        assert hecho in respuesta, (pregunta, hecho)


@pytest.mark.parametrize(
    ("mensaje", "destino", "hechos"),
    [
        (
            "¿en qué Afore estoy y cómo me cambio?",
            "afore",
            ["Afore", "CONSAR", "e-sar.com.mx", "55 1328 5000"],
        ),
        ("quiero ver mi crédito infonavit", "infonavit", ["Infonavit", "800 008 3900"]),
        ("como saco mi rfc", "sat", ["SAT"]),
        ("soy maestro del gobierno, ¿me toca el imss?", "issste", ["ISSSTE"]),
        ("quiero un crédito fonacot", "fonacot", ["Fonacot"]),
        ("no me llegó el recibo de luz", "cfe", ["CFE", "071"]),
        ("mi papá no respira", "emergencia", ["911"]),
        ("me trataron mal en la clínica y quiero poner una queja", "queja_imss", ["800 623 2323"]),
    ],
)
def test_other_institutions_are_routed_to_where_they_are_handled(
    mensaje: str, destino: str, hechos: list[str]
) -> None:
    encontrado = buscador().destino(mensaje)
    assert encontrado is not None and encontrado.id == destino
    for hecho in hechos:
        assert hecho in encontrado.respuesta, (mensaje, hecho)


def test_one_shared_word_is_a_topic_not_a_question() -> None:
    # "¿dónde la veo?" shares one word with "¿dónde veo mis incapacidades?": no answer, not that one.
    assert buscador().entrada("¿dónde la veo?", "fuera_de_alcance", por_omision=False) is None
    assert buscador().entrada("¿para qué quieren mi CURP?", "ayuda", por_omision=False) is None


def test_without_a_match_the_intent_gets_its_default_answer_once() -> None:
    guia = cargar_orientacion()
    entrada = Buscador(guia).entrada("eso del seguro", "vigencia_derechos")
    assert entrada is not None and entrada.por_omision and "vigencia_derechos" in entrada.intents
    assert Buscador(guia).entrada("eso del seguro", "vigencia_derechos", por_omision=False) is None


def test_stems_fold_accents_plurals_and_filler_words() -> None:
    assert raices("¿Cuántas INCAPACIDADES hay?", frozenset({"hay"})) == ["cuanta", "incapa"]
    assert raices("e.firma") == ["efirma"]
