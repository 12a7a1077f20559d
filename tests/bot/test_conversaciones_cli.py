"""`asistente conversaciones exportar` and `borrar`, on the assistant's own database."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
from bot.container import Container
from tests.helpers import Chat

RUNNER = CliRunner()


def _nss_conversation(container: Container, index: int) -> tuple[Chat, str]:
    persona = container.services.registro.listar_personas(index + 1)[index]
    chat = Chat(container.engine, conversation_id=f"web-prueba-{index}")
    chat.say("quiero mi nss")
    chat.say(persona.curp)
    chat.say(str(persona.email))
    return chat, persona.curp


def _env(container: Container) -> dict[str, str]:
    settings = container.settings
    env = {"ASISTENTE_DATA_DIR": str(settings.asistente_data_dir)}
    if settings.database_url:
        env["DATABASE_URL"] = settings.database_url
    if settings.nlu_cache_dir:
        env["NLU_CACHE_DIR"] = str(settings.nlu_cache_dir)
    return env


def test_export_writes_every_event_once_with_message_ids(container: Container) -> None:
    chat, _curp = _nss_conversation(container, 0)
    result = RUNNER.invoke(app, ["conversaciones", "exportar", "--json"], env=_env(container))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    mine = [line for line in lines if line["conversation_id"] == chat.conversation_id]
    assert [line["seq"] for line in mine] == list(range(len(mine)))
    users = [line for line in mine if line["event"] == "user"]
    assert len(users) == 3 and len({u["message_id"] for u in users}) == 3
    only = RUNNER.invoke(
        app,
        ["conversaciones", "exportar", "--conversacion", chat.conversation_id, "--json"],
        env=_env(container),
    )
    assert len(only.output.splitlines()) == len(mine)


def test_erasure_forgets_the_persons_conversations_and_documents_and_keeps_a_record(
    container: Container,
) -> None:
    chat, curp = _nss_conversation(container, 0)
    other, _ = _nss_conversation(container, 1)
    documents = [e.document.path for e in container.engine.transcript(chat.conversation_id) if e.document]
    assert documents and all(Path(p).exists() for p in documents)
    result = RUNNER.invoke(
        app, ["conversaciones", "borrar", "--curp", curp, "--por", "prueba"], env=_env(container)
    )
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)
    assert counts["conversaciones"] == 1 and counts["eventos"] > 0 and counts["documentos_borrados"] == 1
    assert container.store.stored_events(chat.conversation_id) == []
    assert not container.engine.conversation_exists(chat.conversation_id)
    assert not any(Path(p).exists() for p in documents)
    # Somebody else's conversation is untouched.
    assert container.store.stored_events(other.conversation_id)
    from sqlalchemy import text

    with container.db.connect() as connection:
        (actor, subject, recorded) = connection.execute(
            text("SELECT actor, subject, counts FROM erasures")
        ).one()
    assert actor == "prueba" and curp not in subject and len(subject) == 64
    assert curp not in str(recorded)


def test_after_erasure_a_dump_of_the_database_holds_no_curp_nss_or_name(container: Container) -> None:
    import json as json_

    from tests.databases import database_dump

    persona = container.services.registro.listar_personas(3)[2]
    chat, curp = _nss_conversation(container, 2)
    assert persona.nss is not None and chat.say("necesito mi constancia de vigencia")
    nombre = persona.nombre_completo
    needles = [curp, persona.nss, nombre, json_.dumps(nombre)[1:-1]]
    before = b"".join(content for _name, content in database_dump(container.db, container.settings.data_dir))
    assert curp.encode() in before  # the search does see what is stored
    result = RUNNER.invoke(app, ["conversaciones", "borrar", "--curp", curp], env=_env(container))
    assert result.exit_code == 0, result.output
    for name, content in database_dump(container.db, container.settings.data_dir):
        for needle in needles:
            assert needle.encode() not in content, f"{needle} still in {name}"


def test_erasure_keeps_the_acuses_signed_with_the_persons_efirma(
    container: Container, tmp_path: Path
) -> None:
    from bot.engine import Document
    from bot.engine.events import BotUttered, UserUttered
    from bot.engine.ports import MessageKey

    curp = "XIQB891116MGRMZR05"
    acuse = tmp_path / "acuse-cuenta-IMSS-20261129-ABCDEFGH.pdf"
    acuse.write_bytes(b"%PDF-1.4 acuse")
    key = MessageKey("web-acuse", "web", "m1", "web")
    container.store.receive(key, [UserUttered(text=f"mi curp es {curp}")])
    sent = BotUttered(text="Tu acuse", document=Document(str(acuse), acuse.name))
    container.store.finish(key, [sent], snapshot={})
    result = RUNNER.invoke(app, ["conversaciones", "borrar", "--curp", curp], env=_env(container))
    counts = json.loads(result.output)
    assert counts["acuses_conservados"] == 1 and counts["conversaciones"] == 1
    assert acuse.exists() and container.store.stored_events("web-acuse") == []
