"""The web app served by uvicorn on a free loopback port, over a container on a fresh database.

The second part is for browser tests: Debian's chromium driven by Playwright, with the page served under
the strict Content-Security-Policy the app sends (bot/web/headers.py).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import BrowserContext, ViewportSize, sync_playwright

from actions.servicios import instalar
from bot.container import Container, build_container
from bot.web.app import create_app
from bot.web.headers import CONTENT_SECURITY_POLICY
from tests.channels.botapi import serve_in_thread
from tests.conftest import REPO_ROOT
from tests.efirma_factory import CaPrueba, crear_ca
from tests.helpers import make_settings


@pytest.fixture(scope="session")
def ca(tmp_path_factory: pytest.TempPathFactory) -> CaPrueba:
    """A test CA; its folder is EFIRMA_CA_DIR, so e.firma files it issued are trusted."""
    return crear_ca(tmp_path_factory.mktemp("ca-confianza-web"))


@pytest.fixture
def container(tmp_path: Path, nlu_cache_dir: Path, ca: CaPrueba) -> Iterator[Container]:
    """The assistant on embedded defaults in a fresh data folder, trusting the test CA."""
    assert ca.ruta is not None
    built = build_container(make_settings(tmp_path / "datos", nlu_cache_dir, efirma_ca_dir=ca.ruta.parent))
    yield built
    instalar(None)
    built.db.dispose()


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def web(container: Container) -> Iterator[str]:
    """The app served by uvicorn on a free loopback port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# -------------------------------------------------------------------------------- browser tests

#: The policy the app sends on every response; the pages must work under exactly this.
CSP = CONTENT_SECURITY_POLICY
CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: A phone (iPhone 12-14 size): the page is mobile first.
PHONE: ViewportSize = {"width": 390, "height": 844}

# Records every CSP violation of every document in the context, reloads included, through a binding
# (a CDP channel the page's CSP does not govern).
_CSP_WATCH = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__avisarCsp(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@dataclass(frozen=True)
class Browser:
    """What the browser tests need from the machine: Debian's chromium and axe-core from npm."""

    chromium: Path
    axe: Path


@dataclass
class BrowserSession:
    """A fresh chromium profile on a phone-sized viewport, with what it saw recorded."""

    context: BrowserContext
    csp_violations: list[str]
    requests: list[str]


@pytest.fixture(scope="session")
def browser_requirements() -> Browser:
    """Chromium and axe-core, or a skip saying what is missing; with ASISTENTE_REQUIRE_BROWSER, a failure.

    CI sets ASISTENTE_REQUIRE_BROWSER, so a machine without them can never pass by skipping.
    """
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"{CHROMIUM} (apt-get install -y chromium)")
    if not AXE.is_file():
        missing.append(f"{AXE.relative_to(REPO_ROOT)} (npm ci)")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("ASISTENTE_REQUIRE_BROWSER"):
            pytest.fail(reason + ", and ASISTENTE_REQUIRE_BROWSER is set")
        pytest.skip(reason)
    return Browser(chromium=CHROMIUM, axe=AXE)


@pytest.fixture
def web_csp(container: Container) -> Iterator[str]:
    """The app served on loopback; its own middleware sends the strict CSP on every response."""
    with serve_in_thread(create_app(container)) as url:
        yield url


@pytest.fixture
def open_browser(
    browser_requirements: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[..., BrowserSession]]:
    """Opens headless chromium with a fresh user-data-dir; `bypass_csp=True` only for injecting axe."""
    contexts: list[BrowserContext] = []
    with sync_playwright() as playwright:

        def launch(*, bypass_csp: bool = False) -> BrowserSession:
            context = playwright.chromium.launch_persistent_context(
                tmp_path_factory.mktemp("chromium-perfil"),
                executable_path=str(browser_requirements.chromium),
                headless=True,
                args=CHROMIUM_ARGS,
                viewport=PHONE,
                locale="es-MX",
                accept_downloads=True,
                bypass_csp=bypass_csp,
            )
            contexts.append(context)
            session = BrowserSession(context=context, csp_violations=[], requests=[])
            context.expose_binding("__avisarCsp", lambda _source, text: session.csp_violations.append(text))
            context.add_init_script(_CSP_WATCH)
            context.on("request", lambda request: session.requests.append(request.url))
            context.set_default_timeout(20_000)
            return session

        yield launch
        for context in contexts:
            context.close()
