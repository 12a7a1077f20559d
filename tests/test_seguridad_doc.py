"""docs/seguridad.md names the test behind each attack: every one of those tests must exist."""

from __future__ import annotations

import re

from tests.conftest import REPO_ROOT

_REFERENCIA = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def test_every_test_named_in_the_attack_table_exists() -> None:
    texto = (REPO_ROOT / "docs" / "seguridad.md").read_text(encoding="utf-8")
    referencias = _REFERENCIA.findall(texto)
    assert len(referencias) >= 50
    faltan = [
        f"{ruta}::{nombre}"
        for ruta, nombre in referencias
        if not (REPO_ROOT / ruta).is_file()
        or not re.search(rf"^(async )?def {nombre}\(", (REPO_ROOT / ruta).read_text(encoding="utf-8"), re.M)
    ]
    assert faltan == []
