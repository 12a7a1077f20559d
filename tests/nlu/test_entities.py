"""Entity extraction: only valid values, normalized, with offsets into the original text."""

from __future__ import annotations

from datetime import date

import pytest

from nlu import Entity, extract_entities
from nlu.entities import validar_entidad
from tramites.identidad import digito_clabe, digito_curp, digito_nss


def _tuplas(texto: str) -> list[tuple[str, str, str]]:
    """(entity, value, the original text slice) for each entity."""
    return [(e.entity, e.value, texto[e.start : e.end]) for e in extract_entities(texto)]


def test_curp_and_email_with_offsets() -> None:
    texto = "mi curp es XIQB891116MGRMZR05 y mi correo ana@example.com"
    assert extract_entities(texto) == [
        Entity("curp", "XIQB891116MGRMZR05", 11, 29),
        Entity("email", "ana@example.com", 42, 57),
    ]


def test_invalid_curp_is_not_an_entity() -> None:
    base = "XIQB891116MGRMZR0"
    malo = base + str((int(digito_curp(base)) + 1) % 10)
    assert extract_entities(f"mi curp es {malo}") == []
    # A month 13 is not a CURP either, even with a check digit that matches.
    base13 = "XIQB891316MGRMZR0"
    assert extract_entities(f"curp {base13}{digito_curp(base13)}") == []


def test_lowercase_curp_and_rfc_are_uppercased() -> None:
    assert _tuplas("curp xiqb891116mgrmzr05 rfc goma850312hj7") == [
        ("curp", "XIQB891116MGRMZR05", "xiqb891116mgrmzr05"),
        ("rfc", "GOMA850312HJ7", "goma850312hj7"),
    ]


def test_nss_plain_and_in_groups() -> None:
    assert _tuplas("nss 72795608040") == [("nss", "72795608040", "72795608040")]
    assert _tuplas("mi nss es 7279-5608-040.") == [("nss", "72795608040", "7279-5608-040")]
    base = "7279560804"
    malo = base + str((int(digito_nss(base)) + 3) % 10)
    assert extract_entities(f"nss {malo}") == []


def test_nss_birth_after_affiliation_is_rejected() -> None:
    # Subdelegación 72, afiliado en 1950, nacido en 1990: impossible.
    base = "7250900804"
    assert extract_entities(f"nss {base}{digito_nss(base)}", hoy=date(2026, 1, 1)) == []


def test_clabe_is_not_mistaken_for_smaller_numbers() -> None:
    base = "01218000118359719"
    clabe = base + digito_clabe(base)
    assert _tuplas(f"mi clabe {clabe}") == [("clabe", clabe, clabe)]
    mala = base + str((int(digito_clabe(base)) + 1) % 10)
    assert extract_entities(f"mi clabe {mala}") == []


@pytest.mark.parametrize(
    ("texto", "valor", "trozo"),
    [
        ("mi cp es 06600.", "06600", "06600"),
        ("vivo en el 44100, guadalajara", "44100", "44100"),
    ],
)
def test_codigo_postal(texto: str, valor: str, trozo: str) -> None:
    assert _tuplas(texto) == [("cp", valor, trozo)]


@pytest.mark.parametrize(
    "texto",
    [
        "cp 00999",  # below 01000
        "cp 17500",  # 17–19 are not assigned to any state
        "me cobraron $12000",  # money
        "son 25000 pesos",
        "XIQB891116MGRMZR05",  # digits inside a CURP
        "72795608040",  # inside an NSS
    ],
)
def test_no_codigo_postal(texto: str) -> None:
    assert [e for e in extract_entities(texto) if e.entity == "cp"] == []


def test_nss_and_cp_side_by_side() -> None:
    assert _tuplas("72795608040 06600") == [("nss", "72795608040", "72795608040"), ("cp", "06600", "06600")]


@pytest.mark.parametrize(
    ("texto", "trozo"),
    [
        ("mi cel 5512345678", "5512345678"),
        ("tel (55) 1234-5678", "(55) 1234-5678"),
        ("whats +52 55 1234 5678", "+52 55 1234 5678"),
        ("llamame al 55 1234 5678", "55 1234 5678"),
    ],
)
def test_telefono(texto: str, trozo: str) -> None:
    assert _tuplas(texto) == [("telefono", "5512345678", trozo)]


def test_telefono_cannot_start_with_0_or_1() -> None:
    assert extract_entities("numero 0123456789") == []


@pytest.mark.parametrize(
    ("texto", "trozo"),
    [
        ("naci el 16/11/1989", "16/11/1989"),
        ("naci el 16-11-1989", "16-11-1989"),
        ("naci el 16 de noviembre de 1989", "16 de noviembre de 1989"),
        ("naci el 16 de Noviembre del 1989", "16 de Noviembre del 1989"),
        ("naci el 16 nov 1989", "16 nov 1989"),
    ],
)
def test_fecha(texto: str, trozo: str) -> None:
    assert _tuplas(texto) == [("fecha", "1989-11-16", trozo)]


def test_impossible_date_is_not_an_entity() -> None:
    assert extract_entities("el 30/02/2000") == []
    assert extract_entities("el 31 de junio de 2001") == []


def test_email_edge_cases() -> None:
    assert _tuplas("Escribe a Ana.Lopez@Example.COM.") == [
        ("email", "ana.lopez@example.com", "Ana.Lopez@Example.COM")
    ]
    assert extract_entities("correo ana..lopez@example.com") == []
    assert extract_entities("correo ana@example") == []


def test_many_entities_sorted_by_position() -> None:
    texto = (
        "soy GOMA850312HJCRRN05, nss 01158800126, correo a@b.mx, cp 64000, tel 8112345678, rfc GOMA850312HJ7"
    )
    assert [e.entity for e in extract_entities(texto)] == ["curp", "nss", "email", "cp", "telefono", "rfc"]


def test_validar_entidad_normalizes_or_rejects() -> None:
    assert validar_entidad("curp", " xiqb891116mgrmzr05 ") == "XIQB891116MGRMZR05"
    assert validar_entidad("curp", "XIQB891116MGRMZR06") is None
    assert validar_entidad("cp", "17000") is None
    assert validar_entidad("fecha", "16 de noviembre de 1989") == "1989-11-16"
    assert validar_entidad("telefono", "+52 (33) 1234 5678") == "3312345678"
    assert validar_entidad("colonia", "Roma Norte") == "Roma Norte"
