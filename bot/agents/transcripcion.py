"""The console's transcript of a conversation: every turn, masked, with a handoff summary on top.

Built from the engine's typed log (`Engine.log`): the person's text (masked) with its intent and
confidence, or an upload's name and type (never its contents); the bot's and agents' messages with
their buttons and documents; slot changes with masked values; pauses, resumes and trámites started.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from bot.agents.privacidad import OCULTO, enmascarar_texto, enmascarar_valor
from bot.engine import (
    ActiveLoop,
    AgentUttered,
    BotUttered,
    ConversationPaused,
    ConversationResumed,
    Domain,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)

__all__ = ["Documento", "Entrada", "Resumen", "Transcripcion", "folio_de", "transcribir"]

_FOLIO = re.compile(r"IMSS-\d{8}-[A-Z0-9]{8}")
#: Slots the console never lists: the form's bookkeeping.
_INTERNOS = {"requested_slot"}
#: Intents that say nothing of what the person came for.
_SIN_TRAMITE = frozenset(
    ("saludo", "despedida", "agradecer", "afirmar", "negar", "ayuda", "hablar_con_agente", "fuera_de_alcance")
)

Autor = Literal["persona", "asistente", "agente", "dato", "sistema"]


def folio_de(nombre: str) -> str | None:
    """The folio in an issued document's file name, if it has one."""
    encontrado = _FOLIO.search(nombre)
    return encontrado.group(0) if encontrado else None


@dataclass(frozen=True)
class Documento:
    """An issued document the bot sent: name, folio and the key the console downloads it by."""

    nombre: str
    archivo: str
    folio: str | None


@dataclass(frozen=True)
class Entrada:
    """One line of the transcript."""

    seq: int
    autor: Autor
    momento: datetime
    texto: str
    #: The agent who wrote it, for an agent's message.
    agente: str | None = None
    #: The titles of the buttons that came with a bot's message.
    botones: tuple[str, ...] = ()
    documento: Documento | None = None
    intencion: str | None = None
    confianza: float | None = None
    #: For uploads and media: "archivo.key (application/octet-stream)", never the content.
    adjunto: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The entry as the JSON API gives it."""
        return {
            "seq": self.seq,
            "author": self.autor,
            "time": self.momento.isoformat(),
            "text": self.texto,
            "buttons": list(self.botones),
            "document": None
            if self.documento is None
            else {"filename": self.documento.nombre, "folio": self.documento.folio},
            "agent": self.agente,
            "intent": self.intencion,
            "confidence": self.confianza,
            "attachment": self.adjunto,
        }


@dataclass(frozen=True)
class Resumen:
    """What an agent reads first: what the person wanted, where it failed, what is already known."""

    queria: str
    fallo: str
    validado: tuple[tuple[str, str], ...]


@dataclass
class Transcripcion:
    """The whole conversation as the console shows it."""

    entradas: list[Entrada] = field(default_factory=list)
    documentos: list[Documento] = field(default_factory=list)
    resumen: Resumen = field(default_factory=lambda: Resumen("—", "—", ()))


def _momento(stamp: float) -> datetime:
    return datetime.fromtimestamp(stamp, UTC)


def _adjunto(metadata: Any) -> str | None:
    archivo = metadata.get("attachment")
    if isinstance(archivo, dict):
        nombre = enmascarar_texto(str(archivo.get("filename") or "archivo"))
        return f"{nombre} ({archivo.get('mime') or 'tipo desconocido'})"
    media = metadata.get("media")
    if isinstance(media, dict):
        return f"{media.get('kind') or 'medio'} ({media.get('mime') or 'tipo desconocido'})"
    return None


class _Lector:
    """Walks the log once, collecting entries and the facts the summary needs."""

    def __init__(self, domain: Domain) -> None:
        self.domain = domain
        self.secretos = domain.policy.secret_slots | domain.policy.sensitive_slots
        self.t = Transcripcion()
        self.slots: dict[str, Any] = {}
        self.tramite: str | None = None
        self.intencion: str | None = None
        self.fallo: str | None = None
        self.pedido: str | None = None
        #: Once handed off, what the person writes no longer says what they came for.
        self.pausada = False

    def titulo_de_formulario(self, form: str) -> str:
        for rule in self.domain.rules:
            if rule.intent and form in rule.actions:
                return self.domain.policy.intent_title(rule.intent)
        return form.removesuffix("_form").replace("_", " ").capitalize()

    def leer(self, seq: int, event: Event) -> None:
        momento = _momento(event.timestamp)
        if isinstance(event, UserUttered):
            self._persona(seq, momento, event)
        elif isinstance(event, BotUttered):
            self._bot(seq, momento, event)
        elif isinstance(event, SlotSet):
            self._slot(seq, momento, event)
        elif isinstance(event, ActiveLoop):
            if event.name:
                self.tramite = self.titulo_de_formulario(event.name)
                self.t.entradas.append(Entrada(seq, "sistema", momento, f"Empieza: {self.tramite}"))
        elif isinstance(event, ConversationPaused):
            self.pausada = True
            if self.slots.get("requested_slot"):
                self.pedido = str(self.slots["requested_slot"])
            self.t.entradas.append(Entrada(seq, "sistema", momento, "Pasa a un agente: el asistente calla"))
        elif isinstance(event, ConversationResumed):
            self.pausada = False
            self.t.entradas.append(Entrada(seq, "sistema", momento, "Vuelve con el asistente"))
        elif isinstance(event, SessionStarted):
            self.t.entradas.append(Entrada(seq, "sistema", momento, "Nueva sesión"))

    def _persona(self, seq: int, momento: datetime, event: UserUttered) -> None:
        adjunto = _adjunto(event.metadata)
        intent = event.parse.intent
        texto = event.text if event.text == OCULTO else enmascarar_texto(event.text)
        if adjunto is not None:
            texto = ""
        if not self.pausada and intent and intent not in _SIN_TRAMITE:
            self.intencion = self.domain.policy.intent_title(intent)
        confianza = event.parse.confidence if intent else None
        self.t.entradas.append(
            Entrada(seq, "persona", momento, texto, intencion=intent, confianza=confianza, adjunto=adjunto)
        )

    def _bot(self, seq: int, momento: datetime, event: BotUttered) -> None:
        documento = None
        if event.document is not None:
            archivo = Path(event.document.path).name
            documento = Documento(event.document.filename, archivo, folio_de(archivo))
            self.t.documentos.append(documento)
        if event.response in ("utter_error", "utter_ofrecer_agente", "utter_no_entendi"):
            self.fallo = enmascarar_texto(event.text)
        agente = event.agent if isinstance(event, AgentUttered) else None
        self.t.entradas.append(
            Entrada(
                seq,
                "agente" if agente else "asistente",
                momento,
                enmascarar_texto(event.text),
                agente,
                tuple(b.title for b in event.buttons),
                documento,
            )
        )

    def _slot(self, seq: int, momento: datetime, event: SlotSet) -> None:
        self.slots[event.name] = event.value
        if event.name in _INTERNOS:
            return
        valor = enmascarar_valor(event.name, event.value, self.secretos)
        self.t.entradas.append(Entrada(seq, "dato", momento, f"{event.name} = {valor}"))

    def resumen(self) -> Resumen:
        queria = self.tramite or self.intencion or "Hablar con una persona"
        if self.fallo:
            fallo = self.fallo
        elif self.pedido:
            fallo = f"Se quedó en el dato «{self.pedido}»"
        else:
            fallo = "Pidió hablar con una persona"
        validado = tuple(
            (nombre, enmascarar_valor(nombre, valor, self.secretos))
            for nombre, valor in self.slots.items()
            if valor is not None and nombre not in _INTERNOS
        )
        return Resumen(queria, fallo, validado)


def transcribir(domain: Domain, log: Iterable[tuple[int, Event]]) -> Transcripcion:
    """The console's transcript of a conversation's log."""
    lector = _Lector(domain)
    for seq, event in log:
        lector.leer(seq, event)
    lector.t.resumen = lector.resumen()
    return lector.t
