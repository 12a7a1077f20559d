"""The help desk's tables (migration 0005), as SQLAlchemy Core tables on their own metadata."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Integer, MetaData, String, Table, Text, UniqueConstraint

__all__ = ["AUDITORIA", "CUENTAS", "ESTADO", "METADATA", "REVISION", "SESIONES", "TRASPASOS", "VISTOS"]

METADATA = MetaData()


def _momento(nombre: str, *, nulo: bool = True) -> Column[object]:
    """A point in time (always written in UTC)."""
    return Column(nombre, DateTime(timezone=True), nullable=nulo)


#: Agents and supervisors: argon2id hashes, failed logins and the lock they lead to.
CUENTAS = Table(
    "agent_accounts",
    METADATA,
    Column("usuario", String(64), primary_key=True),
    Column("rol", String(16), nullable=False),
    Column("hash", String(256), nullable=False),
    Column("fallidos", Integer, nullable=False, default=0),
    _momento("bloqueada_hasta"),
    _momento("creada", nulo=False),
)

#: Console sessions; the cookie holds a random token, the table only its SHA-256.
SESIONES = Table(
    "agent_sessions",
    METADATA,
    Column("token_hash", String(64), primary_key=True),
    Column("usuario", String(64), nullable=False, index=True),
    Column("csrf", String(64), nullable=False),
    _momento("creada", nulo=False),
    _momento("vence", nulo=False),
)

#: The handoff state of each conversation that ever left the bot: asistente, esperando, agente, cerrada.
TRASPASOS = Table(
    "agent_handoffs",
    METADATA,
    Column("conversation_id", String(128), primary_key=True),
    Column("canal", String(32), nullable=False),
    Column("estado", String(16), nullable=False, index=True),
    Column("agente", String(64), nullable=True),
    #: Why it left the bot: solicitud (asked), fallas (accepted the offer after misunderstandings), error.
    Column("motivo", String(32), nullable=True),
    _momento("esperando_desde"),
    _momento("tomada"),
    #: The last "you are still in the queue" answer, and the one reminder after the wait limit.
    _momento("ultimo_aviso"),
    _momento("recordada"),
    _momento("actualizada", nulo=False),
)

#: Every agent action and status change: who, when, which conversation, what, and why.
AUDITORIA = Table(
    "agent_audit",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _momento("momento", nulo=False),
    Column("agente", String(64), nullable=True),
    Column("accion", String(32), nullable=False),
    Column("conversation_id", String(128), nullable=True, index=True),
    Column("campos", String(256), nullable=True),
    Column("motivo", Text, nullable=True),
)

#: The NLU review queue: one row per distinct (folded) message, counted.
REVISION = Table(
    "nlu_review",
    METADATA,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("clave", String(64), nullable=False),
    Column("texto", Text, nullable=False),
    Column("veces", Integer, nullable=False, default=1),
    Column("motivos", String(64), nullable=False),
    Column("intencion", String(64), nullable=True),
    Column("confianza", Float, nullable=False, default=0.0),
    _momento("primera", nulo=False),
    _momento("ultima", nulo=False),
    #: pendiente, revisado (an intent was assigned) or fuera (out of scope).
    Column("estado", String(16), nullable=False, index=True),
    Column("asignada", String(64), nullable=True),
    Column("revisor", String(64), nullable=True),
    _momento("revisada"),
    UniqueConstraint("clave", name="uq_nlu_review_clave"),
)

#: The action events the review collector already took (the last stretch behind its cursor).
VISTOS = Table(
    "nlu_review_events", METADATA, Column("event_id", Integer, primary_key=True, autoincrement=False)
)

#: Small named values the desk keeps: the review collector's cursor over the event log.
ESTADO = Table(
    "agent_state",
    METADATA,
    Column("clave", String(64), primary_key=True),
    Column("valor", Integer, nullable=False),
)
