"""Registro de beneficiarios: titular CURP + NSS → parentesco → family CURP → sí/no → comprobante."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.documento import enviar_documento
from actions.servicios import servicios
from actions.umf import cerrar_formulario, respuesta_si_no
from actions.validacion import candidato_al_activar, es_duda, revisar_curp, revisar_nss
from tramites.beneficiarios import (
    EDAD_LIMITE_ESTUDIANTE,
    EDAD_LIMITE_HIJO,
    Elegibilidad,
    ParentescoInvalido,
    edad,
    evaluar_beneficiario,
    normalizar_parentesco,
    registrar_beneficiario,
)
from tramites.comprobantes_solicitudes import comprobante_beneficiario, nombre_parentesco
from tramites.identidad import IdentidadError, buscar_candidato, validar_curp
from tramites.registro import CurpNoRegistrada, NssNoCoincide, Persona, TramiteError, identificar_persona
from tramites.registro.formato import genero
from tramites.texto import fold

__all__ = [
    "SLOTS_BENEFICIARIO",
    "ActionAskBeneficiarioDepende",
    "ActionAskBeneficiarioEstudia",
    "ActionAskBeneficiarioParentesco",
    "ActionRegistrarBeneficiario",
    "ValidateBeneficiarioForm",
]

SLOT_PARENTESCO = "beneficiario_parentesco"
SLOT_CURP = "beneficiario_curp"
SLOT_ESTUDIA = "beneficiario_estudia"
SLOT_DEPENDE = "beneficiario_depende"
SLOT_NOMBRE = "beneficiario_nombre"
SLOTS_BENEFICIARIO: tuple[str, ...] = (SLOT_PARENTESCO, SLOT_CURP, SLOT_ESTUDIA, SLOT_DEPENDE, SLOT_NOMBRE)
"""The form's own slots, cleared when it ends (the titular's CURP and NSS are kept)."""

#: Set by a validation method to end the form; `run` turns it into the closing events.
_TERMINAR = "beneficiario_terminar"
_PADRES = ("padre", "madre")
_BOTONES_PARENTESCO = [
    {"title": titulo, "payload": titulo}
    for titulo in ("Esposa(o)", "Concubina(o)", "Hija(o)", "Madre", "Padre")
]
_BOTONES_OTRO = [
    {"title": "Registrar a otra persona", "payload": "/registrar_beneficiarios"},
    {"title": "Es todo, gracias", "payload": "/agradecer"},
]
_PALABRAS_PARENTESCO = {
    "esposa": "esposa", "esposo": "esposo", "concubina": "concubina", "concubino": "concubino",
    "hijo": "hijo", "hija": "hija", "mama": "mama", "madre": "madre", "papa": "papa", "padre": "padre",
}
_MAX_NOMBRE = 120


def _titular(tracker: Tracker) -> Persona | None:
    curp = tracker.get_slot("curp")
    return servicios().registro.persona_por_curp(str(curp)) if curp else None


def _parentesco_por_sexo(parentesco: str, curp: str) -> str:
    """"Concubina(o)" is one button: the CURP's sex says which the registry stores."""
    if parentesco in ("concubina", "concubinario"):
        return "concubina" if curp[10] == "M" else "concubinario"
    return parentesco


def _pregunta_falta(parentesco: str | None, curp: str | None, hoy: date) -> set[str]:
    """Which of studies/dependency must be asked for this family member."""
    preguntas: set[str] = set()
    if parentesco in _PADRES:
        preguntas.add(SLOT_DEPENDE)
    if parentesco == "hijo" and curp:
        try:
            anios = edad(validar_curp(curp).fecha_nacimiento, hoy)
        except IdentidadError:
            return preguntas
        if EDAD_LIMITE_HIJO <= anios < EDAD_LIMITE_ESTUDIANTE:
            preguntas.add(SLOT_ESTUDIA)
    return preguntas


def _sin_invitacion(motivo: str) -> str:
    """The reason without "dime que sí…": the person already answered that question."""
    frases = re.split(r"(?<=\.)\s+", motivo)
    return " ".join(f for f in frases if "dime que sí" not in f)


def _quien(tracker: Tracker) -> str:
    """"tu hija", "tu mamá"... for the questions, from the parentesco and the CURP's sex."""
    curp = str(tracker.get_slot(SLOT_CURP) or "")
    parentesco = str(tracker.get_slot(SLOT_PARENTESCO) or "")
    mujer = len(curp) == 18 and curp[10] == "M"
    if parentesco == "hijo":
        return "tu hija" if mujer else "tu hijo"
    return {"padre": "tu papá", "madre": "tu mamá"}.get(parentesco, "tu familiar")


class ValidateBeneficiarioForm(FormValidationAction):
    """Identifies the titular and applies the LSS rules to the family member, with a reason when refused."""

    def name(self) -> str:
        """Action name."""
        return "validate_beneficiario_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """rasa-sdk's extraction and validation; a refusal closes the form."""
        events = await super().run(dispatcher, tracker, domain)
        if any(e.get("event") == "slot" and e.get("name") == _TERMINAR for e in events):
            fuera = (_TERMINAR, "requested_slot", *SLOTS_BENEFICIARIO)
            kept = [e for e in events if not (e.get("event") == "slot" and e.get("name") in fuera)]
            return kept + cerrar_formulario(SLOTS_BENEFICIARIO)
        return list(events)

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Studies only for hijos of 16 to 24, dependency only for padres, the name only when unknown."""
        parentesco = tracker.get_slot(SLOT_PARENTESCO)
        curp = tracker.get_slot(SLOT_CURP)
        preguntas = _pregunta_falta(
            str(parentesco) if parentesco else None, str(curp) if curp else None, servicios().hoy()
        )
        fuera = {SLOT_ESTUDIA, SLOT_DEPENDE} - preguntas
        if curp and servicios().registro.persona_por_curp(str(curp)) is not None:
            fuera.add(SLOT_NOMBRE)
        return [s for s in domain_slots if s not in fuera]

    # -- titular -------------------------------------------------------------------------

    def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A mistyped CURP in the opening message is validated too."""
        return candidato_al_activar(tracker, "curp", "CURP")

    def extract_beneficiario_parentesco(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """"quiero registrar a mi esposa": the opening message already says who."""
        if tracker.get_slot("requested_slot") is not None or tracker.get_slot(SLOT_PARENTESCO) is not None:
            return {}
        texto = str(tracker.latest_message.get("text") or "")
        if texto.startswith("/"):
            return {}
        palabra = next((p for p in fold(texto).split() if p in _PALABRAS_PARENTESCO), None)
        return {SLOT_PARENTESCO: _PALABRAS_PARENTESCO[palabra]} if palabra else {}

    def validate_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The titular: a valid CURP in the registry, asegurado or pensionado."""
        requested = tracker.get_slot("requested_slot")
        nss = tracker.get_slot("nss")
        if requested not in (None, "curp", "nss") and nss:
            # A CURP typed later is the family member's; the titular stays the one with this NSS.
            titular = servicios().registro.persona_por_nss(str(nss))
            if titular is not None:
                return {"curp": titular.curp}
        resultado = revisar_curp(value, dispatcher)
        curp = resultado["curp"]
        if curp is None:
            return resultado
        persona = servicios().registro.persona_por_curp(curp)
        if persona is None:
            dispatcher.utter_message(text=CurpNoRegistrada(curp).mensaje)
            return {"curp": None}
        if persona.tipo not in ("asegurado", "pensionado"):
            dispatcher.utter_message(
                text="Solo una persona asegurada o pensionada puede registrar beneficiarios. Si estás "
                "cubierto por un familiar, pídele que haga el registro desde su cuenta."
            )
            return {"curp": curp, _TERMINAR: True}
        if nss and persona.nss != nss:
            return {"curp": curp, "nss": None}
        return {"curp": curp}

    def validate_nss(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The titular's NSS must be the one registered with the CURP."""
        resultado = revisar_nss(value, dispatcher)
        nss = resultado["nss"]
        titular = _titular(tracker)
        if nss is None or titular is None:
            return resultado
        if titular.nss != nss:
            dispatcher.utter_message(text=NssNoCoincide(titular.curp, nss).mensaje)
            return {"nss": None}
        return {"nss": nss}

    # -- family member -------------------------------------------------------------------

    def validate_beneficiario_parentesco(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Esposa(o), concubina(o), hija(o), madre or padre, in the person's words."""
        texto = re.sub(r"\((o|a)\)", "", str(value or ""), flags=re.IGNORECASE)
        try:
            return {SLOT_PARENTESCO: normalizar_parentesco(texto)}
        except ParentescoInvalido as error:
            dispatcher.utter_message(text=error.mensaje, buttons=_BOTONES_PARENTESCO)
            return {SLOT_PARENTESCO: None}

    def validate_beneficiario_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid CURP, not the titular's; the rules that need no more answers are applied now."""
        texto = str(value or "")
        try:
            curp = validar_curp(buscar_candidato(texto, "CURP") or texto).valor
        except IdentidadError as error:
            dispatcher.utter_message(text=f"{error.mensaje} ¿Me la escribes de nuevo?")
            return {SLOT_CURP: None}
        titular = _titular(tracker)
        parentesco = tracker.get_slot(SLOT_PARENTESCO)
        if titular is None or not parentesco:
            return {SLOT_CURP: curp}
        if curp == titular.curp:
            dispatcher.utter_message(text="Esa CURP es la tuya. Escríbeme la CURP de tu familiar.")
            return {SLOT_CURP: None}
        parentesco = _parentesco_por_sexo(str(parentesco), curp)
        hoy = servicios().hoy()
        preguntas = _pregunta_falta(parentesco, curp, hoy)
        # Answering "sí" later cannot help when the rules already say no: check with the best answers.
        elegibilidad = self._evaluar(
            titular, parentesco, curp, SLOT_ESTUDIA in preguntas, SLOT_DEPENDE in preguntas, hoy
        )
        if not elegibilidad.ok:
            return self._rechazar(dispatcher, elegibilidad)
        if not preguntas:
            dispatcher.utter_message(text=elegibilidad.motivo)
        return {SLOT_CURP: curp, SLOT_PARENTESCO: parentesco}

    def validate_beneficiario_estudia(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """From 16 and before 25, hijos qualify only while they study."""
        return self._respuesta(dispatcher, tracker, SLOT_ESTUDIA, value)

    def validate_beneficiario_depende(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Padres qualify only if they depend economically on the titular."""
        return self._respuesta(dispatcher, tracker, SLOT_DEPENDE, value)

    def validate_beneficiario_nombre(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Name and surnames as in the birth certificate."""
        nombre = " ".join(str(value or "").split())
        valido = re.fullmatch(r"[^\W\d_]+(?:[ .'-]+[^\W\d_]+)*\.?", nombre) is not None
        if not valido or len(nombre.split()) < 2 or len(nombre) > _MAX_NOMBRE:
            dispatcher.utter_message(
                text="Escribe el nombre completo de tu familiar (nombre y apellidos, sin números), como "
                "aparece en su acta de nacimiento. Por ejemplo: Sofía Castillo Hernández."
            )
            return {SLOT_NOMBRE: None}
        return {SLOT_NOMBRE: nombre}

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _evaluar(
        titular: Persona, parentesco: str, curp: str, estudiante: bool, dependiente: bool, hoy: date
    ) -> Elegibilidad:
        existentes = servicios().registro.beneficiarios(titular.nss) if titular.nss else []
        return evaluar_beneficiario(
            titular, parentesco, curp, None, estudiante, dependiente, existentes, hoy
        )

    def _respuesta(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, value: Any
    ) -> dict[str, Any]:
        """A sí/no that completes the rules: registered, or refused with the reason."""
        respuesta = respuesta_si_no(value)
        if es_duda(str(tracker.latest_message.get("text") or "")):
            # A doubt must not refuse someone as if the answer were "no".
            respuesta = None
        if respuesta is None:
            dispatcher.utter_message(text="Respóndeme «sí» o «no», por favor.", buttons=_botones_si_no(slot))
            return {slot: None}
        titular = _titular(tracker)
        curp = tracker.get_slot(SLOT_CURP)
        parentesco = tracker.get_slot(SLOT_PARENTESCO)
        if titular is None or not curp or not parentesco:
            return {slot: respuesta}
        elegibilidad = self._evaluar(
            titular,
            str(parentesco),
            str(curp),
            respuesta if slot == SLOT_ESTUDIA else False,
            respuesta if slot == SLOT_DEPENDE else False,
            servicios().hoy(),
        )
        if not elegibilidad.ok:
            return self._rechazar(dispatcher, elegibilidad)
        dispatcher.utter_message(text=elegibilidad.motivo)
        return {slot: respuesta}

    @staticmethod
    def _rechazar(dispatcher: CollectingDispatcher, elegibilidad: Elegibilidad) -> dict[str, Any]:
        """Say why and end the form, offering to register someone else."""
        dispatcher.utter_message(text=_sin_invitacion(elegibilidad.motivo))
        dispatcher.utter_message(text="¿Quieres registrar a otra persona?", buttons=_BOTONES_OTRO)
        return {_TERMINAR: True}


def _botones_si_no(slot: str) -> list[dict[str, str]]:
    if slot == SLOT_ESTUDIA:
        return [{"title": "Sí estudia", "payload": "/afirmar"}, {"title": "No estudia", "payload": "/negar"}]
    return [{"title": "Sí, depende de mí", "payload": "/afirmar"}, {"title": "No", "payload": "/negar"}]


class ActionAskBeneficiarioParentesco(Action):
    """Asks who the family member is, with buttons."""

    def name(self) -> str:
        """Action name."""
        return "action_ask_beneficiario_parentesco"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the parentesco buttons."""
        dispatcher.utter_message(
            text="¿A quién quieres registrar como tu beneficiario? Elige su parentesco contigo.",
            buttons=_BOTONES_PARENTESCO,
        )
        return []


class ActionAskBeneficiarioEstudia(Action):
    """Asks whether the 16-to-24-year-old hijo studies."""

    def name(self) -> str:
        """Action name."""
        return "action_ask_beneficiario_estudia"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the question with Sí/No buttons."""
        quien = _quien(tracker)
        dispatcher.utter_message(
            text=f"{quien.capitalize()} ya tiene 16 años o más. ¿Estudia en una escuela del sistema "
            "educativo nacional?",
            buttons=_botones_si_no(SLOT_ESTUDIA),
        )
        return []


class ActionAskBeneficiarioDepende(Action):
    """Asks whether the parent depends economically on the titular."""

    def name(self) -> str:
        """Action name."""
        return "action_ask_beneficiario_depende"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the question with Sí/No buttons."""
        dispatcher.utter_message(
            text=f"¿{_quien(tracker).capitalize()} depende económicamente de ti y vive contigo?",
            buttons=_botones_si_no(SLOT_DEPENDE),
        )
        return []


class ActionRegistrarBeneficiario(Action):
    """Stores the beneficiary, records the solicitud and sends the comprobante."""

    def name(self) -> str:
        """Action name."""
        return "action_registrar_beneficiario"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Register, issue the PDF and offer to register someone else."""
        limpiar: list[EventType] = [SlotSet(s, None) for s in SLOTS_BENEFICIARIO]
        s = servicios()
        hoy = s.hoy()
        curp = tracker.get_slot(SLOT_CURP)
        parentesco = tracker.get_slot(SLOT_PARENTESCO)
        if not curp or not parentesco or not tracker.get_slot("curp") or not tracker.get_slot("nss"):
            dispatcher.utter_message(response="utter_error")
            return limpiar
        try:
            titular = identificar_persona(
                s.registro, str(tracker.get_slot("curp")), str(tracker.get_slot("nss")), hoy=hoy
            )
            conocida = s.registro.persona_por_curp(str(curp))
            nombre = conocida.nombre_completo if conocida else str(tracker.get_slot(SLOT_NOMBRE) or "")
            registro = registrar_beneficiario(
                s.registro, titular, str(parentesco), str(curp), nombre, hoy,
                estudiante=tracker.get_slot(SLOT_ESTUDIA) is True,
                dependiente=tracker.get_slot(SLOT_DEPENDE) is True,
            )
        except (TramiteError, IdentidadError) as error:
            dispatcher.utter_message(text=_sin_invitacion(error.mensaje))
            return limpiar
        nuevo = registro.beneficiario
        requisitos = registro.elegibilidad.requisitos
        documento = comprobante_beneficiario(
            titular, nuevo, registro.solicitud, requisitos=requisitos, ahora=s.ahora()
        )
        emitido = s.emisor.emitir(documento, f"comprobante-beneficiario-{nuevo.curp}.pdf")
        dispatcher.utter_message(
            text=f"¡Listo! Registré a {nuevo.nombre} como tu "
            f"{genero(nuevo.curp[10], 'beneficiario', 'beneficiaria')} "
            f"({nombre_parentesco(nuevo.parentesco, nuevo.curp).lower()}). Folio de tu solicitud: "
            f"{registro.solicitud.folio}.\nPara que le asignen consultorio, lleva a tu UMF:\n"
            + "\n".join(f"• {r}" for r in requisitos)
        )
        enviar_documento(dispatcher, emitido, "Aquí está tu comprobante en PDF.")
        dispatcher.utter_message(text="¿Quieres registrar a otra persona?", buttons=_BOTONES_OTRO)
        return limpiar
