"""Identity numbers: what a person typing a CURP/NSS/RFC/CLABE gets back."""

from __future__ import annotations

from datetime import date

import pytest
import stdnum.mx.curp as std_curp
import stdnum.mx.rfc as std_rfc
from hypothesis import given, settings
from hypothesis import strategies as st

from tramites.errores import TramiteError
from tramites.identidad import (
    CURP_PATRON_LAXO,
    ESTADOS,
    ClabeInvalida,
    CurpInvalida,
    IdentidadError,
    NssInvalido,
    RfcInvalido,
    buscar_candidato,
    digito_clabe,
    digito_curp,
    digito_nss,
    enmascarar,
    validar_clabe,
    validar_curp,
    validar_nss,
    validar_rfc,
)

HOY = date(2026, 1, 15)


def _con_digito_curp(base17: str) -> str:
    return base17 + digito_curp(base17)


def _con_digito_nss(base10: str) -> str:
    return base10 + digito_nss(base10)


# ---------------------------------------------------------------------------------------------- CURP


@pytest.mark.parametrize("texto", ["XIQB891116MGRMZR05", "CACX760510MGTSHC04"])
def test_curp_ejemplos_validos(texto: str) -> None:
    assert validar_curp(texto).valor == texto


def test_curp_extrae_datos() -> None:
    curp = validar_curp("XIQB891116MGRMZR05")
    assert curp.fecha_nacimiento == date(1989, 11, 16)
    assert curp.sexo == "M"
    assert curp.estado == "GR"
    assert curp.estado_nombre == "Guerrero"


def test_curp_normaliza_minusculas_espacios_guiones_y_puntos() -> None:
    assert validar_curp("  xiqb-891116 mgrmzr.05 ").valor == "XIQB891116MGRMZR05"


def test_curp_siglo_por_posicion_17() -> None:
    base = "GOMA050301HDFRRN"
    antes = validar_curp(_con_digito_curp(base + "0"))
    despues = validar_curp(_con_digito_curp(base + "A"))
    assert antes.fecha_nacimiento == date(1905, 3, 1)
    assert despues.fecha_nacimiento == date(2005, 3, 1)


def test_curp_29_febrero_depende_del_siglo() -> None:
    # 2000 is a leap year, 1900 is not.
    assert validar_curp(_con_digito_curp("GOMA000229HDFRRNA")).fecha_nacimiento == date(2000, 2, 29)
    with pytest.raises(CurpInvalida) as e:
        validar_curp(_con_digito_curp("GOMA000229HDFRRN0"))
    assert e.value.parte == "fecha"


def test_curp_sexo_x_y_nacido_en_el_extranjero() -> None:
    curp = validar_curp(_con_digito_curp("GOMA900101XNERRN0"))
    assert curp.sexo == "X"
    assert curp.estado_nombre == "Nacido en el extranjero"


def test_curp_longitud() -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp("XIQB891116MGRMZR0")
    assert e.value.mensaje == "Tu CURP tiene 17 caracteres; debe tener 18."
    assert e.value.parte == "longitud"
    assert e.value.campo == "CURP"
    assert isinstance(e.value, IdentidadError) and isinstance(e.value, TramiteError)


def test_curp_vacia() -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp("   ")
    assert e.value.parte == "longitud"


def test_curp_caracter_raro_dice_posicion() -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp("XIQB89#116MGRMZR05")
    assert e.value.parte == "caracteres"
    assert e.value.posicion == 7
    assert "posición 7" in e.value.mensaje


def test_curp_letras_iniciales() -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp("XI1B891116MGRMZR05")
    assert e.value.parte == "formato" and e.value.posicion == 3
    with pytest.raises(CurpInvalida) as e:
        validar_curp("XBQB891116MGRMZR05")
    assert e.value.posicion == 2 and "vocal" in e.value.mensaje


@pytest.mark.parametrize("texto", ["XIQB891316MGRMZR05", "XIQB891131MGRMZR05", "XIQB89111AMGRMZR05"])
def test_curp_fecha(texto: str) -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp(texto)
    assert e.value.parte == "fecha"
    assert e.value.mensaje.startswith(
        "La fecha de nacimiento de tu CURP (posiciones 5 a 10) no es válida"
    )


def test_curp_sexo() -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp("XIQB891116FGRMZR05")
    assert e.value.parte == "sexo"
    assert "H, M o X" in e.value.mensaje


def test_curp_estado() -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp("XIQB891116MXXMZR05")
    assert e.value.parte == "estado"
    assert "«XX»" in e.value.mensaje


def test_curp_consonantes() -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp("XIQB891116MGRAZR05")
    assert e.value.parte == "formato" and e.value.posicion == 14


def test_curp_digito_verificador() -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp("XIQB891116MGRMZR06")
    assert e.value.mensaje == (
        "El dígito verificador de tu CURP no coincide; revisa que la hayas copiado bien."
    )
    assert e.value.parte == "digito_verificador"


def test_curp_letra_o_en_vez_de_cero() -> None:
    with pytest.raises(CurpInvalida) as e:
        validar_curp("XIQB891116MGRMZR0O")
    assert e.value.parte == "digito_verificador"
    assert "letra O" in e.value.mensaje


def test_digito_curp_coincide_con_stdnum() -> None:
    assert digito_curp("XIQB891116MGRMZR0") == "5"
    assert digito_curp("CACX760510MGTSHC0") == std_curp.calc_check_digit("CACX760510MGTSHC0")


_LETRAS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CONSONANTES = "BCDFGHJKLMNPQRSTVWXYZ"


@st.composite
def _curps(draw: st.DrawFn) -> str:
    """CURP-shaped strings near the valid ones: some wrong dates, sexes, states or check digits."""
    inicio = (
        draw(st.sampled_from(_LETRAS))
        + draw(st.sampled_from("AEIOUX"))
        + draw(st.text(_LETRAS, min_size=2, max_size=2))
    )
    fecha = f"{draw(st.integers(0, 99)):02d}{draw(st.integers(0, 13)):02d}{draw(st.integers(0, 32)):02d}"
    sexo = draw(st.sampled_from("HMXHMF"))
    estado = draw(st.one_of(st.sampled_from(sorted(ESTADOS)), st.text(_LETRAS, min_size=2, max_size=2)))
    resto = draw(st.text(_CONSONANTES, min_size=3, max_size=3)) + draw(st.sampled_from("0123456789ABZ"))
    base = inicio + fecha + sexo + estado + resto
    if draw(st.booleans()):
        return base + std_curp.calc_check_digit(base)
    return base + draw(st.sampled_from("0123456789"))


def _stdnum_acepta_curp(valor: str) -> bool:
    if valor[10] == "X":
        # stdnum predates sex "X" (non-binary, 2023): check it with H and compare the digit ourselves.
        con_h = valor[:10] + "H" + valor[11:]
        digito_ok = std_curp.calc_check_digit(valor) == valor[17]
        return std_curp.is_valid(con_h, validate_check_digits=False) and digito_ok
    return std_curp.is_valid(valor)


def _nosotros_aceptamos_curp(valor: str) -> bool:
    try:
        validar_curp(valor)
    except CurpInvalida:
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(_curps())
def test_curp_coincide_con_stdnum(valor: str) -> None:
    if valor[:4] in std_curp._name_blacklist:  # RENAPO never issues these; stdnum rejects them
        return
    assert _nosotros_aceptamos_curp(valor) == _stdnum_acepta_curp(valor)


@settings(max_examples=300, deadline=None)
@given(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=16, max_size=19))
def test_curp_lo_que_aceptamos_stdnum_tambien(valor: str) -> None:
    if _nosotros_aceptamos_curp(valor):
        assert _stdnum_acepta_curp(valor)


def test_curp_patron_laxo_encuentra_en_texto() -> None:
    m = CURP_PATRON_LAXO.search("hola mi curp es xiqb891116mgrmzr05 gracias")
    assert m is not None and m.group().upper() == "XIQB891116MGRMZR05"
    assert CURP_PATRON_LAXO.search("mi nss es 72795608040") is None


# ---------------------------------------------------------------------------------------------- NSS


def test_nss_ejemplo_valido() -> None:
    nss = validar_nss("72795608040", hoy=HOY)
    assert (nss.subdelegacion, nss.anio_afiliacion, nss.anio_nacimiento) == ("72", 79, 56)


def test_nss_normaliza() -> None:
    assert validar_nss(" 7279-5608-040 ", hoy=HOY).valor == "72795608040"


def test_nss_digito_verificador() -> None:
    with pytest.raises(NssInvalido) as e:
        validar_nss("72795608041", hoy=HOY)
    assert e.value.parte == "digito_verificador"
    assert "dígito verificador" in e.value.mensaje


def test_nss_luhn_dobla_posiciones_impares_desde_cero() -> None:
    # A transposition of two neighbouring digits must change the Luhn digit.
    assert digito_nss("7279560804") == "0"
    assert digito_nss("2779560804") != "0"


def test_nss_longitud_y_caracteres() -> None:
    with pytest.raises(NssInvalido) as e:
        validar_nss("7279560804", hoy=HOY)
    assert e.value.mensaje == "Tu NSS tiene 10 dígitos; debe tener 11."
    with pytest.raises(NssInvalido) as e:
        validar_nss("7279560804O", hoy=HOY)
    assert e.value.parte == "caracteres" and e.value.posicion == 11


def test_nss_nacimiento_despues_de_afiliacion() -> None:
    invalido = _con_digito_nss("0190951234")  # affiliated 1990, born 1995
    with pytest.raises(NssInvalido) as e:
        validar_nss(invalido, hoy=HOY)
    assert e.value.parte == "anios"
    assert "1990" in e.value.mensaje and "1995" in e.value.mensaje


def test_nss_subdelegacion_97_no_compara_anios() -> None:
    assert validar_nss(_con_digito_nss("9790951234"), hoy=HOY).subdelegacion == "97"


def test_nss_ventana_de_siglo() -> None:
    # Born 1985, affiliated 2005: "85" > "05" as numbers, but not as years.
    assert validar_nss(_con_digito_nss("0105851234"), hoy=HOY).anio_afiliacion == 5
    # Affiliated 2024, born 2025 (same window): impossible.
    with pytest.raises(NssInvalido):
        validar_nss(_con_digito_nss("0124251234"), hoy=HOY)


# ---------------------------------------------------------------------------------------------- RFC


def test_rfc_fisica_y_moral() -> None:
    fisica = validar_rfc("GODE561231GR8")
    assert (fisica.tipo, fisica.generico, fisica.advertencia) == ("fisica", False, None)
    moral_base = "ABC680524P7"
    moral = validar_rfc(moral_base + std_rfc.calc_check_digit(moral_base))
    assert (moral.tipo, moral.advertencia) == ("moral", None)


@pytest.mark.parametrize("texto", ["XAXX010101000", "xexx-010101-000"])
def test_rfc_generico(texto: str) -> None:
    rfc = validar_rfc(texto)
    assert rfc.generico and rfc.advertencia is None


def test_rfc_digito_mal_solo_advierte() -> None:
    rfc = validar_rfc("GODE561231GR9")
    assert rfc.valor == "GODE561231GR9"
    assert rfc.advertencia is not None and "dígito verificador" in rfc.advertencia


def test_rfc_con_enie_y_ampersand() -> None:
    base = "ÑA&O561231GR"
    assert validar_rfc(base + std_rfc.calc_check_digit(base)).advertencia is None


def test_rfc_errores() -> None:
    with pytest.raises(RfcInvalido) as e:
        validar_rfc("GODE561231")
    assert e.value.parte == "longitud" and "13" in e.value.mensaje
    with pytest.raises(RfcInvalido) as e:
        validar_rfc("GODE561331GR8")
    assert e.value.parte == "fecha" and "posiciones 5 a 10" in e.value.mensaje
    with pytest.raises(RfcInvalido) as e:
        validar_rfc("ABC680230P76")
    assert e.value.parte == "fecha" and "posiciones 4 a 9" in e.value.mensaje
    with pytest.raises(RfcInvalido) as e:
        validar_rfc("GOD1561231GR8")
    assert e.value.parte == "formato" and e.value.posicion == 4
    with pytest.raises(RfcInvalido) as e:
        validar_rfc("GODE561231GRX")
    assert e.value.parte == "digito_verificador"


@st.composite
def _rfcs(draw: st.DrawFn) -> str:
    n = draw(st.sampled_from([3, 4]))
    letras = draw(st.text(_LETRAS + "&Ñ", min_size=n, max_size=n))
    fecha = f"{draw(st.integers(0, 99)):02d}{draw(st.integers(0, 13)):02d}{draw(st.integers(0, 32)):02d}"
    homoclave = draw(st.text(_LETRAS + "0123456789", min_size=2, max_size=2))
    base = letras + fecha + homoclave
    if draw(st.booleans()):
        return base + std_rfc.calc_check_digit(base)
    return base + draw(st.sampled_from("0123456789A"))


@settings(max_examples=400, deadline=None)
@given(_rfcs())
def test_rfc_estructura_y_digito_coinciden_con_stdnum(valor: str) -> None:
    if valor[:4] in std_rfc._name_blacklist:
        return
    try:
        rfc = validar_rfc(valor)
    except RfcInvalido:
        assert not std_rfc.is_valid(valor)
        return
    assert std_rfc.is_valid(valor)
    assert (rfc.advertencia is None) == (std_rfc.calc_check_digit(valor[:-1]) == valor[-1])


# ---------------------------------------------------------------------------------------------- CLABE


def test_clabe_valida_y_partes() -> None:
    clabe = validar_clabe("002 010 07777777777 1")
    assert (clabe.banco, clabe.plaza, clabe.cuenta) == ("002", "010", "07777777777")
    assert digito_clabe("00201007777777777") == "1"


def test_clabe_errores() -> None:
    with pytest.raises(ClabeInvalida) as e:
        validar_clabe("002010077777777772")
    assert e.value.parte == "digito_verificador"
    with pytest.raises(ClabeInvalida) as e:
        validar_clabe("4152313012345678")
    assert e.value.parte == "longitud" and "16 dígitos" in e.value.mensaje


# ---------------------------------------------------------------------------------------------- helpers


def test_enmascarar() -> None:
    assert enmascarar("XIQB891116MGRMZR05") == "XIQB************05"
    assert enmascarar("72795608040") == "7279*****40"
    assert enmascarar("123") == "***"


@pytest.mark.parametrize(
    ("texto", "campo", "esperado"),
    [
        ("mi curp es xiqb891116mgrmzr0", "CURP", "XIQB891116MGRMZR0"),
        ("CURP: XIQB 891116 MGRMZR05 xfa", "CURP", "XIQB891116MGRMZR05"),
        ("mi nss plis es el 7279 5608 040", "NSS", "72795608040"),
        ("es 7279560804O creo", "NSS", "7279560804O"),
        ("rfc GODE-561231-GR8 gracias", "RFC", "GODE561231GR8"),
        ("mi clabe 002010077777777771", "CLABE", "002010077777777771"),
        ("hola q onda necesito mi nss", "CURP", None),
        ("hola q onda necesito mi nss", "NSS", None),
    ],
)
def test_buscar_candidato(texto: str, campo: str, esperado: str | None) -> None:
    assert buscar_candidato(texto, campo) == esperado


def test_buscar_candidato_permite_decir_que_esta_mal() -> None:
    candidato = buscar_candidato("mi curp es xiqb891116mgrmzr0", "curp")
    assert candidato is not None
    with pytest.raises(CurpInvalida) as e:
        validar_curp(candidato)
    assert e.value.mensaje == "Tu CURP tiene 17 caracteres; debe tener 18."
