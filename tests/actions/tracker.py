"""Building real rasa-sdk trackers for action tests, and reading what the actions said."""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet

from tests.conftest import REPO_ROOT

_VARIABLE = re.compile(r"\{(\w+)\}")
_DEL_DESPACHADOR = {"text", "buttons", "elements", "custom", "template", "response", "image", "attachment"}


@functools.cache
def _dominio() -> dict[str, Any]:
    return dict(yaml.safe_load((REPO_ROOT / "domain.yml").read_text(encoding="utf-8")))


def domain() -> dict[str, Any]:
    """The project's domain.yml as the action server receives it."""
    return dict(_dominio())


def _llenar(valores: dict[str, Any]) -> Any:
    """A `{variable}` filler: the value, or nothing when it is missing."""
    return lambda m: "" if valores.get(m[1]) is None else str(valores[m[1]])


def textos(mensajes: list[dict[str, Any]], slots: dict[str, Any] | None = None) -> list[str]:
    """What the person reads: each response filled with the message's variables, then the slots."""
    respuestas = _dominio()["responses"]
    leidos = []
    for mensaje in mensajes:
        nombre = mensaje.get("response")
        if not nombre:
            leidos.append(str(mensaje.get("text") or ""))
            continue
        valores = {**(slots or {}), **{k: v for k, v in mensaje.items() if k not in _DEL_DESPACHADOR}}
        leidos.append(_VARIABLE.sub(_llenar(valores), str(respuestas[nombre][0]["text"])))
    return leidos


def botones(mensaje: dict[str, Any]) -> list[dict[str, Any]]:
    """The buttons the person sees: the message's own, or its response's."""
    if mensaje.get("buttons") or not mensaje.get("response"):
        return list(mensaje.get("buttons") or [])
    return list(_dominio()["responses"][mensaje["response"]][0].get("buttons") or [])


def enviable_por_correo(mensaje: dict[str, Any]) -> SlotSet:
    """The slot change that lets «Enviar por correo» send this document; checks the button is under it."""
    folio = str(mensaje["folio"])
    assert mensaje["custom"]["document"]["filename"].endswith(f"{folio}.pdf")
    payload = f'/enviar_por_correo{{"folio":"{folio}"}}'
    assert botones(mensaje) == [{"title": "Enviar por correo", "payload": payload}]
    return SlotSet("documentos_emitidos", [folio])


def tracker(
    slots: dict[str, Any],
    *,
    text: str = "",
    candidates: dict[str, Any] | None = None,
    active_loop: str | None = None,
    message_id: str | None = None,
    entities: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest user message is `text`, followed by slot candidates as Rasa sends them."""
    events: list[dict[str, Any]] = [{"event": "user", "text": text, "parse_data": {"text": text}}]
    all_slots = dict(slots)
    for name, value in (candidates or {}).items():
        events.append({"event": "slot", "name": name, "value": value})
        all_slots[name] = value
    return Tracker(
        sender_id="prueba",
        slots=all_slots,
        latest_message={
            "text": text, "intent": {"name": None}, "entities": entities or [], "message_id": message_id,
            "metadata": metadata or {},
        },
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name=None,
    )
