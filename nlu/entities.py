"""Regex entity extractors that only return values that pass the identity validators.

An invalid CURP-looking token is not an entity: the form layer finds candidates itself and tells the
person exactly what is wrong. Offsets always point into the original text.
"""

from __future__ import annotations

import re
from datetime import date

from nlu.tipos import Entity
from tramites.identidad import (
    CURP_PATRON_LAXO,
    IdentidadError,
    validar_clabe,
    validar_curp,
    validar_nss,
    validar_rfc,
)

__all__ = ["ENTIDADES", "extract_entities", "validar_entidad"]

ENTIDADES: tuple[str, ...] = ("curp", "nss", "rfc", "email", "cp", "clabe", "fecha", "telefono")

_EMAIL = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]*[A-Za-z0-9_%+-])?@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
    r"(?![\w-])"
)
_RFC = re.compile(
    r"(?<![A-Za-z0-9ÑñÁÉÍÓÚáéíóú&])[A-Za-zÑñ&]{3,4}\d{6}[A-Za-z0-9]{2}[0-9Aa](?![A-Za-z0-9ÑñÁÉÍÓÚáéíóú])"
)
# Digits typed in groups ("7279 5608 040", "55-1234-5678"): the whole group is tried as one number first.
_GRUPOS = re.compile(r"(?<![A-Za-z0-9])\d+(?:[ \-.]\d+)+(?![A-Za-z0-9])")
_NUMERO = re.compile(r"(?<![A-Za-z0-9])\d+(?![A-Za-z0-9])")
_TELEFONO_PARENTESIS = re.compile(r"(?<![\w+])(?:\+?52[ \-]?)?\(\d{2,3}\)[ \-]?\d{3,4}[ \-]?\d{4}(?!\w)")
_TELEFONO_LADA = re.compile(r"(?<![\w+])\+52[ \-]?(?:1[ \-]?)?\d{2,3}[ \-]?\d{3,4}[ \-]?\d{4}(?!\w)")
_FECHA_NUMERICA = re.compile(r"(?<![\w/.\-])(\d{1,2})([/\-.])(\d{1,2})\2(\d{4})(?![\w/]|\.\d)")
_MESES = {
    "enero": 1,
    "ene": 1,
    "febrero": 2,
    "feb": 2,
    "marzo": 3,
    "mar": 3,
    "abril": 4,
    "abr": 4,
    "mayo": 5,
    "may": 5,
    "junio": 6,
    "jun": 6,
    "julio": 7,
    "jul": 7,
    "agosto": 8,
    "ago": 8,
    "septiembre": 9,
    "setiembre": 9,
    "sept": 9,
    "sep": 9,
    "set": 9,
    "octubre": 10,
    "oct": 10,
    "noviembre": 11,
    "nov": 11,
    "diciembre": 12,
    "dic": 12,
}
_FECHA_TEXTO = re.compile(
    r"(?<!\w)(\d{1,2})(?:\s+de\s+|\s*[\-/]\s*|\s+)("
    + "|".join(sorted(_MESES, key=len, reverse=True))
    + r")\.?"
    r"(?:\s+del?\s+|\s*[\-/]\s*|\s+)(\d{4})(?!\w)",
    re.IGNORECASE,
)
_CURP_CANDIDATO = re.compile(CURP_PATRON_LAXO.pattern, CURP_PATRON_LAXO.flags | re.IGNORECASE)


def _cp_valido(digitos: str) -> bool:
    """Mexican postal codes: state prefix 01–16 (Ciudad de México) or 20–99; 17–19 are unassigned."""
    if len(digitos) != 5 or not digitos.isdecimal():
        return False
    prefijo = int(digitos[:2])
    return 1 <= prefijo <= 16 or 20 <= prefijo <= 99


def _telefono(digitos: str) -> str | None:
    """A 10-digit Mexican number (area codes never start with 0 or 1); strips a 52 / 521 country prefix."""
    if len(digitos) == 13 and digitos.startswith("521"):
        digitos = digitos[3:]
    elif len(digitos) == 12 and digitos.startswith("52"):
        digitos = digitos[2:]
    if len(digitos) == 10 and digitos[0] not in "01":
        return digitos
    return None


def _email(valor: str) -> str | None:
    """Lowercased address, or None when the local part is malformed ("a..b", leading dot)."""
    local, _, dominio = valor.partition("@")
    if not local or ".." in local or local.startswith(".") or local.endswith(".") or ".." in dominio:
        return None
    return valor.lower()


def _fecha(anio: int, mes: int, dia: int) -> str | None:
    """ISO date, or None when the day does not exist."""
    try:
        return date(anio, mes, dia).isoformat()
    except ValueError:
        return None


def validar_entidad(entidad: str, valor: str, *, hoy: date | None = None) -> str | None:
    """The normalized value if `valor` is a valid `entidad`, else None (unknown entity types pass through)."""
    try:
        if entidad == "curp":
            return validar_curp(valor).valor
        if entidad == "nss":
            return validar_nss(valor, hoy=hoy).valor
        if entidad == "rfc":
            return validar_rfc(valor).valor
        if entidad == "clabe":
            return validar_clabe(valor).valor
    except IdentidadError:
        return None
    if entidad == "email":
        return _email(valor.strip()) if _EMAIL.fullmatch(valor.strip()) else None
    if entidad == "cp":
        limpio = valor.strip()
        return limpio if _cp_valido(limpio) else None
    if entidad == "telefono":
        return _telefono(re.sub(r"\D", "", valor))
    if entidad == "fecha":
        for patron in (_FECHA_NUMERICA, _FECHA_TEXTO):
            m = patron.fullmatch(valor.strip())
            if m:
                return _valor_fecha(m)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", valor.strip()):
            anio, mes, dia = (int(x) for x in valor.strip().split("-"))
            return _fecha(anio, mes, dia)
        return None
    return valor


def _valor_fecha(m: re.Match[str]) -> str | None:
    """ISO value from either date pattern's match."""
    if m.re is _FECHA_NUMERICA:
        return _fecha(int(m.group(4)), int(m.group(3)), int(m.group(1)))
    return _fecha(int(m.group(3)), _MESES[m.group(2).lower()], int(m.group(1)))


class _Acumulador:
    """Collects entities, refusing any span that overlaps one already taken (earlier extractors win)."""

    def __init__(self) -> None:
        self.entidades: list[Entity] = []

    def libre(self, inicio: int, fin: int) -> bool:
        """True when [inicio, fin) overlaps no taken span."""
        return all(fin <= e.start or inicio >= e.end for e in self.entidades)

    def agregar(self, entidad: str, valor: str | None, inicio: int, fin: int) -> bool:
        """Take the span if the value is valid and the span is free."""
        if valor is None or not self.libre(inicio, fin):
            return False
        self.entidades.append(Entity(entidad, valor, inicio, fin))
        return True


def _numero(digitos: str, *, hoy: date | None, antes: str, despues: str) -> tuple[str, str] | None:
    """Which entity a run of digits is (CLABE, NSS, teléfono, código postal), if any."""
    if len(digitos) == 18:
        valor = validar_entidad("clabe", digitos)
        return ("clabe", valor) if valor else None
    if len(digitos) == 11:
        valor = validar_entidad("nss", digitos, hoy=hoy)
        if valor:
            return "nss", valor
    telefono = _telefono(digitos)
    if telefono and (len(digitos) == 10 or antes.endswith("+")):
        return "telefono", telefono
    if len(digitos) == 5 and _cp_valido(digitos):
        # Amounts of money are not postal codes.
        if antes.rstrip().endswith("$") or re.match(r"\s*(pesos|mxn|mil)\b", despues, re.IGNORECASE):
            return None
        return "cp", digitos
    return None


def extract_entities(text: str, *, hoy: date | None = None) -> list[Entity]:
    """Valid curp, nss, rfc, email, cp, clabe, fecha and telefono entities in the text, by position."""
    acc = _Acumulador()
    for m in _EMAIL.finditer(text):
        acc.agregar("email", _email(m.group()), m.start(), m.end())
    for m in _CURP_CANDIDATO.finditer(text):
        acc.agregar("curp", validar_entidad("curp", m.group()), m.start(), m.end())
    for m in _RFC.finditer(text):
        acc.agregar("rfc", validar_entidad("rfc", m.group()), m.start(), m.end())
    for patron in (_FECHA_NUMERICA, _FECHA_TEXTO):
        for m in patron.finditer(text):
            acc.agregar("fecha", _valor_fecha(m), m.start(), m.end())
    for patron in (_TELEFONO_PARENTESIS, _TELEFONO_LADA):
        for m in patron.finditer(text):
            acc.agregar("telefono", _telefono(re.sub(r"\D", "", m.group())), m.start(), m.end())
    for patron in (_GRUPOS, _NUMERO):
        for m in patron.finditer(text):
            if not acc.libre(m.start(), m.end()):
                continue
            tipo = _numero(
                re.sub(r"\D", "", m.group()), hoy=hoy, antes=text[: m.start()], despues=text[m.end() :]
            )
            if tipo:
                acc.agregar(tipo[0], tipo[1], m.start(), m.end())
    return sorted(acc.entidades, key=lambda e: e.start)
