"""The web chat page in Debian's headless chromium, served on 127.0.0.1 under the strict CSP.

What a person would notice: typing and tapping through a trámite down to the PDF, uploading the e.firma
certificate from the attachment button, a reload that keeps the conversation, a message added elsewhere
that shows up by itself, errors that keep what was typed, the keyboard, and axe-core's verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import FilePayload, Locator, Page, Route, expect

from actions.servicios import servicios
from tests.efirma_factory import CaPrueba, crear_fiel
from tests.helpers import pdf_text
from tests.web.conftest import CSP, Browser, BrowserSession
from tramites.identidad import digito_rfc
from tramites.registro import Persona

TOKEN_KEY = "asistente-imss.conversacion"
BOT = "#mensajes li.mensaje.asistente[data-seq]"
PERSON = "#mensajes li.mensaje.persona"

OpenBrowser = Callable[..., BrowserSession]


# ----------------------------------------------------------------------------------------- helpers


def open_chat(session: BrowserSession, url: str) -> Page:
    """The chat page, loaded with the CSP header and its history drawn."""
    page = session.context.pages[0] if session.context.pages else session.context.new_page()
    response = page.goto(url)
    assert response is not None and response.headers.get("content-security-policy") == CSP
    wait_until_ready(page)
    return page


def wait_until_ready(page: Page) -> None:
    """Wait until the page has its conversation token and has drawn the history."""
    page.wait_for_selector("body[data-listo='si']", state="attached")


def replies_to(page: Page, act: Callable[[], None]) -> str:
    """Do something that sends a message; return the text of the bot bubbles it brought."""
    before = page.locator(BOT).count()
    act()
    page.wait_for_function(
        "n => document.querySelectorAll('#mensajes li.mensaje.asistente[data-seq]').length > n"
        " && document.getElementById('escribiendo').hidden",
        arg=before,
    )
    return "\n".join(page.locator(BOT).all_inner_texts()[before:])


def say(page: Page, text: str) -> str:
    """Type a message and press Enter, as a person would; return the bot's answer."""
    box = page.get_by_label("Escribe tu mensaje")

    def act() -> None:
        box.fill(text)
        box.press("Enter")

    return replies_to(page, act)


def tap(page: Page, button: Locator) -> str:
    """Tap one of the bot's buttons; return the bot's answer."""
    return replies_to(page, button.click)


def token_of(page: Page) -> str:
    """The conversation token the page keeps in localStorage."""
    token = page.evaluate(f"localStorage.getItem('{TOKEN_KEY}')")
    assert isinstance(token, str)
    return token


def transcript(web: str, token: str) -> list[dict[str, Any]]:
    """The conversation as the API tells it."""
    response = httpx.get(f"{web}/api/webchat/{token}/messages", timeout=30)
    assert response.status_code == 200
    messages: list[dict[str, Any]] = response.json()
    return messages


def assert_screen_matches_transcript(page: Page, web: str) -> None:
    """Every message of the conversation is on screen once, in order, and nothing else is pending."""
    messages = transcript(web, token_of(page))
    bubbles = page.locator("#mensajes li[data-seq]").evaluate_all(
        "els => els.map(e => ({seq: Number(e.dataset.seq), text: e.querySelector('.texto').textContent}))"
    )
    assert [b["seq"] for b in bubbles] == [m["seq"] for m in messages]
    for bubble, message in zip(bubbles, messages, strict=True):
        if message["author"] == "asistente":
            assert message["text"] in bubble["text"]
    assert page.locator("#mensajes li.pendiente, #mensajes li.provisional").count() == 0


def nss_until_the_pdf(page: Page, persona: Persona, *, greeted: bool = False) -> Locator:
    """The NSS trámite from a greeting, by typing and tapping; returns the PDF link it ends with."""
    if not greeted:
        assert "Soy el asistente" in say(page, "hola")
    assert "CURP" in tap(page, page.get_by_role("button", name="Consultar mi NSS"))
    assert "correo" in say(page, persona.curp)
    assert persona.nss is not None and persona.nss in say(page, persona.email or "")
    link = page.locator("#mensajes a.documento")
    expect(link).to_have_count(1)
    return link


def demo_persona() -> Persona:
    """A person of the demo registry with an NSS and an email on file."""
    return next(p for p in servicios().registro.listar_personas(50) if p.email and p.nss)


def answer_with(status: int, headers: dict[str, str]) -> Callable[[Route], None]:
    """A route handler that answers in the server's stead with this status."""
    return lambda route: route.fulfill(status=status, headers=headers, body="{}")


def is_post_of_messages(url: str) -> bool:
    """Route filter: the messages endpoint without a query (GET polls carry `?after=`)."""
    return url.endswith("/messages")


# ------------------------------------------------------------------------------------------- tests


def test_a_whole_nss_conversation_typed_and_tapped_ends_with_a_pdf_download(
    open_browser: OpenBrowser,
    web_csp: str,
    tmp_path: Path,
    capturas: Path,
) -> None:
    persona = demo_persona()
    session = open_browser()
    page = open_chat(session, web_csp)
    expect(page.get_by_role("button", name="Ver trámites")).to_be_visible()

    link = nss_until_the_pdf(page, persona)
    expect(page.get_by_role("button", name="Ver trámites")).to_be_hidden()
    # The tapped option reads as its title; its payload is never shown, and spent options are disabled.
    expect(page.locator(PERSON, has_text="Consultar mi NSS")).to_have_count(1)
    expect(page.locator("#mensajes")).not_to_contain_text("/obtener_nss")
    expect(page.get_by_role("button", name="Consultar mi NSS")).to_be_disabled()
    # The picture of the page in docs/: a phone mid-conversation, options tapped, a PDF to download.
    assert page.viewport_size == {"width": 390, "height": 844}
    screenshot = capturas / "webchat-movil.png"
    page.screenshot(path=screenshot)
    assert screenshot.read_bytes().startswith(b"\x89PNG")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    (tmp_path / "nss.pdf").write_bytes(pdf)
    assert persona.curp in pdf_text(tmp_path / "nss.pdf")

    assert_screen_matches_transcript(page, web_csp)
    assert session.csp_violations == []


def test_the_page_runs_under_the_strict_csp_and_loads_nothing_from_elsewhere(
    open_browser: OpenBrowser, web_csp: str
) -> None:
    session = open_browser()
    page = open_chat(session, web_csp)
    say(page, "hola")
    page.reload()
    wait_until_ready(page)
    assert session.csp_violations == []
    assert session.requests and all(url.startswith(web_csp + "/") for url in session.requests)
    # The watch is live: an inline style attribute, which the policy forbids, is reported.
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<b style=\"color: red\">x</b>')")
    for _ in range(100):
        if session.csp_violations:
            break
        page.wait_for_timeout(50)
    assert any("style-src" in v for v in session.csp_violations), session.csp_violations


def test_an_efirma_certificate_goes_up_from_the_attachment_button(
    open_browser: OpenBrowser, web_csp: str, ca: CaPrueba
) -> None:
    persona = demo_persona()
    base = persona.curp[:10] + "K7"
    rfc = base + digito_rfc(base)
    cer, key, password = crear_fiel(ca, rfc, persona.curp, persona.nombre_completo.upper())
    session = open_browser()
    page = open_chat(session, web_csp)
    assert "CURP" in say(page, "quiero crear mi cuenta con efirma")
    assert "RFC" in say(page, persona.curp)
    assert ".cer" in say(page, rfc)

    attach = page.get_by_role("button", name="Adjuntar archivo de tu e.firma (.cer o .key)")
    assert page.locator("#archivo").get_attribute("accept") == ".cer,.key"
    with page.expect_file_chooser() as chooser_info:
        attach.click()
    chooser = chooser_info.value
    certificate: FilePayload = {"name": "mi_efirma.cer", "mimeType": "application/pkix-cert", "buffer": cer}
    answer = replies_to(page, lambda: chooser.set_files(files=certificate))
    assert "Recibí tu certificado" in answer and ".key" in answer
    expect(page.locator(PERSON).last).to_contain_text("mi_efirma.cer")

    # The key goes up the same way; the password typed next does not stay on screen.
    with page.expect_file_chooser() as chooser_info:
        attach.click()
    private_key: FilePayload = {"name": "llave.key", "mimeType": "application/octet-stream", "buffer": key}
    assert "contraseña" in replies_to(page, lambda: chooser_info.value.set_files(files=private_key))
    say(page, password)
    expect(page.locator(PERSON).last).to_contain_text("••••••")
    assert password not in page.locator("body").inner_text()
    assert_screen_matches_transcript(page, web_csp)
    assert session.csp_violations == []


def test_a_reload_keeps_the_conversation_and_later_messages_arrive_without_one(
    open_browser: OpenBrowser, web_csp: str
) -> None:
    session = open_browser()
    page = open_chat(session, web_csp)
    say(page, "hola")
    token = token_of(page)
    before = page.locator("#mensajes li").all_inner_texts()

    page.reload()
    wait_until_ready(page)
    assert token_of(page) == token
    assert page.locator("#mensajes li").all_inner_texts() == before
    expect(page.get_by_role("button", name="Consultar mi NSS")).to_be_enabled()

    # Someone else adds to this conversation (as an agent's reply will): only polling can bring it.
    with httpx.Client(base_url=web_csp, timeout=30) as other_client:
        added = other_client.post(
            f"/api/webchat/{token}/messages", json={"text": "quiero mi nss", "message_id": "otro-1"}
        )
        assert added.status_code == 200
    expect(page.locator(PERSON, has_text="quiero mi nss")).to_have_count(1)
    expect(page.locator(BOT).last).to_contain_text("CURP")
    expect(page.locator("#anuncios")).to_contain_text("CURP")  # screen readers hear it
    expect(page.get_by_role("button", name="Consultar mi NSS")).to_be_disabled()
    # The next message of the page itself is drawn once, the added ones stay once.
    say(page, "gracias")
    assert_screen_matches_transcript(page, web_csp)
    assert session.csp_violations == []


def test_a_token_the_server_does_not_know_starts_a_new_conversation(
    open_browser: OpenBrowser, web_csp: str
) -> None:
    session = open_browser()
    page = open_chat(session, web_csp)
    stale = "A" * 32  # well formed, but never handed out (as after a database reset)
    page.evaluate(f"localStorage.setItem('{TOKEN_KEY}', '{stale}')")
    page.reload()
    wait_until_ready(page)
    expect(page.locator("#mensajes li.nota")).to_contain_text("Empezamos una nueva")
    token = token_of(page)
    assert token != stale
    assert transcript(web_csp, token) == []
    assert "Soy el asistente" in say(page, "hola")


def test_errors_get_a_spanish_bubble_and_keep_the_typed_text(open_browser: OpenBrowser, web_csp: str) -> None:
    session = open_browser()
    page = open_chat(session, web_csp)
    box = page.get_by_label("Escribe tu mensaje")
    warning = page.locator("#mensajes li.aviso").last
    alert = page.get_by_role("alert")
    failures: list[tuple[int, dict[str, str], str]] = [
        (500, {}, "Algo falló de nuestro lado"),
        (429, {"Retry-After": "30"}, "Espera 30 segundos"),
        (413, {}, "demasiado largo"),
    ]
    for status, headers, said in failures:
        page.route(is_post_of_messages, answer_with(status, headers), times=1)
        box.fill("quiero mi nss")
        box.press("Enter")
        expect(warning).to_contain_text(said)
        expect(alert).to_contain_text(said)  # screen readers say it at once
        expect(box).to_have_value("quiero mi nss")
        expect(page.locator(PERSON)).to_have_count(0)

    # The server handles the message but its answer is lost on the way: a network error for the page.
    def lose_answer(route: Route) -> None:
        route.fetch()
        route.abort("connectionreset")

    page.route(is_post_of_messages, lose_answer, times=1)
    box.press("Enter")
    expect(warning).to_contain_text("No pude conectarme")
    expect(box).to_have_value("quiero mi nss")
    # Sending it again reuses its message id: the turn is not run twice, nor drawn twice.
    assert "CURP" in replies_to(page, lambda: box.press("Enter"))
    expect(box).to_have_value("")
    said_by_person = [m["text"] for m in transcript(web_csp, token_of(page)) if m["author"] == "persona"]
    assert said_by_person == ["quiero mi nss"]
    expect(page.locator(PERSON, has_text="quiero mi nss")).to_have_count(1)
    assert_screen_matches_transcript(page, web_csp)


def test_the_chat_works_from_the_keyboard_with_a_visible_focus(
    open_browser: OpenBrowser, web_csp: str
) -> None:
    session = open_browser()
    page = open_chat(session, web_csp)
    focused = "() => { const e = document.activeElement; return e.id || e.textContent.trim(); }"
    order = []
    for _ in range(7):
        page.keyboard.press("Tab")
        order.append(page.evaluate(focused))
    assert order == [
        "Ir a escribir un mensaje",
        "nueva",
        "conversacion",
        "empezar",
        "adjuntar",
        "texto",
        "enviar",
    ]
    page.keyboard.press("Shift+Tab")
    assert "Soy el asistente" in replies_to(page, lambda: page.keyboard.type("hola\n"))

    # From the box, back over the attachment button to the last option, and Enter chooses it.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(focused) == "Semanas cotizadas"
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert "CURP" in replies_to(page, lambda: page.keyboard.press("Enter"))
    expect(page.locator(PERSON).last).to_contain_text("Semanas cotizadas")
    # The chosen button is spent; the keyboard stays in the conversation instead of falling to <body>.
    assert page.evaluate("document.activeElement.id") == "conversacion"


def _serious_axe_violations(page: Page, axe: Path) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=axe)
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))}))"""
    )
    return found


def test_axe_finds_nothing_serious_empty_with_an_error_with_buttons_and_with_a_document(
    open_browser: OpenBrowser, web_csp: str, browser_requirements: Browser
) -> None:
    persona = demo_persona()
    # Playwright injects axe as an inline script, which the CSP would (rightly) block.
    session = open_browser(bypass_csp=True)
    page = open_chat(session, web_csp)
    axe = browser_requirements.axe
    assert _serious_axe_violations(page, axe) == [], "empty page"

    page.route(is_post_of_messages, answer_with(503, {}), times=1)
    page.get_by_label("Escribe tu mensaje").fill("hola")
    page.get_by_label("Escribe tu mensaje").press("Enter")
    expect(page.locator("#mensajes li.aviso")).to_have_count(1)
    assert _serious_axe_violations(page, axe) == [], "an error notice"

    say(page, "hola")
    expect(page.get_by_role("button", name="Consultar mi NSS")).to_be_enabled()
    assert _serious_axe_violations(page, axe) == [], "options to tap"

    nss_until_the_pdf(page, persona, greeted=True)
    assert _serious_axe_violations(page, axe) == [], "a document to download"


def test_the_new_conversation_button_leaves_the_old_one_behind(
    open_browser: OpenBrowser, web_csp: str
) -> None:
    session = open_browser()
    page = open_chat(session, web_csp)
    say(page, "hola")
    old = token_of(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Empezar una conversación nueva").click()
    page.wait_for_function(f"t => localStorage.getItem('{TOKEN_KEY}') !== t", arg=old)
    expect(page.locator("#mensajes li")).to_have_count(0)
    expect(page.get_by_role("button", name="Ver trámites")).to_be_visible()
    assert transcript(web_csp, token_of(page)) == []
    page.reload()
    wait_until_ready(page)
    expect(page.locator("#mensajes li")).to_have_count(0)
    # The old conversation is still the server's; this browser only stopped showing it.
    assert transcript(web_csp, old)[0]["text"] == "hola"


def test_a_pdf_link_older_than_its_life_is_fetched_again_before_it_opens(
    open_browser: OpenBrowser, web_csp: str
) -> None:
    persona = demo_persona()
    session = open_browser()
    page = session.context.pages[0]
    page.clock.install()
    page = open_chat(session, web_csp)
    link = nss_until_the_pdf(page, persona)
    seq = link.evaluate("a => Number(a.closest('li').dataset.seq)")
    page.clock.fast_forward("55:00")  # the link was signed for one hour
    asked_before = len(session.requests)
    with page.expect_download() as download_info:
        link.click()
    assert Path(download_info.value.path()).read_bytes().startswith(b"%PDF")
    assert (
        f"{web_csp}/api/webchat/{token_of(page)}/messages?after={seq - 1}" in session.requests[asked_before:]
    )
