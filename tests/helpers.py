"""Helpers for tests that talk to the assistant."""

from __future__ import annotations

import asyncio
import io
import uuid
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from bot.engine import Attachment, Engine, Incoming, Outgoing
from bot.settings import Settings
from tests.databases import fresh_database_url


def make_settings(data_dir: Path, nlu_cache_dir: Path, **overrides: Any) -> Settings:
    """Settings on a private data folder and a fresh database, ignoring any `.env` of the developer.

    The database is SQLite in the data folder, or a new PostgreSQL database when the run asks for one
    (tests/databases.py).
    """
    database_url = overrides.pop("database_url", None) or fresh_database_url(str(data_dir))
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        asistente_data_dir=data_dir,
        nlu_cache_dir=nlu_cache_dir,
        database_url=database_url,
        **overrides,
    )


class Chat:
    """A person chatting with an engine, one message at a time."""

    def __init__(self, engine: Engine, conversation_id: str | None = None, channel: str = "terminal") -> None:
        self.engine = engine
        self.conversation_id = conversation_id or f"test-{uuid.uuid4().hex[:10]}"
        self.channel = channel

    def send(
        self, text: str = "", *, message_id: str | None = None, attachment: Attachment | None = None
    ) -> list[Outgoing]:
        """Send one message and return the replies."""
        incoming = Incoming(
            conversation_id=self.conversation_id,
            channel=self.channel,
            sender="persona",
            message_id=message_id or uuid.uuid4().hex,
            text=text,
            attachment=attachment,
        )
        return asyncio.run(self.engine.handle(incoming))

    def say(self, text: str) -> str:
        """Send and return all reply texts joined by newlines."""
        return "\n".join(m.text for m in self.send(text))


def pdf_text(path: str | Path) -> str:
    """All the text of a PDF, as a reader would extract it."""
    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
