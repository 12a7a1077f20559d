"""A small client for the WhatsApp Cloud API (Meta's Graph API) over httpx.

pywa hard-codes graph.facebook.com; this client takes the API root (`WHATSAPP_API_URL`), so tests and
proxies can stand in for Meta. Every call carries the bearer token. A 429 or a 5xx is retried a few
times (honouring `Retry-After`, bounded); any other failure raises `GraphError`, whose text holds the
HTTP status and Meta's error code and title, never the message we tried to send.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx

__all__ = ["DEFAULT_API_URL", "GraphApi", "GraphError", "MediaInfo"]

logger = logging.getLogger(__name__)

DEFAULT_API_URL = "https://graph.facebook.com/v21.0"
#: A `Retry-After` longer than this is not waited out.
MAX_RETRY_WAIT = 30.0


class GraphError(Exception):
    """The Graph API refused a call (or kept failing): status, Meta's code and title only."""

    def __init__(self, status: int, code: int | None = None, title: str = "") -> None:
        self.status = status
        self.code = code
        self.title = title
        super().__init__(f"HTTP {status}, code {code}: {title}" if code is not None else f"HTTP {status}")


@dataclass(frozen=True)
class MediaInfo:
    """What GET /{media-id} says of a file the person sent."""

    url: str
    mime: str
    size: int


def _error(response: httpx.Response) -> GraphError:
    try:
        body = response.json().get("error") or {}
    except ValueError:
        body = {}
    code = body.get("code") if isinstance(body.get("code"), int) else None
    # The title names the kind of error ("Re-engagement message"); Meta's `message` may echo content.
    title = str(body.get("error_user_title") or body.get("type") or "")[:120]
    return GraphError(response.status_code, code, title)


class GraphApi:
    """The calls the WhatsApp adapter makes: send, upload and read media, download."""

    def __init__(
        self,
        base_url: str,
        token: str,
        phone_number_id: str,
        *,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 20.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.phone_number_id = phone_number_id
        self.retries = retries
        self.backoff = backoff
        self._client = httpx.AsyncClient(
            headers={"Authorization": f"Bearer {token}"}, timeout=timeout, follow_redirects=False
        )

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        await self._client.aclose()

    async def send(self, message: dict[str, Any]) -> str:
        """POST /{phone-number-id}/messages; the wamid of the message sent."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", **message}
        response = await self._request("POST", f"{self.base_url}/{self.phone_number_id}/messages", json=body)
        messages = response.json().get("messages") or [{}]
        return str(messages[0].get("id", ""))

    async def upload(self, data: bytes, filename: str, mime: str) -> str:
        """POST /{phone-number-id}/media (multipart); the media id to send it with."""
        response = await self._request(
            "POST",
            f"{self.base_url}/{self.phone_number_id}/media",
            data={"messaging_product": "whatsapp", "type": mime},
            files={"file": (filename, data, mime)},
        )
        return str(response.json()["id"])

    async def media(self, media_id: str) -> MediaInfo:
        """GET /{media-id}: where a file the person sent can be downloaded, its type and size."""
        response = await self._request("GET", f"{self.base_url}/{media_id}")
        info = response.json()
        return MediaInfo(
            url=str(info.get("url", "")),
            mime=str(info.get("mime_type", "")),
            size=int(info.get("file_size") or 0),
        )

    async def download(self, url: str, limit: int) -> bytes | None:
        """The file at a media URL, or None as soon as it proves bigger than `limit` bytes."""
        async with self._client.stream("GET", url) as response:
            if response.status_code != 200:
                raise GraphError(response.status_code)
            data = bytearray()
            async for chunk in response.aiter_bytes():
                data += chunk
                if len(data) > limit:
                    return None
            return bytes(data)

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One call, retried on 429 and 5xx (and network errors) a bounded number of times."""
        for attempt in range(1, self.retries + 1):
            last = attempt == self.retries
            try:
                response = await self._client.request(method, url, **kwargs)
            except httpx.TransportError as error:
                if last:
                    raise GraphError(0, None, type(error).__name__) from None
                await asyncio.sleep(self.backoff * 2.0 ** (attempt - 1))
                continue
            if response.is_success:
                return response
            if (response.status_code != 429 and response.status_code < 500) or last:
                raise _error(response)
            wait = self._retry_after(response, attempt)
            logger.warning("WhatsApp: Graph API answered %d; retrying in %.1f s", response.status_code, wait)
            await asyncio.sleep(wait)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _retry_after(self, response: httpx.Response, attempt: int) -> float:
        header = response.headers.get("retry-after", "")
        try:
            return min(max(float(header), 0.0), MAX_RETRY_WAIT)
        except ValueError:
            return min(self.backoff * 2.0 ** (attempt - 1), MAX_RETRY_WAIT)
