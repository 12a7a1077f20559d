"""What an agent does in the console: list conversations, read one, take it, reply, reveal, hand back, close.

Every action is audited in the same transaction as the state change it makes. What the person would see
(the agent's greeting and replies, a resent document, being handed back) also goes into the
conversation's log through `Engine.post`, so the web chat shows it; the web layer then delivers it on
Telegram or WhatsApp (`Channels.deliver`). Taking a conversation is one conditional UPDATE: of two
agents who take it at once, exactly one wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, String, Table, func, or_, select
from sqlalchemy import cast as sql_cast

from bot.agents.auditoria import Acciones, auditar
from bot.agents.cola import ESTADOS, Cola, asegurar, cambiar
from bot.agents.horario import Reloj, en_utc, reloj_del_sistema
from bot.agents.privacidad import CAMPOS_SENSIBLES, enmascarar_texto, enmascarar_valor
from bot.agents.tablas import TRASPASOS
from bot.agents.transcripcion import Transcripcion, transcribir
from bot.engine import Document, Outgoing
from bot.engine import Engine as Motor
from bot.store.models import Conversation, ConversationSnapshot, EventRecord

__all__ = [
    "Consola",
    "ConversacionOcupada",
    "DocumentoNoEncontrado",
    "Fila",
    "Filtros",
    "MotivoInsuficiente",
    "SinConversacion",
]

_CONVERSACIONES = cast(Table, Conversation.__table__)
_INSTANTANEAS = cast(Table, ConversationSnapshot.__table__)
_EVENTOS = cast(Table, EventRecord.__table__)
#: A reason to see personal data is a sentence, not a shrug.
MOTIVO_MINIMO = 10


@dataclass(frozen=True)
class Fila:
    """One row of the conversation list, masked."""

    #: The conversation's id: never shown, the console links by `Referencias`.
    id: str
    canal: str
    #: The CURP, NSS or email the person gave, masked; else "Sin identificar".
    persona: str
    #: The trámite under way, in words.
    tramite: str
    estado: str
    agente: str | None
    ultimo_mensaje: datetime
    esperando_desde: datetime | None

    @property
    def estado_texto(self) -> str:
        """The status in words."""
        return ESTADOS.get(self.estado, self.estado)

    def espera_minutos(self, ahora: datetime) -> int | None:
        """Minutes waiting for an agent so far."""
        if self.esperando_desde is None or self.estado != "esperando":
            return None
        return max(0, int((ahora - self.esperando_desde).total_seconds() // 60))

    def to_json(self, ahora: datetime) -> dict[str, Any]:
        """The row as the JSON API gives it."""
        return {
            "id": self.id,
            "channel": self.canal,
            "person": self.persona,
            "tramite": self.tramite,
            "status": self.estado,
            "agent": self.agente,
            "last_message_at": self.ultimo_mensaje.isoformat(),
            "waiting_since": self.esperando_desde.isoformat() if self.esperando_desde else None,
            "waiting_minutes": self.espera_minutos(ahora),
        }


class SinConversacion(LookupError):
    """No conversation has that id."""


class ConversacionOcupada(Exception):
    """Another agent has the conversation."""

    def __init__(self, agente: str | None) -> None:
        super().__init__(f"La conversación la atiende {agente}.")
        self.agente = agente


class MotivoInsuficiente(ValueError):
    """ "Mostrar datos" needs a written reason."""


class DocumentoNoEncontrado(LookupError):
    """The conversation has no such issued document."""


@dataclass(frozen=True)
class Filtros:
    """What the list is narrowed to."""

    estado: str | None = None
    canal: str | None = None
    folio: str | None = None


class Consola:
    """The agents' operations over the queue, the audit log and the engine."""

    def __init__(self, db: Engine, motor: Motor, cola: Cola, reloj: Reloj = reloj_del_sistema) -> None:
        self.db = db
        self.motor = motor
        self.cola = cola
        self.reloj = reloj

    # -- reading -----------------------------------------------------------------------------

    def conversaciones(self, filtros: Filtros = Filtros(), limite: int = 200) -> list[Fila]:
        """Conversations, waiting ones first (longest wait first), then by latest activity."""
        return self._filas(filtros, limite)

    def fila(self, conversation_id: str) -> Fila:
        """One conversation's row; `SinConversacion` if there is none."""
        filas = self._filas(Filtros(), 1, solo=conversation_id)
        if not filas:
            raise SinConversacion(conversation_id)
        return filas[0]

    def _filas(self, filtros: Filtros, limite: int, solo: str | None = None) -> list[Fila]:
        estado = func.coalesce(TRASPASOS.c.estado, "asistente")
        consulta = (
            select(
                _CONVERSACIONES.c.id,
                _CONVERSACIONES.c.channel,
                _CONVERSACIONES.c.updated_at,
                estado.label("estado"),
                TRASPASOS.c.agente,
                TRASPASOS.c.esperando_desde,
                _INSTANTANEAS.c.state,
            )
            .select_from(_CONVERSACIONES)
            .outerjoin(TRASPASOS, TRASPASOS.c.conversation_id == _CONVERSACIONES.c.id)
            .outerjoin(_INSTANTANEAS, _INSTANTANEAS.c.conversation_id == _CONVERSACIONES.c.id)
            .order_by(
                (estado == "esperando").desc(),
                TRASPASOS.c.esperando_desde,
                _CONVERSACIONES.c.updated_at.desc(),
            )
            .limit(limite)
        )
        if solo is not None:
            consulta = consulta.where(_CONVERSACIONES.c.id == solo)
        if filtros.estado:
            consulta = consulta.where(estado == filtros.estado)
        if filtros.canal:
            consulta = consulta.where(_CONVERSACIONES.c.channel == filtros.canal)
        if filtros.folio:
            con_folio = select(_EVENTOS.c.conversation_id).where(
                _EVENTOS.c.type == "bot",
                sql_cast(_EVENTOS.c.data, String).contains(filtros.folio.strip().upper()),
            )
            consulta = consulta.where(_CONVERSACIONES.c.id.in_(con_folio))
        with self.db.connect() as conexion:
            return [self._fila(f) for f in conexion.execute(consulta)]

    def _fila(self, f: Any) -> Fila:
        estado_motor: dict[str, Any] = dict(f.state or {})
        slots = estado_motor.get("slots") or {}
        persona = next(
            (enmascarar_valor(n, slots[n]) for n in ("curp", "nss", "email") if slots.get(n)),
            "Sin identificar",
        )
        forma = estado_motor.get("active_loop")
        tramite = self.titulo(forma) if forma else "—"
        desde = en_utc(f.esperando_desde) if f.esperando_desde is not None else None
        return Fila(f.id, f.channel, persona, tramite, f.estado, f.agente, en_utc(f.updated_at), desde)

    def titulo(self, forma: str) -> str:
        """The trámite a form belongs to, in words."""
        domain = self.motor.domain
        for rule in domain.rules:
            if rule.intent and forma in rule.actions:
                return domain.policy.intent_title(rule.intent)
        return forma

    def transcripcion(self, conversation_id: str) -> Transcripcion:
        """The masked transcript with its summary."""
        if not self.motor.conversation_exists(conversation_id):
            raise SinConversacion(conversation_id)
        return transcribir(self.motor.domain, self.motor.log(conversation_id))

    # -- acting ------------------------------------------------------------------------------

    def tomar(self, conversation_id: str, agente: str) -> list[Outgoing]:
        """Take the conversation (one agent wins); the greeting to deliver (none if it was already ours)."""
        ahora = self.reloj()
        canal = self._canal(conversation_id)
        with self.db.begin() as conexion:
            asegurar(conexion, conversation_id, canal, ahora)
            libre = TRASPASOS.c.estado != "agente"
            if not cambiar(
                conexion,
                conversation_id,
                libre,
                estado="agente",
                agente=agente,
                tomada=ahora,
                actualizada=ahora,
            ):
                actual = self._agente(conexion, conversation_id)
                if actual != agente:
                    raise ConversacionOcupada(actual)
                return []
            auditar(conexion, ahora, agente, Acciones.TOMAR, conversation_id)
        saludo = self.motor.message("utter_agente_conectado", agente=agente)
        self.motor.post(
            conversation_id, saludo, agent=agente, response="utter_agente_conectado", handoff="pause"
        )
        return [saludo]

    def responder(self, conversation_id: str, agente: str, texto: str) -> list[Outgoing]:
        """Send the agent's reply (taking the conversation first if nobody has it); what to deliver."""
        texto = texto.strip()
        if not texto:
            raise ValueError("El mensaje está vacío.")
        salida = self.tomar(conversation_id, agente)
        mensaje = Outgoing(text=texto[:4000])
        self._registrar(conversation_id, agente, Acciones.RESPONDER, motivo=f"{len(texto)} caracteres")
        self.motor.post(conversation_id, mensaje, agent=agente)
        return [*salida, mensaje]

    def reenviar(self, conversation_id: str, agente: str, archivo: str) -> list[Outgoing]:
        """Send one of the person's issued documents again."""
        documento = self.documento(conversation_id, archivo)
        salida = self.tomar(conversation_id, agente)
        texto = self.motor.message("utter_agente_reenvia").text
        mensaje = Outgoing(text=texto, document=documento)
        self._registrar(conversation_id, agente, Acciones.REENVIAR, campos=(archivo,))
        self.motor.post(conversation_id, mensaje, agent=agente, response="utter_agente_reenvia")
        return [*salida, mensaje]

    def documento(self, conversation_id: str, archivo: str) -> Document:
        """An issued document of this conversation, by its file name."""
        for _seq, event in self.motor.log(conversation_id):
            doc = getattr(event, "document", None)
            if isinstance(doc, Document) and Path(doc.path).name == archivo and Path(doc.path).is_file():
                return doc
        raise DocumentoNoEncontrado(archivo)

    def devolver(self, conversation_id: str, agente: str, nota: str = "") -> list[Outgoing]:
        """Hand the conversation back to the bot, with an optional note for the record."""
        return self._soltar(
            conversation_id, agente, "asistente", Acciones.DEVOLVER, "utter_agente_devuelve", nota
        )

    def cerrar(self, conversation_id: str, agente: str) -> list[Outgoing]:
        """End the conversation: the bot answers again if the person writes."""
        return self._soltar(conversation_id, agente, "cerrada", Acciones.CERRAR, "utter_agente_cierra", "")

    def mostrar_datos(
        self, conversation_id: str, agente: str, campos: Sequence[str], motivo: str
    ) -> dict[str, str]:
        """The chosen personal data in clear, once, after recording who asked, when and why."""
        motivo = " ".join(motivo.split())
        if len(motivo) < MOTIVO_MINIMO:
            raise MotivoInsuficiente(
                f"Escribe por qué necesitas ver los datos (al menos {MOTIVO_MINIMO} letras)."
            )
        elegidos = [c for c in campos if c in CAMPOS_SENSIBLES]
        if not elegidos:
            raise MotivoInsuficiente("Elige al menos un dato para mostrar.")
        if not self.motor.conversation_exists(conversation_id):
            raise SinConversacion(conversation_id)
        self._registrar(conversation_id, agente, Acciones.MOSTRAR_DATOS, campos=elegidos, motivo=motivo)
        slots = self.motor.tracker(conversation_id).slots
        return {c: str(slots.get(c) or "(no lo tenemos)") for c in elegidos}

    def registrar_descarga(self, conversation_id: str, agente: str, archivo: str) -> None:
        """Record that an agent downloaded a document of the conversation."""
        self._registrar(conversation_id, agente, Acciones.DESCARGAR, campos=(archivo,))

    # -- internals -----------------------------------------------------------------------------

    def _canal(self, conversation_id: str) -> str:
        with self.db.connect() as conexion:
            canal = conexion.execute(
                select(_CONVERSACIONES.c.channel).where(_CONVERSACIONES.c.id == conversation_id)
            ).scalar()
        if canal is None:
            raise SinConversacion(conversation_id)
        return str(canal)

    @staticmethod
    def _agente(conexion: Connection, conversation_id: str) -> str | None:
        """Who has the conversation now."""
        consulta = select(TRASPASOS.c.agente).where(TRASPASOS.c.conversation_id == conversation_id)
        agente = conexion.execute(consulta).scalar()
        return None if agente is None else str(agente)

    def _registrar(
        self,
        conversation_id: str,
        agente: str,
        accion: str,
        *,
        campos: Sequence[str] = (),
        motivo: str | None = None,
    ) -> None:
        with self.db.begin() as conexion:
            auditar(conexion, self.reloj(), agente, accion, conversation_id, campos=campos, motivo=motivo)

    def _soltar(
        self, conversation_id: str, agente: str, estado: str, accion: str, respuesta: str, nota: str
    ) -> list[Outgoing]:
        ahora = self.reloj()
        with self.db.begin() as conexion:
            suya = or_(TRASPASOS.c.agente == agente, TRASPASOS.c.estado == "esperando")
            if not cambiar(
                conexion,
                conversation_id,
                suya,
                estado=estado,
                agente=None,
                esperando_desde=None,
                actualizada=ahora,
            ):
                raise ConversacionOcupada(self._agente(conexion, conversation_id))
            auditar(
                conexion,
                ahora,
                agente,
                accion,
                conversation_id,
                motivo=enmascarar_texto(nota.strip()) or None,
            )
        mensaje = self.motor.message(respuesta, agente=agente)
        self.motor.post(conversation_id, mensaje, agent=agente, response=respuesta, handoff="resume")
        return [mensaje]
