"""Validation of contact data that several trámites ask for (email, código postal)."""

from __future__ import annotations

import re

from tramites.registro.catalogo import estado_de_cp
from tramites.registro.errores import TramiteError

__all__ = ["CodigoPostalInvalido", "EmailInvalido", "validar_cp", "validar_email"]

_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
# Typos seen in real forms; suggesting the fix beats a bare "invalid".
_DOMINIOS_TYPO: dict[str, str] = {
    "gmail.con": "gmail.com", "gmial.com": "gmail.com", "gmal.com": "gmail.com", "gamil.com": "gmail.com",
    "gmail.co": "gmail.com", "gmail.cm": "gmail.com", "hotmial.com": "hotmail.com",
    "hotmail.con": "hotmail.com",
    "hotmal.com": "hotmail.com", "hotmail.co": "hotmail.com", "outlok.com": "outlook.com",
    "outlook.con": "outlook.com", "yahoo.con": "yahoo.com", "yahooo.com": "yahoo.com",
    "yahoo.com.mx.com": "yahoo.com.mx",
}


class EmailInvalido(TramiteError):
    """The email address is not usable."""


class CodigoPostalInvalido(TramiteError):
    """The código postal is not 5 digits of an assigned range."""


def validar_email(texto: str) -> str:
    """Normalize (strip, lowercase) and check an email address; raises `EmailInvalido`."""
    email = texto.strip().lower()
    if not email:
        raise EmailInvalido("No escribiste tu correo electrónico; por ejemplo, nombre@gmail.com.")
    if " " in email:
        raise EmailInvalido(f"Tu correo «{email}» tiene espacios; escríbelo sin espacios, por ejemplo "
                            "nombre@gmail.com.")
    if "@" not in email:
        raise EmailInvalido(f"A tu correo «{email}» le falta la @; escríbelo completo, por ejemplo "
                            "nombre@gmail.com.")
    dominio = email.rsplit("@", 1)[1]
    if dominio in _DOMINIOS_TYPO:
        sugerido = email.rsplit("@", 1)[0] + "@" + _DOMINIOS_TYPO[dominio]
        raise EmailInvalido(
            f"Tu correo termina en «{dominio}»; ¿quisiste decir {sugerido}? Escríbelo de nuevo."
        )
    if not _EMAIL.match(email) or ".." in email:
        raise EmailInvalido(f"El correo «{email}» no parece válido; revisa que tenga la forma "
                            "nombre@dominio.com.")
    return email


def validar_cp(texto: str) -> str:
    """Check a Mexican código postal (5 digits, assigned prefix); raises `CodigoPostalInvalido`."""
    cp = re.sub(r"[\s\-.]", "", texto.strip())
    if cp.upper().startswith("CP"):
        cp = cp[2:]
    if not cp.isdigit() or len(cp) != 5:
        raise CodigoPostalInvalido(
            f"El código postal «{texto.strip()}» no es válido: debe tener 5 números, por ejemplo 06700. "
            "Lo encuentras en tu recibo de luz o de agua."
        )
    if estado_de_cp(cp) is None:
        raise CodigoPostalInvalido(
            f"El código postal {cp} no existe en México (ninguno empieza con {cp[:2]}). "
            "Revisa tu recibo de luz o de agua y escríbelo de nuevo."
        )
    return cp
