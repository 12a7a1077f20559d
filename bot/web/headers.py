"""Security headers on every response: a strict CSP, no sniffing, no framing, no referrer, HSTS over https.

An ASGI middleware rather than a FastAPI one so static files, 404s and error responses get them too.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CONTENT_SECURITY_POLICY", "HSTS", "SecurityHeaders", "security_headers"]

#: No inline script or style anywhere (pages load /static files only), no plugins, no <base>, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
#: One year, subdomains too: sent only on https, where a browser honours it.
HSTS = "max-age=31536000; includeSubDomains"

_ALWAYS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
_OURS = {name for name, _ in _ALWAYS} | {b"strict-transport-security"}


def security_headers() -> dict[str, str]:
    """The headers sent on every response (without HSTS), for answers built outside the middleware."""
    return {name.decode("ascii"): value.decode("ascii") for name, value in _ALWAYS}


class SecurityHeaders:
    """Adds the security headers to every HTTP response of the wrapped app."""

    def __init__(self, app: ASGIApp, *, trust_forwarded_proto: bool = False) -> None:
        self.app = app
        self.trust_forwarded_proto = trust_forwarded_proto

    def _https(self, scope: Scope) -> bool:
        if scope.get("scheme") == "https":
            return True
        if not self.trust_forwarded_proto:
            # Anyone can send the header; only a proxy that always sets it makes it true.
            return False
        headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
        return headers.get(b"x-forwarded-proto", b"").split(b",")[0].strip().lower() == b"https"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the call on, replacing any header of ours the app set with the policy's value."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(_ALWAYS)
        if self._https(scope):
            extra.append((b"strict-transport-security", HSTS.encode("ascii")))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _OURS]
                message["headers"] = [*kept, *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
