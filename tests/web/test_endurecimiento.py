"""Web hardening as an attacker meets it: headers, hidden schema, bounded bodies, no echo, undecodable text.

Most tests go through uvicorn on 127.0.0.1; the scheme-dependent ones (HSTS) call the ASGI app directly,
since over loopback uvicorn itself decides what X-Forwarded-Proto means.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from bot.container import Container
from bot.web.app import create_app
from bot.web.body_limit import JSON_LIMIT_BYTES, MENSAJE_413
from bot.web.errors import MENSAJE_422, MENSAJE_500
from bot.web.headers import CONTENT_SECURITY_POLICY
from bot.web.json_text import MENSAJE_400
from bot.web.webchat import MAX_UPLOAD_BYTES

CURP = "XIQB891116MGRMZR05"
SECURITY_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _open(client: httpx.Client) -> str:
    created = client.post("/api/webchat/conversations")
    assert created.status_code == 201
    token: str = created.json()["conversation_id"]
    return token


def _assert_security_headers(response: httpx.Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get_list(name) == [value], (response.url, name)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.fixture
def client(web: str) -> Iterator[httpx.Client]:
    """An HTTP client on the app served on loopback."""
    with httpx.Client(base_url=web, timeout=30) as c:
        yield c


def _declare_and_stop(web: str, content_type: str, length: int, body: bytes = b"") -> tuple[int, str]:
    """POST to a new conversation a head declaring `length` bytes, send only `body`; the answer's status
    and body. Only a server that refuses before reading can answer: the rest never comes."""
    with httpx.Client(base_url=web, timeout=30) as c:
        token = _open(c)
    parts = urlsplit(web)
    assert parts.hostname == "127.0.0.1" and parts.port is not None
    head = (
        f"POST /api/webchat/{token}/messages HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as s:
        s.sendall(head.encode("ascii") + body)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.partition(b"\r\n\r\n")[2].decode("utf-8")


# ------------------------------------------------------------------------------------------ headers


def test_security_headers_are_on_pages_static_files_api_and_errors(client: httpx.Client) -> None:
    token = _open(client)
    responses = [
        client.get("/"),
        client.get("/static/chat.js"),
        client.get("/static/verificar.css"),
        client.get("/verificar/IMSS-20260101-AAAAAAAA"),
        client.post("/api/webchat/conversations"),
        client.post(f"/api/webchat/{token}/messages", json={"text": "hola"}),
        client.get("/no-existe"),
        client.get("/api/webchat/" + "A" * 32 + "/messages"),
        client.get("/agentes/login"),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 404, 201, 200, 404, 404, 200]
    for response in responses:
        _assert_security_headers(response)


def test_the_pages_carry_no_inline_script_or_style(client: httpx.Client) -> None:
    for path in ("/", "/verificar/IMSS-20260101-AAAAAAAA", "/agentes/login"):
        html = client.get(path).text.lower()
        assert "<style" not in html and " style=" not in html, path
        assert "<script>" not in html and " onclick=" not in html, path


async def _asgi_get(container: Container, url: str, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=create_app(container))
    async with httpx.AsyncClient(transport=transport) as c:
        return await c.get(url, headers=headers)


def test_hsts_is_sent_over_https_and_never_over_plain_http(container: Container) -> None:
    https = asyncio.run(_asgi_get(container, "https://127.0.0.1/salud"))
    http = asyncio.run(_asgi_get(container, "http://127.0.0.1/salud"))
    assert https.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "strict-transport-security" not in http.headers
    _assert_security_headers(https)


def test_an_unexpected_error_gets_500_with_the_headers_and_no_detail(container: Container) -> None:
    app = create_app(container)

    def falla() -> None:
        raise RuntimeError(f"fallo interno con {CURP}")

    app.add_api_route("/prueba-falla", falla)

    async def pedir() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport) as c:
            return await c.get("http://127.0.0.1/prueba-falla")

    respuesta = asyncio.run(pedir())
    assert respuesta.status_code == 500
    assert respuesta.json() == {"detail": MENSAJE_500}
    assert CURP not in respuesta.text
    _assert_security_headers(respuesta)


def test_a_forged_x_forwarded_proto_gets_no_hsts_unless_the_proxy_is_trusted(container: Container) -> None:
    forged = asyncio.run(_asgi_get(container, "http://127.0.0.1/salud", **{"x-forwarded-proto": "https"}))
    assert "strict-transport-security" not in forged.headers
    container.settings.web_trust_forwarded_proto = True
    proxied = asyncio.run(_asgi_get(container, "http://127.0.0.1/salud", **{"x-forwarded-proto": "https"}))
    assert proxied.headers["strict-transport-security"].startswith("max-age=31536000")


# ------------------------------------------------------------------------------------------ openapi


def test_openapi_schema_and_docs_are_not_served_by_default(client: httpx.Client) -> None:
    assert client.get("/openapi.json").status_code == 404
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404


def test_openapi_schema_and_docs_are_served_when_web_openapi_is_on(container: Container) -> None:
    container.settings.web_openapi = True
    schema = asyncio.run(_asgi_get(container, "http://127.0.0.1/openapi.json"))
    docs = asyncio.run(_asgi_get(container, "http://127.0.0.1/docs"))
    assert schema.status_code == 200 and "/api/webchat/conversations" in schema.json()["paths"]
    assert docs.status_code == 200


# ------------------------------------------------------------------------------------------ body size


def test_a_json_body_declared_over_64_kb_gets_413_before_a_byte_of_it_is_sent(web: str) -> None:
    status, body = _declare_and_stop(web, "application/json", 10_000_000)
    assert status == 413 and MENSAJE_413 in body


def test_a_chunked_json_body_over_64_kb_gets_413(client: httpx.Client) -> None:
    token = _open(client)

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(JSON_LIMIT_BYTES // 1024 + 1):
            yield CURP.encode() * 57  # about 1 KB a chunk, no Content-Length
        yield b'"}'

    response = client.post(
        f"/api/webchat/{token}/messages", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": MENSAJE_413}
    _assert_security_headers(response)


def test_a_json_body_just_under_the_limit_is_answered_normally(client: httpx.Client) -> None:
    token = _open(client)
    response = client.post(f"/api/webchat/{token}/messages", json={"text": "hola " + " " * 60_000})
    assert response.status_code == 422  # over the message's own 20,000 characters, but read
    assert response.json()["detail"].startswith("El mensaje debe ser JSON")


def test_an_upload_over_the_limit_gets_413_before_it_is_parsed(client: httpx.Client) -> None:
    token = _open(client)
    big = b"\x30\x82" + b"\x00" * (MAX_UPLOAD_BYTES * 3)
    response = client.post(
        f"/api/webchat/{token}/messages", files={"file": ("efirma.cer", big, "application/octet-stream")}
    )
    assert response.status_code == 413 and response.json() == {"detail": MENSAJE_413}
    # Nothing reached the conversation: the turn never ran.
    assert client.get(f"/api/webchat/{token}/messages").json() == []


def test_an_upload_declared_over_the_limit_gets_413_without_sending_it(web: str) -> None:
    multipart = "multipart/form-data; boundary=xyz"
    status, body = _declare_and_stop(web, multipart, MAX_UPLOAD_BYTES * 10, b"--xyz\r\n")
    assert status == 413 and MENSAJE_413 in body


def test_an_efirma_file_of_normal_size_still_reaches_the_chat(client: httpx.Client) -> None:
    token = _open(client)
    response = client.post(
        f"/api/webchat/{token}/messages",
        files={"file": ("efirma.cer", b"no es un certificado", "application/octet-stream")},
    )
    assert response.status_code == 200 and response.json()


# ------------------------------------------------------------------------------------------ no echo


def test_a_validation_error_on_a_query_never_echoes_the_input(client: httpx.Client) -> None:
    token = _open(client)
    response = client.get(f"/api/webchat/{token}/messages", params={"after": CURP * 100})
    assert response.status_code == 422
    assert CURP not in response.text
    body = response.json()
    assert body["detail"] == MENSAJE_422
    assert body["errores"] == [{"ubicacion": ["query", "after"], "tipo": "int_parsing"}]


def test_a_large_form_that_fails_validation_is_not_echoed(client: httpx.Client) -> None:
    response = client.post("/agentes/login", data={"usuario": CURP * 3000, "password": "x", "csrf": "y"})
    assert response.status_code == 422
    assert CURP not in response.text and len(response.content) < 1000
    assert response.json()["errores"][0]["ubicacion"] == ["body", "usuario"]


# ------------------------------------------------------------------------------------------ text


def test_a_json_body_that_is_not_utf8_gets_400(client: httpx.Client) -> None:
    token = _open(client)
    response = client.post(
        f"/api/webchat/{token}/messages",
        content=b'{"text": "hola \xff\xfe mundo"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400 and response.json() == {"detail": MENSAJE_400}


def test_a_lone_surrogate_in_json_gets_400_and_the_conversation_keeps_working(client: httpx.Client) -> None:
    token = _open(client)
    url = f"/api/webchat/{token}/messages"
    for escaped in (b"\\ud800", b"\\udfff", b"a\\ud83d b"):
        response = client.post(
            url, content=b'{"text": "' + escaped + b'"}', headers={"content-type": "application/json"}
        )
        assert response.status_code == 400 and response.json() == {"detail": MENSAJE_400}
    # A proper pair (an emoji) is text, and the chat still answers.
    pair = b'{"text": "hola \\ud83d\\ude00"}'
    ok = client.post(url, content=pair, headers={"content-type": "application/json"})
    assert ok.status_code == 200 and ok.json()


def test_json_nested_too_deep_gets_400_not_500(client: httpx.Client) -> None:
    token = _open(client)
    response = client.post(
        f"/api/webchat/{token}/messages",
        content=b"[" * 30_000 + b"]" * 30_000,
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 400
