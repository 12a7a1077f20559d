"""The desk's periodic task: one gentle reminder to whoever waits too long, and the review collector.

It runs in the web app's lifespan (`en_marcha`), one round every AGENTES_INTERVALO_SEGUNDOS, and stops
with the app. With several workers each runs it; the reminder is claimed with a conditional UPDATE, so
only one worker sends it. A round is also a plain method (`ronda`), which tests call with their clock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from bot.agents.cola import Cola
from bot.agents.revision import Revision
from bot.engine import Engine, Outgoing

__all__ = ["Entregar", "Recordatorios"]

logger = logging.getLogger(__name__)

#: Sends messages to a conversation on its channel (`Channels.deliver`); False where the channel does
#: not push (the web chat reads them from its API).
Entregar = Callable[[str, Sequence[Outgoing]], Awaitable[bool]]


class Recordatorios:
    """Reminds people waiting too long (once per wait) and collects NLU misses for review."""

    def __init__(self, cola: Cola, motor: Engine, revision: Revision) -> None:
        self.cola = cola
        self.motor = motor
        self.revision = revision

    def pendientes(self) -> list[tuple[str, Outgoing]]:
        """Claim and store the due reminders (blocking); what each conversation must be sent."""
        enviados = []
        for traspaso in self.cola.por_recordar():
            aviso = self.cola.marcar_recordada(traspaso.conversation_id)
            if aviso is None:
                continue
            mensaje = self.motor.message(aviso.response, **aviso.variables)
            # Stored first: the web chat shows it from the log, and a failed push is not lost.
            self.motor.post(traspaso.conversation_id, mensaje, response=aviso.response)
            enviados.append((traspaso.conversation_id, mensaje))
        return enviados

    async def ronda(self, entregar: Entregar) -> int:
        """One round: reminders stored and delivered, misses collected; how many reminders went out."""
        enviados = await asyncio.to_thread(self.pendientes)
        for cid, mensaje in enviados:
            try:
                await entregar(cid, [mensaje])
            except Exception:
                logger.exception("A waiting reminder could not be delivered")
        await asyncio.to_thread(self.revision.recoger)
        return len(enviados)

    @asynccontextmanager
    async def en_marcha(self, entregar: Entregar, intervalo: float) -> AsyncIterator[None]:
        """Run rounds every `intervalo` seconds until the block ends."""
        alto = asyncio.Event()

        async def bucle() -> None:
            while not alto.is_set():
                try:
                    await self.ronda(entregar)
                except Exception:
                    logger.exception("The help desk's periodic round failed")
                try:
                    await asyncio.wait_for(alto.wait(), timeout=intervalo)
                except TimeoutError:
                    continue

        tarea = asyncio.create_task(bucle())
        try:
            yield
        finally:
            alto.set()
            await tarea
