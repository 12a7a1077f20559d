"""RasaHttpInterpreter against a local stand-in for Rasa's `POST /model/parse`."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from nlu import Entity, NluNoDisponible, RasaHttpInterpreter


class _RasaFalso:
    """Answers /model/parse with a canned Rasa parse and records the requests."""

    def __init__(self) -> None:
        self.respuesta: dict[str, Any] = {}
        self.estado = 200
        self.peticiones: list[tuple[str, dict[str, Any]]] = []
        falso = self

        class Manejador(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                largo = int(self.headers.get("Content-Length", "0"))
                falso.peticiones.append((self.path, json.loads(self.rfile.read(largo) or b"{}")))
                cuerpo = json.dumps(falso.respuesta).encode()
                self.send_response(falso.estado)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(cuerpo)))
                self.end_headers()
                self.wfile.write(cuerpo)

            def log_message(self, *args: object) -> None:
                pass

        self.servidor = ThreadingHTTPServer(("127.0.0.1", 0), Manejador)
        self.url = f"http://127.0.0.1:{self.servidor.server_address[1]}"


@pytest.fixture()
def rasa() -> Iterator[_RasaFalso]:
    falso = _RasaFalso()
    hilo = threading.Thread(target=falso.servidor.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    hilo.start()
    yield falso
    falso.servidor.shutdown()
    falso.servidor.server_close()


def test_maps_rasa_parse_and_validates_entities(rasa: _RasaFalso) -> None:
    texto = "mi curp es XIQB891116MGRMZR05, otra XIQB891116MGRMZR06 y correo ana@example.com"
    rasa.respuesta = {
        "text": texto,
        "intent": {"name": "obtener_nss", "confidence": 0.91},
        "entities": [
            {
                "entity": "curp",
                "value": "xiqb891116mgrmzr05",
                "start": 11,
                "end": 29,
                "extractor": "DIETClassifier",
            },
            {
                "entity": "curp",
                "value": "XIQB891116MGRMZR06",
                "start": 36,
                "end": 54,
                "extractor": "DIETClassifier",
            },
        ],
        "intent_ranking": [
            {"name": "obtener_nss", "confidence": 0.91},
            {"name": "vigencia_derechos", "confidence": 0.06},
        ],
    }
    interprete = RasaHttpInterpreter(rasa.url + "/")
    parse = interprete.parse(texto)
    assert rasa.peticiones == [("/model/parse", {"text": texto})]
    assert (parse.intent, parse.confidence) == ("obtener_nss", 0.91)
    assert parse.ranking == [("obtener_nss", 0.91), ("vigencia_derechos", 0.06)]
    # Rasa's invalid CURP is dropped; our own email extractor fills what Rasa missed.
    assert parse.entities == [
        Entity("curp", "XIQB891116MGRMZR05", 11, 29, "DIETClassifier"),
        Entity("email", "ana@example.com", 64, 79, "regex"),
    ]
    interprete.close()


def test_nlu_fallback_gives_way_to_the_best_real_intent(rasa: _RasaFalso) -> None:
    rasa.respuesta = {
        "text": "mmm",
        "intent": {"name": "nlu_fallback", "confidence": 0.7},
        "entities": [],
        "intent_ranking": [
            {"name": "nlu_fallback", "confidence": 0.7},
            {"name": "ayuda", "confidence": 0.3},
            {"name": "saludo", "confidence": 0.2},
        ],
    }
    parse = RasaHttpInterpreter(rasa.url).parse("mmm")
    assert (parse.intent, parse.confidence) == ("ayuda", 0.3)
    assert [n for n, _ in parse.ranking] == ["ayuda", "saludo"]
    # A plain Rasa server knows no dialogue acts: the parse keeps the default, with no confidence.
    assert (parse.act, parse.act_confidence) == ("solicitud", 0.0)
    assert parse.to_rasa()["act"] == {"name": "solicitud", "confidence": 0.0}


def test_an_act_sent_by_the_server_is_kept(rasa: _RasaFalso) -> None:
    rasa.respuesta = {
        "text": "no se",
        "intent": {"name": "negar", "confidence": 0.8},
        "intent_ranking": [{"name": "negar", "confidence": 0.8}],
        "act": {"name": "no_se", "confidence": 0.9},
    }
    parse = RasaHttpInterpreter(rasa.url).parse("no se")
    assert (parse.intent, parse.act, parse.act_confidence) == ("negar", "no_se", 0.9)


def test_payloads_do_not_hit_the_server(rasa: _RasaFalso) -> None:
    parse = RasaHttpInterpreter(rasa.url).parse('/afirmar{"turno": "matutino"}')
    assert parse.intent == "afirmar" and parse.entities[0].value == "matutino"
    assert rasa.peticiones == []


def test_server_error_raises_spanish_error(rasa: _RasaFalso) -> None:
    rasa.estado = 500
    rasa.respuesta = {"error": "boom"}
    with pytest.raises(NluNoDisponible) as error:
        RasaHttpInterpreter(rasa.url).parse("hola")
    assert "NLU_URL" in error.value.mensaje


def test_unreachable_server_raises_spanish_error() -> None:
    falso = _RasaFalso()
    url = falso.url
    falso.servidor.server_close()  # nothing listens on that port any more
    with pytest.raises(NluNoDisponible, match="No pude consultar"):
        RasaHttpInterpreter(url, timeout=2).parse("hola")
