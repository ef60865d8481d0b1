"""Telegram's flood limits, kept per chat: a chat's flood control never holds back the others.

Messages are spaced ``1/30`` s apart overall, ``PRIVATE_CHAT_INTERVAL`` apart in one private
chat and ``GROUP_CHAT_INTERVAL`` in one group (Telegram allows about 30 a second, one a second
per chat and 20 a minute per group). A 429 ("retry after N") for a message pauses that chat
only, for N seconds, and the message is sent again (up to ``max_retries`` times); a 429 for a
request without a chat waits for that request only. PTB's ``AIORateLimiter`` pauses every
request of the bot instead.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.telegram.notices import retry_after_seconds

log = logging.getLogger(__name__)

OVERALL_RATE = 30.0  # messages a second
PRIVATE_CHAT_INTERVAL = 1.05  # seconds between two messages to one private chat
GROUP_CHAT_INTERVAL = 3.05  # 20 a minute
RETRY_MARGIN = 0.1  # seconds added to Telegram's retry_after
MAX_RETRIES = 3
SEND_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "copyMessage",
        "forwardMessage",
        "editMessageText",
        "editMessageReplyMarkup",
    }
)
FORGET_AFTER = 4096  # chats remembered before those free again are forgotten

Result = bool | dict[str, Any] | list[dict[str, Any]]


class ChatRateLimiter(BaseRateLimiter[int]):
    """Spaces messages overall and per chat; a 429 pauses its chat only."""

    def __init__(
        self, max_retries: int = MAX_RETRIES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_retries = max_retries
        self.clock = clock
        self._next_overall = 0.0
        self._next: dict[int | str, float] = {}  # when each chat may get its next message
        self._sent: dict[int | str, float] = {}  # when each chat's last message left

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def _turn(self, chat: int | str) -> None:
        """Wait for the chat's next slot, then for an overall one (each booked at once)."""
        now = self.clock()
        if len(self._next) > FORGET_AFTER:
            self._next = {c: t for c, t in self._next.items() if t > now}
            self._sent = {c: t for c, t in self._sent.items() if c in self._next}
        group = isinstance(chat, str) or chat < 0
        interval = GROUP_CHAT_INTERVAL if group else PRIVATE_CHAT_INTERVAL
        slot = max(now, self._next.get(chat, 0.0))
        self._next[chat] = slot + interval
        await asyncio.sleep(slot - now)
        # The chat's previous message may have left after its slot (a busy loop): keep the
        # interval from when it really left.
        late = self._sent.get(chat, -interval) + interval - self.clock()
        if late > 0:
            await asyncio.sleep(late)
        now = self.clock()
        slot = max(now, self._next_overall)
        self._next_overall = slot + 1.0 / OVERALL_RATE
        await asyncio.sleep(slot - now)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Send the request in its chat's turn; on a 429, pause the chat and send it again."""
        raw = data.get("chat_id")
        chat: int | str | None = None
        if endpoint in SEND_METHODS and raw is not None:
            chat = int(raw) if str(raw).lstrip("-").isdigit() else str(raw)
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        attempt = 0
        while True:
            if chat is not None:
                await self._turn(chat)
                self._sent[chat] = self.clock()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt >= retries:
                    raise
                attempt += 1
                pause = retry_after_seconds(exc) + RETRY_MARGIN
                log.info("flood control on %s: trying again in %.1f s", endpoint, pause)
                if chat is None:
                    await asyncio.sleep(pause)
                else:
                    self._next[chat] = max(self._next.get(chat, 0.0), self.clock() + pause)
