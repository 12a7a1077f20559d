"""Whole semanas cotizadas conversations through the engine (real NLU, in-process actions, SQLite)."""

from __future__ import annotations

from pathlib import Path

from actions.servicios import servicios
from bot.container import Container
from bot.engine import Outgoing
from tests.helpers import Chat, pdf_text
from tramites.documentos import verificar_pdf
from tramites.registro import PREDECIBLES, PersonaPredecible
from tramites.registro.formato import fecha_larga, pesos
from tramites.semanas import consultar_semanas

MARIA, ANA, DIEGO = PREDECIBLES[0], PREDECIBLES[2], PREDECIBLES[8]


def _reporte(chat: Chat, persona: PersonaPredecible) -> tuple[str, Path]:
    assert "¿Cuál es tu CURP?" in chat.say("cuantas semanas cotizadas tengo")
    assert "NSS" in chat.say(persona.curp)
    assert "correo" in chat.say(persona.nss).lower()
    replies: list[Outgoing] = chat.send(str(persona.email))
    assert len(replies) == 2 and replies[0].document is None and replies[1].document is not None
    assert replies[1].document.mime == "application/pdf"
    return replies[0].text, Path(replies[1].document.path)


def test_report_summary_and_pdf_with_every_employer(chat: Chat) -> None:
    s = servicios()
    reporte = consultar_semanas(s.registro, ANA.curp, ANA.nss, s.hoy())
    said, pdf = _reporte(chat, ANA)
    assert said == (
        f"Ana Sofía, tienes {reporte.total} semanas cotizadas al {fecha_larga(s.hoy())}. "
        f"Son {reporte.cotizadas} que cotizaste, menos 30 descontadas, más 10 que te reintegraron. "
        "Las cotizaste con 2 patrones."
    )
    content = " ".join(pdf_text(pdf).split())
    for dato in (
        ANA.nombre,
        ANA.curp,
        ANA.nss,
        "Reporte de Semanas Cotizadas",
        f"Semanas cotizadas {reporte.cotizadas}",
        "Semanas descontadas 30",
        "Semanas reintegradas 10",
        f"Total de semanas cotizadas {reporte.total}",
    ):
        assert dato in content, dato
    for fila in reporte.empleos:
        empleo = fila.empleo
        assert empleo.registro_patronal in content
        assert empleo.patron.split()[0] in content
        assert empleo.fecha_alta.strftime("%d/%m/%Y") in content
        assert empleo.fecha_baja is not None and empleo.fecha_baja.strftime("%d/%m/%Y") in content
        assert pesos(empleo.salario_base_cotizacion) in content
    ok = verificar_pdf(pdf.read_bytes(), s.emisor.claves, s.emisor.folios)
    assert ok.tipo == "reporte_semanas" and ok.campos["Total de semanas cotizadas"] == str(reporte.total)


def test_open_job_is_shown_as_vigente(chat: Chat) -> None:
    said, pdf = _reporte(chat, MARIA)
    assert said.startswith("María Guadalupe, tienes ")
    content = pdf_text(pdf)
    assert "Farmacias del Centro" in content and "Vigente" in content


def test_someone_who_never_worked_hears_it_plainly(chat: Chat) -> None:
    said, pdf = _reporte(chat, DIEGO)
    assert said.startswith("Diego Alonso, todavía no tienes semanas cotizadas")
    assert "Sin registros" in pdf_text(pdf)


def test_nss_of_someone_else_is_explained_once_the_email_passes(chat: Chat, container: Container) -> None:
    chat.say("mis semanas cotizadas")
    chat.say(ANA.curp)
    chat.say(MARIA.nss)
    reply = chat.say(str(ANA.email))
    assert f"El NSS {MARIA.nss} no corresponde a la CURP {ANA.curp}." in reply
    state = container.engine.tracker(chat.conversation_id)
    assert state.active_loop == "semanas_form" and state.requested_slot == "nss"


def test_data_from_the_constancia_is_reused_once_confirmed(chat: Chat) -> None:
    chat.say("constancia de vigencia")
    chat.say(ANA.curp)
    chat.say(ANA.nss)
    chat.say(str(ANA.email))
    # A second trámite asks, in one tap, whether the data from the first one is still whose it is.
    asked = chat.send("y cuantas semanas llevo cotizadas?")
    assert asked[-1].text == "¿Es para ti, Ana (CURP RXTA…06), o para otra persona?"
    assert [b.payload for b in asked[-1].buttons] == ["/afirmar", "/negar"]
    replies = chat.send("/afirmar")
    said = "\n".join(r.text for r in replies)
    assert "¿Cuál es tu" not in said and "Ana Sofía, tienes" in said
    assert any(r.document is not None for r in replies)


def test_nss_typed_in_groups_is_understood(chat: Chat) -> None:
    chat.say("reporte de semanas cotizadas")
    chat.say(ANA.curp)
    grouped = f"{ANA.nss[:4]} {ANA.nss[4:8]} {ANA.nss[8:]}"
    assert "correo" in chat.say(grouped).lower()
