"""The engine's message rate limit (`RateLimit` port) on the shared database limiter (`tramites.limites`).

Rule `mensajes` of data/limites.yml: at most that many messages per sender and channel within its window,
counted in the database so every worker sees the same count.
"""

from __future__ import annotations

from bot.engine.ports import RateVerdict
from tramites.limites import Limitador

__all__ = ["REGLA_MENSAJES", "LimiteMensajes"]

#: The rule of data/limites.yml that limits each sender's messages.
REGLA_MENSAJES = "mensajes"


class LimiteMensajes:
    """`RateLimit` over a `Limitador`: one attempt of rule `mensajes` per message, per channel and sender."""

    def __init__(self, limitador: Limitador) -> None:
        self._limitador = limitador

    def admit(self, channel: str, sender: str) -> RateVerdict:
        """Count one message of `sender` on `channel`; refused ones say how many seconds to wait."""
        decision = self._limitador.intentar(REGLA_MENSAJES, f"{channel}\n{sender}")
        if decision.permitido:
            return RateVerdict(allowed=True)
        return RateVerdict(allowed=False, retry_in_seconds=decision.segundos_restantes)

    def purge(self) -> int:
        """Forget counted events (of every rule) older than the longest window."""
        return self._limitador.purgar()
