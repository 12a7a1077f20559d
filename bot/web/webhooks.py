"""Webhooks under /webhooks/: WhatsApp Cloud API and Telegram (webhook mode).

Each call is authenticated before its body is parsed (WhatsApp: HMAC-SHA256 of the raw body with the
app secret; Telegram: the secret token header), its size is bounded, and it is acknowledged only once
every message in it is durably claimed (bot/channels/intake.py); the turns and their replies follow in
the background. A channel that is not configured answers 404.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import PlainTextResponse

from bot.channels import Channels
from bot.channels.intake import NotClaimed

__all__ = ["MAX_BODY_BYTES", "router"]

logger = logging.getLogger(__name__)

#: Webhook bodies are small JSON documents (files come by media id, never inline).
MAX_BODY_BYTES = 256 * 1024

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def get_channels(request: Request) -> Channels:
    """The channels the app's lifespan started (none before it ran)."""
    channels: Channels | None = getattr(request.app.state, "channels", None)
    if channels is None:
        raise HTTPException(status_code=404)
    return channels


ChannelsDep = Annotated[Channels, Depends(get_channels)]


async def _body(request: Request) -> bytes:
    """The raw body, refused with 413 past MAX_BODY_BYTES without reading the rest."""
    declared = request.headers.get("content-length", "")
    if declared.isdecimal() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(status_code=413)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise HTTPException(status_code=413)
    return bytes(body)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise HTTPException(status_code=400) from None


@router.get("/whatsapp", response_class=PlainTextResponse)
def whatsapp_challenge(
    request: Request,
    channels: ChannelsDep,
    mode: Annotated[str, Query(alias="hub.mode")] = "",
    token: Annotated[str, Query(alias="hub.verify_token")] = "",
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=256)] = "",
) -> str:
    """Meta's subscription check: echo the challenge when the verify token is ours."""
    expected = request.app.state.container.settings.whatsapp_verify_token
    if channels.whatsapp is None or not expected:
        raise HTTPException(status_code=404)
    if mode != "subscribe" or not hmac.compare_digest(token.encode(), expected.encode()):
        raise HTTPException(status_code=403)
    return challenge


@router.post("/whatsapp")
async def whatsapp_webhook(request: Request, channels: ChannelsDep) -> dict[str, str]:
    """Messages and statuses from WhatsApp: 200 once every message is claimed."""
    whatsapp = channels.whatsapp
    secret = request.app.state.container.settings.whatsapp_app_secret
    if whatsapp is None or not secret:
        raise HTTPException(status_code=404)
    body = await _body(request)
    signature = request.headers.get("x-hub-signature-256")
    if not signature:
        raise HTTPException(status_code=401)
    from bot.channels.whatsapp import read_payload, signature_ok

    if not signature_ok(secret, body, signature):
        logger.warning("WhatsApp: a webhook call with a wrong signature was refused")
        raise HTTPException(status_code=403)
    messages, statuses = read_payload(_json(body), whatsapp.phone_number_id)
    if statuses:
        await asyncio.to_thread(whatsapp.record, statuses)
    try:
        for message in messages:
            await whatsapp.take(message, channels.intake)
    except NotClaimed:
        # Meta delivers the call again; messages already claimed are not answered twice.
        raise HTTPException(status_code=503) from None
    except Exception as error:
        logger.error("WhatsApp: a webhook message could not be read (%s)", type(error).__name__)
        raise HTTPException(status_code=503) from None
    return {"estado": "recibido"}


@router.post("/telegram")
async def telegram_webhook(request: Request, channels: ChannelsDep) -> dict[str, str]:
    """An update from Telegram in webhook mode: 200 once it is claimed."""
    telegram, secret = channels.telegram, channels.telegram_secret
    if telegram is None or secret is None:
        raise HTTPException(status_code=404)
    sent = request.headers.get("x-telegram-bot-api-secret-token", "")
    if not hmac.compare_digest(sent.encode(), secret.encode()):
        raise HTTPException(status_code=401 if not sent else 403)
    data = _json(await _body(request))
    from telegram import Update

    try:
        update = Update.de_json(data, telegram.bot)
    except (KeyError, TypeError, ValueError):
        raise HTTPException(status_code=400) from None
    try:
        await channels.intake.take(telegram.key(update), lambda received: telegram.process(update, received))
    except NotClaimed:
        # Telegram delivers it again later.
        raise HTTPException(status_code=503) from None
    return {"estado": "recibido"}
