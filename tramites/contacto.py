"""Medios de contacto: email and Mexican phone numbers, validated with a reason in Spanish."""

from __future__ import annotations

import re

__all__ = ["ContactoInvalido", "validar_email", "validar_telefono"]

_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_EMAIL_IN_TEXT = re.compile(r"[^\s@,;:<>()]+@[^\s@,;:<>()]+")


class ContactoInvalido(ValueError):
    """An email or phone that cannot be used; `mensaje` says why."""

    def __init__(self, mensaje: str) -> None:
        super().__init__(mensaje)
        self.mensaje = mensaje


def validar_email(texto: str) -> str:
    """The email found in `texto`, lowercased; raises `ContactoInvalido` saying what is missing."""
    found = _EMAIL_IN_TEXT.search(texto.strip())
    candidate = (found.group(0) if found else texto.strip()).strip(".").lower()
    if "@" not in candidate:
        raise ContactoInvalido(
            "Ese correo no parece válido: le falta la @. Debe verse como nombre@correo.com."
        )
    if " " in candidate or not _EMAIL.match(candidate):
        raise ContactoInvalido(
            "Ese correo no parece válido: revisa lo que va después de la @ (por ejemplo, nombre@gmail.com)."
        )
    return candidate


def validar_telefono(texto: str) -> str:
    """A 10-digit Mexican phone number (country code +52 accepted and dropped)."""
    digits = re.sub(r"\D", "", texto)
    if len(digits) == 12 and digits.startswith("52"):
        digits = digits[2:]
    if len(digits) != 10:
        raise ContactoInvalido(f"Tu teléfono tiene {len(digits)} dígitos; debe tener 10 (lada incluida).")
    return digits
