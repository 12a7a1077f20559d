"""The web app over a real HTTP connection on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from bot.container import Container
from bot.web.app import create_app


@pytest.fixture
def web(container: Container) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_web_chat_page_and_nss_flow_with_download(web: str, container: Container) -> None:
    from actions.servicios import servicios

    persona = servicios().registro.listar_personas(1)[0]
    with httpx.Client(base_url=web, timeout=30) as client:
        page = client.get("/")
        assert page.status_code == 200 and "Asistente IMSS Digital" in page.text
        url = "/api/conversaciones/abc123/mensajes"
        assert "CURP" in client.post(url, json={"texto": "quiero mi nss"}).json()[0]["text"]
        client.post(url, json={"texto": persona.curp})
        replies = client.post(url, json={"texto": "ana@example.com"}).json()
        document = next(r["document"] for r in replies if r["document"])
        pdf = client.get(document["url"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        other = client.get(document["url"].replace("abc123", "otra"))
        assert other.status_code == 404


def test_duplicate_web_message_id_is_answered_once(web: str) -> None:
    with httpx.Client(base_url=web, timeout=30) as client:
        url = "/api/conversaciones/dup1/mensajes"
        assert client.post(url, json={"texto": "hola", "id": "m-1"}).json()
        assert client.post(url, json={"texto": "hola", "id": "m-1"}).json() == []


def test_verification_page_knows_our_folios(web: str) -> None:
    from actions.servicios import servicios
    from tramites.documentos.modelo import Documento

    emitido = servicios().emisor.emitir(
        Documento(tipo="prueba", titulo="Prueba", campos=[("A", "b")]), "p.pdf"
    )
    with httpx.Client(base_url=web, timeout=30) as client:
        ok = client.get(f"/verificar/{emitido.folio}")
        assert ok.status_code == 200 and "sí fue emitido" in ok.text
        missing = client.get("/verificar/IMSS-20260101-AAAAAAAA")
        assert missing.status_code == 404 and "No encontramos el folio" in missing.text


def test_bad_conversation_id_is_refused(web: str) -> None:
    with httpx.Client(base_url=web, timeout=30) as client:
        response = client.post("/api/conversaciones/..%2F..%2Fx/mensajes", json={"texto": "hola"})
        assert response.status_code in (400, 404)
