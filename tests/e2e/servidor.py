"""`asistente serve` as its own process group on a free loopback port, for load and crash tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import REPO_ROOT

__all__ = ["Servidor"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Servidor:
    """One `asistente serve --workers N` on a data folder and database, started and killed at will."""

    def __init__(self, data_dir: Path, nlu_cache: Path, database_url: str | None, workers: int) -> None:
        self.data_dir = data_dir
        self.workers = workers
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "ASISTENTE_DATA_DIR": str(data_dir),
            "NLU_CACHE_DIR": str(nlu_cache),
            "PYTHONPATH": str(REPO_ROOT),
        }
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "servidor.log"

    def start(self, timeout: float = 120) -> None:
        """Start the server and wait until every worker can answer."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        answered = 0
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited: {self.log.read_text(errors='replace')[-3000:]}")
            try:
                if httpx.get(f"{self.url}/salud", timeout=2).status_code == 200:
                    answered += 1
                    # A few answers in a row: the workers are up, not only the first one.
                    if answered >= self.workers * 2:
                        return
                    continue
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"serve did not start: {self.log.read_text(errors='replace')[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group, as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        """Stop cleanly (SIGTERM), or kill after a bound."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def _cli(self, *args: str) -> str:
        """The output of `asistente ARGS` on the same data."""
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            cwd=REPO_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        ).stdout

    def personas(self, limit: int) -> list[dict[str, Any]]:
        """`asistente demo personas --json --limit N` on the same data: the people the flows can use."""
        out = self._cli("demo", "personas", "--json", "--limit", str(limit))
        personas: list[dict[str, Any]] = json.loads(out)
        return personas

    def export(self) -> list[dict[str, object]]:
        """`asistente conversaciones exportar --json` on the same data."""
        out = self._cli("conversaciones", "exportar", "--json")
        return [json.loads(line) for line in out.splitlines() if line.strip()]
