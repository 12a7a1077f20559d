"""Channel-neutral messages: what a channel adapter hands the engine and what it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

__all__ = ["MENSAJE_BORRADO", "Attachment", "Button", "Document", "Incoming", "Outgoing"]

#: What the person is told when a channel deletes their password message; a channel that could not
#: delete it replaces this sentence, so nobody is told a visible message is gone.
MENSAJE_BORRADO = "Borré tu mensaje con la contraseña por seguridad."


@dataclass(frozen=True)
class Attachment:
    """A file the person sent (an e.firma .cer/.key, a photo...)."""

    filename: str
    mime: str
    data: bytes = field(repr=False)

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.data)


@dataclass(frozen=True)
class Incoming:
    """One message from a person, already stripped of channel-specific types."""

    conversation_id: str
    channel: str
    sender: str
    message_id: str
    text: str = ""
    attachment: Attachment | None = None
    time: datetime = field(default_factory=lambda: datetime.now(UTC))
    #: Whether the channel can delete this message later (Telegram can).
    deletable: bool = False


@dataclass(frozen=True)
class Button:
    """A quick-reply choice: what the person sees and what it sends back."""

    title: str
    payload: str


@dataclass(frozen=True)
class Document:
    """A file the bot sends back, usually an issued PDF."""

    path: str
    filename: str
    mime: str = "application/pdf"


@dataclass(frozen=True)
class Outgoing:
    """One bot message for the channel to render."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    document: Document | None = None
    #: Set when the channel should delete the person's message (e.g. a password).
    delete_message_id: str | None = None

    def to_json(self) -> dict[str, object]:
        """The `asistente chat --json` contract shape."""
        return {
            "text": self.text,
            "buttons": [{"title": b.title, "payload": b.payload} for b in self.buttons],
            "document": None
            if self.document is None
            else {
                "path": self.document.path,
                "filename": self.document.filename,
                "mime": self.document.mime,
            },
        }
