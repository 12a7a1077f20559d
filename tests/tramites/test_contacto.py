"""Medios de contacto and domicilio: the one email rule, phone, código postal, address; one error root."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import tramites
from tramites.contacto import (
    CodigoPostalInvalido,
    DomicilioInvalido,
    EmailInvalido,
    TelefonoInvalido,
    enmascarar_email,
    validar_cp,
    validar_domicilio,
    validar_email,
    validar_telefono,
)
from tramites.errores import TramiteError


@pytest.mark.parametrize(("texto", "email"), [
    ("Ana.Perez@Example.COM", "ana.perez@example.com"),
    ("mi correo es ana@example.mx, gracias", "ana@example.mx"),
    ("  ana@correo.com.mx. ", "ana@correo.com.mx"),
])
def test_email_found_and_lowercased(texto: str, email: str) -> None:
    assert validar_email(texto) == email


@pytest.mark.parametrize(("texto", "fragmento"), [
    ("", "No escribiste tu correo"),
    ("ana.example.com", "le falta la @"),
    ("ana @example.com", "tiene espacios"),
    ("ana@example", "no parece válido"),
    ("ana@gmail.con", "tal vez quisiste decir ana@gmail.com."),
])
def test_email_refused_with_the_reason(texto: str, fragmento: str) -> None:
    with pytest.raises(EmailInvalido) as error:
        validar_email(texto)
    assert fragmento in error.value.mensaje
    # A statement: the engine asks the question.
    assert "¿" not in error.value.mensaje


def test_phone_has_ten_digits_with_or_without_country_code() -> None:
    assert validar_telefono("55 1234 9876") == validar_telefono("+52 55 1234 9876") == "5512349876"
    with pytest.raises(TelefonoInvalido) as error:
        validar_telefono("1234")
    assert error.value.mensaje == "Tu teléfono tiene 4 dígitos y debe tener 10, con la lada."


def test_codigo_postal() -> None:
    assert validar_cp("C.P. 06-700") == "06700"
    for malo, fragmento in (("0670", "5 números"), ("18000", "no existe en México")):
        with pytest.raises(CodigoPostalInvalido) as error:
            validar_cp(malo)
        assert fragmento in error.value.mensaje


@pytest.mark.parametrize(("texto", "fragmento"), [
    ("", "No me escribiste tu domicilio"),
    ("12 34", "le faltan la calle y la colonia"),
    ("Calle " * 50, "muy largo"),
])
def test_domicilio(texto: str, fragmento: str) -> None:
    assert validar_domicilio("  Calle Roble  12,  Col. Roma ") == "Calle Roble 12, Col. Roma"
    with pytest.raises(DomicilioInvalido) as error:
        validar_domicilio(texto)
    assert fragmento in error.value.mensaje


def test_masked_email_is_recognisable_not_readable() -> None:
    assert enmascarar_email("lupita@example.com") == "l***@example.com"
    assert enmascarar_email("sin-arroba") == "***"


def test_every_domain_error_has_one_root_and_a_spanish_message() -> None:
    errores: list[type] = []
    for modulo in pkgutil.walk_packages(tramites.__path__, "tramites."):
        if modulo.name.endswith("._der"):
            continue  # a private DER parser's error, always caught inside tramites.efirma
        for _, clase in inspect.getmembers(importlib.import_module(modulo.name), inspect.isclass):
            if issubclass(clase, BaseException) and clase.__module__.startswith("tramites."):
                errores.append(clase)
    assert len(errores) > 30
    for clase in errores:
        assert issubclass(clase, TramiteError), clase
    for clase in (TramiteError, *errores):
        mensaje = str(getattr(clase, "MENSAJE", "")).lstrip("{")
        assert mensaje and mensaje[0].isalpha() and not mensaje.startswith("Base"), clase
