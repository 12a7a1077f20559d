"""Console sessions: a random token in an HttpOnly cookie, only its hash stored, a CSRF token, an expiry."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, delete, insert, select

from bot.agents.cuentas import Cuenta
from bot.agents.horario import Reloj, en_utc, reloj_del_sistema
from bot.agents.tablas import CUENTAS, SESIONES

__all__ = ["Sesion", "Sesiones"]


@dataclass(frozen=True)
class Sesion:
    """A logged-in agent: the account and the CSRF token every form and API write must carry."""

    cuenta: Cuenta
    csrf: str

    def csrf_valido(self, enviado: str | None) -> bool:
        """Whether a form's or header's token is this session's (constant-time comparison)."""
        return bool(enviado) and hmac.compare_digest(str(enviado), self.csrf)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Sesiones:
    """Opens, reads and closes sessions; an expired one is as good as none."""

    def __init__(self, db: Engine, duracion: timedelta, reloj: Reloj = reloj_del_sistema) -> None:
        self.db = db
        self.duracion = duracion
        self.reloj = reloj

    def abrir(self, cuenta: Cuenta) -> tuple[str, Sesion]:
        """A new session for the account: the cookie's token and the session."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        ahora = self.reloj()
        with self.db.begin() as conexion:
            # Expired sessions go whenever someone logs in: the table stays small without a job.
            conexion.execute(delete(SESIONES).where(SESIONES.c.vence < ahora))
            conexion.execute(
                insert(SESIONES).values(
                    token_hash=_hash(token),
                    usuario=cuenta.usuario,
                    csrf=csrf,
                    creada=ahora,
                    vence=ahora + self.duracion,
                )
            )
        return token, Sesion(cuenta, csrf)

    def leer(self, token: str | None) -> Sesion | None:
        """The session of a cookie's token, unless it is unknown or expired."""
        if not token or len(token) > 128:
            return None
        consulta = (
            select(SESIONES.c.csrf, SESIONES.c.vence, CUENTAS.c.usuario, CUENTAS.c.rol)
            .join(CUENTAS, CUENTAS.c.usuario == SESIONES.c.usuario)
            .where(SESIONES.c.token_hash == _hash(token))
        )
        with self.db.connect() as conexion:
            fila = conexion.execute(consulta).first()
        if fila is None:
            return None
        if en_utc(fila.vence) <= self.reloj():
            return None
        return Sesion(Cuenta(fila.usuario, fila.rol), fila.csrf)

    def cerrar(self, token: str | None) -> None:
        """End the session (logout)."""
        if token:
            with self.db.begin() as conexion:
                conexion.execute(delete(SESIONES).where(SESIONES.c.token_hash == _hash(token)))
