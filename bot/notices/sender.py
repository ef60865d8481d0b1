"""Drain the outbox within Telegram's flood limits, losing nothing.

Each message goes through the same steps: wait for its chat's turn (one message a second per
chat) and for an overall slot (about 30 a second), mark its rows ``sending`` (committed), make
the one HTTP call, record the outcome. A process killed at any moment leaves ``sending`` only
on the rows whose call was under way; :meth:`Store.recover_in_flight` sends those again at the
next start, so a duplicate is possible for them alone (at most ``Limits.concurrency`` messages).
A call that timed out may also have been delivered: it is retried, with the same caveat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Generic, Literal, Protocol, TypeVar

from bot.store import Delivery, Store

log = logging.getLogger(__name__)

Message = TypeVar("Message")
MessageT = TypeVar("MessageT", contravariant=True)
Outcome = Literal["sent", "failed", "skipped"]

PAGE = 500  # outbox rows read at a time
MAX_ATTEMPTS = 20  # attempts before a row is given up (the backoffs add up to about 2 hours)
BACKOFF_BASE = 2.0  # seconds; doubled after each network failure
BACKOFF_CAP = 600.0
IDLE_STEP = 0.01  # shortest pause between two passes over the outbox
LONGEST_NAP = 1.0  # longest: keep_going is asked again at least this often


class DeliveryError(Exception):
    """A message could not be delivered; the subclass says what to do about it."""


class DeliveryBlocked(DeliveryError):
    """The user blocked the bot (403): mark them inactive, send them nothing more."""


class DeliveryRejected(DeliveryError):
    """Telegram refused the message (400): record why and go on."""


class DeliveryRetryAfter(DeliveryError):
    """Flood control (429): wait ``seconds`` before sending anything, then retry."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:g} s")
        self.seconds = seconds


class DeliveryTransient(DeliveryError):
    """A network error or a timeout: retry with backoff."""


class Transport(Protocol[MessageT]):
    """Sends one message; raises a :class:`DeliveryError` subclass on failure."""

    async def send(self, chat_id: int, message: MessageT) -> None:
        """Deliver ``message`` to ``chat_id``."""
        ...


@dataclass(frozen=True)
class Limits:
    """How fast the sender may go; the defaults stay just under Telegram's limits."""

    rate: float = 28.5  # messages a second overall (Telegram allows about 30)
    chat_interval: float = 1.05  # seconds between two messages to one chat (about 1 a second)
    concurrency: int = 8  # calls under way at once (the most a kill can leave in flight)
    linger: float = 30.0  # a drain waits for retries due within this many seconds


@dataclass
class DrainReport:
    """What one drain did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0
    blocked: int = 0
    retried: int = 0
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        """How long the drain took (so far)."""
        return (self.finished or time.monotonic()) - self.started


class RateLimiter:
    """Spaces messages ``1/rate`` apart overall and ``chat_interval`` apart per chat.

    Even spacing (rather than bursts) keeps any one-second window under the limit as Telegram
    counts it; waiters are served in order. A chat's next message waits ``chat_interval`` from
    the end of its previous call, so Telegram sees them at least that far apart. A 429 pauses
    everything for its ``retry_after``.
    """

    def __init__(
        self, rate: float, chat_interval: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._gap = 1.0 / rate
        self._chat_interval = chat_interval
        self._clock = clock
        self._next = 0.0
        self._paused_until = 0.0
        self._lock = asyncio.Lock()  # FIFO: slots go to waiters in arrival order
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_waiters: Counter[int] = Counter()
        self._chat_free: dict[int, float] = {}

    @contextlib.asynccontextmanager
    async def chat_turn(self, chat_id: int) -> AsyncIterator[None]:
        """Hold the chat's turn: one message at a time, ``chat_interval`` after the last sent."""
        lock = self._chat_locks.setdefault(chat_id, asyncio.Lock())
        self._chat_waiters[chat_id] += 1
        try:
            async with lock:
                delay = self._chat_free.get(chat_id, 0.0) - self._clock()
                if delay > 0:
                    await asyncio.sleep(delay)
                yield
        finally:
            self._chat_waiters[chat_id] -= 1
            if not self._chat_waiters[chat_id]:
                del self._chat_waiters[chat_id], self._chat_locks[chat_id]

    def sent(self, chat_id: int) -> None:
        """Record that a call to ``chat_id`` has just ended."""
        now = self._clock()
        if len(self._chat_free) > PAGE:  # forget chats that are free again
            self._chat_free = {c: t for c, t in self._chat_free.items() if t > now}
        self._chat_free[chat_id] = now + self._chat_interval

    async def acquire(self) -> None:
        """Wait for the next overall slot (and for a pause to end), then take it."""
        async with self._lock:
            while (start := max(self._next, self._paused_until)) > (now := self._clock()):
                await asyncio.sleep(start - now)
            # the next slot counts from this one's due time, not from the (slightly later)
            # wake-up, unless the limiter has been idle
            self._next = (start if now - start < self._gap else now) + self._gap

    def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds``."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th network failure."""
    return float(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempts - 1, 0)))


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Sender(Generic[Message]):
    """Sends the outbox's due rows through a transport, within the limits.

    ``render`` turns a chat's rows (one notice, or a digest's several) into a message; None
    means the notice is gone from the knowledge base and the rows are skipped.
    """

    def __init__(
        self,
        store: Store,
        transport: Transport[Message],
        render: Callable[[list[Delivery]], Message | None],
        *,
        limits: Limits | None = None,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.store = store
        self.transport = transport
        self.render = render
        self.limits = limits or Limits()
        self.now = now
        self.limiter = RateLimiter(self.limits.rate, self.limits.chat_interval)
        self.busy = False

    async def drain(self, keep_going: Callable[[], bool] = lambda: True) -> DrainReport:
        """Send every due row; return when none is due within ``limits.linger`` seconds.

        ``keep_going`` is asked before each new message: once it says False, the messages under
        way finish and the drain returns. A second drain while one runs returns at once.
        """
        report = DrainReport()
        if self.busy:
            return report
        self.busy = True
        try:
            while keep_going():
                self.store.skip_inactive()
                await self._pass(report, keep_going)
                ready_at = self.store.next_ready_at()
                if ready_at is None:
                    break
                wait = (ready_at - self.now()).total_seconds()
                if wait > self.limits.linger:
                    break
                await asyncio.sleep(min(max(wait, IDLE_STEP), LONGEST_NAP))
        finally:
            self.busy = False
            report.finished = time.monotonic()
        return report

    async def _pass(self, report: DrainReport, keep_going: Callable[[], bool]) -> None:
        """One walk over the rows due now, in id order, ``concurrency`` messages at a time."""
        slots = asyncio.Semaphore(self.limits.concurrency)
        tasks: set[asyncio.Task[None]] = set()

        def done(task: asyncio.Task[None]) -> None:
            tasks.discard(task)
            slots.release()

        after = 0
        while rows := self.store.ready_deliveries(self.now(), after_id=after, limit=PAGE):
            after = rows[-1].id
            for row in rows:
                await slots.acquire()
                if not keep_going():
                    slots.release()
                    break
                task = asyncio.create_task(self._deliver(row, report))
                tasks.add(task)
                task.add_done_callback(done)
            if not keep_going():
                break
        await asyncio.gather(*tasks)

    async def _deliver(self, first: Delivery, report: DrainReport) -> None:
        """Send one message: ``first``'s notice, or the chat's whole digest."""
        async with self.limiter.chat_turn(first.chat_id):
            batch = self.store.digest_batch(first.chat_id, self.now()) if first.digest else [first]
            ids = [row.id for row in batch]
            if not ids:
                return  # a digest already sent with an earlier row
            await self.limiter.acquire()
            if not self.store.claim(ids):
                return  # taken meanwhile by another message of the same chat
            try:
                await self._send(first.chat_id, batch, report)
            finally:
                self.limiter.sent(first.chat_id)

    async def _send(self, chat_id: int, batch: list[Delivery], report: DrainReport) -> None:
        """Render and send the claimed rows; record the outcome."""
        ids = [row.id for row in batch]
        attempts = max(row.attempts for row in batch) + 1
        try:
            message = self.render(batch)
            if message is None:
                self._finish(ids, "skipped", report, error="notice no longer in the knowledge base")
                return
            await self.transport.send(chat_id, message)
        except DeliveryRetryAfter as exc:
            self.limiter.pause(exc.seconds)
            self._retry(ids, exc.seconds, report, str(exc))
        except DeliveryBlocked as exc:
            self.store.set_active(chat_id, False)
            self._finish(ids, "skipped", report, error=f"blocked: {exc}")
            report.blocked += 1
            report.skipped += self.store.skip_inactive(chat_id)
        except DeliveryRejected as exc:
            self._finish(ids, "failed", report, error=str(exc))
        except DeliveryTransient as exc:
            if attempts >= MAX_ATTEMPTS:
                self._finish(ids, "failed", report, error=f"gave up after {attempts}: {exc}")
            else:
                self._retry(ids, backoff(attempts), report, f"network: {exc}")
        except Exception as exc:
            log.exception("notice rows %s to chat %s failed", ids, chat_id)
            self._finish(ids, "failed", report, error=repr(exc))
        else:
            self._finish(ids, "sent", report)

    def _finish(
        self, ids: list[int], state: Outcome, report: DrainReport, *, error: str | None = None
    ) -> None:
        self.store.finish(ids, state, now=self.now(), error=error)
        setattr(report, state, getattr(report, state) + len(ids))

    def _retry(self, ids: list[int], seconds: float, report: DrainReport, error: str) -> None:
        now = self.now()
        self.store.finish(
            ids, "pending", now=now, error=error, retry_at=now + timedelta(seconds=seconds)
        )
        report.retried += len(ids)
