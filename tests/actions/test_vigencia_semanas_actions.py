"""Vigencia and semanas actions with a real Tracker: the events they return and what the person reads."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.semanas import ActionReporteSemanas, ValidateSemanasForm
from actions.servicios import Servicios
from actions.vigencia import ActionConstanciaVigencia, ValidacionCurpNss, ValidateVigenciaForm
from tests.actions.tracker import domain, enviable_por_correo, textos, tracker
from tests.helpers import pdf_text
from tramites.registro import CURP_NO_REGISTRADA, PREDECIBLES, NssNoCoincide, PersonaPredecible
from tramites.semanas import consultar_semanas

MARIA, JOSE, ANA = PREDECIBLES[0], PREDECIBLES[1], PREDECIBLES[2]
DIEGO = PREDECIBLES[8]  # has an NSS, never worked
IDENTIDAD = ("curp", "nss", "email", "rfc")


def _verificada(persona: PersonaPredecible) -> dict[str, Any]:
    """The slots of a conversation where the person's CURP and email on file already passed."""
    return {"email": persona.email, "titular_verificado": f"{persona.curp}|{persona.email}|coincide"}


FORMAS: list[tuple[type[ValidacionCurpNss], str]] = [
    (ValidateVigenciaForm, "vigencia_form"),
    (ValidateSemanasForm, "semanas_form"),
]


def _validate(
    forma: tuple[type[ValidacionCurpNss], str],
    candidates: dict[str, Any],
    slots: dict[str, Any] | None = None,
    text: str | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    accion, nombre = forma
    dispatcher = CollectingDispatcher()
    base = {"curp": None, "nss": None, "email": None, "requested_slot": "curp", **(slots or {})}
    escrito = text if text is not None else str(next(iter(candidates.values()), ""))
    t = tracker(base, text=escrito, candidates=candidates, active_loop=nombre)
    events = asyncio.run(accion().run(dispatcher, t, domain()))
    return events, textos(dispatcher.messages)


@pytest.mark.parametrize("forma", FORMAS, ids=["vigencia", "semanas"])
def test_registered_curp_is_kept_normalized(forma: Any, servicios_demo: Servicios) -> None:
    events, said = _validate(forma, {"curp": MARIA.curp.lower()})
    assert events == [SlotSet("curp", MARIA.curp)]
    assert said == []


@pytest.mark.parametrize("forma", FORMAS, ids=["vigencia", "semanas"])
def test_matching_nss_is_kept(forma: Any, servicios_demo: Servicios) -> None:
    slots = {"curp": MARIA.curp, "requested_slot": "nss", **_verificada(MARIA)}
    events, said = _validate(forma, {"nss": MARIA.nss}, slots)
    assert events == [SlotSet("nss", MARIA.nss)]
    assert said == []


@pytest.mark.parametrize("forma", FORMAS, ids=["vigencia", "semanas"])
def test_nss_of_someone_else_is_cleared_and_asked_again(forma: Any, servicios_demo: Servicios) -> None:
    slots = {"curp": ANA.curp, "requested_slot": "nss", **_verificada(ANA)}
    events, said = _validate(forma, {"nss": MARIA.nss}, slots)
    assert events == [SlotSet("nss", None), SlotSet("requested_slot", "nss")]
    assert said == [NssNoCoincide(curp=ANA.curp, nss=MARIA.nss).mensaje]
    assert said[0].startswith(f"El NSS {MARIA.nss} no corresponde a la CURP {ANA.curp}.")


def test_nothing_is_said_about_a_curp_before_its_email(servicios_demo: Servicios) -> None:
    events, said = _validate(FORMAS[0], {"curp": CURP_NO_REGISTRADA})
    assert events == [SlotSet("curp", CURP_NO_REGISTRADA)]
    assert said == []


@pytest.mark.parametrize("forma", FORMAS, ids=["vigencia", "semanas"])
def test_the_nss_of_someone_else_waits_for_the_email(forma: Any, servicios_demo: Servicios) -> None:
    events, said = _validate(forma, {"nss": MARIA.nss}, {"curp": ANA.curp, "requested_slot": "nss"})
    assert events == [SlotSet("nss", MARIA.nss)]
    assert said == []


def test_new_curp_that_does_not_match_a_remembered_nss_clears_the_nss(servicios_demo: Servicios) -> None:
    # The NSS came from an earlier trámite; the person now asks about another CURP.
    events, said = _validate(FORMAS[0], {"curp": ANA.curp}, {"nss": MARIA.nss, **_verificada(ANA)})
    assert events == [SlotSet("curp", ANA.curp), SlotSet("nss", None)]
    # The NSS was not offered in this message: the form asks for it next as the first empty slot.
    assert said == [NssNoCoincide(curp=ANA.curp, nss=MARIA.nss).mensaje]


def test_curp_typed_when_the_nss_was_asked_corrects_the_curp(servicios_demo: Servicios) -> None:
    # The CURP arrives as an entity and, by the from_text mapping, as the NSS answer too.
    events, said = _validate(
        FORMAS[0], {"curp": ANA.curp, "nss": ANA.curp}, {"curp": MARIA.curp, "requested_slot": "nss"}
    )
    assert events == [SlotSet("curp", ANA.curp), SlotSet("nss", None), SlotSet("requested_slot", "nss")]
    assert said == []


def test_malformed_nss_says_which_part_is_wrong() -> None:
    events, said = _validate(FORMAS[1], {"nss": "0107887100"}, {"requested_slot": "nss"})
    assert events == [SlotSet("nss", None), SlotSet("requested_slot", "nss")]
    assert said == ["Tu NSS tiene 10 dígitos; debe tener 11."]


def test_not_knowing_the_nss_points_to_the_nss_tramite() -> None:
    events, said = _validate(FORMAS[0], {"nss": "no me lo sé"}, {"curp": MARIA.curp, "requested_slot": "nss"})
    assert events == [SlotSet("nss", None), SlotSet("requested_slot", "nss")]
    assert len(said) == 1 and 'escribe "consultar mi NSS"' in said[0]


def test_mistyped_nss_in_the_opening_message_is_asked_first_not_taken_for_a_curp() -> None:
    events, said = _validate(
        FORMAS[0], {}, {"requested_slot": None}, text="mi nss es 0107887100 quiero mi constancia"
    )
    # Asked next although the CURP is still missing: one question, about what was just refused.
    assert events == [SlotSet("nss", None), SlotSet("requested_slot", "nss")]
    assert said == ["Tu NSS tiene 10 dígitos; debe tener 11."]


def test_bad_email_is_cleared() -> None:
    events, said = _validate(
        FORMAS[0],
        {"email": "ana.example.com"},
        {"curp": MARIA.curp, "nss": MARIA.nss, "requested_slot": "email"},
    )
    assert events == [SlotSet("email", None), SlotSet("requested_slot", "email")]
    assert "@" in said[0]


def _submit(accion: Any, curp: str, nss: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    email = next((p.email for p in PREDECIBLES if p.curp == curp), "pedro@example.com")
    t = tracker({"curp": curp, "nss": nss, "email": email})
    events = accion.run(dispatcher, t, domain())
    said = textos(dispatcher.messages)
    return events, [{**m, "text": texto} for m, texto in zip(dispatcher.messages, said, strict=True)]


def test_constancia_for_vigente_person(servicios_demo: Servicios) -> None:
    events, messages = _submit(ActionConstanciaVigencia(), MARIA.curp, MARIA.nss)
    assert events == [enviable_por_correo(messages[1])]
    assert messages[0]["text"].startswith(
        "María Guadalupe, tus derechos están vigentes: Farmacias del Centro"
    )
    document = messages[1]["custom"]["document"]
    assert document["filename"] == f"constancia-vigencia-{messages[1]['folio']}.pdf"
    assert MARIA.nss not in document["path"] and MARIA.curp not in document["path"]
    assert "Folio: IMSS-" in messages[1]["text"]
    text = pdf_text(document["path"])
    assert "Constancia de Vigencia de Derechos" in text
    assert MARIA.nombre in text and MARIA.curp in text and MARIA.nss in text
    assert "VIGENTE" in text and "NO VIGENTE" not in text
    assert "Sofía Castillo Hernández" in text and "Hija" in text


def test_constancia_for_person_without_rights(servicios_demo: Servicios) -> None:
    events, messages = _submit(ActionConstanciaVigencia(), ANA.curp, ANA.nss)
    assert events == [enviable_por_correo(messages[1])]
    assert messages[0]["text"].startswith(
        "Ana Sofía, no tienes derechos vigentes: tu última baja fue el 15 de marzo de 2021"
    )
    assert "NO VIGENTE" in pdf_text(messages[1]["custom"]["document"]["path"])


def test_constancia_with_mismatched_nss_clears_it(servicios_demo: Servicios) -> None:
    events, messages = _submit(ActionConstanciaVigencia(), ANA.curp, MARIA.nss)
    assert events == [SlotSet("nss", None)]
    assert len(messages) == 1 and "no corresponde" in messages[0]["text"]


def test_constancia_with_unknown_curp_forgets_the_identity_and_reveals_nothing(
    servicios_demo: Servicios,
) -> None:
    events, messages = _submit(ActionConstanciaVigencia(), CURP_NO_REGISTRADA, None)
    assert events == [SlotSet(s, None) for s in IDENTIDAD]
    assert [m["text"] for m in messages] == textos([{"response": "utter_datos_no_coinciden"}])


def test_reporte_semanas_summary_and_pdf(servicios_demo: Servicios) -> None:
    reporte = consultar_semanas(servicios_demo.registro, ANA.curp, ANA.nss, servicios_demo.hoy())
    events, messages = _submit(ActionReporteSemanas(), ANA.curp, ANA.nss)
    assert events == [enviable_por_correo(messages[1])]
    assert messages[0]["text"].startswith(
        f"Ana Sofía, tienes {reporte.total} semanas cotizadas al "
    )
    detalle = (
        f"Son {reporte.cotizadas} que cotizaste, menos 30 descontadas, más 10 que te reintegraron. "
        "Las cotizaste con 2 patrones."
    )
    assert detalle in messages[0]["text"]
    text = pdf_text(messages[1]["custom"]["document"]["path"])
    assert "Reporte de Semanas Cotizadas" in text and ANA.nss in text and ANA.curp in text
    for fila in reporte.empleos:
        assert fila.empleo.registro_patronal in text
        assert fila.empleo.fecha_alta.strftime("%d/%m/%Y") in text


def test_reporte_semanas_for_someone_who_never_worked(servicios_demo: Servicios) -> None:
    events, messages = _submit(ActionReporteSemanas(), DIEGO.curp, DIEGO.nss)
    assert events == [enviable_por_correo(messages[1])]
    assert messages[0]["text"].startswith("Diego Alonso, todavía no tienes semanas cotizadas")
    assert "Sin registros" in pdf_text(messages[1]["custom"]["document"]["path"])


def test_reporte_semanas_with_mismatched_nss_clears_it(servicios_demo: Servicios) -> None:
    events, messages = _submit(ActionReporteSemanas(), JOSE.curp, ANA.nss)
    assert events == [SlotSet("nss", None)]
    assert "no corresponde" in messages[0]["text"]
