"""Any text given to a validator ends in a value or in that validator's own error, never another exception."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tramites.beneficiarios import (
    NombreFaltante,
    ParentescoInvalido,
    normalizar_parentesco,
    validar_nombre_completo,
)
from tramites.contacto import (
    CodigoPostalInvalido,
    DomicilioInvalido,
    EmailInvalido,
    TelefonoInvalido,
    validar_cp,
    validar_domicilio,
    validar_email,
    validar_telefono,
)
from tramites.identidad import (
    ClabeInvalida,
    CurpInvalida,
    NssInvalido,
    RfcInvalido,
    buscar_candidato,
    validar_clabe,
    validar_curp,
    validar_nss,
    validar_rfc,
)

VALIDADORES: list[tuple[Callable[[str], object], type[Exception]]] = [
    (validar_curp, CurpInvalida),
    (validar_nss, NssInvalido),
    (validar_rfc, RfcInvalido),
    (validar_clabe, ClabeInvalida),
    (validar_email, EmailInvalido),
    (validar_telefono, TelefonoInvalido),
    (validar_cp, CodigoPostalInvalido),
    (validar_domicilio, DomicilioInvalido),
    (validar_nombre_completo, NombreFaltante),
    (normalizar_parentesco, ParentescoInvalido),
]
#: Text that looks almost right is where validators slip: digits, identifier letters, separators, oddities.
CASI = st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZÑ&abcñ@.-_ +()\u200f\u0000\ud800", max_size=40)
TEXTO = st.one_of(st.text(max_size=300), CASI, st.text(max_size=10_000).map(lambda t: t * 3))


@pytest.mark.parametrize(("validar", "error"), VALIDADORES, ids=lambda v: getattr(v, "__name__", ""))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texto=TEXTO)
def test_any_text_gives_a_value_or_the_validators_own_error(
    validar: Callable[[str], object], error: type[Exception], texto: str
) -> None:
    try:
        validar(texto)
    except error as e:
        assert getattr(e, "mensaje", "")  # the person gets a message, not a stack trace


@settings(max_examples=60, deadline=None)
@given(texto=TEXTO, campo=st.sampled_from(["CURP", "RFC", "NSS", "CLABE"]))
def test_finding_an_identifier_in_any_text_never_raises(texto: str, campo: str) -> None:
    encontrado = buscar_candidato(texto, campo)
    assert encontrado is None or isinstance(encontrado, str)
