"""What the actions say lives in domain.yml; what they need is installed for them; they import no engine."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from rasa_sdk.executor import ActionExecutor

from actions.servicios import ServiciosNoInstalados, instalar, servicios
from tests.actions.tracker import domain
from tests.conftest import REPO_ROOT

ACCIONES = sorted((REPO_ROOT / "actions").glob("*.py"))


def _arbol(ruta: Path) -> ast.Module:
    return ast.parse(ruta.read_text(encoding="utf-8"), filename=str(ruta))


def test_every_response_an_action_names_is_in_the_domain() -> None:
    respuestas = set(domain()["responses"])
    nombradas: dict[str, str] = {}
    for ruta in ACCIONES:
        for nodo in ast.walk(_arbol(ruta)):
            if isinstance(nodo, ast.Constant) and str(nodo.value).startswith("utter_"):
                nombradas[str(nodo.value)] = f"{ruta.name}:{nodo.lineno}"
            if isinstance(nodo, ast.JoinedStr):
                partes = [p.value for p in nodo.values if isinstance(p, ast.Constant)]
                # A response name built at run time could not be checked here.
                assert not any(str(p).startswith("utter_") for p in partes), f"{ruta.name}:{nodo.lineno}"
    assert len(nombradas) > 40
    faltan = {nombre: lugar for nombre, lugar in nombradas.items() if nombre not in respuestas}
    assert faltan == {}


def test_actions_never_utter_text_of_their_own() -> None:
    con_texto = [
        f"{ruta.name}:{nodo.lineno}"
        for ruta in ACCIONES
        for nodo in ast.walk(_arbol(ruta))
        if isinstance(nodo, ast.Call)
        and isinstance(nodo.func, ast.Attribute)
        and nodo.func.attr == "utter_message"
        and any(k.arg == "text" for k in nodo.keywords)
    ]
    assert con_texto == []


def test_actions_import_nothing_of_the_engine_but_the_cancel_words() -> None:
    importados = set()
    for ruta in ACCIONES:
        for nodo in ast.walk(_arbol(ruta)):
            if isinstance(nodo, ast.ImportFrom) and (nodo.module or "").split(".")[0] == "bot":
                importados |= {f"{nodo.module}.{n.name}" for n in nodo.names}
            if isinstance(nodo, ast.Import):
                importados |= {n.name for n in nodo.names if n.name.split(".")[0] == "bot"}
    # The e.firma password step still asks the engine's cancel words (the engine will own cancel).
    assert importados <= {"bot.text.is_cancel"}


def test_the_domain_lists_exactly_the_actions_the_package_serves() -> None:
    ejecutor = ActionExecutor()
    ejecutor.register_package("actions")
    assert set(ejecutor.actions) == set(domain()["actions"])


def test_services_must_be_installed_before_an_action_runs() -> None:
    instalar(None)
    with pytest.raises(ServiciosNoInstalados) as error:
        servicios()
    assert "instalar" in str(error.value)
