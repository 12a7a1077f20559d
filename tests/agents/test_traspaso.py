"""How a conversation reaches an agent, and what the supervisors' NLU review queue collects from it.

Through the engine (real NLU, in-process actions) with the desk's clock in the test's hands.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from actions.servicios import servicios
from bot.agents.tablas import CUENTAS
from bot.container import Container
from nlu.datos import leer_ejemplos_yaml
from tests.agents.conftest import Reloj
from tests.helpers import Chat

NO_ENTIENDE = "lo del papel ese"


@pytest.fixture
def chat(container: Container) -> Chat:
    """A person on the web chat channel."""
    return Chat(container.engine, "web-traspaso", channel="web")


def test_three_misunderstandings_offer_an_agent_and_a_typed_si_accepts(
    chat: Chat, container: Container
) -> None:
    assert chat.say(NO_ENTIENDE) == container.engine.text("utter_quisiste_decir")
    chat.say(NO_ENTIENDE)
    oferta = chat.send(NO_ENTIENDE)
    assert "¿Quieres que te comunique con un agente?" in oferta[0].text
    dicho = chat.say("sí")
    assert "te comunico con una persona" in dicho and "lugar 1" in dicho
    traspaso = container.mesa.cola.traspaso(chat.conversation_id)
    assert traspaso is not None and (traspaso.estado, traspaso.motivo) == ("esperando", "fallas")
    resumen = container.mesa.consola.transcripcion(chat.conversation_id).resumen
    assert resumen.fallo.startswith("Creo que no te estoy entendiendo")


def test_the_offered_button_also_accepts_and_no_sigo_aqui_does_not(container: Container) -> None:
    acepta = Chat(container.engine, "web-boton", channel="web")
    for _ in range(3):
        acepta.send(NO_ENTIENDE)
    assert "lugar 1" in acepta.say("1")  # the first option, typed as its number
    rechaza = Chat(container.engine, "web-no", channel="web")
    for _ in range(3):
        rechaza.send(NO_ENTIENDE)
    rechaza.say("2")
    assert container.mesa.cola.traspaso(rechaza.conversation_id) is None
    # A "sí" with nothing offered is just a "sí": the menu.
    assert "¿En qué te ayudo?" in Chat(container.engine, "web-si", channel="web").say("sí")


def test_a_failure_the_bot_cannot_recover_from_offers_the_agent(
    chat: Chat, container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    import actions.nss

    def falla(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("el registro no responde")

    monkeypatch.setattr(actions.nss, "consultar_nss", falla)
    persona = next(p for p in servicios().registro.listar_personas(50) if p.email and p.nss)
    chat.say("quiero mi nss")
    chat.say(persona.curp)
    error = chat.send(persona.email or "")
    assert "algo falló de mi lado" in error[-1].text
    assert [b.payload for b in error[-1].buttons] == ["/hablar_con_agente"]
    assert "lugar 1" in chat.say(error[-1].buttons[0].payload)
    traspaso = container.mesa.cola.traspaso(chat.conversation_id)
    assert traspaso is not None and traspaso.motivo == "error"
    resumen = container.mesa.consola.transcripcion(chat.conversation_id).resumen
    assert resumen.queria == "Consultar mi NSS" and "algo falló" in resumen.fallo


def test_the_review_queue_counts_misses_and_leaves_out_personal_data_and_taps(container: Container) -> None:
    for n in range(2):
        Chat(container.engine, f"web-r{n}", channel="web").say(NO_ENTIENDE)
    Chat(container.engine, "web-r2", channel="web").say("LO DEL PAPEL ÉSE")
    Chat(container.engine, "web-r3", channel="web").say("mi curp XIQB891116MGRMZR05 lo del papel")
    Chat(container.engine, "web-r4", channel="web").say("quiero hablar con una persona")
    Chat(container.engine, "web-r5", channel="web").say("/hablar_con_agente")
    revision = container.mesa.revision
    revision.recoger()
    casos = {c.texto: c for c in revision.casos()}
    assert set(casos) == {NO_ENTIENDE, "quiero hablar con una persona"}
    assert casos[NO_ENTIENDE].veces == 3 and casos[NO_ENTIENDE].motivos == ("no_entendido",)
    assert casos["quiero hablar con una persona"].motivos == ("agente",)
    # Collecting again counts nothing twice.
    revision.recoger()
    assert revision.casos()[0].veces == 3


def test_messages_typed_at_a_sensitive_step_never_reach_the_review_queue(container: Container) -> None:
    # What the engine stores for text typed while the e.firma password is asked: redacted, unparsed.
    # Even followed by a fallback (a resumed turn, a policy change), it is never a review candidate.
    from bot.engine.events import ActionExecuted, ParseData, UserUttered
    from bot.engine.ports import MessageKey
    from bot.engine.redaction import REDACTED

    for n, texto in enumerate((REDACTED, NO_ENTIENDE)):
        key = MessageKey("web-sensible", "web", f"m{n}", "web")
        container.store.receive(key, [UserUttered(text=texto, parse=ParseData(text=texto))])
        container.store.finish(key, [ActionExecuted(name="action_default_fallback")], {})
    container.mesa.revision.recoger()
    assert [c.texto for c in container.mesa.revision.casos()] == [NO_ENTIENDE]


def test_a_review_writes_a_rasa_example_the_nlu_trains_from(container: Container, tmp_path: Path) -> None:
    Chat(container.engine, "web-rev", channel="web").say(NO_ENTIENDE)
    revision = container.mesa.revision
    revision.recoger()
    [caso] = revision.casos()
    revision.revisar(caso.id, "obtener_nss", "sofia")
    archivo = container.settings.effective_nlu_revisados_file
    assert archivo.parent == tmp_path / "nlu"
    ejemplos = leer_ejemplos_yaml(archivo)
    assert [(e.text, e.intent) for e in ejemplos] == [(NO_ENTIENDE, "obtener_nss")]
    assert revision.casos() == []
    Chat(container.engine, "web-rev2", channel="web").say("lo de la hoja esa")
    revision.recoger()
    [otro] = revision.casos()
    revision.revisar(otro.id, "fuera_de_alcance", "sofia")
    intents = sorted((e.intent, e.text) for e in leer_ejemplos_yaml(archivo))
    assert intents == [("fuera_de_alcance", otro.texto), ("obtener_nss", NO_ENTIENDE)]
    assert [c.texto for c in revision.casos("fuera")] == [otro.texto]
    assert not list(archivo.parent.glob(".revisados-*"))  # no temporary file left behind


def test_agentes_crear_makes_an_account_that_can_log_in(
    tmp_path: Path, nlu_cache_dir: Path, monkeypatch: pytest.MonkeyPatch, reloj: Reloj
) -> None:
    from bot.cli import app
    from bot.container import build_container
    from tests.databases import fresh_database_url
    from tests.helpers import make_settings

    datos = tmp_path / "cli"
    url = fresh_database_url(str(datos))
    monkeypatch.setenv("ASISTENTE_DATA_DIR", str(datos))
    monkeypatch.setenv("NLU_CACHE_DIR", str(nlu_cache_dir))
    if url is not None:
        monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    hecho = runner.invoke(
        app,
        ["agentes", "crear", "lucia", "--rol", "supervisor", "--password-stdin"],
        input="una-contraseña-muy-larga\n",
    )
    assert hecho.exit_code == 0, hecho.output
    assert "lucia" in hecho.output
    corta = runner.invoke(app, ["agentes", "crear", "pepe", "--password-stdin"], input="corta\n")
    assert corta.exit_code == 1 and "al menos 12" in corta.output
    repetida = runner.invoke(
        app, ["agentes", "crear", "lucia", "--password-stdin"], input="otra-contraseña-larga\n"
    )
    assert repetida.exit_code == 1 and "Ya existe" in repetida.output
    container = build_container(make_settings(datos, nlu_cache_dir, database_url=url))
    try:
        cuenta = container.mesa.cuentas.autenticar("lucia", "una-contraseña-muy-larga")
        assert cuenta.supervisor
        with container.db.connect() as conexion:
            guardado = conexion.execute(
                select(CUENTAS.c.hash).where(CUENTAS.c.usuario == "lucia")
            ).scalar_one()
        assert guardado.startswith("$argon2id$") and "una-contraseña" not in guardado
    finally:
        container.db.dispose()


def test_erasing_a_person_takes_their_conversations_out_of_the_queue_and_keeps_the_audit(
    container: Container,
) -> None:
    from bot.agents.auditoria import registros
    from bot.erasure import erase_person

    persona = next(p for p in servicios().registro.listar_personas(50) if p.email and p.nss)
    chat = Chat(container.engine, "whatsapp-5215512345678", channel="whatsapp")
    chat.say("quiero mi nss")
    chat.say(persona.curp)
    chat.say("quiero hablar con una persona")
    container.mesa.consola.tomar(chat.conversation_id, "ana")
    assert [f.id for f in container.mesa.consola.conversaciones()] == [chat.conversation_id]

    counts = erase_person(container, persona.curp, "operador")

    assert counts["traspasos"] == 1 and counts["auditoria_desvinculada"] == 2
    assert container.mesa.consola.conversaciones() == []
    assert container.mesa.cola.traspaso(chat.conversation_id) is None
    acciones = [(r.accion, r.agente, r.conversation_id) for r in registros(container.db)]
    assert acciones == [("tomar", "ana", None), ("en_cola", None, None)]
