"""The UMF and beneficiarios actions with a real Tracker: the exact events they return and what they say."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Action, FormValidationAction
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.beneficiarios import (
    ActionAskBeneficiarioEstudia,
    ActionRegistrarBeneficiario,
    ValidateBeneficiarioForm,
)
from actions.formulario import respuesta_si_no
from actions.servicios import ZONA, Servicios, instalar
from actions.umf import (
    ActionAskUmfClinica,
    ActionAskUmfConfirmacion,
    ActionAskUmfTurno,
    ActionCambioUmf,
    ValidateUmfForm,
)
from tests.actions.conftest import construir_servicios
from tests.actions.tracker import botones, domain, enviable_por_correo, textos, tracker
from tests.helpers import pdf_text
from tramites.registro import Persona, construir_curp

SLOTS_UMF = ("umf_domicilio", "umf_cp", "umf_clinica", "umf_turno", "umf_confirmacion")
SLOTS_BENEFICIARIO = (
    "beneficiario_parentesco", "beneficiario_curp", "beneficiario_estudia", "beneficiario_depende",
    "beneficiario_nombre",
)

HOY = date(2026, 6, 15)
_VACIO_UMF: dict[str, Any] = {
    "curp": None, "email": None, "umf_domicilio": None, "umf_cp": None, "umf_clinica": None,
    "umf_turno": None, "umf_confirmacion": None,
}
_VACIO_BEN: dict[str, Any] = {"curp": None, "nss": None, "email": None, **dict.fromkeys(SLOTS_BENEFICIARIO)}
IDENTIDAD = ("curp", "nss", "email", "rfc")


def _verificada(persona: Persona) -> dict[str, Any]:
    """The slots of a conversation where the person's CURP and email on file already passed."""
    return {"email": persona.email, "titular_verificado": f"{persona.curp}|{persona.email}|coincide"}


def _a_las_diez(servicios_: Servicios) -> Servicios:
    servicios_.ahora = lambda: datetime(HOY.year, HOY.month, HOY.day, 10, 0, tzinfo=ZONA)
    return servicios_


@pytest.fixture(scope="module")
def _compartidos(tmp_path_factory: pytest.TempPathFactory, registro_sembrado: Path) -> Servicios:
    """One demo database for the tests that only read it."""
    return construir_servicios(registro_sembrado, tmp_path_factory.mktemp("umf-beneficiarios"))


@pytest.fixture
def s(_compartidos: Servicios) -> Iterator[Servicios]:
    """Demo services at a fixed date, for validations that do not write to the registry."""
    instalar(_a_las_diez(_compartidos))
    yield _compartidos
    instalar(None)


@pytest.fixture
def nuevo(servicios_demo: Servicios) -> Servicios:
    """Fresh demo services at a fixed date, for actions that write to the registry."""
    return _a_las_diez(servicios_demo)


def _persona(s: Servicios, indice: int) -> Persona:
    return s.registro.listar_personas(10)[indice]


def _validate(
    action: FormValidationAction, form: str, base: dict[str, Any], slots: dict[str, Any],
    candidates: dict[str, Any], text: str | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    todos = {**base, **slots}
    valor = next(iter(candidates.values()), "")
    t = tracker(todos, text=text if text is not None else str(valor), candidates=candidates, active_loop=form)
    events = asyncio.run(action.run(dispatcher, t, domain()))
    return events, _leidos(dispatcher.messages, todos)


def _leidos(mensajes: list[dict[str, Any]], slots: dict[str, Any]) -> list[dict[str, Any]]:
    """Each message as the person reads it: its text and its buttons."""
    return [
        {**m, "text": texto, "buttons": botones(m)}
        for m, texto in zip(mensajes, textos(mensajes, slots), strict=True)
    ]


def _umf(slots: dict[str, Any], candidates: dict[str, Any], text: str | None = None):
    return _validate(ValidateUmfForm(), "umf_form", _VACIO_UMF, slots, candidates, text)


def _ben(slots: dict[str, Any], candidates: dict[str, Any], text: str | None = None):
    return _validate(ValidateBeneficiarioForm(), "beneficiario_form", _VACIO_BEN, slots, candidates, text)


def _run(action: Action, slots: dict[str, Any]):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, tracker(slots), domain())
    return events, _leidos(dispatcher.messages, slots)


# -- yes / no -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [(True, True), (False, False), ("Sí", True), ("si, claro", True), ("de acuerdo", True),
     ("no", False), ("No, gracias", False), ("quién sabe", None), ("", None)],
)
def test_yes_no_answers(valor: Any, esperado: bool | None) -> None:
    assert respuesta_si_no(valor) is esperado


# -- UMF form -----------------------------------------------------------------------------


def test_curp_of_registered_person_tells_current_clinic(s: Servicios) -> None:
    persona = _persona(s, 0)
    events, said = _umf({"requested_slot": "curp", **_verificada(persona)}, {"curp": persona.curp.lower()})
    assert events == [SlotSet("curp", persona.curp)]
    assert said[0]["text"].startswith("María Guadalupe, hoy estás en la UMF 1 Roma, turno matutino.")


def test_nothing_is_said_about_a_curp_before_its_email(s: Servicios) -> None:
    persona = _persona(s, 0)
    events, said = _umf({"requested_slot": "curp"}, {"curp": persona.curp})
    assert events == [SlotSet("curp", persona.curp)]
    assert said == []


def test_the_clinic_is_told_once_the_email_on_file_passes(s: Servicios) -> None:
    persona = _persona(s, 0)
    events, said = _umf({"requested_slot": "email", "curp": persona.curp}, {"email": persona.email})
    assert events == [
        SlotSet("email", persona.email),
        SlotSet("titular_verificado", f"{persona.curp}|{persona.email}|coincide"),
        SlotSet("curp", persona.curp),
    ]
    assert said[0]["text"].startswith("María Guadalupe, hoy estás en la UMF 1 Roma, turno matutino.")


@pytest.mark.parametrize(
    ("texto", "motivo"),
    [("", "No me escribiste tu domicilio."), ("12 34", "le faltan la calle y la colonia"),
     ("x" * 150 + " calle " + "y" * 60, "muy largo")],
)
def test_bad_address_is_cleared(s: Servicios, texto: str, motivo: str) -> None:
    events, said = _umf({"requested_slot": "umf_domicilio"}, {"umf_domicilio": texto})
    assert events[0] == SlotSet("umf_domicilio", None)
    assert motivo in said[0]["text"]


def test_address_is_kept_with_single_spaces(s: Servicios) -> None:
    texto = "  Calle Roble  12,  Col. Roma "
    events, said = _umf({"requested_slot": "umf_domicilio"}, {"umf_domicilio": texto})
    assert events == [SlotSet("umf_domicilio", "Calle Roble 12, Col. Roma")]
    assert said == []


def test_cp_with_clinics_is_kept(s: Servicios) -> None:
    events, said = _umf({"requested_slot": "umf_cp"}, {"umf_cp": "CP 14100"})
    assert events == [SlotSet("umf_cp", "14100")]
    assert said == []


@pytest.mark.parametrize(
    ("texto", "motivo"),
    [("0670", "debe tener 5 números"), ("18000", "no existe en México"),
     ("29000", "No encontramos clínicas del IMSS en Chiapas")],
)
def test_cp_without_options_is_cleared(s: Servicios, texto: str, motivo: str) -> None:
    events, said = _umf({"requested_slot": "umf_cp"}, {"umf_cp": texto})
    assert events == [SlotSet("umf_cp", None), SlotSet("requested_slot", "umf_cp")]
    assert motivo in said[0]["text"]
    assert all("?" not in m["text"] for m in said)


def test_clinics_are_offered_as_buttons(s: Servicios) -> None:
    events, said = _run(ActionAskUmfClinica(), {**_VACIO_UMF, "umf_cp": "14100"})
    assert events == []
    assert [b["payload"] for b in said[0]["buttons"]] == ["UMF 7", "UMF 45", "UMF 21", "otro código postal"]
    assert "• UMF 45 Villa Coapa: Calz. del Hueso 1045, Col. Villa Coapa, Coyoacán." in said[0]["text"]


@pytest.mark.parametrize("texto", ["UMF 45", "la 45", "45", "Villa Coapa", "la segunda"])
def test_clinic_choice_in_several_words(s: Servicios, texto: str) -> None:
    events, said = _umf({"requested_slot": "umf_clinica", "umf_cp": "14100"}, {"umf_clinica": texto})
    assert events == [SlotSet("umf_clinica", "45")]
    assert said == []


def test_other_cp_goes_back_to_the_cp(s: Servicios) -> None:
    slots = {"requested_slot": "umf_clinica", "umf_cp": "14100"}
    events, _ = _umf(slots, {"umf_clinica": "otro código postal"})
    assert events == [SlotSet("umf_clinica", None), SlotSet("umf_cp", None)]


def test_new_cp_at_the_clinic_question_replaces_the_cp(s: Servicios) -> None:
    events, said = _umf({"requested_slot": "umf_clinica", "umf_cp": "14100"}, {"umf_clinica": "05000"})
    # The clinic question comes again, now with the clinics of the new CP.
    assert events == [
        SlotSet("umf_clinica", None), SlotSet("umf_cp", "05000"), SlotSet("requested_slot", "umf_clinica")
    ]
    assert said == []


def test_clinic_not_offered_is_only_explained(s: Servicios) -> None:
    events, said = _umf({"requested_slot": "umf_clinica", "umf_cp": "14100"}, {"umf_clinica": "UMF 14"})
    assert events == [SlotSet("umf_clinica", None), SlotSet("requested_slot", "umf_clinica")]
    # The reason only: the clinic question (action_ask_umf_clinica) shows the options again.
    assert [m["text"] for m in said] == [
        "No encontré «UMF 14» entre las clínicas para tu código postal 14100."
    ]


def test_turnos_are_only_the_clinics(s: Servicios) -> None:
    _, said = _run(ActionAskUmfTurno(), {**_VACIO_UMF, "umf_clinica": "14"})
    assert [b["payload"] for b in said[0]["buttons"]] == ["matutino"]
    _, said = _run(ActionAskUmfTurno(), {**_VACIO_UMF, "umf_clinica": "45"})
    assert [(b["title"], b["payload"]) for b in said[0]["buttons"]] == [
        ("Matutino (8:00 a 14:00)", "matutino"), ("Vespertino (14:00 a 20:00)", "vespertino"),
    ]


def test_turno_not_offered_is_cleared(s: Servicios) -> None:
    events, said = _umf({"requested_slot": "umf_turno", "umf_clinica": "14"}, {"umf_turno": "vespertino"})
    assert events == [SlotSet("umf_turno", None), SlotSet("requested_slot", "umf_turno")]
    esperado = "La UMF 14 Cuajimalpa no tiene turno «vespertino». Elige: Matutino (8:00 a 14:00)."
    assert esperado in said[0]["text"]


def test_only_turno_accepted_with_a_yes(s: Servicios) -> None:
    events, _ = _umf({"requested_slot": "umf_turno", "umf_clinica": "14"}, {"umf_turno": "sí"})
    assert events == [SlotSet("umf_turno", "matutino")]


def test_same_clinic_and_turno_goes_back_to_the_clinics(s: Servicios) -> None:
    persona = _persona(s, 0)
    events, said = _umf(
        {"requested_slot": "umf_turno", "curp": persona.curp, "umf_clinica": "1"}, {"umf_turno": "mañana"}
    )
    assert events == [SlotSet("umf_turno", None), SlotSet("umf_clinica", None)]
    assert said[0]["text"].startswith("Ya estás en la UMF 1 Roma, turno matutino")


def test_confirmation_summary(s: Servicios) -> None:
    slots = {**_VACIO_UMF, "umf_clinica": "45", "umf_turno": "vespertino", "umf_cp": "14100",
             "umf_domicilio": "Calle Roble 12", "email": "ana@example.com"}
    _, said = _run(ActionAskUmfConfirmacion(), slots)
    assert said[0]["text"] == (
        "Revisa tu solicitud:\n"
        "• Clínica: UMF 45 Villa Coapa\n"
        "• Domicilio de la clínica: Calz. del Hueso 1045, Col. Villa Coapa, Coyoacán, Ciudad de México\n"
        "• Turno: Vespertino (14:00 a 20:00)\n"
        "• Tu domicilio: Calle Roble 12, C.P. 14100\n"
        "• Correo: ana@example.com\n"
        "¿Envío tu solicitud?"
    )


def test_no_at_confirmation_clears_clinic_and_turno(s: Servicios) -> None:
    events, said = _umf(
        {"requested_slot": "umf_confirmacion", "umf_clinica": "45", "umf_turno": "matutino"},
        {"umf_confirmacion": False}, text="no",
    )
    assert events == [
        SlotSet("umf_confirmacion", None), SlotSet("umf_clinica", None), SlotSet("umf_turno", None)
    ]
    assert "no envié nada" in said[0]["text"]


def test_unclear_confirmation_says_how_to_answer(s: Servicios) -> None:
    events, said = _umf({"requested_slot": "umf_confirmacion"}, {"umf_confirmacion": "mmm"})
    assert events == [SlotSet("umf_confirmacion", None), SlotSet("requested_slot", "umf_confirmacion")]
    assert [m["text"] for m in said] == ["Respóndeme «sí» o «no», por favor."]
    # The summary with its Sí/No buttons is the ask action's, shown again by the engine.
    _, resumen = _run(
        ActionAskUmfConfirmacion(), {**_VACIO_UMF, "umf_clinica": "45", "umf_turno": "matutino"}
    )
    assert [b["payload"] for b in resumen[0]["buttons"]] == ["/afirmar", "/negar"]


def test_cambio_umf_records_solicitud_and_sends_pdf(nuevo: Servicios) -> None:
    persona = _persona(nuevo, 0)
    slots = {**_VACIO_UMF, "curp": persona.curp, "email": persona.email,
             "umf_domicilio": "Calle Roble 12", "umf_cp": "05000", "umf_clinica": "14",
             "umf_turno": "matutino", "umf_confirmacion": True}
    events, said = _run(ActionCambioUmf(), slots)
    assert events == [*(SlotSet(slot, None) for slot in SLOTS_UMF), enviable_por_correo(said[1])]
    assert "UMF 14 Cuajimalpa" in said[0]["text"] and "Comprobante de domicilio reciente" in said[0]["text"]
    cambiada = nuevo.registro.persona_por_curp(persona.curp)
    assert cambiada is not None and (cambiada.umf, cambiada.turno) == (14, "matutino")
    contenido = pdf_text(said[1]["custom"]["document"]["path"])
    assert "Av. Juárez 80, Col. Cuajimalpa" in contenido and "15 de junio de 2026" in contenido


def test_cambio_umf_to_the_same_clinic_is_explained(s: Servicios) -> None:
    persona = _persona(s, 0)
    slots = {**_VACIO_UMF, "curp": persona.curp, "email": persona.email, "umf_domicilio": "Calle Roble 12",
             "umf_cp": "06700",
             "umf_clinica": "1", "umf_turno": "matutino", "umf_confirmacion": True}
    events, said = _run(ActionCambioUmf(), slots)
    assert events == [SlotSet(slot, None) for slot in SLOTS_UMF]
    assert len(said) == 1
    assert said[0]["text"].startswith("Ya estás en la UMF 1 Roma, turno matutino")


def test_cambio_umf_with_a_curp_not_in_the_registry_forgets_it_and_reveals_nothing(s: Servicios) -> None:
    slots = {**_VACIO_UMF, "curp": "PAPP600515HJCRRD00", "email": "pedro@example.com",
             "umf_domicilio": "Calle Roble 12", "umf_cp": "14100",
             "umf_clinica": "45", "umf_turno": "matutino", "umf_confirmacion": True}
    events, said = _run(ActionCambioUmf(), slots)
    assert events == [*(SlotSet(slot, None) for slot in SLOTS_UMF), *(SlotSet(x, None) for x in IDENTIDAD)]
    assert [m["text"] for m in said] == textos([{"response": "utter_datos_no_coinciden"}])


# -- beneficiarios form -------------------------------------------------------------------


def _titular(s: Servicios) -> dict[str, Any]:
    persona = _persona(s, 0)
    return {"curp": persona.curp, "nss": persona.nss, **_verificada(persona)}


def test_titular_nss_must_match(s: Servicios) -> None:
    persona = _persona(s, 0)
    otro = _persona(s, 3)
    verificada = {"requested_slot": "nss", "curp": persona.curp, **_verificada(persona)}
    events, said = _ben(verificada, {"nss": otro.nss})
    assert events == [SlotSet("nss", None), SlotSet("requested_slot", "nss")]
    assert said[0]["text"].startswith(f"El NSS {otro.nss} no corresponde a la CURP {persona.curp}.")
    events, said = _ben(verificada, {"nss": persona.nss})
    assert events == [SlotSet("nss", persona.nss), SlotSet("requested_slot", "beneficiario_parentesco")]
    assert said == []


def test_parentesco_from_the_button(s: Servicios) -> None:
    events, said = _ben(
        {**_titular(s), "requested_slot": "beneficiario_parentesco"}, {"beneficiario_parentesco": "Hija(o)"}
    )
    assert events == [
        SlotSet("beneficiario_parentesco", "hijo"), SlotSet("requested_slot", "beneficiario_curp")
    ]
    assert said == []


def test_family_curp_as_entity_does_not_replace_the_titular(s: Servicios) -> None:
    curp = construir_curp("Ana", "Castillo", "Hernández", date(2015, 1, 1), "M", "DF")
    titular = _titular(s)
    events, said = _ben(
        {**titular, "requested_slot": "beneficiario_curp", "beneficiario_parentesco": "hijo"},
        {"curp": curp, "beneficiario_curp": curp},
    )
    assert events == [
        SlotSet("curp", titular["curp"]),
        SlotSet("beneficiario_curp", curp),
        SlotSet("beneficiario_parentesco", "hijo"),
        SlotSet("requested_slot", "beneficiario_nombre"),
    ]
    assert said[0]["text"] == "Tu hija puede ser tu beneficiaria: es menor de 16 años."


def test_child_of_16_is_asked_about_studies(s: Servicios) -> None:
    curp = construir_curp("Ana", "Castillo", "Hernández", date(2010, 6, 15), "M", "DF")
    events, said = _ben(
        {**_titular(s), "requested_slot": "beneficiario_curp", "beneficiario_parentesco": "hijo"},
        {"beneficiario_curp": curp},
    )
    assert events == [
        SlotSet("beneficiario_curp", curp),
        SlotSet("beneficiario_parentesco", "hijo"),
        SlotSet("requested_slot", "beneficiario_estudia"),
    ]
    assert said == []
    _, said = _run(
        ActionAskBeneficiarioEstudia(),
        {**_VACIO_BEN, "beneficiario_curp": curp, "beneficiario_parentesco": "hijo"},
    )
    assert said[0]["text"].startswith("Tu hija ya tiene 16 años o más.")


def test_child_of_16_not_studying_ends_the_form(s: Servicios) -> None:
    curp = construir_curp("Ana", "Castillo", "Hernández", date(2010, 6, 15), "M", "DF")
    events, said = _ben(
        {**_titular(s), "requested_slot": "beneficiario_estudia", "beneficiario_parentesco": "hijo",
         "beneficiario_curp": curp},
        {"beneficiario_estudia": False}, text="no",
    )
    assert events == [
        *(SlotSet(slot, None) for slot in SLOTS_BENEFICIARIO),
        ActiveLoop(None),
        SlotSet("requested_slot", None),
    ]
    assert said[0]["text"] == (
        "Tu hija ya cumplió 16 años; puede seguir como beneficiaria hasta los 25 si estudia. Tiene que ser "
        "una escuela del sistema educativo nacional."
    )
    assert [b["payload"] for b in said[1]["buttons"]] == ["/registrar_beneficiarios", "/agradecer"]


def test_a_doubt_is_not_a_no(s: Servicios) -> None:
    curp = construir_curp("Ana", "Castillo", "Hernández", date(2010, 6, 15), "M", "DF")
    events, said = _ben(
        {**_titular(s), "requested_slot": "beneficiario_estudia", "beneficiario_parentesco": "hijo",
         "beneficiario_curp": curp},
        {"beneficiario_estudia": False}, text="pues no sé",
    )
    assert events == [
        SlotSet("beneficiario_estudia", None), SlotSet("requested_slot", "beneficiario_estudia")
    ]
    assert [m["text"] for m in said] == ["Respóndeme «sí» o «no», por favor."]


def test_concubino_is_stored_by_the_curp_sex(s: Servicios) -> None:
    persona = _persona(s, 1)  # José Luis: no partner registered
    curp = construir_curp("Laura", "Pérez", "Soto", date(1985, 2, 2), "M", "JC")
    events, _ = _ben(
        {"curp": persona.curp, "nss": persona.nss, **_verificada(persona),
         "requested_slot": "beneficiario_curp", "beneficiario_parentesco": "concubinario"},
        {"beneficiario_curp": curp},
    )
    assert SlotSet("beneficiario_parentesco", "concubina") in events


def test_registrar_beneficiario_stores_and_sends_pdf(nuevo: Servicios) -> None:
    titular = _persona(nuevo, 0)
    curp = construir_curp("Ana", "Castillo", "Hernández", date(2015, 1, 1), "M", "DF")
    slots = {**_VACIO_BEN, "curp": titular.curp, "nss": titular.nss, "email": titular.email,
             "beneficiario_parentesco": "hijo",
             "beneficiario_curp": curp, "beneficiario_nombre": "ana castillo hernández"}
    events, said = _run(ActionRegistrarBeneficiario(), slots)
    # The form's answers are forgotten, and "¿Quieres registrar a otra persona?" is an offer a "sí" takes.
    assert events == [
        *(SlotSet(slot, None) for slot in SLOTS_BENEFICIARIO),
        enviable_por_correo(said[1]),
        SlotSet("oferta", "registrar_beneficiarios"),
    ]
    esperado = "¡Listo! Registré a Ana Castillo Hernández como tu beneficiaria (hija)."
    assert said[0]["text"].startswith(esperado)
    assert curp in [b.curp for b in nuevo.registro.beneficiarios(str(titular.nss))]
    contenido = pdf_text(said[1]["custom"]["document"]["path"])
    assert "1 de enero de 2015" in contenido and titular.nombre_completo in contenido
    assert [b["payload"] for b in said[2]["buttons"]] == ["/registrar_beneficiarios", "/agradecer"]
