"""Who a message is about: "la de mi esposa", "es para mi hijo", "su constancia de ella".

People name the relative a trámite is for in passing, often without naming the trámite again ("ahora la
de mi mamá" right after their own constancia). This module finds the relative and tells apart such a
reference to something already said from a new request ("quiero registrar a mi esposa").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tramites.texto import fold

__all__ = ["Familiar", "es_referencia", "familiar_mencionado"]


@dataclass(frozen=True)
class Familiar:
    """A relative named in a message."""

    #: How to name them back to the person ("tu esposa", "tu hijo", "tu familiar").
    nombre: str
    #: The registry's parentesco (conyuge, hijo, madre...), when the word says it.
    parentesco: str | None


# The person's word -> how the bot names them back, and the registry's parentesco.
_PALABRAS: dict[str, tuple[str, str | None]] = {
    "esposa": ("tu esposa", "conyuge"),
    "esposo": ("tu esposo", "conyuge"),
    "marido": ("tu esposo", "conyuge"),
    "mujer": ("tu esposa", "conyuge"),
    "senora": ("tu esposa", "conyuge"),
    "pareja": ("tu pareja", "conyuge"),
    "concubina": ("tu concubina", "concubina"),
    "concubino": ("tu concubino", "concubinario"),
    "hijo": ("tu hijo", "hijo"),
    "hija": ("tu hija", "hijo"),
    "nino": ("tu hijo", "hijo"),
    "nina": ("tu hija", "hijo"),
    "bebe": ("tu bebé", "hijo"),
    "mama": ("tu mamá", "madre"),
    "madre": ("tu mamá", "madre"),
    "jefa": ("tu mamá", "madre"),
    "papa": ("tu papá", "padre"),
    "padre": ("tu papá", "padre"),
    "jefe": ("tu papá", "padre"),
}
_POSESIVO = r"(?:mi|mis|su|sus)"
# "mi esposa", "a mi hijo", "para mi mamá": the word must follow a possessive ("la mujer del anuncio"
# names nobody's wife).
_MENCION = re.compile(rf"\b{_POSESIVO}\s+({'|'.join(_PALABRAS)})s?\b")
# "su constancia de ella", "es para él": "el" only at the end, so "para el trámite" names nobody.
_TERCERA_PERSONA = re.compile(r"\b(?:de|para|a)\s+(?:ella\b|el(?=\s*(?:$|[,.;:!?])))")
# A reference to something already named: "la de", "el de", "lo de", "una para", "también a/para".
_REFERENCIA = re.compile(r"\b(?:la|el|lo|las|los|una|uno|otra|otro)\s+(?:de|para)\b|\btambien\b|\bahora\b")
_JEFES = ("jefe", "jefa")


def familiar_mencionado(texto: str) -> Familiar | None:
    """The relative the message names ("mi esposa", "de ella"), or None."""
    plano = fold(texto)
    encontrado = _MENCION.search(plano)
    if encontrado is not None:
        palabra = encontrado.group(1)
        # "mi jefe" is usually the boss; only a short reference ("la de mi jefa") means a parent.
        if palabra not in _JEFES or es_referencia(texto):
            nombre, parentesco = _PALABRAS[palabra]
            return Familiar(nombre=nombre, parentesco=parentesco)
    if _TERCERA_PERSONA.search(plano):
        return Familiar(nombre="tu familiar", parentesco=None)
    return None


def es_referencia(texto: str) -> bool:
    """Whether the message points back at something said before ("ahora la de mi esposa", "también")."""
    return _REFERENCIA.search(fold(texto)) is not None
