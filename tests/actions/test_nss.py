"""The NSS actions with a real Tracker: the events they return and what they say."""

from __future__ import annotations

import asyncio

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.nss import ActionObtenerNss, ValidateNssForm
from actions.servicios import Servicios
from tests.actions.tracker import domain, tracker
from tests.helpers import pdf_text


def _validate(candidates: dict[str, str], slots: dict[str, str | None] | None = None):
    dispatcher = CollectingDispatcher()
    base = {"curp": None, "email": None, "requested_slot": "curp", **(slots or {})}
    t = tracker(base, text=next(iter(candidates.values())), candidates=candidates, active_loop="nss_form")
    events = asyncio.run(ValidateNssForm().run(dispatcher, t, domain()))
    return events, [m["text"] for m in dispatcher.messages]


def test_valid_curp_is_kept_normalized() -> None:
    events, said = _validate({"curp": "xiqb891116mgrmzr05"})
    assert events == [SlotSet("curp", "XIQB891116MGRMZR05")]
    assert said == []


def test_short_curp_is_cleared_with_a_reason() -> None:
    events, said = _validate({"curp": "XIQB891116MGRMZR0"})
    assert events == [SlotSet("curp", None)]
    assert said == ["Tu CURP tiene 17 caracteres; debe tener 18. ¿Me la escribes de nuevo?"]


def test_email_without_at_is_cleared() -> None:
    events, said = _validate(
        {"email": "ana.example.com"}, {"curp": "XIQB891116MGRMZR05", "requested_slot": "email"}
    )
    assert events == [SlotSet("email", None)]
    assert "@" in said[0]


def test_obtener_nss_sets_slot_and_sends_pdf(servicios_demo: Servicios) -> None:
    persona = servicios_demo.registro.listar_personas(1)[0]
    dispatcher = CollectingDispatcher()
    t = tracker({"curp": persona.curp, "email": "ana@example.com", "nss": None})
    events = ActionObtenerNss().run(dispatcher, t, domain())
    assert events == [SlotSet("nss", persona.nss)]
    assert persona.nss in dispatcher.messages[0]["text"]
    document = dispatcher.messages[1]["custom"]["document"]
    assert persona.curp in pdf_text(document["path"])


def test_obtener_nss_unknown_curp_clears_it(servicios_demo: Servicios) -> None:
    dispatcher = CollectingDispatcher()
    t = tracker({"curp": "CACX760510MGTSHC04", "email": "ana@example.com", "nss": None})
    events = ActionObtenerNss().run(dispatcher, t, domain())
    assert events == [SlotSet("curp", None)]
    assert "No encontramos" in dispatcher.messages[0]["text"]
