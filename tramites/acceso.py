"""Whose data a look-up may show: the email given must be the one IMSS holds for that CURP.

Knowing someone's CURP (and even their NSS) is easy; their email on file is what IMSS Digital trusts to
send a document to. So every trámite that reveals a person's data first asks `verificar_titular`. Only
`COINCIDE` lets the chat show the data; with `SIN_CORREO` (IMSS holds no email) a document may go only
to the email given, by email; `NO_COINCIDE` and `NO_ENCONTRADA` must get the same answer, so a stranger
cannot tell whether a CURP exists.
"""

from __future__ import annotations

from enum import Enum

from tramites.registro.puerto import Registro

__all__ = ["Resultado", "normalizar_email", "verificar_titular"]


class Resultado(Enum):
    """How the email given compares with the one IMSS holds for the CURP."""

    COINCIDE = "coincide"
    NO_COINCIDE = "no_coincide"
    SIN_CORREO = "sin_correo"
    NO_ENCONTRADA = "no_encontrada"

    @property
    def permite(self) -> bool:
        """Whether the trámite may go on (in the chat, or by email only when IMSS holds no email)."""
        return self in (Resultado.COINCIDE, Resultado.SIN_CORREO)


def normalizar_email(email: str) -> str:
    """The email as compared: trimmed and case-insensitive (casefold)."""
    return email.strip().casefold()


def verificar_titular(registro: Registro, curp: str, email: str) -> Resultado:
    """Compare `email` with the email on file for `curp` (both trimmed, case-insensitively)."""
    persona = registro.persona_por_curp(curp.strip().upper())
    if persona is None:
        return Resultado.NO_ENCONTRADA
    if not persona.email or not persona.email.strip():
        return Resultado.SIN_CORREO
    if normalizar_email(persona.email) == normalizar_email(email):
        return Resultado.COINCIDE
    return Resultado.NO_COINCIDE
