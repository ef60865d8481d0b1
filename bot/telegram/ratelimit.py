"""Telegram's flood limits: messages spaced overall and per chat, and a 429 pauses everything.

Messages are spaced ``1/30`` s apart overall, ``PRIVATE_CHAT_INTERVAL`` apart in one private
chat and ``GROUP_CHAT_INTERVAL`` in one group (Telegram allows about 30 a second, one a second
per chat and 20 a minute per group). A 429 ("retry after N") for any request pauses every
request of the bot for N seconds, as PTB's ``AIORateLimiter`` does, and the request is sent
again (up to ``max_retries`` times). The pause is a :class:`~bot.notices.sender.FloodPause` the
notice sender shares (:func:`flood_pause`), so a 429 holds back replies and notices alike, once.
A request that surely delivered nothing (a server error, a refused connection) is sent again up
to ``SERVER_RETRIES`` times; one that timed out or lost its connection is not, as it may have
been delivered (:func:`uncertain`).
"""

from __future__ import annotations

import asyncio
import logging
import time
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

import httpx
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import BaseRateLimiter, ExtBot
from telegram.warnings import PTBDeprecationWarning

from bot.notices.sender import FloodPause

log = logging.getLogger(__name__)

OVERALL_RATE = 30.0  # messages a second
PRIVATE_CHAT_INTERVAL = 1.05  # seconds between two messages to one private chat
GROUP_CHAT_INTERVAL = 3.05  # 20 a minute
RETRY_MARGIN = 0.1  # seconds added to Telegram's retry_after
MAX_RETRIES = 3
SERVER_RETRIES = 2  # a request surely not delivered (a 5xx, a refused connection) goes again
SERVER_BACKOFF = 0.5  # seconds before its first retry, doubled for the next
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


def retry_after_seconds(error: RetryAfter) -> float:
    """``retry_after`` in seconds, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ChatRateLimiter(BaseRateLimiter[int]):
    """Spaces messages overall and per chat; a 429 pauses every request."""

    def __init__(
        self, max_retries: int = MAX_RETRIES, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_retries = max_retries
        self.clock = clock
        self.flood = FloodPause(clock)
        self._next_overall = 0.0
        self._next: dict[int | str, float] = {}  # when each chat may get its next message
        self._sent: dict[int | str, float] = {}  # when each chat's last message left

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""

    async def _turn(self, chat: int | str) -> None:
        """Wait for the chat's next slot (booked at once), then for an overall one."""
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
        await self._overall_turn()

    async def _overall_turn(self) -> None:
        """Wait for the next overall slot (booked at once) outside any pause; a pause that
        began meanwhile is waited out and a new slot booked after it."""
        while True:
            now = self.clock()
            slot = max(now, self._next_overall, self.flood.until)
            self._next_overall = slot + 1.0 / OVERALL_RATE
            await asyncio.sleep(slot - now)
            if self.flood.until <= self.clock():
                return

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        """Send the request in its turn; on a 429, pause everything and send it again; send a
        request surely not delivered again after a short wait."""
        raw = data.get("chat_id")
        chat: int | str | None = None
        if endpoint in SEND_METHODS and raw is not None:
            chat = int(raw) if str(raw).lstrip("-").isdigit() else str(raw)
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        attempt = failures = 0
        while True:
            if chat is None:
                await self.flood.wait()
            else:
                await self._turn(chat)
                self._sent[chat] = self.clock()
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                pause = retry_after_seconds(exc) + RETRY_MARGIN
                self.flood.extend(pause)
                if attempt >= retries:
                    raise
                attempt += 1
                log.info("flood control on %s: nothing is sent for %.1f s", endpoint, pause)
            except NetworkError as exc:
                if not unsent(exc) or failures >= SERVER_RETRIES:
                    raise
                wait = SERVER_BACKOFF * 2**failures
                failures += 1
                log.info("%s not delivered (%s): trying again in %.1f s", endpoint, exc, wait)
                await asyncio.sleep(wait)


def unsent(error: BaseException) -> bool:
    """Whether a failed request surely delivered nothing: Telegram answered with an error
    status (a 5xx, say), or the connection was refused."""
    cause = error.__cause__
    return type(error) is NetworkError and (
        cause is None or isinstance(cause, TelegramError | httpx.ConnectError)
    )


def uncertain(error: BaseException | None) -> bool:
    """Whether a failed request may have been delivered all the same: it timed out, or its
    connection dropped, after it was sent."""
    return (
        isinstance(error, NetworkError) and not isinstance(error, BadRequest) and not unsent(error)
    )


def flood_pause(bot: Bot) -> FloodPause | None:
    """The pause ``bot``'s own limiter keeps, for the notice sender to share; None without."""
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    return limiter.flood if isinstance(limiter, ChatRateLimiter) else None
