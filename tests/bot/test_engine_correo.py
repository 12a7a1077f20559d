"""«Enviar por correo» in whole conversations: the document reaches the person's mailbox, and only theirs."""

from __future__ import annotations

import io
import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from actions.servicios import instalar
from bot.cli import app
from bot.container import Container, build_container
from bot.engine import Outgoing
from tests.correo.servidor import ServidorSmtp, puerto_libre, servidor_smtp
from tests.helpers import Chat, make_settings
from tramites.contacto import enmascarar_email
from tramites.registro import PREDECIBLES, PersonaPredecible

MARIA, JOSE = PREDECIBLES[0], PREDECIBLES[1]
#: Look-ups need the email IMSS holds: María's is where her documents go.
CORREO = str(MARIA.email)
OCULTO = enmascarar_email(CORREO)


@pytest.fixture
def smtp() -> Iterator[ServidorSmtp]:
    """A mail server on loopback."""
    with servidor_smtp() as servidor:
        yield servidor


def _container(tmp_path: Path, nlu_cache_dir: Path, **ajustes: object) -> Iterator[Container]:
    built = build_container(make_settings(tmp_path / "datos", nlu_cache_dir, **ajustes))
    yield built
    instalar(None)
    built.db.dispose()


@pytest.fixture
def con_smtp(tmp_path: Path, nlu_cache_dir: Path, smtp: ServidorSmtp) -> Iterator[Container]:
    """The assistant sending through the local SMTP server."""
    yield from _container(tmp_path, nlu_cache_dir, smtp_url=smtp.url)


@pytest.fixture
def embebido(tmp_path: Path, nlu_cache_dir: Path) -> Iterator[Container]:
    """The assistant on embedded defaults: the outbox folder."""
    yield from _container(tmp_path, nlu_cache_dir)


def _constancia(chat: Chat, persona: PersonaPredecible = MARIA) -> Outgoing:
    """Ask for the constancia and return the message that carries the PDF."""
    chat.say("quiero mi constancia de vigencia")
    chat.say(persona.curp)
    chat.say(persona.nss)
    replies = chat.send(str(persona.email))
    return next(r for r in replies if r.document is not None)


def _folio(documento: Outgoing) -> str:
    assert documento.document is not None
    return documento.document.filename.removeprefix("constancia-vigencia-").removesuffix(".pdf")


def _boton(documento: Outgoing) -> str:
    [boton] = documento.buttons
    assert boton.title == "Enviar por correo"
    return boton.payload


def _pdf_del_correo(servidor: ServidorSmtp, indice: int = 0) -> tuple[str, str]:
    """(attachment name, PDF text) of a received message."""
    [adjunto] = list(servidor.recibidos.mensajes[indice].iter_attachments())
    assert adjunto.get_content_type() == "application/pdf"
    lector = PdfReader(io.BytesIO(adjunto.get_content()))
    return str(adjunto.get_filename()), "\n".join(p.extract_text() or "" for p in lector.pages)


def test_the_constancia_arrives_by_email_as_its_pdf(con_smtp: Container, smtp: ServidorSmtp) -> None:
    chat = Chat(con_smtp.engine)
    documento = _constancia(chat)
    folio = _folio(documento)
    respuesta = chat.say(_boton(documento))
    assert respuesta == con_smtp.engine.text("utter_correo_enviado", email_oculto=OCULTO)
    assert respuesta.startswith(f"Listo, te lo envié a {OCULTO}.")
    [mensaje] = smtp.recibidos.mensajes
    assert mensaje["To"] == CORREO
    assert mensaje["Subject"] == f"Constancia de Vigencia de Derechos (folio {folio})"
    nombre, texto = _pdf_del_correo(smtp)
    assert nombre == f"{folio}.pdf"
    assert folio in texto and MARIA.nombre in texto
    # Nothing in the message names the person: no CURP, NSS or name outside the PDF itself.
    cuerpo = mensaje.get_body(("plain",))
    assert cuerpo is not None
    visible = f"{mensaje['Subject']}\n{cuerpo.get_content()}\n{nombre}"
    for dato in (MARIA.curp, MARIA.nss, MARIA.nombre):
        assert dato not in visible


def test_pressing_twice_with_one_message_id_sends_once(con_smtp: Container, smtp: ServidorSmtp) -> None:
    chat = Chat(con_smtp.engine)
    payload = _boton(_constancia(chat))
    [primera] = chat.send(payload, message_id="toque-1")
    assert primera.text.startswith(f"Listo, te lo envié a {OCULTO}.")
    # The channel delivered the same message again (a retry): already answered, nothing is sent twice.
    assert chat.send(payload, message_id="toque-1") == []
    assert len(smtp.recibidos.mensajes) == 1
    # A new press is a new request: it sends again.
    chat.send(payload, message_id="toque-2")
    assert len(smtp.recibidos.mensajes) == 2


def test_without_a_document_nothing_is_sent(con_smtp: Container, smtp: ServidorSmtp) -> None:
    chat = Chat(con_smtp.engine)
    chat.say("hola")
    respuesta = chat.say('/enviar_por_correo{"folio":"IMSS-20260302-8K2M4Q7W"}')
    assert respuesta == con_smtp.engine.text("utter_correo_sin_documento")
    assert smtp.recibidos.mensajes == []


def test_another_conversations_folio_is_never_sent(con_smtp: Container, smtp: ServidorSmtp) -> None:
    ajeno = _folio(_constancia(Chat(con_smtp.engine), JOSE))
    chat = Chat(con_smtp.engine)
    _constancia(chat)
    respuesta = chat.say(json.dumps({"folio": ajeno}, separators=(",", ":")).join(["/enviar_por_correo", ""]))
    assert respuesta == con_smtp.engine.text("utter_correo_documento_ajeno")
    assert smtp.recibidos.mensajes == []


def test_a_mail_server_that_is_down_gets_a_clear_reply(tmp_path: Path, nlu_cache_dir: Path) -> None:
    for container in _container(tmp_path, nlu_cache_dir, smtp_url=f"smtp://127.0.0.1:{puerto_libre()}"):
        chat = Chat(container.engine)
        documento = _constancia(chat)
        respuesta = chat.say(_boton(documento))
        assert respuesta == container.engine.text("utter_correo_no_enviado")
        assert respuesta.startswith("No pude enviar el correo en este momento.")


def test_the_outbox_keeps_the_message_and_asistente_correo_lists_it(
    embebido: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Chat(embebido.engine)
    folio = _folio(documento := _constancia(chat))
    assert chat.say(_boton(documento)).startswith(f"Listo, te lo envié a {OCULTO}.")
    carpeta = embebido.settings.correo_dir
    [archivo] = list(carpeta.glob("*.eml"))
    # Readable by its owner only, and its name says nothing about the person or the document.
    assert stat.S_IMODE(archivo.stat().st_mode) == 0o600
    assert stat.S_IMODE(carpeta.stat().st_mode) == 0o700
    for dato in (MARIA.curp, MARIA.nss, "persona", folio):
        assert dato not in archivo.name
    monkeypatch.setenv("ASISTENTE_DATA_DIR", str(embebido.settings.data_dir))
    monkeypatch.delenv("SMTP_URL", raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich sizes its table to the terminal
    runner = CliRunner()
    lista = runner.invoke(app, ["correo"])
    assert lista.exit_code == 0, lista.output
    assert OCULTO in lista.output and f"{folio}.pdf" in lista.output
    assert "Constancia de Vigencia de Derechos" in lista.output
    assert CORREO not in lista.output
    uno = runner.invoke(app, ["correo", "--ver", "1"])
    assert uno.exit_code == 0, uno.output
    assert f"Folio: {folio}" in uno.output and CORREO not in uno.output
    fuera = runner.invoke(app, ["correo", "--ver", "2"])
    assert fuera.exit_code == 1 and "No hay mensaje 2" in fuera.output


def test_erasing_the_person_empties_their_outbox_messages(embebido: Container) -> None:
    from bot.correo.buzon import Buzon
    from bot.erasure import erase_person

    chat = Chat(embebido.engine)
    chat.say(_boton(_constancia(chat)))
    otra = Chat(embebido.engine)
    de_jose = _constancia(otra, JOSE)
    otra.say(_boton(de_jose))
    assert len(list(embebido.settings.correo_dir.glob("*.eml"))) == 2
    counts = erase_person(embebido, MARIA.curp, "prueba")
    assert counts["correos_borrados"] == 1
    # José's message stays: only María asked to be forgotten.
    [queda] = Buzon(embebido.settings.correo_dir, remitente="").listar()
    assert queda.adjuntos == (f"{_folio(de_jose)}.pdf",)
