"""Telegram adapter (python-telegram-bot 22, long polling): updates in, engine replies out.

How an update becomes an `Incoming`:

- conversation ``telegram-{chat_id}``, sender the Telegram user id, channel ``telegram``;
- message id (the engine's dedupe key) ``{chat_id}:{message_id}`` for a message, because Telegram message
  ids are unique and never reused inside a chat and a redelivered update carries the same message; the
  ``update_id`` is not used since Telegram restarts it at a random number after a quiet week.
  A tap on a button is ``callback:{callback_query.id}``: taps have no message of their own, and two taps
  on the same keyboard are two answers;
- a document (.cer/.key) is downloaded only when Telegram reports at most 64 KB; a bigger one reaches the
  engine as an attachment without data (it answers with the size limit) and not a byte is downloaded;
  photos, stickers, voice notes and other media reach the engine as `Media` (type and size only);
- a typed message is ``deletable``: when the engine asks (the e.firma password) it is deleted before the
  reply is sent, and the person is told whether that worked.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeAlias

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.engine import Attachment, Button, Engine, Incoming, Media, Outgoing

__all__ = [
    "CHANNEL",
    "MAX_CALLBACK_BYTES",
    "MAX_DOWNLOAD_BYTES",
    "MAX_MESSAGE_LENGTH",
    "TelegramApplication",
    "TelegramChannel",
    "build_application",
    "callback_data",
    "conversation_id",
    "polling",
    "split_text",
]

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
MAX_DOWNLOAD_BYTES = 64 * 1024
"""Documents Telegram reports as bigger are refused before downloading (e.firma files are ~2 KB)."""
MAX_MESSAGE_LENGTH = 4096
"""Telegram's limit for one message, counted in UTF-16 code units."""
MAX_CALLBACK_BYTES = 64
"""Telegram's limit for a button's callback data, in bytes."""
_HASHED = "#h:"

#: Telegram's media attributes and how the engine calls them.
_MEDIA: tuple[tuple[str, str], ...] = (
    ("voice", "voz"),
    ("audio", "audio"),
    ("photo", "foto"),
    ("video", "video"),
    ("video_note", "video"),
    ("animation", "video"),
    ("sticker", "sticker"),
    ("location", "ubicacion"),
    ("venue", "ubicacion"),
    ("contact", "contacto"),
)

TelegramApplication: TypeAlias = Application[
    ExtBot[None], ContextTypes.DEFAULT_TYPE, dict[Any, Any], dict[Any, Any], dict[Any, Any], None
]


def conversation_id(chat_id: int) -> str:
    """The engine's conversation id for a Telegram chat."""
    return f"{CHANNEL}-{chat_id}"


def _hash(payload: str) -> str:
    return _HASHED + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def callback_data(payload: str) -> str:
    """The payload itself when it fits Telegram's 64 bytes, else a short stable hash of it.

    The hash is resolved back from the conversation's stored bot messages, so no in-memory map is lost
    on a restart and any worker can resolve it.
    """
    if len(payload.encode("utf-8")) <= MAX_CALLBACK_BYTES and not payload.startswith(_HASHED):
        return payload
    return _hash(payload)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut at a paragraph, line or space when there is one."""
    pieces: list[str] = []
    rest = text
    while _utf16_len(rest) > limit:
        # The longest prefix within the limit (characters outside the BMP count twice).
        end = min(len(rest), limit)
        while _utf16_len(rest[:end]) > limit:
            end -= 1
        window = rest[:end]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            # One word longer than a message: cut it.
            cut = end
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


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
            return Media(kind=kind, mime=str(getattr(item, "mime_type", "") or ""), size=size)  # type: ignore[arg-type]
    return Media(kind="otro")


def _command(text: str) -> str:
    """A deep link "/start PAYLOAD" is "/start"; "/cmd@OurBot" in a group is "/cmd"."""
    if not text.startswith("/"):
        return text
    first, _, rest = text.partition(" ")
    name = first.split("@", 1)[0]
    if name == "/start":
        return name
    return f"{name} {rest}" if rest else name


class TelegramChannel:
    """Converts updates for the engine and sends its replies back through the Bot API."""

    def __init__(self, engine: Engine, *, max_download_bytes: int = MAX_DOWNLOAD_BYTES) -> None:
        self.engine = engine
        self.max_download_bytes = max_download_bytes

    # -- handlers --------------------------------------------------------------------------

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A new message: text, a document, or media we cannot read."""
        message = update.message
        if message is None:
            return
        chat_id = message.chat.id
        cid = conversation_id(chat_id)
        message_id = f"{chat_id}:{message.message_id}"
        sender = str(message.from_user.id) if message.from_user else str(chat_id)
        if message.text is not None:
            text = _command(message.text)
            when = message.date
            incoming = Incoming(cid, CHANNEL, sender, message_id, text=text, time=when, deletable=True)
        elif message.document is not None:
            # A caption is dropped: it is never needed, and it could hold a password that would be stored.
            attachment = await self._download(message)
            incoming = Incoming(cid, CHANNEL, sender, message_id, attachment=attachment, time=message.date)
        elif message.effective_attachment is not None:
            incoming = Incoming(cid, CHANNEL, sender, message_id, media=_media(message), time=message.date)
        else:
            # Service messages (someone joined a group, a pinned message...): nothing to answer.
            return
        await self.deliver(context.bot, chat_id, await self.engine.handle(incoming))

    async def on_callback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A tapped inline button: its data is what the person says."""
        query = update.callback_query
        if query is None:
            return
        try:
            # Stops the spinner on the button right away; the reply may take a moment.
            await query.answer()
        except TelegramError as error:
            logger.info("Telegram: could not answer a callback query (%s)", type(error).__name__)
        chat_id = query.message.chat.id if query.message is not None else query.from_user.id
        cid = conversation_id(chat_id)
        text = query.data or ""
        if text.startswith(_HASHED):
            resolved = self._resolve(cid, text)
            if resolved is None:
                await context.bot.send_message(chat_id, self.engine.text("utter_boton_no_disponible"))
                return
            text = resolved
        incoming = Incoming(cid, CHANNEL, str(query.from_user.id), f"callback:{query.id}", text=text)
        await self.deliver(context.bot, chat_id, await self.engine.handle(incoming))

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log the failure (no message contents) and tell the person something went wrong."""
        logger.error("Telegram: an update failed", exc_info=context.error)
        if isinstance(update, Update) and update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, self.engine.text("utter_error"))
            except TelegramError:
                logger.warning("Telegram: could not send the error message either")

    # -- incoming --------------------------------------------------------------------------

    async def _download(self, message: Message) -> Attachment:
        """The document; over the limit Telegram reports, its size only (not a byte is downloaded)."""
        document = message.document
        assert document is not None
        filename = document.file_name or "archivo"
        mime = document.mime_type or "application/octet-stream"
        if document.file_size is not None and document.file_size > self.max_download_bytes:
            logger.info("Telegram: document of %d bytes refused before downloading", document.file_size)
            return Attachment(filename=filename, mime=mime, data=None, size=document.file_size)
        file = await document.get_file()
        if file.file_size is not None and file.file_size > self.max_download_bytes:
            return Attachment(filename=filename, mime=mime, data=None, size=file.file_size)
        return Attachment(filename=filename, mime=mime, data=bytes(await file.download_as_bytearray()))

    def _resolve(self, cid: str, data: str) -> str | None:
        """The long payload behind a hashed callback, from the buttons the bot sent in this chat."""
        for entry in reversed(self.engine.transcript(cid)):
            for button in entry.buttons:
                if _hash(button.payload) == data:
                    return button.payload
        return None

    # -- outgoing --------------------------------------------------------------------------

    async def deliver(self, bot: Bot, chat_id: int, replies: Sequence[Outgoing]) -> None:
        """Delete what the engine asks to delete (and say whether it worked), then send every reply."""
        for reply in replies:
            if reply.deletion is not None:
                deleted = await self._delete(bot, reply.deletion.message_id)
                # Never tell the person their password is gone when it is still on screen.
                notice = reply.deletion.deleted_text if deleted else reply.deletion.not_deleted_text
                await bot.send_message(chat_id, notice)
        for reply in replies:
            await self._send(bot, chat_id, reply.text, reply)

    async def _send(self, bot: Bot, chat_id: int, text: str, reply: Outgoing) -> None:
        markup = _keyboard(reply.buttons)
        if not text.strip() and reply.document is None and markup is not None:
            text = self.engine.text("utter_elige_opcion")
        if text.strip():
            pieces = split_text(text)
            for i, piece in enumerate(pieces):
                last = i == len(pieces) - 1
                await bot.send_message(
                    chat_id, piece, reply_markup=markup if last and reply.document is None else None
                )
        if reply.document is not None:
            await bot.send_document(
                chat_id,
                document=Path(reply.document.path).read_bytes(),
                filename=reply.document.filename,
                reply_markup=markup,
            )

    async def _delete(self, bot: Bot, message_id: str) -> bool:
        chat, _, number = message_id.rpartition(":")
        try:
            return bool(await bot.delete_message(chat_id=int(chat), message_id=int(number)))
        except (TelegramError, ValueError) as error:
            logger.warning("Telegram: could not delete a message (%s)", type(error).__name__)
            return False


def build_application(engine: Engine, token: str, api_url: str | None = None) -> TelegramApplication:
    """A python-telegram-bot Application bound to the engine; `api_url` replaces https://api.telegram.org."""
    builder = Application.builder().token(token).job_queue(None)
    if api_url:
        api = api_url.rstrip("/")
        builder = builder.base_url(f"{api}/bot").base_file_url(f"{api}/file/bot")
    application = builder.build()
    channel = TelegramChannel(engine)
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, channel.on_message))
    application.add_handler(CallbackQueryHandler(channel.on_callback))
    application.add_error_handler(channel.on_error)
    return application


@asynccontextmanager
async def polling(application: TelegramApplication, *, poll_timeout: float = 10.0) -> AsyncIterator[None]:
    """Poll Telegram inside the running event loop until the block ends (then stop cleanly)."""
    # httpx logs every request URL at INFO, and Bot API URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    async with application:
        updater = application.updater
        if updater is None:
            raise RuntimeError("The Telegram application was built without an updater")
        await application.start()
        await updater.start_polling(
            timeout=timedelta(seconds=poll_timeout), allowed_updates=["message", "callback_query"]
        )
        logger.info("Telegram: polling as @%s", application.bot.username)
        try:
            yield
        finally:
            await updater.stop()
            await application.stop()
            logger.info("Telegram: polling stopped")
