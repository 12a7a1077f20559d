"""What a person notices: the right intent for what they type, entities, payloads, speed and accuracy."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from nlu import EmbeddedInterpreter, Entity, RasaHttpInterpreter, build_interpreter
from nlu.embedded import CONFIG_ACTOS
from nlu.evaluation import evaluar_archivo, validacion_cruzada

from .conftest import ACTOS_DIR, ACTOS_EVAL, CHAT, REALES


@pytest.mark.parametrize(
    ("texto", "intent"),
    [
        ("oye ocupo mi numero de seguro social", "obtener_nss"),
        ("q onda", "saludo"),
        ("quiero hablar con una persona", "hablar_con_agente"),
        ("Buenas tardes, necesito la constancia de vigencia de derechos", "vigencia_derechos"),
        ("me cambie de casa y kiero otra clinica", "cambio_clinica"),
        ("cuantas semanas llevo cotizadas?", "semanas_cotizadas"),
        ("quiero dar de alta a mi esposa en mi seguro", "registrar_beneficiarios"),
        ("no me han pagado la incapacidad", "incapacidades"),
        ("ocupo una cita con el doctor", "cita_medica"),
        ("quiero crear mi cuenta del escritorio virtual con mi e.firma", "crear_cuenta"),
        ("quiero cambiar mi correo", "actualizar_datos"),
        ("como doy de alta a mis trabajadores en el idse", "patron_tramites"),
        ("cuanto debo de luz en la cfe", "fuera_de_alcance"),
        ("bueno, ahi nos vemos luego", "despedida"),
        ("muchas grasias", "agradecer"),
        ("si, correcto", "afirmar"),
        ("nel", "negar"),
        ("que puedes hacer?", "ayuda"),
    ],
)
def test_intent_of_typical_messages(interprete: EmbeddedInterpreter, texto: str, intent: str) -> None:
    assert interprete.parse(texto).intent == intent


@pytest.mark.parametrize(
    ("texto", "intent"),
    [
        # Someone who never worked needs an NSS: this is not a "no".
        ("no tengo nss nunca he trabajado", "obtener_nss"),
        ("trabajé 10 años en una fábrica y ahora me piden mis semanas, ¿cómo saco mi constancia?",
         "semanas_cotizadas"),
        # Duplicate NSS and wrong personal data are corrections of data, not a new NSS.
        ("tengo dos NSS", "actualizar_datos"),
        ("mi nombre sale mal", "actualizar_datos"),
        ("corregir mi CURP en el IMSS", "actualizar_datos"),
        ("¿en qué Afore estoy y cómo me cambio?", "fuera_de_alcance"),
        ("la doctora de la clínica me trató pésimo, quiero quejarme", "fuera_de_alcance"),
        ("nel pastel", "negar"),
        ("simón", "afirmar"),
    ],
)  # fmt: skip
def test_boundaries_people_hit(interprete: EmbeddedInterpreter, texto: str, intent: str) -> None:
    assert interprete.parse(texto).intent == intent


@pytest.mark.parametrize(
    ("texto", "acto"),
    [
        ("¿cómo saco mi NSS?", "pregunta"),
        ("¿cuál es el teléfono del IMSS?", "pregunta"),
        ("¿para qué quieren mi CURP?", "pregunta"),
        ("¿dónde la veo?", "pregunta"),
        ("¿cuántas semanas necesito?", "pregunta"),
        ("quiero mi NSS", "solicitud"),
        ("sácame la constancia", "solicitud"),
        ("ocupo cambiarme de clínica", "solicitud"),
        ("ahora la de mi esposa", "solicitud"),
        ("no sé cuál es", "no_se"),
        ("no la tengo a la mano", "no_se"),
        ("ni idea", "no_se"),
        ("no me acuerdo", "no_se"),
        ("ya no quiero", "salir"),
        ("déjalo", "salir"),
        ("salir", "salir"),
        ("no, gracias", "salir"),
        ("mejor luego", "salir"),
        ("no, solo preguntaba", "salir"),
        ("XIQB891116MGRMZR05", "dato"),
        ("av juárez 45", "dato"),
        ("el mismo", "dato"),
        ("la segunda", "dato"),
        ("sí", "dato"),
    ],
)
def test_dialogue_act_of_typical_messages(interprete: EmbeddedInterpreter, texto: str, acto: str) -> None:
    parse = interprete.parse(texto)
    assert (parse.act, parse.act_confidence > 0.3) == (acto, True)
    assert parse.to_rasa()["act"] == {"name": acto, "confidence": parse.act_confidence}


def test_a_button_payload_has_the_default_act() -> None:
    parse = EmbeddedInterpreter(Path("/no/existe"), Path("/no/existe")).parse("/afirmar")
    assert (parse.act, parse.act_confidence) == ("solicitud", 0.0)


def test_entities_come_with_the_parse(interprete: EmbeddedInterpreter) -> None:
    parse = interprete.parse("mi curp es XIQB891116MGRMZR05 y mi correo ana@example.com")
    assert parse.entities == [
        Entity("curp", "XIQB891116MGRMZR05", 11, 29),
        Entity("email", "ana@example.com", 42, 57),
    ]


def test_invalid_curp_in_a_message_gives_no_entity(interprete: EmbeddedInterpreter) -> None:
    parse = interprete.parse("mi curp es XIQB891116MGRMZR06 y quiero mi nss")
    assert parse.intent == "obtener_nss"
    assert parse.entities == []


def test_payload_intent(interprete: EmbeddedInterpreter) -> None:
    parse = interprete.parse("/saludo")
    assert (parse.intent, parse.confidence, parse.ranking, parse.entities) == (
        "saludo",
        1.0,
        [("saludo", 1.0)],
        [],
    )


def test_payload_with_entities() -> None:
    # Payloads never need the model: a fresh interpreter with no training data answers them.
    interprete = EmbeddedInterpreter(Path("/no/existe"), Path("/no/existe/cache"))
    texto = '/obtener_nss{"curp": "XIQB891116MGRMZR05", "turno": ["matutino", "vespertino"]}'
    parse = interprete.parse(texto)
    assert parse.intent == "obtener_nss" and parse.confidence == 1.0
    assert [(e.entity, e.value, e.extractor) for e in parse.entities] == [
        ("curp", "XIQB891116MGRMZR05", "payload"),
        ("turno", "matutino", "payload"),
        ("turno", "vespertino", "payload"),
    ]
    assert parse.to_rasa()["intent"] == {"name": "obtener_nss", "confidence": 1.0}


def test_payload_with_bad_json_keeps_the_intent() -> None:
    parse = EmbeddedInterpreter(Path("/no/existe"), Path("/no/existe")).parse("/afirmar{curp: x}")
    assert (parse.intent, parse.entities) == ("afirmar", [])


def test_a_slash_in_the_middle_is_not_a_payload(interprete: EmbeddedInterpreter) -> None:
    assert interprete.parse("naci el 16/11/1989").intent != "16"


def test_empty_message(interprete: EmbeddedInterpreter) -> None:
    parse = interprete.parse("   ")
    assert (parse.intent, parse.confidence, parse.ranking) == ("fuera_de_alcance", 0.0, [])


def test_to_rasa_shape(interprete: EmbeddedInterpreter) -> None:
    datos = interprete.parse("mi nss es 72795608040").to_rasa()
    assert set(datos) == {"text", "intent", "entities", "intent_ranking", "act"}
    assert datos["intent"]["name"] == datos["intent_ranking"][0]["name"]
    assert datos["entities"] == [
        {"entity": "nss", "value": "72795608040", "start": 10, "end": 21, "extractor": "regex"}
    ]


def test_parse_is_about_a_millisecond(interprete: EmbeddedInterpreter) -> None:
    interprete.parse("hola")
    mensajes = ["oye ocupo mi numero de seguro social, mi curp es XIQB891116MGRMZR05 plis"] * 200
    inicio = time.perf_counter()
    for m in mensajes:
        interprete.parse(m)
    promedio_ms = (time.perf_counter() - inicio) / len(mensajes) * 1000
    print(f"\nlatencia promedio de parse: {promedio_ms:.3f} ms")
    assert promedio_ms < 5


def test_cross_validated_accuracy(data_dir: Path, record_property: Callable[[str, object], None]) -> None:
    reporte = validacion_cruzada(data_dir, folds=3)
    print(
        f"\nvalidación cruzada (3 pliegues): exactitud {reporte.accuracy:.3f}, "
        f"F1 macro {reporte.macro_f1:.3f}"
    )
    record_property("nlu_cv_accuracy", round(reporte.accuracy, 4))
    assert reporte.accuracy >= 0.88 and reporte.macro_f1 >= 0.88
    assert all(m.recall >= 0.6 for m in reporte.por_intent.values()), reporte.por_intent


def test_cross_validated_act_accuracy() -> None:
    reporte = validacion_cruzada(ACTOS_DIR, folds=3, config=CONFIG_ACTOS)
    assert reporte.accuracy >= 0.80, reporte.por_intent
    assert all(m.recall >= 0.7 for m in reporte.por_intent.values()), reporte.por_intent


@pytest.mark.parametrize(
    ("archivo", "minimo"),
    [(REALES, 0.88), (CHAT, 0.95)],
    ids=["reales", "chat"],
)
def test_held_out_accuracy(
    interprete: EmbeddedInterpreter,
    archivo: Path,
    minimo: float,
    record_property: Callable[[str, object], None],
) -> None:
    reporte = evaluar_archivo(interprete, archivo)
    fuera = reporte.por_intent["fuera_de_alcance"].recall
    print(
        f"\n{archivo.name}: exactitud {reporte.accuracy:.3f} ({reporte.aciertos}/{reporte.total}), "
        f"recall de fuera_de_alcance {fuera:.2f}"
    )
    record_property(f"nlu_{archivo.stem}_accuracy", round(reporte.accuracy, 4))
    assert reporte.accuracy >= minimo, reporte.fallos
    assert fuera >= 0.75, reporte.fallos


def test_held_out_act_accuracy(interprete: EmbeddedInterpreter) -> None:
    reporte = evaluar_archivo(interprete, ACTOS_EVAL, campo="act")
    print(f"\nactos fuera de muestra: exactitud {reporte.accuracy:.3f} ({reporte.aciertos}/{reporte.total})")
    assert reporte.accuracy >= 0.85, reporte.fallos


def test_factory_picks_the_implementation(tmp_path: Path) -> None:
    assert isinstance(build_interpreter(None, tmp_path, tmp_path / "c"), EmbeddedInterpreter)
    assert isinstance(build_interpreter("", tmp_path, tmp_path / "c"), EmbeddedInterpreter)
    remoto = build_interpreter("http://127.0.0.1:5005/", tmp_path, tmp_path / "c")
    assert isinstance(remoto, RasaHttpInterpreter) and remoto.url == "http://127.0.0.1:5005"
