"""The NSS flow through a real rasa-sdk action server on 127.0.0.1 (Rasa's HTTP protocol)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from actions.servicios import instalar, servicios
from bot.container import build_container
from bot.engine import HttpActionRunner
from tests.conftest import REPO_ROOT
from tests.helpers import Chat, make_settings, pdf_text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def action_server(tmp_path: Path) -> Iterator[str]:
    """`python -m bot.action_server` (loopback by default), sharing the test's data folder."""
    port = _free_port()
    env = {
        **os.environ,
        "ASISTENTE_DATA_DIR": str(tmp_path / "datos"),
        "PYTHONPATH": str(REPO_ROOT),
    }
    env.pop("DATABASE_URL", None)
    env.pop("SANIC_HOST", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.action_server", "--port", str(port)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "exited")
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise TimeoutError("action server did not start")
        yield f"{url}/webhook"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def test_nss_flow_through_action_server(tmp_path: Path, nlu_cache_dir: Path, action_server: str) -> None:
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'action_endpoint:\n  url: "{action_server}"\n', encoding="utf-8")
    container = build_container(make_settings(tmp_path / "datos", nlu_cache_dir, endpoints_file=endpoints))
    try:
        assert isinstance(container.runner, HttpActionRunner)
        persona = servicios().registro.listar_personas(1)[0]
        assert persona.nss is not None
        chat = Chat(container.engine)
        assert "CURP" in chat.say("hola buenas, necesito mi nss porfa")
        assert "17 caracteres" in chat.say(persona.curp[:17])
        assert "correo" in chat.say(persona.curp).lower()
        replies = chat.send(str(persona.email))
        assert persona.nss in "\n".join(r.text for r in replies)
        document = next(r.document for r in replies if r.document)
        assert persona.nss in pdf_text(document.path)
        stored = container.store.stored_events(chat.conversation_id)
        actions = [e["name"] for e in stored if e["event"] == "action"]
        assert "validate_nss_form" in actions and "action_obtener_nss" in actions
    finally:
        container.db.dispose()
        instalar(None)
