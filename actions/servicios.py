"""The services the actions use, installed by whoever starts them; this module builds nothing itself.

In-process, the composition root (`bot.container`) installs them; for a rasa-sdk action server, the
start-up module (`python -m bot.action_server`) does. Tests install services built from tramites parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from tramites.correo import Correo
from tramites.efirma.configuracion import ConfigEfirma
from tramites.efirma.custodia import SqlCustodia
from tramites.limites import Limitador
from tramites.puertos import Puertos

__all__ = ["ZONA", "Servicios", "ServiciosNoInstalados", "instalar", "servicios"]

ZONA = ZoneInfo("America/Mexico_City")


@dataclass
class Servicios(Puertos):
    """The trámites' ports (registry, issuer, clock) plus the upload custody, trust store and rate limits."""

    vault: SqlCustodia | None = None
    #: Rate limits per sender and identity (data/limites.yml); None: nothing is limited (unit tests).
    limites: Limitador | None = None
    #: Email delivery of documents (outbox folder or SMTP_URL); None: no email (unit tests).
    correo: Correo | None = None
    efirma: ConfigEfirma = field(default_factory=ConfigEfirma)


class ServiciosNoInstalados(RuntimeError):
    """An action ran before anything installed the services."""


_actual: Servicios | None = None


def instalar(nuevos: Servicios | None) -> None:
    """Install the services the actions use (None uninstalls them)."""
    global _actual
    _actual = nuevos


def servicios() -> Servicios:
    """The installed services; raises `ServiciosNoInstalados` when nothing installed them."""
    if _actual is None:
        raise ServiciosNoInstalados(
            "No services are installed for the actions: the composition root (bot.container) or the "
            "action server's start-up module (python -m bot.action_server) installs them with "
            "actions.servicios.instalar()."
        )
    return _actual
