"""Channel-neutral messages: what a channel adapter hands the engine and what it gets back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

__all__ = [
    "UPLOAD_LIMIT_BYTES",
    "Attachment",
    "Button",
    "Deletion",
    "Document",
    "Incoming",
    "Media",
    "Outgoing",
]

#: Channels refuse bigger files before downloading them (e.firma .cer/.key files are about 2 KB); the
#: engine then answers with the limit, and not a byte of the file reaches the server.
UPLOAD_LIMIT_BYTES = 64 * 1024

#: Media the assistant cannot read yet; the engine answers honestly and records only type and size.
MediaKind = Literal["voz", "audio", "foto", "video", "sticker", "ubicacion", "contacto", "otro"]


@dataclass(frozen=True)
class Attachment:
    """A file the person sent (an e.firma .cer/.key...).

    `data` is None when the channel refused to download it because `size` is over its limit: the engine
    still answers (the file is too big) without a byte of it ever reaching the server.
    """

    filename: str
    mime: str
    data: bytes | None = field(default=None, repr=False)
    size: int = -1

    def __post_init__(self) -> None:
        if self.size < 0:
            object.__setattr__(self, "size", len(self.data or b""))


@dataclass(frozen=True)
class Media:
    """A voice note, photo, sticker or video: recorded by type and size, never by content."""

    kind: MediaKind
    mime: str = ""
    size: int = 0


def media_kind(mime: str) -> MediaKind | None:
    """What kind of media a file of this type is, for channels that receive every file alike (web, CLI)."""
    kind = mime.partition("/")[0]
    return {"image": "foto", "audio": "audio", "video": "video"}.get(kind)  # type: ignore[return-value]


@dataclass(frozen=True)
class Incoming:
    """One message from a person, already stripped of channel-specific types."""

    conversation_id: str
    channel: str
    sender: str
    message_id: str
    text: str = ""
    attachment: Attachment | None = None
    media: Media | None = None
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
class Deletion:
    """Delete the person's message (a password) and tell them which of the two texts applies."""

    message_id: str
    #: Said once the channel deleted the message.
    deleted_text: str
    #: Said when the channel could not delete it, so nobody is told a visible password is gone.
    not_deleted_text: str


@dataclass(frozen=True)
class Outgoing:
    """One bot message for the channel to render."""

    text: str = ""
    buttons: tuple[Button, ...] = ()
    document: Document | None = None
    #: Set on the first reply to a message that must be deleted (the e.firma password).
    deletion: Deletion | None = None

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
