"""One logging configuration, for our loggers and uvicorn's alike, that never shows personal data in full.

CURP, NSS and RFC keep their first 4 and last 2 characters; emails their first letter and domain; phone
numbers their first and last 2 digits; conversation tokens and signed links their first 4 characters.
Every record goes through one masked handler on the root logger: uvicorn's error and access loggers keep
no handler of their own, so their lines (request paths with tokens, tracebacks) are masked too.
"""

from __future__ import annotations

import logging
import logging.config
import re
from typing import Any

from tramites.identidad import enmascarar

__all__ = [
    "MaskingFilter",
    "configure_logging",
    "log_config",
    "mask_emails",
    "mask_identifiers",
    "mask_personal_data",
]

# Lax on purpose: a mistyped CURP is still personal data.
_IDENTIFIERS = re.compile(
    r"\b(?:[A-Za-z]{4}\d{6}[A-Za-z0-9]{6,8}|[A-Za-zÑñ&]{3,4}\d{6}[A-Za-z0-9]{3}|\d{11})\b"
)
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])([A-Za-z0-9._%+-]*)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
# A Mexican number: ten digits (two- or three-digit area code), maybe +52 (and the old mobile 1) before.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+?52[\s.-]?(?:1[\s.-]?)?)?"
    r"(?:(?:\(\d{2}\)|\d{2})[\s.-]?\d{4}|(?:\(\d{3}\)|\d{3})[\s.-]?\d{3})[\s.-]?\d{4}(?!\w)"
)
# Web-chat tokens (32 url-safe characters), signed document links (payload.signature), bot tokens.
_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{24,}(?:\.[A-Za-z0-9_-]{16,})?(?![A-Za-z0-9_-])")
# Hex ids and hashes (a conversation id is "web-" and 40 hex digits) are not secrets and help debugging.
_HEX_ID = re.compile(r"(?:[a-z]+-)?[0-9a-f]+")
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def mask_identifiers(text: str) -> str:
    """Replace every CURP-, RFC- or NSS-shaped token with its masked form."""
    return _IDENTIFIERS.sub(lambda m: enmascarar(m.group(0)), text)


def mask_emails(text: str) -> str:
    """Replace every email with its first letter and domain: `a***@correo.mx`."""
    return _EMAIL.sub(lambda m: f"{m.group(1)}***@{m.group(3)}", text)


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return digits[:2] + "*" * (len(digits) - 4) + digits[-2:]


def _token(match: re.Match[str]) -> str:
    token = match.group(0)
    return token if _HEX_ID.fullmatch(token) else token[:4] + "…"


def mask_personal_data(text: str) -> str:
    """Mask identifiers, emails, phone numbers and conversation tokens or links in `text`."""
    text = mask_emails(mask_identifiers(text))
    text = _PHONE.sub(_phone, text)
    return _TOKEN.sub(_token, text)


class MaskingFilter(logging.Filter):
    """Masks personal data in the final message of every record passing a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, masked, and drop the raw arguments."""
        record.msg = mask_personal_data(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters reuse a cached exc_text: an exception message may carry a CURP too.
            record.exc_text = mask_personal_data(logging.Formatter().formatException(record.exc_info))
        if record.stack_info:
            record.stack_info = mask_personal_data(record.stack_info)
        return True


def log_config(level: int | str = logging.INFO) -> dict[str, Any]:
    """The `dictConfig` for every process: one masked stderr handler on the root, uvicorn's loggers on it.

    `serve` hands it to uvicorn (`log_config=`), which applies it in each worker process it starts.
    """
    name = logging.getLevelName(level) if isinstance(level, int) else level
    through_root = {"level": name, "handlers": [], "propagate": True}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"mask": {"()": "bot.logs.MaskingFilter"}},
        "formatters": {"plain": {"format": _FORMAT}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "plain",
                "filters": ["mask"],
            }
        },
        "root": {"level": name, "handlers": ["stderr"]},
        "loggers": {
            "uvicorn": dict(through_root),
            "uvicorn.error": dict(through_root),
            "uvicorn.access": dict(through_root),
        },
    }


def configure_logging(level: int = logging.INFO) -> None:
    """Apply `log_config`: root logging to stderr with personal data masked, uvicorn's included."""
    logging.config.dictConfig(log_config(level))
