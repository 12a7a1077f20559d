"""The agents' console: login, the live conversation list, transcripts, agent actions, audit, NLU review.

Pages live under `/agentes` (docs/consola.md). They are server-rendered with Jinja2 (autoescape: all a
person typed is escaped) and use one static script, never inline code, so a strict CSP holds. Session,
cookie and CSRF rules: `bot/web/agentes_auth.py`. The JSON API is in `bot/web/agentes_api.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from bot.agents.auditoria import Acciones, registros
from bot.agents.cola import ESTADOS
from bot.agents.consola import (
    ConversacionOcupada,
    DocumentoNoEncontrado,
    Filtros,
    MotivoInsuficiente,
    SinConversacion,
)
from bot.agents.cuentas import CredencialesInvalidas, CuentaBloqueada
from bot.agents.mesa import Mesa
from bot.agents.privacidad import CAMPOS_SENSIBLES
from bot.agents.revision import RevisionInvalida
from bot.agents.sesiones import Sesion
from bot.engine import Outgoing
from bot.web.agentes_auth import (
    COOKIE,
    COOKIE_LOGIN,
    Pagina,
    borrar_cookie,
    get_mesa,
    nuevo_token_login,
    poner_cookie,
    revisar_csrf,
    supervisor,
    token_login_valido,
)

__all__ = ["CANALES", "FiltrosDep", "conversacion_de", "entregar", "filtros_de", "router"]

router = APIRouter(tags=["agentes"])
TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
MesaDep = Annotated[Mesa, Depends(get_mesa)]
CANALES = {"web": "Chat web", "telegram": "Telegram", "whatsapp": "WhatsApp", "terminal": "Terminal"}
#: What a failed action tells the agent, by the code in the redirect.
_AVISOS = {
    "ocupada": "Otra persona del equipo ya atiende esta conversación.",
    "vacio": "Escribe un mensaje antes de enviarlo.",
    "documento": "No encontramos ese documento en la conversación.",
    "tomada": "Listo: ahora atiendes tú esta conversación.",
    "enviado": "Mensaje enviado.",
    "devuelta": "La conversación volvió con el asistente.",
    "cerrada": "Conversación cerrada.",
    "reenviado": "Documento reenviado.",
}
T = TypeVar("T")


async def entregar(request: Request, conversation_id: str, mensajes: Sequence[Outgoing]) -> None:
    """Send an agent's messages on Telegram or WhatsApp; the web chat reads them from the log."""
    channels = getattr(request.app.state, "channels", None)
    if channels is not None and mensajes:
        await channels.deliver(conversation_id, list(mensajes))


def conversacion_de(mesa: Mesa, referencia: str) -> str:
    """The conversation id behind a console reference, or 404."""
    cid = mesa.referencias.a(referencia)
    if cid is None or not mesa.consola.motor.conversation_exists(cid):
        raise HTTPException(status_code=404, detail="No encontramos esa conversación.")
    return cid


def _pagina(
    request: Request, plantilla: str, sesion: Sesion | None, status: int = 200, **datos: Any
) -> Response:
    contexto = {"sesion": sesion, "estados": ESTADOS, "canales": CANALES, **datos}
    respuesta = TEMPLATES.TemplateResponse(request, plantilla, contexto, status_code=status)
    # Console pages hold personal data: never cached, never framed.
    respuesta.headers["cache-control"] = "no-store"
    return respuesta


def _volver(referencia: str, aviso: str) -> RedirectResponse:
    return RedirectResponse(f"/agentes/conversaciones/{referencia}?aviso={aviso}", status_code=303)


async def _en_hilo(funcion: Callable[[], T]) -> T:
    return await asyncio.to_thread(funcion)


# ------------------------------------------------------------------------------------ login


@router.get("/agentes/login", response_class=HTMLResponse)
def login_form(request: Request, mesa: MesaDep) -> Response:
    """The login form, with its double-submit CSRF token."""
    token = nuevo_token_login()
    respuesta = _pagina(request, "agentes/login.html", None, csrf=token, error=None)
    poner_cookie(request, respuesta, COOKIE_LOGIN, token, 3600, "/agentes/login")
    return respuesta


@router.post("/agentes/login", response_class=HTMLResponse)
async def login(
    request: Request,
    mesa: MesaDep,
    usuario: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    csrf: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Check the password; a session cookie and the list on success, the form again with why otherwise."""
    if not token_login_valido(request, csrf):
        raise HTTPException(status_code=403, detail="El formulario venció; recarga la página.")
    error, status = None, 200
    try:
        cuenta = await _en_hilo(lambda: mesa.cuentas.autenticar(usuario, password))
    except CuentaBloqueada:
        error, status = "Tu cuenta está bloqueada 15 minutos por varios intentos fallidos.", 423
    except CredencialesInvalidas:
        error, status = "Usuario o contraseña incorrectos.", 401
    if error is not None:
        token = nuevo_token_login()
        respuesta = _pagina(request, "agentes/login.html", None, status, csrf=token, error=error)
        poner_cookie(request, respuesta, COOKIE_LOGIN, token, 3600, "/agentes/login")
        return respuesta
    token, _sesion = await _en_hilo(lambda: mesa.sesiones.abrir(cuenta))
    respuesta = RedirectResponse("/agentes", status_code=303)
    segundos = int(mesa.sesiones.duracion / timedelta(seconds=1))
    poner_cookie(request, respuesta, COOKIE, token, segundos, "/")
    borrar_cookie(request, respuesta, COOKIE_LOGIN, "/agentes/login")
    return respuesta


@router.post("/agentes/salir")
def salir(request: Request, sesion: Pagina, mesa: MesaDep, csrf: Annotated[str, Form()] = "") -> Response:
    """Log out: the session ends here and in the browser."""
    revisar_csrf(sesion, csrf)
    mesa.sesiones.cerrar(request.cookies.get(COOKIE))
    respuesta = RedirectResponse("/agentes/login", status_code=303)
    borrar_cookie(request, respuesta, COOKIE, "/")
    return respuesta


# --------------------------------------------------------------------------------- the list


def filtros_de(estado: str | None = None, canal: str | None = None, folio: str | None = None) -> Filtros:
    """The list's filters from the query (`?estado=&canal=&folio=`); anything unknown is no filter."""
    return Filtros(
        estado=estado if estado in ESTADOS else None,
        canal=canal if canal in CANALES else None,
        folio=(folio or "").strip()[:40] or None,
    )


FiltrosDep = Annotated[Filtros, Depends(filtros_de)]


def _lista(request: Request, sesion: Sesion, mesa: Mesa, filtros: Filtros, plantilla: str) -> Response:
    filas = mesa.consola.conversaciones(filtros)
    return _pagina(request, plantilla, sesion, filas=filas, filtros=filtros, ahora=mesa.ahora(), mesa=mesa)


@router.get("/agentes", response_class=HTMLResponse)
def lista(request: Request, sesion: Pagina, mesa: MesaDep, filtros: FiltrosDep) -> Response:
    """Every conversation, waiting ones first; filters by status and channel, search by folio."""
    return _lista(request, sesion, mesa, filtros, "agentes/lista.html")


@router.get("/agentes/filas", response_class=HTMLResponse)
def filas(request: Request, sesion: Pagina, mesa: MesaDep, filtros: FiltrosDep) -> Response:
    """The list's rows alone: what the page polls to stay live."""
    return _lista(request, sesion, mesa, filtros, "agentes/_filas.html")


# --------------------------------------------------------------------------- a conversation


def _conversacion(
    request: Request, sesion: Sesion, mesa: MesaDep, referencia: str, *, plantilla: str, **extra: Any
) -> Response:
    cid = conversacion_de(mesa, referencia)
    try:
        transcripcion = mesa.consola.transcripcion(cid)
        fila = mesa.consola.fila(cid)
    except SinConversacion:
        raise HTTPException(status_code=404, detail="No encontramos esa conversación.") from None
    aviso = _AVISOS.get(str(request.query_params.get("aviso")))
    return _pagina(
        request,
        plantilla,
        sesion,
        ref=referencia,
        fila=fila,
        t=transcripcion,
        campos=CAMPOS_SENSIBLES,
        aviso=aviso,
        ahora=mesa.ahora(),
        **extra,
    )


@router.get("/agentes/conversaciones/{referencia}", response_class=HTMLResponse)
def conversacion(request: Request, referencia: str, sesion: Pagina, mesa: MesaDep) -> Response:
    """The transcript with its handoff summary and the agent's actions."""
    return _conversacion(
        request, sesion, mesa, referencia, plantilla="agentes/conversacion.html", revelados=None
    )


@router.get("/agentes/conversaciones/{referencia}/mensajes", response_class=HTMLResponse)
def mensajes(request: Request, referencia: str, sesion: Pagina, mesa: MesaDep) -> Response:
    """The transcript alone: what the page polls for new messages."""
    return _conversacion(request, sesion, mesa, referencia, plantilla="agentes/_transcripcion.html")


@router.get("/agentes/conversaciones/{referencia}/imprimir", response_class=HTMLResponse)
def imprimir(request: Request, referencia: str, sesion: Pagina, mesa: MesaDep) -> Response:
    """A printable transcript (print styles, no forms)."""
    return _conversacion(request, sesion, mesa, referencia, plantilla="agentes/imprimir.html")


@router.get("/agentes/conversaciones/{referencia}/documentos/{archivo}")
def documento(referencia: str, archivo: str, sesion: Pagina, mesa: MesaDep) -> FileResponse:
    """An issued document of the conversation (the download is audited)."""
    cid = conversacion_de(mesa, referencia)
    try:
        doc = mesa.consola.documento(cid, archivo)
    except DocumentoNoEncontrado:
        raise HTTPException(status_code=404, detail="No encontramos ese documento.") from None
    mesa.consola.registrar_descarga(cid, sesion.cuenta.usuario, archivo)
    return FileResponse(doc.path, media_type=doc.mime, filename=doc.filename)


@dataclass(frozen=True)
class Pedido:
    """A console form about one conversation: its CSRF token checked, the conversation and who acts."""

    request: Request
    referencia: str
    cid: str
    agente: str
    mesa: Mesa


def pedido(
    request: Request, referencia: str, sesion: Pagina, mesa: MesaDep, csrf: Annotated[str, Form()] = ""
) -> Pedido:
    """The form's conversation, once its CSRF token is the session's."""
    revisar_csrf(sesion, csrf)
    return Pedido(request, referencia, conversacion_de(mesa, referencia), sesion.cuenta.usuario, mesa)


PedidoDep = Annotated[Pedido, Depends(pedido)]


async def _hacer(p: Pedido, hacer: Callable[[], list[Outgoing]], hecho: str) -> Response:
    """Do an agent action off the event loop, deliver what the person must read, and go back."""
    try:
        salida = await asyncio.to_thread(hacer)
    except ConversacionOcupada:
        return _volver(p.referencia, "ocupada")
    except DocumentoNoEncontrado:
        return _volver(p.referencia, "documento")
    except ValueError:
        return _volver(p.referencia, "vacio")
    await entregar(p.request, p.cid, salida)
    return _volver(p.referencia, hecho)


@router.post("/agentes/conversaciones/{referencia}/tomar")
async def tomar(p: PedidoDep) -> Response:
    """Take the conversation: the bot goes quiet and the person is greeted."""
    return await _hacer(p, lambda: p.mesa.consola.tomar(p.cid, p.agente), "tomada")


@router.post("/agentes/conversaciones/{referencia}/responder")
async def responder(p: PedidoDep, texto: Annotated[str, Form(max_length=4000)] = "") -> Response:
    """Send the agent's reply on the person's channel."""
    return await _hacer(p, lambda: p.mesa.consola.responder(p.cid, p.agente, texto), "enviado")


@router.post("/agentes/conversaciones/{referencia}/reenviar")
async def reenviar(p: PedidoDep, archivo: Annotated[str, Form(max_length=255)] = "") -> Response:
    """Send one of the person's issued documents again."""
    return await _hacer(p, lambda: p.mesa.consola.reenviar(p.cid, p.agente, archivo), "reenviado")


@router.post("/agentes/conversaciones/{referencia}/devolver")
async def devolver(p: PedidoDep, nota: Annotated[str, Form(max_length=1000)] = "") -> Response:
    """Hand the conversation back to the bot, with an optional note for the record."""
    return await _hacer(p, lambda: p.mesa.consola.devolver(p.cid, p.agente, nota), "devuelta")


@router.post("/agentes/conversaciones/{referencia}/cerrar")
async def cerrar(p: PedidoDep) -> Response:
    """End the conversation."""
    return await _hacer(p, lambda: p.mesa.consola.cerrar(p.cid, p.agente), "cerrada")


@router.post("/agentes/conversaciones/{referencia}/mostrar", response_class=HTMLResponse)
async def mostrar(
    request: Request,
    referencia: str,
    sesion: Pagina,
    mesa: MesaDep,
    csrf: Annotated[str, Form()] = "",
    motivo: Annotated[str, Form(max_length=500)] = "",
    campos: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """ "Mostrar datos": the chosen fields in clear on this page only, after a written, audited reason."""
    revisar_csrf(sesion, csrf)
    cid = conversacion_de(mesa, referencia)
    try:
        revelados = await _en_hilo(
            lambda: mesa.consola.mostrar_datos(cid, sesion.cuenta.usuario, campos or [], motivo)
        )
    except MotivoInsuficiente as error:
        return _conversacion(
            request,
            sesion,
            mesa,
            referencia,
            plantilla="agentes/conversacion.html",
            revelados=None,
            error=str(error),
        )
    return _conversacion(
        request, sesion, mesa, referencia, plantilla="agentes/conversacion.html", revelados=revelados
    )


# ----------------------------------------------------------------------------- supervisors


@router.get("/agentes/auditoria", response_class=HTMLResponse)
def auditoria(request: Request, sesion: Pagina, mesa: MesaDep) -> Response:
    """The audit log (supervisors)."""
    supervisor(sesion)
    filas = registros(mesa.cola.db)
    refs = {r.conversation_id: mesa.referencias.de(r.conversation_id) for r in filas if r.conversation_id}
    return _pagina(request, "agentes/auditoria.html", sesion, registros=filas, refs=refs, acciones=Acciones)


@router.get("/agentes/revision", response_class=HTMLResponse)
async def revision(request: Request, sesion: Pagina, mesa: MesaDep) -> Response:
    """The NLU review queue (supervisors): collected up to now, most frequent first."""
    supervisor(sesion)
    await _en_hilo(mesa.revision.recoger)
    casos = mesa.revision.casos()
    titulos = {i: mesa.consola.motor.domain.policy.intent_title(i) for i in mesa.revision.intents}
    aviso = request.query_params.get("aviso") == "revisado"
    return _pagina(request, "agentes/revision.html", sesion, casos=casos, titulos=titulos, aviso=aviso)


@router.post("/agentes/revision/{caso}")
async def revisar(
    caso: int,
    sesion: Pagina,
    mesa: MesaDep,
    csrf: Annotated[str, Form()] = "",
    intencion: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Save a review: the right intent, or out of scope."""
    supervisor(sesion)
    revisar_csrf(sesion, csrf)
    try:
        await _en_hilo(lambda: mesa.revision.revisar(caso, intencion, sesion.cuenta.usuario))
    except RevisionInvalida as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    return RedirectResponse("/agentes/revision?aviso=revisado", status_code=303)
