"""The audit log: every agent action and every handoff status change, with who, when, what and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, insert, select

from bot.agents.horario import en_utc
from bot.agents.tablas import AUDITORIA

__all__ = ["Acciones", "Registro", "auditar", "registros"]


class Acciones:
    """The names of what is recorded."""

    EN_COLA = "en_cola"
    PERSONA_VOLVIO = "persona_volvio"
    RECORDATORIO = "recordatorio"
    TOMAR = "tomar"
    RESPONDER = "responder"
    MOSTRAR_DATOS = "mostrar_datos"
    DEVOLVER = "devolver"
    CERRAR = "cerrar"
    REENVIAR = "reenviar_documento"
    DESCARGAR = "descargar_documento"
    REVISAR_NLU = "revisar_nlu"
    ENTRAR = "entrar"
    SALIR = "salir"


@dataclass(frozen=True)
class Registro:
    """One row of the audit log."""

    momento: datetime
    agente: str | None
    accion: str
    conversation_id: str | None
    campos: str | None
    motivo: str | None


def auditar(
    conexion: Connection,
    momento: datetime,
    agente: str | None,
    accion: str,
    conversation_id: str | None = None,
    *,
    campos: Sequence[str] = (),
    motivo: str | None = None,
) -> None:
    """Add a row inside the caller's transaction (so the change and its record commit together)."""
    conexion.execute(
        insert(AUDITORIA).values(
            momento=momento,
            agente=agente,
            accion=accion,
            conversation_id=conversation_id,
            campos=",".join(campos)[:256] or None,
            motivo=motivo,
        )
    )


def registros(db: Engine, conversation_id: str | None = None, limite: int = 500) -> list[Registro]:
    """The newest rows first (of one conversation, or of all)."""
    consulta = select(AUDITORIA).order_by(AUDITORIA.c.id.desc()).limit(limite)
    if conversation_id is not None:
        consulta = consulta.where(AUDITORIA.c.conversation_id == conversation_id)
    with db.connect() as conexion:
        return [
            Registro(en_utc(f.momento), f.agente, f.accion, f.conversation_id, f.campos, f.motivo)
            for f in conexion.execute(consulta)
        ]
