"""Whole vigencia de derechos conversations through the engine (real NLU, in-process actions, SQLite)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from actions.servicios import servicios
from bot.container import Container
from bot.engine import Outgoing
from tests.helpers import Chat, pdf_text
from tramites.documentos import DocumentoNoValido, verificar_pdf
from tramites.registro import CURP_NO_REGISTRADA, PREDECIBLES, PersonaPredecible
from tramites.registro.formato import fecha_larga

MARIA, JOSE, ANA, ROBERTO, LUZ, JUAN = PREDECIBLES[:6]


def _texts(replies: list[Outgoing]) -> str:
    return "\n".join(r.text for r in replies)


def _document(replies: list[Outgoing]) -> Path:
    document = next(r.document for r in replies if r.document is not None)
    assert document.mime == "application/pdf" and document.filename.endswith(".pdf")
    return Path(document.path)


def _constancia(chat: Chat, persona: PersonaPredecible, opening: str = "quiero mi constancia de vigencia"):
    first = chat.say(opening)
    assert "¿Cuál es tu CURP?" in first
    assert "NSS" in chat.say(persona.curp)
    assert "correo" in chat.say(persona.nss).lower()
    replies = chat.send(str(persona.email))
    # One message with the answer and its reason, then the PDF.
    assert len(replies) == 2 and replies[0].document is None and replies[1].document is not None
    return replies[0].text, _document(replies)


def _verifies(path: Path) -> None:
    emisor = servicios().emisor
    ok = verificar_pdf(path.read_bytes(), emisor.claves, emisor.folios)
    assert ok.tipo == "constancia_vigencia"


def test_vigente_person_gets_constancia_with_employer_umf_and_beneficiaries(
    chat: Chat, container: Container
) -> None:
    said, pdf = _constancia(chat, MARIA)
    assert said.startswith("María Guadalupe, tus derechos están vigentes: Farmacias del Centro")
    content = pdf_text(pdf)
    for dato in (
        MARIA.nombre,
        MARIA.curp,
        MARIA.nss,
        "UMF 1",
        "Farmacias del Centro S.A. de C.V.",
        "Y5412345109",
        "VIGENTE",
        "Juan Pablo Castillo Mendoza",
        "Sofía Castillo Hernández",
        "Emiliano Castillo Hernández",
        "Cónyuge",
        "Sin fecha de término",
    ):
        assert dato in content, dato
    assert "NO VIGENTE" not in content
    _verifies(pdf)
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop is None and state.slots["nss"] == MARIA.nss


def test_person_without_rights_hears_why_and_gets_no_vigente(chat: Chat) -> None:
    said, pdf = _constancia(chat, ANA, "oye estoy vigente en el imss?")
    assert said.startswith("Ana Sofía, no tienes derechos vigentes: tu última baja fue el 15 de marzo")
    assert "15 de marzo de 2021" in said
    assert "Incorporación Voluntaria" in said
    content = pdf_text(pdf)
    assert "NO VIGENTE" in content and "15 de marzo de 2021" in content
    assert ANA.curp in content and ANA.nss in content and "Plásticos Candelaria" in content
    _verifies(pdf)


def test_conservacion_de_derechos_says_until_when(chat: Chat) -> None:
    said, pdf = _constancia(chat, JOSE)
    hasta = fecha_larga(servicios().hoy() + timedelta(days=56 - 30))  # baja 30 days ago + 56 days
    assert said.startswith(f"José Luis, tus derechos están vigentes hasta el {hasta}")
    content = pdf_text(pdf)
    assert "VIGENTE" in content and "NO VIGENTE" not in content
    assert f"Vigente hasta {hasta}" in " ".join(content.split())
    assert "artículo 109" in content and "Rosa María García Núñez" in content


def test_too_short_a_job_before_the_baja_is_not_vigente(chat: Chat) -> None:
    said, pdf = _constancia(chat, LUZ)
    assert said.startswith("Luz Elena, no tienes derechos vigentes")
    assert "41 días" in said
    assert "NO VIGENTE" in pdf_text(pdf)


def test_pensionado_is_vigente(chat: Chat) -> None:
    said, pdf = _constancia(chat, ROBERTO)
    assert said == (
        "Roberto Carlos, tus derechos están vigentes porque eres pensionado del IMSS. Siguen así mientras "
        "recibas tu pensión."
    )
    content = pdf_text(pdf)
    assert "Pensionado" in content and "VIGENTE" in content and "Martha Díaz Ortega" in content


def test_beneficiary_is_vigente_through_the_titular(chat: Chat) -> None:
    said, pdf = _constancia(chat, JUAN)
    assert said.startswith("Juan Pablo, tus derechos están vigentes: eres beneficiario de María Guadalupe")
    assert said.endswith("y ella está al día con el IMSS.")
    content = " ".join(pdf_text(pdf).split())
    assert f"Beneficiario de {MARIA.nombre} (NSS {MARIA.nss})" in content
    assert JUAN.curp in content and "VIGENTE" in content


def test_nss_of_someone_else_is_explained_once_the_email_passes(chat: Chat, container: Container) -> None:
    chat.say("constancia de vigencia de derechos")
    chat.say(ANA.curp)
    assert "correo" in chat.say(MARIA.nss).lower()
    reply = chat.say(str(ANA.email))
    assert f"El NSS {MARIA.nss} no corresponde a la CURP {ANA.curp}." in reply
    # Then the NSS question, the only one.
    assert "NSS" in reply.splitlines()[-1] and reply.count("?") == 1
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop == "vigencia_form" and state.requested_slot == "nss"
    assert state.slots["nss"] is None
    said = _texts(chat.send(ANA.nss))
    assert said.startswith("Ana Sofía, no tienes derechos vigentes")


def test_curp_typed_instead_of_nss_corrects_the_curp(chat: Chat, container: Container) -> None:
    chat.say("constancia de vigencia")
    chat.say(MARIA.curp)
    reply = chat.say(ANA.curp)
    # The NSS question is asked again (the re-ask wording), the CURP taken as a correction.
    assert "tu NSS?" in reply
    assert container.engine.tracker(chat.conversation_id).slots["curp"] == ANA.curp


def test_an_unregistered_curp_hears_nothing_about_the_record(chat: Chat, container: Container) -> None:
    chat.say("quiero mi constancia de vigencia")
    assert "NSS" in chat.say(CURP_NO_REGISTRADA)
    chat.say(MARIA.nss)
    reply = chat.say("pedro@example.com")
    assert reply == container.engine.text("utter_datos_no_coinciden")
    assert CURP_NO_REGISTRADA not in reply and MARIA.nombre not in reply
    assert container.engine.tracker(chat.conversation_id).active_loop is None


def test_everything_in_the_opening_message_only_asks_the_email(chat: Chat) -> None:
    reply = chat.say(f"necesito mi constancia de vigencia, mi curp es {MARIA.curp} y mi nss {MARIA.nss}")
    assert "correo" in reply.lower() and "¿Cuál es tu CURP?" not in reply and "(NSS)?" not in reply
    said = _texts(chat.send(str(MARIA.email)))
    assert said.startswith("María Guadalupe, tus derechos están vigentes")


def test_someone_who_does_not_know_the_nss_gets_it_and_then_the_constancia(chat: Chat) -> None:
    chat.say("constancia de vigencia")
    chat.say(MARIA.curp)
    help_ = chat.send("no me lo se")
    # Not a format error: the step's help, with the NSS trámite one tap away.
    assert "dígitos" not in _texts(help_) and "recibos de nómina" in _texts(help_)
    assert "/obtener_nss" in [b.payload for r in help_ for b in r.buttons]
    assert "correo" in chat.say("consultar mi NSS").lower()
    replies = chat.send(str(MARIA.email))
    said = _texts(replies)
    # The NSS, then the constancia that was asked for first, without asking anything again.
    assert MARIA.nss in said and "Ahora sí, sigamos con tu constancia de vigencia." in said
    assert "¿Cuál es tu" not in said and "María Guadalupe, tus derechos están vigentes" in said
    constancia = [r.document for r in replies if r.document is not None][-1]
    assert MARIA.nss in pdf_text(constancia.path) and "Vigencia" in pdf_text(constancia.path)


def test_malformed_nss_says_which_part_is_wrong(chat: Chat) -> None:
    chat.say("vigencia de derechos")
    chat.say(MARIA.curp)
    assert "Tu NSS tiene 10 dígitos; debe tener 11." in chat.say(MARIA.nss[:-1])


def test_cancel_leaves_the_form_and_keeps_identity(chat: Chat, container: Container) -> None:
    chat.say("vigencia de derechos")
    chat.say(MARIA.curp)
    assert "cancelé" in chat.say("cancelar")
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop is None and state.slots["curp"] == MARIA.curp


def test_a_constancia_with_one_byte_changed_is_rejected(chat: Chat) -> None:
    _, pdf = _constancia(chat, MARIA)
    data = bytearray(pdf.read_bytes())
    # A byte of the document body (covered by the signature), well before the signature dictionary.
    data[data.index(b"/ByteRange") // 2] ^= 0x01
    emisor = servicios().emisor
    with pytest.raises(DocumentoNoValido):
        verificar_pdf(bytes(data), emisor.claves, emisor.folios)
