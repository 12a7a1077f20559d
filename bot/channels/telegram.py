"""Telegram adapter (python-telegram-bot 22): updates in, engine replies out, through PTB's `Bot`.

How an update becomes an `Incoming`:

- conversation ``telegram-{chat_id}``, sender the Telegram user id, channel ``telegram``;
- message id (the engine's dedupe key) ``{chat_id}:{message_id}`` for a message, because Telegram message
  ids are unique and never reused inside a chat and a redelivered update carries the same message; the
  ``update_id`` is not used since Telegram restarts it at a random number after a quiet week.
  A tap on a button is ``callback:{callback_query.id}``: taps have no message of their own, and two taps
  on the same keyboard are two answers;
- only private chats reach the engine: a message in a group, supergroup or channel gets one short
  request to write in private, and nothing of it is stored;
- a document (.cer/.key) is downloaded only when Telegram reports at most 64 KB; a bigger one reaches the
  engine as an attachment without data (it answers with the size limit) and not a byte is downloaded;
  photos, stickers, voice notes and other media reach the engine as `Media` (type and size only);
- a typed message is ``deletable``: when the engine asks (the e.firma password) it is deleted before the
  reply is sent, and the person is told whether that worked.

Updates arrive by long polling (bot/channels/telegram_polling.py) or by webhook (bot/web/webhooks.py);
both hand them to `TelegramChannel.process` through the intake, which acknowledges after the claim.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import RetryAfter, TelegramError

from bot.channels.intake import OnReceived, answer
from bot.channels.payloads import compact, is_hashed, resolve
from bot.channels.text import split_text
from bot.engine import UPLOAD_LIMIT_BYTES, Attachment, Button, Engine, Incoming, Media, Outgoing

__all__ = [
    "ALLOWED_UPDATES",
    "CHANNEL",
    "COMMANDS",
    "MAX_CALLBACK_BYTES",
    "MAX_DOWNLOAD_BYTES",
    "MAX_MESSAGE_LENGTH",
    "TelegramChannel",
    "build_bot",
    "callback_data",
    "conversation_id",
    "retry_after_seconds",
    "retrying",
]

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_DOWNLOAD_BYTES = UPLOAD_LIMIT_BYTES
MAX_MESSAGE_LENGTH = 4096
"""Telegram's limit for one message, counted in UTF-16 code units."""
MAX_CALLBACK_BYTES = 64
"""Telegram's limit for a button's callback data, in bytes."""
ALLOWED_UPDATES = ["message", "callback_query", "channel_post"]
#: The commands shown in Telegram's menu, with the domain response that describes each.
COMMANDS = (
    ("start", "utter_comando_start"),
    ("ayuda", "utter_comando_ayuda"),
    ("cancelar", "utter_comando_cancelar"),
)
#: A flood-control wait longer than this is not waited out: the call fails instead.
MAX_RETRY_AFTER = 60.0
RETRY_ATTEMPTS = 4

#: Telegram's media attributes and how the engine calls them.
_MEDIA: tuple[tuple[str, Media], ...] = (
    ("voice", Media("voz")),
    ("audio", Media("audio")),
    ("photo", Media("foto")),
    ("video", Media("video")),
    ("video_note", Media("video")),
    ("animation", Media("video")),
    ("sticker", Media("sticker")),
    ("location", Media("ubicacion")),
    ("venue", Media("ubicacion")),
    ("contact", Media("contacto")),
)

T = TypeVar("T")


def conversation_id(chat_id: int) -> str:
    """The engine's conversation id for a Telegram chat."""
    return f"{CHANNEL}-{chat_id}"


def callback_data(payload: str) -> str:
    """The payload itself when it fits Telegram's 64 bytes, else a short stable hash of it."""
    return compact(payload, MAX_CALLBACK_BYTES)


def build_bot(token: str, api_url: str | None = None) -> Bot:
    """A python-telegram-bot `Bot`; `api_url` (the Bot API root) replaces https://api.telegram.org."""
    if not api_url:
        return Bot(token)
    api = api_url.rstrip("/")
    return Bot(token, base_url=f"{api}/bot", base_file_url=f"{api}/file/bot")


def retry_after_seconds(error: RetryAfter) -> float:
    """How long a 429 asks to wait, in seconds (PTB gives an int or a timedelta)."""
    value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


async def retrying(call: Callable[[], Awaitable[T]], attempts: int = RETRY_ATTEMPTS) -> T:
    """Run a Bot API call, waiting out a 429's `retry_after` (a few times, each at most a minute)."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as error:
            wait = retry_after_seconds(error)
            if attempt == attempts or wait > MAX_RETRY_AFTER:
                raise
            logger.warning("Telegram: flood control, retrying in %.0f s", wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable: the last attempt returns or raises")


def _keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.title[:64], callback_data=callback_data(b.payload))] for b in buttons]
    )


def _media(message: Message) -> Media:
    """A media message by type and size (its content is never read)."""
    for attribute, kind in _MEDIA:
        value = getattr(message, attribute, None)
        if value:
            item = value[-1] if isinstance(value, tuple | list) else value
            size = int(getattr(item, "file_size", 0) or 0)
            return Media(kind=kind.kind, mime=str(getattr(item, "mime_type", "") or ""), size=size)
    return Media(kind="otro")


def _command(text: str) -> str:
    """A deep link "/start PAYLOAD" is "/start"; "/cmd@OurBot" is "/cmd"."""
    if not text.startswith("/"):
        return text
    first, _, rest = text.partition(" ")
    name = first.split("@", 1)[0]
    if name == "/start":
        return name
    return f"{name} {rest}" if rest else name


class TelegramChannel:
    """Converts updates for the engine and sends its replies back through the Bot API."""

    def __init__(self, engine: Engine, bot: Bot, *, max_download_bytes: int = MAX_DOWNLOAD_BYTES) -> None:
        self.engine = engine
        self.bot = bot
        self.max_download_bytes = max_download_bytes

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, *, webhook_url: str | None = None, secret_token: str | None = None) -> None:
        """Check the token (getMe), register the commands and, in webhook mode, set the webhook."""
        # httpx logs every request URL at INFO, and Bot API URLs carry the token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        await self.bot.initialize()
        commands = [BotCommand(name, self.engine.text(response)) for name, response in COMMANDS]
        await retrying(lambda: self.bot.set_my_commands(commands))
        if webhook_url:
            await retrying(
                lambda: self.bot.set_webhook(
                    webhook_url, secret_token=secret_token, allowed_updates=ALLOWED_UPDATES
                )
            )
            logger.info("Telegram: webhook set for @%s", self.bot.username)

    async def stop(self) -> None:
        """Close the Bot API connections."""
        await self.bot.shutdown()

    @property
    def link(self) -> str | None:
        """The bot's t.me link, once getMe told its username."""
        try:
            username = self.bot.username
        except RuntimeError:
            return None
        return f"https://t.me/{username}" if username else None

    # -- updates ---------------------------------------------------------------------------

    @staticmethod
    def key(update: Update) -> str:
        """The conversation an update belongs to (for ordering its handling)."""
        chat = update.effective_chat
        return conversation_id(chat.id) if chat is not None else f"{CHANNEL}-update-{update.update_id}"

    async def process(self, update: Update, on_received: OnReceived) -> None:
        """Handle one update: private messages and taps reach the engine; other chats get a notice."""
        chat = update.effective_chat
        if chat is None:
            return
        if chat.type != ChatType.PRIVATE:
            await self._ask_private(update, chat.id)
        elif update.message is not None:
            await self._on_message(update.message, on_received)
        elif update.callback_query is not None:
            await self._on_callback(update, on_received)

    async def _ask_private(self, update: Update, chat_id: int) -> None:
        """A group, supergroup or channel: one short message, no trámite and nothing stored."""
        if update.callback_query is not None:
            await self._answer_query(update)
        if update.message is None and update.channel_post is None and update.callback_query is None:
            return
        text = self.engine.text("utter_escribe_en_privado")
        link = self.link
        if link:
            text = f"{text}\n{link}"
        try:
            await retrying(partial(self.bot.send_message, chat_id, text))
        except TelegramError as error:
            # A channel where the bot may not post, a group that removed it: nothing more to do.
            logger.info("Telegram: could not ask a group to write in private (%s)", type(error).__name__)

    async def _on_message(self, message: Message, on_received: OnReceived) -> None:
        """A new private message: text, a document, or media we cannot read."""
        chat_id = message.chat.id
        cid = conversation_id(chat_id)
        message_id = f"{chat_id}:{message.message_id}"
        sender = str(message.from_user.id) if message.from_user else str(chat_id)
        if message.text is not None:
            text = _command(message.text)
            incoming = Incoming(
                cid, CHANNEL, sender, message_id, text=text, time=message.date, deletable=True
            )
        elif message.document is not None:
            # A caption is dropped: it is never needed, and it could hold a password that would be stored.
            attachment = await self._download(message)
            incoming = Incoming(cid, CHANNEL, sender, message_id, attachment=attachment, time=message.date)
        elif message.effective_attachment is not None:
            incoming = Incoming(cid, CHANNEL, sender, message_id, media=_media(message), time=message.date)
        else:
            # Service messages (a pinned message...): nothing to answer.
            return
        await self.deliver(cid, await answer(self.engine, incoming, on_received))

    async def _on_callback(self, update: Update, on_received: OnReceived) -> None:
        """A tapped inline button: its data is what the person says."""
        query = update.callback_query
        assert query is not None
        await self._answer_query(update)
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        cid = conversation_id(chat_id)
        text = query.data or ""
        if is_hashed(text):
            resolved = await asyncio.to_thread(resolve, self.engine, cid, text)
            if resolved is None:
                notice = self.engine.text("utter_boton_no_disponible")
                await retrying(lambda: self.bot.send_message(chat_id, notice))
                return
            text = resolved
        incoming = Incoming(cid, CHANNEL, str(query.from_user.id), f"callback:{query.id}", text=text)
        await self.deliver(cid, await answer(self.engine, incoming, on_received))

    async def _answer_query(self, update: Update) -> None:
        """Stop the spinner on the tapped button right away; the reply may take a moment."""
        query = update.callback_query
        assert query is not None
        try:
            await retrying(lambda: self.bot.answer_callback_query(query.id))
        except TelegramError as error:
            logger.info("Telegram: could not answer a callback query (%s)", type(error).__name__)

    async def _download(self, message: Message) -> Attachment:
        """The document; over the limit Telegram reports, its size only (not a byte is downloaded)."""
        document = message.document
        assert document is not None
        filename = document.file_name or "archivo"
        mime = document.mime_type or "application/octet-stream"
        if document.file_size is not None and document.file_size > self.max_download_bytes:
            logger.info("Telegram: document of %d bytes refused before downloading", document.file_size)
            return Attachment(filename=filename, mime=mime, data=None, size=document.file_size)
        file = await retrying(lambda: self.bot.get_file(document.file_id))
        if file.file_size is not None and file.file_size > self.max_download_bytes:
            return Attachment(filename=filename, mime=mime, data=None, size=file.file_size)
        return Attachment(filename=filename, mime=mime, data=bytes(await file.download_as_bytearray()))

    # -- outgoing --------------------------------------------------------------------------

    async def deliver(self, conversation_id: str, replies: Sequence[Outgoing]) -> None:
        """Send replies to a conversation: an answer to its message, or an agent's or reminder's text.

        First what the engine asks to delete (and whether that worked), then every reply in order.
        """
        chat_id = int(conversation_id.removeprefix(f"{CHANNEL}-"))
        for reply in replies:
            if reply.deletion is not None:
                deleted = await self._delete(reply.deletion.message_id)
                # Never tell the person their password is gone when it is still on screen.
                notice = reply.deletion.deleted_text if deleted else reply.deletion.not_deleted_text
                await retrying(partial(self.bot.send_message, chat_id, notice))
        for reply in replies:
            await self._send(chat_id, reply)

    async def _send(self, chat_id: int, reply: Outgoing) -> None:
        text = reply.text
        markup = _keyboard(reply.buttons)
        if not text.strip() and reply.document is None and markup is not None:
            text = self.engine.text("utter_elige_opcion")
        if text.strip():
            pieces = split_text(text, MAX_MESSAGE_LENGTH)
            for i, piece in enumerate(pieces):
                keyboard = markup if i == len(pieces) - 1 and reply.document is None else None
                await retrying(partial(self.bot.send_message, chat_id, piece, reply_markup=keyboard))
        if reply.document is not None:
            document = reply.document
            data = await asyncio.to_thread(Path(document.path).read_bytes)
            await retrying(
                lambda: self.bot.send_document(
                    chat_id, document=data, filename=document.filename, reply_markup=markup
                )
            )

    async def _delete(self, message_id: str) -> bool:
        chat, _, number = message_id.rpartition(":")
        try:
            deleted = await retrying(
                partial(self.bot.delete_message, chat_id=int(chat), message_id=int(number))
            )
            return bool(deleted)
        except (TelegramError, ValueError) as error:
            logger.warning("Telegram: could not delete a message (%s)", type(error).__name__)
            return False
