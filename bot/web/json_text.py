"""JSON bodies must be text: valid UTF-8 with no lone surrogate (`"\ud800"`), or 400 before any route.

Python's json accepts a lone surrogate escape and hands back a string that later fails to encode (a 500
deep in a turn, or a row the database refuses); a body that is not UTF-8 fails the same way. Both are
refused here, once, for every JSON endpoint. The body was already bounded (bot/web/body_limit.py).
"""

from __future__ import annotations

import json

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["MENSAJE_400", "JsonTextCheck", "is_json_text"]

MENSAJE_400 = "No pudimos leer el texto que enviaste. Revisa que esté en UTF-8."


def is_json_text(body: bytes) -> bool:
    """False for a body that is not UTF-8, nests too deep, or holds a lone surrogate; True otherwise."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    try:
        value = json.loads(text)
    except RecursionError:
        return False
    except ValueError:
        # Malformed JSON is the endpoint's to answer (422 with what it expected).
        return True
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    except RecursionError:
        return False
    return True


def _is_json(scope: Scope) -> bool:
    headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
    kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return kind == b"application/json" or kind.endswith(b"+json")


class JsonTextCheck:
    """Reads a JSON body whole (it is bounded), refuses it with 400 if it is not text, else replays it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check the body of JSON requests; pass every other request through untouched."""
        if scope["type"] != "http" or not _is_json(scope):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client went away: nothing to answer.
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if not is_json_text(body):
            await JSONResponse({"detail": MENSAJE_400}, status_code=400)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
