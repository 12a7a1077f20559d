"""Registro de beneficiarios: who can receive medical care through an asegurado (LSS art. 84).

Rules checked by `evaluar_beneficiario` at the date `hoy` (ages in completed years):
- Titular: only an asegurado or pensionado registers beneficiarios.
- Cónyuge, concubina or concubinario: only one of them at a time.
- Hijos: eligible while younger than 16 (on the 16th birthday no longer, unless studying); from 16 and
  while younger than 25 if they study in the sistema educativo nacional (on the 25th birthday no longer,
  even if studying); at any age if a chronic illness or disability keeps them from working.
- Padre y madre: one each, only if they depend economically on the asegurado (and live in the home).
- The beneficiary CURP must be valid, not the titular's own and not already registered; the birth date
  comes from the CURP unless one is given, which must then match it.
The law asks all beneficiarios to depend economically on the asegurado; for cónyuge and hijos the IMSS
presumes it, so `dependiente` is only checked for padres.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from tramites.comprobantes import comprobante_beneficiario
from tramites.documentos.modelo import DocumentoEmitido
from tramites.errores import TramiteError
from tramites.identidad import IdentidadError, validar_curp
from tramites.puertos import Puertos
from tramites.registro.errores import CurpNoRegistrada
from tramites.registro.formato import fecha_larga, genero
from tramites.registro.identificar import identificar_persona
from tramites.registro.modelos import Beneficiario, Persona, Solicitud
from tramites.registro.puerto import Registro
from tramites.texto import fold

__all__ = [
    "EDAD_LIMITE_ESTUDIANTE",
    "EDAD_LIMITE_HIJO",
    "BeneficiarioNoElegible",
    "Elegibilidad",
    "NombreFaltante",
    "ParentescoInvalido",
    "Pregunta",
    "RegistroBeneficiario",
    "RevisionFamiliar",
    "SinNssParaBeneficiarios",
    "TitularNoAsegurado",
    "edad",
    "evaluar_beneficiario",
    "normalizar_parentesco",
    "parentesco_en_texto",
    "parentesco_por_sexo",
    "preguntas_pendientes",
    "registrar_beneficiario",
    "revisar_beneficiarios",
    "revisar_familiar",
    "revisar_titular",
    "validar_nombre_completo",
]

EDAD_LIMITE_HIJO = 16
"""Children are beneficiarios while younger than this (no studies needed)."""
EDAD_LIMITE_ESTUDIANTE = 25
"""Students are beneficiarios while younger than this."""

_CONYUGES = ("conyuge", "concubina", "concubinario")
_SINONIMOS: dict[str, str] = {
    "conyuge": "conyuge", "esposa": "conyuge", "esposo": "conyuge", "mi esposa": "conyuge",
    "mi esposo": "conyuge", "marido": "conyuge", "concubina": "concubina", "concubino": "concubinario",
    "concubinario": "concubinario", "hijo": "hijo", "hija": "hijo", "hijos": "hijo", "hijas": "hijo",
    "mi hijo": "hijo", "mi hija": "hijo", "padre": "padre", "papa": "padre", "mi papa": "padre",
    "madre": "madre", "mama": "madre", "mi mama": "madre",
}
_NOMBRE_PARENTESCO = {"conyuge": "cónyuge", "concubina": "concubina", "concubinario": "concubinario",
                      "hijo": "hijo", "padre": "padre", "madre": "madre"}
_PARTICULAS = frozenset({"de", "del", "la", "las", "los", "y"})
_PADRES = ("padre", "madre")
_MAX_NOMBRE = 120
_TITULAR_PUEDE = ("asegurado", "pensionado")
_SOLO_ASEGURADOS = (
    "Solo una persona asegurada o pensionada puede registrar beneficiarios. Si tú estás en el seguro por "
    "un familiar, pídele que haga el registro."
)

Pregunta = Literal["estudia", "depende"]
"""What the trámite may still need to ask: whether a hijo studies, whether a parent depends on the titular."""


class ParentescoInvalido(TramiteError):
    """The relationship typed is not one the IMSS covers."""

    MENSAJE = (
        "No puedo registrar a «{texto}» como beneficiario. El IMSS cubre a tu cónyuge (o concubina/"
        "concubinario), a tus hijos y a tu padre y tu madre si dependen de ti."
    )
    texto: str


class TitularNoAsegurado(TramiteError):
    """Only an asegurado or pensionado registers beneficiarios."""

    MENSAJE = _SOLO_ASEGURADOS


class SinNssParaBeneficiarios(TramiteError):
    """Beneficiarios are registered under the titular's NSS; the titular has none."""

    MENSAJE = (
        "Para registrar beneficiarios necesitas tu Número de Seguridad Social (NSS). "
        "Primero consulta o asigna tu NSS con tu CURP."
    )


class NombreFaltante(TramiteError):
    """The family member is not in the registry and no name was given, or not a full name."""

    MENSAJE = (
        "Escribe el nombre completo de tu familiar (nombre y apellidos, sin números), como aparece en su "
        "acta de nacimiento. Por ejemplo: Sofía Castillo Hernández."
    )


@dataclass(frozen=True)
class Elegibilidad:
    """Whether a family member can be registered, why, and what papers to bring."""

    ok: bool
    motivo: str
    parentesco: str
    curp: str
    fecha_nacimiento: date
    edad: int
    requisitos: list[str] = field(default_factory=list)


class BeneficiarioNoElegible(TramiteError):
    """Registration refused; `elegibilidad.motivo` is the message."""

    elegibilidad: Elegibilidad

    def __init__(self, elegibilidad: Elegibilidad) -> None:
        super().__init__(elegibilidad.motivo, elegibilidad=elegibilidad)


@dataclass(frozen=True)
class RegistroBeneficiario:
    """A beneficiary registered under the titular's NSS, its solicitud and its comprobante."""

    titular: Persona
    beneficiario: Beneficiario
    solicitud: Solicitud
    documento: DocumentoEmitido

    @property
    def requisitos(self) -> list[str]:
        """The papers to take to the UMF."""
        return list(self.solicitud.datos["requisitos"])


@dataclass(frozen=True)
class RevisionFamiliar:
    """The rules applied to a family member so far, and what still has to be asked."""

    elegibilidad: Elegibilidad
    preguntas: frozenset[Pregunta]


def _sexo(curp: str) -> str:
    return curp[10] if len(curp) == 18 else "H"


def normalizar_parentesco(texto: str) -> str:
    """"Esposa", "mi hija", "mamá", "Hija(o)"... -> a value of `PARENTESCOS`; raises `ParentescoInvalido`."""
    # The buttons say "Hija(o)": the ending in parentheses is not part of the word.
    clave = fold(re.sub(r"\((o|a)\)", "", texto, flags=re.IGNORECASE))
    if clave in _SINONIMOS:
        return _SINONIMOS[clave]
    raise ParentescoInvalido(texto=texto.strip())


def parentesco_en_texto(texto: str) -> str | None:
    """The parentesco named by one word of a sentence ("quiero registrar a mi esposa"), or None."""
    palabra = next((p for p in fold(texto).split() if p in _SINONIMOS), None)
    return _SINONIMOS[palabra] if palabra else None


def validar_nombre_completo(texto: str) -> str:
    """A name with at least one surname, letters only, single spaces; raises `NombreFaltante`."""
    nombre = " ".join(texto.split())
    valido = re.fullmatch(r"[^\W\d_]+(?:[ .'-]+[^\W\d_]+)*\.?", nombre) is not None
    if not valido or len(nombre.split()) < 2 or len(nombre) > _MAX_NOMBRE:
        raise NombreFaltante()
    return nombre


def parentesco_por_sexo(parentesco: str, curp: str) -> str:
    """"Concubina(o)" is one choice: the CURP's sex says whether it is a concubina or a concubinario."""
    if parentesco in ("concubina", "concubinario"):
        return "concubina" if _sexo(curp) == "M" else "concubinario"
    return parentesco


def edad(nacimiento: date, hoy: date) -> int:
    """Completed years at `hoy` (someone born on 29 February turns a year older on 1 March)."""
    return hoy.year - nacimiento.year - ((hoy.month, hoy.day) < (nacimiento.month, nacimiento.day))


def _cumple(nacimiento: date, anios: int) -> date:
    try:
        return nacimiento.replace(year=nacimiento.year + anios)
    except ValueError:
        return date(nacimiento.year + anios, 3, 1)


def _requisitos(parentesco: str, estudiante: bool, discapacidad: bool) -> list[str]:
    # Short lines in plain words: they are read in the chat and printed on the comprobante.
    comunes = ["Tu INE u otra identificación oficial con foto.", "La CURP de tu familiar."]
    if parentesco == "conyuge":
        return [*comunes, "Tu acta de matrimonio."]
    if parentesco in ("concubina", "concubinario"):
        return [*comunes, "Constancia de concubinato o acta de nacimiento de un hijo de los dos."]
    if parentesco == "hijo":
        extra = ["Su acta de nacimiento."]
        if estudiante:
            extra.append("Su constancia de estudios de este ciclo escolar.")
        if discapacidad:
            extra.append("El dictamen médico del IMSS que dice que no puede trabajar.")
        return [*comunes, *extra]
    return [*comunes, "Tu acta de nacimiento, donde salen tus papás.",
            "Un comprobante de domicilio: tiene que vivir contigo."]


def evaluar_beneficiario(
    titular: Persona,
    parentesco: str,
    curp: str,
    fecha_nacimiento: date | None,
    estudiante: bool,
    dependiente: bool,
    existentes: Sequence[Beneficiario],
    hoy: date,
    discapacidad: bool = False,
) -> Elegibilidad:
    """Apply the LSS rules in the module docstring; raises only for malformed input.

    Raises `CurpInvalida` (tramites.identidad) and `ParentescoInvalido`; every rule outcome is returned.
    """
    rel = normalizar_parentesco(parentesco)
    datos = validar_curp(curp)
    nacimiento = datos.fecha_nacimiento
    fam = genero(datos.sexo, "hijo", "hija") if rel == "hijo" else _NOMBRE_PARENTESCO[rel]
    ben = genero(datos.sexo, "beneficiario", "beneficiaria")

    def resultado(ok: bool, motivo: str) -> Elegibilidad:
        return Elegibilidad(ok=ok, motivo=motivo, parentesco=rel, curp=datos.valor,
                            fecha_nacimiento=nacimiento, edad=edad(nacimiento, hoy),
                            requisitos=_requisitos(rel, estudiante, discapacidad))

    if fecha_nacimiento is not None and fecha_nacimiento != nacimiento:
        return resultado(False, f"La fecha de nacimiento que escribiste ({fecha_larga(fecha_nacimiento)}) no "
                                f"coincide con la de la CURP ({fecha_larga(nacimiento)}). Revisa cuál es la "
                                "correcta.")
    if titular.tipo not in _TITULAR_PUEDE:
        return resultado(False, _SOLO_ASEGURADOS)
    if datos.valor == titular.curp:
        return resultado(False, "Esa CURP es la tuya; escribe la CURP de tu familiar.")
    if nacimiento > hoy:
        return resultado(False, "La fecha de nacimiento de esa CURP todavía no llega; revisa que esté bien "
                                "escrita.")
    repetido = next((b for b in existentes if b.curp == datos.valor), None)
    if repetido is not None:
        sx = _sexo(repetido.curp)
        return resultado(False, f"{repetido.nombre} ya está {genero(sx, 'registrado', 'registrada')} como tu "
                                f"{genero(sx, 'beneficiario', 'beneficiaria')}. No hace falta que "
                                f"{genero(sx, 'lo', 'la')} registres otra vez.")
    anios = edad(nacimiento, hoy)
    if rel in _CONYUGES:
        pareja = next((b for b in existentes if b.parentesco in _CONYUGES), None)
        if pareja is not None:
            sx = _sexo(pareja.curp)
            return resultado(False, f"Ya tienes {genero(sx, 'registrado', 'registrada')} a {pareja.nombre} "
                                    "como "
                                    f"{_NOMBRE_PARENTESCO[pareja.parentesco]}; solo puede haber una persona "
                                    "(cónyuge, concubina o concubinario). Si tu situación cambió, acude a tu "
                                    "UMF para dar de baja el registro anterior.")
        return resultado(True, f"Tu {fam} puede ser tu {ben}.")
    if rel == "hijo":
        if nacimiento <= titular.fecha_nacimiento:
            return resultado(False, f"Según la CURP, tu {fam} nació antes que tú; revisa que la CURP sea "
                                    "la correcta.")
        if discapacidad:
            return resultado(True, f"Tu {fam} puede ser tu {ben} sin límite de edad si una enfermedad o "
                                   "discapacidad no le deja trabajar. Lleva el dictamen médico.")
        if anios < EDAD_LIMITE_HIJO:
            return resultado(True, f"Tu {fam} puede ser tu {ben}: es menor de 16 años.")
        if anios >= EDAD_LIMITE_ESTUDIANTE:
            return resultado(False, f"Tu {fam} ya cumplió 25 años, así que ya no puede ser tu {ben} aunque "
                                    "estudie. Puede tener su propio seguro: con su patrón si trabaja, con el "
                                    "seguro facultativo si estudia en una escuela pública, o contratando el "
                                    "Seguro de Salud para la Familia.")
        if not estudiante:
            return resultado(False, f"Tu {fam} ya cumplió 16 años; puede seguir como {ben} hasta los 25 si "
                                    "estudia. Tiene que ser una escuela del sistema educativo nacional.")
        limite = _cumple(nacimiento, EDAD_LIMITE_ESTUDIANTE)
        return resultado(True, f"Tu {fam} puede ser tu {ben} mientras estudie, hasta antes de cumplir 25 "
                               f"años (el {fecha_larga(limite)}). Lleva su constancia de estudios vigente.")
    # padre / madre
    if nacimiento >= titular.fecha_nacimiento:
        return resultado(False, f"Según la CURP, tu {fam} nació después que tú; revisa que la CURP sea la "
                                "correcta.")
    mismo = next((b for b in existentes if b.parentesco == rel), None)
    if mismo is not None:
        return resultado(False, f"Ya tienes {genero(_sexo(mismo.curp), 'registrado', 'registrada')} a tu "
                                f"{fam} ({mismo.nombre}); solo se puede registrar un padre y una madre.")
    if not dependiente:
        return resultado(False, f"Tu {fam} puede ser tu {ben} solo si depende económicamente de ti y vive "
                                "en tu casa.")
    return resultado(True, f"Tu {fam} puede ser tu {ben} porque depende económicamente de ti. Lleva un "
                           "papel que pruebe que vive en tu casa.")


def revisar_beneficiarios(
    titular: Persona, beneficiarios: Sequence[Beneficiario], hoy: date
) -> list[tuple[Beneficiario, Elegibilidad]]:
    """Re-check every registered beneficiary at `hoy` (e.g. a child who turned 16 without studies)."""
    revision: list[tuple[Beneficiario, Elegibilidad]] = []
    for b in beneficiarios:
        otros = [o for o in beneficiarios if o is not b]
        revision.append((b, evaluar_beneficiario(
            titular, b.parentesco, b.curp, b.fecha_nacimiento, b.estudiante, b.dependiente_economico, otros,
            hoy, discapacidad=b.discapacidad,
        )))
    return revision


def _nombre_propio(texto: str) -> str:
    palabras = " ".join(texto.split()).split(" ")
    return " ".join(p.lower() if i and p.lower() in _PARTICULAS else p[:1].upper() + p[1:].lower()
                    for i, p in enumerate(palabras))


def revisar_titular(registro: Registro, curp: str, nss: str | None, *, hoy: date) -> Persona:
    """The asegurado or pensionado who registers: CURP (and NSS, when given) of one registered person.

    Raises `CurpInvalida`/`NssInvalido`, `CurpNoRegistrada`, `NssNoCoincide` and `TitularNoAsegurado`.
    """
    titular = identificar_persona(registro, curp, nss, hoy=hoy)
    if titular.tipo not in _TITULAR_PUEDE:
        raise TitularNoAsegurado()
    return titular


def preguntas_pendientes(parentesco: str | None, curp: str | None, hoy: date) -> frozenset[Pregunta]:
    """What must be asked about this family member: studies for hijos of 16 to 24, dependency for padres."""
    if parentesco in _PADRES:
        return frozenset({"depende"})
    if parentesco == "hijo" and curp:
        try:
            anios = edad(validar_curp(curp).fecha_nacimiento, hoy)
        except IdentidadError:
            return frozenset()
        if EDAD_LIMITE_HIJO <= anios < EDAD_LIMITE_ESTUDIANTE:
            return frozenset({"estudia"})
    return frozenset()


def revisar_familiar(
    registro: Registro,
    titular: Persona,
    parentesco: str,
    curp: str,
    hoy: date,
    *,
    estudia: bool | None = None,
    depende: bool | None = None,
) -> RevisionFamiliar:
    """Apply the rules now, taking a question not answered yet (None) as "sí".

    Answering "sí" later cannot help when the rules already say no, so a refusal here is final; an `ok`
    with pending `preguntas` still needs those answers. Raises `CurpInvalida` and `ParentescoInvalido`.
    """
    preguntas = preguntas_pendientes(parentesco, curp, hoy)
    existentes = registro.beneficiarios(titular.nss) if titular.nss else []
    elegibilidad = evaluar_beneficiario(
        titular, parentesco, curp, None, estudia is not False, depende is not False, existentes, hoy
    )
    respondidas = {p for p, r in (("estudia", estudia), ("depende", depende)) if r is not None}
    return RevisionFamiliar(elegibilidad=elegibilidad, preguntas=frozenset(preguntas - respondidas))


def registrar_beneficiario(
    p: Puertos,
    titular_curp: str,
    titular_nss: str | None,
    parentesco: str,
    curp: str,
    nombre: str | None = None,
    *,
    fecha_nacimiento: date | None = None,
    estudiante: bool = False,
    dependiente: bool = False,
    discapacidad: bool = False,
    clave: str | None = None,
) -> RegistroBeneficiario:
    """The trámite: check titular and family member, store it, record the solicitud, issue the comprobante.

    A family member the registry knows keeps the registry's name; otherwise `nombre` is required. Raises
    what `revisar_titular` raises, `SinNssParaBeneficiarios`, `NombreFaltante`, `BeneficiarioNoElegible`
    (message = the reason), `ParentescoInvalido`, `CurpInvalida`. The same `clave` returns the first result.
    """
    hoy = p.hoy()
    titular = revisar_titular(p.registro, titular_curp, titular_nss, hoy=hoy)
    if titular.nss is None:
        raise SinNssParaBeneficiarios()
    solicitud = p.registro.solicitud_por_clave("beneficiario", clave) if clave else None
    if solicitud is None:
        conocida = p.registro.persona_por_curp(validar_curp(curp).valor)
        nombre = conocida.nombre_completo if conocida is not None else (nombre or "")
        if not nombre.strip():
            raise NombreFaltante()
        eleg = evaluar_beneficiario(titular, parentesco, curp, fecha_nacimiento, estudiante, dependiente,
                                    p.registro.beneficiarios(titular.nss), hoy, discapacidad)
        if not eleg.ok:
            raise BeneficiarioNoElegible(eleg)
        nuevo = Beneficiario(curp=eleg.curp, nombre=_nombre_propio(nombre), parentesco=eleg.parentesco,
                             fecha_nacimiento=eleg.fecha_nacimiento, estudiante=estudiante,
                             dependiente_economico=dependiente or eleg.parentesco not in _PADRES,
                             discapacidad=discapacidad)
        p.registro.agregar_beneficiario(titular.nss, nuevo, clave=clave)
        solicitud = p.registro.crear_solicitud("beneficiario", titular.curp, {
            "nss": titular.nss, "titular": titular.nombre_completo, "beneficiario_curp": nuevo.curp,
            "beneficiario_nombre": nuevo.nombre, "parentesco": nuevo.parentesco,
            "fecha_nacimiento": nuevo.fecha_nacimiento.isoformat(), "estudiante": estudiante,
            "requisitos": eleg.requisitos,
        }, clave=clave)
    registrado = next(
        (b for b in p.registro.beneficiarios(titular.nss) if b.curp == solicitud.datos["beneficiario_curp"]),
        None,
    )
    if registrado is None:
        raise CurpNoRegistrada(curp=str(solicitud.datos["beneficiario_curp"]))
    documento = p.emisor.emitir(
        comprobante_beneficiario(
            titular, registrado, solicitud, requisitos=list(solicitud.datos["requisitos"]), ahora=p.ahora()
        ),
        clave=clave,
    )
    return RegistroBeneficiario(
        titular=titular, beneficiario=registrado, solicitud=solicitud, documento=documento
    )
