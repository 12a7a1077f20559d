"""Normalization: what people type and its tidy form must share features."""

from __future__ import annotations

import pytest

from nlu.normalizacion import normalizar


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("¡Q onda!", "que onda"),
        ("Holaaaa", "hola"),
        ("siiii", "si"),
        ("noo", "no"),
        ("Número d seguro social XFA", "numero de seguro social por favor"),
        ("Mamá, ¿cómo está la niña?", "mama como esta la nina"),
        ("mi curp es XIQB891116MGRMZR05 y mi correo ana@example.com", "mi curp es curp y mi correo correo"),
        ("me dieron 7 dias", "me dieron 0 dias"),
        ("  e.firma   .cer ", "e firma cer"),
        ("", ""),
    ],
)
def test_normalizar(texto: str, esperado: str) -> None:
    assert normalizar(texto) == esperado


def test_legitimate_double_letters_survive() -> None:
    assert normalizar("creer que llegue el carro") == "creer que llegue el carro"
