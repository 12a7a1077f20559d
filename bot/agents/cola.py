"""The agents' queue: each handed-off conversation's state, kept in the database and changed atomically.

States: con el asistente (`asistente`), esperando agente (`esperando`), con agente (`agente`), cerrada.
This class is the engine's `HandoffDesk` (what a turn asks of the queue) and answers the console's and
the reminder task's questions about it. Every change is audited in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, func, select, text, update

from bot.agents.auditoria import Acciones, auditar
from bot.agents.horario import Horario, Reloj, en_utc, reloj_del_sistema
from bot.agents.tablas import TRASPASOS
from bot.engine import Notice
from bot.store.models import EventRecord

__all__ = ["ESTADOS", "Cola", "Limites", "Traspaso", "asegurar", "cambiar"]

ESTADOS = {
    "asistente": "Con el asistente",
    "esperando": "Esperando agente",
    "agente": "Con agente",
    "cerrada": "Cerrada",
}
_EVENTOS = cast(Table, EventRecord.__table__)
# One statement both databases run: a conversation gets its row once, whoever comes first.
_ASEGURAR = text(
    "INSERT INTO agent_handoffs (conversation_id, canal, estado, actualizada) "
    "VALUES (:cid, :canal, 'asistente', :ahora) ON CONFLICT (conversation_id) DO NOTHING"
)
#: Each notice's version for outside office hours (domain.yml, # --- agentes ---).
_FUERA_DE_HORARIO = {
    "utter_en_cola": "utter_en_cola_fuera_de_horario",
    "utter_en_espera": "utter_en_espera_fuera_de_horario",
    "utter_recordatorio_espera": "utter_recordatorio_espera_fuera_de_horario",
}
#: What the bot said last before the person asked, and the reason it means.
_MOTIVOS = {"utter_ofrecer_agente": "fallas", "utter_error": "error"}


def asegurar(conexion: Connection, conversation_id: str, canal: str, ahora: datetime) -> None:
    """Give the conversation its row (con el asistente) unless it has one."""
    conexion.execute(_ASEGURAR, {"cid": conversation_id, "canal": canal or "", "ahora": ahora})


def cambiar(conexion: Connection, conversation_id: str, *condiciones: Any, **valores: Any) -> int:
    """Change a conversation's row only where the conditions still hold; how many rows changed (0 or 1)."""
    cambio = conexion.execute(
        update(TRASPASOS)
        .where(TRASPASOS.c.conversation_id == conversation_id, *condiciones)
        .values(**valores)
    )
    return int(cambio.rowcount)


@dataclass(frozen=True)
class Limites:
    """How the queue paces what it tells people."""

    #: The wait estimated for each place in the queue.
    minutos_por_persona: float = 5
    #: At most one "still in the queue" answer this often.
    aviso_cada: timedelta = timedelta(minutes=5)
    #: One reminder once someone waited this long without an agent.
    recordar_tras: timedelta = timedelta(minutes=10)


@dataclass(frozen=True)
class Traspaso:
    """A conversation's row in the queue."""

    conversation_id: str
    canal: str
    estado: str
    agente: str | None
    motivo: str | None
    esperando_desde: datetime | None

    @classmethod
    def de_fila(cls, fila: Any) -> Traspaso:
        """Read a row of agent_handoffs."""
        desde = en_utc(fila.esperando_desde) if fila.esperando_desde is not None else None
        return cls(fila.conversation_id, fila.canal, fila.estado, fila.agente, fila.motivo, desde)


@dataclass
class Cola:
    """The queue on the database; `enqueue`, `waiting` and `leave` are the engine's `HandoffDesk`."""

    db: Engine
    horario: Horario
    limites: Limites = Limites()
    reloj: Reloj = reloj_del_sistema

    # -- the engine's HandoffDesk ------------------------------------------------------------

    def enqueue(self, conversation_id: str, channel: str) -> Notice:
        """Put the conversation at the end of the queue (a conversation already waiting keeps its place)."""
        ahora = self.reloj()
        with self.db.begin() as conexion:
            fila = self._fila(conexion, conversation_id, channel, ahora)
            if fila.estado != "esperando":
                motivo = self._motivo(conexion, conversation_id)
                self._esperar(conexion, conversation_id, ahora, motivo)
                auditar(conexion, ahora, None, Acciones.EN_COLA, conversation_id, motivo=motivo)
            return self._aviso(conexion, conversation_id, ahora, "utter_en_cola")

    def waiting(self, conversation_id: str, channel: str) -> Notice | None:
        """While waiting, a short "still in the queue" at most every few minutes; with an agent, quiet."""
        ahora = self.reloj()
        with self.db.begin() as conexion:
            fila = self._fila(conexion, conversation_id, channel, ahora)
            if fila.estado == "agente":
                return None
            if fila.estado != "esperando":
                # Paused without a place in the queue (a handoff from before the desk existed): queue it.
                self._esperar(conexion, conversation_id, ahora, None)
                auditar(conexion, ahora, None, Acciones.EN_COLA, conversation_id)
                return self._aviso(conexion, conversation_id, ahora, "utter_en_cola")
            ultimo = fila.ultimo_aviso
            if ultimo is not None and ahora - en_utc(ultimo) < self.limites.aviso_cada:
                return None
            cambiar(conexion, conversation_id, ultimo_aviso=ahora)
            return self._aviso(conexion, conversation_id, ahora, "utter_en_espera")

    def leave(self, conversation_id: str) -> None:
        """The person went back to the bot."""
        ahora = self.reloj()
        with self.db.begin() as conexion:
            activa = TRASPASOS.c.estado.in_(("esperando", "agente"))
            libre = {"estado": "asistente", "agente": None, "esperando_desde": None, "actualizada": ahora}
            if cambiar(conexion, conversation_id, activa, **libre):
                auditar(conexion, ahora, None, Acciones.PERSONA_VOLVIO, conversation_id)

    # -- questions ---------------------------------------------------------------------------

    def traspaso(self, conversation_id: str) -> Traspaso | None:
        """The conversation's row, if it ever left the bot."""
        with self.db.connect() as conexion:
            fila = conexion.execute(
                select(TRASPASOS).where(TRASPASOS.c.conversation_id == conversation_id)
            ).first()
        return Traspaso.de_fila(fila) if fila is not None else None

    def lugar(self, conexion: Connection, conversation_id: str) -> int:
        """1 for the longest-waiting conversation, and so on."""
        mia = select(TRASPASOS.c.esperando_desde).where(TRASPASOS.c.conversation_id == conversation_id)
        antes = conexion.execute(
            select(func.count())
            .select_from(TRASPASOS)
            .where(TRASPASOS.c.estado == "esperando", TRASPASOS.c.esperando_desde < mia.scalar_subquery())
        ).scalar_one()
        return int(antes) + 1

    def por_recordar(self) -> list[Traspaso]:
        """Conversations waiting longer than the limit that were not reminded yet."""
        limite = self.reloj() - self.limites.recordar_tras
        consulta = select(TRASPASOS).where(
            TRASPASOS.c.estado == "esperando",
            TRASPASOS.c.recordada.is_(None),
            TRASPASOS.c.esperando_desde <= limite,
        )
        with self.db.connect() as conexion:
            return [Traspaso.de_fila(f) for f in conexion.execute(consulta)]

    def marcar_recordada(self, conversation_id: str) -> Notice | None:
        """Claim the one reminder of this wait (one worker wins); the notice to send, or None."""
        ahora = self.reloj()
        with self.db.begin() as conexion:
            pendiente = (TRASPASOS.c.estado == "esperando", TRASPASOS.c.recordada.is_(None))
            if not cambiar(conexion, conversation_id, *pendiente, recordada=ahora, ultimo_aviso=ahora):
                return None
            auditar(conexion, ahora, None, Acciones.RECORDATORIO, conversation_id)
            return self._aviso(conexion, conversation_id, ahora, "utter_recordatorio_espera")

    # -- internals -----------------------------------------------------------------------------

    def _fila(self, conexion: Connection, conversation_id: str, canal: str, ahora: datetime) -> Any:
        asegurar(conexion, conversation_id, canal, ahora)
        return conexion.execute(select(TRASPASOS).where(TRASPASOS.c.conversation_id == conversation_id)).one()

    @staticmethod
    def _esperar(conexion: Connection, conversation_id: str, ahora: datetime, motivo: str | None) -> None:
        nueva = {"esperando_desde": ahora, "actualizada": ahora, "motivo": motivo}
        olvidada = dict.fromkeys(("agente", "tomada", "ultimo_aviso", "recordada"))
        cambiar(conexion, conversation_id, estado="esperando", **nueva, **olvidada)

    @staticmethod
    def _motivo(conexion: Connection, conversation_id: str) -> str:
        """Why the person left the bot, from what the bot said last (its turn is not stored yet)."""
        ultimo = conexion.execute(
            select(_EVENTOS.c.data)
            .where(_EVENTOS.c.conversation_id == conversation_id, _EVENTOS.c.type == "bot")
            .order_by(_EVENTOS.c.seq.desc())
            .limit(1)
        ).scalar()
        respuesta = ((ultimo or {}).get("metadata") or {}).get("utter_action")
        return _MOTIVOS.get(str(respuesta), "solicitud")

    def _aviso(self, conexion: Connection, conversation_id: str, ahora: datetime, respuesta: str) -> Notice:
        """The notice `respuesta` with the place and wait, or its out-of-hours version with the opening."""
        if not self.horario.abierto(ahora):
            variables = {"cuando": self.horario.cuando(ahora), "horario": self.horario.describir()}
            return Notice(_FUERA_DE_HORARIO[respuesta], variables)
        lugar = self.lugar(conexion, conversation_id)
        minutos = max(1, round(lugar * self.limites.minutos_por_persona))
        return Notice(respuesta, {"lugar": lugar, "minutos": minutos})
