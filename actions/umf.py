"""Alta / cambio de UMF: CURP → domicilio → código postal → clinic (buttons) → turno → email → sí/no."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.acceso import del_titular
from actions.accion import Accion
from actions.dialogo import botones_de, clave_del_mensaje, enviar_documento, explicar
from actions.formulario import Formulario, elegir, limpiar, respuesta_si_no, revision, slots_del_formulario
from actions.identidad import DATOS_DE_IDENTIDAD
from actions.servicios import servicios
from tramites.acceso import Resultado
from tramites.errores import TramiteError
from tramites.registro import CurpNoRegistrada, Persona, Umf
from tramites.texto import fold
from tramites.umf import (
    TURNOS_UMF,
    MismaClinica,
    OpcionesUmf,
    SinClinicaCercana,
    SinNssParaClinica,
    buscar_clinicas,
    solicitar_cambio_umf,
    turnos_en_palabras,
    turnos_ofrecidos,
    validar_turno,
)

__all__ = [
    "ActionAskUmfClinica",
    "ActionAskUmfConfirmacion",
    "ActionAskUmfTurno",
    "ActionCambioUmf",
    "ValidateUmfForm",
]

_FORMULARIO = "umf_form"
SLOT_DOMICILIO = "umf_domicilio"
SLOT_CP = "umf_cp"
SLOT_CLINICA = "umf_clinica"
SLOT_TURNO = "umf_turno"
SLOT_CONFIRMACION = "umf_confirmacion"


def _persona(tracker: Tracker) -> Persona | None:
    curp = tracker.get_slot("curp")
    return servicios().registro.persona_por_curp(str(curp)) if curp else None


def _clinica(tracker: Tracker) -> Umf | None:
    valor = tracker.get_slot(SLOT_CLINICA)
    if valor is None or not str(valor).isdecimal():
        return None
    return servicios().registro.umf(int(valor))


def _lista_clinicas(domain: DomainDict, opciones: OpcionesUmf, persona: Persona | None) -> str:
    """One line per clinic, with the domain's wording (`utter_clinica_en_lista`)."""
    plantilla = str(domain["responses"]["utter_clinica_en_lista"][0]["text"])
    actual = str(domain["responses"]["utter_tu_clinica_actual"][0]["text"])
    return "\n".join(
        plantilla.format(
            numero=u.numero,
            clinica=u.nombre,
            actual=f" {actual}" if persona is not None and persona.umf == u.numero else "",
            domicilio=u.domicilio,
            municipio=u.municipio,
            turnos=turnos_en_palabras(u),
        )
        for u in opciones.clinicas
    )


class ValidateUmfForm(Formulario):
    """Checks each answer of the UMF form and explains what is wrong.

    The email comes right after the CURP: the person's clinic is read only once both passed.
    """

    VERIFICA_TITULAR = True
    SOLO_CONSULTA = False

    def name(self) -> str:
        """Action name."""
        return "validate_umf_form"

    def con_curp(self, curp: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """Someone in the registry who has an NSS; they hear which clinic they have now."""
        registro = servicios().registro
        persona = registro.persona_por_curp(curp)
        if persona is None:
            explicar(dispatcher, CurpNoRegistrada(curp=curp))
            return {"curp": None}
        if persona.nss is None:
            explicar(dispatcher, SinNssParaClinica())
            return self.terminar(curp=curp)
        actual = registro.umf(persona.umf) if persona.umf is not None else None
        if actual is not None:
            dispatcher.utter_message(
                response="utter_umf_actual" if persona.turno else "utter_umf_actual_sin_turno",
                nombre=persona.nombre,
                numero=actual.numero,
                clinica=actual.nombre,
                turno=persona.turno,
            )
        return {"curp": curp}

    # Calle, número y colonia in free text: not empty, with letters, not too long.
    validate_umf_domicilio = revision(SLOT_DOMICILIO, "domicilio")

    def validate_umf_cp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Five digits of a real range, with some clinic in the same state."""
        try:
            opciones = buscar_clinicas(servicios().registro, str(value or ""))
        except TramiteError as error:
            explicar(dispatcher, error)
            if isinstance(error, SinClinicaCercana):
                dispatcher.utter_message(response="utter_umf_otro_cp")
            return {SLOT_CP: None}
        return {SLOT_CP: opciones.cp}

    def validate_umf_clinica(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """One of the clinics offered; "otro código postal" or a new CP goes back to the CP.

        A refused choice is only explained: the clinic question (with its buttons) is asked again.
        """
        texto = str(value or "")
        plano = fold(texto)
        if "codigo postal" in plano or re.search(r"\b(otro|cambiar)\s+cp\b", plano):
            return {SLOT_CLINICA: None, SLOT_CP: None}
        cp = str(tracker.get_slot(SLOT_CP) or "")
        if re.fullmatch(r"\s*(cp\s*)?\d{5}\s*", plano):
            # A new código postal typed at the clinic question: show that CP's clinics.
            nuevo = self.validate_umf_cp(texto, dispatcher, tracker, domain)
            return {SLOT_CLINICA: None, SLOT_CP: nuevo[SLOT_CP] or cp}
        try:
            opciones = buscar_clinicas(servicios().registro, cp)
        except TramiteError:
            return {SLOT_CLINICA: None, SLOT_CP: None}
        umf = elegir(texto, opciones.clinicas, lambda u: u.numero, lambda u: u.nombre)
        if umf is None:
            dispatcher.utter_message(response="utter_umf_clinica_no_ofrecida", texto=texto.strip(), cp=cp)
            return {SLOT_CLINICA: None}
        persona = _persona(tracker)
        if persona is not None and persona.umf == umf.numero:
            if not turnos_ofrecidos(umf, persona):
                explicar(dispatcher, MismaClinica(umf, persona.turno or ""))
                return {SLOT_CLINICA: None}
            dispatcher.utter_message(response="utter_umf_misma_clinica", numero=umf.numero)
        return {SLOT_CLINICA: str(umf.numero)}

    def validate_umf_turno(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Matutino or vespertino, only if the clinic has it (and it is a change for the person)."""
        umf = _clinica(tracker)
        if umf is None:
            return {SLOT_TURNO: None, SLOT_CLINICA: None}
        persona = _persona(tracker)
        ofrecidos = turnos_ofrecidos(umf, persona)
        if len(ofrecidos) == 1 and respuesta_si_no(value) is True:
            return {SLOT_TURNO: ofrecidos[0].clave}
        try:
            turno = validar_turno(umf, str(value or ""))
        except TramiteError as error:
            explicar(dispatcher, error)
            return {SLOT_TURNO: None}
        if persona is not None and persona.umf == umf.numero and persona.turno == turno.clave:
            explicar(dispatcher, MismaClinica(umf, turno.clave))
            return {SLOT_TURNO: None, SLOT_CLINICA: None}
        return {SLOT_TURNO: turno.clave}

    def validate_umf_confirmacion(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Sí sends the solicitud; no goes back to the choice of clinic."""
        respuesta = self.si_no(dispatcher, tracker, value)
        if respuesta is False:
            dispatcher.utter_message(response="utter_umf_no_enviada")
            return {SLOT_CONFIRMACION: None, SLOT_CLINICA: None, SLOT_TURNO: None}
        return {SLOT_CONFIRMACION: respuesta}


class ActionAskUmfClinica(Accion):
    """Asks for the clinic with buttons: the ones that serve the CP, or the nearest."""

    NOMBRE = "action_ask_umf_clinica"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the clinic options for the CP in the form."""
        try:
            opciones = buscar_clinicas(servicios().registro, str(tracker.get_slot(SLOT_CP) or ""))
        except TramiteError as error:
            explicar(dispatcher, error)
            dispatcher.utter_message(response="utter_ask_umf_cp")
            return [SlotSet(SLOT_CP, None), SlotSet("requested_slot", SLOT_CP)]
        botones = [{"title": u.etiqueta, "payload": f"UMF {u.numero}"} for u in opciones.clinicas]
        dispatcher.utter_message(
            response="utter_clinicas",
            explicacion=opciones.explicacion,
            clinicas=_lista_clinicas(domain, opciones, _persona(tracker)),
            buttons=[*botones, *botones_de(domain, "utter_clinicas")],
        )
        return []


class ActionAskUmfTurno(Accion):
    """Asks for the turno with buttons, only the ones the clinic has."""

    NOMBRE = "action_ask_umf_turno"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the turnos of the chosen clinic."""
        umf = _clinica(tracker)
        if umf is None:
            dispatcher.utter_message(response="utter_error")
            return []
        turnos = turnos_ofrecidos(umf, _persona(tracker))
        dispatcher.utter_message(
            response="utter_turno_unico" if len(turnos) == 1 else "utter_turnos",
            numero=umf.numero,
            nombre=umf.nombre,
            turno=turnos[0].etiqueta.lower() if turnos else "",
            buttons=[{"title": t.etiqueta, "payload": t.clave} for t in turnos],
        )
        return []


class ActionAskUmfConfirmacion(Accion):
    """Shows the summary (clinic, address, turno) and asks sí/no."""

    NOMBRE = "action_ask_umf_confirmacion"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the summary with Sí/No buttons."""
        umf = _clinica(tracker)
        turno = TURNOS_UMF.get(str(tracker.get_slot(SLOT_TURNO)))
        if umf is None or turno is None:
            dispatcher.utter_message(response="utter_error")
            return []
        dispatcher.utter_message(
            response="utter_resumen_umf",
            numero=umf.numero,
            clinica=umf.nombre,
            domicilio_clinica=f"{umf.domicilio}, {umf.municipio}, {umf.estado}",
            turno=turno.etiqueta,
        )
        return []


class ActionCambioUmf(Accion):
    """Records the solicitud and sends its comprobante with what to bring to the clinic."""

    NOMBRE = "action_cambio_umf"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Assign clinic and turno, issue the comprobante PDF and forget the form's answers."""
        olvidar = limpiar(slots_del_formulario(domain, _FORMULARIO))
        if del_titular(dispatcher, tracker) is not Resultado.COINCIDE:
            return [*olvidar, *limpiar(DATOS_DE_IDENTIDAD)]
        clinica = str(tracker.get_slot(SLOT_CLINICA))
        turno = str(tracker.get_slot(SLOT_TURNO))
        if not clinica.isdecimal() or turno not in TURNOS_UMF:
            dispatcher.utter_message(response="utter_error")
            return olvidar
        try:
            hecho = solicitar_cambio_umf(
                servicios(),
                str(tracker.get_slot("curp")),
                int(clinica),
                turno,
                domicilio=str(tracker.get_slot(SLOT_DOMICILIO) or ""),
                cp=str(tracker.get_slot(SLOT_CP) or ""),
                email=tracker.get_slot("email"),
                clave=clave_del_mensaje(tracker),
            )
        except TramiteError as error:
            explicar(dispatcher, error)
            # A CURP kept from another trámite may not be in the registry.
            return [*olvidar, SlotSet("curp", None)] if isinstance(error, CurpNoRegistrada) else olvidar
        dispatcher.utter_message(
            response="utter_umf_listo",
            nombre=hecho.persona.nombre,
            folio=hecho.solicitud.folio,
            numero=hecho.umf.numero,
            clinica=hecho.umf.nombre,
            domicilio_clinica=f"{hecho.umf.domicilio}, {hecho.umf.municipio}",
            turno=hecho.turno.etiqueta.lower(),
            requisitos="\n".join(f"• {r}" for r in hecho.requisitos),
        )
        return [*olvidar, enviar_documento(dispatcher, tracker, hecho.documento, "utter_documento_umf")]
