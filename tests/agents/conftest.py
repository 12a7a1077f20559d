"""Fixtures for the help desk: the assistant on a fresh database, a clock the tests move, the app served
on loopback, and logged-in console clients."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from actions.servicios import instalar
from bot.container import Container, build_container
from bot.web.app import create_app
from tests.channels.botapi import serve_in_thread
from tests.helpers import make_settings

#: A Monday, 11:00 in Mexico City: agents are in.
LUNES_11 = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)
#: A Saturday, 12:00 in Mexico City: nobody answers until Monday at 8:00.
SABADO_12 = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
PASSWORD = "Contraseña-larga-de-prueba-1"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Reloj:
    """A clock that only moves when a test says so."""

    ahora: datetime = LUNES_11

    def __call__(self) -> datetime:
        return self.ahora

    def avanzar(self, **cuanto: float) -> None:
        """Move the clock forward."""
        self.ahora += timedelta(**cuanto)


@pytest.fixture
def reloj() -> Reloj:
    """The desk's clock, on a Monday morning."""
    return Reloj()


def build(tmp_path: Path, nlu_cache_dir: Path, reloj: Reloj, **overrides: Any) -> Container:
    """The assistant on embedded defaults; reviewed NLU examples go to a temporary file, never the repo's."""
    settings = make_settings(
        tmp_path / "datos",
        nlu_cache_dir,
        nlu_revisados_file=tmp_path / "nlu" / "revisados.yml",
        agentes_intervalo_segundos=3600,
        **overrides,
    )
    built = build_container(settings)
    built.mesa.poner_reloj(reloj)
    return built


@pytest.fixture
def container(tmp_path: Path, nlu_cache_dir: Path, reloj: Reloj) -> Iterator[Container]:
    """The assistant with its help desk, the clock in the test's hands."""
    built = build(tmp_path, nlu_cache_dir, reloj)
    built.mesa.cuentas.crear("ana", "agente", PASSWORD)
    built.mesa.cuentas.crear("beto", "agente", PASSWORD)
    built.mesa.cuentas.crear("sofia", "supervisor", PASSWORD)
    yield built
    instalar(None)
    built.db.dispose()


@pytest.fixture
def web(container: Container) -> Iterator[str]:
    """The web app served by uvicorn on a free loopback port (lifespan included)."""
    with serve_in_thread(create_app(container)) as url:
        yield url


def csrf_de(html: str) -> str:
    """The CSRF token of the first form in a page."""
    encontrado = _CSRF.search(html)
    assert encontrado is not None, "the page has no form with a CSRF token"
    return encontrado.group(1)


@dataclass
class Agente:
    """A console user over HTTP: a cookie jar, the session's CSRF token, and helpers."""

    client: httpx.Client
    csrf: str = ""
    refs: dict[str, str] = field(default_factory=dict)

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A JSON API call with the session's CSRF header."""
        headers = {"x-csrf-token": self.csrf, **kwargs.pop("headers", {})}
        return self.client.request(method, path, headers=headers, **kwargs)

    def lista(self, **filtros: str) -> list[dict[str, Any]]:
        """The conversation list from the API."""
        respuesta = self.client.get("/api/agentes/conversaciones", params=filtros)
        assert respuesta.status_code == 200, respuesta.text
        filas: list[dict[str, Any]] = respuesta.json()
        return filas

    def form(self, path: str, **datos: Any) -> httpx.Response:
        """Post a console form with the session's CSRF token."""
        return self.client.post(path, data={"csrf": self.csrf, **datos})


def entrar(url: str, usuario: str, password: str = PASSWORD, **headers: str) -> tuple[Agente, httpx.Response]:
    """Log in through the form, as a browser would; the agent and the login's response."""
    client = httpx.Client(base_url=url, timeout=30, follow_redirects=False)
    formulario = client.get("/agentes/login")
    respuesta = client.post(
        "/agentes/login",
        data={"usuario": usuario, "password": password, "csrf": csrf_de(formulario.text)},
        headers=headers,
    )
    agente = Agente(client)
    sesion = client.get("/api/agentes/sesion") if respuesta.status_code == 303 else None
    if sesion is not None and sesion.status_code == 200:
        agente.csrf = sesion.json()["csrf"]
    return agente, respuesta


def _conectado(url: str, usuario: str) -> Iterator[Agente]:
    agente, respuesta = entrar(url, usuario)
    assert respuesta.status_code == 303
    yield agente
    agente.client.close()


@pytest.fixture
def ana(web: str) -> Iterator[Agente]:
    """Agent Ana, logged in."""
    yield from _conectado(web, "ana")


@pytest.fixture
def sofia(web: str) -> Iterator[Agente]:
    """Supervisor Sofía, logged in."""
    yield from _conectado(web, "sofia")


class Persona:
    """Someone in the web chat, through its public API."""

    def __init__(self, url: str) -> None:
        self.client = httpx.Client(base_url=url, timeout=60)
        self.token = self.client.post("/api/webchat/conversations").json()["conversation_id"]

    def say(self, text: str) -> str:
        """Send a message; the replies' texts."""
        respuesta = self.client.post(f"/api/webchat/{self.token}/messages", json={"text": text})
        assert respuesta.status_code == 200, respuesta.text
        return "\n".join(r["text"] for r in respuesta.json())

    def mensajes(self) -> list[dict[str, Any]]:
        """Every message of the conversation, as the web chat polls them."""
        respuesta = self.client.get(f"/api/webchat/{self.token}/messages")
        assert respuesta.status_code == 200
        mensajes: list[dict[str, Any]] = respuesta.json()
        return mensajes


@pytest.fixture
def persona(web: str) -> Iterator[Persona]:
    """A person in the web chat."""
    alguien = Persona(web)
    yield alguien
    alguien.client.close()


# Fixtures of other suites, shared: the Bot API and Graph API stand-ins, Debian's chromium and axe-core.
from tests.channels.conftest import botapi  # noqa: E402, F401
from tests.channels.test_whatsapp import graph  # noqa: E402, F401
from tests.web.conftest import browser_requirements, open_browser  # noqa: E402, F401
