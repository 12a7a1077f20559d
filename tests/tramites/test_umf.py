"""Alta/cambio de UMF: clinics for a CP (or the nearest), turnos, comprobante data and what to bring."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import pdf_text
from tests.tramites.registro.apoyo_registro import copia_demo, puertos_de
from tramites.contacto import CodigoPostalInvalido, EmailInvalido
from tramites.puertos import Puertos
from tramites.registro import PREDECIBLES, CurpNoRegistrada, SqlRegistro, UmfNoEncontrada
from tramites.umf import (
    TURNOS_UMF,
    MismaClinica,
    SinClinicaCercana,
    TurnoNoDisponible,
    buscar_clinicas,
    requisitos_clinica,
    solicitar_cambio_umf,
    turnos_de,
    validar_turno,
)

MARIA = PREDECIBLES[0]


@pytest.fixture
def demo(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> SqlRegistro:
    return copia_demo(tmp_path_factory, tmp_path)


@pytest.fixture
def puertos(demo: SqlRegistro, tmp_path: Path) -> Puertos:
    return puertos_de(demo, tmp_path)


def test_cp_con_su_clinica_y_otras_cercanas(demo: SqlRegistro) -> None:
    opciones = buscar_clinicas(demo, "06700")
    assert [u.numero for u in opciones.exactas] == [1]
    assert len(opciones.cercanas) == 2 and 1 not in [u.numero for u in opciones.cercanas]
    assert opciones.clinicas[0].numero == 1
    assert opciones.explicacion == ("La clínica que corresponde a tu código postal 06700 es la UMF 1. "
                                    "También te muestro otras cercanas.")
    assert opciones.estado == "Ciudad de México"


def test_cp_que_atienden_dos_clinicas(demo: SqlRegistro) -> None:
    opciones = buscar_clinicas(demo, "14100", limite=2)
    assert [u.numero for u in opciones.clinicas] == [7, 45]
    assert opciones.explicacion == "Estas clínicas atienden tu código postal 14100."


@pytest.mark.parametrize("escrito", ["06760", " 06760 ", "C.P. 06760", "cp 06-760"])
def test_cp_sin_clinica_ofrece_las_mas_cercanas(demo: SqlRegistro, escrito: str) -> None:
    opciones = buscar_clinicas(demo, escrito)
    assert opciones.cp == "06760"
    assert opciones.exactas == []
    assert [u.numero for u in opciones.cercanas] == [1, 3, 2]
    assert opciones.explicacion == ("Ninguna clínica tiene asignado tu código postal 06760; estas son las "
                                    "más cercanas en Ciudad de México.")


@pytest.mark.parametrize(("cp", "fragmento"), [
    ("0670", "debe tener 5 números"),
    ("067000", "debe tener 5 números"),
    ("O6700", "debe tener 5 números"),
    ("", "debe tener 5 números"),
    ("00100", "no existe en México"),
    ("18000", "no existe en México"),
])
def test_cp_invalido(demo: SqlRegistro, cp: str, fragmento: str) -> None:
    with pytest.raises(CodigoPostalInvalido) as error:
        buscar_clinicas(demo, cp)
    assert fragmento in error.value.mensaje


def test_estado_sin_clinicas(demo: SqlRegistro) -> None:
    with pytest.raises(SinClinicaCercana) as error:
        buscar_clinicas(demo, "22000")
    assert "en Baja California cerca del código postal 22000" in error.value.mensaje
    assert "subdelegación" in error.value.mensaje


def test_turnos_con_horario(demo: SqlRegistro) -> None:
    assert [t.etiqueta for t in turnos_de(demo.umf(1))] == ["Matutino (8:00 a 14:00)",  # type: ignore[arg-type]
                                                            "Vespertino (14:00 a 20:00)"]
    cuajimalpa = demo.umf(14)
    assert cuajimalpa is not None
    assert turnos_de(cuajimalpa) == [TURNOS_UMF["matutino"]]
    assert TURNOS_UMF["vespertino"].inicio.hour == 14 and TURNOS_UMF["vespertino"].fin.hour == 20


@pytest.mark.parametrize(("texto", "clave"), [
    ("matutino", "matutino"), ("En la Mañana", "matutino"), ("TARDE", "vespertino"),
    ("vespertino", "vespertino"),
])
def test_validar_turno_entiende_como_lo_dice_la_gente(demo: SqlRegistro, texto: str, clave: str) -> None:
    umf = demo.umf(28)
    assert umf is not None
    assert validar_turno(umf, texto).clave == clave


def test_turno_que_la_clinica_no_tiene(demo: SqlRegistro) -> None:
    cuajimalpa = demo.umf(14)
    assert cuajimalpa is not None
    with pytest.raises(TurnoNoDisponible) as error:
        validar_turno(cuajimalpa, "tarde")
    assert error.value.mensaje == ("La UMF 14 Cuajimalpa no tiene turno «tarde». "
                                   "Elige: Matutino (8:00 a 14:00).")


def test_requisitos_para_la_clinica() -> None:
    texto = " ".join(requisitos_clinica()).lower()
    for requisito in ("ine, pasaporte o cédula profesional", "curp", "número de seguridad social",
                      "comprobante de domicilio", "foto reciente tamaño infantil"):
        assert requisito in texto


def test_cambio_de_clinica(demo: SqlRegistro, puertos: Puertos) -> None:
    hecho = solicitar_cambio_umf(puertos, MARIA.curp, 28, "en la tarde", domicilio="Av. Coyoacán 100",
                                 cp="03100", email="Lupita@Example.com")
    solicitud = hecho.solicitud
    assert solicitud.tramite == "cambio_umf"
    assert solicitud.folio.startswith("UMF-20260302-")
    assert solicitud.estado == "concluida"
    assert solicitud.datos["umf"] == 28
    assert solicitud.datos["umf_nombre"] == "UMF 28 Gabriel Mancera (Benito Juárez)"
    assert solicitud.datos["umf_domicilio"] == ("Av. Gabriel Mancera 222, Col. Del Valle, Benito Juárez, "
                                                "Ciudad de México")
    assert solicitud.datos["turno_etiqueta"] == "Vespertino (14:00 a 20:00)"
    assert solicitud.datos["umf_anterior"] == "UMF 1 Roma (Cuauhtémoc)"
    assert (solicitud.datos["cp"], solicitud.datos["email"]) == ("03100", "lupita@example.com")
    assert solicitud.datos["requisitos"] == requisitos_clinica() == hecho.requisitos
    despues = demo.persona_por_curp(MARIA.curp)
    assert despues is not None and (despues.umf, despues.turno) == (28, "vespertino")
    assert demo.solicitud(solicitud.folio) == solicitud
    assert (hecho.umf.numero, hecho.turno.clave) == (28, "vespertino")
    contenido = pdf_text(hecho.documento.path)
    assert "Comprobante de cambio de Unidad de Medicina Familiar" in contenido
    assert solicitud.folio in contenido
    assert MARIA.nss not in hecho.documento.filename and MARIA.curp not in hecho.documento.filename


def test_misma_clinica_y_turno_no_hace_falta(puertos: Puertos) -> None:
    with pytest.raises(MismaClinica) as error:
        solicitar_cambio_umf(puertos, MARIA.curp, 1, "matutino")
    assert "Ya estás en la UMF 1 Roma, turno matutino" in error.value.mensaje
    # Only the turno changes: that is a valid request.
    assert solicitar_cambio_umf(puertos, MARIA.curp, 1, "vespertino").solicitud.datos["turno"] == "vespertino"


def test_alta_en_clinica_de_quien_no_tiene(demo: SqlRegistro, puertos: Puertos) -> None:
    oscar = demo.persona_por_curp(PREDECIBLES[9].curp)
    assert oscar is not None and oscar.umf is None
    hecho = solicitar_cambio_umf(puertos, oscar.curp, 26, "matutino")
    assert hecho.solicitud.tramite == "alta_umf"
    assert hecho.solicitud.datos["umf_anterior"] is None
    assert "Comprobante de alta en Unidad de Medicina Familiar" in pdf_text(hecho.documento.path)


def test_clinica_que_no_existe_curp_ajena_y_correo_malo_no_cambian_nada(
    demo: SqlRegistro, puertos: Puertos
) -> None:
    persona = demo.persona_por_curp(MARIA.curp)
    with pytest.raises(UmfNoEncontrada):
        solicitar_cambio_umf(puertos, MARIA.curp, 9999, "matutino")
    with pytest.raises(EmailInvalido):
        solicitar_cambio_umf(puertos, MARIA.curp, 28, "matutino", email="lupita@gmail.con")
    with pytest.raises(CurpNoRegistrada):
        solicitar_cambio_umf(puertos, "PAPP600515HJCRRD00", 28, "matutino")
    assert demo.persona_por_curp(MARIA.curp) == persona
