"""Every reply the assistant can send, with representative values in its variables.

Four sources: the domain's responses (each variable filled with a value like the real ones), the guidance
data, the domain errors' message templates, and the messages the trámites build in code (validation
errors, vigencia reasons, eligibility reasons, clinic lists), produced here by calling the trámites with
inputs that reach each branch. Used by the readability test.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import string
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import tramites
from tests.actions.tracker import domain
from tramites.beneficiarios import evaluar_beneficiario, normalizar_parentesco, validar_nombre_completo
from tramites.contacto import validar_cp, validar_domicilio, validar_email, validar_telefono
from tramites.errores import TramiteError
from tramites.identidad import validar_clabe, validar_curp, validar_nss, validar_rfc
from tramites.orientacion import cargar_orientacion
from tramites.registro import PREDECIBLES, Beneficiario, Empleo, Persona, Registro
from tramites.registro.demo import construir_curp
from tramites.registro.formato import fecha_larga
from tramites.umf import buscar_clinicas, requisitos_clinica
from tramites.vigencia import evaluar_vigencia

__all__ = ["EJEMPLOS", "respuestas_posibles"]

HOY = date(2026, 3, 2)
MARIA = PREDECIBLES[0]

#: A representative value for every variable a response or an error template uses.
EJEMPLOS: dict[str, str] = {
    "nombre": "María Guadalupe",
    "nombre_completo": "Sofía Castillo Hernández",
    "nss": "01078871009",
    "curp": "HELG880314MDFRPD05",
    "curp_abreviada": "HELG…05",
    "folio": "IMSS-20260302-8K2M4Q7W",
    "motivo": "tus derechos están vigentes: Farmacias del Centro te tiene dada de alta desde el 15 de enero "
    "de 2020.",
    "mensaje": "Tu CURP tiene 17 caracteres; debe tener 18.",
    "respuesta": "La línea del IMSS es el 800 623 2323, sin costo.",
    "si": "acepto",
    "no": "no acepto",
    "total": "1,024 semanas cotizadas",
    "fecha": "2 de marzo de 2026",
    "cotizadas": "1,044",
    "descontadas": "30",
    "reintegradas": "10",
    "patrones": "3 patrones",
    "email": "maria@example.com",
    "email_oculto": "m***@example.com",
    "email_nuevo": "maria.nueva@example.com",
    "telefono": "5512345670",
    "telefono_nuevo": "5512345670",
    "restantes": "2",
    "minutos": "15",
    "horas": "20",
    "intentos": "3",
    "hora": "14:30",
    "rfc": "HELG880314AB1",
    "numero": "28",
    "vigente_hasta": "14/03/2029",
    "clinica": "Gabriel Mancera",
    "turno": "matutino",
    "explicacion": "Estas clínicas atienden tu código postal 06700.",
    "clinicas": "• UMF 1 Cuauhtémoc: Av. Juárez 45, Cuauhtémoc. Turno matutino y vespertino.",
    "actual": " (tu clínica actual)",
    "domicilio": "Av. Juárez 45",
    "municipio": "Cuauhtémoc",
    "turnos": "matutino y vespertino",
    "texto": "la de la esquina",
    "cp": "06700",
    "domicilio_clinica": "Av. Juárez 45, Cuauhtémoc, Ciudad de México",
    "umf_domicilio": "Calle Roma 12, colonia Juárez",
    "umf_cp": "06600",
    "requisitos": "• Identificación oficial con fotografía.\n• Comprobante de domicilio reciente.",
    "parentesco": "hija",
    "familiar": "tu esposa",
    "beneficiario": "beneficiaria",
    "titular": "María Guadalupe Hernández López",
    "estado": "Ciudad de México",
    "campo": "la CURP",
    "dato": "CURP",
    "valor": "HELG880314MDFRPD05",
    "tamano": "80",
    "maximo": "64",
    "limite": "64",
    "nombre_archivo": "mi_efirma.cer",
    "archivo": "mi_efirma.cer",
    "clave": "12345",
    "entrada": "telefono",
    "falta": "no tiene fuente oficial",
    # The help desk (bot/agents): queue place and wait, office hours, the agent's name.
    "lugar": "3",
    "cuando": "mañana a las 8:00",
    "horario": "de lunes a viernes de 8:00 a 20:00",
    "agente": "Laura",
    # The message rate limit: seconds until the sender is read again.
    "segundos": "40",
}


class _Valores(dict[str, Any]):
    """Template values: the examples, with dates formatted as the documents do."""

    def __missing__(self, clave: str) -> Any:
        return _Valor(EJEMPLOS.get(clave, "dato"))


class _Valor(str):
    def __format__(self, formato: str) -> str:
        return "14/03/2026" if "%" in formato else str(self)


_VARIABLE = re.compile(r"\{(\w+)\}")


def _respuestas_del_dominio() -> Iterator[tuple[str, str]]:
    for nombre, variantes in domain()["responses"].items():
        for i, variante in enumerate(variantes):
            texto = str(variante.get("text") or "")
            faltan = set(_VARIABLE.findall(texto)) - set(EJEMPLOS)
            assert not faltan, f"{nombre}: no hay valor de ejemplo para {sorted(faltan)} (EJEMPLOS)"
            yield f"domain.yml {nombre}[{i}]", _VARIABLE.sub(lambda m: EJEMPLOS[m[1]], texto)


def _orientacion() -> Iterator[tuple[str, str]]:
    guia = cargar_orientacion()
    for entrada in guia.entradas:
        yield f"conocimiento.yml {entrada.id}", entrada.respuesta
    for destino in guia.destinos:
        yield f"fuera_de_alcance.yml {destino.id}", destino.respuesta


def _subclases(clase: type[TramiteError]) -> Iterator[type[TramiteError]]:
    for sub in clase.__subclasses__():
        yield sub
        yield from _subclases(sub)


def _plantillas_de_error() -> Iterator[tuple[str, str]]:
    for modulo in pkgutil.walk_packages(tramites.__path__, "tramites."):
        importlib.import_module(modulo.name)
    for clase in sorted(set(_subclases(TramiteError)), key=lambda c: (c.__module__, c.__name__)):
        if "MENSAJE" in clase.__dict__:
            texto = string.Formatter().vformat(clase.MENSAJE, (), _Valores())
            yield f"{clase.__module__}.{clase.__name__}", texto


def _errores(nombre: str, validar: Callable[[str], object], entradas: list[str]) -> Iterator[tuple[str, str]]:
    for entrada in entradas:
        try:
            validar(entrada)
        except TramiteError as error:
            yield f"{nombre}({entrada!r})", error.mensaje


def _validaciones() -> Iterator[tuple[str, str]]:
    # One input per branch of each validator (what is wrong and where).
    yield from _errores(
        "validar_curp",
        validar_curp,
        [
            "",
            "HELG8803-14MDFRPD0Ñ",
            "HELG880314",
            "H3LG880314MDFRPD05",
            "HBLG880314MDFRPD05",
            "HELG88X314MDFRPD05",
            "HELG881314MDFRPD05",
            "HELG880314ZDFRPD05",
            "HELG880314MXXRPD05",
            "HELG880314MDFAPD05",
            "HELG880314MDFRPD0A",
            "HELG880314MDFRPD04",
        ],
    )
    yield from _errores(
        "validar_nss",
        lambda t: validar_nss(t, hoy=HOY),
        [
            "",
            "0107887100",
            "0107887100A",
            "01078871008",
            "01990871004",
            "0107887100912",
        ],
    )
    yield from _errores(
        "validar_rfc",
        validar_rfc,
        [
            "",
            "HELG88031",
            "H3LG880314AB1",
            "HELG881314AB1",
            "HELG880314AB_",
        ],
    )
    yield from _errores("validar_clabe", validar_clabe, ["", "01218000118359719", "012180001183597190"])
    yield from _errores("validar_email", validar_email, ["", "maria", "maria@", "maria@example", "a b@x.com"])
    yield from _errores("validar_telefono", validar_telefono, ["", "55123", "551234567890"])
    yield from _errores("validar_cp", validar_cp, ["", "0670", "00001", "99999"])
    yield from _errores("validar_domicilio", validar_domicilio, ["", "12345", "x" * 300])
    yield from _errores("normalizar_parentesco", normalizar_parentesco, ["vecino"])
    yield from _errores("validar_nombre_completo", validar_nombre_completo, ["Sofía", "Sofía 2"])


def _persona(sexo: str, tipo: str = "asegurado", titular: str | None = None) -> Persona:
    return Persona(
        curp=MARIA.curp,
        nss=MARIA.nss,
        nombre="María Guadalupe",
        apellido_paterno="Hernández",
        apellido_materno="López",
        email=None,
        telefono=None,
        cp="06700",
        fecha_nacimiento=date(1988, 3, 14),
        sexo=sexo,
        umf=1,
        tipo=tipo,
        titular_curp=titular,
    )


def _empleo(alta: date, baja: date | None) -> Empleo:
    return Empleo(
        registro_patronal="Y5412345109",
        patron="Farmacias del Centro S.A. de C.V.",
        fecha_alta=alta,
        fecha_baja=baja,
        salario_base_cotizacion=Decimal("450.00"),
    )


def _motivos_de_vigencia() -> Iterator[tuple[str, str]]:
    casos = {
        "empleo abierto": (_persona("M"), [_empleo(date(2020, 1, 15), None)]),
        "pensionado": (_persona("H", "pensionado"), []),
        "conservación": (_persona("M"), [_empleo(date(2015, 1, 1), HOY - timedelta(days=30))]),
        "pocos días": (_persona("M"), [_empleo(HOY - timedelta(days=70), HOY - timedelta(days=30))]),
        "baja antigua": (_persona("H"), [_empleo(date(2016, 7, 1), date(2021, 3, 15))]),
        "sin empleos": (_persona("H"), []),
    }
    for caso, (persona, empleos) in casos.items():
        v = evaluar_vigencia(persona, empleos, HOY)
        yield f"vigencia: {caso}", f"María Guadalupe, {v.motivo[:1].lower()}{v.motivo[1:]}"
    titular_vigente = evaluar_vigencia(_persona("M"), [_empleo(date(2020, 1, 15), None)], HOY)
    titular_sin = evaluar_vigencia(_persona("M"), [], HOY)
    for nombre, titular in (("vigente", titular_vigente), ("sin derechos", titular_sin)):
        v = evaluar_vigencia(_persona("H", "beneficiario", MARIA.curp), [], HOY, titular=titular)
        yield f"vigencia: beneficiario, titular {nombre}", f"Juan Pablo, {v.motivo[:1].lower()}{v.motivo[1:]}"


def _motivos_de_beneficiarios() -> Iterator[tuple[str, str]]:
    titular = _persona("M")
    hija = construir_curp("Sofía", "Castillo", "Hernández", date(2012, 5, 20), "M", "DF")
    hijo_mayor = construir_curp("Emiliano", "Castillo", "Hernández", date(2008, 3, 10), "H", "DF")
    hijo_de_25 = construir_curp("Emilio", "Castillo", "Hernández", date(2000, 3, 10), "H", "DF")
    madre = construir_curp("Rosa María", "López", "Núñez", date(1950, 6, 12), "M", "JC")
    esposo = PREDECIBLES[5].curp
    otro = construir_curp("Pedro", "Pérez", "Pérez", date(1986, 8, 30), "H", "DF")
    existentes = [
        Beneficiario(
            curp=esposo,
            nombre="Juan Pablo Castillo Mendoza",
            parentesco="conyuge",
            fecha_nacimiento=date(1986, 8, 30),
        )
    ]
    casos: list[tuple[str, str, bool, bool, list[Beneficiario], bool]] = [
        ("hijo", hija, False, False, [], False),
        ("hijo", hijo_mayor, True, False, [], False),
        ("hijo", hijo_mayor, False, False, [], False),
        ("hijo", hijo_de_25, True, False, [], False),
        ("hijo", hija, False, False, [], True),
        ("conyuge", esposo, False, False, existentes, False),
        ("conyuge", otro, False, False, [], False),
        ("conyuge", otro, False, False, existentes, False),
        ("madre", madre, False, True, [], False),
        ("madre", madre, False, False, [], False),
        ("hijo", MARIA.curp, False, False, [], False),
    ]
    for parentesco, curp, estudiante, dependiente, ya, discapacidad in casos:
        try:
            e = evaluar_beneficiario(
                titular, parentesco, curp, None, estudiante, dependiente, ya, HOY, discapacidad=discapacidad
            )
        except TramiteError as error:
            yield f"beneficiario {parentesco} {curp}", error.mensaje
            continue
        yield f"beneficiario {parentesco} {curp}", e.motivo
        yield f"beneficiario {parentesco} requisitos", "\n".join(f"• {r}" for r in e.requisitos)


def _clinicas(registro: Registro) -> Iterator[tuple[str, str]]:
    for cp in ("06700", "06760", "44100"):
        yield f"buscar_clinicas({cp})", buscar_clinicas(registro, cp).explicacion
    yield "requisitos_clinica", "\n".join(f"• {r}" for r in requisitos_clinica())
    yield "fecha", fecha_larga(HOY)


def respuestas_posibles(registro: Registro) -> list[tuple[str, str]]:
    """(where it comes from, the text a person reads), for every reply the assistant can send."""
    return [
        *_respuestas_del_dominio(),
        *_orientacion(),
        *_plantillas_de_error(),
        *_validaciones(),
        *_motivos_de_vigencia(),
        *_motivos_de_beneficiarios(),
        *_clinicas(registro),
    ]
