"""What `asistente serve` writes to stderr during real web-chat flows holds no CURP, NSS, RFC, email,
phone or conversation token in full: our loggers, uvicorn's access and error loggers, and a traceback.

The server runs as its own process on 127.0.0.1 (one worker, and `--workers 2`, which configure logging
by different paths). A `sitecustomize` on its PYTHONPATH makes one kind of message fail inside the turn,
so the log gets a real "Exception in ASGI application" traceback whose message carries the data.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.databases import fresh_database_url
from tests.e2e.servidor import Servidor
from tramites.identidad import digito_rfc

#: Messages starting like this raise inside the engine (see _FAILING_TURN).
FAIL = "provoca un error"
_FAILING_TURN = f'''
"""Test only: a turn whose text starts with {FAIL!r} raises with the text in the exception message."""
from bot.engine.core import Engine

_handle = Engine.handle


async def _failing(self, incoming, *args, **kwargs):
    if (incoming.text or "").startswith({FAIL!r}):
        raise RuntimeError("turno fallido para " + incoming.text)
    return await _handle(self, incoming, *args, **kwargs)


Engine.handle = _failing
'''


def _person(server: Servidor) -> dict[str, Any]:
    return next(p for p in server.personas(20) if p.get("nss") and p.get("email") and p.get("vigente"))


@pytest.fixture(params=[1, 2], ids=["one-worker", "two-workers"])
def server(request: pytest.FixtureRequest, tmp_path: Path, nlu_cache_dir: Path) -> Iterator[Servidor]:
    """`asistente serve` with the failing-turn hook, stopped at the end."""
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_FAILING_TURN, encoding="utf-8")
    data = tmp_path / "datos"
    srv = Servidor(data, nlu_cache_dir, fresh_database_url(str(data)), workers=request.param)
    srv.env["PYTHONPATH"] = f"{hook}:{srv.env['PYTHONPATH']}"
    srv.start()
    yield srv
    srv.stop()


def _say(client: httpx.Client, token: str, text: str) -> list[dict[str, Any]]:
    response = client.post(f"/api/webchat/{token}/messages", json={"text": text})
    assert response.status_code == 200, response.text
    replies: list[dict[str, Any]] = response.json()
    return replies


def test_served_web_chat_flows_leave_no_personal_data_in_logs_or_file_names(server: Servidor) -> None:
    person = _person(server)
    curp, nss, email = person["curp"], person["nss"], person["email"]
    rfc = curp[:10] + "K7" + digito_rfc(curp[:10] + "K7")
    phone = "55 4321 8765"
    documents: list[str] = []
    with httpx.Client(base_url=server.url, timeout=120) as client:
        token = client.post("/api/webchat/conversations").json()["conversation_id"]
        # NSS: CURP and email, then the PDF by its signed link.
        _say(client, token, "quiero mi nss")
        _say(client, token, curp)
        documents += [r["document"]["url"] for r in _say(client, token, email) if r["document"]]
        # Vigencia, in a second conversation: CURP, NSS and email.
        first_token = token
        token = client.post("/api/webchat/conversations").json()["conversation_id"]
        for text in ("necesito mi constancia de vigencia", curp, nss):
            _say(client, token, text)
        documents += [r["document"]["url"] for r in _say(client, token, email) if r["document"]]
        # Free text with everything at once, an identifier in a URL, and a validation error.
        _say(client, token, f"mi rfc es {rfc}, mi correo {email} y mi cel +52 {phone}")
        assert client.get(f"/verificar/{curp}").status_code == 404
        assert client.get(f"/api/webchat/{token}/messages", params={"after": curp}).status_code == 422
        assert len(documents) == 2
        for url in documents:
            pdf = client.get(url)
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
            # The file name the browser saves and the link carry the folio, never who it is about.
            disposition = pdf.headers["content-disposition"]
            assert "-IMSS-" in disposition
            for identifier in (curp, nss, rfc, email):
                assert identifier not in disposition and identifier not in url
        # A turn that fails with the data in its exception message.
        failed = client.post(
            f"/api/webchat/{token}/messages", json={"text": f"{FAIL} {curp} {nss} {rfc} {email} {phone}"}
        )
        assert failed.status_code == 500
    server.stop()
    log = server.log.read_text(encoding="utf-8", errors="replace")

    # The log is not empty: access lines, the traceback and the masked data are all there.
    assert re.search(r'"POST /api/webchat/\S+/messages HTTP/1.1" 200', log)
    assert "Exception in ASGI application" in log and "Traceback (most recent call last)" in log
    assert f"RuntimeError: turno fallido para {FAIL} {curp[:4]}" in log
    assert f"GET /verificar/{curp[:4]}" in log
    for secret in (curp, nss, rfc, email, phone, phone.replace(" ", ""), first_token, token):
        assert secret not in log, secret
    for url in documents:
        link = url.rsplit("/", 1)[1]
        assert link not in log and link.split(".")[0] not in log
