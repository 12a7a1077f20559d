"""Channel adapters: each turns its platform's updates into `Incoming` and renders `Outgoing`.

Only the modules in this package import a platform's types (python-telegram-bot for Telegram); the rest
of `bot/` speaks the engine's messages (`bot.engine`). Adapters are imported lazily, so a process
without a Telegram token never loads python-telegram-bot.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.container import Container

__all__ = ["running_channels"]

logger = logging.getLogger(__name__)


@asynccontextmanager
async def running_channels(container: Container) -> AsyncIterator[None]:
    """Run every channel the settings configure (Telegram polling when TELEGRAM_TOKEN is set).

    Meant for the web app's lifespan: the channels share uvicorn's event loop and stop with it.
    A wrong token makes startup fail, so the operator sees it at once instead of a silent bot.
    """
    settings = container.settings
    if not settings.telegram_token:
        yield
        return
    from bot.channels.telegram import build_application, polling

    application = build_application(container.engine, settings.telegram_token, settings.telegram_api_url)
    async with polling(application):
        yield
