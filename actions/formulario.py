"""The one form base class: whose trámite it is, ending a form early, a sí/no answer, and a choice among
the options offered.

Validators only explain (statements); the engine asks the next question, or asks the same one again.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.acceso import SLOT_VERIFICADO, comprobar_titular, recordar, verificado
from actions.dialogo import texto_del_mensaje, valor_texto
from actions.identidad import (
    DATOS_DE_IDENTIDAD,
    SLOT_PARA_QUIEN,
    necesita_confirmar,
    para_quien_escrito,
    respuesta_para_quien,
)
from actions.validacion import revisar
from tramites.acceso import Resultado
from tramites.identidad import buscar_candidato
from tramites.texto import fold

__all__ = [
    "CONSERVAR",
    "Formulario",
    "elegir",
    "es_duda",
    "limpiar",
    "respuesta_si_no",
    "revision",
    "slots_del_formulario",
]

T = TypeVar("T")

CONSERVAR = frozenset(DATOS_DE_IDENTIDAD)
"""Identity slots outlive a form, so the next trámite need not ask again."""

#: A validation output key that never leaves the action: it asks `run` to end the form.
_TERMINAR = "__terminar__"
_SI = {"si", "sip", "simon", "claro", "correcto", "confirmo", "ok", "okay", "va", "sale", "afirmativo",
       "acepto"}
_SI_FRASES = ("esta bien", "de acuerdo", "por supuesto")
_NO = {"no", "nel", "nop", "negativo"}
_DUDAS = ("no se", "no lo se", "ni idea", "no estoy segur", "quien sabe", "no sabria", "no recuerdo")
_ORDINALES = {"primera": 0, "primero": 0, "1a": 0, "segunda": 1, "segundo": 1, "2a": 1, "tercera": 2,
              "tercero": 2, "3a": 2}


def respuesta_si_no(valor: Any) -> bool | None:
    """True/False for a yes/no answer (already a bool from an intent mapping, or free text), else None."""
    if isinstance(valor, bool):
        return valor
    palabras = fold(str(valor or "")).replace(",", " ").replace(".", " ").split()
    if not palabras:
        return None
    if palabras[0] in _NO:
        return False
    if palabras[0] in _SI or " ".join(palabras[:2]) in _SI_FRASES:
        return True
    return None


def es_duda(texto: str) -> bool:
    """"pues no sé", "ni idea": not an answer to a sí/no question, though the NLU may read a "no"."""
    plano = f" {fold(texto)} "
    return any(f" {duda}" in plano for duda in _DUDAS)


def elegir(
    texto: str, opciones: Sequence[T], numero: Callable[[T], int], nombre: Callable[[T], str]
) -> T | None:
    """The option meant by "la segunda", "2a", its number ("UMF 12", "12") or its name, among `opciones`."""
    plano = fold(texto)
    for palabra in plano.split():
        if palabra in _ORDINALES and _ORDINALES[palabra] < len(opciones):
            return opciones[_ORDINALES[palabra]]
    numeros = re.findall(r"\d+", plano)
    if numeros:
        return next((o for o in opciones if numero(o) == int(numeros[0])), None)
    return next((o for o in opciones if fold(nombre(o)) in plano), None)


def revision(slot: str, campo: str | None = None) -> Callable[..., dict[str, Any]]:
    """A `validate_<slot>` that applies the checks of `campo` (default: the slot's own, see `revisar`)."""

    def validar(
        self: Formulario, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return revisar(slot, value, dispatcher, campo)

    validar.__doc__ = f"`{slot}` must pass the checks of {campo or slot}; a refused value is explained."
    return validar


def slots_del_formulario(domain: DomainDict, formulario: str, extra: Sequence[str] = ()) -> list[str]:
    """The form's own slots (identity slots outlive it), then `extra` slots it fills besides them."""
    requeridos = (domain.get("forms") or {}).get(formulario, {}).get("required_slots", [])
    propios = [s for s in requeridos if s not in CONSERVAR and s not in extra]
    return [*propios, *extra]


def limpiar(slots: Sequence[str]) -> list[EventType]:
    """Events that forget `slots`."""
    return [SlotSet(s, None) for s in slots]


class Formulario(FormValidationAction, ABC):
    """Validation with the shared mechanics: end the form, read a sí/no, pick an offered option."""

    SLOTS_EXTRA: ClassVar[tuple[str, ...]] = ()
    """Slots the form fills besides its required ones, forgotten with them."""

    VERIFICA_TITULAR: ClassVar[bool] = False
    """The form reveals a person's data: nothing about the CURP is read until CURP + email pass
    `actions.acceso` (the registry checks of `con_curp` wait until then)."""

    SOLO_CONSULTA: ClassVar[bool] = True
    """The form only reads; a form that changes the record (clinic, beneficiarios) is refused when IMSS
    holds no email for the CURP, since nothing proves the person typing is the titular."""

    @abstractmethod
    def name(self) -> str:
        """Action name: validate_<form>."""

    # The identity and contact slots several forms ask for.
    validate_nss = revision("nss")
    validate_rfc = revision("rfc")
    validate_email = revision("email")

    def validate_curp(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """The CURP must pass every check of DESIGN.md; then it means what `con_curp` says."""
        curp = revisar("curp", value, dispatcher)["curp"]
        if curp is None:
            return {"curp": None}
        if self.VERIFICA_TITULAR and verificado(tracker, curp, valor_texto(tracker, "email")) is None:
            return {"curp": curp}
        return self.con_curp(curp, dispatcher, tracker)

    # -- whose data (actions.acceso) ---------------------------------------------------------

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """Each slot's own checks; then, once CURP and email are known, whether they are the titular's."""
        eventos: list[EventType] = await super().get_validation_events(dispatcher, tracker, domain)
        if not self.verifica_titular(tracker):
            return eventos
        return eventos + self._verificar(dispatcher, tracker)

    def verifica_titular(self, tracker: Tracker) -> bool:
        """Whether this turn checks the CURP and email slots as the titular's (`VERIFICA_TITULAR`)."""
        return self.VERIFICA_TITULAR

    def _verificar(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        """Pass the door once per CURP + email: on a refusal the form ends and forgets them."""
        curp, email = valor_texto(tracker, "curp"), valor_texto(tracker, "email")
        if not curp or not email or verificado(tracker, curp, email) is not None:
            return []
        resultado = comprobar_titular(dispatcher, tracker, curp, email)
        if resultado is Resultado.SIN_CORREO and not self.SOLO_CONSULTA:
            dispatcher.utter_message(response="utter_datos_no_coinciden")
            resultado = None
        if resultado is None:
            return [*limpiar(DATOS_DE_IDENTIDAD), SlotSet(_TERMINAR, True)]
        eventos = recordar(curp, email, resultado)
        tracker.slots[SLOT_VERIFICADO] = eventos[0]["value"]
        cambios = self.al_verificar(curp, dispatcher, tracker)
        tracker.slots.update(cambios)
        return [*eventos, *(SlotSet(k, v) for k, v in cambios.items())]

    def al_verificar(self, curp: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """What the form checks in the registry once the CURP and email passed (by default `con_curp`)."""
        return self.con_curp(curp, dispatcher, tracker)

    # -- whose trámite --------------------------------------------------------------------

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """The form's own slots (`requeridos`), after whose trámite it is when data is reused."""
        propios = await self.requeridos(domain_slots, dispatcher, tracker, domain)
        return [SLOT_PARA_QUIEN, *propios] if self.preguntar_para_quien(tracker) else propios

    async def requeridos(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """The slots this form asks now (all of the domain's, unless a form says otherwise)."""
        return domain_slots

    def preguntar_para_quien(self, tracker: Tracker) -> bool:
        """Whether whose trámite it is is asked (or being asked) now.

        Only when the form starts, with a CURP from earlier in the session that nobody confirmed for this
        trámite; a CURP in the opening message itself was just typed by whoever wants the trámite.
        """
        pedido = tracker.get_slot("requested_slot")
        if pedido == SLOT_PARA_QUIEN:
            return True
        nuevo = "curp" in tracker.slots_to_validate()
        return pedido is None and tracker.get_slot(SLOT_PARA_QUIEN) is None and necesita_confirmar(tracker) \
            and not nuevo

    def extract_para_quien(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """"para mí", "es para mi hijo" typed at the question (sí and no come as intents)."""
        return para_quien_escrito(tracker)

    def validate_para_quien(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """For me: the data stays, confirmed; for someone else: it is forgotten and asked again."""
        return respuesta_para_quien(value, tracker)

    def con_curp(self, curp: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
        """What a valid CURP means for this form (whose it must be); by default it is just kept."""
        return {"curp": curp}

    def extract_curp(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """A mistyped CURP in the opening message is validated too (a valid one came as an entity)."""
        return self.candidato_al_activar(tracker, "curp", "CURP")

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """`antes` first; then rasa-sdk's extraction and validation; a validation may end the form."""
        previos: list[EventType] = []
        if tracker.get_slot("requested_slot") is None:
            # Just activated: whose trámite was asked in another one; what the opening message says.
            al_activar = {SLOT_PARA_QUIEN: None, **self.al_activar(tracker)}
            cambios = {k: v for k, v in al_activar.items() if tracker.get_slot(k) != v}
            tracker.slots.update(cambios)
            previos = [SlotSet(k, v) for k, v in cambios.items()]
        events = await self.antes(dispatcher, tracker, domain)
        if events is None:
            events = list(await super().run(dispatcher, tracker, domain))
            events += self._rechazado_primero(domain, tracker, events)
        events = previos + events
        if not any(_es_slot(e, _TERMINAR) for e in events):
            return events
        fuera = {_TERMINAR, "requested_slot", *self.slots_propios(domain)}
        return [e for e in events if not (e.get("event") == "slot" and e.get("name") in fuera)] + self.cerrar(
            tracker, domain
        )

    def _rechazado_primero(
        self, domain: DomainDict, tracker: Tracker, events: list[EventType]
    ) -> list[EventType]:
        """Ask next for a value this message offered and the validator turned down ("one question at a time").

        Not when rasa-sdk already chose the next slot, nor when the validator also cleared slots the
        message did not offer: then it is sending the form back to an earlier step on purpose.
        """
        if any(_es_slot(e, "requested_slot") for e in events):
            return []
        # rasa-sdk adds this turn's candidates, extractions and validations to the tracker, in that order.
        turno = [e for e in _desde_el_mensaje(tracker) if e.get("event") == "slot"]
        ofrecidos = {str(e["name"]) for e in turno if e.get("value") is not None}
        finales = {str(e["name"]): e.get("value") for e in [*turno, *events] if e.get("event") == "slot"}
        vaciados = {k for k, v in finales.items() if v is None}
        if not vaciados & ofrecidos or vaciados - ofrecidos:
            return []
        orden = self.domain_slots(domain)
        primero = next((s for s in orden if s in vaciados), None)
        return [SlotSet("requested_slot", primero)] if primero else []

    async def antes(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType] | None:
        """Events that replace the validation of this turn, or None to validate as usual."""
        return None

    def al_activar(self, tracker: Tracker) -> dict[str, Any]:
        """Slots the opening message sets before the form asks anything (none, unless a form says so)."""
        return {}

    def slots_propios(self, domain: DomainDict) -> list[str]:
        """The slots forgotten when the form ends."""
        return slots_del_formulario(domain, self.form_name(), self.SLOTS_EXTRA)

    def cerrar(self, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        """End the form now, without its submit action: forget its slots and deactivate it."""
        return [*limpiar(self.slots_propios(domain)), ActiveLoop(None), SlotSet("requested_slot", None)]

    @staticmethod
    def terminar(**slots: Any) -> dict[str, Any]:
        """A validation output that sets `slots` and ends the form."""
        return {**slots, _TERMINAR: True}

    @staticmethod
    def si_no(
        dispatcher: CollectingDispatcher, tracker: Tracker, valor: Any, *, si: str = "sí", no: str = "no"
    ) -> bool | None:
        """The sí/no in `valor`; a doubt ("pues no sé") or anything else says how to answer and gives None."""
        respuesta = None if es_duda(texto_del_mensaje(tracker)) else respuesta_si_no(valor)
        if respuesta is None:
            dispatcher.utter_message(response="utter_responde_si_no", si=si, no=no)
        return respuesta

    @staticmethod
    def si_no_escrito(tracker: Tracker, slot: str) -> dict[str, Any]:
        """"acepto", "sí", "no" typed when the form asked `slot` (besides the domain's intent mappings)."""
        if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot) is not None:
            return {}
        respuesta = respuesta_si_no(texto_del_mensaje(tracker))
        if respuesta is None:
            intent = (tracker.latest_message.get("intent") or {}).get("name")
            respuesta = {"afirmar": True, "negar": False}.get(str(intent))
        return {} if respuesta is None else {slot: respuesta}

    @staticmethod
    def texto_pedido(tracker: Tracker, slot: str) -> dict[str, Any]:
        """The message text as the candidate for `slot` when the form asked for it (Rasa's from_text)."""
        if tracker.get_slot("requested_slot") != slot or tracker.get_slot(slot) is not None:
            return {}
        texto = texto_del_mensaje(tracker).strip()
        if not texto or texto.startswith("/"):
            return {}
        return {slot: texto}

    @staticmethod
    def candidato_al_activar(tracker: Tracker, slot: str, campo: str) -> dict[str, Any]:
        """When a form starts, a CURP/NSS/RFC-looking token in the first message is checked too.

        A valid one arrives as an entity; this catches the mistyped ones ("mi curp es XIQB8911…,
        quiero mi nss") so the person hears what is wrong instead of being asked from scratch.
        """
        if tracker.get_slot(slot) is not None or tracker.get_slot("requested_slot") is not None:
            return {}
        texto = texto_del_mensaje(tracker)
        if texto.startswith("/"):
            return {}
        candidato = buscar_candidato(texto, campo)
        return {slot: candidato} if candidato else {}


def _desde_el_mensaje(tracker: Tracker) -> list[EventType]:
    """The events after the person's latest message."""
    ultimo = max((i for i, e in enumerate(tracker.events) if e.get("event") == "user"), default=-1)
    return list(tracker.events[ultimo + 1 :])


def _es_slot(evento: EventType, nombre: str) -> bool:
    return bool(evento.get("event") == "slot" and evento.get("name") == nombre)
