"""Alta / cambio de UMF: CURP → domicilio → código postal → clinic (buttons) → turno → email → sí/no."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.documento import enviar_documento
from actions.servicios import servicios
from actions.validacion import candidato_al_activar, revisar_curp, revisar_email
from tramites.comprobantes_solicitudes import comprobante_umf
from tramites.registro import CurpNoRegistrada, Persona, TramiteError, Umf
from tramites.texto import fold
from tramites.umf import (
    TURNOS_UMF,
    CodigoPostalInvalido,
    MismaClinica,
    OpcionesUmf,
    SinClinicaCercana,
    SinNssParaClinica,
    Turno,
    TurnoNoDisponible,
    buscar_clinicas,
    requisitos_clinica,
    solicitar_cambio_umf,
    turnos_de,
    validar_turno,
)

__all__ = [
    "SLOTS_UMF",
    "ActionAskUmfClinica",
    "ActionAskUmfConfirmacion",
    "ActionAskUmfTurno",
    "ActionCambioUmf",
    "ValidateUmfForm",
    "cerrar_formulario",
    "respuesta_si_no",
]

SLOT_DOMICILIO = "umf_domicilio"
SLOT_CP = "umf_cp"
SLOT_CLINICA = "umf_clinica"
SLOT_TURNO = "umf_turno"
SLOT_CONFIRMACION = "umf_confirmacion"
SLOTS_UMF: tuple[str, ...] = (SLOT_DOMICILIO, SLOT_CP, SLOT_CLINICA, SLOT_TURNO, SLOT_CONFIRMACION)
"""The form's own slots, cleared when it ends (CURP and email are kept for the next trámite)."""

#: Set by a validation method to end the form; `run` turns it into the closing events.
_TERMINAR = "umf_terminar"
_MAX_DOMICILIO = 200
_BOTON_OTRO_CP = {"title": "Cambiar código postal", "payload": "otro código postal"}
_BOTONES_CONFIRMAR = [
    {"title": "Sí, enviar solicitud", "payload": "/afirmar"},
    {"title": "No, elegir otra clínica", "payload": "/negar"},
]
_SI = {"si", "sip", "simon", "claro", "correcto", "confirmo", "ok", "okay", "va", "sale", "afirmativo",
       "acepto"}
_ORDINALES = {"primera": 0, "primero": 0, "1a": 0, "segunda": 1, "segundo": 1, "2a": 1, "tercera": 2,
              "tercero": 2, "3a": 2}


def respuesta_si_no(valor: Any) -> bool | None:
    """True/False for a yes/no answer (already a bool from the intent mapping, or free text), else None."""
    if isinstance(valor, bool):
        return valor
    palabras = fold(str(valor or "")).replace(",", " ").replace(".", " ").split()
    if not palabras:
        return None
    if palabras[0] in ("no", "nel", "nop", "negativo"):
        return False
    if palabras[0] in _SI or " ".join(palabras[:2]) in ("esta bien", "de acuerdo", "por supuesto"):
        return True
    return None


def cerrar_formulario(slots: Iterable[str]) -> list[EventType]:
    """Events that end the active form now, without its submit action, and forget its slots."""
    return [*(SlotSet(s, None) for s in slots), ActiveLoop(None), SlotSet("requested_slot", None)]


def _persona(tracker: Tracker) -> Persona | None:
    curp = tracker.get_slot("curp")
    return servicios().registro.persona_por_curp(str(curp)) if curp else None


def _clinica(tracker: Tracker) -> Umf | None:
    valor = tracker.get_slot(SLOT_CLINICA)
    if valor is None or not str(valor).isdigit():
        return None
    return servicios().registro.umf(int(valor))


def _turnos_ofrecidos(umf: Umf, persona: Persona | None) -> list[Turno]:
    """The clinic's turnos; for the person's own clinic, only the ones that would be a change."""
    turnos = turnos_de(umf)
    if persona is not None and persona.umf == umf.numero:
        return [t for t in turnos if t.clave != persona.turno]
    return turnos


def _linea_clinica(umf: Umf, persona: Persona | None) -> str:
    turnos = " y ".join(t.clave for t in turnos_de(umf))
    actual = " (tu clínica actual)" if persona is not None and persona.umf == umf.numero else ""
    return f"• UMF {umf.numero} {umf.nombre}{actual}: {umf.domicilio}, {umf.municipio}. Turno {turnos}."


def ofrecer_clinicas(
    dispatcher: CollectingDispatcher, opciones: OpcionesUmf, persona: Persona | None, aviso: str = ""
) -> None:
    """The clinics for the CP as a list and as buttons (plus one to change the CP)."""
    lineas = [aviso, opciones.explicacion] if aviso else [opciones.explicacion]
    lineas += [_linea_clinica(u, persona) for u in opciones.clinicas]
    lineas.append("¿En cuál quieres atenderte? Elige una con los botones.")
    botones = [{"title": u.etiqueta, "payload": f"UMF {u.numero}"} for u in opciones.clinicas]
    dispatcher.utter_message(text="\n".join(lineas), buttons=[*botones, _BOTON_OTRO_CP])


def ofrecer_turnos(
    dispatcher: CollectingDispatcher, umf: Umf, persona: Persona | None, aviso: str = ""
) -> None:
    """The clinic's turnos as buttons."""
    turnos = _turnos_ofrecidos(umf, persona)
    if len(turnos) == 1:
        pregunta = f"La UMF {umf.numero} tiene turno {turnos[0].etiqueta.lower()}. ¿Lo eliges?"
    else:
        pregunta = f"¿En qué turno quieres atenderte en la UMF {umf.numero} {umf.nombre}?"
    texto = f"{aviso}\n{pregunta}" if aviso else pregunta
    dispatcher.utter_message(text=texto, buttons=[{"title": t.etiqueta, "payload": t.clave} for t in turnos])


def _elegir_clinica(texto: str, opciones: OpcionesUmf) -> Umf | None:
    """The clinic meant by "UMF 12", "12", "la primera" or its name, among the ones offered."""
    plano = fold(texto)
    for palabra in plano.split():
        if palabra in _ORDINALES and _ORDINALES[palabra] < len(opciones.clinicas):
            return opciones.clinicas[_ORDINALES[palabra]]
    numeros = re.findall(r"\d+", plano)
    if numeros:
        return next((u for u in opciones.clinicas if u.numero == int(numeros[0])), None)
    return next((u for u in opciones.clinicas if fold(u.nombre) in plano), None)


class ValidateUmfForm(FormValidationAction):
    """Checks each answer of the UMF form and explains what is wrong."""

    def name(self) -> str:
        """Action name."""
        return "validate_umf_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """rasa-sdk's extraction and validation; a validation that ends the trámite closes the form."""
        events = await super().run(dispatcher, tracker, domain)
        if any(e.get("event") == "slot" and e.get("name") == _TERMINAR for e in events):
            fuera = (_TERMINAR, "requested_slot", *SLOTS_UMF)
            kept = [e for e in events if not (e.get("event") == "slot" and e.get("name") in fuera)]
            return kept + cerrar_formulario(SLOTS_UMF)
        return list(events)

    def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A mistyped CURP in the opening message is validated too."""
        return candidato_al_activar(tracker, "curp", "CURP")

    def validate_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid CURP of someone in the registry who has an NSS."""
        resultado = revisar_curp(value, dispatcher)
        curp = resultado["curp"]
        if curp is None:
            return resultado
        registro = servicios().registro
        persona = registro.persona_por_curp(curp)
        if persona is None:
            dispatcher.utter_message(text=CurpNoRegistrada(curp).mensaje)
            return {"curp": None}
        if persona.nss is None:
            dispatcher.utter_message(text=SinNssParaClinica().mensaje)
            return {"curp": curp, _TERMINAR: True}
        actual = registro.umf(persona.umf) if persona.umf is not None else None
        if actual is not None:
            turno = f", turno {persona.turno}" if persona.turno else ""
            dispatcher.utter_message(
                text=f"{persona.nombre}, hoy estás en la UMF {actual.numero} {actual.nombre}{turno}. "
                "Vamos a buscar tu nueva clínica."
            )
        return {"curp": curp}

    def validate_umf_domicilio(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Calle, número y colonia in free text: not empty, with letters, not too long."""
        texto = " ".join(str(value or "").split())
        problema = None
        if not texto:
            problema = "No escribiste tu domicilio."
        elif len(texto) > _MAX_DOMICILIO:
            problema = (
                f"Tu domicilio es muy largo ({len(texto)} caracteres); escríbelo en menos de "
                f"{_MAX_DOMICILIO}."
            )
        elif sum(c.isalpha() for c in texto) < 3:
            problema = "Eso no parece un domicilio: le faltan la calle y la colonia."
        if problema is not None:
            dispatcher.utter_message(
                text=f"{problema} Escribe tu calle y número, y tu colonia; por ejemplo: Av. Juárez 45, "
                "colonia Centro."
            )
            return {SLOT_DOMICILIO: None}
        return {SLOT_DOMICILIO: texto}

    def validate_umf_cp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Five digits of a real range, with some clinic in the same state."""
        try:
            opciones = buscar_clinicas(servicios().registro, str(value or ""))
        except CodigoPostalInvalido as error:
            dispatcher.utter_message(text=f"{error.mensaje} ¿Cuál es tu código postal?")
            return {SLOT_CP: None}
        except SinClinicaCercana as error:
            dispatcher.utter_message(
                text=f"{error.mensaje}\nSi tienes otro domicilio, escríbeme su código postal; si no, escribe "
                "«cancelar»."
            )
            return {SLOT_CP: None}
        return {SLOT_CP: opciones.cp}

    def validate_umf_clinica(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """One of the clinics offered; "otro código postal" or a new CP goes back to the CP."""
        texto = str(value or "")
        plano = fold(texto)
        if "codigo postal" in plano or re.search(r"\b(otro|cambiar)\s+cp\b", plano):
            return {SLOT_CLINICA: None, SLOT_CP: None}
        cp = str(tracker.get_slot(SLOT_CP) or "")
        persona = _persona(tracker)
        registro = servicios().registro
        if re.fullmatch(r"\s*(cp\s*)?\d{5}\s*", plano):
            # A new código postal typed at the clinic question: show that CP's clinics.
            nuevo = self.validate_umf_cp(texto, dispatcher, tracker, domain)
            return {SLOT_CLINICA: None, SLOT_CP: nuevo[SLOT_CP] or cp}
        try:
            opciones = buscar_clinicas(registro, cp)
        except TramiteError:
            return {SLOT_CLINICA: None, SLOT_CP: None}
        umf = _elegir_clinica(texto, opciones)
        if umf is None:
            ofrecer_clinicas(
                dispatcher, opciones, persona,
                aviso=f"No encontré «{texto.strip()}» entre las clínicas para tu código postal {cp}.",
            )
            return {SLOT_CLINICA: None}
        if persona is not None and persona.umf == umf.numero:
            if not _turnos_ofrecidos(umf, persona):
                mensaje = MismaClinica(umf, persona.turno or "").mensaje
                ofrecer_clinicas(dispatcher, opciones, persona, aviso=mensaje)
                return {SLOT_CLINICA: None}
            dispatcher.utter_message(
                text=f"La UMF {umf.numero} ya es tu clínica; si quieres, solo cambiamos tu turno."
            )
        return {SLOT_CLINICA: str(umf.numero)}

    def validate_umf_turno(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Matutino or vespertino, only if the clinic has it (and it is a change for the person)."""
        umf = _clinica(tracker)
        if umf is None:
            return {SLOT_TURNO: None, SLOT_CLINICA: None}
        persona = _persona(tracker)
        ofrecidos = _turnos_ofrecidos(umf, persona)
        if len(ofrecidos) == 1 and respuesta_si_no(value) is True:
            return {SLOT_TURNO: ofrecidos[0].clave}
        try:
            turno = validar_turno(umf, str(value or ""))
        except TurnoNoDisponible as error:
            ofrecer_turnos(dispatcher, umf, persona, aviso=error.mensaje)
            return {SLOT_TURNO: None}
        if persona is not None and persona.umf == umf.numero and persona.turno == turno.clave:
            dispatcher.utter_message(text=MismaClinica(umf, turno.clave).mensaje)
            return {SLOT_TURNO: None, SLOT_CLINICA: None}
        return {SLOT_TURNO: turno.clave}

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The email must look like nombre@dominio.mx."""
        return revisar_email(value, dispatcher)

    def validate_umf_confirmacion(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Sí sends the solicitud; no goes back to the choice of clinic."""
        respuesta = respuesta_si_no(value)
        if respuesta is True:
            return {SLOT_CONFIRMACION: True}
        if respuesta is False:
            dispatcher.utter_message(
                text="Está bien, no envié nada. Elige otra clínica o cambia tu código postal; si prefieres "
                "dejarlo, escribe «cancelar»."
            )
            return {SLOT_CONFIRMACION: None, SLOT_CLINICA: None, SLOT_TURNO: None}
        dispatcher.utter_message(
            text="Responde «sí» para enviar tu solicitud o «no» para elegir otra clínica.",
            buttons=_BOTONES_CONFIRMAR,
        )
        return {SLOT_CONFIRMACION: None}


class ActionAskUmfClinica(Action):
    """Asks for the clinic with buttons: the ones that serve the CP, or the nearest."""

    def name(self) -> str:
        """Action name."""
        return "action_ask_umf_clinica"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the clinic options for the CP in the form."""
        try:
            opciones = buscar_clinicas(servicios().registro, str(tracker.get_slot(SLOT_CP) or ""))
        except TramiteError as error:
            dispatcher.utter_message(text=f"{error.mensaje} ¿Cuál es tu código postal?")
            return [SlotSet(SLOT_CP, None), SlotSet("requested_slot", SLOT_CP)]
        ofrecer_clinicas(dispatcher, opciones, _persona(tracker))
        return []


class ActionAskUmfTurno(Action):
    """Asks for the turno with buttons, only the ones the clinic has."""

    def name(self) -> str:
        """Action name."""
        return "action_ask_umf_turno"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the turnos of the chosen clinic."""
        umf = _clinica(tracker)
        if umf is None:
            dispatcher.utter_message(response="utter_error")
            return []
        ofrecer_turnos(dispatcher, umf, _persona(tracker))
        return []


def _resumen(tracker: Tracker, umf: Umf, turno: Turno) -> str:
    return (
        "Revisa tu solicitud:\n"
        f"• Clínica: UMF {umf.numero} {umf.nombre}\n"
        f"• Domicilio de la clínica: {umf.domicilio}, {umf.municipio}, {umf.estado}\n"
        f"• Turno: {turno.etiqueta}\n"
        f"• Tu domicilio: {tracker.get_slot(SLOT_DOMICILIO)}, C.P. {tracker.get_slot(SLOT_CP)}\n"
        f"• Correo: {tracker.get_slot('email')}\n"
        "¿Envío tu solicitud?"
    )


class ActionAskUmfConfirmacion(Action):
    """Shows the summary (clinic, address, turno) and asks sí/no."""

    def name(self) -> str:
        """Action name."""
        return "action_ask_umf_confirmacion"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Send the summary with Sí/No buttons."""
        umf = _clinica(tracker)
        turno = TURNOS_UMF.get(str(tracker.get_slot(SLOT_TURNO)))
        if umf is None or turno is None:
            dispatcher.utter_message(response="utter_error")
            return []
        dispatcher.utter_message(text=_resumen(tracker, umf, turno), buttons=_BOTONES_CONFIRMAR)
        return []


class ActionCambioUmf(Action):
    """Records the solicitud and sends its comprobante with what to bring to the clinic."""

    def name(self) -> str:
        """Action name."""
        return "action_cambio_umf"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Assign clinic and turno, issue the comprobante PDF and forget the form's answers."""
        limpiar: list[EventType] = [SlotSet(s, None) for s in SLOTS_UMF]
        s = servicios()
        persona = _persona(tracker)
        umf = _clinica(tracker)
        turno = TURNOS_UMF.get(str(tracker.get_slot(SLOT_TURNO)))
        if persona is None:
            # A CURP kept from another trámite may not be in the registry.
            dispatcher.utter_message(text=CurpNoRegistrada(str(tracker.get_slot("curp"))).mensaje)
            return [*limpiar, SlotSet("curp", None)]
        if umf is None or turno is None:
            dispatcher.utter_message(response="utter_error")
            return limpiar
        domicilio = str(tracker.get_slot(SLOT_DOMICILIO) or "")
        cp = str(tracker.get_slot(SLOT_CP) or "")
        try:
            solicitud = solicitar_cambio_umf(
                s.registro, persona, umf, turno.clave,
                domicilio=domicilio, cp=cp, email=tracker.get_slot("email"),
            )
        except TramiteError as error:
            dispatcher.utter_message(text=error.mensaje)
            return limpiar
        requisitos = requisitos_clinica()
        documento = comprobante_umf(
            persona, umf, turno, solicitud, domicilio=domicilio, cp=cp, requisitos=requisitos, ahora=s.ahora()
        )
        emitido = s.emisor.emitir(documento, f"comprobante-umf-{persona.nss}.pdf")
        dispatcher.utter_message(
            text=f"¡Listo, {persona.nombre}! Tu solicitud quedó registrada con el folio {solicitud.folio}.\n"
            f"Tu clínica es la UMF {umf.numero} {umf.nombre} ({umf.domicilio}, {umf.municipio}), turno "
            f"{turno.etiqueta.lower()}.\n"
            "Acude con la Asistente Médica de tu clínica y lleva:\n" + "\n".join(f"• {r}" for r in requisitos)
        )
        enviar_documento(
            dispatcher, emitido, "Aquí está tu comprobante en PDF; llévalo impreso o en tu celular."
        )
        return limpiar
