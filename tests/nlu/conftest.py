"""NLU fixtures: the real training data, trained once per session into the shared cache folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from nlu import EmbeddedInterpreter
from nlu.datos import leer_ejemplos
from nlu.entrenamiento import entrenar_pipeline, exportar
from nlu.modelo import Configuracion, guardar_npz

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "nlu" / "data"
ACTOS_DIR = REPO_ROOT / "nlu" / "actos"
DOMAIN = REPO_ROOT / "domain.yml"
_HELD_OUT = Path(__file__).resolve().parent / "data"
#: Held-out intent sets, never used for training: real phrasings (FAQ, searches, news quotes) and chat.
REALES = _HELD_OUT / "reales.tsv"
CHAT = _HELD_OUT / "chat.tsv"
EVALUACION = CHAT
#: Held-out dialogue acts.
ACTOS_EVAL = _HELD_OUT / "actos.tsv"
#: The intents whose forms start a trámite: each needs at least 100 training examples.
TRAMITES = (
    "obtener_nss", "vigencia_derechos", "cambio_clinica", "semanas_cotizadas", "registrar_beneficiarios",
    "incapacidades", "cita_medica", "crear_cuenta", "actualizar_datos", "patron_tramites",
)  # fmt: skip


def intents_del_dominio() -> set[str]:
    """The intent names declared in domain.yml, the one place they are listed."""
    datos = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))
    return {str(i) for i in datos["intents"]}


@dataclass(frozen=True)
class Entrenado:
    """The fitted scikit-learn pipeline, its temperature and the exported arrays."""

    pipeline: Any
    temperatura: float
    arreglos: dict[str, Any]
    textos: list[str]
    intents: list[str]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The project's training data folder."""
    return DATA_DIR


@pytest.fixture(scope="session")
def entrenado(nlu_cache_dir: Path) -> Entrenado:
    """Train once; the weights go to the session cache so every interpreter after this loads them."""
    ejemplos = leer_ejemplos(DATA_DIR)
    textos = [e.text for e in ejemplos]
    intents = [e.intent for e in ejemplos]
    config = Configuracion()
    pipeline, temperatura = entrenar_pipeline(textos, intents, config)
    arreglos = exportar(pipeline, temperatura, config, {"ejemplos": len(ejemplos)})
    destino = EmbeddedInterpreter(DATA_DIR, nlu_cache_dir).ruta_cache()
    if not destino.exists():
        guardar_npz(arreglos, destino)
    return Entrenado(pipeline, temperatura, arreglos, textos, intents)


@pytest.fixture(scope="session")
def interprete(entrenado: Entrenado, nlu_cache_dir: Path) -> EmbeddedInterpreter:
    """An embedded interpreter over the real data, served from the session cache."""
    return EmbeddedInterpreter(DATA_DIR, nlu_cache_dir)


@pytest.fixture()
def datos_chicos(tmp_path: Path) -> Path:
    """A tiny three-intent data folder, quick to train, for cache and training-path tests."""
    carpeta = tmp_path / "datos"
    carpeta.mkdir()
    (carpeta / "chico.yml").write_text(
        'version: "3.1"\n'
        "nlu:\n"
        "- intent: saludo\n"
        "  examples: |\n"
        "    - hola\n    - buenos dias\n    - que onda\n    - buenas tardes\n    - hola que tal\n"
        "- intent: obtener_nss\n"
        "  examples: |\n"
        "    - quiero mi nss\n    - numero de seguro social\n    - ocupo mi numero de seguridad social\n"
        "    - mi curp es [XIQB891116MGRMZR05](curp) dame mi nss\n    - como saco mi nss\n"
        "- intent: despedida\n"
        "  examples: |\n"
        "    - adios\n    - hasta luego\n    - nos vemos\n    - bye\n    - ya me voy\n",
        encoding="utf-8",
    )
    return carpeta
