"""Telegram as it is deployed: webhook mode behind /webhooks/telegram, and several workers, one poller.

The webhook tests post updates to the web app as Telegram would, with the secret token it was given at
setWebhook; the workers test runs `asistente serve --workers 2` as a real process against the stand-in.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.container import Container
from bot.web.app import create_app
from tests.channels.botapi import BotApi, free_port, serve_in_thread
from tests.channels.conftest import build_assistant, disposed
from tests.databases import fresh_database_url
from tests.efirma_factory import CaPrueba

CHAT = 515151
WEBHOOK_URL = "https://asistente.example.org/webhooks/telegram"


@pytest.fixture
def webhook_container(
    tmp_path: Path, nlu_cache_dir: Path, ca: CaPrueba, botapi: BotApi
) -> Iterator[Container]:
    """The assistant with TELEGRAM_WEBHOOK_URL set."""
    with disposed(
        build_assistant(tmp_path, nlu_cache_dir, ca, botapi, telegram_webhook_url=WEBHOOK_URL)
    ) as c:
        yield c


class Telegram:
    """Telegram's side of the webhook: posts updates with the secret token."""

    def __init__(self, url: str, botapi: BotApi) -> None:
        self.botapi = botapi
        self.client = httpx.Client(base_url=url, timeout=30)

    def post(self, update: dict[str, Any], secret: str | None = None) -> httpx.Response:
        """POST an update; with the secret set at setWebhook unless another is given ('' for none)."""
        assert self.botapi.webhook is not None
        token = self.botapi.webhook[1] if secret is None else secret
        headers = {"x-telegram-bot-api-secret-token": token} if token else {}
        return self.client.post("/webhooks/telegram", json=update, headers=headers)


@pytest.fixture
def telegram_webhook(webhook_container: Container, botapi: BotApi) -> Iterator[Telegram]:
    """The web app in webhook mode."""
    with serve_in_thread(create_app(webhook_container)) as url:
        telegram = Telegram(url, botapi)
        yield telegram
        telegram.client.close()


def test_webhook_mode_sets_the_webhook_with_a_secret_and_never_polls(
    telegram_webhook: Telegram, botapi: BotApi
) -> None:
    assert botapi.webhook is not None
    url, secret = botapi.webhook
    assert url == WEBHOOK_URL and len(secret) >= 32
    (set_webhook,) = [c for c in botapi.snapshot() if c.method == "setWebhook"]
    assert set_webhook.params["allowed_updates"] == ["message", "callback_query", "channel_post"]
    assert "setMyCommands" in botapi.methods()
    update = botapi.text(CHAT, "/start")
    assert telegram_webhook.post(update, secret="").status_code == 401
    assert telegram_webhook.post(update, secret="otro-secreto").status_code == 403
    botapi.settle()
    assert botapi.replies() == []
    response = telegram_webhook.post(update)
    assert response.status_code == 200
    botapi.wait_for(lambda: any("Soy el asistente" in c.text for c in botapi.replies()), what="greeting")
    botapi.settle()
    assert "getUpdates" not in [c.method for c in botapi.snapshot()]


def test_a_replayed_webhook_update_gets_no_second_answer(
    telegram_webhook: Telegram, botapi: BotApi, webhook_container: Container
) -> None:
    update = botapi.text(CHAT, "quiero mi nss")
    assert telegram_webhook.post(update).status_code == 200
    botapi.wait_for(lambda: any("CURP" in c.text for c in botapi.replies()), what="the question")
    botapi.settle()
    answered = len(botapi.replies())
    assert telegram_webhook.post(update).status_code == 200
    botapi.settle()
    assert len(botapi.replies()) == answered
    message_id = f"{CHAT}:{update['message']['message_id']}"
    claim = webhook_container.store.claim_of("telegram", message_id)
    assert claim is not None and claim.done


def test_a_webhook_group_message_gets_the_write_in_private_reply(
    telegram_webhook: Telegram, botapi: BotApi
) -> None:
    assert telegram_webhook.post(botapi.group_text(-4242, "hola bot")).status_code == 200
    botapi.wait_for(lambda: any("privado" in c.text for c in botapi.replies()), what="the notice")
    (notice,) = botapi.replies()
    assert notice.params["chat_id"] == -4242


# ------------------------------------------------------------------------------------ workers


def test_two_workers_one_poller(
    tmp_path: Path, nlu_cache_dir: Path, botapi: BotApi, container: Container
) -> None:
    """`asistente serve --workers 2`: one process polls, the other stands by; every update answered once."""
    # The `container` fixture trained (or reused) the NLU cache the server processes load.
    port = free_port()
    env = {
        **os.environ,
        "ASISTENTE_DATA_DIR": str(tmp_path / "servidor"),
        "NLU_CACHE_DIR": str(nlu_cache_dir),
        "TELEGRAM_TOKEN": botapi.token,
        "TELEGRAM_API_URL": botapi.url,
    }
    database_url = fresh_database_url()
    if database_url:
        env["DATABASE_URL"] = database_url
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--port", str(port), "--workers", "2"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        botapi.wait_for(
            lambda: "getUpdates" in [c.method for c in botapi.snapshot()], timeout=120, what="polling"
        )
        chats = [CHAT + n for n in range(6)]
        for chat in chats:
            botapi.push(botapi.text(chat, "/start"))
        botapi.wait_for(
            lambda: (
                {c.params["chat_id"] for c in botapi.replies() if "Soy el asistente" in c.text} == set(chats)
            ),
            timeout=60,
            what="every chat greeted",
        )
        botapi.settle(quiet=1.0)
        greeted = [c.params["chat_id"] for c in botapi.replies() if "Soy el asistente" in c.text]
        assert sorted(greeted) == chats
        assert botapi.conflicts == 0
        assert [c.method for c in botapi.snapshot()].count("setMyCommands") == 2
    finally:
        process.send_signal(signal.SIGINT)
        try:
            _out, log = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, log = process.communicate(timeout=10)
    assert log.count("Telegram: polling as @asistente_imss_bot") == 1, log[-3000:]
