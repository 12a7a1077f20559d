"""One folding rule for everything people type."""

from __future__ import annotations

import pytest

from tramites.texto import fold, quitar_acentos


@pytest.mark.parametrize(
    ("escrito", "plegado"),
    [
        ("Mamá", "mama"),
        ("  ¿Cuál   es mi NSS?  ", "cual es mi nss"),
        ("¡COMPAÑERA!", "companera"),
        ("pingüino", "pinguino"),
        ("", ""),
    ],
)
def test_fold_matches_what_people_type(escrito: str, plegado: str) -> None:
    assert fold(escrito) == plegado


def test_quitar_acentos_keeps_case() -> None:
    assert quitar_acentos("ÁNGELES Núñez") == "ANGELES Nunez"
