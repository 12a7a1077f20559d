"""Validation of Mexican identity numbers (CURP, NSS, RFC, CLABE) with Spanish, part-specific errors."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from tramites.errores import TramiteError

__all__ = [
    "CURP_PATRON",
    "CURP_PATRON_LAXO",
    "ESTADOS",
    "RFC_GENERICOS",
    "RFC_PATRON",
    "Clabe",
    "ClabeInvalida",
    "Curp",
    "CurpInvalida",
    "IdentidadError",
    "Nss",
    "NssInvalido",
    "Rfc",
    "RfcInvalido",
    "buscar_candidato",
    "digito_clabe",
    "digito_curp",
    "digito_nss",
    "digito_rfc",
    "enmascarar",
    "normalizar",
    "validar_clabe",
    "validar_curp",
    "validar_nss",
    "validar_rfc",
]

ESTADOS: dict[str, str] = {
    "AS": "Aguascalientes",
    "BC": "Baja California",
    "BS": "Baja California Sur",
    "CC": "Campeche",
    "CL": "Coahuila",
    "CM": "Colima",
    "CS": "Chiapas",
    "CH": "Chihuahua",
    "DF": "Ciudad de México",
    "DG": "Durango",
    "GT": "Guanajuato",
    "GR": "Guerrero",
    "HG": "Hidalgo",
    "JC": "Jalisco",
    "MC": "Estado de México",
    "MN": "Michoacán",
    "MS": "Morelos",
    "NT": "Nayarit",
    "NL": "Nuevo León",
    "OC": "Oaxaca",
    "PL": "Puebla",
    "QT": "Querétaro",
    "QR": "Quintana Roo",
    "SP": "San Luis Potosí",
    "SL": "Sinaloa",
    "SR": "Sonora",
    "TC": "Tabasco",
    "TS": "Tamaulipas",
    "TL": "Tlaxcala",
    "VZ": "Veracruz",
    "YN": "Yucatán",
    "ZS": "Zacatecas",
    "NE": "Nacido en el extranjero",
}

CURP_PATRON: re.Pattern[str] = re.compile(
    r"^[A-Z][AEIOUX][A-Z]{2}\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])[HMX]"
    r"(AS|BC|BS|CC|CL|CM|CS|CH|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|QT|QR|SP|SL|SR|TC|TS|TL|VZ|YN|ZS|NE)"
    r"[B-DF-HJ-NP-TV-Z]{3}[0-9A-Z]\d$"
)
CURP_PATRON_LAXO: re.Pattern[str] = re.compile(
    r"(?<![A-Za-z0-9ÑñÁÉÍÓÚáéíóú])[A-Za-z]{4}\d{6}[A-Za-z]{6}[A-Za-z0-9]\d(?![A-Za-z0-9ÑñÁÉÍÓÚáéíóú])"
)
"""Any CURP-shaped token (case-insensitive, no state/date checks): feed matches to `validar_curp`."""

RFC_PATRON: re.Pattern[str] = re.compile(
    r"^([A-ZÑ&]{3,4})(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])([A-Z\d]{2})([\dA])$"
)
RFC_GENERICOS: frozenset[str] = frozenset({"XAXX010101000", "XEXX010101000"})

_CURP_ALFABETO = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
_RFC_ALFABETO = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
_VOCALES_CURP = frozenset("AEIOUX")
_CONSONANTES_CURP = frozenset("BCDFGHJKLMNPQRSTVWXYZ")
_LETRAS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITOS = frozenset("0123456789")
_SEPARADORES = re.compile(r"[\s\-.]+")


class IdentidadError(TramiteError):
    """An identity number was rejected; `mensaje` says in Spanish which part is wrong."""

    CAMPO: ClassVar[str] = ""
    campo: str
    parte: str
    posicion: int | None

    def __init__(
        self, mensaje: str, *, parte: str, posicion: int | None = None, campo: str | None = None
    ) -> None:
        super().__init__(mensaje, campo=campo or self.CAMPO, parte=parte, posicion=posicion)


class CurpInvalida(IdentidadError):
    """The CURP is not valid."""

    CAMPO = "CURP"


class NssInvalido(IdentidadError):
    """The NSS is not valid."""

    CAMPO = "NSS"


class RfcInvalido(IdentidadError):
    """The RFC is not valid."""

    CAMPO = "RFC"


class ClabeInvalida(IdentidadError):
    """The CLABE is not valid."""

    CAMPO = "CLABE"


@dataclass(frozen=True)
class Curp:
    """A valid CURP and what it says about its holder."""

    valor: str
    fecha_nacimiento: date
    sexo: str
    estado: str
    estado_nombre: str


@dataclass(frozen=True)
class Nss:
    """A valid Número de Seguridad Social and its parts."""

    valor: str
    subdelegacion: str
    anio_afiliacion: int
    anio_nacimiento: int


@dataclass(frozen=True)
class Rfc:
    """A structurally valid RFC; `advertencia` is set when its check digit does not match."""

    valor: str
    tipo: str
    generico: bool
    advertencia: str | None = None


@dataclass(frozen=True)
class Clabe:
    """A valid CLABE interbancaria and its parts."""

    valor: str
    banco: str
    plaza: str
    cuenta: str


def normalizar(texto: str) -> str:
    """Strip, uppercase and drop spaces, hyphens and dots, the way people paste identity numbers."""
    return _SEPARADORES.sub("", texto.strip()).upper()


def _caracteres(n: int, unidad: str = "caracteres") -> str:
    if n == 1:
        return f"1 {'carácter' if unidad == 'caracteres' else unidad[:-1]}"
    return f"{n} {unidad}"


def _mostrar(c: str) -> str:
    return f"«{c}»"


# ---------------------------------------------------------------------------------------------- CURP


def digito_curp(base17: str) -> str:
    """Check digit for the first 17 characters of a CURP."""
    base = base17.upper()[:17]
    if len(base) != 17 or any(c not in _CURP_ALFABETO for c in base):
        raise ValueError("base17 debe tener 17 letras o números")
    suma = sum(_CURP_ALFABETO.index(c) * (18 - i) for i, c in enumerate(base))
    return str((10 - suma % 10) % 10)


def _fecha_o_none(anio: int, mes: int, dia: int) -> date | None:
    try:
        return date(anio, mes, dia)
    except ValueError:
        return None


def validar_curp(texto: str) -> Curp:
    """Validate a CURP, raising `CurpInvalida` that says which part is wrong."""
    valor = normalizar(texto)
    if not valor:
        raise CurpInvalida(
            "No escribiste tu CURP; tiene 18 letras y números, por ejemplo XIQB891116MGRMZR05.",
            parte="longitud",
        )
    for i, c in enumerate(valor, start=1):
        if c not in _LETRAS and c not in _DIGITOS:
            raise CurpInvalida(
                f"Tu CURP tiene {_mostrar(c)} en la posición {i}; "
                f"solo lleva letras (sin acentos ni Ñ) y números.",
                parte="caracteres", posicion=i,
            )
    if len(valor) != 18:
        raise CurpInvalida(f"Tu CURP tiene {_caracteres(len(valor))}; debe tener 18.", parte="longitud")

    for i in range(4):
        c = valor[i]
        if c not in _LETRAS:
            raise CurpInvalida(
                f"Las posiciones 1 a 4 de tu CURP son letras de tu nombre y apellidos; "
                f"la posición {i + 1} tiene {_mostrar(c)}.",
                parte="formato", posicion=i + 1,
            )
    if valor[1] not in _VOCALES_CURP:
        raise CurpInvalida(
            f"La posición 2 de tu CURP debe ser una vocal (o X); tiene {_mostrar(valor[1])}.",
            parte="formato", posicion=2,
        )

    fecha_txt = valor[4:10]
    if not fecha_txt.isdecimal():
        pos = next(i for i, c in enumerate(fecha_txt, start=5) if c not in _DIGITOS)
        raise CurpInvalida(
            f"La fecha de nacimiento de tu CURP (posiciones 5 a 10) no es válida: deben ser 6 números "
            f"(año, mes y día) y la posición {pos} tiene {_mostrar(valor[pos - 1])}.",
            parte="fecha", posicion=pos,
        )
    siglo = 1900 if valor[16] in _DIGITOS else 2000
    anio, mes, dia = siglo + int(fecha_txt[:2]), int(fecha_txt[2:4]), int(fecha_txt[4:6])
    nacimiento = _fecha_o_none(anio, mes, dia)
    if nacimiento is None:
        raise CurpInvalida(
            f"La fecha de nacimiento de tu CURP (posiciones 5 a 10) no es válida: "
            f"el {dia:02d}/{mes:02d}/{anio} no existe. Revisa que la hayas copiado bien.",
            parte="fecha", posicion=5,
        )

    sexo = valor[10]
    if sexo not in "HMX":
        raise CurpInvalida(
            f"La posición 11 de tu CURP indica el sexo y debe ser H, M o X; tiene {_mostrar(sexo)}.",
            parte="sexo", posicion=11,
        )

    estado = valor[11:13]
    if estado not in ESTADOS:
        raise CurpInvalida(
            f"Las posiciones 12 y 13 de tu CURP son la clave del estado donde naciste (por ejemplo DF, JC, "
            f"o NE si naciste en el extranjero); {_mostrar(estado)} no es una clave de estado.",
            parte="estado", posicion=12,
        )

    for i in range(13, 16):
        if valor[i] not in _CONSONANTES_CURP:
            raise CurpInvalida(
                f"Las posiciones 14 a 16 de tu CURP son consonantes de tu nombre y apellidos; "
                f"la posición {i + 1} tiene {_mostrar(valor[i])}.",
                parte="formato", posicion=i + 1,
            )

    if valor[17] not in _DIGITOS:
        raise CurpInvalida(
            f"La última posición de tu CURP (la 18) es un número; tiene {_mostrar(valor[17])}. "
            f"Revisa que no hayas escrito la letra O en lugar de un cero.",
            parte="digito_verificador", posicion=18,
        )
    if digito_curp(valor[:17]) != valor[17]:
        raise CurpInvalida(
            "El dígito verificador de tu CURP no coincide; revisa que la hayas copiado bien.",
            parte="digito_verificador", posicion=18,
        )
    # The step-by-step checks above are the regex in DESIGN.md spelled out; keep them in sync.
    assert CURP_PATRON.match(valor), valor
    return Curp(valor=valor, fecha_nacimiento=nacimiento, sexo=sexo, estado=estado,
                estado_nombre=ESTADOS[estado])


# ---------------------------------------------------------------------------------------------- NSS


def digito_nss(base10: str) -> str:
    """Luhn check digit for the first 10 digits of an NSS (digits at 0-based odd indexes are doubled)."""
    if len(base10) < 10 or not base10[:10].isdecimal():
        raise ValueError("base10 debe tener 10 dígitos")
    suma = 0
    for i, c in enumerate(base10[:10]):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        suma += d
    return str((10 - suma % 10) % 10)


def _anio_completo(aa: int, actual: int) -> int:
    """Place a 2-digit year in the 100-year window that ends in the current year."""
    siglo = actual - actual % 100
    anio = siglo + aa
    return anio - 100 if anio > actual else anio


def validar_nss(texto: str, *, hoy: date | None = None) -> Nss:
    """Validate an NSS, raising `NssInvalido` that says which part is wrong.

    `hoy` fixes the century window used to compare the 2-digit years; it defaults to today's date.
    """
    valor = normalizar(texto)
    if not valor:
        raise NssInvalido("No escribiste tu NSS; son 11 números, por ejemplo 72795608040.", parte="longitud")
    for i, c in enumerate(valor, start=1):
        if c not in _DIGITOS:
            extra = " Revisa que no hayas escrito la letra O en lugar de un cero." if c in "OoIl" else ""
            raise NssInvalido(
                f"Tu NSS solo lleva números, y la posición {i} tiene {_mostrar(c)}.{extra}",
                parte="caracteres", posicion=i,
            )
    if len(valor) != 11:
        raise NssInvalido(
            f"Tu NSS tiene {_caracteres(len(valor), 'dígitos')}; debe tener 11.", parte="longitud"
        )
    subdelegacion = valor[:2]
    alta, nacimiento = int(valor[2:4]), int(valor[4:6])
    if subdelegacion != "97":
        actual = (hoy or date.today()).year
        if _anio_completo(nacimiento, actual) > _anio_completo(alta, actual):
            raise NssInvalido(
                f"Tu NSS no es válido: dice que te afiliaste en {_anio_completo(alta, actual)} "
                f"(posiciones 3 y 4) pero naciste en {_anio_completo(nacimiento, actual)} "
                f"(posiciones 5 y 6). "
                f"Revisa que lo hayas copiado bien.",
                parte="anios", posicion=3,
            )
    if digito_nss(valor) != valor[10]:
        raise NssInvalido(
            "El dígito verificador de tu NSS no coincide; revisa que lo hayas copiado bien.",
            parte="digito_verificador", posicion=11,
        )
    return Nss(valor=valor, subdelegacion=subdelegacion, anio_afiliacion=alta, anio_nacimiento=nacimiento)


# ---------------------------------------------------------------------------------------------- RFC


def digito_rfc(base: str) -> str:
    """Check digit (mod 11) for an RFC without its last character (11 chars moral, 12 física)."""
    relleno = base.upper().rjust(12)[-12:]
    if any(c not in _RFC_ALFABETO for c in relleno):
        raise ValueError("el RFC tiene caracteres no válidos")
    suma = sum(_RFC_ALFABETO.index(c) * (13 - i) for i, c in enumerate(relleno))
    # 11 - s % 11 maps to "0123456789A" with 11 -> "0", i.e. (11 - s) % 11.
    return "0123456789A"[(11 - suma % 11) % 11]


def validar_rfc(texto: str) -> Rfc:
    """Validate an RFC's structure, raising `RfcInvalido`; a wrong check digit only sets `advertencia`."""
    valor = normalizar(texto)
    if not valor:
        raise RfcInvalido("No escribiste tu RFC; tiene 13 letras y números, por ejemplo GODE561231GR8.",
                          parte="longitud")
    for i, c in enumerate(valor, start=1):
        if c not in _LETRAS and c not in _DIGITOS and c not in "Ñ&":
            raise RfcInvalido(
                f"Tu RFC tiene {_mostrar(c)} en la posición {i}; solo lleva letras y números.",
                parte="caracteres", posicion=i,
            )
    if valor in RFC_GENERICOS:
        return Rfc(valor=valor, tipo="fisica", generico=True, advertencia=None)
    if len(valor) not in (12, 13):
        raise RfcInvalido(
            f"Tu RFC tiene {_caracteres(len(valor))}; debe tener 13 (persona física) o 12 (persona moral, "
            f"empresa). Revisa que incluyas la homoclave (los 3 últimos).",
            parte="longitud",
        )
    tipo = "fisica" if len(valor) == 13 else "moral"
    n = 4 if tipo == "fisica" else 3
    for i in range(n):
        if valor[i] not in _LETRAS and valor[i] not in "Ñ&":
            raise RfcInvalido(
                f"Las posiciones 1 a {n} de tu RFC son letras del nombre; la posición {i + 1} tiene "
                f"{_mostrar(valor[i])}.",
                parte="formato", posicion=i + 1,
            )
    fecha_txt = valor[n:n + 6]
    desde, hasta = n + 1, n + 6
    if not fecha_txt.isdecimal():
        pos = next(i for i, c in enumerate(fecha_txt, start=desde) if c not in _DIGITOS)
        raise RfcInvalido(
            f"La fecha de tu RFC (posiciones {desde} a {hasta}) no es válida: deben ser 6 números "
            f"(año, mes y día) y la posición {pos} tiene {_mostrar(valor[pos - 1])}.",
            parte="fecha", posicion=pos,
        )
    aa, mes, dia = int(fecha_txt[:2]), int(fecha_txt[2:4]), int(fecha_txt[4:6])
    # The RFC carries no century; a date valid in either 19xx or 20xx is accepted (2000 covers 02-29).
    if _fecha_o_none(2000 + aa, mes, dia) is None:
        raise RfcInvalido(
            f"La fecha de tu RFC (posiciones {desde} a {hasta}) no es válida: el día {dia:02d}/{mes:02d} "
            f"del año {aa:02d} no existe. Revisa que lo hayas copiado bien.",
            parte="fecha", posicion=desde,
        )
    for i in (n + 6, n + 7):
        if valor[i] not in _LETRAS and valor[i] not in _DIGITOS:
            raise RfcInvalido(
                f"La homoclave de tu RFC (posiciones {n + 7} y {n + 8}) solo lleva letras y números; "
                f"la posición {i + 1} tiene {_mostrar(valor[i])}.",
                parte="homoclave", posicion=i + 1,
            )
    ultimo = valor[-1]
    if ultimo not in _DIGITOS and ultimo != "A":
        raise RfcInvalido(
            f"La última posición de tu RFC es un número o la letra A; tiene {_mostrar(ultimo)}.",
            parte="digito_verificador", posicion=len(valor),
        )
    assert RFC_PATRON.match(valor), valor
    advertencia = None
    if digito_rfc(valor[:-1]) != ultimo:
        advertencia = (
            "El dígito verificador de tu RFC no coincide; revisa que lo hayas copiado bien. "
            "Si así aparece en tu Constancia de Situación Fiscal, puedes continuar."
        )
    return Rfc(valor=valor, tipo=tipo, generico=False, advertencia=advertencia)


# ---------------------------------------------------------------------------------------------- CLABE


def digito_clabe(base17: str) -> str:
    """Check digit for the first 17 digits of a CLABE (weights 3, 7, 1; mod 10)."""
    if len(base17) < 17 or not base17[:17].isdecimal():
        raise ValueError("base17 debe tener 17 dígitos")
    pesos = (3, 7, 1)
    suma = sum((int(c) * pesos[i % 3]) % 10 for i, c in enumerate(base17[:17]))
    return str((10 - suma % 10) % 10)


def validar_clabe(texto: str) -> Clabe:
    """Validate an 18-digit CLABE interbancaria, raising `ClabeInvalida` that says which part is wrong."""
    valor = normalizar(texto)
    if not valor:
        raise ClabeInvalida("No escribiste tu CLABE; son 18 números y viene en tu estado de cuenta.",
                            parte="longitud")
    for i, c in enumerate(valor, start=1):
        if c not in _DIGITOS:
            raise ClabeInvalida(
                f"Tu CLABE solo lleva números, y la posición {i} tiene {_mostrar(c)}.",
                parte="caracteres", posicion=i,
            )
    if len(valor) != 18:
        raise ClabeInvalida(
            f"Tu CLABE tiene {_caracteres(len(valor), 'dígitos')}; debe tener 18. "
            f"Un número de tarjeta (16 dígitos) no sirve: búscala en tu estado de cuenta o app del banco.",
            parte="longitud",
        )
    if digito_clabe(valor) != valor[17]:
        raise ClabeInvalida(
            "El dígito verificador de tu CLABE no coincide; revisa que la hayas copiado bien.",
            parte="digito_verificador", posicion=18,
        )
    return Clabe(valor=valor, banco=valor[:3], plaza=valor[3:6], cuenta=valor[6:17])


# ---------------------------------------------------------------------------------------------- helpers


def enmascarar(valor: str) -> str:
    """Mask an identity number for logs, keeping the first 4 and last 2 characters."""
    limpio = normalizar(valor)
    if len(limpio) <= 6:
        return "*" * len(limpio)
    return limpio[:4] + "*" * (len(limpio) - 6) + limpio[-2:]


# Per-position character classes: L letter, V CURP vowel, D digit, A letter or digit.
_PLANTILLAS: dict[str, tuple[str, ...]] = {
    "CURP": ("LVLLDDDDDDLLLLLLAD",),
    "RFC": ("LLLLDDDDDDAAA", "LLLDDDDDDAAA"),
    "NSS": ("D" * 11,),
    "CLABE": ("D" * 18,),
}
_TOKEN = re.compile(r"[0-9A-Za-zÑñ&]+")
_UNION = re.compile(r"^[\s\-.]{1,3}$")


def _coincide(c: str, clase: str) -> bool:
    if clase == "D":
        return c in _DIGITOS
    if clase == "L":
        return c in _LETRAS or c in "Ñ&"
    if clase == "V":
        return c in _VOCALES_CURP
    return c in _LETRAS or c in _DIGITOS


def _puntaje(candidato: str, campo: str) -> float:
    mejor = 0.0
    for plantilla in _PLANTILLAS[campo]:
        aciertos = sum(1 for c, clase in zip(candidato, plantilla, strict=False) if _coincide(c, clase))
        mejor = max(mejor, aciertos / max(len(candidato), len(plantilla)))
    return mejor


def buscar_candidato(texto: str, campo: str) -> str | None:
    """Find the token in free text most likely meant as a CURP, NSS, RFC or CLABE (normalized), or None.

    The token need not be valid: a form passes it to the validator to say precisely what is wrong.
    """
    campo = campo.upper()
    if campo not in _PLANTILLAS:
        raise ValueError(f"campo desconocido: {campo}")
    tokens = list(_TOKEN.finditer(texto))
    candidatos: list[tuple[int, str]] = []
    # People split numbers in groups ("7279 5608 040", "XIQB-891116-..."): also try joined neighbours.
    for i in range(len(tokens)):
        actual = tokens[i].group()
        candidatos.append((i, actual))
        for j in range(i + 1, min(i + 6, len(tokens))):
            if not _UNION.match(texto[tokens[j - 1].end():tokens[j].start()]):
                break
            actual += tokens[j].group()
            candidatos.append((i, actual))
    largo_objetivo = len(_PLANTILLAS[campo][0])
    mejor: tuple[float, int, str] | None = None
    for orden, bruto in candidatos:
        valor = bruto.upper()
        digitos = sum(c in _DIGITOS for c in valor)
        letras = len(valor) - digitos
        if campo in ("CURP", "RFC"):
            if digitos < 2 or letras < 3 or not (largo_objetivo - 4 <= len(valor) <= largo_objetivo + 3):
                continue
        elif digitos < len(valor) * 0.8 or not (largo_objetivo - 3 <= len(valor) <= largo_objetivo + 3):
            continue
        puntaje = _puntaje(valor, campo)
        if puntaje < 0.7:
            continue
        clave = (puntaje, -orden, valor)
        if mejor is None or clave[:2] > mejor[:2]:
            mejor = clave
    return mejor[2] if mejor else None
