"""The console's session handling: the cookie, who is logged in, CSRF checks, and what needs a supervisor.

- Session cookie `agentes_sesion`: a random token (only its hash is stored), HttpOnly, SameSite=Strict,
  Secure when the request came over https, expiring with the session (AGENTES_SESION_HORAS).
- Pages without a session redirect to `/agentes/login` (303); the JSON API answers 401.
- CSRF: every form carries the session's token in a hidden `csrf` field; the JSON API's writes carry it
  in the `X-CSRF-Token` header (a client reads it from `GET /api/agentes/sesion`). The login form,
  before any session, uses a double-submit cookie. SameSite=Strict is a second line, not the only one.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, Response

from bot.agents.mesa import Mesa
from bot.agents.sesiones import Sesion
from bot.container import Container

__all__ = [
    "COOKIE",
    "COOKIE_LOGIN",
    "CSRF_HEADER",
    "Api",
    "ApiEscritura",
    "Pagina",
    "borrar_cookie",
    "get_mesa",
    "nuevo_token_login",
    "poner_cookie",
    "revisar_csrf",
    "supervisor",
    "token_login_valido",
]

COOKIE = "agentes_sesion"
COOKIE_LOGIN = "agentes_login"
CSRF_HEADER = "x-csrf-token"


def get_mesa(request: Request) -> Mesa:
    """The help desk of the app's container."""
    container: Container = request.app.state.container
    return container.mesa


def _segura(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def poner_cookie(
    request: Request, response: Response, nombre: str, valor: str, segundos: int, path: str
) -> None:
    """Set a console cookie: HttpOnly, SameSite=Strict, Secure under https."""
    response.set_cookie(
        nombre, valor, max_age=segundos, path=path, httponly=True, samesite="strict", secure=_segura(request)
    )


def borrar_cookie(request: Request, response: Response, nombre: str, path: str) -> None:
    """Remove a console cookie."""
    response.delete_cookie(nombre, path=path, httponly=True, samesite="strict", secure=_segura(request))


def nuevo_token_login() -> str:
    """The login form's double-submit token."""
    return secrets.token_urlsafe(24)


def token_login_valido(request: Request, enviado: str | None) -> bool:
    """Whether the login form's token matches its cookie."""
    cookie = request.cookies.get(COOKIE_LOGIN)
    return bool(cookie and enviado) and hmac.compare_digest(str(cookie), str(enviado))


def _sesion(request: Request) -> Sesion | None:
    return get_mesa(request).sesiones.leer(request.cookies.get(COOKIE))


def sesion_de_pagina(request: Request) -> Sesion:
    """The logged-in agent, or a redirect to the login page."""
    sesion = _sesion(request)
    if sesion is None:
        raise HTTPException(status_code=303, headers={"Location": "/agentes/login"})
    return sesion


def sesion_de_api(request: Request) -> Sesion:
    """The logged-in agent, or 401."""
    sesion = _sesion(request)
    if sesion is None:
        raise HTTPException(status_code=401, detail="Inicia sesión en la consola de agentes.")
    return sesion


def sesion_de_api_escritura(request: Request) -> Sesion:
    """The logged-in agent of an API write: the session and its CSRF header, or 401/403."""
    sesion = sesion_de_api(request)
    if not sesion.csrf_valido(request.headers.get(CSRF_HEADER)):
        raise HTTPException(status_code=403, detail="Falta el encabezado X-CSRF-Token de tu sesión.")
    return sesion


def revisar_csrf(sesion: Sesion, enviado: str | None) -> None:
    """Refuse a form whose CSRF token is not the session's (403)."""
    if not sesion.csrf_valido(enviado):
        raise HTTPException(status_code=403, detail="El formulario venció; recarga la página.")


def supervisor(sesion: Sesion) -> None:
    """Refuse an agent where a supervisor is needed (403)."""
    if not sesion.cuenta.supervisor:
        raise HTTPException(status_code=403, detail="Solo para supervisores.")


Pagina = Annotated[Sesion, Depends(sesion_de_pagina)]
Api = Annotated[Sesion, Depends(sesion_de_api)]
ApiEscritura = Annotated[Sesion, Depends(sesion_de_api_escritura)]
