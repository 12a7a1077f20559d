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

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from tramites.identidad import validar_curp
from tramites.registro.errores import TramiteError
from tramites.registro.formato import fecha_larga, genero
from tramites.registro.modelos import Beneficiario, Persona, Solicitud
from tramites.registro.puerto import Registro

__all__ = [
    "EDAD_LIMITE_ESTUDIANTE",
    "EDAD_LIMITE_HIJO",
    "BeneficiarioError",
    "BeneficiarioNoElegible",
    "Elegibilidad",
    "ParentescoInvalido",
    "RegistroBeneficiario",
    "edad",
    "evaluar_beneficiario",
    "normalizar_parentesco",
    "registrar_beneficiario",
    "revisar_beneficiarios",
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


class BeneficiarioError(TramiteError):
    """Base error of the beneficiarios trámite."""


class ParentescoInvalido(BeneficiarioError):
    """The relationship typed is not one the IMSS covers."""

    def __init__(self, texto: str) -> None:
        self.texto = texto
        super().__init__(
            f"No puedo registrar a «{texto}» como beneficiario. El IMSS cubre a tu cónyuge (o concubina/"
            "concubinario), a tus hijos y a tu padre y tu madre si dependen de ti. ¿Cuál es su parentesco?"
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


class BeneficiarioNoElegible(BeneficiarioError):
    """Registration refused; `elegibilidad.motivo` is the message."""

    def __init__(self, elegibilidad: Elegibilidad) -> None:
        self.elegibilidad = elegibilidad
        super().__init__(elegibilidad.motivo)


@dataclass(frozen=True)
class RegistroBeneficiario:
    """A beneficiary that was registered, with its solicitud and the papers to take to the UMF."""

    beneficiario: Beneficiario
    solicitud: Solicitud
    elegibilidad: Elegibilidad


def _sin_acentos(texto: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", texto.lower()) if unicodedata.category(c) != "Mn")


def _sexo(curp: str) -> str:
    return curp[10] if len(curp) == 18 else "H"


def normalizar_parentesco(texto: str) -> str:
    """"Esposa", "mi hija", "mamá"... -> a value of `PARENTESCOS`; raises `ParentescoInvalido`."""
    clave = " ".join(_sin_acentos(texto).split())
    if clave in _SINONIMOS:
        return _SINONIMOS[clave]
    raise ParentescoInvalido(texto.strip())


def edad(nacimiento: date, hoy: date) -> int:
    """Completed years at `hoy` (someone born on 29 February turns a year older on 1 March)."""
    return hoy.year - nacimiento.year - ((hoy.month, hoy.day) < (nacimiento.month, nacimiento.day))


def _cumple(nacimiento: date, anios: int) -> date:
    try:
        return nacimiento.replace(year=nacimiento.year + anios)
    except ValueError:
        return date(nacimiento.year + anios, 3, 1)


def _requisitos(parentesco: str, estudiante: bool, discapacidad: bool) -> list[str]:
    comunes = ["Identificación oficial con fotografía del asegurado.", "CURP del beneficiario."]
    if parentesco == "conyuge":
        return [*comunes, "Acta de matrimonio."]
    if parentesco in ("concubina", "concubinario"):
        return [*comunes, "Constancia de concubinato o acta de nacimiento de un hijo en común."]
    if parentesco == "hijo":
        extra = ["Acta de nacimiento del hijo o hija."]
        if estudiante:
            extra.append("Constancia de estudios del ciclo escolar actual (sistema educativo nacional).")
        if discapacidad:
            extra.append("Dictamen médico del IMSS que confirme que no puede trabajar.")
        return [*comunes, *extra]
    return [*comunes, "Tu acta de nacimiento (donde aparecen tus padres).",
            "Comprobante de domicilio: deben vivir contigo."]


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
    if titular.tipo not in ("asegurado", "pensionado"):
        return resultado(False, "Solo una persona asegurada o pensionada puede registrar beneficiarios. Si "
                                "estás cubierto por un familiar, pídele que haga el registro.")
    if datos.valor == titular.curp:
        return resultado(False, "Esa CURP es la tuya; escribe la CURP de tu familiar.")
    if nacimiento > hoy:
        return resultado(False, "La fecha de nacimiento de esa CURP todavía no llega; revisa que esté bien "
                                "escrita.")
    repetido = next((b for b in existentes if b.curp == datos.valor), None)
    if repetido is not None:
        sx = _sexo(repetido.curp)
        return resultado(False, f"{repetido.nombre} ya está {genero(sx, 'registrado', 'registrada')} como tu "
                                f"{genero(sx, 'beneficiario', 'beneficiaria')}; no necesitas "
                                f"{genero(sx, 'registrarlo', 'registrarla')} de nuevo.")
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
            return resultado(True, f"Tu {fam} puede ser tu {ben} sin límite de edad mientras una enfermedad "
                                   "crónica o discapacidad no le permita trabajar; lleva el dictamen médico.")
        if anios < EDAD_LIMITE_HIJO:
            return resultado(True, f"Tu {fam} puede ser tu {ben}: es menor de 16 años.")
        if anios >= EDAD_LIMITE_ESTUDIANTE:
            return resultado(False, f"Tu {fam} ya cumplió 25 años, así que ya no puede ser tu {ben} aunque "
                                    "estudie. Puede tener su propio seguro: con su patrón si trabaja, con el "
                                    "seguro facultativo si estudia en una escuela pública, o contratando el "
                                    "Seguro de Salud para la Familia.")
        if not estudiante:
            return resultado(False, f"Tu {fam} ya cumplió 16 años; puede seguir como {ben} hasta los 25 si "
                                    "estudia en una escuela del sistema educativo nacional. Si estudia, dime "
                                    "que sí y lleva su constancia de estudios a tu UMF.")
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
                                "en tu casa. Si es así, dime que sí depende de ti.")
    return resultado(True, f"Tu {fam} puede ser tu {ben} porque depende económicamente de ti; lleva un "
                           "comprobante de que vive en tu domicilio.")


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


def registrar_beneficiario(
    registro: Registro,
    titular: Persona,
    parentesco: str,
    curp: str,
    nombre: str,
    hoy: date,
    *,
    fecha_nacimiento: date | None = None,
    estudiante: bool = False,
    dependiente: bool = False,
    discapacidad: bool = False,
) -> RegistroBeneficiario:
    """Evaluate and, if eligible, store the beneficiary and record a solicitud `beneficiario`.

    Raises `BeneficiarioNoElegible` (message = the reason), `ParentescoInvalido`, `CurpInvalida`.
    """
    if titular.nss is None:
        raise BeneficiarioError("Para registrar beneficiarios necesitas tu Número de Seguridad Social (NSS). "
                                "Primero consulta o asigna tu NSS con tu CURP.")
    if not nombre.strip():
        raise BeneficiarioError("Escribe el nombre completo de tu familiar, como aparece en su acta de "
                                "nacimiento.")
    eleg = evaluar_beneficiario(titular, parentesco, curp, fecha_nacimiento, estudiante, dependiente,
                                registro.beneficiarios(titular.nss), hoy, discapacidad)
    if not eleg.ok:
        raise BeneficiarioNoElegible(eleg)
    nuevo = Beneficiario(curp=eleg.curp, nombre=_nombre_propio(nombre), parentesco=eleg.parentesco,
                         fecha_nacimiento=eleg.fecha_nacimiento, estudiante=estudiante,
                         dependiente_economico=dependiente or eleg.parentesco not in ("padre", "madre"),
                         discapacidad=discapacidad)
    registro.agregar_beneficiario(titular.nss, nuevo)
    solicitud = registro.crear_solicitud("beneficiario", titular.curp, {
        "nss": titular.nss, "titular": titular.nombre_completo, "beneficiario_curp": nuevo.curp,
        "beneficiario_nombre": nuevo.nombre, "parentesco": nuevo.parentesco,
        "fecha_nacimiento": nuevo.fecha_nacimiento.isoformat(), "estudiante": estudiante,
        "requisitos": eleg.requisitos,
    })
    return RegistroBeneficiario(beneficiario=nuevo, solicitud=solicitud, elegibilidad=eleg)
