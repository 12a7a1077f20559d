"""The help desk built from the settings: queue, accounts, sessions, console, review queue, reminders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine as Db
from sqlalchemy import delete, update

from bot.agents.cola import Cola, Limites
from bot.agents.consola import Consola
from bot.agents.cuentas import Cuentas
from bot.agents.horario import Horario, Reloj
from bot.agents.recordatorios import Recordatorios
from bot.agents.referencias import Referencias
from bot.agents.revision import Revision
from bot.agents.sesiones import Sesiones
from bot.agents.tablas import AUDITORIA, TRASPASOS
from bot.engine import Engine
from bot.settings import Settings

__all__ = ["Mesa", "construir_mesa"]


@dataclass
class Mesa:
    """Every part of the help desk, sharing one database and one clock."""

    horario: Horario
    cola: Cola
    cuentas: Cuentas
    sesiones: Sesiones
    consola: Consola
    revision: Revision
    recordatorios: Recordatorios
    referencias: Referencias
    intervalo: float

    def poner_reloj(self, reloj: Reloj) -> None:
        """Use another clock everywhere (tests move time without sleeping)."""
        for parte in (self.cola, self.cuentas, self.sesiones, self.consola, self.revision):
            parte.reloj = reloj

    def olvidar(self, conversation_ids: Sequence[str]) -> dict[str, int]:
        """Erasure of a person: their conversations leave the queue; audit rows stay, without the id.

        Who looked at what, when and why is kept (that is what an audit is for), but no longer points
        to the conversation, whose id may carry a phone number.
        """
        ids = list(conversation_ids)
        if not ids:
            return {"traspasos": 0, "auditoria_desvinculada": 0}
        with self.cola.db.begin() as conexion:
            traspasos = conexion.execute(delete(TRASPASOS).where(TRASPASOS.c.conversation_id.in_(ids)))
            auditoria = conexion.execute(
                update(AUDITORIA).where(AUDITORIA.c.conversation_id.in_(ids)).values(conversation_id=None)
            )
        return {"traspasos": traspasos.rowcount, "auditoria_desvinculada": auditoria.rowcount}

    def ahora(self) -> datetime:
        """Now, by the desk's clock."""
        return self.cola.reloj()


def construir_mesa(settings: Settings, db: Db, engine: Engine, secreto: bytes) -> Mesa:
    """The desk on the settings' office hours and limits; its queue is attached to the engine."""
    horario = Horario.leer(settings.agentes_horario, settings.agentes_zona_horaria)
    limites = Limites(
        minutos_por_persona=settings.agentes_minutos_por_persona,
        aviso_cada=timedelta(minutes=settings.agentes_aviso_minutos),
        recordar_tras=timedelta(minutes=settings.agentes_recordatorio_minutos),
    )
    cola = Cola(db, horario, limites)
    engine.attach_handoff(cola)
    revision = Revision(db, engine.domain.intents, settings.effective_nlu_revisados_file)
    return Mesa(
        horario=horario,
        cola=cola,
        cuentas=Cuentas(db),
        sesiones=Sesiones(db, timedelta(hours=settings.agentes_sesion_horas)),
        consola=Consola(db, engine, cola),
        revision=revision,
        recordatorios=Recordatorios(cola, engine, revision),
        referencias=Referencias(secreto),
        intervalo=settings.agentes_intervalo_segundos,
    )
