"""The NLU review queue: what the bot failed to understand, deduplicated and counted, for supervisors.

A collector walks the event log from where it stopped (a cursor in `agent_state`) and takes the
person's message before each `action_default_fallback` (the NLU's confidence was below the fallback
threshold: "¿Quisiste decir…?" or "no entendí") and before each `action_handoff` (the message that led
to a handoff). It leaves out taps (payloads), uploads and media, messages typed at a sensitive step
(stored as "••••••", never parsed) and any message carrying personal data (CURP, NSS, RFC, email,
phone): those never reach training data. A supervisor assigns the right intent, or `fuera_de_alcance`
for out of scope; the example is then merged into the reviewed-examples file (Rasa NLU YAML, written
atomically), which the embedded NLU trains from at its next training like every file of nlu/data.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import yaml
from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.agents.auditoria import Acciones, auditar
from bot.agents.horario import Reloj, en_utc, reloj_del_sistema
from bot.agents.privacidad import OCULTO, enmascarar_texto
from bot.agents.tablas import ESTADO, REVISION, VISTOS
from bot.store.models import EventRecord
from tramites.texto import fold

__all__ = ["FUERA_DE_ALCANCE", "Caso", "Revision", "RevisionInvalida"]

FUERA_DE_ALCANCE = "fuera_de_alcance"
_EVENTOS = cast(Table, EventRecord.__table__)
_CURSOR = "revision_nlu"
#: How far behind its cursor the collector looks again for events that committed late.
_VENTANA = 5000
#: The action after the person's message, and why that message is worth a look.
_MOTIVOS = {"action_default_fallback": "no_entendido", "action_handoff": "agente"}
# Rasa's annotation syntax ([texto](entidad), {"entity"...}) must not appear in a plain example.
_ANOTACION = re.compile(r"[\[\]\(\)\{\}]")


class RevisionInvalida(ValueError):
    """The review cannot be saved as asked; the message says why."""


@dataclass(frozen=True)
class Caso:
    """One distinct message in the queue."""

    id: int
    texto: str
    veces: int
    motivos: tuple[str, ...]
    intencion: str | None
    confianza: float
    ultima: datetime
    estado: str
    asignada: str | None


def _clave(texto: str) -> str:
    return hashlib.sha256(fold(texto).encode("utf-8")).hexdigest()


def _revisable(texto: str) -> bool:
    limpio = texto.strip()
    if not limpio or limpio == OCULTO or limpio.startswith("/") or len(limpio) > 300:
        return False
    # Personal data never enters the queue, so it can never reach training data.
    return enmascarar_texto(limpio) == limpio


class Revision:
    """Collects, lists and saves reviews of the messages the NLU missed."""

    def __init__(
        self, db: Engine, intents: list[str], archivo: Path, reloj: Reloj = reloj_del_sistema
    ) -> None:
        self.db = db
        self.intents = intents
        self.archivo = archivo
        self.reloj = reloj

    # -- collecting ---------------------------------------------------------------------------

    def recoger(self) -> int:
        """Take the new misses from the log into the queue; how many messages were added or counted.

        It walks the events after its cursor, and again the last `_VENTANA` before it: on PostgreSQL an
        event may commit after one with a higher id was read. Each action event is taken once (its id
        is kept in `nlu_review_events`), so walking a stretch twice never counts a message twice.
        """
        ahora = self.reloj()
        try:
            with self.db.begin() as conexion:
                cursor = conexion.execute(select(ESTADO.c.valor).where(ESTADO.c.clave == _CURSOR)).scalar()
                desde = max(0, int(cursor or 0) - _VENTANA)
                hasta = int(conexion.execute(select(func.max(_EVENTOS.c.id))).scalar() or 0)
                vistos = set(conexion.scalars(select(VISTOS.c.event_id).where(VISTOS.c.event_id > desde)))
                acciones = conexion.execute(
                    select(_EVENTOS.c.id, _EVENTOS.c.conversation_id, _EVENTOS.c.seq, _EVENTOS.c.data)
                    .where(_EVENTOS.c.id > desde, _EVENTOS.c.id <= hasta, _EVENTOS.c.type == "action")
                    .order_by(_EVENTOS.c.id)
                )
                contados = 0
                for event_id, cid, seq, data in list(acciones):
                    motivo = _MOTIVOS.get(str((data or {}).get("name")))
                    if motivo is None or event_id in vistos:
                        continue
                    conexion.execute(insert(VISTOS).values(event_id=event_id))
                    contados += self._anotar(conexion, cid, seq, motivo, ahora)
                conexion.execute(delete(VISTOS).where(VISTOS.c.event_id <= desde))
                if cursor is None:
                    conexion.execute(insert(ESTADO).values(clave=_CURSOR, valor=hasta))
                else:
                    conexion.execute(update(ESTADO).where(ESTADO.c.clave == _CURSOR).values(valor=hasta))
                return contados
        except IntegrityError:
            # Another worker collected the same events at the same moment; it counted them.
            return 0

    def _anotar(self, conexion: Connection, cid: str, seq: int, motivo: str, ahora: datetime) -> int:
        data = conexion.execute(
            select(_EVENTOS.c.data)
            .where(_EVENTOS.c.conversation_id == cid, _EVENTOS.c.seq < seq, _EVENTOS.c.type == "user")
            .order_by(_EVENTOS.c.seq.desc())
            .limit(1)
        ).scalar()
        mensaje: dict[str, Any] = dict(data or {})
        metadata = mensaje.get("metadata") or {}
        texto = " ".join(str(mensaje.get("text") or "").split())
        if "attachment" in metadata or "media" in metadata or not _revisable(texto):
            return 0
        intent = (mensaje.get("parse_data") or {}).get("intent") or {}
        clave = _clave(texto)
        fila = conexion.execute(select(REVISION).where(REVISION.c.clave == clave)).first()
        if fila is None:
            conexion.execute(
                insert(REVISION).values(
                    clave=clave,
                    texto=texto,
                    veces=1,
                    motivos=motivo,
                    intencion=intent.get("name"),
                    confianza=float(intent.get("confidence") or 0.0),
                    primera=ahora,
                    ultima=ahora,
                    estado="pendiente",
                )
            )
            return 1
        motivos = ",".join(sorted(set(fila.motivos.split(",")) | {motivo}))
        conexion.execute(
            update(REVISION)
            .where(REVISION.c.id == fila.id)
            .values(veces=REVISION.c.veces + 1, ultima=ahora, motivos=motivos)
        )
        return 1

    # -- reading and reviewing ----------------------------------------------------------------

    def casos(self, estado: str = "pendiente", limite: int = 200) -> list[Caso]:
        """The queue, most frequent first."""
        consulta = (
            select(REVISION)
            .where(REVISION.c.estado == estado)
            .order_by(REVISION.c.veces.desc(), REVISION.c.ultima.desc())
            .limit(limite)
        )
        with self.db.connect() as conexion:
            return [
                Caso(
                    f.id,
                    f.texto,
                    f.veces,
                    tuple(f.motivos.split(",")),
                    f.intencion,
                    float(f.confianza),
                    en_utc(f.ultima),
                    f.estado,
                    f.asignada,
                )
                for f in conexion.execute(consulta)
            ]

    def revisar(self, caso_id: int, intencion: str, revisor: str) -> Caso:
        """Assign the right intent (or `fuera_de_alcance`) and merge the example into the reviewed file."""
        if intencion not in self.intents:
            raise RevisionInvalida(f"«{intencion}» no es una intención del asistente.")
        ahora = self.reloj()
        estado = "fuera" if intencion == FUERA_DE_ALCANCE else "revisado"
        with self.db.begin() as conexion:
            fila = conexion.execute(select(REVISION).where(REVISION.c.id == caso_id)).first()
            if fila is None:
                raise RevisionInvalida("Ese mensaje ya no está en la cola.")
            conexion.execute(
                update(REVISION)
                .where(REVISION.c.id == caso_id)
                .values(estado=estado, asignada=intencion, revisor=revisor, revisada=ahora)
            )
            auditar(conexion, ahora, revisor, Acciones.REVISAR_NLU, None, campos=(intencion,))
            self._escribir(fila.texto, intencion)
        return Caso(
            caso_id,
            fila.texto,
            fila.veces,
            tuple(fila.motivos.split(",")),
            fila.intencion,
            float(fila.confianza),
            ahora,
            estado,
            intencion,
        )

    def _escribir(self, texto: str, intencion: str) -> None:
        """Merge one example into the reviewed file: locked, written to a temporary file, then renamed."""
        texto = " ".join(_ANOTACION.sub(" ", texto).split())
        self.archivo.parent.mkdir(parents=True, exist_ok=True)
        candado = self.archivo.with_name(self.archivo.name + ".lock")
        with open(candado, "a+") as bloqueo:
            fcntl.flock(bloqueo, fcntl.LOCK_EX)
            ejemplos = self._leer()
            lista = ejemplos.setdefault(intencion, [])
            if fold(texto) not in {fold(e) for e in lista}:
                lista.append(texto)
            contenido = {
                "version": "3.1",
                "nlu": [
                    {"intent": intent, "examples": "".join(f"- {e}\n" for e in textos)}
                    for intent, textos in sorted(ejemplos.items())
                ],
            }
            cabecera = (
                "# Ejemplos revisados por supervisores en /agentes/revision (los escribe la consola).\n"
            )
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=self.archivo.parent, prefix=".revisados-", delete=False
            ) as temporal:
                temporal.write(cabecera + yaml.safe_dump(contenido, allow_unicode=True, sort_keys=False))
                temporal.flush()
                os.fsync(temporal.fileno())
            os.replace(temporal.name, self.archivo)

    def _leer(self) -> dict[str, list[str]]:
        if not self.archivo.exists():
            return {}
        datos = yaml.safe_load(self.archivo.read_text(encoding="utf-8")) or {}
        ejemplos: dict[str, list[str]] = {}
        for bloque in datos.get("nlu") or []:
            if isinstance(bloque, dict) and "intent" in bloque:
                lineas = [ln.strip()[2:].strip() for ln in str(bloque.get("examples") or "").splitlines()]
                ejemplos.setdefault(str(bloque["intent"]), []).extend(ln for ln in lineas if ln)
        return ejemplos
