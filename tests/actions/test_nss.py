"""The NSS actions with a real Tracker: the events they return and what the person reads."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.nss import ActionObtenerNss, ValidateNssForm
from actions.servicios import Servicios
from tests.actions.tracker import domain, enviable_por_correo, textos, tracker
from tests.helpers import pdf_text


def _validate(candidates: dict[str, str], slots: dict[str, str | None] | None = None):
    dispatcher = CollectingDispatcher()
    base = {"curp": None, "email": None, "requested_slot": "curp", **(slots or {})}
    t = tracker(base, text=next(iter(candidates.values())), candidates=candidates, active_loop="nss_form")
    events = asyncio.run(ValidateNssForm().run(dispatcher, t, domain()))
    return events, textos(dispatcher.messages)


def test_valid_curp_is_kept_normalized() -> None:
    events, said = _validate({"curp": "xiqb891116mgrmzr05"})
    assert events == [SlotSet("curp", "XIQB891116MGRMZR05")]
    assert said == []


def test_short_curp_is_cleared_with_a_reason_and_asked_next() -> None:
    events, said = _validate({"curp": "XIQB891116MGRMZR0"})
    assert events == [SlotSet("curp", None), SlotSet("requested_slot", "curp")]
    # Only the reason: the engine asks the question again.
    assert said == ["Tu CURP tiene 17 caracteres; debe tener 18."]


def test_email_without_at_is_cleared() -> None:
    events, said = _validate(
        {"email": "ana.example.com"}, {"curp": "XIQB891116MGRMZR05", "requested_slot": "email"}
    )
    assert events == [SlotSet("email", None), SlotSet("requested_slot", "email")]
    assert "le falta la @" in said[0]


def test_obtener_nss_sets_slot_and_sends_pdf(servicios_demo: Servicios) -> None:
    persona = servicios_demo.registro.listar_personas(1)[0]
    dispatcher = CollectingDispatcher()
    t = tracker({"curp": persona.curp, "email": persona.email, "nss": None})
    events = ActionObtenerNss().run(dispatcher, t, domain())
    assert events == [
        SlotSet("nss", persona.nss),
        SlotSet("titular_verificado", f"{persona.curp}|{persona.email}|coincide"),
        enviable_por_correo(dispatcher.messages[1]),
    ]
    said = textos(dispatcher.messages)
    assert said[0] == f"¡Listo, {persona.nombre}! Tu Número de Seguridad Social (NSS) es {persona.nss}."
    document = dispatcher.messages[1]["custom"]["document"]
    assert said[1].endswith(f"Folio: {dispatcher.messages[1]['folio']}")
    assert persona.curp in pdf_text(document["path"])
    # Neither the file name nor the stored file (its URL) carries the NSS or the CURP.
    for nombre in (document["filename"], Path(document["path"]).name):
        assert nombre.startswith("comprobante-nss-IMSS-")
        assert str(persona.nss) not in nombre and persona.curp not in nombre


def test_the_same_message_twice_gives_the_same_folio(servicios_demo: Servicios) -> None:
    persona = servicios_demo.registro.listar_personas(1)[0]
    folios = []
    for _ in range(2):
        dispatcher = CollectingDispatcher()
        t = tracker({"curp": persona.curp, "email": persona.email, "nss": None}, message_id="m-1")
        ActionObtenerNss().run(dispatcher, t, domain())
        folios.append(dispatcher.messages[1]["folio"])
    assert folios[0] == folios[1]


def test_obtener_nss_unknown_curp_forgets_the_identity_and_reveals_nothing(servicios_demo: Servicios) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker({"curp": "CACX760510MGTSHC04", "email": "ana@example.com", "nss": None})
    events = ActionObtenerNss().run(dispatcher, t, domain())
    assert events == [SlotSet(s, None) for s in ("curp", "nss", "email", "rfc")]
    assert textos(dispatcher.messages) == textos([{"response": "utter_datos_no_coinciden"}])
