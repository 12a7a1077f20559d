"""Logging that never shows a full CURP, NSS or RFC."""

from __future__ import annotations

import logging
import re

from tramites.identidad import enmascarar

__all__ = ["MaskingFilter", "configure_logging", "mask_identifiers"]

# Lax on purpose: a mistyped CURP is still personal data.
_IDENTIFIERS = re.compile(
    r"\b(?:[A-Za-z]{4}\d{6}[A-Za-z0-9]{6,8}|[A-Za-zÑñ&]{3,4}\d{6}[A-Za-z0-9]{3}|\d{11})\b"
)


def mask_identifiers(text: str) -> str:
    """Replace every CURP-, RFC- or NSS-shaped token with its masked form."""
    return _IDENTIFIERS.sub(lambda m: enmascarar(m.group(0)), text)


class MaskingFilter(logging.Filter):
    """Masks identifiers in the final message of every record passing a handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message once, masked, and drop the raw arguments."""
        record.msg = mask_identifiers(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters reuse a cached exc_text: an exception message may carry a CURP too.
            record.exc_text = mask_identifiers(logging.Formatter().formatException(record.exc_info))
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Root logging to stderr with identifiers masked."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskingFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
