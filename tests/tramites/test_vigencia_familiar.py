"""A relative's vigencia: through the titular (a beneficiario without NSS) or with their own NSS."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.helpers import pdf_text
from tests.tramites.registro.apoyo_registro import HOY, copia_demo, puertos_de
from tramites.familiares import es_referencia, familiar_mencionado
from tramites.registro import PREDECIBLES, CurpNoRegistrada, NssNoCoincide, SqlRegistro
from tramites.registro.demo import construir_curp
from tramites.vigencia_familiar import (
    FamiliarEsElTitular,
    FamiliarNoRegistrado,
    como_identificar,
    emitir_constancia_familiar,
    vigencia_familiar,
)

MARIA, JOSE, ANA, ROBERTO, LUZ, JUAN = PREDECIBLES[:6]
# María's daughter: a beneficiaria registered under María's NSS, with no record (nor NSS) of her own.
SOFIA = construir_curp("Sofía", "Castillo", "Hernández", date(2012, 5, 20), "M", "DF")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> SqlRegistro:
    return copia_demo(tmp_path_factory, tmp_path_factory.mktemp("familiar"))


def test_a_beneficiaria_without_nss_is_vigente_through_the_titular(demo: SqlRegistro) -> None:
    maria = demo.persona_por_curp(MARIA.curp)
    assert maria is not None
    assert como_identificar(demo, SOFIA, maria) == "nada"
    v = vigencia_familiar(demo, SOFIA, HOY, titular=maria)
    assert v.vigente and v.persona.nss is None and v.persona.sexo == "M"
    assert v.titular is not None and v.titular.curp == MARIA.curp
    assert "eres beneficiaria de María Guadalupe Hernández López y ella está al día" in v.motivo


def test_a_spouse_with_a_record_of_their_own_is_found_through_the_titular_too(demo: SqlRegistro) -> None:
    maria = demo.persona_por_curp(MARIA.curp)
    v = vigencia_familiar(demo, JUAN.curp, HOY, titular=maria)
    assert v.vigente and v.persona.nss == JUAN.nss and "eres beneficiario de María" in v.motivo


def test_without_the_titular_a_relative_with_nss_is_asked_for_it(demo: SqlRegistro) -> None:
    assert como_identificar(demo, JUAN.curp, None) == "nss_del_familiar"
    assert vigencia_familiar(demo, JUAN.curp, HOY, familiar_nss=JUAN.nss).vigente
    with pytest.raises(NssNoCoincide):
        vigencia_familiar(demo, JUAN.curp, HOY, familiar_nss=MARIA.nss)


def test_without_the_titular_a_relative_without_nss_needs_the_titulars_data(demo: SqlRegistro) -> None:
    assert como_identificar(demo, SOFIA, None) == "titular"
    with pytest.raises(FamiliarNoRegistrado):
        vigencia_familiar(demo, SOFIA, HOY)


def test_someone_who_is_not_the_titulars_beneficiario_is_refused_by_name(demo: SqlRegistro) -> None:
    jose = demo.persona_por_curp(JOSE.curp)
    with pytest.raises(FamiliarNoRegistrado) as error:
        como_identificar(demo, SOFIA, jose)
    assert SOFIA in error.value.mensaje and "José Luis Martínez García" in error.value.mensaje
    with pytest.raises(FamiliarEsElTitular):
        como_identificar(demo, JOSE.curp, jose)


def test_the_relatives_constancia_names_the_titular(demo: SqlRegistro, tmp_path: Path) -> None:
    hecho = emitir_constancia_familiar(
        puertos_de(demo, tmp_path), SOFIA, titular_curp=MARIA.curp, titular_nss=MARIA.nss
    )
    contenido = pdf_text(hecho.documento.path)
    assert "Sofía Castillo Hernández" in contenido and SOFIA in contenido
    assert "Beneficiaria de María Guadalupe Hernández López" in contenido and "VIGENTE" in contenido
    with pytest.raises(CurpNoRegistrada):
        emitir_constancia_familiar(
            puertos_de(demo, tmp_path), SOFIA, titular_curp="PAPP600515HJCRRD00", titular_nss=MARIA.nss
        )


@pytest.mark.parametrize(
    ("texto", "nombre", "parentesco", "referencia"),
    [
        ("ahora la de mi esposa", "tu esposa", "conyuge", True),
        ("y la de mi hijo?", "tu hijo", "hijo", True),
        ("sí, también a mi mamá", "tu mamá", "madre", True),
        ("quiero registrar a mi esposo", "tu esposo", "conyuge", False),
        ("su constancia de vigencia de ella", "tu familiar", None, False),
        ("es para él", "tu familiar", None, False),
    ],
)
def test_relatives_are_named_back_as_people_say_them(
    texto: str, nombre: str, parentesco: str | None, referencia: bool
) -> None:
    familiar = familiar_mencionado(texto)
    assert familiar is not None and (familiar.nombre, familiar.parentesco) == (nombre, parentesco)
    assert es_referencia(texto) is referencia


@pytest.mark.parametrize(
    "texto", ["mi jefe no me dio de alta", "quiero mi constancia para el trámite", "hola"]
)
def test_no_relative_where_there_is_none(texto: str) -> None:
    assert familiar_mencionado(texto) is None
