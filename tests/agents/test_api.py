"""The console over real HTTP on loopback: who may come in, what they see, and what is recorded.

Real NLU, in-process actions, SQLite (or PostgreSQL with ASISTENTE_TEST_POSTGRES), the desk's clock in the
test's hands. People talk through the web chat's public API; agents through the console's forms and API.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from bot.container import Container
from bot.web.webchat import conversation_id_for
from tests.agents.conftest import SABADO_12, Agente, Persona, Reloj, entrar

CURP = "XIQB891116MGRMZR05"


def en_fila(persona: Persona) -> str:
    """The person asks for an agent; what the bot answered."""
    return persona.say("quiero hablar con una persona")


def ref_de(agente: Agente, persona: Persona) -> str:
    """The console's reference of the person's conversation."""
    refs = [str(f["id"]) for f in agente.lista()]
    assert len(refs) == 1
    return refs[0]


# ------------------------------------------------------------------------------------ access


def test_pages_redirect_to_the_login_and_the_api_answers_401_without_a_session(web: str) -> None:
    anonimo = httpx.Client(base_url=web, timeout=30, follow_redirects=False)
    for pagina in ("/agentes", "/agentes/revision", "/agentes/auditoria", "/agentes/conversaciones/x"):
        respuesta = anonimo.get(pagina)
        assert respuesta.status_code == 303 and respuesta.headers["location"] == "/agentes/login", pagina
    assert anonimo.get("/api/agentes/conversaciones").status_code == 401
    assert anonimo.get("/api/agentes/conversaciones/x").status_code == 401
    assert anonimo.post("/api/agentes/conversaciones/x/mensajes", json={"text": "hola"}).status_code == 401
    # A made-up session cookie is no session.
    anonimo.cookies.set("agentes_sesion", "inventada")
    assert anonimo.get("/api/agentes/conversaciones").status_code == 401


def test_login_sets_a_strict_httponly_cookie_secure_under_https_and_logout_ends_it(web: str) -> None:
    agente, respuesta = entrar(web, "ana")
    cookie = respuesta.headers["set-cookie"]
    assert "agentes_sesion=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    assert agente.client.get("/agentes").status_code == 200
    assert agente.client.post("/agentes/salir", data={"csrf": agente.csrf}).status_code == 303
    assert agente.client.get("/api/agentes/conversaciones").status_code == 401

    _segura, por_https = entrar(web, "ana", **{"x-forwarded-proto": "https"})
    assert "Secure" in por_https.headers["set-cookie"]


def test_sessions_expire(web: str, reloj: Reloj) -> None:
    agente, _ = entrar(web, "ana")
    assert agente.client.get("/api/agentes/conversaciones").status_code == 200
    reloj.avanzar(hours=8, seconds=1)
    assert agente.client.get("/api/agentes/conversaciones").status_code == 401
    assert agente.client.get("/agentes").headers["location"] == "/agentes/login"


def test_five_failed_logins_lock_the_account_for_15_minutes(web: str, reloj: Reloj) -> None:
    for _ in range(5):
        _agente, respuesta = entrar(web, "ana", password="no-es-la-contraseña")
        assert respuesta.status_code == 401
        assert "Usuario o contraseña incorrectos" in respuesta.text
    _agente, bloqueada = entrar(web, "ana")
    assert bloqueada.status_code == 423 and "bloqueada" in bloqueada.text
    reloj.avanzar(minutes=14)
    assert entrar(web, "ana")[1].status_code == 423
    reloj.avanzar(minutes=2)
    assert entrar(web, "ana")[1].status_code == 303
    # Another account was never affected, and an unknown user learns nothing more than a wrong password.
    assert entrar(web, "beto")[1].status_code == 303
    _nadie, desconocido = entrar(web, "nadie")
    assert desconocido.status_code == 401 and "Usuario o contraseña incorrectos" in desconocido.text


def test_forms_and_api_writes_without_the_csrf_token_are_refused(
    ana: Agente, persona: Persona, container: Container
) -> None:
    en_fila(persona)
    ref = ref_de(ana, persona)
    sin_token = ana.client.post(f"/agentes/conversaciones/{ref}/responder", data={"texto": "hola"})
    assert sin_token.status_code == 403
    otro_token = ana.client.post(
        f"/agentes/conversaciones/{ref}/responder", data={"texto": "hola", "csrf": "x" * 43}
    )
    assert otro_token.status_code == 403
    api = ana.client.post(f"/api/agentes/conversaciones/{ref}/mensajes", json={"text": "hola"})
    assert api.status_code == 403
    assert not any(m["text"] == "hola" for m in persona.mensajes())
    # The login form refuses a post that did not come from it.
    forjado = httpx.post(ana.client.base_url.join("/agentes/login"), data={"usuario": "ana", "password": "x"})
    assert forjado.status_code == 403
    assert (
        ana.api("POST", f"/api/agentes/conversaciones/{ref}/mensajes", json={"text": "hola"}).status_code
        == 201
    )


# --------------------------------------------------------------------------- the handoff


def test_a_web_chat_user_who_asks_for_a_person_is_queued_and_told_what_to_expect(persona: Persona) -> None:
    dicho = en_fila(persona)
    assert "lugar 1" in dicho and "minutos" in dicho and "no necesitas repetir tu mensaje" in dicho
    botones = [b["title"] for m in persona.mensajes() for b in m["buttons"]]
    assert "Seguir con el asistente" in botones
    # "hola? hay alguien?" is stored for the agent and answered with where they stand, once.
    assert "Sigues en la fila" in persona.say("hola? hay alguien?")
    assert persona.say("cuanto tarda?") == ""


def test_out_of_office_hours_the_person_learns_when_the_phone_line_and_can_go_on_with_the_bot(
    persona: Persona, reloj: Reloj
) -> None:
    reloj.ahora = SABADO_12
    dicho = en_fila(persona)
    assert "el lunes a las 8:00" in dicho and "800 623 2323" in dicho
    assert "de lunes a viernes de 8:00 a 20:00" in dicho
    assert "de nuevo estás conmigo" in persona.say("/resume")
    assert "Soy el asistente" in persona.say("hola")


def test_the_agent_replies_and_the_web_chat_user_receives_it_then_the_bot_answers_again(
    ana: Agente, persona: Persona, container: Container
) -> None:
    en_fila(persona)
    [fila] = ana.lista()
    assert fila["status"] == "esperando" and fila["channel"] == "web" and fila["waiting_since"]
    ref = fila["id"]
    assert (
        ana.api(
            "POST",
            f"/api/agentes/conversaciones/{ref}/mensajes",
            json={"text": "Hola, soy Ana. ¿Qué necesitas?"},
        ).status_code
        == 201
    )
    textos = [m["text"] for m in persona.mensajes()]
    assert "Hola, te atiende ana, del equipo de IMSS Digital. Ya leí tu conversación." in textos
    assert "Hola, soy Ana. ¿Qué necesitas?" in textos
    assert ana.lista()[0]["status"] == "agente"
    # While the agent has it, the bot stays quiet.
    assert persona.say("necesito mi constancia") == ""
    devuelta = ana.api("POST", f"/api/agentes/conversaciones/{ref}/devolver", json={"note": "ya quedó"})
    assert devuelta.status_code == 200
    assert "Te regreso con el asistente" in persona.mensajes()[-1]["text"]
    assert "Soy el asistente" in persona.say("hola")
    assert ana.lista()[0]["status"] == "asistente"


def test_closing_ends_the_conversation_and_the_bot_answers_the_next_message(
    ana: Agente, persona: Persona
) -> None:
    en_fila(persona)
    ref = ref_de(ana, persona)
    assert ana.api("POST", f"/api/agentes/conversaciones/{ref}/tomar").status_code == 200
    assert ana.api("POST", f"/api/agentes/conversaciones/{ref}/cerrar").status_code == 200
    assert "ana cerró la conversación" in persona.mensajes()[-1]["text"]
    assert ana.lista(estado="cerrada")[0]["id"] == ref
    assert "Soy el asistente" in persona.say("hola")


def test_volver_al_asistente_leaves_the_queue(ana: Agente, persona: Persona) -> None:
    en_fila(persona)
    assert "de nuevo estás conmigo" in persona.say("volver al asistente")
    assert ana.lista(estado="esperando") == []
    assert ana.lista()[0]["status"] == "asistente"


def test_two_agents_taking_the_same_conversation_at_once_one_wins(
    web: str, ana: Agente, persona: Persona
) -> None:
    beto, _ = entrar(web, "beto")
    en_fila(persona)
    ref = ref_de(ana, persona)
    salida = threading.Barrier(2)
    resultados: dict[str, int] = {}

    def tomar(nombre: str, agente: Agente) -> None:
        salida.wait(timeout=10)
        resultados[nombre] = agente.api("POST", f"/api/agentes/conversaciones/{ref}/tomar").status_code

    hilos = [threading.Thread(target=tomar, args=a) for a in (("ana", ana), ("beto", beto))]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    assert sorted(resultados.values()) == [200, 409]
    ganador = next(n for n, s in resultados.items() if s == 200)
    assert ana.lista()[0]["agent"] == ganador
    saludos = [m for m in persona.mensajes() if "te atiende" in m["text"]]
    assert len(saludos) == 1 and ganador in saludos[0]["text"]
    perdedor = beto if ganador == "ana" else ana
    replica = perdedor.api("POST", f"/api/agentes/conversaciones/{ref}/mensajes", json={"text": "yo también"})
    assert replica.status_code == 409
    beto.client.close()


def test_many_takes_at_once_on_the_database_have_exactly_one_winner(container: Container) -> None:
    persona_cid = "web-carrera"
    container.engine.open_conversation(persona_cid, "web", "web")
    consola = container.mesa.consola
    salida = threading.Barrier(6)
    ganadores: list[str] = []
    perdedores: list[str] = []

    def tomar(nombre: str) -> None:
        salida.wait(timeout=10)
        try:
            consola.tomar(persona_cid, nombre)
            ganadores.append(nombre)
        except Exception:
            perdedores.append(nombre)

    hilos = [threading.Thread(target=tomar, args=(f"agente{i}",)) for i in range(6)]
    for hilo in hilos:
        hilo.start()
    for hilo in hilos:
        hilo.join(timeout=60)
    assert len(ganadores) == 1 and len(perdedores) == 5
    assert container.mesa.cola.traspaso(persona_cid).agente == ganadores[0]  # type: ignore[union-attr]


# -------------------------------------------------------------------- privacy and audit


def test_personal_data_is_masked_in_the_list_the_transcript_and_the_api(
    ana: Agente, persona: Persona
) -> None:
    persona.say("quiero mi nss")
    persona.say(CURP)
    en_fila(persona)
    persona.say(f"mi curp es {CURP}, mi correo maria.lopez@example.com y mi cel 55 1234 5678")
    ref = ref_de(ana, persona)
    api = ana.client.get(f"/api/agentes/conversaciones/{ref}").text
    pagina = ana.client.get(f"/agentes/conversaciones/{ref}").text
    lista = ana.client.get("/agentes").text + str(ana.lista())
    for visto in (api, pagina, lista):
        assert CURP not in visto and "maria.lopez@example.com" not in visto and "1234 5678" not in visto
    assert "XIQB************05" in api and "XIQB************05" in pagina and "XIQB************05" in lista
    assert "m***@example.com" in api and "55******78" in api
    detalle = ana.client.get(f"/api/agentes/conversaciones/{ref}").json()
    assert detalle["summary"]["wanted"] == "Consultar mi NSS"
    assert detalle["summary"]["known"]["curp"] == "XIQB************05"
    # The conversation's id never shows: WhatsApp's carry the phone number.
    assert conversation_id_for(persona.token) not in api + pagina + lista


def test_mostrar_datos_needs_a_reason_and_writes_an_audit_row(
    ana: Agente, sofia: Agente, persona: Persona
) -> None:
    persona.say("quiero mi nss")
    persona.say(CURP)
    en_fila(persona)
    ref = ref_de(ana, persona)
    sin_motivo = ana.form(f"/agentes/conversaciones/{ref}/mostrar", campos=["curp"], motivo="porque")
    assert (
        sin_motivo.status_code == 200 and "Escribe por qué" in sin_motivo.text and CURP not in sin_motivo.text
    )
    motivo = "La persona pide corregir su CURP en el registro"
    revelado = ana.form(f"/agentes/conversaciones/{ref}/mostrar", campos=["curp", "nss"], motivo=motivo)
    assert revelado.status_code == 200 and CURP in revelado.text
    # Shown once: the next view is masked again.
    assert CURP not in ana.client.get(f"/agentes/conversaciones/{ref}").text
    assert ana.client.get("/agentes/auditoria").status_code == 403
    auditoria = sofia.client.get("/agentes/auditoria").text
    fila = next(linea for linea in auditoria.split("<tr") if "mostrar_datos" in linea)
    assert "ana" in fila and "curp,nss" in fila and motivo in fila
    assert auditoria.count('data-accion="mostrar_datos"') == 1
    por_api = ana.api(
        "POST", f"/api/agentes/conversaciones/{ref}/mostrar", json={"fields": ["curp"], "reason": "x"}
    )
    assert por_api.status_code == 422


def test_every_agent_action_is_in_the_audit_log(ana: Agente, sofia: Agente, persona: Persona) -> None:
    en_fila(persona)
    ref = ref_de(ana, persona)
    ana.api("POST", f"/api/agentes/conversaciones/{ref}/tomar")
    ana.api("POST", f"/api/agentes/conversaciones/{ref}/mensajes", json={"text": "hola"})
    ana.api("POST", f"/api/agentes/conversaciones/{ref}/devolver", json={"note": "resuelto por teléfono"})
    auditoria = sofia.client.get("/agentes/auditoria").text
    acciones = [a for a in ("en_cola", "tomar", "responder", "devolver") if f'data-accion="{a}"' in auditoria]
    assert acciones == ["en_cola", "tomar", "responder", "devolver"]
    assert "resuelto por teléfono" in auditoria


def test_a_message_with_markup_is_shown_as_text_never_run(ana: Agente, persona: Persona) -> None:
    ataque = '<script>alert("xss")</script><img src=x onerror=alert(1)>'
    en_fila(persona)
    persona.say(ataque)
    ref = ref_de(ana, persona)
    for pagina in (f"/agentes/conversaciones/{ref}", f"/agentes/conversaciones/{ref}/imprimir", "/agentes"):
        html = ana.client.get(pagina).text
        assert "<script>alert" not in html and "<img src=x" not in html
    html = ana.client.get(f"/agentes/conversaciones/{ref}").text
    assert "&lt;script&gt;alert(&#34;xss&#34;)&lt;/script&gt;" in html


# ------------------------------------------------------------------------- the reminder


def test_one_gentle_reminder_after_ten_minutes_without_an_agent(
    container: Container, persona: Persona, reloj: Reloj
) -> None:
    import asyncio

    enviados: list[tuple[str, Any]] = []

    async def entregar(cid: str, mensajes: Any) -> bool:
        enviados.append((cid, mensajes))
        return False

    recordatorios = container.mesa.recordatorios
    en_fila(persona)
    reloj.avanzar(minutes=9)
    assert asyncio.run(recordatorios.ronda(entregar)) == 0
    reloj.avanzar(minutes=1, seconds=1)
    assert asyncio.run(recordatorios.ronda(entregar)) == 1
    reloj.avanzar(minutes=30)
    assert asyncio.run(recordatorios.ronda(entregar)) == 0
    recordados = [m for m in persona.mensajes() if m["text"].startswith("Sigo aquí contigo")]
    assert len(recordados) == 1 and "lugar 1" in recordados[0]["text"]
    assert [cid for cid, _ in enviados] == [conversation_id_for(persona.token)]


def test_no_reminder_once_an_agent_took_the_conversation(
    container: Container, ana: Agente, persona: Persona, reloj: Reloj
) -> None:
    import asyncio

    async def entregar(_cid: str, _mensajes: Any) -> bool:
        return False

    en_fila(persona)
    ana.api("POST", f"/api/agentes/conversaciones/{ref_de(ana, persona)}/tomar")
    reloj.avanzar(minutes=20)
    assert asyncio.run(container.mesa.recordatorios.ronda(entregar)) == 0


# ------------------------------------------------------------------------ list and documents


def test_the_list_filters_by_status_and_channel_and_finds_a_folio(
    ana: Agente, web: str, container: Container
) -> None:
    from actions.servicios import servicios

    quien = next(p for p in servicios().registro.listar_personas(50) if p.email and p.nss)
    con_pdf = Persona(web)
    con_pdf.say("quiero mi nss")
    con_pdf.say(quien.curp)
    con_pdf.say(quien.email or "")
    documento = next(m["document"] for m in con_pdf.mensajes() if m["document"])
    folio = documento["filename"].removesuffix(".pdf")[-22:]
    assert folio.startswith("IMSS-")
    otra = Persona(web)
    en_fila(otra)
    assert [f["status"] for f in ana.lista()] == ["esperando", "asistente"]
    assert len(ana.lista(estado="esperando")) == 1 and len(ana.lista(canal="web")) == 2
    assert ana.lista(canal="telegram") == []
    encontrada = ana.lista(folio=folio)
    assert len(encontrada) == 1 and encontrada[0]["status"] == "asistente"
    ref = encontrada[0]["id"]
    pagina = ana.client.get(f"/agentes/conversaciones/{ref}").text
    assert folio in pagina
    archivo = next(
        m["document"]
        for m in ana.client.get(f"/api/agentes/conversaciones/{ref}").json()["messages"]
        if m["document"]
    )
    assert archivo["folio"] == folio
    # Resending a document puts it in the conversation again.
    nombre = pagina.split(f"/agentes/conversaciones/{ref}/documentos/")[1].split('"')[0]
    assert ana.form(f"/agentes/conversaciones/{ref}/reenviar", archivo=nombre).status_code == 303
    ultimo = con_pdf.mensajes()[-1]
    assert (
        ultimo["text"] == container.engine.text("utter_agente_reenvia")
        and ultimo["document"]["filename"] == documento["filename"]
    )
    descarga = ana.client.get(f"/agentes/conversaciones/{ref}/documentos/{nombre}")
    assert descarga.status_code == 200 and descarga.content.startswith(b"%PDF")
    con_pdf.client.close()
    otra.client.close()


def test_the_printable_view_has_the_transcript_and_print_styles(ana: Agente, persona: Persona) -> None:
    en_fila(persona)
    ref = ref_de(ana, persona)
    html = ana.client.get(f"/agentes/conversaciones/{ref}/imprimir").text
    assert "quiero hablar con una persona" in html and 'id="imprimir"' in html
    css = ana.client.get("/static/agentes/consola.css").text
    assert "@media print" in css
