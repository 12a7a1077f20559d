"""Reading Rasa 3 NLU YAML training data and TSV evaluation files."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from nlu.tipos import DatosNluInvalidos

__all__ = [
    "Ejemplo",
    "EntidadAnotada",
    "archivos_de_datos",
    "huella_de_datos",
    "leer_archivo_evaluacion",
    "leer_ejemplos",
    "leer_ejemplos_yaml",
    "leer_tsv",
    "load_training_data",
    "quitar_anotaciones",
]

# Rasa entity annotations: [text](entity), [text](entity:value), [text]{"entity": ..., "value": ...}
_ANOTACION = re.compile(r"\[(?P<texto>[^\]]+)\](?:\((?P<simple>[^)]*)\)|(?P<json>\{[^}]*\}))")


@dataclass(frozen=True)
class EntidadAnotada:
    """An entity annotated in a training example, with offsets into the plain text."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Ejemplo:
    """One training or evaluation example: plain text, intent and annotated entities."""

    text: str
    intent: str
    entities: tuple[EntidadAnotada, ...] = field(default_factory=tuple)


def quitar_anotaciones(texto: str) -> tuple[str, tuple[EntidadAnotada, ...]]:
    """Turn "mi curp es [X](curp)" into the plain text plus the annotated entities."""
    partes: list[str] = []
    entidades: list[EntidadAnotada] = []
    posicion = 0
    largo = 0
    for m in _ANOTACION.finditer(texto):
        previo = texto[posicion : m.start()]
        partes.append(previo)
        largo += len(previo)
        valor_texto = m.group("texto")
        nombre, valor = _leer_etiqueta(m.group("simple"), m.group("json"), valor_texto)
        entidades.append(EntidadAnotada(nombre, valor, largo, largo + len(valor_texto)))
        partes.append(valor_texto)
        largo += len(valor_texto)
        posicion = m.end()
    partes.append(texto[posicion:])
    return "".join(partes), tuple(entidades)


def _leer_etiqueta(simple: str | None, como_json: str | None, texto: str) -> tuple[str, str]:
    """Entity name and value from either annotation style."""
    if simple is not None:
        nombre, _, valor = simple.partition(":")
        return nombre.strip(), (valor.strip() or texto)
    import json

    try:
        datos: Any = json.loads(como_json or "{}")
    except json.JSONDecodeError as exc:
        raise DatosNluInvalidos(f"La anotación {como_json} no es JSON válido: {exc}.") from exc
    return str(datos.get("entity", "")), str(datos.get("value", texto))


def _lineas_de_ejemplos(bloque: Any) -> list[str]:
    """Examples come as a `- ` block string (Rasa 3) or, leniently, as a YAML list."""
    if isinstance(bloque, list):
        return [str(x.get("text", "")) if isinstance(x, dict) else str(x) for x in bloque]
    lineas = []
    for linea in str(bloque or "").splitlines():
        linea = linea.strip()
        if linea.startswith("- "):
            lineas.append(linea[2:].strip())
        elif linea == "-":
            continue
        elif linea:
            lineas.append(linea)
    return lineas


def leer_ejemplos_yaml(path: Path) -> list[Ejemplo]:
    """All intent examples in one Rasa NLU YAML file (regex, synonym and lookup entries are skipped)."""
    try:
        contenido = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DatosNluInvalidos(f"No pude leer {path}: {exc}. Revisa que sea YAML de Rasa.") from exc
    if not isinstance(contenido, dict):
        raise DatosNluInvalidos(f"{path} no tiene el formato de Rasa (falta la lista `nlu:`).")
    ejemplos: list[Ejemplo] = []
    for bloque in contenido.get("nlu") or []:
        if not isinstance(bloque, dict) or "intent" not in bloque:
            continue
        intent = str(bloque["intent"]).strip()
        for linea in _lineas_de_ejemplos(bloque.get("examples")):
            texto, entidades = quitar_anotaciones(linea)
            if texto.strip():
                ejemplos.append(Ejemplo(texto.strip(), intent, entidades))
    return ejemplos


def leer_tsv(path: Path) -> list[Ejemplo]:
    """`text<TAB>intent` lines; blank lines, `#` comments and a `text\tintent` header are ignored."""
    try:
        lineas = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DatosNluInvalidos(f"No pude leer {path}: {exc}.") from exc
    ejemplos: list[Ejemplo] = []
    for numero, linea in enumerate(lineas, start=1):
        if not linea.strip() or linea.lstrip().startswith("#"):
            continue
        texto, separador, intent = linea.rpartition("\t")
        if not separador or not texto.strip() or not intent.strip():
            raise DatosNluInvalidos(
                f"La línea {numero} de {path.name} debe tener texto, un tabulador y el intent."
            )
        if (texto.strip().lower(), intent.strip().lower()) == ("text", "intent"):
            continue
        plano, entidades = quitar_anotaciones(texto.strip())
        ejemplos.append(Ejemplo(plano, intent.strip(), entidades))
    return ejemplos


def leer_archivo_evaluacion(path: Path) -> list[Ejemplo]:
    """A TSV (`text<TAB>intent`) or Rasa NLU YAML file, chosen by extension."""
    if not path.is_file():
        raise DatosNluInvalidos(f"No encontré el archivo {path}. Revisa la ruta.")
    if path.suffix.lower() in {".yml", ".yaml"}:
        return leer_ejemplos_yaml(path)
    return leer_tsv(path)


def archivos_de_datos(data_dir: Path) -> list[Path]:
    """The YAML files that make up the training data, in a stable order."""
    if not data_dir.is_dir():
        raise DatosNluInvalidos(f"No existe la carpeta de datos de NLU {data_dir}.")
    return sorted(p for p in data_dir.rglob("*") if p.suffix.lower() in {".yml", ".yaml"} and p.is_file())


def leer_ejemplos(data_dir: Path) -> list[Ejemplo]:
    """All training examples under a data folder."""
    ejemplos: list[Ejemplo] = []
    for path in archivos_de_datos(data_dir):
        ejemplos.extend(leer_ejemplos_yaml(path))
    if not ejemplos:
        raise DatosNluInvalidos(f"No hay ejemplos de intents en {data_dir}.")
    return ejemplos


def load_training_data(data_dir: Path) -> list[tuple[str, str]]:
    """Training pairs (plain text without annotation syntax, intent)."""
    return [(e.text, e.intent) for e in leer_ejemplos(data_dir)]


def huella_de_datos(data_dir: Path, version: str) -> str:
    """Content hash of the training files plus the code version: the model cache key."""
    h = hashlib.sha256(version.encode())
    for path in archivos_de_datos(data_dir):
        h.update(b"\0" + path.relative_to(data_dir).as_posix().encode() + b"\0")
        h.update(path.read_bytes())
    return h.hexdigest()
