"""Slot checks shared by several forms: the clean value, or the domain's reason and a cleared slot."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.dialogo import explicar
from tramites.beneficiarios import normalizar_parentesco, validar_nombre_completo
from tramites.contacto import validar_cp, validar_domicilio, validar_email, validar_telefono
from tramites.errores import TramiteError
from tramites.identidad import buscar_candidato, validar_curp, validar_nss, validar_rfc

__all__ = ["revisar"]


def _rfc(texto: str, dispatcher: CollectingDispatcher) -> str:
    rfc = validar_rfc(buscar_candidato(texto, "RFC") or texto)
    if rfc.advertencia:
        # About 1.5% of real RFCs fail the check digit: warn, don't block.
        dispatcher.utter_message(response="utter_explicacion", mensaje=rfc.advertencia)
    return rfc.valor


_REVISIONES: dict[str, Callable[[str, CollectingDispatcher], str]] = {
    "curp": lambda texto, _: validar_curp(buscar_candidato(texto, "CURP") or texto).valor,
    "nss": lambda texto, _: validar_nss(buscar_candidato(texto, "NSS") or texto).valor,
    "rfc": _rfc,
    "email": lambda texto, _: validar_email(texto),
    "telefono": lambda texto, _: validar_telefono(texto),
    "cp": lambda texto, _: validar_cp(texto),
    "domicilio": lambda texto, _: validar_domicilio(texto),
    "parentesco": lambda texto, _: normalizar_parentesco(texto),
    "nombre_completo": lambda texto, _: validar_nombre_completo(texto),
}


def revisar(
    slot: str, valor: Any, dispatcher: CollectingDispatcher, campo: str | None = None
) -> dict[str, Any]:
    """`{slot: clean value}` when `valor` is a valid `campo` (default: the slot's name).

    Otherwise the person hears what is wrong, the slot is cleared and the engine asks for it again.
    """
    try:
        return {slot: _REVISIONES[campo or slot](str(valor or ""), dispatcher)}
    except TramiteError as error:
        explicar(dispatcher, error)
        return {slot: None}
