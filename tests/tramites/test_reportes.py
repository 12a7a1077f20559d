"""What the Constancia de Vigencia and the Reporte de Semanas say, built from plain data (no database)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from tramites.documentos import Documento
from tramites.registro import Beneficiario, Empleo, Movimiento, Persona, Umf
from tramites.reportes import NO_VIGENTE, VIGENTE, constancia_vigencia, reporte_semanas
from tramites.semanas import calcular_semanas
from tramites.vigencia import evaluar_vigencia

HOY = date(2026, 3, 2)
AHORA = datetime(2026, 3, 2, 11, 15, tzinfo=ZoneInfo("America/Mexico_City"))
UMF_34 = Umf(numero=34, nombre="Ayuntamiento", domicilio="Av. Hidalgo 1245", municipio="Guadalajara",
             estado="Jalisco", cps=["44100"], turnos=["matutino"], telefono="3300000000")


def _persona(tipo: str = "asegurado", sexo: str = "H", titular: str | None = None, nss: str = "35997971011",
             curp: str = "MAGL791102HJCRRS07", nombre: str = "José Luis") -> Persona:
    return Persona(curp=curp, nss=nss, nombre=nombre, apellido_paterno="Martínez", apellido_materno="García",
                   email=None, telefono=None, cp="44100", fecha_nacimiento=date(1979, 11, 2), sexo=sexo,
                   umf=34, tipo=tipo, titular_curp=titular)


def _empleo(alta: date, baja: date | None, rp: str = "C2210456108", patron: str = "Autopartes Jalisco",
            salario: str = "450.00") -> Empleo:
    return Empleo(registro_patronal=rp, patron=patron, fecha_alta=alta, fecha_baja=baja,
                  salario_base_cotizacion=Decimal(salario))


def _campos(doc: Documento) -> dict[str, str]:
    return dict(doc.campos)


def test_employed_person_is_vigente_with_no_end_date() -> None:
    hijos = [Beneficiario(curp="MAHS120520MJCRRF03", nombre="Sofía Martínez", parentesco="hijo",
                          fecha_nacimiento=date(2012, 5, 20)),
             Beneficiario(curp="MAHE081003HJCRRM09", nombre="Emiliano Martínez", parentesco="hijo",
                          fecha_nacimiento=date(2008, 10, 3))]
    vigencia = evaluar_vigencia(_persona(), [_empleo(date(2020, 1, 15), None)], HOY, hijos)
    doc = constancia_vigencia(vigencia, AHORA, UMF_34)
    campos = _campos(doc)
    assert doc.tipo == "constancia_vigencia"
    assert campos["Vigencia de derechos"] == VIGENTE
    assert campos["Vigente desde"] == "15 de enero de 2020"
    assert campos["Vigente hasta"] == "Sin fecha de término mientras continúe la relación laboral"
    assert campos["UMF de adscripción"] == "UMF 34 Ayuntamiento. Av. Hidalgo 1245, Guadalajara, Jalisco"
    assert campos["Último patrón"] == "Autopartes Jalisco" and campos["Registro patronal"] == "C2210456108"
    assert campos["Fecha de consulta"] == "2 de marzo de 2026"
    assert doc.tablas[0].filas == [
        ["Sofía Martínez", "MAHS120520MJCRRF03", "Hija", "20/05/2012"],
        ["Emiliano Martínez", "MAHE081003HJCRRM09", "Hijo", "03/10/2008"],
    ]


def test_conservacion_shows_the_last_day_of_rights() -> None:
    baja = HOY - timedelta(days=30)
    vigencia = evaluar_vigencia(_persona(), [_empleo(date(2015, 1, 1), baja)], HOY)
    campos = _campos(constancia_vigencia(vigencia, AHORA))
    assert campos["Vigencia de derechos"] == VIGENTE
    assert campos["Vigente hasta"] == "28 de marzo de 2026"  # 31 de enero (baja) + 56 days
    assert "conservación de derechos" in campos["Motivo"]
    assert campos["UMF de adscripción"] == "UMF 34"  # not in the catalogue given


def test_not_vigente_has_reason_and_no_validity_dates() -> None:
    ana = _persona(sexo="M", nombre="Ana")
    vigencia = evaluar_vigencia(ana, [_empleo(date(2016, 7, 1), date(2021, 3, 15))], HOY)
    doc = constancia_vigencia(vigencia, AHORA)
    campos = _campos(doc)
    assert campos["Vigencia de derechos"] == NO_VIGENTE
    assert "15 de marzo de 2021" in campos["Motivo"]
    assert "Vigente hasta" not in campos and "Vigente desde" not in campos
    assert campos["Derechohabiente"] == "Asegurada"
    assert doc.tablas[0].filas == []


def test_pensionado_and_beneficiario_say_why_they_are_covered() -> None:
    pensionado = evaluar_vigencia(_persona(tipo="pensionado"), [], HOY)
    campos = _campos(constancia_vigencia(pensionado, AHORA))
    assert campos["Derechohabiente"] == "Pensionado"
    assert campos["Vigente hasta"] == "Sin fecha de término mientras se reciba la pensión"
    assert campos["Último patrón"] == "Sin empleos registrados"

    titular = evaluar_vigencia(_persona(), [_empleo(date(2020, 1, 15), None)], HOY)
    esposa = _persona(sexo="M", nombre="Rosa", curp="GANR500612MJCRXS06", nss="02058671054",
                      titular="MAGL791102HJCRRS07", tipo="beneficiario")
    campos = _campos(constancia_vigencia(evaluar_vigencia(esposa, [], HOY, titular=titular), AHORA))
    assert campos["Vigencia de derechos"] == VIGENTE
    assert campos["Derechohabiente"] == "Beneficiaria de José Luis Martínez García (NSS 35997971011)"
    assert campos["Vigente hasta"] == "Sin fecha de término mientras el titular conserve sus derechos"


def test_reporte_lists_employers_newest_first_with_open_ones_as_vigente() -> None:
    empleos = [
        _empleo(date(2012, 1, 16), date(2016, 5, 31), rp="Y9405576169", patron="Hotelera", salario="255.62"),
        _empleo(date(2016, 7, 1), None, rp="G8976846978", patron="Plásticos", salario="1128.99"),
    ]
    movimientos = [Movimiento(tipo="descontadas", semanas=30, fecha=date(2021, 6, 10), motivo="Retiro"),
                   Movimiento(tipo="reintegradas", semanas=10, fecha=date(2023, 2, 1), motivo="Reintegro")]
    reporte = calcular_semanas("43129271029", empleos, movimientos, HOY)
    doc = reporte_semanas(_persona(nss="43129271029"), reporte, AHORA)
    campos = _campos(doc)
    assert doc.tipo == "reporte_semanas"
    assert campos["Semanas cotizadas"] == str(reporte.cotizadas)
    assert (campos["Semanas descontadas"], campos["Semanas reintegradas"]) == ("30", "10")
    assert campos["Total de semanas cotizadas"] == str(reporte.cotizadas - 20)
    assert campos["Último salario base de cotización (diario)"] == "$1,128.99"
    patrones, movs = doc.tablas
    assert patrones.columnas[:5] == ["Registro patronal", "Patrón", "Fecha de alta", "Fecha de baja",
                                     "Salario base de cotización (diario)"]
    assert [f[:5] for f in patrones.filas] == [
        ["G8976846978", "Plásticos", "01/07/2016", "Vigente", "$1,128.99"],
        ["Y9405576169", "Hotelera", "16/01/2012", "31/05/2016", "$255.62"],
    ]
    assert movs.filas == [["10/06/2021", "Descontadas", "30", "Retiro"],
                          ["01/02/2023", "Reintegradas", "10", "Reintegro"]]


def test_reporte_without_movements_has_only_the_employers_table() -> None:
    reporte = calcular_semanas("43129271029", [], [], HOY)
    doc = reporte_semanas(_persona(nss="43129271029"), reporte, AHORA)
    assert [t.titulo for t in doc.tablas] == ["Patrones"]
    assert _campos(doc)["Último salario base de cotización (diario)"] == "Sin registro"
