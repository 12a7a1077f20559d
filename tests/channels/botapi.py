"""A local stand-in for the Telegram Bot API, served on 127.0.0.1, that records every call.

It implements what python-telegram-bot calls while polling and replying: getMe, setMyCommands,
setWebhook, deleteWebhook, getUpdates (real offset semantics, long poll capped at 0.5 s, 409 Conflict
for a second poller or while a webhook is set, as Telegram does), sendMessage, sendDocument
(multipart), deleteMessage, answerCallbackQuery, getFile and the file download URL. Any method can be
made to answer 429 with a `retry_after` (`flood`). Tests queue updates built with the helpers (`text`,
`document`, `photo`, `tap`, `group_text`) and wait, with a deadline, for the bot's calls.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN = "123456:TEST-token-for-the-stand-in"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "Asistente IMSS", "username": "asistente_imss_bot"}
#: Parameters that stay strings even when they look like JSON ("12345" typed as a message).
_STRING_PARAMS = {"text", "caption", "callback_query_id", "file_id", "parse_mode", "filename"}
#: Long polls never hold a test longer than this.
MAX_LONG_POLL = 0.5
REPLY_METHODS = ("sendMessage", "sendDocument")


@dataclass
class Call:
    """One Bot API request as the stand-in received it."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The message text (empty for other calls)."""
        return str(self.params.get("text", ""))

    @property
    def callback_data(self) -> list[str]:
        """Every button's callback data in this message's inline keyboard."""
        markup = self.params.get("reply_markup") or {}
        return [b.get("callback_data", "") for row in markup.get("inline_keyboard", []) for b in row]


def wait_until(predicate: Callable[[], bool], timeout: float, describe: Callable[[], str]) -> None:
    """Wait until `predicate()` holds; fail after `timeout` seconds with `describe()`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {describe()}")


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve_in_thread(app: Any, timeout: float = 30) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on 127.0.0.1 in a thread (lifespan included); yields its URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.02)
    if not server.started:
        server.should_exit = True
        thread.join(timeout=10)
        raise RuntimeError("the server did not start (see the log above)")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


class BotApi:
    """The stand-in's state: queued updates, stored files and every recorded call."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.url = ""
        self.calls: list[Call] = []
        self.downloads: list[str] = []
        #: Update ids served by getUpdates, in order (a redelivered one appears twice).
        self.served: list[int] = []
        #: When False, deleteMessage answers like Telegram does for a message it cannot delete.
        self.can_delete = True
        #: Method → how many of its next calls answer 429 with retry_after 1.
        self.flood: dict[str, int] = {}
        #: The webhook set with setWebhook (url, secret_token), or None.
        self.webhook: tuple[str, str] | None = None
        #: getUpdates calls refused because another one was running (two pollers).
        self.conflicts = 0
        #: Called with each update an offset confirms, when Telegram would forget it.
        self.on_confirm: Callable[[dict[str, Any]], None] | None = None
        self._polls = 0
        self._lock = threading.Lock()
        self._updates: list[dict[str, Any]] = []
        self._redeliver: list[dict[str, Any]] = []
        self._files: dict[str, tuple[str, bytes]] = {}
        self._update_ids = itertools.count(7_000)
        self._person_message_ids = itertools.count(100)
        self._bot_message_ids = itertools.count(90_000)
        self._file_ids = itertools.count(1)
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
            ]
        )

    # -- what tests call ---------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for the next getUpdates."""
        with self._lock:
            self._updates.append(update)
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """Serve an already confirmed update once more, as Telegram may after a crash."""
        with self._lock:
            self._redeliver.append(update)

    # -- building updates (queue them with `push` or `say`) ----------------------------------

    def text(self, chat_id: int, text: str) -> dict[str, Any]:
        """A person's text message (commands carry their bot_command entity)."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self._message_update(chat_id, content)

    def document(
        self, chat_id: int, filename: str, data: bytes, mime: str, *, file_size: int | None = None
    ) -> dict[str, Any]:
        """A file sent as a document; `file_size` is what Telegram reports (default: the real size)."""
        file_id = f"doc-{next(self._file_ids)}"
        with self._lock:
            self._files[file_id] = (f"documents/{file_id}_{filename}", data)
        document = {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_name": filename,
            "mime_type": mime,
            "file_size": len(data) if file_size is None else file_size,
        }
        return self._message_update(chat_id, {"document": document})

    def group_text(self, chat_id: int, text: str, chat_type: str = "group") -> dict[str, Any]:
        """A message in a group or supergroup (chat ids of groups are negative)."""
        update = self.text(chat_id, text)
        update["message"]["chat"] = {"id": chat_id, "type": chat_type, "title": "Familia"}
        update["message"]["from"] = self._person(abs(chat_id) % 1_000_000)
        return update

    def photo(self, chat_id: int) -> dict[str, Any]:
        """A photo (two sizes, as Telegram sends them)."""
        sizes = [
            {"file_id": f"ph-{i}", "file_unique_id": f"uph-{i}", "width": w, "height": w, "file_size": w * 40}
            for i, w in ((1, 90), (2, 320))
        ]
        return self._message_update(chat_id, {"photo": sizes})

    def tap(self, chat_id: int, data: str, message_id: int = 90_000) -> dict[str, Any]:
        """A tap on an inline button of the bot's message `message_id`."""
        update = {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": f"cq-{next(self._update_ids)}",
                "from": self._person(chat_id),
                "chat_instance": f"ci-{chat_id}",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
                    "from": BOT_USER,
                    "text": "¿Qué necesitas?",
                },
            },
        }
        return update

    def snapshot(self) -> list[Call]:
        """A copy of the calls so far."""
        with self._lock:
            return list(self.calls)

    def mark(self) -> int:
        """How many calls there are now (to look only at later ones)."""
        with self._lock:
            return len(self.calls)

    def replies(self, since: int = 0) -> list[Call]:
        """sendMessage / sendDocument calls after `since`."""
        return [c for c in self.snapshot()[since:] if c.method in REPLY_METHODS]

    def methods(self, since: int = 0) -> list[str]:
        """Method names after `since`, polling left out."""
        return [c.method for c in self.snapshot()[since:] if c.method != "getUpdates"]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30, what: str = "") -> None:
        """Wait until `predicate()` holds; fail after `timeout` seconds."""
        wait_until(predicate, timeout, lambda: f"{what or predicate!r}; calls: {self.methods()}")

    def settle(self, quiet: float = 0.3, timeout: float = 10) -> None:
        """Wait until no call but polling arrived for `quiet` seconds (the bot finished replying)."""
        deadline = time.monotonic() + timeout
        last = self.methods()
        since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.05)
            now = self.methods()
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return

    def say(self, update: dict[str, Any], expect: str = "", timeout: float = 30) -> list[Call]:
        """Queue an update; once a reply containing `expect` came and the bot went quiet, the replies."""
        since = self.mark()
        self.push(update)
        self.wait_for(
            lambda: any(expect in c.text for c in self.replies(since)),
            timeout,
            what=f"a reply containing {expect!r}",
        )
        self.settle()
        return self.replies(since)

    def _person(self, chat_id: int) -> dict[str, Any]:
        return {"id": chat_id, "is_bot": False, "first_name": "Ana", "language_code": "es"}

    def _message_update(self, chat_id: int, content: dict[str, Any]) -> dict[str, Any]:
        return {
            "update_id": next(self._update_ids),
            "message": {
                "message_id": next(self._person_message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private", "first_name": "Ana"},
                "from": self._person(chat_id),
                **content,
            },
        }

    # -- the HTTP side -----------------------------------------------------------------------

    async def _params(self, request: Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
        params: dict[str, Any] = dict(request.query_params)
        files: dict[str, tuple[str, bytes]] = {}
        if request.method == "POST":
            if request.headers.get("content-type", "").startswith("application/json"):
                params.update(await request.json())
            else:
                form = await request.form()
                for key, value in form.multi_items():
                    if isinstance(value, UploadFile):
                        files[key] = (value.filename or "", await value.read())
                    else:
                        params[key] = value
        for key, value in list(params.items()):
            if isinstance(value, str) and key not in _STRING_PARAMS:
                with suppress(ValueError):
                    params[key] = json.loads(value)
        return params, files

    async def _api(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path_params["method"]
        params, files = await self._params(request)
        with self._lock:
            self.calls.append(Call(method, params, files))
            flooded = self.flood.get(method, 0) > 0
            if flooded:
                self.flood[method] -= 1
        if flooded:
            return JSONResponse(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry after 1",
                    "parameters": {"retry_after": 1},
                },
                429,
            )
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return JSONResponse(
                {"ok": False, "error_code": 404, "description": f"Not Found: {method} (stand-in)"}, 404
            )
        result = await handler(params, files)
        if isinstance(result, Response):
            return result
        return JSONResponse({"ok": True, "result": result})

    async def _download(self, request: Request) -> Response:
        path = request.path_params["path"]
        with self._lock:
            self.downloads.append(path)
            found = next((data for p, data in self._files.values() if p == path), None)
        if request.path_params["token"] != self.token or found is None:
            return Response(status_code=404)
        return Response(found, media_type="application/octet-stream")

    async def _m_getMe(self, params: dict[str, Any], files: Any) -> Any:
        return {**BOT_USER, "can_join_groups": True, "can_read_all_group_messages": False}

    async def _m_deleteWebhook(self, params: dict[str, Any], files: Any) -> Any:
        self.webhook = None
        return True

    async def _m_setWebhook(self, params: dict[str, Any], files: Any) -> Any:
        self.webhook = (str(params["url"]), str(params.get("secret_token", "")))
        return True

    async def _m_setMyCommands(self, params: dict[str, Any], files: Any) -> Any:
        return True

    def _conflict(self, why: str) -> Response:
        self.conflicts += 1
        return JSONResponse({"ok": False, "error_code": 409, "description": f"Conflict: {why}"}, 409)

    async def _m_getUpdates(self, params: dict[str, Any], files: Any) -> Any:
        if self.webhook is not None:
            return self._conflict("can't use getUpdates method while webhook is active")
        with self._lock:
            if self._polls:
                return self._conflict("terminated by other getUpdates request")
            self._polls += 1
        try:
            return await self._poll(params)
        finally:
            with self._lock:
                self._polls -= 1

    async def _poll(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), MAX_LONG_POLL)
        deadline = time.monotonic() + wait
        while True:
            with self._lock:
                # Like Telegram: an offset confirms (forgets) every earlier update.
                confirmed = [u for u in self._updates if u["update_id"] < offset]
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                batch = self._redeliver + self._updates
                self._redeliver = []
                if batch:
                    self.served.extend(u["update_id"] for u in batch)
            for update in confirmed:
                if self.on_confirm is not None:
                    self.on_confirm(update)
            if batch:
                return batch
            if time.monotonic() >= deadline:
                return []
            await asyncio.sleep(0.02)

    def _sent(self, chat_id: Any, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._bot_message_ids),
            "date": int(time.time()),
            "chat": {"id": int(chat_id), "type": "private", "first_name": "Ana"},
            "from": BOT_USER,
            **content,
        }

    async def _m_sendMessage(self, params: dict[str, Any], files: Any) -> Any:
        return self._sent(params["chat_id"], text=str(params.get("text", "")))

    async def _m_sendDocument(self, params: dict[str, Any], files: dict[str, tuple[str, bytes]]) -> Any:
        name = next(iter(files.values()))[0] if files else "documento"
        document = {"file_id": "sent-1", "file_unique_id": "sent-u1", "file_name": name}
        return self._sent(params["chat_id"], document=document)

    async def _m_deleteMessage(self, params: dict[str, Any], files: Any) -> Any:
        if not self.can_delete:
            return JSONResponse(
                {"ok": False, "error_code": 400, "description": "Bad Request: message can't be deleted"},
                400,
            )
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any], files: Any) -> Any:
        return True

    async def _m_getFile(self, params: dict[str, Any], files: Any) -> Any:
        file_id = str(params["file_id"])
        with self._lock:
            path, data = self._files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_size": len(data),
            "file_path": path,
        }
