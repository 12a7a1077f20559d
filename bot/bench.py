"""Measurements of speed and memory: NLU parse, a whole engine turn, issuing and verifying a PDF."""

from __future__ import annotations

import asyncio
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Measurement", "run_benchmarks"]


@dataclass(frozen=True)
class Measurement:
    """Timings of one operation, in milliseconds."""

    name: str
    runs: int
    p50_ms: float
    p95_ms: float
    max_ms: float


def _measure(name: str, runs: int, operation: Callable[[int], object]) -> Measurement:
    samples = []
    for index in range(runs):
        start = time.perf_counter()
        operation(index)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return Measurement(
        name=name,
        runs=runs,
        p50_ms=statistics.median(samples),
        p95_ms=samples[min(len(samples) - 1, int(len(samples) * 0.95))],
        max_ms=samples[-1],
    )


def run_benchmarks(conversations: int = 10, parses: int = 300) -> tuple[list[Measurement], float]:
    """Run every benchmark in a throw-away data folder; returns timings and peak RSS in MiB."""
    from bot.container import build_container
    from bot.engine import Incoming
    from bot.settings import Settings
    from nlu import load_training_data
    from tramites.documentos import verificar_pdf
    from tramites.documentos.modelo import Documento

    results: list[Measurement] = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, asistente_data_dir=Path(tmp))  # type: ignore[call-arg]
        start = time.perf_counter()
        container = build_container(settings)
        results.append(
            Measurement(
                "arranque (migrar, sembrar, cargar NLU)", 1, *([(time.perf_counter() - start) * 1000] * 3)
            )
        )
        texts = [text for text, _ in load_training_data(settings.nlu_data_dir)][:parses]
        interpreter = container.interpreter
        results.append(
            _measure("primer parse (entrena el NLU si no hay caché)", 1, lambda i: interpreter.parse("hola"))
        )
        results.append(_measure("NLU parse", len(texts), lambda i: interpreter.parse(texts[i])))

        from actions.servicios import servicios

        persona = servicios().registro.listar_personas(1)[0]
        script = ["hola", "quiero mi nss", persona.curp, "ana@example.com"]
        turns = [(c, line) for c in range(conversations) for line in script]
        ids = [uuid.uuid4().hex for _ in range(conversations)]

        def turn(index: int) -> None:
            conversation, line = turns[index]
            incoming = Incoming(ids[conversation], "bench", "bench", uuid.uuid4().hex, text=line)
            asyncio.run(container.engine.handle(incoming))

        results.append(_measure("turno completo del motor (incluye PDF al final)", len(turns), turn))
        emisor = servicios().emisor
        documento = Documento(tipo="prueba", titulo="Prueba de rendimiento", campos=[("Nombre", "Ana")])
        issued: list[Path] = []
        results.append(
            _measure(
                "emitir PDF sellado y firmado",
                10,
                lambda i: issued.append(emisor.emitir(documento, f"b{i}.pdf").path),
            )
        )
        from bot.documentos_factory import construir_emisor

        _, claves, folios = construir_emisor(settings, container.sessions)
        results.append(
            _measure("verificar PDF", 10, lambda i: verificar_pdf(issued[i].read_bytes(), claves, folios))
        )
        container.db.dispose()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return results, peak_mib
