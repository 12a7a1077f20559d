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
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field

from bot.agents.consola import ConversacionOcupada, MotivoInsuficiente
from bot.agents.mesa import Mesa
from bot.engine import Outgoing
from bot.web.agentes import FiltrosDep, conversacion_de, entregar
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


#: What an agent can do to a conversation by the API besides replying and revealing.
Accion = Literal["tomar", "devolver", "cerrar"]


class Mostrar(BaseModel):
    """What to reveal and why."""

    fields: list[str] = Field(max_length=5)
    reason: str = Field(max_length=500)


@router.get("/sesion")
def sesion(s: Api) -> dict[str, str]:
    """The logged-in account and its CSRF token."""
    return {"usuario": s.cuenta.usuario, "rol": s.cuenta.rol, "csrf": s.csrf}


@router.get("/conversaciones")
def conversaciones(_s: Api, mesa: MesaDep, filtros: FiltrosDep) -> list[dict[str, Any]]:
    """The conversation list, masked, waiting ones first."""
    ahora = mesa.ahora()
    filas = mesa.consola.conversaciones(filtros)
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


async def _hacer(
    referencia: str, request: Request, mesa: Mesa, hacer: Callable[[str], list[Outgoing]]
) -> None:
    """Do an agent action on the conversation off the event loop; deliver what the person must read."""
    cid = conversacion_de(mesa, referencia)
    try:
        salida = await asyncio.to_thread(hacer, cid)
    except ConversacionOcupada as error:
        raise HTTPException(
            status_code=409, detail=f"La conversación ya la atiende {error.agente}."
        ) from None
    except ValueError as error:
        raise HTTPException(status_code=422, detail=str(error)) from None
    await entregar(request, cid, salida)


@router.post("/conversaciones/{referencia}/mensajes", status_code=201)
async def responder(
    referencia: str, body: Mensaje, request: Request, s: ApiEscritura, mesa: MesaDep
) -> dict[str, str]:
    """Send the agent's reply on the person's channel (taking the conversation if nobody has it)."""
    await _hacer(
        referencia, request, mesa, lambda cid: mesa.consola.responder(cid, s.cuenta.usuario, body.text)
    )
    return {"status": "enviado"}


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


# Last: its path would catch /mensajes and /mostrar if it came first.
@router.post("/conversaciones/{referencia}/{accion}")
async def accion(
    referencia: str,
    accion: Accion,
    request: Request,
    s: ApiEscritura,
    mesa: MesaDep,
    body: Nota | None = None,
) -> dict[str, str]:
    """`tomar` (409 if another agent has it), `devolver` to the bot (`{"note"}`), or `cerrar`."""
    agente, nota = s.cuenta.usuario, body.note if body else ""
    hacer: dict[str, Callable[[str], list[Outgoing]]] = {
        "tomar": lambda cid: mesa.consola.tomar(cid, agente),
        "devolver": lambda cid: mesa.consola.devolver(cid, agente, nota),
        "cerrar": lambda cid: mesa.consola.cerrar(cid, agente),
    }
    await _hacer(referencia, request, mesa, hacer[accion])
    return {"status": {"tomar": "agente", "devolver": "asistente", "cerrar": "cerrada"}[accion]}
