"""Channel adapters: each turns its platform's updates into `Incoming` and renders `Outgoing`.

Only the modules in this package import a platform's types (python-telegram-bot for Telegram, the Graph
API's JSON for WhatsApp); the rest of `bot/` speaks the engine's messages (`bot.engine`). Adapters are
imported lazily, so a process without a Telegram token never loads python-telegram-bot.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.channels.intake import Intake
from bot.engine import Outgoing

if TYPE_CHECKING:
    from bot.channels.telegram import TelegramChannel
    from bot.channels.telegram_polling import Poller
    from bot.channels.whatsapp import WhatsAppChannel
    from bot.container import Container
    from bot.settings import Settings

__all__ = ["Channels", "running_channels", "telegram_webhook_secret"]

logger = logging.getLogger(__name__)


@dataclass
class Channels:
    """The channels this process runs, for the webhooks and for messages nobody asked for yet."""

    intake: Intake = field(default_factory=Intake)
    whatsapp: WhatsAppChannel | None = None
    telegram: TelegramChannel | None = None
    #: Set in Telegram's webhook mode: the secret Telegram must send back.
    telegram_secret: str | None = None
    #: Set in Telegram's polling mode (in every worker; only the elected one polls).
    poller: Poller | None = None

    async def deliver(self, conversation_id: str, replies: Sequence[Outgoing]) -> bool:
        """Send messages to a conversation on its own channel (an agent's reply, a reminder).

        False when the conversation's channel does not run here (the web chat reads them from the API).
        """
        channel = conversation_id.partition("-")[0]
        if channel == "whatsapp" and self.whatsapp is not None:
            await self.whatsapp.deliver(conversation_id, replies)
            return True
        if channel == "telegram" and self.telegram is not None:
            await self.telegram.deliver(conversation_id, replies)
            return True
        return False


def telegram_webhook_secret(settings: Settings, server_key: bytes) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or one derived from the server's secret key (same in every worker)."""
    if settings.telegram_webhook_secret:
        return settings.telegram_webhook_secret
    return hmac.new(server_key, b"telegram-webhook-secret", hashlib.sha256).hexdigest()


@asynccontextmanager
async def running_channels(container: Container) -> AsyncIterator[Channels]:
    """Run every channel the settings configure; yields them for the webhooks.

    Meant for the web app's lifespan: the channels share uvicorn's event loop and stop with it. A wrong
    Telegram token makes startup fail, so the operator sees it at once instead of a silent bot.
    """
    settings = container.settings
    channels = Channels()
    async with AsyncExitStack() as stack:
        if settings.whatsapp_token and settings.whatsapp_phone_number_id and settings.whatsapp_app_secret:
            from bot.channels.graph import DEFAULT_API_URL, GraphApi
            from bot.channels.whatsapp import WhatsAppChannel

            api = GraphApi(
                settings.whatsapp_api_url or DEFAULT_API_URL,
                settings.whatsapp_token,
                settings.whatsapp_phone_number_id,
            )
            channels.whatsapp = WhatsAppChannel(
                container.engine,
                api,
                template=settings.whatsapp_template_seguimiento,
                template_language=settings.whatsapp_template_language,
            )
            stack.push_async_callback(channels.whatsapp.aclose)
        elif settings.whatsapp_token:
            logger.warning("WhatsApp needs WHATSAPP_TOKEN, WHATSAPP_PHONE_NUMBER_ID and WHATSAPP_APP_SECRET")
        if settings.telegram_token:
            from bot.channels.telegram import TelegramChannel, build_bot

            bot = build_bot(settings.telegram_token, settings.telegram_api_url)
            channels.telegram = TelegramChannel(container.engine, bot)
            stack.push_async_callback(channels.telegram.stop)
            if settings.telegram_webhook_url:
                channels.telegram_secret = telegram_webhook_secret(settings, container.secret_key)
            await channels.telegram.start(
                webhook_url=settings.telegram_webhook_url, secret_token=channels.telegram_secret
            )
        # Runs before the clients close: turns under way finish and send their replies.
        stack.push_async_callback(channels.intake.drain)
        if channels.telegram is not None and channels.telegram_secret is None:
            from bot.channels.election import election_for
            from bot.channels.telegram_polling import polling

            election = election_for(container.db, settings.data_dir, settings.telegram_token or "")
            channels.poller = await stack.enter_async_context(
                polling(channels.telegram, channels.intake, election)
            )
        yield channels
