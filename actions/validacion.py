"""Slot checks shared by several forms: each returns the clean value or explains what is wrong."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tramites.contacto import ContactoInvalido, validar_email, validar_telefono
from tramites.identidad import IdentidadError, buscar_candidato, validar_curp, validar_nss, validar_rfc
from tramites.texto import fold

__all__ = [
    "candidato_al_activar",
    "revisar_curp",
    "revisar_email",
    "revisar_nss",
    "revisar_rfc",
    "revisar_telefono",
]


def revisar_curp(valor: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """`{"curp": CURP}` when valid; otherwise say which part is wrong and clear the slot."""
    texto = str(valor or "")
    try:
        curp = validar_curp(buscar_candidato(texto, "CURP") or texto)
    except IdentidadError as error:
        dispatcher.utter_message(text=f"{error.mensaje} ¿Me la escribes de nuevo?")
        return {"curp": None}
    return {"curp": curp.valor}


def revisar_nss(valor: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """`{"nss": NSS}` when valid; otherwise explain and clear the slot."""
    texto = str(valor or "")
    try:
        nss = validar_nss(buscar_candidato(texto, "NSS") or texto)
    except IdentidadError as error:
        dispatcher.utter_message(text=f"{error.mensaje} ¿Me lo escribes de nuevo?")
        return {"nss": None}
    return {"nss": nss.valor}


def revisar_rfc(valor: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """`{"rfc": RFC}` when valid (a check-digit doubt is only a warning)."""
    texto = str(valor or "")
    try:
        rfc = validar_rfc(buscar_candidato(texto, "RFC") or texto)
    except IdentidadError as error:
        dispatcher.utter_message(text=f"{error.mensaje} ¿Me lo escribes de nuevo?")
        return {"rfc": None}
    if rfc.advertencia:
        dispatcher.utter_message(text=rfc.advertencia)
    return {"rfc": rfc.valor}


def revisar_email(valor: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """`{"email": email}` when valid; otherwise explain and clear the slot."""
    try:
        return {"email": validar_email(str(valor or ""))}
    except ContactoInvalido as error:
        dispatcher.utter_message(text=f"{error.mensaje} ¿Me lo escribes de nuevo?")
        return {"email": None}


def revisar_telefono(valor: Any, dispatcher: CollectingDispatcher) -> dict[str, Any]:
    """`{"telefono": digits}` when valid; otherwise explain and clear the slot."""
    try:
        return {"telefono": validar_telefono(str(valor or ""))}
    except ContactoInvalido as error:
        dispatcher.utter_message(text=f"{error.mensaje} ¿Me lo escribes de nuevo?")
        return {"telefono": None}


def candidato_al_activar(tracker: Tracker, slot: str, campo: str) -> dict[str, Any]:
    """When a form starts, a CURP/NSS/RFC-looking token in the first message is checked too.

    A valid one arrives as an entity; this catches the mistyped ones ("mi curp es XIQB8911…,
    quiero mi nss") so the person hears what is wrong instead of being asked from scratch.
    """
    if tracker.get_slot(slot) is not None or tracker.get_slot("requested_slot") is not None:
        return {}
    texto = str(tracker.latest_message.get("text") or "")
    if texto.startswith("/"):
        return {}
    candidato = buscar_candidato(texto, campo)
    return {slot: candidato} if candidato else {}


_DUDAS = ("no se", "no lo se", "ni idea", "no estoy segur", "quien sabe", "no sabria", "no recuerdo")


def es_duda(texto: str) -> bool:
    """ "pues no sé", "ni idea": not an answer to a sí/no question, though the NLU reads a "no"."""
    folded = f" {fold(texto)} "
    return any(f" {duda}" in folded for duda in _DUDAS)
