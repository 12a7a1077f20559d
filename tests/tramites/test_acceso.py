"""Whose data a look-up may show: the email given against the one IMSS holds for the CURP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tramites.registro.apoyo_registro import copia_demo
from tramites.acceso import Resultado, verificar_titular
from tramites.registro import CURP_NO_REGISTRADA, PREDECIBLES, SqlRegistro

MARIA, TOMAS = PREDECIBLES[0], PREDECIBLES[10]


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> SqlRegistro:
    """The demo registry (a private copy)."""
    return copia_demo(tmp_path_factory, tmp_path)


@pytest.mark.parametrize(
    "email", [MARIA.email or "", f"  {(MARIA.email or '').upper()} ", "Guadalupe.Hernandez@Example.COM"]
)
def test_the_email_on_file_matches_trimmed_and_in_any_case(demo: SqlRegistro, email: str) -> None:
    assert verificar_titular(demo, MARIA.curp, email) is Resultado.COINCIDE


@pytest.mark.parametrize("email", ["ana@example.com", "guadalupe.hernandez@example.net", ""])
def test_another_email_does_not_match(demo: SqlRegistro, email: str) -> None:
    resultado = verificar_titular(demo, MARIA.curp, email)
    assert resultado is Resultado.NO_COINCIDE and not resultado.permite


def test_a_curp_nobody_has_is_not_found(demo: SqlRegistro) -> None:
    resultado = verificar_titular(demo, CURP_NO_REGISTRADA, "pedro@example.com")
    assert resultado is Resultado.NO_ENCONTRADA and not resultado.permite


def test_a_person_without_email_on_file_may_only_get_documents_by_email(demo: SqlRegistro) -> None:
    assert TOMAS.email is None
    resultado = verificar_titular(demo, TOMAS.curp, "tomas@example.com")
    assert resultado is Resultado.SIN_CORREO and resultado.permite


def test_a_lowercase_curp_is_the_same_person(demo: SqlRegistro) -> None:
    assert verificar_titular(demo, f" {MARIA.curp.lower()} ", MARIA.email or "") is Resultado.COINCIDE
