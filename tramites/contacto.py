"""Medios de contacto and domicilio: email, phone, street address and código postal, each with its reason."""

from __future__ import annotations

import re

from tramites.errores import TramiteError
from tramites.registro.catalogo import estado_de_cp

__all__ = [
    "MAX_DOMICILIO",
    "CodigoPostalInvalido",
    "ContactoInvalido",
    "DomicilioInvalido",
    "EmailInvalido",
    "TelefonoInvalido",
    "enmascarar_email",
    "validar_cp",
    "validar_domicilio",
    "validar_email",
    "validar_telefono",
]

MAX_DOMICILIO = 200
"""Characters of a street address typed in the chat."""

_EMAIL = re.compile(r"^[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}$")
_EMAIL_EN_TEXTO = re.compile(r"[^\s@,;:<>()]+@[^\s@,;:<>()]+")
# Typos seen in real forms; suggesting the fix beats a bare "invalid".
_DOMINIOS_TYPO: dict[str, str] = {
    "gmail.con": "gmail.com", "gmial.com": "gmail.com", "gmal.com": "gmail.com", "gamil.com": "gmail.com",
    "gmail.co": "gmail.com", "gmail.cm": "gmail.com", "hotmial.com": "hotmail.com",
    "hotmail.con": "hotmail.com", "hotmal.com": "hotmail.com", "hotmail.co": "hotmail.com",
    "outlok.com": "outlook.com", "outlook.con": "outlook.com", "yahoo.con": "yahoo.com",
    "yahooo.com": "yahoo.com", "yahoo.com.mx.com": "yahoo.com.mx",
}


class ContactoInvalido(TramiteError):
    """An email, phone or código postal that cannot be used; `mensaje` says why."""


class EmailInvalido(ContactoInvalido):
    """The email address is not usable."""


class TelefonoInvalido(ContactoInvalido):
    """The phone number is not 10 digits."""

    MENSAJE = "Tu teléfono tiene {digitos} dígitos y debe tener 10, con la lada."
    digitos: int


class CodigoPostalInvalido(ContactoInvalido):
    """The código postal is not 5 digits of an assigned range."""


class DomicilioInvalido(ContactoInvalido):
    """The street address is empty, too long or has no street and colonia."""


def validar_email(texto: str) -> str:
    """The email written in `texto` ("mi correo es ana@x.mx" too), lowercased; raises `EmailInvalido`."""
    escrito = texto.strip()
    if not escrito:
        raise EmailInvalido("No escribiste tu correo. Por ejemplo: nombre@gmail.com.")
    encontrado = _EMAIL_EN_TEXTO.search(escrito)
    email = (encontrado.group(0) if encontrado else escrito).strip(".").lower()
    if "@" not in email:
        raise EmailInvalido(
            f"A tu correo «{email}» le falta la @; escríbelo completo, por ejemplo nombre@gmail.com."
        )
    if " " in email:
        raise EmailInvalido(
            f"Tu correo «{email}» tiene espacios; escríbelo sin espacios, por ejemplo nombre@gmail.com."
        )
    usuario, _, dominio = email.rpartition("@")
    if dominio in _DOMINIOS_TYPO:
        raise EmailInvalido(
            f"Tu correo termina en «{dominio}»: tal vez quisiste decir {usuario}@{_DOMINIOS_TYPO[dominio]}."
        )
    if not _EMAIL.match(email) or ".." in email:
        raise EmailInvalido(
            f"El correo «{email}» no parece válido; revisa que tenga la forma nombre@dominio.com."
        )
    return email


def validar_telefono(texto: str) -> str:
    """A 10-digit Mexican phone number (country code +52 accepted and dropped); raises `TelefonoInvalido`."""
    digitos = re.sub(r"\D", "", texto)
    if len(digitos) == 12 and digitos.startswith("52"):
        digitos = digitos[2:]
    if len(digitos) != 10:
        raise TelefonoInvalido(digitos=len(digitos))
    return digitos


def validar_cp(texto: str) -> str:
    """Check a Mexican código postal (5 digits, assigned prefix); raises `CodigoPostalInvalido`."""
    cp = re.sub(r"[\s\-.]", "", texto.strip())
    if cp.upper().startswith("CP"):
        cp = cp[2:]
    if not cp.isdecimal() or len(cp) != 5:
        raise CodigoPostalInvalido(
            f"El código postal «{texto.strip()}» no es válido: debe tener 5 números, por ejemplo 06700. "
            "Lo encuentras en tu recibo de luz o de agua."
        )
    if estado_de_cp(cp) is None:
        raise CodigoPostalInvalido(
            f"El código postal {cp} no existe en México (ninguno empieza con {cp[:2]}). "
            "Revisa tu recibo de luz o de agua."
        )
    return cp


def validar_domicilio(texto: str) -> str:
    """Calle, número y colonia in free text, with single spaces; raises `DomicilioInvalido`."""
    domicilio = " ".join(texto.split())
    if not domicilio:
        raise DomicilioInvalido("No me escribiste tu domicilio.")
    if len(domicilio) > MAX_DOMICILIO:
        raise DomicilioInvalido(
            f"Tu domicilio es muy largo ({len(domicilio)} caracteres); escríbelo en menos de {MAX_DOMICILIO}."
        )
    if sum(c.isalpha() for c in domicilio) < 3:
        raise DomicilioInvalido("Eso no parece un domicilio: le faltan la calle y la colonia.")
    return domicilio


def enmascarar_email(email: str) -> str:
    """"a***@dominio.mx": enough for the person to recognise it, not to read it."""
    usuario, _, dominio = email.partition("@")
    return f"{usuario[:1]}***@{dominio}" if dominio else "***"
