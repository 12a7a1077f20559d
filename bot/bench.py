"""`asistente bench`: scripted conversations through the whole engine, in one process, measured.

What it runs, all on a throw-away data folder (or `--database-url`):
- mixed trámites: NSS, vigencia, semanas cotizadas, chit-chat, fallbacks and cancellations, for many
  demo people, at least 1,000 turns, some of them issuing PDFs;
- one conversation of 1,000 turns (no PDFs), to show a turn's cost does not grow with history;
- a cold start: a fresh `asistente chat` process, from its start to its first answer.
Turns are timed one by one; turns that issue a document are reported apart (`pdf_p50_ms`), and
`turns_per_second` counts the turns without one, while `mixed_turns_per_second` is the whole mix.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

__all__ = ["BenchResult", "run_bench"]


@dataclass(frozen=True)
class BenchResult:
    """The figures `asistente bench --json` prints."""

    turns: int
    #: Turns without a PDF handled per second, one after another (what a chat mostly is).
    turns_per_second: float
    #: The whole mixed workload per second of wall time, PDFs included.
    mixed_turns_per_second: float
    p50_ms: float
    p99_ms: float
    pdf_turns: int
    pdf_p50_ms: float
    rss_mb: float
    cold_start_s: float
    long_conversation_ratio: float
    database: str

    def to_json(self) -> dict[str, Any]:
        """The JSON object, rounded for reading."""
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def _scripts(curp: str, nss: str, email: str) -> list[list[str]]:
    """Conversations as people write them; three of them end with a PDF."""
    return [
        ["hola", "oye ocupo mi numero de seguro social", curp, email],
        ["necesito mi constancia de vigencia de derechos", curp, nss, email],
        ["cuantas semanas tengo cotizadas", curp, nss, email],
        ["buenas tardes", "qué trámites puedo hacer", "asdfgh qwerty", "gracias", "adiós"],
        ["quiero cambiarme de clinica", "cancelar", "ok gracias"],
    ]


_LONG = ["hola", "qué puedes hacer", "quiero mi nss", "cancelar", "gracias"]


def run_bench(
    database_url: str | None = None,
    *,
    mixed_turns: int = 1000,
    long_turns: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> BenchResult:
    """Run the whole benchmark in this process and return its figures."""
    from bot.container import build_container
    from bot.engine import Incoming
    from bot.settings import Settings
    from tramites.limites import Regla

    with tempfile.TemporaryDirectory() as tmp:
        # The NLU cache of this machine, warmed in another process: training imports scikit-learn,
        # which a serving process never loads, so it must not count in this one's memory.
        cache = Settings().effective_nlu_cache_dir  # type: ignore[call-arg]
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, asistente_data_dir=Path(tmp), database_url=database_url, nlu_cache_dir=cache
        )
        _warm_nlu(settings)
        container = build_container(settings)
        engine = container.engine
        people = [p for p in container.services.registro.listar_personas(200) if p.nss and p.email]
        plain: list[float] = []
        with_pdf: list[float] = []
        total = mixed_turns + long_turns
        done = 0

        def turn(cid: str, text: str) -> None:
            nonlocal done
            start = time.perf_counter()
            # One sender per conversation, as people are: the per-sender limits hold, never reached.
            replies = engine.handle_blocking(Incoming(cid, "bench", cid, uuid.uuid4().hex, text=text))
            elapsed = (time.perf_counter() - start) * 1000
            (with_pdf if any(r.document for r in replies) else plain).append(elapsed)
            done += 1
            if progress is not None:
                progress(done, total)

        def mixed() -> Iterator[tuple[str, str]]:
            index = 0
            while True:
                person = people[index % len(people)]
                # The email on file (look-ups must match it), and one conversation per script: the
                # look-up limits per sender (data/limites.yml) hold as in production, never reached.
                for number, script in enumerate(_scripts(person.curp, str(person.nss), str(person.email))):
                    cid = f"bench-{index}-{number}"
                    for text in script:
                        yield cid, text
                index += 1

        wall = time.perf_counter()
        source = mixed()
        for _ in range(mixed_turns):
            turn(*next(source))
        wall = time.perf_counter() - wall

        long_cid = f"bench-larga-{uuid.uuid4().hex[:6]}"
        if container.services.limites is not None:
            # 1,000 messages in seconds from one sender is a flood to the limit of data/limites.yml. A
            # zero window lets every one through while each is still counted and stored, as in real use,
            # where the count never spans more than the 30 rows a sender may have in a minute.
            container.services.limites.fijar(Regla("mensajes", 30, timedelta(0)))
        long_samples: list[float] = []
        for index in range(long_turns):
            start = time.perf_counter()
            engine.handle_blocking(
                Incoming(long_cid, "bench", "bench", uuid.uuid4().hex, text=_LONG[index % len(_LONG)])
            )
            long_samples.append((time.perf_counter() - start) * 1000)
            done += 1
            if progress is not None:
                progress(done, total)
        early = statistics.median(long_samples[10:20])
        late = statistics.median(long_samples[-11:-1])
        cold = _cold_start(settings)
        container.db.dispose()
    return BenchResult(
        turns=mixed_turns + long_turns,
        turns_per_second=len(plain) / (sum(plain) / 1000),
        mixed_turns_per_second=mixed_turns / wall,
        p50_ms=statistics.median(plain),
        p99_ms=_percentile(plain, 0.99),
        pdf_turns=len(with_pdf),
        pdf_p50_ms=statistics.median(with_pdf) if with_pdf else 0.0,
        rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        cold_start_s=cold,
        long_conversation_ratio=late / early,
        database="postgresql" if database_url and database_url.startswith("postgresql") else "sqlite",
    )


def _env(settings: Any) -> dict[str, str]:
    import os

    env = {**os.environ, "ASISTENTE_DATA_DIR": str(settings.asistente_data_dir)}
    env["NLU_CACHE_DIR"] = str(settings.nlu_cache_dir)
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    return env


def _warm_nlu(settings: Any) -> None:
    """Train the NLU into its cache, if needed, in a process of its own."""
    subprocess.run(
        [sys.executable, "-m", "bot", "nlu", "parse", "hola"],
        env=_env(settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=600,
    )


def _cold_start(settings: Any) -> float:
    """Seconds from starting a fresh `asistente chat --json` process to its first answer."""
    env = _env(settings)
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("hola\n")
    process.stdin.flush()
    process.stdout.readline()
    elapsed = time.perf_counter() - start
    process.stdin.close()
    process.wait(timeout=60)
    return elapsed
