"""Choose the interpreter from configuration values (no Settings import here)."""

from __future__ import annotations

from pathlib import Path

from nlu.embedded import EmbeddedInterpreter
from nlu.rasa_http import RasaHttpInterpreter
from nlu.tipos import Interpreter

__all__ = ["build_interpreter"]


def build_interpreter(nlu_url: str | None, data_dir: Path, cache_dir: Path) -> Interpreter:
    """A Rasa server when `nlu_url` is set, else the embedded classifier trained from `data_dir`."""
    if nlu_url:
        return RasaHttpInterpreter(nlu_url)
    return EmbeddedInterpreter(data_dir, cache_dir)
