"""The rooms and their arrows (docs/arquitectura.md), checked on every import statement of the source."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

SOURCE = ("bot", "actions", "tramites", "nlu", "tools", "migrations")
OURS = ("bot", "tramites", "actions", "nlu")
#: What channels and the web app may import of ours: the engine package, the composition root, settings.
FRONT = ("bot.engine", "bot.container", "bot.settings", "bot.logs", "bot.channels", "bot.web", "bot.agents")


def _imports(path: Path) -> Iterator[str]:
    """Every module an import statement in `path` names, at any depth (TYPE_CHECKING and lazy ones too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def _files(room: str) -> list[Path]:
    return sorted((REPO_ROOT / room).rglob("*.py"))


def _violations(room: str, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()) -> list[str]:
    found = []
    for path in _files(room):
        for module in _imports(path):
            if module.startswith(allowed):
                continue
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(REPO_ROOT)} imports {module}")
    return found


@pytest.mark.parametrize(
    ("room", "forbidden", "allowed"),
    [
        # Domain code: pure, no chat, web, NLU or Rasa code.
        ("tramites", ("bot", "actions", "nlu", "rasa_sdk", "telegram", "fastapi", "httpx"), ()),
        # Actions: rasa-sdk, tramites and themselves; never the engine.
        ("actions", ("bot", "nlu", "telegram", "fastapi"), ()),
        # The NLU is a leaf; it validates entities with the domain's own validators (one rule each).
        ("nlu", ("bot", "actions", "tramites", "rasa_sdk"), ("tramites.texto", "tramites.identidad")),
        # The engine knows its ports, not their implementations nor the rooms that call it.
        ("bot/engine", (*OURS, "telegram", "fastapi"), ("bot.engine", "tramites.texto")),
        # The help desk: the engine's public interface, the store's tables it reads, its own modules.
        (
            "bot/agents",
            (*OURS, "telegram", "fastapi"),
            ("bot.agents", "bot.engine", "bot.store", "bot.settings", "bot.logs", "tramites.texto"),
        ),
        # Channels and the web app reach the engine through its public interface only.
        ("bot/channels", OURS, FRONT),
        ("bot/web", OURS, FRONT),
    ],
)
def test_arrows_point_inward(room: str, forbidden: tuple[str, ...], allowed: tuple[str, ...]) -> None:
    assert _violations(room, forbidden, allowed) == []


def test_channels_and_web_use_only_the_engine_package_itself() -> None:
    deep = [
        f"{path.relative_to(REPO_ROOT)} imports {module}"
        for room in ("bot/channels", "bot/web")
        for path in _files(room)
        for module in _imports(path)
        if module.startswith("bot.engine.") or module.startswith("bot.store")
    ]
    assert deep == []


def test_the_help_desk_uses_only_the_engine_package_itself() -> None:
    deep = [
        f"{path.relative_to(REPO_ROOT)} imports {module}"
        for path in _files("bot/agents")
        for module in _imports(path)
        if module.startswith("bot.engine.")
    ]
    assert deep == []


def test_no_source_or_test_reads_the_shared_folder_beside_the_repository() -> None:
    readers = []
    for folder in (*SOURCE, "tests"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path != Path(__file__) and ('"shared"' in text or "../shared" in text):
                readers.append(str(path.relative_to(REPO_ROOT)))
    assert readers == []
