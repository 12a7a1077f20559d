"""The one root of domain errors: each says, in Spanish, what is wrong and what the person can do."""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = ["TramiteError"]


class TramiteError(Exception):
    """Base of every domain error; `mensaje` is for the person, `detalle` (optional) for operators' logs.

    A subclass states its message once, as data: `MENSAJE` is a template whose `{campos}` are filled
    from the keyword arguments, which also become attributes, e.g. `CurpNoRegistrada(curp=c).curp`.
    An explicit `mensaje` wins over the template.
    """

    MENSAJE: ClassVar[str] = (
        'No pude completar tu trámite. Inténtalo de nuevo en un momento o escribe "agente".'
    )

    def __init__(self, mensaje: str | None = None, *, detalle: str | None = None, **datos: Any) -> None:
        self.__dict__.update(datos)
        self.mensaje: str = mensaje or self.MENSAJE.format(**datos)
        # Never put key bytes, passwords or full identity numbers in `detalle`: it is meant for logs.
        self.detalle: str | None = detalle
        super().__init__(self.mensaje)
