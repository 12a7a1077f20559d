"""pytest-benchmark measurements (run with `uv run pytest tests/bench --benchmark-enable`)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from bot.container import Container
from bot.engine import Incoming
from tests.helpers import pdf_text


def test_nlu_parse(benchmark: Any, container: Container) -> None:
    parse = benchmark(container.interpreter.parse, "oye ocupo mi numero de seguro social")
    assert parse.intent == "obtener_nss"


def test_engine_turn_with_reply(benchmark: Any, container: Container) -> None:
    def turn() -> list[Any]:
        incoming = Incoming(uuid.uuid4().hex, "bench", "bench", uuid.uuid4().hex, text="quiero mi nss")
        return asyncio.run(container.engine.handle(incoming))

    replies = benchmark(turn)
    assert "CURP" in replies[0].text


def test_issue_pdf(benchmark: Any, container: Container) -> None:
    from actions.servicios import servicios
    from tramites.documentos.modelo import Documento

    documento = Documento(tipo="prueba", titulo="Prueba", campos=[("Nombre", "Ana Pérez")])
    emitido = benchmark(servicios().emisor.emitir, documento, "bench.pdf")
    assert "Ana Pérez" in pdf_text(emitido.path)
