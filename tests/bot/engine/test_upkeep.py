"""Upkeep at the start of turns: expired held files go within a second, old counts within a minute."""

from __future__ import annotations

from bot.engine.ports import RateVerdict
from bot.engine.upkeep import Upkeep


class Contador:
    """Counts the purges asked of it (held files and rate-limit counts)."""

    def __init__(self) -> None:
        self.held = 0
        self.counts = 0

    def purge_expired(self) -> int:
        self.held += 1
        return 0

    def admit(self, channel: str, sender: str) -> RateVerdict:
        return RateVerdict(allowed=True)

    def purge(self) -> int:
        self.counts += 1
        return 0


def test_turns_purge_held_files_each_second_and_counts_each_minute() -> None:
    reloj = [100.0]
    partes = Contador()
    upkeep = Upkeep(partes, partes, clock=lambda: reloj[0])  # type: ignore[arg-type]
    for _ in range(50):  # a burst of turns within one second
        upkeep.run()
    assert (partes.held, partes.counts) == (1, 1)
    reloj[0] += 1.0
    upkeep.run()
    assert (partes.held, partes.counts) == (2, 1)
    reloj[0] += 60.0
    upkeep.run()
    assert (partes.held, partes.counts) == (3, 2)
