"""How updates are taken in: many chats at once, each chat's in order, and a flooding user
throttled before their updates cost anything.

Each update waits for its chat's turn (the updates of one chat run one after the other, so
replies keep the order of the questions), then for one of ``concurrency`` slots; updates of
other chats do not wait for it. A user over ``ADAL_RATE_LIMIT`` messages a minute gets one
polite notice, sent at once (ahead of the replies still queued for them, so the seconds it
names are right when it arrives), and is ignored until the minute has passed, from the moment
their update arrives: a flood never queues up.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from enum import Enum
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

WINDOW = 60.0  # seconds: ADAL_RATE_LIMIT counts a user's updates within this window
CONCURRENCY = 64  # updates of different chats handled at once
ADMITTED = 4096  # updates accepted at once (PTB's own limit; the real one is CONCURRENCY)
FORGET_AFTER = 1024  # users remembered before idle ones are forgotten


class Verdict(Enum):
    """What becomes of an update."""

    PASS = "pass"
    NOTICE = "notice"  # the first one over the limit: tell the user
    DROP = "drop"  # over the limit: ignore


class Throttle:
    """At most ``limit`` updates per user within ``window`` seconds (a sliding window).

    The first update over the limit gets a notice; the user is then ignored until the oldest
    update in their window is ``window`` seconds old. Ignored updates are not counted.
    """

    def __init__(
        self, limit: int, window: float = WINDOW, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._times: dict[int, deque[float]] = {}
        self._muted_until: dict[int, float] = {}

    def check(self, user_id: int) -> Verdict:
        """Count an update of ``user_id`` and say what to do with it."""
        now = self.clock()
        if self._muted_until.get(user_id, 0.0) > now:
            return Verdict.DROP
        self._muted_until.pop(user_id, None)
        times = self._times.setdefault(user_id, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        if len(times) >= self.limit:
            self._muted_until[user_id] = times[0] + self.window
            return Verdict.NOTICE
        times.append(now)
        if len(self._times) > FORGET_AFTER:
            self._forget(now)
        return Verdict.PASS

    def seconds_left(self, user_id: int) -> float:
        """How long ``user_id`` is still ignored."""
        return max(0.0, self._muted_until.get(user_id, 0.0) - self.clock())

    def _forget(self, now: float) -> None:
        """Drop the users with no update in the window, and the mutes that have ended."""
        for user_id in [u for u, t in self._times.items() if not t or t[-1] <= now - self.window]:
            del self._times[user_id]
        self._muted_until = {u: until for u, until in self._muted_until.items() if until > now}


def _counted_user(update: object) -> int | None:
    """The user whose rate an update counts against: messages and buttons, not inline queries
    (typed letter by letter) nor membership changes."""
    if isinstance(update, Update) and (update.message or update.callback_query):
        user = update.effective_user
        return user.id if user else None
    return None


def _chat_key(update: object) -> int | None:
    """The chat whose updates go in order: the chat, else the user (inline queries)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user else None


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Updates of different chats concurrently, one chat's in order, floods throttled.

    ``notice(update)`` tells a user they are throttled; ``seen()`` is called for every update.
    """

    def __init__(
        self,
        throttle: Throttle,
        notice: Callable[[Update], Awaitable[None]],
        seen: Callable[[], None],
        on_throttled: Callable[[], None],
    ) -> None:
        super().__init__(ADMITTED)
        self.throttle = throttle
        self.notice = notice
        self.seen = seen
        self.on_throttled = on_throttled
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: Counter[int] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Throttle, then wait for the chat's turn and a slot, then process."""
        self.seen()
        user_id = _counted_user(update)
        verdict = Verdict.PASS if user_id is None else self.throttle.check(user_id)
        if verdict is not Verdict.PASS:
            if isinstance(coroutine, Coroutine):
                coroutine.close()
            self.on_throttled()
            if verdict is Verdict.NOTICE and isinstance(update, Update):
                async with self._slots:  # at once: not behind the chat's queued updates
                    await self.notice(update)
            return
        async with self._chat_turn(_chat_key(update)), self._slots:
            await coroutine

    @contextlib.asynccontextmanager
    async def _chat_turn(self, key: int | None) -> AsyncIterator[None]:
        if key is None:
            yield
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] += 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""
