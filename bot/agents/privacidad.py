"""What the console shows of personal data: CURP, NSS, RFC, email and phone masked, secrets as dots.

Identifiers and emails are masked by the same rules as the logs (`bot.logs`: first 4 and last 2 kept,
`XIQB**********05`; `a***@correo.mx`); this module adds any run of ten or more digits (phones, CLABE).
It applies to everything the person typed, too: people type their CURP in the middle of a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.logs import mask_emails, mask_identifiers

__all__ = ["CAMPOS_SENSIBLES", "OCULTO", "enmascarar_texto", "enmascarar_valor"]

#: Shown instead of a secret (the e.firma password is stored this way already).
OCULTO = "••••••"
#: Slots an agent may reveal with a written reason, by name.
CAMPOS_SENSIBLES = ("curp", "nss", "rfc", "email", "telefono")

# Ten or more digits, possibly split by spaces, dots or dashes (phones, NSS, CLABE, card numbers).
_DIGITOS = re.compile(r"(?<![\dA-Za-z])\d(?:[ .-]?\d){9,}(?![\dA-Za-z])")


def _digitos(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def enmascarar_texto(texto: str) -> str:
    """The text with every CURP, NSS, RFC, email and phone masked."""
    texto = mask_identifiers(texto)
    texto = mask_emails(texto)
    return _DIGITOS.sub(_digitos, texto)


def enmascarar_valor(nombre: str, valor: Any, secretos: frozenset[str] = frozenset()) -> str:
    """A slot's value as the console shows it: secrets as dots, uploads by name, the rest masked."""
    if valor is None:
        return "(vacío)"
    if nombre in secretos:
        return OCULTO
    if isinstance(valor, Mapping):
        nombre_archivo = valor.get("filename") or valor.get("nombre")
        if nombre_archivo:
            return f"archivo «{enmascarar_texto(str(nombre_archivo))}»"
        return "(datos)"
    texto = str(valor)
    if nombre.startswith("email") or "@" in texto:
        return enmascarar_texto(texto)
    if any(nombre.startswith(campo) for campo in CAMPOS_SENSIBLES):
        limpio = texto.strip()
        if len(limpio) <= 6:
            return "*" * len(limpio)
        return limpio[:4] + "*" * (len(limpio) - 6) + limpio[-2:]
    return enmascarar_texto(texto)
