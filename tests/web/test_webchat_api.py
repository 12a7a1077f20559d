"""The web chat's REST API over real HTTP on 127.0.0.1: tokens, turns, transcripts and documents."""

from __future__ import annotations

from pathlib import Path

import httpx

from bot.container import Container
from tests.helpers import pdf_text


def _open(client: httpx.Client) -> str:
    created = client.post("/api/webchat/conversations")
    assert created.status_code == 201
    token = created.json()["conversation_id"]
    assert isinstance(token, str) and len(token) >= 22  # at least 128 bits, url-safe
    return token


def test_a_whole_nss_conversation_ends_with_a_pdf_of_this_conversation_only(web: str, tmp_path: Path) -> None:
    from actions.servicios import servicios

    persona = servicios().registro.listar_personas(1)[0]
    assert persona.nss is not None and persona.email is not None
    with httpx.Client(base_url=web, timeout=30) as client:
        token = _open(client)
        url = f"/api/webchat/{token}/messages"
        first = client.post(url, json={"text": "quiero mi nss", "message_id": "1"})
        assert first.status_code == 200 and "CURP" in first.json()[0]["text"]
        client.post(url, json={"text": persona.curp, "message_id": "2"})
        replies = client.post(url, json={"text": persona.email, "message_id": "3"}).json()
        assert {"text", "buttons", "document"} <= set(replies[0])
        document = next(r["document"] for r in replies if r["document"])
        for identifier in (persona.curp, persona.nss):
            assert identifier not in document["url"] and identifier not in document["filename"]
        pdf = client.get(document["url"])
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        (tmp_path / "c.pdf").write_bytes(pdf.content)
        assert persona.curp in pdf_text(tmp_path / "c.pdf")
        # Another conversation cannot open it, with its own token or with a tampered link.
        other = _open(client)
        assert client.get(document["url"].replace(token, other)).status_code == 404
        assert client.get(document["url"][:-3] + "AAA").status_code == 404


def test_made_up_or_malformed_tokens_get_404_and_create_nothing(web: str, container: Container) -> None:
    before = len(container.store.conversations())
    with httpx.Client(base_url=web, timeout=30) as client:
        made_up = "A" * 32
        assert client.post(f"/api/webchat/{made_up}/messages", json={"text": "hola"}).status_code == 404
        assert client.get(f"/api/webchat/{made_up}/messages").status_code == 404
        assert client.post("/api/webchat/..%2F..%2Fx/messages", json={"text": "hola"}).status_code == 404
        assert client.post("/api/webchat/corto/messages", json={"text": "hola"}).status_code == 404
    assert len(container.store.conversations()) == before


def test_a_retried_message_id_gets_the_same_replies_and_is_stored_once(
    web: str, container: Container
) -> None:
    with httpx.Client(base_url=web, timeout=30) as client:
        token = _open(client)
        url = f"/api/webchat/{token}/messages"
        first = client.post(url, json={"text": "hola", "message_id": "m-1"}).json()
        assert first
        assert client.post(url, json={"text": "hola", "message_id": "m-1"}).json() == first
        # The same id in another conversation is another message.
        other = _open(client)
        assert client.post(
            f"/api/webchat/{other}/messages", json={"text": "hola", "message_id": "m-1"}
        ).json()
        transcript = client.get(url).json()
    assert [m["text"] for m in transcript if m["author"] == "persona"] == ["hola"]


def test_later_messages_come_with_their_sequence_numbers(web: str) -> None:
    with httpx.Client(base_url=web, timeout=30) as client:
        token = _open(client)
        url = f"/api/webchat/{token}/messages"
        client.post(url, json={"text": "hola"})
        everything = client.get(url).json()
        assert [m["author"] for m in everything][:2] == ["persona", "asistente"]
        seqs = [m["seq"] for m in everything]
        assert seqs == sorted(seqs)
        client.post(url, json={"text": "quiero mi nss"})
        later = client.get(url, params={"after": seqs[-1]}).json()
        assert later[0]["text"] == "quiero mi nss"
        assert all(m["seq"] > seqs[-1] for m in later)


def test_a_body_that_is_not_a_message_is_refused_without_echo(web: str) -> None:
    with httpx.Client(base_url=web, timeout=30) as client:
        token = _open(client)
        response = client.post(
            f"/api/webchat/{token}/messages",
            content=b'{"texto": "XIQB891116MGRMZR05"}',
            headers={"content-type": "application/json"},
        )
        assert response.status_code == 422
        assert "XIQB891116MGRMZR05" not in response.text


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


def test_health_answers(web: str) -> None:
    assert httpx.get(f"{web}/salud", timeout=10).json() == {"estado": "ok"}


def test_a_photo_sent_in_the_web_chat_gets_the_honest_media_answer(web: str, container: Container) -> None:
    with httpx.Client(base_url=web, timeout=30) as client:
        token = _open(client)
        replies = client.post(
            f"/api/webchat/{token}/messages",
            files={"file": ("ine.jpg", b"\xff\xd8\xff" + b"0" * 500, "image/jpeg")},
        ).json()
    texts = [r["text"] for r in replies]
    assert container.engine.text("utter_media_no_soportada") in texts
    assert container.engine.text("utter_foto_de_documento") in texts


def test_one_address_opening_conversation_after_conversation_gets_429_with_a_wait(
    web: str, container: Container
) -> None:
    limites = container.services.limites
    assert limites is not None
    maximo = limites.reglas["conversaciones_web"].maximo
    with httpx.Client(base_url=web) as client:
        tokens = [_open(client) for _ in range(maximo)]
        assert len(set(tokens)) == maximo
        refused = client.post("/api/webchat/conversations")
        assert refused.status_code == 429
        assert "Abriste muchas conversaciones" in refused.json()["detail"]
        assert int(refused.headers["Retry-After"]) >= 60
        # The conversations already open keep working.
        answered = client.post(f"/api/webchat/{tokens[0]}/messages", json={"text": "hola"})
        assert answered.status_code == 200 and answered.json()
