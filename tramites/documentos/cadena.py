"""The cadena original: a document's data in one canonical, unambiguous line.

Format (version 1)::

    ||1|tipo|folio|fecha|titulo|Etiqueta=valor|...|@tabla:Título:0:Columna=|@tabla:Título:1:Columna=valor|
      @nota:1=texto|@firma:Etiqueta=valor||

- Every piece is Unicode NFC with surrounding whitespace removed and inner whitespace runs collapsed
  to one space, so the same data always gives the same bytes (UTF-8).
- In every piece a backslash escapes the next character: ``\\`` and ``|`` are always escaped; in keys
  (labels, table titles, column names) ``=`` and ``:`` are escaped too, and a label starting with ``@``
  is written ``\\@``.
- ``fecha`` is ISO 8601 with seconds and UTC offset, e.g. ``2026-01-15T10:30:00-06:00``.
- Table rows are numbered from 1; row 0 lists the columns (empty value) so empty tables keep their shape.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from tramites.documentos.modelo import Documento, DocumentosError, Tabla

__all__ = [
    "VERSION_CADENA",
    "CadenaInvalida",
    "CadenaLeida",
    "cadena_original",
    "normalizar_documento",
    "normalizar_texto",
    "parsear_cadena",
]

VERSION_CADENA = "1"


class CadenaInvalida(DocumentosError):
    """A string is not a cadena original this module could have written."""


@dataclass(frozen=True)
class CadenaLeida:
    """The parts of a parsed cadena original."""

    version: str
    folio: str
    fecha: datetime
    documento: Documento


def normalizar_texto(texto: str) -> str:
    """NFC, trimmed, inner whitespace collapsed: the canonical form of one piece of text."""
    return " ".join(unicodedata.normalize("NFC", texto).split())


def normalizar_documento(doc: Documento) -> Documento:
    """A copy of `doc` with every text in canonical form (what the PDF shows equals the cadena)."""
    n = normalizar_texto
    return Documento(
        tipo=n(doc.tipo),
        titulo=n(doc.titulo),
        campos=[(n(k), n(v)) for k, v in doc.campos],
        tablas=[
            Tabla(titulo=n(t.titulo), columnas=[n(c) for c in t.columnas],
                  filas=[[n(c) for c in fila] for fila in t.filas])
            for t in doc.tablas
        ],
        notas=[n(x) for x in doc.notas],
        firmas=[(n(k), n(v)) for k, v in doc.firmas],
    )


def _valor(texto: str) -> str:
    return normalizar_texto(texto).replace("\\", "\\\\").replace("|", "\\|")


def _clave(texto: str) -> str:
    escapado = _valor(texto).replace("=", "\\=").replace(":", "\\:")
    return "\\" + escapado if escapado.startswith("@") else escapado


def _fecha(fecha: datetime) -> str:
    if fecha.tzinfo is None or fecha.utcoffset() is None:
        raise ValueError("la fecha del documento debe llevar zona horaria")
    return fecha.isoformat(timespec="seconds")


def cadena_original(doc: Documento, folio: str, fecha: datetime) -> str:
    """Build the canonical cadena original of a document."""
    piezas = [VERSION_CADENA, _valor(doc.tipo), _valor(folio), _fecha(fecha), _valor(doc.titulo)]
    piezas += [f"{_clave(k)}={_valor(v)}" for k, v in doc.campos]
    for tabla in doc.tablas:
        titulo = _clave(tabla.titulo)
        piezas += [f"@tabla:{titulo}:0:{_clave(c)}=" for c in tabla.columnas]
        for i, fila in enumerate(tabla.filas, start=1):
            if len(fila) != len(tabla.columnas):
                raise ValueError(f"la fila {i} de la tabla {tabla.titulo!r} no tiene una celda por columna")
            piezas += [f"@tabla:{titulo}:{i}:{_clave(c)}={_valor(v)}" for c, v in zip(tabla.columnas, fila,
                                                                                     strict=True)]
    piezas += [f"@nota:{i}={_valor(x)}" for i, x in enumerate(doc.notas, start=1)]
    piezas += [f"@firma:{_clave(k)}={_valor(v)}" for k, v in doc.firmas]
    return "||" + "|".join(piezas) + "||"


def _partir(texto: str, separador: str, maximo: int | None = None) -> list[str]:
    """Split on unescaped `separador`, keeping escapes (they are removed by `_quitar_escapes`)."""
    partes: list[str] = []
    actual: list[str] = []
    i = 0
    while i < len(texto):
        c = texto[i]
        if c == "\\":
            if i + 1 >= len(texto):
                raise CadenaInvalida("escape incompleto al final")
            actual.append(texto[i:i + 2])
            i += 2
            continue
        if c == separador and (maximo is None or len(partes) < maximo):
            partes.append("".join(actual))
            actual = []
        else:
            actual.append(c)
        i += 1
    partes.append("".join(actual))
    return partes


def _quitar_escapes(texto: str) -> str:
    salida: list[str] = []
    i = 0
    while i < len(texto):
        if texto[i] == "\\":
            salida.append(texto[i + 1])
            i += 2
        else:
            salida.append(texto[i])
            i += 1
    return "".join(salida)


def parsear_cadena(cadena: str) -> CadenaLeida:
    """Parse a cadena original back into folio, fecha and document data."""
    if len(cadena) < 4 or not cadena.startswith("||") or not cadena.endswith("||"):
        raise CadenaInvalida("la cadena original debe empezar y terminar con ||")
    piezas = _partir(cadena[2:-2], "|")
    if len(piezas) < 5:
        raise CadenaInvalida("faltan datos en la cadena original")
    version, tipo, folio, fecha_txt, titulo = (_quitar_escapes(p) for p in piezas[:5])
    if version != VERSION_CADENA:
        raise CadenaInvalida(f"versión de cadena desconocida: {version}")
    try:
        fecha = datetime.fromisoformat(fecha_txt)
    except ValueError as e:
        raise CadenaInvalida("fecha no válida") from e
    doc = Documento(tipo=tipo, titulo=titulo, campos=[])
    tablas: dict[str, Tabla] = {}
    for pieza in piezas[5:]:
        clave_valor = _partir(pieza, "=", maximo=1)
        if len(clave_valor) != 2:
            raise CadenaInvalida("un dato de la cadena original no tiene '='")
        clave_cruda, valor = clave_valor[0], _quitar_escapes(clave_valor[1])
        if not clave_cruda.startswith("@"):
            doc.campos.append((_quitar_escapes(clave_cruda), valor))
            continue
        partes = [_quitar_escapes(p) for p in _partir(clave_cruda, ":")]
        tipo_item = partes[0]
        if tipo_item == "@tabla" and len(partes) == 4 and partes[2].isdecimal():
            titulo_tabla, fila, columna = partes[1], int(partes[2]), partes[3]
            tabla = tablas.get(titulo_tabla)
            if tabla is None:
                tabla = tablas[titulo_tabla] = Tabla(titulo=titulo_tabla, columnas=[], filas=[])
                doc.tablas.append(tabla)
            if fila == 0:
                tabla.columnas.append(columna)
            else:
                while len(tabla.filas) < fila:
                    tabla.filas.append([])
                tabla.filas[fila - 1].append(valor)
        elif tipo_item == "@nota" and len(partes) == 2:
            doc.notas.append(valor)
        elif tipo_item == "@firma" and len(partes) == 2:
            doc.firmas.append((partes[1], valor))
        else:
            raise CadenaInvalida(f"dato desconocido en la cadena original: {clave_cruda}")
    return CadenaLeida(version=version, folio=folio, fecha=fecha, documento=doc)
