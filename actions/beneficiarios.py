"""Registro de beneficiarios: titular CURP + NSS → parentesco → family CURP → sí/no → comprobante."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.acceso import del_titular, verificado
from actions.accion import Accion
from actions.dialogo import clave_del_mensaje, enviar_documento, explicar, texto_del_mensaje, valor_texto
from actions.formulario import Formulario, limpiar, revision, slots_del_formulario
from actions.identidad import DATOS_DE_IDENTIDAD
from actions.orientacion import SLOT_OFERTA
from actions.servicios import servicios
from actions.validacion import revisar
from tramites.acceso import Resultado
from tramites.beneficiarios import (
    Elegibilidad,
    Pregunta,
    TitularNoAsegurado,
    parentesco_en_texto,
    parentesco_por_sexo,
    preguntas_pendientes,
    registrar_beneficiario,
    revisar_familiar,
    revisar_titular,
)
from tramites.comprobantes import nombre_parentesco
from tramites.errores import TramiteError
from tramites.registro import NssNoCoincide, Persona

__all__ = [
    "ActionAskBeneficiarioDepende",
    "ActionAskBeneficiarioEstudia",
    "ActionRegistrarBeneficiario",
    "ValidateBeneficiarioForm",
]

_FORMULARIO = "beneficiario_form"
SLOT_PARENTESCO = "beneficiario_parentesco"
SLOT_CURP = "beneficiario_curp"
SLOT_ESTUDIA = "beneficiario_estudia"
SLOT_DEPENDE = "beneficiario_depende"
SLOT_NOMBRE = "beneficiario_nombre"
_SLOT_PREGUNTA: dict[Pregunta, str] = {"estudia": SLOT_ESTUDIA, "depende": SLOT_DEPENDE}


def _titular(tracker: Tracker) -> Persona | None:
    curp = tracker.get_slot("curp")
    return servicios().registro.persona_por_curp(str(curp)) if curp else None


def _es_mujer(curp: str | None) -> bool:
    return curp is not None and len(curp) == 18 and curp[10] == "M"


def _rechazar(dispatcher: CollectingDispatcher, elegibilidad: Elegibilidad) -> dict[str, Any]:
    """Say why and end the form, offering to register someone else."""
    dispatcher.utter_message(response="utter_explicacion", mensaje=elegibilidad.motivo)
    dispatcher.utter_message(response="utter_otro_beneficiario")
    return Formulario.terminar()


class ValidateBeneficiarioForm(Formulario):
    """Identifies the titular and applies the LSS rules to the family member, with a reason when refused.

    The titular's record is read only once their CURP and email passed `actions.acceso`.
    """

    VERIFICA_TITULAR = True
    SOLO_CONSULTA = False

    def name(self) -> str:
        """Action name."""
        return "validate_beneficiario_form"

    async def requeridos(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """Studies only for hijos of 16 to 24, dependency only for padres, the name only when unknown."""
        curp = valor_texto(tracker, SLOT_CURP)
        preguntas = preguntas_pendientes(valor_texto(tracker, SLOT_PARENTESCO), curp, servicios().hoy())
        fuera = {slot for pregunta, slot in _SLOT_PREGUNTA.items() if pregunta not in preguntas}
        if curp and servicios().registro.persona_por_curp(curp) is not None:
            fuera.add(SLOT_NOMBRE)
        return [s for s in domain_slots if s not in fuera]

    # -- titular -------------------------------------------------------------------------

    def extract_beneficiario_parentesco(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """"quiero registrar a mi esposa": the opening message already says who."""
        if tracker.get_slot("requested_slot") is not None or tracker.get_slot(SLOT_PARENTESCO) is not None:
            return {}
        texto = texto_del_mensaje(tracker)
        parentesco = None if texto.startswith("/") else parentesco_en_texto(texto)
        return {SLOT_PARENTESCO: parentesco} if parentesco else {}

    def validate_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The titular: a valid CURP in the registry, asegurado or pensionado."""
        nss = valor_texto(tracker, "nss")
        if tracker.get_slot("requested_slot") not in (None, "curp", "nss", "email") and nss:
            # A CURP typed later is the family member's; the titular stays the one with this NSS.
            titular = servicios().registro.persona_por_nss(nss)
            if titular is not None:
                return {"curp": titular.curp}
        return super().validate_curp(value, dispatcher, tracker, domain)

    def con_curp(self, curp: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """The titular: in the registry, asegurado or pensionado, with the NSS already given (if any)."""
        s = servicios()
        nss = valor_texto(tracker, "nss")
        try:
            titular = revisar_titular(s.registro, curp, None, hoy=s.hoy())
        except TitularNoAsegurado as error:
            explicar(dispatcher, error)
            return self.terminar(curp=curp)
        except TramiteError as error:
            explicar(dispatcher, error)
            return {"curp": None}
        if nss and titular.nss != nss:
            return {"curp": curp, "nss": None}
        return {"curp": curp}

    def validate_nss(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The titular's NSS must be the one registered with the CURP."""
        resultado = revisar("nss", value, dispatcher)
        curp = valor_texto(tracker, "curp")
        if verificado(tracker, curp, valor_texto(tracker, "email")) is None:
            return resultado
        return self._nss_del_titular(resultado["nss"], dispatcher, tracker)

    def _nss_del_titular(
        self, nss: str | None, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        titular = _titular(tracker)
        if nss is None or titular is None or titular.nss == nss:
            return {"nss": nss}
        explicar(dispatcher, NssNoCoincide(curp=titular.curp, nss=nss))
        return {"nss": None}

    def al_verificar(self, curp: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """The titular's status, then the NSS given before the email, against the record."""
        cambios = self.con_curp(curp, dispatcher, tracker)
        if cambios.get("curp") is None or set(cambios) - {"curp", "nss"}:
            return cambios  # not a titular, or the form ends
        return {"curp": curp, **self._nss_del_titular(valor_texto(tracker, "nss"), dispatcher, tracker)}

    # -- family member -------------------------------------------------------------------

    # Esposa(o), concubina(o), hija(o), madre or padre, in the person's words.
    validate_beneficiario_parentesco = revision(SLOT_PARENTESCO, "parentesco")

    def validate_beneficiario_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A valid CURP, not the titular's; the rules that need no more answers are applied now."""
        resultado = revisar(SLOT_CURP, value, dispatcher, "curp")
        curp = resultado[SLOT_CURP]
        titular = _titular(tracker)
        parentesco = valor_texto(tracker, SLOT_PARENTESCO)
        if curp is None or titular is None or not parentesco:
            return resultado
        if curp == titular.curp:
            dispatcher.utter_message(response="utter_curp_del_titular")
            return {SLOT_CURP: None}
        parentesco = parentesco_por_sexo(parentesco, curp)
        revision = revisar_familiar(servicios().registro, titular, parentesco, curp, servicios().hoy())
        if not revision.elegibilidad.ok:
            return _rechazar(dispatcher, revision.elegibilidad)
        if not revision.preguntas:
            dispatcher.utter_message(response="utter_explicacion", mensaje=revision.elegibilidad.motivo)
        return {SLOT_CURP: curp, SLOT_PARENTESCO: parentesco}

    def validate_beneficiario_estudia(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """From 16 and before 25, hijos qualify only while they study."""
        return self._respuesta(dispatcher, tracker, "estudia", value)

    def validate_beneficiario_depende(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Padres qualify only if they depend economically on the titular."""
        return self._respuesta(dispatcher, tracker, "depende", value)

    # Name and surnames as in the birth certificate.
    validate_beneficiario_nombre = revision(SLOT_NOMBRE, "nombre_completo")

    def _respuesta(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, pregunta: Pregunta, value: Any
    ) -> dict[str, Any]:
        """A sí/no that completes the rules: go on with the reason, or refuse and end the form."""
        slot = _SLOT_PREGUNTA[pregunta]
        respuesta = self.si_no(dispatcher, tracker, value)
        titular = _titular(tracker)
        curp = valor_texto(tracker, SLOT_CURP)
        parentesco = valor_texto(tracker, SLOT_PARENTESCO)
        if respuesta is None or titular is None or not curp or not parentesco:
            return {slot: respuesta}
        revision = revisar_familiar(
            servicios().registro, titular, parentesco, curp, servicios().hoy(), **{pregunta: respuesta}
        )
        if not revision.elegibilidad.ok:
            return _rechazar(dispatcher, revision.elegibilidad)
        dispatcher.utter_message(response="utter_explicacion", mensaje=revision.elegibilidad.motivo)
        return {slot: respuesta}


class ActionAskBeneficiarioEstudia(Accion):
    """Asks whether the 16-to-24-year-old hijo studies."""

    NOMBRE = "action_ask_beneficiario_estudia"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """The question, about "tu hija" or "tu hijo", with Sí/No buttons."""
        mujer = _es_mujer(valor_texto(tracker, SLOT_CURP))
        respuesta = "utter_pregunta_estudia_hija" if mujer else "utter_pregunta_estudia_hijo"
        dispatcher.utter_message(response=respuesta)
        return []


class ActionAskBeneficiarioDepende(Accion):
    """Asks whether the parent depends economically on the titular."""

    NOMBRE = "action_ask_beneficiario_depende"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """The question, about "tu mamá" or "tu papá", with Sí/No buttons."""
        padre = valor_texto(tracker, SLOT_PARENTESCO) == "padre"
        respuesta = "utter_pregunta_depende_padre" if padre else "utter_pregunta_depende_madre"
        dispatcher.utter_message(response=respuesta)
        return []


class ActionRegistrarBeneficiario(Accion):
    """Stores the beneficiary, records the solicitud and sends the comprobante."""

    NOMBRE = "action_registrar_beneficiario"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """Register, issue the PDF and offer to register someone else."""
        olvidar = limpiar(slots_del_formulario(domain, _FORMULARIO))
        curp = valor_texto(tracker, SLOT_CURP)
        parentesco = valor_texto(tracker, SLOT_PARENTESCO)
        titular_curp = valor_texto(tracker, "curp")
        if del_titular(dispatcher, tracker) is not Resultado.COINCIDE:
            return [*olvidar, *limpiar(DATOS_DE_IDENTIDAD)]
        if not curp or not parentesco or not titular_curp or not tracker.get_slot("nss"):
            dispatcher.utter_message(response="utter_error")
            return olvidar
        try:
            hecho = registrar_beneficiario(
                servicios(), titular_curp, valor_texto(tracker, "nss"), parentesco, curp,
                valor_texto(tracker, SLOT_NOMBRE),
                estudiante=tracker.get_slot(SLOT_ESTUDIA) is True,
                dependiente=tracker.get_slot(SLOT_DEPENDE) is True,
                clave=clave_del_mensaje(tracker),
            )
        except TramiteError as error:
            explicar(dispatcher, error)
            return olvidar
        nuevo = hecho.beneficiario
        dispatcher.utter_message(
            response="utter_beneficiaria_registrada" if _es_mujer(nuevo.curp)
            else "utter_beneficiario_registrado",
            nombre=nuevo.nombre,
            parentesco=nombre_parentesco(nuevo.parentesco, nuevo.curp).lower(),
            folio=hecho.solicitud.folio,
            requisitos="\n".join(f"• {r}" for r in hecho.requisitos),
        )
        enviado = enviar_documento(dispatcher, tracker, hecho.documento, "utter_documento_beneficiario")
        dispatcher.utter_message(response="utter_otro_beneficiario")
        # "¿Quieres registrar a otra persona?": a typed "sí" takes the offer, like the button.
        return [*olvidar, enviado, SlotSet(SLOT_OFERTA, "registrar_beneficiarios")]
