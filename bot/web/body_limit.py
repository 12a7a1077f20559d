"""Request bodies are bounded before anything parses them: by Content-Length, then chunk by chunk.

A body over its limit gets 413 with a short Spanish message. Limits depend on what the body is: a file
upload (multipart) may reach the upload limit plus its framing, a webhook call the webhook limit, and
anything else (JSON, forms) 64 KB, far above any message a person types.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["JSON_LIMIT_BYTES", "MENSAJE_413", "BodyLimit", "BodyTooLarge", "limits_by_kind"]

JSON_LIMIT_BYTES = 64 * 1024
#: Room for the multipart boundary and part headers around an upload of the full allowed size.
_MULTIPART_FRAMING_BYTES = 16 * 1024
MENSAJE_413 = "Lo que enviaste es demasiado grande."


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the streamed body passes its limit (FastAPI renders it as 413)."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail=MENSAJE_413)


def limits_by_kind(upload_bytes: int, webhook_bytes: int) -> Callable[[Scope], int]:
    """The limit for a request: webhooks, multipart uploads, or the JSON limit for the rest."""

    def limit(scope: Scope) -> int:
        if str(scope.get("path", "")).startswith("/webhooks/"):
            return webhook_bytes
        headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
        if headers.get(b"content-type", b"").lower().startswith(b"multipart/form-data"):
            return upload_bytes + _MULTIPART_FRAMING_BYTES
        return JSON_LIMIT_BYTES

    return limit


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else None
    return None


class BodyLimit:
    """Refuses bodies over the limit `limit_for(scope)`, before and while they are read."""

    def __init__(self, app: ASGIApp, limit_for: Callable[[Scope], int]) -> None:
        self.app = app
        self.limit_for = limit_for

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413 at once for a declared length over the limit, else count the chunks as they come."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await JSONResponse({"detail": MENSAJE_413}, status_code=413)(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # A chunked body, or one longer than it declared: stop reading here.
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge:
            # Raised where no handler turned it into a response (a streaming read outside a route).
            if started:
                raise
            await JSONResponse({"detail": MENSAJE_413}, status_code=413)(scope, receive, send)
