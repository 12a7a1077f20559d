"""Agents' and supervisors' accounts: argon2id password hashes, and a 15-minute lock after 5 failed logins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.agents.horario import Reloj, en_utc, reloj_del_sistema
from bot.agents.tablas import CUENTAS

__all__ = [
    "BLOQUEO",
    "INTENTOS",
    "CredencialesInvalidas",
    "Cuenta",
    "CuentaBloqueada",
    "CuentaInvalida",
    "Cuentas",
    "Rol",
]

Rol = Literal["agente", "supervisor"]
ROLES: tuple[Rol, ...] = ("agente", "supervisor")
#: Failed logins in a row that lock the account, and for how long.
INTENTOS = 5
BLOQUEO = timedelta(minutes=15)
_MIN_PASSWORD = 12


@dataclass(frozen=True)
class Cuenta:
    """Who is logged in."""

    usuario: str
    rol: Rol

    @property
    def supervisor(self) -> bool:
        """Supervisors also see the audit log and the NLU review queue."""
        return self.rol == "supervisor"


class CredencialesInvalidas(Exception):
    """Wrong user or password (the message never says which)."""


class CuentaBloqueada(Exception):
    """Too many failed logins: the account waits until `hasta`."""

    def __init__(self, hasta: datetime) -> None:
        super().__init__(f"La cuenta está bloqueada hasta {hasta.isoformat()}")
        self.hasta = hasta


class CuentaInvalida(ValueError):
    """A new account cannot be made as asked; the message says why, in Spanish."""


class Cuentas:
    """Creates accounts and checks logins against the database."""

    def __init__(self, db: Engine, reloj: Reloj = reloj_del_sistema) -> None:
        self.db = db
        self.reloj = reloj
        # argon2id with the library's defaults (RFC 9106's second recommended set).
        self._hasher = PasswordHasher()

    @cached_property
    def _señuelo(self) -> str:
        """A hash unknown users are checked against, so they take as long as known ones (made once)."""
        return self._hasher.hash("no-es-una-cuenta")

    def crear(self, usuario: str, rol: str, password: str) -> Cuenta:
        """Add an account; refuses an odd user name, an unknown role, a short password or a taken name."""
        usuario = usuario.strip()
        if not usuario or len(usuario) > 64 or not all(c.isalnum() or c in "._-" for c in usuario):
            raise CuentaInvalida("El usuario lleva letras, números, punto, guion o guion bajo (hasta 64).")
        if rol not in ROLES:
            raise CuentaInvalida("El rol es «agente» o «supervisor».")
        if len(password) < _MIN_PASSWORD:
            raise CuentaInvalida(f"La contraseña debe tener al menos {_MIN_PASSWORD} caracteres.")
        valores = {"usuario": usuario, "rol": rol, "hash": self._hasher.hash(password), "fallidos": 0}
        try:
            with self.db.begin() as conexion:
                conexion.execute(insert(CUENTAS).values(**valores, creada=self.reloj()))
        except IntegrityError:
            raise CuentaInvalida(f"Ya existe la cuenta «{usuario}».") from None
        return Cuenta(usuario, rol)

    def autenticar(self, usuario: str, password: str) -> Cuenta:
        """The account, if the password is right and the account not locked; the 5th failure locks it."""
        ahora = self.reloj()
        with self.db.connect() as conexion:
            fila = conexion.execute(select(CUENTAS).where(CUENTAS.c.usuario == usuario.strip())).first()
        if fila is None:
            self._verificar(self._señuelo, password)
            raise CredencialesInvalidas()
        bloqueada = en_utc(fila.bloqueada_hasta) if fila.bloqueada_hasta is not None else None
        if bloqueada is not None and bloqueada > ahora:
            raise CuentaBloqueada(bloqueada)
        if not self._verificar(fila.hash, password):
            self._fallo(fila.usuario, ahora)
            raise CredencialesInvalidas()
        with self.db.begin() as conexion:
            conexion.execute(
                update(CUENTAS)
                .where(CUENTAS.c.usuario == fila.usuario)
                .values(fallidos=0, bloqueada_hasta=None)
            )
        return Cuenta(fila.usuario, fila.rol)

    def _verificar(self, hash_: str, password: str) -> bool:
        try:
            return self._hasher.verify(hash_, password)
        except (VerificationError, InvalidHashError):
            return False

    def _fallo(self, usuario: str, ahora: datetime) -> None:
        """Count a failure in one statement (concurrent logins each count); lock at the limit."""
        with self.db.begin() as conexion:
            fallidos = conexion.execute(
                update(CUENTAS)
                .where(CUENTAS.c.usuario == usuario)
                .values(fallidos=CUENTAS.c.fallidos + 1)
                .returning(CUENTAS.c.fallidos)
            ).scalar_one()
            if fallidos >= INTENTOS:
                conexion.execute(
                    update(CUENTAS)
                    .where(CUENTAS.c.usuario == usuario)
                    .values(fallidos=0, bloqueada_hasta=ahora + BLOQUEO)
                )
