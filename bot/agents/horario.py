"""Office hours of the help desk, e.g. "lun-vie 08:00-20:00" in America/Mexico_City, and the desk's clock."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["DIAS", "Horario", "HorarioInvalido", "Reloj", "en_utc", "reloj_del_sistema"]

#: A clock: tests inject their own, so waits and reminders are checked without sleeping.
Reloj = Callable[[], datetime]

DIAS = ("lun", "mar", "mie", "jue", "vie", "sab", "dom")
_NOMBRES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_FORMA = re.compile(r"^\s*(\w{3})\s*-\s*(\w{3})\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


def reloj_del_sistema() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def en_utc(momento: datetime) -> datetime:
    """An aware datetime: SQLite gives back naive ones, and every time the desk writes is UTC."""
    return momento if momento.tzinfo is not None else momento.replace(tzinfo=UTC)


class HorarioInvalido(ValueError):
    """AGENTES_HORARIO does not read as "lun-vie 08:00-20:00"; the message says what is expected."""


@dataclass(frozen=True)
class Horario:
    """Days (0 Monday … 6 Sunday) and hours when agents answer, in one time zone."""

    primer_dia: int
    ultimo_dia: int
    abre: time
    cierra: time
    zona: ZoneInfo

    @classmethod
    def leer(cls, texto: str, zona: str) -> Horario:
        """Read "lun-vie 08:00-20:00" (days lun…dom, 24-hour clock) in the IANA time zone `zona`."""
        forma = _FORMA.match(texto.lower())
        if forma is None or forma.group(1) not in DIAS or forma.group(2) not in DIAS:
            raise HorarioInvalido(
                f"El horario «{texto}» no se entiende; escríbelo como «lun-vie 08:00-20:00»."
            )
        h1, m1, h2, m2 = (int(forma.group(i)) for i in range(3, 7))
        if not (0 <= h1 < 24 and 0 <= h2 <= 24 and m1 < 60 and m2 < 60) or (h1, m1) >= (h2, m2):
            raise HorarioInvalido(f"En «{texto}» la hora de apertura debe ser antes que la de cierre.")
        cierra = time(23, 59, 59) if h2 == 24 else time(h2, m2)
        return cls(
            DIAS.index(forma.group(1)), DIAS.index(forma.group(2)), time(h1, m1), cierra, ZoneInfo(zona)
        )

    def _dia_habil(self, dia: int) -> bool:
        if self.primer_dia <= self.ultimo_dia:
            return self.primer_dia <= dia <= self.ultimo_dia
        return dia >= self.primer_dia or dia <= self.ultimo_dia

    def abierto(self, momento: datetime) -> bool:
        """Whether agents answer at `momento` (an aware datetime)."""
        local = momento.astimezone(self.zona)
        return self._dia_habil(local.weekday()) and self.abre <= local.time() < self.cierra

    def proxima_apertura(self, momento: datetime) -> datetime:
        """The next opening after `momento` (the same moment if open now), in the desk's zone."""
        local = momento.astimezone(self.zona)
        if self.abierto(local):
            return local
        for dias in range(8):
            fecha = (local + timedelta(days=dias)).date()
            apertura = datetime.combine(fecha, self.abre, tzinfo=self.zona)
            if self._dia_habil(fecha.weekday()) and apertura > local:
                return apertura
        raise HorarioInvalido("El horario no tiene ningún día hábil.")

    def cuando(self, momento: datetime) -> str:
        """The next opening in words, for the person: "hoy a las 8:00", "mañana…", "el lunes…"."""
        apertura = self.proxima_apertura(momento)
        local = momento.astimezone(self.zona).date()
        hora = f"{apertura.hour}:{apertura.minute:02d}"
        dias = (apertura.date() - local).days
        if dias == 0:
            return f"hoy a las {hora}"
        if dias == 1:
            return f"mañana a las {hora}"
        return f"el {_NOMBRES[apertura.weekday()]} a las {hora}"

    def describir(self) -> str:
        """The office hours in words: "de lunes a viernes de 8:00 a 20:00"."""
        abre = f"{self.abre.hour}:{self.abre.minute:02d}"
        cierra = (
            "24:00" if self.cierra == time(23, 59, 59) else f"{self.cierra.hour}:{self.cierra.minute:02d}"
        )
        return f"de {_NOMBRES[self.primer_dia]} a {_NOMBRES[self.ultimo_dia]} de {abre} a {cierra}"
