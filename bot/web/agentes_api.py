"""The console's JSON API, under the same session as its pages (401 without one).

- `GET /api/agentes/sesion` → who is logged in and the CSRF token the API's writes must send back in
  the `X-CSRF-Token` header.
- `GET /api/agentes/conversaciones[?estado=&canal=&folio=]` → the list: each item has at least `id` (an
  opaque reference), `channel`, `status`, `waiting_since`, and the person masked.
- `GET /api/agentes/conversaciones/{id}` → the transcript, masked, with its summary.
- `POST /api/agentes/conversaciones/{id}/mensajes` with `{"text"}` → the reply is delivered on the
  person's channel (taking the conversation first if nobody has it); 409 if another agent has it.
- `POST …/{id}/tomar`, `…/devolver` (`{"note"}`), `…/cerrar`, `…/mostrar` (`{"fields", "reason"}`).
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from bot.agents.consola import ConversacionOcupada, MotivoInsuficiente
from bot.agents.mesa import Mesa
from bot.web.agentes import conversacion_de, entregar, filtros_de
from bot.web.agentes_auth import Api, ApiEscritura, get_mesa

__all__ = ["router"]

router = APIRouter(prefix="/api/agentes", tags=["agentes"])
MesaDep = Annotated[Mesa, Depends(get_mesa)]


class Mensaje(BaseModel):
    """An agent's reply."""

    text: str = Field(min_length=1, max_length=4000)


class Nota(BaseModel):
    """An optional note when handing back."""

    note: str = Field(default="", max_length=1000)


class Mostrar(BaseModel):
    """What to reveal and why."""

    fields: list[str] = Field(max_length=5)
    reason: str = Field(max_length=500)


def _ocupada(error: ConversacionOcupada) -> HTTPException:
    return HTTPException(status_code=409, detail=f"La conversación ya la atiende {error.agente}.")


@router.get("/sesion")
def sesion(s: Api) -> dict[str, str]:
    """The logged-in account and its CSRF token."""
    return {"usuario": s.cuenta.usuario, "rol": s.cuenta.rol, "csrf": s.csrf}


@router.get("/conversaciones")
def conversaciones(
    _s: Api, mesa: MesaDep, estado: str | None = None, canal: str | None = None, folio: str | None = None
) -> list[dict[str, Any]]:
    """The conversation list, masked, waiting ones first."""
    ahora = mesa.ahora()
    filas = mesa.consola.conversaciones(filtros_de(estado, canal, folio))
    return [{**f.to_json(ahora), "id": mesa.referencias.de(f.id)} for f in filas]


@router.get("/conversaciones/{referencia}")
def conversacion(referencia: str, _s: Api, mesa: MesaDep) -> dict[str, Any]:
    """One conversation's masked transcript with its handoff summary."""
    cid = conversacion_de(mesa, referencia)
    t = mesa.consola.transcripcion(cid)
    fila = mesa.consola.fila(cid)
    return {
        **fila.to_json(mesa.ahora()),
        "id": referencia,
        "summary": {"wanted": t.resumen.queria, "failed": t.resumen.fallo, "known": dict(t.resumen.validado)},
        "messages": [e.to_json() for e in t.entradas],
    }


@router.post("/conversaciones/{referencia}/mensajes", status_code=201)
async def responder(
    referencia: str, body: Mensaje, request: Request, s: ApiEscritura, mesa: MesaDep
) -> dict[str, str]:
    """Send the agent's reply on the person's channel."""
    cid = conversacion_de(mesa, referencia)
    try:
        salida = await asyncio.to_thread(mesa.consola.responder, cid, s.cuenta.usuario, body.text)
    except ConversacionOcupada as error:
        raise _ocupada(error) from None
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    await entregar(request, cid, salida)
    return {"status": "enviado"}


@router.post("/conversaciones/{referencia}/tomar")
async def tomar(referencia: str, request: Request, s: ApiEscritura, mesa: MesaDep) -> dict[str, str]:
    """Take the conversation (409 if another agent has it)."""
    cid = conversacion_de(mesa, referencia)
    try:
        saludo = await asyncio.to_thread(mesa.consola.tomar, cid, s.cuenta.usuario)
    except ConversacionOcupada as error:
        raise _ocupada(error) from None
    await entregar(request, cid, [saludo] if saludo else [])
    return {"status": "agente", "agent": s.cuenta.usuario}


@router.post("/conversaciones/{referencia}/devolver")
async def devolver(
    referencia: str, body: Nota, request: Request, s: ApiEscritura, mesa: MesaDep
) -> dict[str, str]:
    """Hand the conversation back to the bot."""
    cid = conversacion_de(mesa, referencia)
    try:
        mensaje = await asyncio.to_thread(mesa.consola.devolver, cid, s.cuenta.usuario, body.note)
    except ConversacionOcupada as error:
        raise _ocupada(error) from None
    await entregar(request, cid, [mensaje])
    return {"status": "asistente"}


@router.post("/conversaciones/{referencia}/cerrar")
async def cerrar(referencia: str, request: Request, s: ApiEscritura, mesa: MesaDep) -> dict[str, str]:
    """End the conversation."""
    cid = conversacion_de(mesa, referencia)
    try:
        mensaje = await asyncio.to_thread(mesa.consola.cerrar, cid, s.cuenta.usuario)
    except ConversacionOcupada as error:
        raise _ocupada(error) from None
    await entregar(request, cid, [mensaje])
    return {"status": "cerrada"}


@router.post("/conversaciones/{referencia}/mostrar")
async def mostrar(referencia: str, body: Mostrar, s: ApiEscritura, mesa: MesaDep) -> dict[str, str]:
    """The chosen personal data in clear, after a written, audited reason."""
    cid = conversacion_de(mesa, referencia)
    try:
        return await asyncio.to_thread(
            mesa.consola.mostrar_datos, cid, s.cuenta.usuario, body.fields, body.reason
        )
    except MotivoInsuficiente as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
