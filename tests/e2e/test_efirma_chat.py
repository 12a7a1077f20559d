"""The e.firma chat flows through the whole engine: crear cuenta, actualizar datos, and their security.

Real NLU, in-process rasa-sdk actions, SQLite, a test CA in EFIRMA_CA_DIR and SAT-like leaves valid now.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from actions.servicios import ZONA, instalar, servicios
from bot.container import Container, build_container
from bot.engine import Attachment, Incoming, Outgoing
from bot.engine.tracker import TrackerState
from tests.conftest import REPO_ROOT
from tests.databases import database_dump
from tests.efirma_factory import (
    PASSWORD_FIXTURES,
    CaPrueba,
    con_iteraciones,
    crear_ca,
    crear_csd,
    crear_fiel,
    directorio_fixtures,
)
from tests.helpers import Chat, make_settings, pdf_text
from tramites.cuenta_efirma import firma_del_acuse
from tramites.documentos import verificar_pdf
from tramites.efirma import LlaveDerivacionExcesiva, leer_certificado, verificar_firma
from tramites.efirma.custodia import ArchivoCustodiadoRow
from tramites.identidad import digito_rfc
from tramites.registro import Persona

PASSWORD = "Tlacuache-Azul-7731"
WRONG_PASSWORD = "Ajolote-Rosa-4410"
INICIO_CUENTA = "quiero abrir mi cuenta del escritorio virtual con mi efirma"
INICIO_DATOS = "quiero actualizar mi correo y mi telefono"


@dataclass(frozen=True)
class Fiel:
    """An e.firma built for a test person."""

    cer: bytes
    key: bytes
    password: str
    rfc: str

    def cer_adjunto(self, nombre: str = "mi_efirma.cer") -> Attachment:
        """The .cer as the person uploads it."""
        return Attachment(nombre, "application/pkix-cert", self.cer)

    def key_adjunto(self, nombre: str = "Claveprivada_FIEL.key") -> Attachment:
        """The .key as the person uploads it."""
        return Attachment(nombre, "application/octet-stream", self.key)


def rfc_de(curp: str) -> str:
    """A well-formed RFC (with a valid check digit) for a persona física with that CURP."""
    base = curp[:10] + "K7"
    return base + digito_rfc(base)


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CaPrueba:
    """The test CA; its folder is EFIRMA_CA_DIR."""
    return crear_ca(tmp_path_factory.mktemp("ca-confianza"))


@pytest.fixture
def container(tmp_path: Path, nlu_cache_dir: Path, ca: CaPrueba) -> Iterator[Container]:
    """The assistant on embedded defaults, trusting the test CA."""
    assert ca.ruta is not None
    built = build_container(make_settings(tmp_path / "datos", nlu_cache_dir, efirma_ca_dir=ca.ruta.parent))
    yield built
    instalar(None)
    built.db.dispose()


@pytest.fixture
def chat(container: Container) -> Chat:
    """A new conversation on the terminal channel."""
    return Chat(container.engine)


@pytest.fixture
def persona(container: Container) -> Persona:
    """A person of the demo registry with email and phone."""
    return next(p for p in servicios().registro.listar_personas(50) if p.email and p.telefono)


@pytest.fixture
def fiel(ca: CaPrueba, persona: Persona) -> Fiel:
    """The person's e.firma, valid now, issued by the trusted CA."""
    rfc = rfc_de(persona.curp)
    cer, key, password = crear_fiel(ca, rfc, persona.curp, persona.nombre_completo.upper(), password=PASSWORD)
    return Fiel(cer, key, password, rfc)


def textos(replies: list[Outgoing]) -> str:
    """Every reply text, one per line."""
    return "\n".join(r.text for r in replies)


def hasta_el_cer(chat: Chat, persona: Persona, fiel: Fiel) -> None:
    """Start the account form and give the CURP and the RFC: the .cer is asked next."""
    chat.say(INICIO_CUENTA)
    chat.say(persona.curp)
    chat.say(fiel.rfc)


def hasta_la_contrasena(chat: Chat, persona: Persona, fiel: Fiel) -> None:
    """Walk the account form up to the password question."""
    assert "CURP" in chat.say(INICIO_CUENTA)
    assert "RFC" in chat.say(persona.curp)
    assert ".cer" in chat.say(fiel.rfc)
    respuesta = textos(chat.send(attachment=fiel.cer_adjunto()))
    assert "Recibí tu certificado" in respuesta and ".key" in respuesta
    assert "contraseña" in textos(chat.send(attachment=fiel.key_adjunto()))


def estado(container: Container, chat: Chat) -> TrackerState:
    """The conversation's tracker, rebuilt from the store."""
    return container.engine.tracker(chat.conversation_id)


def vault_vacio(conversation_id: str | None = None) -> bool:
    """No upload is held (for the conversation, or at all)."""
    vault = servicios().vault
    assert vault is not None
    return vault.count(conversation_id) == 0


# ------------------------------------------------------------------------------------ crear cuenta


def test_crear_cuenta_returns_a_signed_acuse(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    certificado = leer_certificado(fiel.cer)
    assert "CURP" in chat.say(INICIO_CUENTA)
    respuesta = chat.say(persona.curp)
    assert "RFC" in respuesta and "correo que tienes registrado" in respuesta
    assert ".cer" in chat.say(fiel.rfc)
    respuesta = textos(chat.send(attachment=fiel.cer_adjunto()))
    # Checked right away and said whose it is, before asking for the key.
    assert f"e.firma de {persona.nombre_completo.upper()}" in respuesta
    assert f"RFC {fiel.rfc[:4]}" in respuesta and fiel.rfc not in respuesta
    assert certificado.numero_certificado in respuesta
    assert respuesta.index("Recibí tu certificado") < respuesta.index(".key")
    assert "contraseña" in textos(chat.send(attachment=fiel.key_adjunto()))
    assert estado(container, chat).requested_slot == "efirma_password"

    respuesta = textos(chat.send(fiel.password))
    assert "firmó la solicitud" in respuesta and "acepto" in respuesta.lower()
    assert fiel.password not in respuesta
    assert vault_vacio(chat.conversation_id), "the key must be wiped as soon as the signature is made"

    replies = chat.send("acepto")
    assert "Abrí tu cuenta" in textos(replies)
    document = next(r.document for r in replies if r.document is not None)
    assert document.mime == "application/pdf"
    contenido = pdf_text(document.path)
    cuenta = servicios().registro.cuenta(persona.curp)
    assert cuenta is not None
    assert fiel.rfc in contenido and certificado.numero_certificado in contenido
    assert cuenta.acuse_folio in contenido and cuenta.acuse_folio in textos(replies)
    assert (cuenta.rfc, cuenta.numero_certificado) == (fiel.rfc, certificado.numero_certificado)
    assert cuenta.valido_hasta == certificado.valido_hasta
    assert cuenta.email == persona.email

    # Our sello is intact, and the person's firma verifies against the cadena they signed.
    s = servicios()
    verificado = verificar_pdf(Path(document.path).read_bytes(), s.emisor.claves, s.emisor.folios)
    assert verificado.folio == cuenta.acuse_folio
    firma = firma_del_acuse(verificado.documento)
    assert firma is not None
    cadena, sello = firma
    assert persona.curp in cadena and fiel.rfc in cadena and certificado.numero_certificado in cadena
    assert verificar_firma(certificado, cadena, sello)
    assert not verificar_firma(certificado, cadena.replace(persona.curp, "XIQB891116MGRMZR05"), sello)

    final = estado(container, chat)
    assert final.active_loop is None
    assert all(
        final.slots[s] is None for s in ("efirma_cer", "efirma_key", "efirma_password", "efirma_sello")
    )
    assert vault_vacio()


def test_second_account_for_the_same_curp_is_refused(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_la_contrasena(chat, persona, fiel)
    chat.send(fiel.password)
    chat.send("acepto")
    respuesta = chat.say(INICIO_CUENTA)
    assert "Ya tienes una cuenta" in respuesta
    assert estado(container, chat).active_loop is None


def test_person_not_in_registry_is_asked_for_an_email(chat: Chat, ca: CaPrueba) -> None:
    curp = "XIQB891116MGRMZR05"
    rfc = rfc_de(curp)
    cer, key, password = crear_fiel(ca, rfc, curp, "BLANCA XIQUE", password=PASSWORD)
    chat.say(INICIO_CUENTA)
    chat.say(curp)
    assert "correo" in chat.say(rfc).lower()
    assert ".cer" in chat.say("blanca@example.com")
    chat.send(attachment=Attachment("x.cer", "application/pkix-cert", cer))
    chat.send(attachment=Attachment("x.key", "application/octet-stream", key))
    chat.send(password)
    replies = chat.send("si acepto")
    assert any(r.document for r in replies)
    cuenta = servicios().registro.cuenta(curp)
    assert cuenta is not None and cuenta.email == "blanca@example.com"


def test_not_accepting_the_terms_opens_nothing(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_la_contrasena(chat, persona, fiel)
    chat.send(fiel.password)
    respuesta = chat.say("no acepto")
    assert "no envié tu solicitud" in respuesta
    assert servicios().registro.cuenta(persona.curp) is None
    assert estado(container, chat).active_loop is None


def test_a_doubt_at_the_terms_keeps_the_signature_and_asks_again(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_la_contrasena(chat, persona, fiel)
    chat.send(fiel.password)
    assert "Respóndeme «acepto» o «no acepto»" in chat.say("mmm no se")
    assert estado(container, chat).active_loop == "cuenta_form"
    replies = chat.send("acepto")
    assert any(r.document for r in replies)
    assert servicios().registro.cuenta(persona.curp) is not None


# --------------------------------------------------------------------------------- actualizar datos


def test_actualizar_datos_updates_the_registry_and_returns_an_acuse(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    certificado = leer_certificado(fiel.cer)
    assert "CURP" in chat.say(INICIO_DATOS)
    assert "correo" in chat.say(persona.curp).lower()
    assert "teléfono" in chat.say("nuevo.correo@example.mx")
    assert ".cer" in chat.say("55 1234 9876")
    assert "Recibí tu certificado" in textos(chat.send(attachment=fiel.cer_adjunto()))
    assert "contraseña" in textos(chat.send(attachment=fiel.key_adjunto()))
    respuesta = textos(chat.send(fiel.password))
    assert "nuevo.correo@example.mx" in respuesta and "5512349876" in respuesta and "Confirmas" in respuesta
    assert vault_vacio(chat.conversation_id)
    replies = chat.send("si")
    assert "Actualicé tus medios de contacto" in textos(replies)
    actualizada = servicios().registro.persona_por_curp(persona.curp)
    assert actualizada is not None
    assert (actualizada.email, actualizada.telefono) == ("nuevo.correo@example.mx", "5512349876")
    document = next(r.document for r in replies if r.document is not None)
    contenido = pdf_text(document.path)
    assert "nuevo.correo@example.mx" in contenido and certificado.numero_certificado in contenido
    s = servicios()
    verificado = verificar_pdf(Path(document.path).read_bytes(), s.emisor.claves, s.emisor.folios)
    firma = firma_del_acuse(verificado.documento)
    assert firma is not None and verificar_firma(certificado, *firma)
    assert "5512349876" in firma[0]
    assert estado(container, chat).active_loop is None


def test_actualizar_datos_needs_a_registered_curp(chat: Chat) -> None:
    chat.say(INICIO_DATOS)
    assert "No encontramos un registro" in chat.say("CACX760510MGTSHC04")


def test_actualizar_datos_declined_changes_nothing(chat: Chat, persona: Persona, fiel: Fiel) -> None:
    chat.say(INICIO_DATOS)
    chat.say(persona.curp)
    chat.say("el mismo")
    chat.say("5511112222")
    chat.send(attachment=fiel.cer_adjunto())
    chat.send(attachment=fiel.key_adjunto())
    confirmacion = textos(chat.send(fiel.password))
    assert persona.email is not None and persona.email in confirmacion
    assert "no cambié nada" in chat.say("no")
    sin_cambio = servicios().registro.persona_por_curp(persona.curp)
    assert sin_cambio is not None and sin_cambio.telefono == persona.telefono


# ----------------------------------------------------------------------------------- contraseña


def test_wrong_password_says_how_many_attempts_remain(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_la_contrasena(chat, persona, fiel)
    respuesta = textos(chat.send(WRONG_PASSWORD))
    assert "contraseña de tu llave privada no es correcta" in respuesta
    assert "Te quedan 2 intentos" in respuesta
    assert WRONG_PASSWORD not in respuesta
    state = estado(container, chat)
    assert state.active_loop == "cuenta_form" and state.requested_slot == "efirma_password"
    assert "Te queda 1 intento" in textos(chat.send(WRONG_PASSWORD + "x"))
    assert "firmó la solicitud" in textos(chat.send(fiel.password))


class Reloj:
    """The actions' clock, moved by hand."""

    def __init__(self) -> None:
        self.ahora = datetime.now(ZONA)

    def __call__(self) -> datetime:
        return self.ahora


def test_three_wrong_passwords_pause_efirma_for_15_minutes(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    reloj = Reloj()
    servicios().ahora = reloj
    hasta_la_contrasena(chat, persona, fiel)
    chat.send("uno-mal-1")
    chat.send("dos-mal-2")
    respuesta = textos(chat.send("tres-mal-3"))
    reanuda = (reloj.ahora + timedelta(minutes=15)).strftime("%H:%M")
    assert (
        "pausé los trámites con e.firma" in respuesta and "15 minutos" in respuesta and reanuda in respuesta
    )
    assert "no leo lo que escribas" in respuesta and "Escribe otra vez" not in respuesta
    # The password step stays open (what is typed there may be a password), the files are gone.
    state = estado(container, chat)
    assert state.active_loop == "cuenta_form" and state.requested_slot == "efirma_password"
    assert vault_vacio(chat.conversation_id)

    reloj.ahora += timedelta(minutes=5)
    assert "pausé los trámites con e.firma" in chat.say(INICIO_CUENTA)
    assert "pausé los trámites con e.firma" in chat.say(INICIO_DATOS)
    reloj.ahora += timedelta(minutes=9, seconds=50)
    assert "pausé los trámites con e.firma" in chat.say(fiel.password)
    assert estado(container, chat).requested_slot == "efirma_password"

    reloj.ahora += timedelta(seconds=20)
    # The pause is over; the files were wiped when it started, so they are asked again.
    assert ".cer" in chat.say(fiel.password)
    chat.send(attachment=fiel.cer_adjunto())
    chat.send(attachment=fiel.key_adjunto())
    assert "Te quedan 2 intentos" in textos(chat.send("otra-vez-mal"))


def test_password_message_is_deleted_where_the_channel_can(
    container: Container, persona: Persona, fiel: Fiel
) -> None:
    chat = Chat(container.engine, channel="telegram")
    hasta_la_contrasena(chat, persona, fiel)
    message_id = "tg-7001"
    incoming = Incoming(
        conversation_id=chat.conversation_id,
        channel="telegram",
        sender="persona",
        message_id=message_id,
        text=WRONG_PASSWORD,
        deletable=True,
    )
    replies = asyncio.run(container.engine.handle(incoming))
    deletion = replies[0].deletion
    assert deletion is not None and deletion.message_id == message_id
    assert deletion.deleted_text == "Borré tu mensaje con la contraseña por seguridad."
    assert "Bórralo tú" in deletion.not_deleted_text
    assert all(r.deletion is None for r in replies[1:])


def test_a_button_tapped_at_the_password_question_is_not_an_attempt(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_la_contrasena(chat, persona, fiel)
    # A tapped button is an explicit switch of trámite, not a password: no attempt is spent and
    # the held key is wiped with the abandoned form.
    respuesta = chat.say("/obtener_nss")
    assert "intento" not in respuesta and persona.nss is not None and persona.nss in respuesta
    state = estado(container, chat)
    assert state.active_loop is None and state.slots["efirma_intentos"] in (None, 0)
    assert vault_vacio(chat.conversation_id)


def test_terminal_does_not_claim_to_delete_the_password(chat: Chat, persona: Persona, fiel: Fiel) -> None:
    hasta_la_contrasena(chat, persona, fiel)
    replies = chat.send(WRONG_PASSWORD)
    assert all(r.deletion is None for r in replies)
    assert "Borré tu mensaje" not in textos(replies)


def test_a_new_conversation_gets_no_fresh_attempts_for_the_same_certificate(
    container: Container, persona: Persona, fiel: Fiel
) -> None:
    reloj = Reloj()
    servicios().ahora = reloj
    primera = Chat(container.engine)
    hasta_la_contrasena(primera, persona, fiel)
    for intento in ("uno-mal-1", "dos-mal-2", "tres-mal-3"):
        primera.send(intento)
    reloj.ahora += timedelta(minutes=1)
    segunda = Chat(container.engine, channel="telegram")
    segunda.say(INICIO_CUENTA)
    segunda.say(persona.curp)
    segunda.say(fiel.rfc)
    respuesta = textos(segunda.send(attachment=fiel.cer_adjunto()))
    reanuda = (reloj.ahora + timedelta(minutes=14)).strftime("%H:%M")
    assert "pausé los trámites con e.firma" in respuesta and reanuda in respuesta
    assert "Recibí tu certificado" not in respuesta
    assert estado(container, segunda).active_loop is None
    assert vault_vacio()


def test_the_right_password_is_refused_during_another_conversations_pause(
    container: Container, persona: Persona, fiel: Fiel
) -> None:
    reloj = Reloj()
    servicios().ahora = reloj
    atacante, persona_real = Chat(container.engine), Chat(container.engine)
    hasta_la_contrasena(atacante, persona, fiel)
    hasta_la_contrasena(persona_real, persona, fiel)
    assert "Te quedan 2 intentos" in textos(atacante.send("uno-mal-1"))
    assert "Te queda 1 intento" in textos(persona_real.send("dos-mal-2")), "one count per certificate"
    assert "pausé los trámites con e.firma" in textos(atacante.send("tres-mal-3"))
    respuesta = textos(persona_real.send(fiel.password))
    assert "pausé los trámites con e.firma" in respuesta and "firmó" not in respuesta
    assert servicios().registro.cuenta(persona.curp) is None
    assert vault_vacio()

    reloj.ahora += timedelta(minutes=15, seconds=1)
    assert ".cer" in persona_real.say(fiel.password)
    persona_real.send(attachment=fiel.cer_adjunto())
    persona_real.send(attachment=fiel.key_adjunto())
    assert "firmó la solicitud" in textos(persona_real.send(fiel.password))


def test_what_is_typed_after_the_pause_is_never_stored_parsed_or_logged(
    container: Container,
    persona: Persona,
    fiel: Fiel,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    chat = Chat(container.engine)
    hasta_la_contrasena(chat, persona, fiel)
    for intento in ("uno-mal-1", "dos-mal-2", "tres-mal-3"):
        chat.send(intento)
    leidos: list[str] = []
    parse = container.interpreter.parse

    def espia(texto: str) -> object:
        leidos.append(texto)
        return parse(texto)

    monkeypatch.setattr(container.interpreter, "parse", espia)
    cuarta, quinta = "Cuarta-Clave-9981", "Quinta-Clave-5517"
    assert "pausé los trámites con e.firma" in chat.say(cuarta)
    assert "no leo lo que escribas" in chat.say(quinta)
    assert cuarta not in leidos and quinta not in leidos
    eventos = json.dumps(container.store.stored_events(chat.conversation_id), ensure_ascii=False)
    assert cuarta not in eventos and quinta not in eventos and "••••••" in eventos
    logs = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert cuarta not in logs and quinta not in logs
    assert "cancelé" in chat.say("cancelar")
    for nombre, contenido in database_dump(container.db, container.settings.data_dir):
        assert cuarta.encode() not in contenido and quinta.encode() not in contenido, nombre


def _archivos_sqlite(container: Container) -> list[tuple[str, bytes]]:
    """The SQLite database file and its write-ahead log as they are on disk now, engine still open."""
    base = Path(container.db.url.database or "")
    return [(p.name, p.read_bytes()) for p in (base, base.with_name(base.name + "-wal")) if p.is_file()]


def test_a_real_sat_key_leaves_no_trace_in_the_database_or_its_wal(
    container: Container, ca: CaPrueba, persona: Persona
) -> None:
    ruta = directorio_fixtures() / "satcfdi" / "xiqb891116qe4.key"
    key_sat = ruta.read_bytes()
    llave = serialization.load_der_private_key(key_sat, password=PASSWORD_FIXTURES.encode())
    assert isinstance(llave, rsa.RSAPrivateKey)
    # SAT's real key file, with a certificate for its public key from the trusted test CA.
    rfc = rfc_de(persona.curp)
    cer, _otra, _ = crear_fiel(ca, rfc, persona.curp, persona.nombre_completo.upper(), llave=llave)
    chat = Chat(container.engine)
    chat.say(INICIO_CUENTA)
    chat.say(persona.curp)
    chat.say(rfc)
    chat.send(attachment=Attachment("mi_efirma.cer", "application/pkix-cert", cer))
    assert "contraseña" in textos(
        chat.send(attachment=Attachment(ruta.name, "application/octet-stream", key_sat))
    )
    with container.sessions() as s:
        fichas = [bytes(c) for c in s.scalars(select(ArchivoCustodiadoRow.ciphertext))]
    assert len(fichas) == 2 and all(key_sat not in f for f in fichas)
    assert "firmó la solicitud" in textos(chat.send(PASSWORD_FIXTURES))
    assert vault_vacio()

    buscados = [key_sat, key_sat[100:400], key_sat[-300:]]
    buscados += [f for ficha in fichas for f in (ficha, ficha[40:200], ficha[-200:])]
    archivos = _archivos_sqlite(container) if container.db.url.get_backend_name() == "sqlite" else []
    archivos += database_dump(container.db, container.settings.data_dir)
    assert archivos and any(persona.curp.encode() in contenido for _n, contenido in archivos)
    for nombre, contenido in archivos:
        for buscado in buscados:
            assert buscado not in contenido, f"key or its held copy found in {nombre}"


def test_key_and_password_never_reach_the_database_files_or_logs(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    hasta_la_contrasena(chat, persona, fiel)
    chat.send(WRONG_PASSWORD)
    chat.send(fiel.password)
    replies = chat.send("acepto")
    assert any(r.document for r in replies)

    abierta = serialization.load_der_private_key(fiel.key, password=fiel.password.encode())
    llave_clara = abierta.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    secretos_bytes = [fiel.key, fiel.key[-200:], llave_clara[-300:]]
    secretos_texto = [
        fiel.password,
        WRONG_PASSWORD,
        base64.b64encode(fiel.key).decode(),
        base64.b64encode(fiel.key).decode()[100:160],
        base64.b64encode(llave_clara).decode()[200:260],
        fiel.key.hex()[200:280],
    ]
    archivos = database_dump(container.db, container.settings.data_dir)
    # The search does see what is stored: the CURP is there.
    assert any(persona.curp.encode() in contenido for _nombre, contenido in archivos)
    for nombre, contenido in archivos:
        for secreto in secretos_bytes:
            assert secreto not in contenido, f"key bytes found in {nombre}"
        for texto in secretos_texto:
            assert texto.encode() not in contenido, f"secret found in {nombre}"
    logs = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    assert "Wrong e.firma password" in caplog.text, "the flow's own log lines must be captured"
    for texto in secretos_texto:
        assert texto not in logs
    eventos = json.dumps(container.store.stored_events(chat.conversation_id), ensure_ascii=False)
    assert fiel.password not in eventos and WRONG_PASSWORD not in eventos
    assert "••••••" in eventos


def test_password_typed_where_the_key_file_goes_is_not_stored(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_el_cer(chat, persona, fiel)
    chat.send(attachment=fiel.cer_adjunto())
    reply = chat.say(fiel.password)
    assert ".key" in reply
    assert estado(container, chat).requested_slot == "efirma_key"
    eventos = json.dumps(container.store.stored_events(chat.conversation_id), ensure_ascii=False)
    assert fiel.password not in eventos


# ---------------------------------------------------------------------------------- wrong files


def test_csd_is_refused_and_the_cer_asked_again(
    chat: Chat, container: Container, ca: CaPrueba, persona: Persona, fiel: Fiel
) -> None:
    csd_cer, _csd_key, _ = crear_csd(ca, fiel.rfc, persona.curp, persona.nombre_completo.upper())
    hasta_el_cer(chat, persona, fiel)
    respuesta = textos(chat.send(attachment=Attachment("sello.cer", "application/pkix-cert", csd_cer)))
    assert "Certificado de Sello Digital (CSD)" in respuesta and "e.firma (FIEL)" in respuesta
    assert estado(container, chat).requested_slot == "efirma_cer"
    assert vault_vacio(chat.conversation_id)
    assert "Recibí tu certificado" in textos(chat.send(attachment=fiel.cer_adjunto()))


def test_foreign_key_is_refused_and_the_key_asked_again(
    chat: Chat, container: Container, ca: CaPrueba, persona: Persona, fiel: Fiel
) -> None:
    _otro_cer, otra_key, _ = crear_fiel(ca, "GOMA800101AB1", None, "OTRA PERSONA", password=PASSWORD)
    hasta_el_cer(chat, persona, fiel)
    chat.send(attachment=fiel.cer_adjunto())
    chat.send(attachment=Attachment("otra.key", "application/octet-stream", otra_key))
    respuesta = textos(chat.send(PASSWORD))
    assert "no corresponde a tu certificado" in respuesta
    assert "sube tu llave privada" in respuesta.lower()
    assert estado(container, chat).requested_slot == "efirma_key"
    assert servicios().registro.cuenta(persona.curp) is None
    chat.send(attachment=fiel.key_adjunto())
    assert "firmó la solicitud" in textos(chat.send(fiel.password))


def test_a_cer_where_the_key_goes_and_a_key_where_the_cer_goes(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_el_cer(chat, persona, fiel)
    respuesta = textos(chat.send(attachment=fiel.key_adjunto()))
    assert "Ese archivo es tu llave privada (.key). Primero necesito el certificado (.cer)" in respuesta
    assert estado(container, chat).requested_slot == "efirma_cer"
    chat.send(attachment=fiel.cer_adjunto())
    respuesta = textos(chat.send(attachment=fiel.cer_adjunto("otra_vez.cer")))
    assert "Ese archivo es un certificado (.cer). Ahora necesito tu llave privada" in respuesta
    assert estado(container, chat).requested_slot == "efirma_key"
    vault = servicios().vault
    assert vault is not None and vault.count(chat.conversation_id) == 1  # only the accepted .cer


def test_oversized_and_non_efirma_uploads_are_refused(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_el_cer(chat, persona, fiel)
    grande = Attachment("mi_efirma.cer", "application/pkix-cert", fiel.cer + b"\0" * (70 * 1024))
    assert "el máximo es 64 KB" in textos(chat.send(attachment=grande))
    azar = Attachment("mi_efirma.cer", "application/pkix-cert", bytes(range(256)) * 4)
    assert "no es el certificado (.cer)" in textos(chat.send(attachment=azar))
    foto = Attachment("foto.jpg", "image/jpeg", b"\xff\xd8\xff\xe0" + b"JFIF" * 300)
    assert "no es el certificado (.cer)" in textos(chat.send(attachment=foto))
    assert estado(container, chat).requested_slot == "efirma_cer"
    chat.send(attachment=fiel.cer_adjunto())
    nota = Attachment("nota.txt", "text/plain", "mi contraseña es secreta".encode())
    respuesta = textos(chat.send(attachment=nota))
    assert "no es la llave privada (.key)" in respuesta
    assert estado(container, chat).requested_slot == "efirma_key"
    vault = servicios().vault
    assert vault is not None and vault.count(chat.conversation_id) == 1


def test_a_key_asking_for_too_many_pbkdf2_iterations_is_refused_at_upload_and_the_key_asked_again(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_el_cer(chat, persona, fiel)
    chat.send(attachment=fiel.cer_adjunto())
    pesada = Attachment("Claveprivada_FIEL.key", "application/octet-stream", con_iteraciones(fiel.key, 10**9))
    respuesta = textos(chat.send(attachment=pesada))
    assert LlaveDerivacionExcesiva.MENSAJE in respuesta
    assert "contraseña" not in respuesta.lower()
    assert estado(container, chat).requested_slot == "efirma_key"
    assert "contraseña" in textos(chat.send(attachment=fiel.key_adjunto()))


def test_untrusted_issuer_is_refused(chat: Chat, tmp_path: Path, persona: Persona, fiel: Fiel) -> None:
    ajena = crear_ca(None, nombre="AC que nadie configuró")
    cer, _key, _ = crear_fiel(ajena, fiel.rfc, persona.curp, persona.nombre_completo.upper())
    hasta_el_cer(chat, persona, fiel)
    respuesta = textos(chat.send(attachment=Attachment("e.cer", "application/pkix-cert", cer)))
    assert "No pude confirmar que el SAT haya emitido tu e.firma" in respuesta


def test_expired_fiel_is_refused_with_its_date(
    chat: Chat, ca: CaPrueba, persona: Persona, fiel: Fiel
) -> None:
    hace_un_anio = datetime.now(ZONA) - timedelta(days=365)
    cer, _key, _ = crear_fiel(
        ca, fiel.rfc, persona.curp, "VENCIDA", desde=hace_un_anio - timedelta(days=1460), hasta=hace_un_anio
    )
    hasta_el_cer(chat, persona, fiel)
    respuesta = textos(chat.send(attachment=Attachment("e.cer", "application/pkix-cert", cer)))
    assert f"Tu e.firma venció el {hace_un_anio.astimezone(ZONA):%d/%m/%Y}" in respuesta


def test_certificate_of_someone_else_is_refused(
    chat: Chat, ca: CaPrueba, persona: Persona, fiel: Fiel
) -> None:
    otra_curp = "CACX760510MGTSHC04"
    cer, _key, _ = crear_fiel(ca, rfc_de(otra_curp), otra_curp, "OTRA PERSONA")
    hasta_el_cer(chat, persona, fiel)
    respuesta = textos(chat.send(attachment=Attachment("e.cer", "application/pkix-cert", cer)))
    assert "no coincide con la de tu e.firma" in respuesta


def test_real_sat_files_are_refused_in_chat(chat: Chat, container: Container) -> None:
    fixtures = directorio_fixtures()
    chat.say(INICIO_CUENTA)
    chat.say("XIQB891116MGRMZR05")
    chat.say("XIQB891116QE4")
    chat.say("blanca@example.com")
    fiel_sat = [
        fixtures / "satcfdi" / "xiqb891116qe4.cer",
        fixtures / "satcfdi" / "cacx7605101p8.cer",
        fixtures / "satcfdi" / "eku9003173c9.cer",
        fixtures / "phpcfdi_FIEL_AAA010101AAA" / "certificate.cer",
    ]
    for ruta in fiel_sat:
        respuesta = textos(
            chat.send(attachment=Attachment(ruta.name, "application/pkix-cert", ruta.read_bytes()))
        )
        assert "Tu e.firma venció el" in respuesta, ruta
    csd_sat = [
        fixtures / "satcfdi" / "xiqb891116qe4_csd.cer",
        fixtures / "phpcfdi_CSD01_AAA010101AAA" / "certificate.cer",
        fixtures / "satcfdi" / "emisor2021.cer",
    ]
    for ruta in csd_sat:
        respuesta = textos(
            chat.send(attachment=Attachment(ruta.name, "application/pkix-cert", ruta.read_bytes()))
        )
        assert "Certificado de Sello Digital (CSD)" in respuesta, ruta
    assert estado(container, chat).requested_slot == "efirma_cer"
    assert vault_vacio()


# -------------------------------------------------------------------------------- form lifecycle


def test_cancel_wipes_the_held_files(chat: Chat, container: Container, persona: Persona, fiel: Fiel) -> None:
    hasta_la_contrasena(chat, persona, fiel)
    vault = servicios().vault
    assert vault is not None and vault.count(chat.conversation_id) == 2
    assert "cancelé" in chat.say("cancelar")
    assert vault_vacio()
    state = estado(container, chat)
    assert state.active_loop is None
    assert state.slots["efirma_cer"] is None and state.slots["efirma_key"] is None
    # "cancelar" at the password question is not a password attempt.
    assert state.slots["efirma_intentos"] in (None, 0)


def test_cancel_before_the_password_question_wipes_the_held_files(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_el_cer(chat, persona, fiel)
    chat.send(attachment=fiel.cer_adjunto())
    assert not vault_vacio(chat.conversation_id)
    assert "cancelé" in chat.say("cancelar")
    assert vault_vacio()


def test_switching_to_another_tramite_wipes_the_held_files(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_el_cer(chat, persona, fiel)
    chat.send(attachment=fiel.cer_adjunto())
    assert not vault_vacio(chat.conversation_id)
    # CURP and email are known, so the NSS trámite even finishes right away.
    assert persona.nss is not None and persona.nss in chat.say("/obtener_nss")
    assert estado(container, chat).active_loop is None
    assert vault_vacio()


def test_held_files_expire_after_ten_minutes(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    hasta_la_contrasena(chat, persona, fiel)
    vault = servicios().vault
    assert vault is not None
    vault.now = lambda: datetime.now(ZONA) + timedelta(minutes=10, seconds=5)
    respuesta = textos(chat.send(fiel.password))
    assert "Pasaron más de 10 minutos" in respuesta and "certificado (.cer)" in respuesta
    assert estado(container, chat).requested_slot == "efirma_cer"
    assert vault_vacio()


def test_a_file_outside_any_form_is_not_kept(chat: Chat, fiel: Fiel) -> None:
    assert "no lo necesito" in chat.say("hola") + textos(chat.send(attachment=fiel.key_adjunto()))
    assert vault_vacio()


def test_a_file_while_a_typed_answer_is_expected_is_not_kept(
    chat: Chat, container: Container, persona: Persona, fiel: Fiel
) -> None:
    chat.say(INICIO_CUENTA)
    chat.say(persona.curp)
    respuesta = textos(chat.send(attachment=fiel.cer_adjunto()))
    assert "Aún no te pido archivos" in respuesta and "RFC" in respuesta
    assert estado(container, chat).requested_slot == "rfc"
    assert vault_vacio()


# ------------------------------------------------------------------------------- asistente chat CLI


def test_cli_chat_opens_an_account_with_file_lines(tmp_path: Path, nlu_cache_dir: Path, ca: CaPrueba) -> None:
    curp = "XIQB891116MGRMZR05"
    rfc = rfc_de(curp)
    cer, key, password = crear_fiel(ca, rfc, curp, "BLANCA XIQUE", password=PASSWORD)
    _csd_cer, _k, _ = crear_csd(ca, rfc, curp, "BLANCA XIQUE")
    _otro, otra_key, _ = crear_fiel(ca, "GOMA800101AB1", None, "OTRA PERSONA", password=PASSWORD)
    archivos = tmp_path / "archivos"
    archivos.mkdir()
    for nombre, data in (
        ("blanca.cer", cer),
        ("blanca.key", key),
        ("sello.cer", _csd_cer),
        ("otra.key", otra_key),
    ):
        (archivos / nombre).write_bytes(data)
    assert ca.ruta is not None
    data_dir = tmp_path / "datos"
    env = {
        **os.environ,
        "ASISTENTE_DATA_DIR": str(data_dir),
        "NLU_CACHE_DIR": str(nlu_cache_dir),
        "EFIRMA_CA_DIR": str(ca.ruta.parent),
    }
    env.pop("DATABASE_URL", None)
    env.pop("SERVER_SECRET_KEY", None)
    lines = [
        INICIO_CUENTA,
        curp,
        rfc,
        "blanca@example.com",
        f"/file {archivos / 'sello.cer'}",
        f"/file {archivos / 'blanca.cer'}",
        f"/file {archivos / 'otra.key'}",
        password,
        f"/file {archivos / 'blanca.key'}",
        WRONG_PASSWORD,
        password,
        "acepto",
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--json", "--conversacion", f"cli-{uuid.uuid4().hex[:8]}"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
        check=True,
    )
    messages = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert all(set(m) == {"text", "buttons", "document"} for m in messages)
    texts = "\n".join(m["text"] for m in messages)
    assert "Certificado de Sello Digital (CSD)" in texts
    assert "no corresponde a tu certificado" in texts
    assert "no es correcta" in texts and "Te quedan 2 intentos" in texts
    assert "Abrí tu cuenta" in texts
    assert password not in texts and WRONG_PASSWORD not in texts
    document = next(m["document"] for m in messages if m["document"])
    assert document["mime"] == "application/pdf"
    contenido = pdf_text(document["path"])
    numero = leer_certificado(cer).numero_certificado
    assert rfc in contenido and numero in contenido
    for archivo in (p for p in data_dir.rglob("*") if p.is_file()):
        data = archivo.read_bytes()
        assert key not in data and password.encode() not in data and WRONG_PASSWORD.encode() not in data
        assert base64.b64encode(key)[:80] not in data
    assert password not in result.stderr and PASSWORD_FIXTURES not in result.stderr
