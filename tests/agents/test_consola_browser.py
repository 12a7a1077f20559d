"""The agents' console in Debian's headless chromium, served on 127.0.0.1 under the strict CSP.

A supervisor logs in, sees a web-chat conversation start waiting (the notice appears), opens its
transcript with the CURP masked, reveals it with a reason (and finds the audit row), replies (the web
chat user receives it), hands it back (the bot answers again) and reviews an NLU miss. Screenshots of the
list, the transcript and the review queue go to docs/capturas/ (with ASISTENTE_CAPTURAS=1).
axe-core checks the pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bot.container import Container
from bot.web.app import create_app
from nlu.datos import leer_ejemplos_yaml
from tests.agents.conftest import PASSWORD, Persona
from tests.channels.botapi import serve_in_thread
from tests.web.conftest import CSP, Browser, BrowserSession
from tests.web.test_webchat_browser import _serious_axe_violations

CURP = "XIQB891116MGRMZR05"
ESCRITORIO = {"width": 1280, "height": 900}

OpenBrowser = Callable[..., BrowserSession]


@pytest.fixture
def web(container: Container) -> Iterator[str]:
    """The app with the strict CSP header on every response (people in the web chat use it too)."""
    with serve_in_thread(create_app(container)) as url:
        yield url


def entrar(session: BrowserSession, url: str, usuario: str = "sofia") -> Page:
    """Open the console, get sent to the login, and log in as a person would."""
    page = session.context.pages[0] if session.context.pages else session.context.new_page()
    page.set_viewport_size(ESCRITORIO)  # type: ignore[arg-type]
    respuesta = page.goto(f"{url}/agentes")
    assert respuesta is not None and respuesta.headers.get("content-security-policy") == CSP
    expect(page).to_have_url(f"{url}/agentes/login")
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    expect(page).to_have_url(f"{url}/agentes")
    return page


def test_a_supervisor_takes_a_web_chat_conversation_from_the_live_list_to_the_hand_back(
    open_browser: OpenBrowser,
    web: str,
    persona: Persona,
    capturas: Path,
) -> None:
    session = open_browser()
    page = entrar(session, web)
    expect(page.locator("#aviso")).to_be_hidden()

    persona.say("quiero mi nss")
    persona.say(CURP)
    assert "lugar 1" in persona.say("quiero hablar con una persona")
    persona.say("<b>hola?</b> hay alguien?")

    # The waiting conversation appears by itself, with the notice, the CURP masked.
    fila = page.locator('#filas tr[data-estado="esperando"]')
    expect(fila).to_have_count(1)
    expect(page.locator("#aviso")).to_be_visible()
    expect(page.locator("#aviso")).to_contain_text("espera agente")
    expect(fila).to_contain_text("XIQB************05")
    expect(fila).to_contain_text("Consultar mi NSS")
    page.screenshot(path=str(capturas / "consola-lista.png"), full_page=True)

    fila.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Resumen del traspaso")).to_be_visible()
    transcripcion = page.locator("#transcripcion")
    expect(transcripcion).to_contain_text("XIQB************05")
    expect(transcripcion).to_contain_text("<b>hola?</b> hay alguien?")  # shown as typed, never as markup
    assert CURP not in page.content()
    page.screenshot(path=str(capturas / "consola-transcripcion.png"), full_page=True)

    # Reveal with a reason; the audit log has the row.
    page.get_by_role("checkbox", name="curp").check()
    motivo = "Verificar su CURP contra su acta de nacimiento"
    page.get_by_label("Motivo (queda registrado)").fill(motivo)
    page.get_by_role("button", name="Mostrar datos").click()
    expect(page.locator(".revelado")).to_have_text(CURP)

    # Reply; the web-chat user receives it. The transcript shows it too.
    page.get_by_label("Responder a la persona").fill("Hola, soy Sofía. Ya veo tu CURP, ¿qué necesitas?")
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("status")).to_have_text("Mensaje enviado.")
    textos = [m["text"] for m in persona.mensajes()]
    assert "Hola, soy Sofía. Ya veo tu CURP, ¿qué necesitas?" in textos
    assert "Hola, te atiende sofia, del equipo de IMSS Digital. Ya leí tu conversación." in textos
    expect(page.locator("#transcripcion .entrada.agente")).to_have_count(2)
    # A message from the person shows up in the open transcript by itself.
    persona.say("necesito la constancia de mi NSS")
    expect(page.locator("#transcripcion")).to_contain_text("necesito la constancia de mi NSS")

    page.get_by_role("button", name="Devolver al asistente").click()
    expect(page.get_by_role("status")).to_have_text("La conversación volvió con el asistente.")
    assert "Soy el asistente" in persona.say("hola")

    page.get_by_role("link", name="Auditoría").click()
    registro = page.locator('tr.registro[data-accion="mostrar_datos"]')
    expect(registro).to_have_count(1)
    expect(registro).to_contain_text(motivo)
    expect(registro).to_contain_text("sofia")
    expect(registro).to_contain_text("curp")
    assert session.csp_violations == []


def test_a_supervisor_reviews_an_nlu_miss(
    open_browser: OpenBrowser,
    web: str,
    container: Container,
    persona: Persona,
    capturas: Path,
) -> None:
    persona.say("lo del papel ese")
    persona.say("lo del papel ese")
    session = open_browser()
    page = entrar(session, web)
    page.get_by_role("link", name="Revisión del NLU").click()
    caso = page.locator("tr.caso", has_text="lo del papel ese")
    expect(caso).to_have_count(1)
    expect(caso.locator("td").nth(1)).to_have_text("2")
    page.screenshot(path=str(capturas / "consola-revision.png"), full_page=True)
    caso.get_by_label("Intención para «lo del papel ese»").select_option("obtener_nss")
    caso.get_by_role("button", name="Guardar").click()
    expect(page.get_by_role("status")).to_have_text("Revisión guardada.")
    expect(page.locator("tr.caso")).to_have_count(0)
    archivo = container.settings.effective_nlu_revisados_file
    assert [(e.text, e.intent) for e in leer_ejemplos_yaml(archivo)] == [("lo del papel ese", "obtener_nss")]
    assert session.csp_violations == []


def test_axe_finds_nothing_serious_in_the_console(
    open_browser: OpenBrowser, web: str, browser_requirements: Browser, persona: Persona
) -> None:
    persona.say("quiero hablar con una persona")
    # Playwright injects axe as an inline script, which the CSP would (rightly) block.
    session = open_browser(bypass_csp=True)
    page = entrar(session, web)
    axe = browser_requirements.axe
    assert _serious_axe_violations(page, axe) == [], "the list"
    page.locator('#filas tr[data-estado="esperando"]').get_by_role("link").click()
    assert _serious_axe_violations(page, axe) == [], "a transcript"
    page.get_by_role("link", name="Revisión del NLU").click()
    assert _serious_axe_violations(page, axe) == [], "the review queue"
    page.get_by_role("link", name="Auditoría").click()
    assert _serious_axe_violations(page, axe) == [], "the audit log"
    page.goto(f"{web}/agentes/login")
    assert _serious_axe_violations(page, axe) == [], "the login"
