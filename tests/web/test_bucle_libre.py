"""Turns run off the event loop: the web app answers while PDF turns are still being worked on."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from bot.container import Container


def test_health_answers_while_eight_pdf_turns_are_in_progress(
    web: str, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    emisor = container.services.emisor
    original = emisor.emitir
    release = threading.Event()
    started = threading.Semaphore(0)

    def slow_issue(*args: Any, **kwargs: Any) -> Any:
        # Stands for a slow PDF: the turn holds its worker thread until the test lets it go.
        started.release()
        assert release.wait(60)
        return original(*args, **kwargs)

    monkeypatch.setattr(emisor, "emitir", slow_issue)
    people = [p for p in container.services.registro.listar_personas(20) if p.nss and p.email][:8]

    def nss_conversation(person: Any) -> list[dict[str, Any]]:
        with httpx.Client(base_url=web, timeout=120) as client:
            token = client.post("/api/webchat/conversations").json()["conversation_id"]
            url = f"/api/webchat/{token}/messages"
            client.post(url, json={"text": "quiero mi nss"})
            client.post(url, json={"text": person.curp})
            reply: list[dict[str, Any]] = client.post(url, json={"text": person.email}).json()
            return reply

    with ThreadPoolExecutor(max_workers=8) as pool:
        turns = [pool.submit(nss_conversation, p) for p in people]
        assert started.acquire(timeout=120)  # at least one PDF turn is now in progress
        health = httpx.get(f"{web}/salud", timeout=10)
        in_progress = sum(not t.done() for t in turns)
        release.set()
        replies = [t.result(timeout=120) for t in turns]
    assert health.status_code == 200 and in_progress > 0
    assert all(any(r["document"] for r in reply) for reply in replies)
