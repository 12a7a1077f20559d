"""The guidance data (conocimiento.yml, fuera_de_alcance.yml) read into typed entries, sources required.

Every answer the assistant gives from these files states facts a person acts on (a phone number, a
percentage, a deadline), so each entry must say where the facts come from and when someone checked them:
an entry without a source, facts or date is refused with a message that names the file and the entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from tramites.errores import TramiteError

__all__ = [
    "CARPETA",
    "Destino",
    "Entrada",
    "Fuente",
    "GuiaInvalida",
    "Orientacion",
    "cargar_orientacion",
]

CARPETA = Path(__file__).resolve().parent
"""Where the guidance files ship, next to this module."""


class GuiaInvalida(TramiteError):
    """A guidance file lacks something every entry must have; the message names the file and entry."""

    MENSAJE = "{archivo}: la entrada «{entrada}» {falta}."


@dataclass(frozen=True)
class Fuente:
    """Where a fact comes from: an official page, a law article, or both."""

    url: str | None
    ley: str | None


@dataclass(frozen=True)
class _Fuentada:
    """What every entry of either file states: its facts, where they come from and when they were checked."""

    id: str
    respuesta: str
    hechos: tuple[str, ...]
    fuentes: tuple[Fuente, ...]
    verificado: date


@dataclass(frozen=True)
class Entrada(_Fuentada):
    """One answer of the knowledge base."""

    #: Intents whose questions it answers best (a prior for the match, not a filter).
    intents: tuple[str, ...]
    #: The answer for an intent when no example question matches well (at most one per intent).
    por_omision: bool
    #: Example questions, in people's words: what the answer is matched against.
    preguntas: tuple[str, ...]
    #: The intent whose trámite the answer offers to start, if any.
    tramite: str | None
    #: The answer is the trámite itself ("¿estoy vigente?" is answered by the constancia): start it.
    inicia: bool
    boton: str | None


@dataclass(frozen=True)
class Destino(_Fuentada):
    """Another institution (or an emergency) and where to go for it: the out-of-scope routing table."""

    #: Words or phrases that name it ("afore", "e-sar", "no respira"), matched as whole words.
    claves: tuple[str, ...]
    #: Said before anything else, whatever the message was about (emergencies).
    urgente: bool = False


@dataclass(frozen=True)
class Orientacion:
    """Both files, loaded: answers, routes and the words ignored when matching."""

    entradas: tuple[Entrada, ...]
    destinos: tuple[Destino, ...]
    palabras_vacias: frozenset[str]


def _texto(valor: Any) -> str:
    return " ".join(str(valor or "").split())


def _lista(valor: Any) -> tuple[str, ...]:
    return tuple(_texto(v) for v in valor or [] if _texto(v))


class _Lector:
    """Reads one entry of one file, refusing incomplete ones."""

    def __init__(self, archivo: Path, crudo: Mapping[str, Any]) -> None:
        self.archivo = archivo
        self.crudo = crudo
        self.id = _texto(crudo.get("id")) or "(sin id)"

    def falla(self, falta: str) -> GuiaInvalida:
        return GuiaInvalida(archivo=self.archivo.name, entrada=self.id, falta=falta)

    def requerido(self, clave: str) -> str:
        valor = _texto(self.crudo.get(clave))
        if not valor:
            raise self.falla(f"no tiene «{clave}»")
        return valor

    def tramite(self) -> str | None:
        tramite = _texto(self.crudo.get("tramite")) or None
        if self.crudo.get("inicia") and tramite is None:
            raise self.falla("dice «inicia» pero no qué trámite («tramite»)")
        return tramite

    def hechos(self) -> tuple[str, ...]:
        hechos = _lista(self.crudo.get("hechos"))
        if not hechos:
            raise self.falla("no dice sus hechos («hechos»)")
        return hechos

    def fuentes(self) -> tuple[Fuente, ...]:
        fuentes = []
        for crudo in self.crudo.get("fuentes") or []:
            url = _texto(crudo.get("url")) if isinstance(crudo, Mapping) else ""
            ley = _texto(crudo.get("ley")) if isinstance(crudo, Mapping) else ""
            if url or ley:
                fuentes.append(Fuente(url=url or None, ley=ley or None))
        if not fuentes:
            raise self.falla("no tiene fuente oficial («fuentes» con «url» o «ley»)")
        return tuple(fuentes)

    def verificado(self) -> date:
        valor = self.crudo.get("verificado")
        if isinstance(valor, date):
            return valor
        try:
            return date.fromisoformat(str(valor))
        except ValueError:
            raise self.falla("no dice cuándo se revisó («verificado: AAAA-MM-DD»)") from None

    def entrada(self) -> Entrada:
        return Entrada(
            id=self.requerido("id"),
            intents=_lista(self.crudo.get("intents")),
            por_omision=bool(self.crudo.get("por_omision")),
            preguntas=_lista(self.crudo.get("preguntas")),
            respuesta=self.requerido("respuesta"),
            tramite=self.tramite(),
            inicia=bool(self.crudo.get("inicia")),
            boton=_texto(self.crudo.get("boton")) or None,
            hechos=self.hechos(),
            fuentes=self.fuentes(),
            verificado=self.verificado(),
        )

    def destino(self) -> Destino:
        claves = _lista(self.crudo.get("claves"))
        if not claves:
            raise self.falla("no tiene «claves»")
        return Destino(
            id=self.requerido("id"),
            claves=claves,
            respuesta=self.requerido("respuesta"),
            hechos=self.hechos(),
            fuentes=self.fuentes(),
            verificado=self.verificado(),
            urgente=bool(self.crudo.get("urgente")),
        )


def _leer(archivo: Path) -> Mapping[str, Any]:
    crudo = yaml.safe_load(archivo.read_text(encoding="utf-8")) or {}
    if not isinstance(crudo, Mapping):
        raise GuiaInvalida(archivo=archivo.name, entrada="(archivo)", falta="no es un diccionario YAML")
    return crudo


def _unicos(archivo: Path, ids: Sequence[str]) -> None:
    repetido = next((i for n, i in enumerate(ids) if i in ids[:n]), None)
    if repetido is not None:
        raise GuiaInvalida(archivo=archivo.name, entrada=repetido, falta="está repetida")


def cargar_orientacion(carpeta: Path = CARPETA) -> Orientacion:
    """Read conocimiento.yml and fuera_de_alcance.yml from `carpeta`; raises `GuiaInvalida`."""
    conocimiento = carpeta / "conocimiento.yml"
    rutas = carpeta / "fuera_de_alcance.yml"
    crudo = _leer(conocimiento)
    entradas = tuple(_Lector(conocimiento, e).entrada() for e in crudo.get("entradas") or [])
    _unicos(conocimiento, [e.id for e in entradas])
    for intent in {i for e in entradas if e.por_omision for i in e.intents}:
        dobles = [e.id for e in entradas if e.por_omision and intent in e.intents]
        if len(dobles) > 1:
            raise GuiaInvalida(archivo=conocimiento.name, entrada=dobles[1], falta=f"repite la respuesta "
                               f"por omisión de {intent}")
    destinos = tuple(_Lector(rutas, d).destino() for d in _leer(rutas).get("destinos") or [])
    _unicos(rutas, [d.id for d in destinos])
    return Orientacion(
        entradas=entradas,
        destinos=destinos,
        palabras_vacias=frozenset(_lista(crudo.get("palabras_vacias"))),
    )
