"""action_enviar_por_correo against real documents: what is sent, to whom, and every refusal."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from actions.correo import ActionEnviarPorCorreo
from actions.nss import ActionObtenerNss
from actions.servicios import Servicios
from tests.actions.tracker import domain, textos, tracker
from tramites.correo import CorreoNoEnviado, MensajeCorreo
from tramites.db import TramitesBase
from tramites.limites import Limitador, Regla


class Buzon:
    """Keeps what it is given; `falla` makes it behave like a server that is down."""

    def __init__(self, falla: bool = False) -> None:
        self.enviados: list[MensajeCorreo] = []
        self.falla = falla

    def enviar(self, mensaje: MensajeCorreo) -> None:
        if self.falla:
            raise CorreoNoEnviado("servidor caído")
        self.enviados.append(mensaje)


def _emitir(s: Servicios) -> tuple[str, Path]:
    """Issue a comprobante de NSS through its action: (folio, path)."""
    persona = s.registro.listar_personas(1)[0]
    dispatcher = CollectingDispatcher()
    ActionObtenerNss().run(dispatcher, tracker({"curp": persona.curp, "email": persona.email}), domain())
    documento = dispatcher.messages[1]
    return str(documento["folio"]), Path(documento["custom"]["document"]["path"])


def _pulsar(folio: str | None, slots: dict[str, Any], **kwargs: Any) -> list[str]:
    entidades = [{"entity": "folio", "value": folio}] if folio else []
    dispatcher = CollectingDispatcher()
    ActionEnviarPorCorreo().run(dispatcher, tracker(slots, entities=entidades, **kwargs), domain())
    return textos(dispatcher.messages)


def test_the_button_sends_that_document_to_the_persons_email(servicios_demo: Servicios) -> None:
    servicios_demo.correo = buzon = Buzon()
    folio, ruta = _emitir(servicios_demo)
    said = _pulsar(folio, {"documentos_emitidos": [folio], "email": "ana.lopez@correo.mx"})
    assert said[0].startswith("Listo, te lo envié a a***@correo.mx.")
    [mensaje] = buzon.enviados
    assert mensaje.destinatario == "ana.lopez@correo.mx"
    assert [(a.nombre, a.contenido) for a in mensaje.adjuntos] == [(f"{folio}.pdf", ruta.read_bytes())]


def test_no_email_in_the_conversation_sends_nothing(servicios_demo: Servicios) -> None:
    servicios_demo.correo = buzon = Buzon()
    folio, _ = _emitir(servicios_demo)
    said = _pulsar(folio, {"documentos_emitidos": [folio], "email": None})
    assert said[0].startswith("No me diste tu correo en esta conversación")
    assert buzon.enviados == []


def test_a_payload_the_bot_never_offered_sends_nothing(servicios_demo: Servicios) -> None:
    servicios_demo.correo = buzon = Buzon()
    folio, _ = _emitir(servicios_demo)
    slots = {"documentos_emitidos": [folio], "email": "ana@correo.mx"}
    said = _pulsar(None, slots, metadata={"payload_refused": True})
    assert said[0].startswith("Solo te puedo enviar por correo los documentos que te di en esta conversación")
    assert buzon.enviados == []


def test_a_document_erased_since_is_explained(servicios_demo: Servicios) -> None:
    servicios_demo.correo = buzon = Buzon()
    folio, ruta = _emitir(servicios_demo)
    ruta.unlink()
    said = _pulsar(folio, {"documentos_emitidos": [folio], "email": "ana@correo.mx"})
    assert said[0].startswith("Ya no tengo ese documento para enviártelo.")
    assert buzon.enviados == []


def test_a_server_that_refuses_gets_a_retry_later_reply(servicios_demo: Servicios) -> None:
    servicios_demo.correo = Buzon(falla=True)
    folio, _ = _emitir(servicios_demo)
    said = _pulsar(folio, {"documentos_emitidos": [folio], "email": "ana@correo.mx"})
    assert said[0].startswith("No pude enviar el correo en este momento.")


def test_presses_beyond_the_limit_wait(servicios_demo: Servicios, tmp_path: Path) -> None:
    motor = create_engine(f"sqlite:///{tmp_path / 'limites.db'}")
    TramitesBase.metadata.create_all(motor)
    regla = Regla("correos", maximo=2, ventana=timedelta(hours=1))
    servicios_demo.limites = Limitador(sessionmaker(motor), {"correos": regla}, Fernet.generate_key())
    servicios_demo.correo = buzon = Buzon()
    folio, _ = _emitir(servicios_demo)
    slots = {"documentos_emitidos": [folio], "email": "ana@correo.mx"}
    said = [_pulsar(folio, slots)[0] for _ in range(3)]
    assert len(buzon.enviados) == 2
    assert said[2].startswith("Ya te envié varios correos hace poco. Vuelve a intentarlo en 60 minutos.")
