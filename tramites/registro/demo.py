"""Deterministic demo data for the SQL registry: clinics, people, employment, beneficiaries.

`sembrar_demo(session_factory, semilla, hoy=...)` fills empty `registro_*` tables once. Everything is a
function of `semilla` and `hoy` (the reference date: employment dates of the generated people are placed
relative to it), so two seeds with the same arguments give identical data. Statuses like "baja 30 days ago"
hold at `hoy`; as real days pass the data ages like real life (`hoy` is kept in `registro_meta`).

The first `len(PREDECIBLES)` people are fixed and documented (docs/registro.md) for tests and demos; their
CURP and NSS never change, and the dates that matter for their status are relative to `hoy`.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from tramites.identidad import ESTADOS, digito_curp, digito_nss
from tramites.registro.catalogo import (
    CATALOGO_UMF,
    CP_SIN_CLINICA,
    CP_SIN_CLINICA_EN_ESTADO,
    estado_de_cp,
    ordenar_por_cercania,
)
from tramites.registro.modelos import Umf
from tramites.registro.puerto import Registro
from tramites.registro.sql import (
    BeneficiarioRow,
    EmpleoRow,
    MetaRow,
    MovimientoRow,
    PersonaRow,
    UmfCpRow,
    UmfRow,
    centavos,
)
from tramites.texto import quitar_acentos

__all__ = [
    "CURP_NO_REGISTRADA",
    "PERSONAS_GENERADAS",
    "PREDECIBLES",
    "PersonaPredecible",
    "construir_curp",
    "construir_nss",
    "demo_personas",
    "fecha_referencia",
    "sembrar_catalogo",
    "sembrar_demo",
]

PERSONAS_GENERADAS = 240
"""Random people added after the predictable ones (plus some of their spouses as beneficiarios)."""

CURP_NO_REGISTRADA = "PAPP600515HJCRRD00"
"""A valid CURP (Pedro Páramo Preciado, 15/05/1960, Jalisco) that is never in the demo registry."""


@dataclass(frozen=True)
class PersonaPredecible:
    """One of the fixed demo people: who they are and what they are for."""

    indice: int
    curp: str
    nss: str
    nombre: str
    email: str | None
    """The email IMSS holds (None: none on file, so documents go only by email to the one given)."""
    caso: str


PREDECIBLES: tuple[PersonaPredecible, ...] = (
    PersonaPredecible(0, "HELG880314MDFRPD05", "01078871009", "María Guadalupe Hernández López",
                      "guadalupe.hernandez@example.com",
                      "asegurada vigente (empleo abierto); cónyuge e hijos como beneficiarios"),
    PersonaPredecible(1, "MAGL791102HJCRRS07", "35997971011", "José Luis Martínez García",
                      "jl.martinez@example.net",
                      "baja hace 30 días tras años cotizando: vigente por conservación de derechos"),
    PersonaPredecible(2, "RXTA920721MNLMRN06", "43129271029", "Ana Sofía Ramírez Torres",
                      "ana.ramirez@example.org",
                      "baja en 2021: no vigente; semanas descontadas y reintegradas"),
    PersonaPredecible(3, "SADR550109HPLNZB07", "52755571032", "Roberto Carlos Sánchez Díaz",
                      "roberto.sanchez@example.com",
                      "pensionado: vigente"),
    PersonaPredecible(4, "GORL981205MMCMZZ01", "26179871046", "Luz Elena Gómez Ruiz",
                      "luz.gomez@example.net",
                      "baja hace 30 días tras solo 41 días seguidos: no vigente"),
    PersonaPredecible(5, "CAMJ860830HDFSNN06", "02058671054", "Juan Pablo Castillo Mendoza",
                      "juanpablo.castillo@example.com",
                      "beneficiario (cónyuge de la persona 0), sin empleo propio: vigente por su titular"),
    PersonaPredecible(6, "FOVC900417MDFLZR00", "03109071062", "Carmen Patricia Flores Vázquez",
                      "carmen.flores@example.org",
                      "vive en el CP 06760, que no tiene clínica: se le asignó la más cercana"),
    PersonaPredecible(7, "CAPV030211MYNHCLA3", "81220371074", "Valeria Itzel Chan Pech",
                      "valeria.chan@example.com",
                      "nacida en 2003 (homoclave con letra), asegurada vigente en Mérida"),
    PersonaPredecible(8, "RECD050909HGRYRGA5", "62230571085", "Diego Alonso Reyes Cruz",
                      "diego.reyes@example.net",
                      "tiene NSS pero nunca ha trabajado (sin afiliación): no vigente"),
    PersonaPredecible(9, "MOPO840125HBCRXS00", "11048471095", "Óscar Iván Morales Peña",
                      "oscar.morales@example.org",
                      "vive en Tijuana (CP 22000): vigente, sin clínica en el catálogo"),
    PersonaPredecible(10, "VELT750618HDFGNM04", "04957571104", "Tomás Vega Luna", None,
                      "asegurado vigente sin correo registrado: sus documentos van solo por correo"),
)
"""The fixed first people of the demo registry, in insertion order."""

# --------------------------------------------------------------------------------------------- CURP/NSS

_PARTICULAS = frozenset({"DA", "DAS", "DE", "DEL", "DER", "DI", "DIE", "DD", "EL", "LA", "LOS", "LAS", "LE",
                         "LES", "MAC", "MC", "VAN", "VON", "Y"})
_NOMBRES_COMUNES = frozenset({"MARIA", "MA", "JOSE", "J"})
# RENAPO's list of inconvenient words: their second letter becomes X.
_ALTISONANTES_TEXTO = (
    "BACA BAKA BUEI BUEY CACA CACO CAGA CAGO CAKA CAKO COGE COGI COJA COJE COJI COJO COLA CULO FALO FETO "
    "GETA GUEI GUEY JETA JOTO KACA KACO KAGA KAGO KAKA KAKO KOGE KOGI KOJA KOJE KOJI KOJO KOLA KULO LILO "
    "LOCA LOCO LOKA LOKO MAME MAMO MEAR MEAS MEON MIAR MION MOCO MOKO MULA MULO NACA NACO PEDA PEDO PENE "
    "PIPI PITO POPO PUTA PUTO QULO RATA ROBA ROBE ROBO RUIN SENO TETA VACA VAGA VAGO VAKA VUEI VUEY WUEI "
    "WUEY"
)
_ALTISONANTES = frozenset(_ALTISONANTES_TEXTO.split())
_VOCALES = "AEIOU"


def _limpiar(texto: str) -> list[str]:
    # RENAPO: Ñ counts as X; accents and dieresis are dropped; particles are skipped.
    texto = quitar_acentos(texto.upper().replace("Ñ", "X"))
    palabras = ["".join(c for c in p if "A" <= c <= "Z") for p in texto.replace("-", " ").split()]
    palabras = [p for p in palabras if p]
    utiles = [p for p in palabras if p not in _PARTICULAS]
    return utiles or palabras


def _vocal_interna(palabra: str) -> str:
    return next((c for c in palabra[1:] if c in _VOCALES), "X")


def _consonante_interna(palabra: str) -> str:
    return next((c for c in palabra[1:] if c not in _VOCALES), "X")


def construir_curp(nombre: str, paterno: str, materno: str, nacimiento: date, sexo: str, estado: str,
                   homoclave: str | None = None) -> str:
    """Build a CURP the way RENAPO does (simplified) with a valid check digit.

    `homoclave` (position 17) defaults to "0" for people born before 2000 and "A" from 2000 on.
    """
    p = _limpiar(paterno)
    m = _limpiar(materno)
    n = _limpiar(nombre)
    if len(n) > 1 and n[0] in _NOMBRES_COMUNES:
        n = n[1:]
    pat = "".join(p) if p else "X"
    mat = m[0] if m else "X"
    nom = n[0] if n else "X"
    letras = pat[0] + _vocal_interna(pat) + mat[0] + nom[0]
    if letras in _ALTISONANTES:
        letras = letras[0] + "X" + letras[2:]
    consonantes = (_consonante_interna(pat) + (_consonante_interna(mat) if m else "X")
                   + _consonante_interna(nom))
    if homoclave is None:
        homoclave = "0" if nacimiento.year < 2000 else "A"
    base = f"{letras}{nacimiento:%y%m%d}{sexo}{estado}{consonantes}{homoclave}"
    return base + digito_curp(base)


def construir_nss(subdelegacion: str, anio_afiliacion: int, anio_nacimiento: int, folio: int) -> str:
    """Build an NSS: subdelegación (2) + affiliation year (2) + birth year (2) + folio (4) + Luhn digit."""
    base = f"{subdelegacion}{anio_afiliacion % 100:02d}{anio_nacimiento % 100:02d}{folio:04d}"
    return base + digito_nss(base)


# --------------------------------------------------------------------------------------------- data plan

_CLAVE_ESTADO = {nombre: clave for clave, nombre in ESTADOS.items()}
_SUBDELEGACIONES: dict[str, tuple[str, ...]] = {
    "Ciudad de México": ("01", "02", "03", "04", "05", "06", "07", "08", "09", "10"),
    "Baja California": ("11", "12"),
    "Jalisco": ("34", "35", "36", "37"),
    "Nuevo León": ("41", "42", "43"),
    "Puebla": ("51", "52"),
    "Estado de México": ("20", "25", "26", "27"),
    "Guerrero": ("61", "62"),
    "Guanajuato": ("13", "14", "15"),
    "Veracruz": ("64", "65", "66", "67"),
    "Yucatán": ("80", "81"),
    "Chiapas": ("70",),
    "Chihuahua": ("16", "17"),
    "Sinaloa": ("18",),
}
_LADAS = {"Baja California": "664", "Chiapas": "961", "Chihuahua": "614", "Sinaloa": "667"}
_GIROS = ("Comercializadora", "Transportes", "Servicios Integrales", "Constructora", "Distribuidora",
          "Alimentos", "Manufacturas", "Grupo Industrial", "Farmacias", "Logística", "Textiles",
          "Autopartes", "Abarrotes", "Consultores", "Hotelera", "Plásticos")
_RAZONES = ("S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V.", "S.C.")
_DOMINIOS = ("example.com", "example.net", "example.org")
# Approximate daily minimum wage by year (pesos), to keep salaries in a believable range.
_SALARIO_MINIMO = {2000: 35.1, 2005: 45.2, 2010: 55.8, 2015: 70.1, 2017: 80.0, 2018: 88.4, 2019: 102.7,
                   2020: 123.2, 2021: 141.7, 2022: 172.9, 2023: 207.4, 2024: 248.9, 2025: 278.8,
                   2026: 315.0}


def _salario_minimo(anio: int) -> float:
    anios = sorted(_SALARIO_MINIMO)
    if anio <= anios[0]:
        return _SALARIO_MINIMO[anios[0]] * 0.93 ** (anios[0] - anio)
    previo = max(a for a in anios if a <= anio)
    return _SALARIO_MINIMO[previo]


def _mas_anios(d: date, anios: int) -> date:
    try:
        return d.replace(year=d.year + anios)
    except ValueError:  # 29 de febrero
        return d.replace(year=d.year + anios, day=28)


@dataclass
class _Persona:
    fila: dict[str, Any]
    empleos: list[dict[str, Any]] = field(default_factory=list)
    movimientos: list[dict[str, Any]] = field(default_factory=list)
    beneficiarios: list[dict[str, Any]] = field(default_factory=list)
    parejas: list[dict[str, Any]] = field(default_factory=list)
    """Spouses that are also people of the registry (tipo beneficiario)."""


class _Generador:
    """Holds the random sources and uniqueness sets while one seed is built."""

    def __init__(self, semilla: int, hoy: date) -> None:
        from faker import Faker  # imported here: only seeding needs it, and it is slow to import

        self.rng = random.Random(semilla)
        self.fake = Faker("es_MX")
        self.fake.seed_instance(semilla)
        self.hoy = hoy
        self.curps: set[str] = {CURP_NO_REGISTRADA}
        self.nss: set[str] = set()
        self.emails: set[str] = set()
        self.umfs = list(CATALOGO_UMF)
        self.patrones = [self._patron() for _ in range(70)]

    # -- identity
    def curp(self, nombre: str, paterno: str, materno: str, nacimiento: date, sexo: str, estado: str) -> str:
        alfabeto = "0123456789" if nacimiento.year < 2000 else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        for h in alfabeto:
            curp = construir_curp(nombre, paterno, materno, nacimiento, sexo, estado, h)
            if curp not in self.curps:
                self.curps.add(curp)
                return curp
        raise RuntimeError("homonimia sin homoclave libre")  # pragma: no cover - 10+ identical people

    def nuevo_nss(self, estado: str, afiliacion: int, nacimiento: int) -> str:
        sub = self.rng.choice(_SUBDELEGACIONES.get(estado, ("01",)))
        while True:
            nss = construir_nss(sub, afiliacion, nacimiento, self.rng.randint(1, 9999))
            if nss not in self.nss:
                self.nss.add(nss)
                return nss

    def email(self, nombre: str, paterno: str) -> str:
        usuario = ".".join(_limpiar(nombre)[:1] + _limpiar(paterno)[:1]).lower() or "persona"
        for intento in range(1000):
            sufijo = "" if intento == 0 and self.rng.random() < 0.4 else str(self.rng.randint(1, 99))
            email = f"{usuario}{sufijo}@{self.rng.choice(_DOMINIOS)}"
            if email not in self.emails:
                self.emails.add(email)
                return email
        raise RuntimeError("sin correo libre")  # pragma: no cover

    def telefono(self, cp: str, umf: Umf | None) -> str:
        lada = umf.telefono.split()[0] if umf else _LADAS.get(estado_de_cp(cp) or "", "55")
        resto = "".join(str(self.rng.randint(0, 9)) for _ in range(10 - len(lada)))
        return lada + resto

    def _patron(self) -> tuple[str, str]:
        nombre = f"{self.rng.choice(_GIROS)} {self.fake.last_name()} {self.rng.choice(_RAZONES)}"
        registro = self.rng.choice("ABCDEFGHJKY") + "".join(str(self.rng.randint(0, 9)) for _ in range(10))
        return nombre, registro

    def salario(self, anio: int) -> Decimal:
        # SBC includes the integration factor (aguinaldo + prima vacacional): at least 1.0452 × minimum.
        diario = _salario_minimo(anio) * 1.0452 * self.rng.uniform(1.0, 5.5)
        return Decimal(f"{diario:.2f}")

    def empleo(self, nss: str, alta: date, baja: date | None, patron: tuple[str, str] | None = None
               ) -> dict[str, Any]:
        nombre, registro = patron or self.rng.choice(self.patrones)
        return {"nss": nss, "registro_patronal": registro, "patron": nombre, "fecha_alta": alta,
                "fecha_baja": baja, "salario_centavos": centavos(self.salario(alta.year))}

    # -- residence
    def domicilio(self) -> tuple[str, Umf | None]:
        r = self.rng.random()
        if r < 0.88:
            umf = self.rng.choice(self.umfs)
            return self.rng.choice(umf.cps), umf
        cp = self.rng.choice(CP_SIN_CLINICA if r < 0.96 else CP_SIN_CLINICA_EN_ESTADO)
        cercanas = ordenar_por_cercania(cp, self.umfs)
        return cp, (cercanas[0] if cercanas else None)

    def estado_nacimiento(self, residencia: str | None) -> str:
        r = self.rng.random()
        if residencia in _CLAVE_ESTADO and r < 0.75:
            return _CLAVE_ESTADO[residencia]
        if r > 0.99:
            return "NE"
        return self.rng.choice([c for c in ESTADOS if c != "NE"])

    def fecha_entre(self, desde: date, hasta: date) -> date:
        if hasta <= desde:
            return desde
        return desde + timedelta(days=self.rng.randint(0, (hasta - desde).days))


def _fila_persona(curp: str, nss: str | None, nombre: str, paterno: str, materno: str, email: str | None,
                  telefono: str | None, cp: str | None, nacimiento: date, sexo: str, umf: Umf | None,
                  turno: str | None, tipo: str, titular_curp: str | None = None) -> dict[str, Any]:
    return {"curp": curp, "nss": nss, "nombre": nombre, "apellido_paterno": paterno,
            "apellido_materno": materno, "email": email, "telefono": telefono, "cp": cp,
            "fecha_nacimiento": nacimiento, "sexo": sexo, "umf": umf.numero if umf else None,
            "turno": turno, "tipo": tipo, "titular_curp": titular_curp}


def _beneficiario(curp: str, nombre: str, parentesco: str, nacimiento: date, estudiante: bool = False,
                  dependiente: bool = True) -> dict[str, Any]:
    return {"curp": curp, "nombre": nombre, "parentesco": parentesco, "fecha_nacimiento": nacimiento,
            "estudiante": estudiante, "dependiente_economico": dependiente, "discapacidad": False}


def _umf(numero: int) -> Umf:
    return next(u for u in CATALOGO_UMF if u.numero == numero)


def _predecibles(g: _Generador) -> list[_Persona]:
    """The documented fixed people; their CURP/NSS are asserted against `PREDECIBLES`."""
    hoy = g.hoy
    d = date
    p: list[_Persona] = []

    def persona(i: int, nombre: str, paterno: str, materno: str, nacimiento: date, sexo: str, estado: str,
                cp: str, umf: Umf | None, turno: str | None, tipo: str, sub: str, afiliacion: int,
                telefono: str, titular: str | None = None) -> _Persona:
        curp = construir_curp(nombre, paterno, materno, nacimiento, sexo, estado)
        email = PREDECIBLES[i].email
        nss = construir_nss(sub, afiliacion, nacimiento.year, 7100 + i)
        g.curps.add(curp)
        g.nss.add(nss)
        if email:
            g.emails.add(email)
        return _Persona(_fila_persona(curp, nss, nombre, paterno, materno, email, telefono, cp, nacimiento,
                                      sexo, umf, turno, tipo, titular))

    p0 = persona(0, "María Guadalupe", "Hernández", "López", d(1988, 3, 14), "M", "DF", "06700", _umf(1),
                 "matutino", "asegurado", "01", 2007, "5512345670")
    n0 = p0.fila["nss"]
    p0.empleos = [
        g.empleo(n0, d(2007, 9, 3), d(2013, 12, 31), g.patrones[0]),
        g.empleo(n0, d(2014, 2, 3), d(2019, 12, 31), g.patrones[1]),
        g.empleo(n0, d(2020, 1, 15), None, ("Farmacias del Centro S.A. de C.V.", "Y5412345109")),
    ]
    p5_curp = construir_curp("Juan Pablo", "Castillo", "Mendoza", d(1986, 8, 30), "H", "DF")
    hija = construir_curp("Sofía", "Castillo", "Hernández", d(2012, 5, 20), "M", "DF")
    hijo = construir_curp("Emiliano", "Castillo", "Hernández", d(2008, 10, 3), "H", "DF")
    g.curps.update({hija, hijo})
    p0.beneficiarios = [
        _beneficiario(p5_curp, "Juan Pablo Castillo Mendoza", "conyuge", d(1986, 8, 30)),
        _beneficiario(hija, "Sofía Castillo Hernández", "hijo", d(2012, 5, 20)),
        _beneficiario(hijo, "Emiliano Castillo Hernández", "hijo", d(2008, 10, 3), estudiante=True),
    ]
    p.append(p0)

    p1 = persona(1, "José Luis", "Martínez", "García", d(1979, 11, 2), "H", "JC", "44100", _umf(34),
                 "vespertino", "asegurado", "35", 1999, "3398765432")
    n1 = p1.fila["nss"]
    p1.empleos = [
        g.empleo(n1, d(1999, 3, 1), d(2010, 7, 31), g.patrones[2]),
        g.empleo(n1, d(2010, 9, 1), hoy - timedelta(days=30), ("Autopartes Jalisco S.A. de C.V.",
                                                               "C2210456108")),
    ]
    madre = construir_curp("Rosa María", "García", "Núñez", d(1950, 6, 12), "M", "JC")
    g.curps.add(madre)
    p1.beneficiarios = [_beneficiario(madre, "Rosa María García Núñez", "madre", d(1950, 6, 12))]
    p.append(p1)

    p2 = persona(2, "Ana Sofía", "Ramírez", "Torres", d(1992, 7, 21), "M", "NL", "64000", _umf(26),
                 "matutino", "asegurado", "43", 2012, "8123456789")
    n2 = p2.fila["nss"]
    p2.empleos = [
        g.empleo(n2, d(2012, 1, 16), d(2016, 5, 31), g.patrones[3]),
        g.empleo(n2, d(2016, 7, 1), d(2021, 3, 15), g.patrones[4]),
    ]
    p2.movimientos = [
        {"nss": n2, "tipo": "descontadas", "semanas": 30, "fecha": d(2021, 6, 10),
         "motivo": "Retiro parcial por desempleo"},
        {"nss": n2, "tipo": "reintegradas", "semanas": 10, "fecha": d(2023, 2, 1),
         "motivo": "Reintegro de semanas descontadas por retiro por desempleo"},
    ]
    p.append(p2)

    p3 = persona(3, "Roberto Carlos", "Sánchez", "Díaz", d(1955, 1, 9), "H", "PL", "72000", _umf(56),
                 "matutino", "pensionado", "52", 1975, "2221234567")
    n3 = p3.fila["nss"]
    p3.empleos = [
        g.empleo(n3, d(1975, 2, 10), d(1982, 4, 30), g.patrones[5]),
        g.empleo(n3, d(1982, 6, 1), d(2015, 1, 31), g.patrones[6]),
    ]
    esposa = construir_curp("Martha", "Díaz", "Ortega", d(1957, 9, 23), "M", "PL")
    g.curps.add(esposa)
    p3.beneficiarios = [_beneficiario(esposa, "Martha Díaz Ortega", "conyuge", d(1957, 9, 23))]
    p.append(p3)

    p4 = persona(4, "Luz Elena", "Gómez", "Ruiz", d(1998, 12, 5), "M", "MC", "57000", _umf(75),
                 "vespertino", "asegurado", "26", 2017, "5587654321")
    n4 = p4.fila["nss"]
    p4.empleos = [
        g.empleo(n4, d(2017, 3, 1), d(2022, 8, 31), g.patrones[7]),
        g.empleo(n4, hoy - timedelta(days=70), hoy - timedelta(days=30), g.patrones[8]),
    ]
    p.append(p4)

    p5 = persona(5, "Juan Pablo", "Castillo", "Mendoza", d(1986, 8, 30), "H", "DF", "06700", _umf(1),
                 "matutino", "beneficiario", "02", 2005, "5512345671",
                 titular=p0.fila["curp"])
    p.append(p5)

    cercana = ordenar_por_cercania("06760", g.umfs)[0]
    p6 = persona(6, "Carmen Patricia", "Flores", "Vázquez", d(1990, 4, 17), "M", "DF", "06760", cercana,
                 "vespertino", "asegurado", "03", 2010, "5523456789")
    p6.empleos = [g.empleo(p6.fila["nss"], d(2010, 8, 2), d(2017, 12, 15), g.patrones[13]),
                  g.empleo(p6.fila["nss"], d(2018, 6, 1), None, g.patrones[9])]
    p.append(p6)

    p7 = persona(7, "Valeria Itzel", "Chan", "Pech", d(2003, 2, 11), "M", "YN", "97000", _umf(110),
                 "matutino", "asegurado", "81", 2022, "9991234567")
    p7.empleos = [g.empleo(p7.fila["nss"], d(2022, 8, 15), None, g.patrones[10])]
    p.append(p7)

    p8 = persona(8, "Diego Alonso", "Reyes", "Cruz", d(2005, 9, 9), "H", "GR", "39300", _umf(90),
                 "matutino", "sin_afiliacion", "62", 2023, "7441234567")
    p.append(p8)

    p9 = persona(9, "Óscar Iván", "Morales", "Peña", d(1984, 1, 25), "H", "BC", "22000", None, None,
                 "asegurado", "11", 2004, "6641234567")
    p9.empleos = [g.empleo(p9.fila["nss"], d(2004, 5, 3), d(2015, 10, 30), g.patrones[11]),
                  g.empleo(p9.fila["nss"], d(2015, 11, 2), None, g.patrones[12])]
    p.append(p9)

    # Seeded without the random source, so the generated people after the fixed ones stay the same.
    p10 = persona(10, "Tomás", "Vega", "Luna", d(1975, 6, 18), "H", "DF", "06700", _umf(1), "matutino",
                  "asegurado", "04", 1995, "5534567890")
    p10.empleos = [{"nss": p10.fila["nss"], "registro_patronal": "Y5412345109",
                    "patron": "Farmacias del Centro S.A. de C.V.", "fecha_alta": d(1995, 8, 1),
                    "fecha_baja": None, "salario_centavos": centavos(Decimal("612.40"))}]
    p.append(p10)
    return p


def _trayectoria(g: _Generador, nss: str, inicio: date, fin: date, abierto: bool) -> list[dict[str, Any]]:
    """Consecutive empleos from `inicio` to `fin` with gaps, job changes and the odd overlapping job."""
    empleos: list[dict[str, Any]] = []
    alta = inicio
    while alta <= fin:
        baja = alta + timedelta(days=g.rng.randint(120, 2600))
        ultimo = baja >= fin
        if ultimo:
            baja = fin
        empleos.append(g.empleo(nss, alta, None if (ultimo and abierto) else baja))
        if g.rng.random() < 0.06 and (baja - alta).days > 200:
            # A second, simultaneous job: its days must not be counted twice.
            extra_alta = alta + timedelta(days=g.rng.randint(10, 60))
            empleos.append(g.empleo(nss, extra_alta, extra_alta + timedelta(days=g.rng.randint(30, 150))))
        if ultimo:
            break
        salto = 1 if g.rng.random() < 0.35 else g.rng.randint(15, 420)
        alta = baja + timedelta(days=salto)
    return empleos


def _generada(g: _Generador) -> _Persona:
    hoy = g.hoy
    r = g.rng.random()
    perfil = ("empleado" if r < 0.55 else "conservacion" if r < 0.65 else "baja_corta" if r < 0.68
              else "baja_antigua" if r < 0.85 else "pensionado" if r < 0.95 else "sin_empleo")
    edad = {"pensionado": (62, 84), "sin_empleo": (18, 30), "baja_corta": (20, 45)}.get(perfil, (20, 62))
    nacimiento = g.fecha_entre(_mas_anios(hoy, -edad[1]), _mas_anios(hoy, -edad[0]))
    sexo = "M" if g.rng.random() < 0.5 else "H"
    nombre = g.fake.first_name_female() if sexo == "M" else g.fake.first_name_male()
    paterno, materno = g.fake.last_name(), g.fake.last_name()
    cp, umf = g.domicilio()
    residencia = estado_de_cp(cp) or "Ciudad de México"
    curp = g.curp(nombre, paterno, materno, nacimiento, sexo, g.estado_nacimiento(residencia))

    inicio = g.fecha_entre(_mas_anios(nacimiento, 18),
                           min(_mas_anios(nacimiento, 24), hoy - timedelta(days=400)))
    if perfil == "sin_empleo":
        inicio = g.fecha_entre(_mas_anios(nacimiento, 16), hoy)
    nss = g.nuevo_nss(residencia, inicio.year, nacimiento.year)
    turno = g.rng.choice(umf.turnos) if umf else None
    tipo = {"pensionado": "pensionado", "sin_empleo": "sin_afiliacion"}.get(perfil, "asegurado")
    p = _Persona(_fila_persona(curp, nss, nombre, paterno, materno, g.email(nombre, paterno),
                               g.telefono(cp, umf), cp, nacimiento, sexo, umf, turno, tipo))

    if perfil == "empleado":
        p.empleos = _trayectoria(g, nss, inicio, hoy, abierto=True)
    elif perfil == "conservacion":
        baja = hoy - timedelta(days=g.rng.randint(1, 56))
        p.empleos = _trayectoria(g, nss, inicio, baja - timedelta(days=200), abierto=False)
        previa = max(e["fecha_baja"] for e in p.empleos)
        p.empleos.append(g.empleo(nss, previa + timedelta(days=g.rng.randint(5, 60)), baja))
    elif perfil == "baja_corta":
        previa = hoy - timedelta(days=g.rng.randint(200, 1500))
        p.empleos = _trayectoria(g, nss, inicio, max(previa, inicio), abierto=False)
        baja = hoy - timedelta(days=g.rng.randint(1, 50))
        p.empleos.append(g.empleo(nss, baja - timedelta(days=g.rng.randint(6, 50)), baja))
    elif perfil == "baja_antigua":
        baja = g.fecha_entre(inicio + timedelta(days=200), hoy - timedelta(days=60))
        p.empleos = _trayectoria(g, nss, inicio, baja, abierto=False)
    elif perfil == "pensionado":
        retiro = min(_mas_anios(nacimiento, g.rng.randint(60, 65)), hoy - timedelta(days=30))
        p.empleos = _trayectoria(g, nss, inicio, retiro, abierto=False)

    if p.empleos and g.rng.random() < 0.12:
        _movimientos(g, p)
    if perfil != "sin_empleo":
        _familia(g, p, residencia)
    return p


def _movimientos(g: _Generador, p: _Persona) -> None:
    hoy = g.hoy
    cerrados = [e for e in p.empleos if e["fecha_baja"] is not None and e["fecha_baja"] < hoy]
    dias = sum(((e["fecha_baja"] or hoy) - e["fecha_alta"]).days for e in p.empleos)
    if not cerrados or dias < 7 * 150:
        return
    baja = g.rng.choice(cerrados)["fecha_baja"]
    fecha = min(baja + timedelta(days=g.rng.randint(46, 200)), hoy)
    descontadas = g.rng.randint(5, 75)
    nss = p.fila["nss"]
    p.movimientos.append({"nss": nss, "tipo": "descontadas", "semanas": descontadas, "fecha": fecha,
                          "motivo": "Retiro parcial por desempleo"})
    if g.rng.random() < 0.4 and fecha < hoy:
        p.movimientos.append({
            "nss": nss, "tipo": "reintegradas", "semanas": g.rng.randint(1, descontadas),
            "fecha": g.fecha_entre(fecha + timedelta(days=1), hoy),
            "motivo": "Reintegro de semanas descontadas por retiro por desempleo",
        })


def _familia(g: _Generador, p: _Persona, residencia: str) -> None:
    hoy = g.hoy
    f = p.fila
    nacimiento: date = f["fecha_nacimiento"]
    edad = (hoy - nacimiento).days // 365
    estado = _CLAVE_ESTADO.get(residencia, "DF")
    pareja: tuple[str, str, str] | None = None
    if edad >= 22 and g.rng.random() < 0.6:
        sexo = "H" if f["sexo"] == "M" else "M"
        nombre = g.fake.first_name_male() if sexo == "H" else g.fake.first_name_female()
        paterno, materno = g.fake.last_name(), g.fake.last_name()
        nac = g.fecha_entre(_mas_anios(nacimiento, -6), min(_mas_anios(nacimiento, 6), _mas_anios(hoy, -18)))
        curp = g.curp(nombre, paterno, materno, nac, sexo, g.estado_nacimiento(residencia))
        parentesco = "conyuge" if g.rng.random() < 0.75 else ("concubina" if sexo == "M" else "concubinario")
        p.beneficiarios.append(_beneficiario(curp, f"{nombre} {paterno} {materno}", parentesco, nac))
        pareja = (nombre, paterno, materno)
        if g.rng.random() < 0.12:
            # Some spouses also appear as people (with their own NSS, no job): vigentes via their titular.
            p.parejas.append(
                _fila_persona(curp, g.nuevo_nss(residencia, max(nac.year + 18, 2000), nac.year), nombre,
                              paterno, materno, g.email(nombre, paterno), g.telefono(f["cp"], None),
                              f["cp"], nac, sexo, _umf(f["umf"]) if f["umf"] else None, f["turno"],
                              "beneficiario", f["curp"])
            )
    if edad >= 22:
        for _ in range(g.rng.choice((0, 1, 1, 2, 2, 3))):
            nac = g.fecha_entre(_mas_anios(nacimiento, 18), hoy - timedelta(days=30))
            anios = (hoy - nac).days // 365
            if anios >= 25:
                continue
            estudiante = anios >= 16 and g.rng.random() < 0.9
            if anios >= 16 and not estudiante:
                continue
            sexo = "M" if g.rng.random() < 0.5 else "H"
            nombre = g.fake.first_name_female() if sexo == "M" else g.fake.first_name_male()
            otro = pareja[1] if pareja else g.fake.last_name()
            if f["sexo"] == "H":
                paterno, materno = f["apellido_paterno"], otro
            else:
                paterno, materno = otro, f["apellido_paterno"]
            curp = g.curp(nombre, paterno, materno, nac, sexo, estado)
            p.beneficiarios.append(_beneficiario(curp, f"{nombre} {paterno} {materno}", "hijo", nac,
                                                 estudiante=estudiante))
    if g.rng.random() < 0.06:
        nac = g.fecha_entre(_mas_anios(nacimiento, -38), _mas_anios(nacimiento, -18))
        if (hoy - nac).days // 365 < 95:
            nombre = g.fake.first_name_female()
            materno = g.fake.last_name()
            curp = g.curp(nombre, f["apellido_materno"], materno, nac, "M", estado)
            p.beneficiarios.append(_beneficiario(curp, f"{nombre} {f['apellido_materno']} {materno}", "madre",
                                                 nac, dependiente=True))


def _filas(personas: Iterable[_Persona]) -> tuple[list[dict[str, Any]], ...]:
    filas: list[dict[str, Any]] = []
    empleos: list[dict[str, Any]] = []
    movimientos: list[dict[str, Any]] = []
    beneficiarios: list[dict[str, Any]] = []
    for p in personas:
        filas.append(p.fila)
        filas.extend(p.parejas)
        empleos.extend(p.empleos)
        movimientos.extend(p.movimientos)
        beneficiarios.extend({**b, "titular_nss": p.fila["nss"]} for b in p.beneficiarios)
    return filas, empleos, movimientos, beneficiarios


def sembrar_catalogo(session: Session) -> int:
    """Insert the demo UMF catalogue when `registro_umfs` is empty; returns clinics inserted."""
    if session.scalars(select(UmfRow.numero).limit(1)).first() is not None:
        return 0
    session.execute(insert(UmfRow), [
        {"numero": u.numero, "nombre": u.nombre, "domicilio": u.domicilio, "municipio": u.municipio,
         "estado": u.estado, "turnos": list(u.turnos), "telefono": u.telefono}
        for u in CATALOGO_UMF
    ])
    session.execute(insert(UmfCpRow), [{"umf": u.numero, "cp": cp} for u in CATALOGO_UMF for cp in u.cps])
    return len(CATALOGO_UMF)


def sembrar_demo(session_factory: sessionmaker[Session], semilla: int = 2026, *, hoy: date) -> int:
    """Fill empty registry tables with the demo catalogue and people; returns people inserted (0 if seeded).

    Deterministic for a given (`semilla`, `hoy`). Call it with the real current date at first start;
    later calls do nothing. Tables must exist (`TramitesBase.metadata.create_all` or migrations).
    """
    with session_factory() as s:
        if s.scalars(select(PersonaRow.id).limit(1)).first() is not None:
            return 0
    g = _Generador(semilla, hoy)
    personas = _predecibles(g)
    personas.extend(_generada(g) for _ in range(PERSONAS_GENERADAS))
    filas, empleos, movimientos, beneficiarios = _filas(personas)
    try:
        with session_factory.begin() as s:
            sembrar_catalogo(s)
            s.execute(insert(PersonaRow), filas)
            s.execute(insert(EmpleoRow), empleos)
            if movimientos:
                s.execute(insert(MovimientoRow), movimientos)
            s.execute(insert(BeneficiarioRow), beneficiarios)
            s.execute(insert(MetaRow), [{"clave": "demo_semilla", "valor": str(semilla)},
                                        {"clave": "demo_fecha_referencia", "valor": hoy.isoformat()}])
    except IntegrityError:
        # Another process seeded at the same time; its data is the same, so this one is done.
        return 0
    return len(filas)


def fecha_referencia(session_factory: sessionmaker[Session]) -> date | None:
    """The `hoy` the demo data was seeded with, or None if the registry was not seeded by `sembrar_demo`."""
    with session_factory() as s:
        fila = s.get(MetaRow, "demo_fecha_referencia")
        return date.fromisoformat(fila.valor) if fila else None


def demo_personas(registro: Registro, hoy: date, limit: int | None = None) -> list[dict[str, Any]]:
    """People of the registry as plain dicts (for `asistente demo personas --json`), vigencia at `hoy`."""
    from tramites.vigencia import calcular_vigencia  # tramites.vigencia imports this package

    salida: list[dict[str, Any]] = []
    for persona in registro.listar_personas(limit):
        vigencia = calcular_vigencia(registro, persona, hoy)
        salida.append({
            "curp": persona.curp,
            "nss": persona.nss,
            "nombre": persona.nombre_completo,
            "email": persona.email,
            "telefono": persona.telefono,
            "cp": persona.cp,
            "umf": persona.umf,
            "tipo": persona.tipo,
            "fecha_nacimiento": persona.fecha_nacimiento.isoformat(),
            "vigente": vigencia.vigente,
            "vigente_hasta": vigencia.vigente_hasta.isoformat() if vigencia.vigente_hasta else None,
        })
    return salida
