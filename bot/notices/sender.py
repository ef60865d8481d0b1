"""Drain the outbox within Telegram's flood limits, losing nothing.

Each message goes through the same steps: wait for its chat's turn (one message a second per
chat) and for an overall slot (about 30 a second), mark its rows ``sending`` (committed, and
only while this process holds the lease: :mod:`bot.notices.lease`), make the one HTTP call,
record the outcome. A process killed at any moment leaves ``sending`` only on the rows whose
call was under way; the process that takes the lease over sends those again, so a duplicate is
possible for them alone (at most ``Limits.concurrency`` messages). A call that timed out may
also have been delivered: it is retried, with the same caveat.

When the database cannot be written (full, read-only, locked) the sender claims nothing more,
keeps the outcomes of the calls already made in memory, logs one error, and records them and
goes on as soon as it can (one warning, once a write has really gone through): no delivered
row is left ``sending`` to be sent again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import sqlite3
import time
from collections import Counter, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Generic, Protocol, TypeVar

from bot.notices.lease import Lease, utc_now
from bot.notices.offload import Offload, in_place
from bot.store import Delivery, DeliveryState, Store, describe, disk_error

log = logging.getLogger(__name__)

Message = TypeVar("Message")
MessageT = TypeVar("MessageT", contravariant=True)

PAGE = 500  # outbox rows read at a time
MAX_ATTEMPTS = 20  # attempts before a row is given up (the backoffs add up to about 2 hours)
BACKOFF_BASE = 2.0  # seconds; doubled after each network failure
BACKOFF_CAP = 600.0
IDLE_STEP = 0.01  # shortest pause between two passes over the outbox
LONGEST_NAP = 1.0  # longest: keep_going is asked again at least this often
STORE_RETRY = 2.0  # seconds between two tries to write to a database that refused a write
HELD_RETRY = 60.0  # seconds between two looks at rows whose notice is left out for a problem
HELD = "notice left out of the knowledge base for a problem: waits until it is fixed"


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


class DeliveryHeld(DeliveryError):
    """The notice is left out of the base for a problem: its rows wait until it is fixed."""


class DeliveryTransient(DeliveryError):
    """A network error or a timeout: retry with backoff. ``uncertain``: the message may have
    been delivered all the same (a timeout, a connection dropped after sending)."""

    def __init__(self, message: str, *, uncertain: bool = False) -> None:
        super().__init__(message)
        self.uncertain = uncertain


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
    uncertain: int = 0  # rows whose message may have arrived although it failed (sent again)
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None

    @property
    def seconds(self) -> float:
        """How long the drain took (so far)."""
        return (self.finished or time.monotonic()) - self.started

    def __str__(self) -> str:
        """The drain in one line for the log, with the messages that may have gone twice."""
        return (
            f"{self.sent} sent, {self.failed} failed, {self.skipped} skipped ({self.blocked}"
            f" blocked), {self.retried} retried, {self.uncertain} maybe delivered twice (a"
            f" timeout or a connection dropped after sending) in {self.seconds:.1f} s"
        )


class FloodPause:
    """Until when nothing at all may be sent: the latest 429's ``retry_after``.

    One is shared by everything that sends through a bot (its replies and the notice sender),
    so a 429 for any message holds back every other one.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.until = 0.0

    def extend(self, seconds: float) -> None:
        """Send nothing for ``seconds`` from now (a longer pause under way stays as it is)."""
        self.until = max(self.until, self.clock() + seconds)

    async def wait(self) -> None:
        """Return once no pause is under way."""
        while (left := self.until - self.clock()) > 0:
            await asyncio.sleep(left)


class RateLimiter:
    """Spaces messages ``1/rate`` apart overall and ``chat_interval`` apart per chat.

    Even spacing (rather than bursts) keeps any one-second window under the limit as Telegram
    counts it; waiters are served in order. Slots missed while the process was stalled (a busy
    machine) are not made up in a burst: no more than ``ceil(rate)`` messages go in any second.
    A chat's next message waits ``chat_interval`` from the end of its previous call, so Telegram
    sees them at least that far apart. A 429 pauses everything for its ``retry_after``: the
    ``flood`` pause, shared with the bot's own limiter when it has one.
    """

    def __init__(
        self,
        rate: float,
        chat_interval: float,
        clock: Callable[[], float] = time.monotonic,
        flood: FloodPause | None = None,
    ) -> None:
        self._gap = 1.0 / rate
        self._chat_interval = chat_interval
        self._clock = clock
        self._next = 0.0
        self.flood = flood or FloodPause(clock)
        self._taken: deque[float] = deque(maxlen=math.ceil(rate))  # the latest slots' times
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
            while (start := max(self._next, self.flood.until, self._second_free())) > (
                now := self._clock()
            ):
                await asyncio.sleep(start - now)
            # the next slot counts from this one's due time, not from the (slightly later)
            # wake-up, unless the limiter has been idle
            self._next = (start if now - start < self._gap else now) + self._gap
            self._taken.append(now)

    def _second_free(self) -> float:
        """When one more message leaves at most ``ceil(rate)`` in a second: a second after the
        oldest of the latest ``ceil(rate)`` (0 while fewer were sent)."""
        full = len(self._taken) == self._taken.maxlen
        return self._taken[0] + 1.0 if full else 0.0

    def pause(self, seconds: float) -> None:
        """Send nothing for ``seconds``."""
        self.flood.extend(seconds)


def backoff(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th network failure."""
    return float(min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(attempts - 1, 0)))


@dataclass(frozen=True)
class Outcome:
    """What became of one message: its rows' new state, and why."""

    state: DeliveryState
    error: str | None = None
    retry_after: float | None = None  # seconds, for a row back to pending
    blocked: bool = False  # the user blocked the bot
    uncertain: bool = False  # the message may have been delivered although it failed


def failure(exc: DeliveryError, attempts: int) -> Outcome:
    """What becomes of a message whose ``attempts``-th send raised ``exc``."""
    if isinstance(exc, DeliveryRetryAfter):
        return Outcome("pending", str(exc), retry_after=exc.seconds)
    if isinstance(exc, DeliveryBlocked):
        return Outcome("skipped", f"blocked: {exc}", blocked=True)
    if isinstance(exc, DeliveryHeld):
        return Outcome("pending", HELD, retry_after=HELD_RETRY)
    if isinstance(exc, DeliveryTransient):
        if attempts >= MAX_ATTEMPTS:
            return Outcome("failed", f"gave up after {attempts}: {exc}", uncertain=exc.uncertain)
        return Outcome(
            "pending", f"network: {exc}", retry_after=backoff(attempts), uncertain=exc.uncertain
        )
    return Outcome("failed", str(exc))


class Sender(Generic[Message]):
    """Sends the outbox's due rows through a transport, within the limits, under ``lease``.

    ``render`` turns a chat's rows (one notice, or a digest's several) into a message; None
    means the notice is removed from the knowledge base for good and the rows are skipped.
    Rows of a notice that ``waits`` (left out of the base for a problem, to come back when the
    file is fixed) are not claimed: they are looked at again every ``HELD_RETRY`` seconds.
    Every store call (``render`` included, which reads the user's language) goes through
    ``run``. ``flood`` is the pause the bot's own limiter keeps (when it has one): a 429 seen by
    either holds back both, once.
    """

    def __init__(
        self,
        store: Store,
        transport: Transport[Message],
        render: Callable[[list[Delivery]], Message | None],
        *,
        lease: Lease,
        limits: Limits | None = None,
        now: Callable[[], datetime] = utc_now,
        run: Offload = in_place,
        waits: Callable[[str], bool] = lambda _notice_id: False,
        flood: FloodPause | None = None,
    ) -> None:
        self.store = store
        self.transport = transport
        self.render = render
        self.lease = lease
        self.limits = limits or Limits()
        self.now = now
        self.run = run
        self.waits = waits
        self.limiter = RateLimiter(self.limits.rate, self.limits.chat_interval, flood=flood)
        self.busy = False
        self.unrecorded: dict[tuple[int, ...], tuple[int, Outcome]] = {}  # (chat, outcome)
        self.store_error: sqlite3.Error | None = None  # while the store refuses writes

    async def drain(self, keep_going: Callable[[], bool] = lambda: True) -> DrainReport:
        """Send every due row; return when none is due within ``limits.linger`` seconds.

        ``keep_going`` is asked before each new message: once it says False, the messages under
        way finish and the drain returns. A second drain while one runs returns at once. While
        the store refuses writes the drain waits, and tries again every ``STORE_RETRY`` seconds.
        """
        report = DrainReport()
        if self.busy:
            return report
        self.busy = True
        try:
            while keep_going():
                try:
                    wait = await self._step(report, keep_going)
                except sqlite3.Error as exc:
                    if not disk_error(exc):
                        raise
                    self._refused(exc)
                    wait = STORE_RETRY
                if wait is None:
                    break
                await asyncio.sleep(wait)
            if self.unrecorded:
                await self._last_record()
        finally:
            self.busy = False
            report.finished = time.monotonic()
        return report

    async def _step(self, report: DrainReport, keep_going: Callable[[], bool]) -> float | None:
        """Recover from a refused write, then one pass; the seconds to wait, or None to return."""
        if self.store_error is not None:
            await self._recover()
        await self.run(self.store.skip_inactive)
        await self._pass(report, keep_going)
        if self.store_error is not None:
            return STORE_RETRY
        ready_at = await self.run(self.store.next_ready_at)
        if ready_at is None:
            return None
        wait = (ready_at - self.now()).total_seconds()
        return None if wait > self.limits.linger else min(max(wait, IDLE_STEP), LONGEST_NAP)

    def _refused(self, exc: sqlite3.Error) -> None:
        """The store refused a write (the store logs the outage): claim nothing until it takes
        one again."""
        self.store_error = exc

    async def _recover(self) -> None:
        """Write the outcomes the store refused, or a probe when there are none (raises while it
        still refuses)."""
        if not self.unrecorded:
            await self.run(partial(self.store.probe_write, self.now()))
        for ids, (chat_id, outcome) in list(self.unrecorded.items()):
            await self._write(chat_id, list(ids), outcome)
            del self.unrecorded[ids]
        self.store_error = None

    async def _last_record(self) -> None:
        """Try once more to record the outcomes the store refused, before the drain returns."""
        try:
            await self._recover()
        except sqlite3.Error as exc:
            if not disk_error(exc):
                raise
            log.error(
                "%d message outcome(s) not recorded yet (%s): the next drain records them; "
                "if the process stops first, those messages are sent again after the start",
                len(self.unrecorded),
                describe(exc),
            )

    async def _pass(self, report: DrainReport, keep_going: Callable[[], bool]) -> None:
        """One walk over the rows due now, in id order, ``concurrency`` messages at a time."""
        slots = asyncio.Semaphore(self.limits.concurrency)
        tasks: set[asyncio.Task[None]] = set()

        def done(task: asyncio.Task[None]) -> None:
            tasks.discard(task)
            slots.release()

        def going() -> bool:
            return keep_going() and self.store_error is None

        after = 0
        while rows := await self.run(
            partial(self.store.ready_deliveries, self.now(), after_id=after, limit=PAGE)
        ):
            after = rows[-1].id
            for row in rows:
                await slots.acquire()
                if not going():
                    slots.release()
                    break
                task = asyncio.create_task(self._deliver(row, report))
                tasks.add(task)
                task.add_done_callback(done)
            if not going():
                break
        await asyncio.gather(*tasks)

    async def _deliver(self, first: Delivery, report: DrainReport) -> None:
        """Send one message: ``first``'s notice, or the chat's whole digest."""
        async with self.limiter.chat_turn(first.chat_id):
            try:
                await self._claim_and_send(first, report)
            except sqlite3.Error as exc:
                if not disk_error(exc):
                    raise
                self._refused(exc)

    async def _claim_and_send(self, first: Delivery, report: DrainReport) -> None:
        batch = (
            await self.run(partial(self.store.digest_batch, first.chat_id, self.now()))
            if first.digest
            else [first]
        )
        batch = await self._not_held(batch)
        ids = [row.id for row in batch]
        if not ids:
            return  # a digest already sent with an earlier row, or rows that wait
        await self.limiter.acquire()
        if self.store_error is not None:
            return
        claim = partial(
            self.store.claim, ids, owner=self.lease.owner, until=self.now() + self.lease.margin
        )
        if not await self.run(claim):
            return  # taken meanwhile by another message of the same chat, or the lease is lost
        try:
            outcome = await self._send(first.chat_id, batch)
        finally:
            self.limiter.sent(first.chat_id)
        self._count(report, outcome, len(ids))
        try:
            report.skipped += await self._write(first.chat_id, ids, outcome)
        except sqlite3.Error as exc:
            if not disk_error(exc):
                raise
            self.unrecorded[tuple(ids)] = (first.chat_id, outcome)
            self._refused(exc)

    async def _not_held(self, batch: list[Delivery]) -> list[Delivery]:
        """``batch`` without the rows whose notice waits; those are postponed."""
        held = [row.id for row in batch if self.waits(row.notice_id)]
        if held:
            until = self.now() + timedelta(seconds=HELD_RETRY)
            await self.run(partial(self.store.postpone, held, until=until, error=HELD))
        return [row for row in batch if row.id not in held]

    async def _send(self, chat_id: int, batch: list[Delivery]) -> Outcome:
        """Render and send the claimed rows; what became of them."""
        attempts = max(row.attempts for row in batch) + 1
        try:
            message = await self.run(partial(self.render, batch))
            if message is None:
                return Outcome("skipped", "notice removed from the knowledge base")
            await self.transport.send(chat_id, message)
        except DeliveryError as exc:
            if isinstance(exc, DeliveryRetryAfter):
                self.limiter.pause(exc.seconds)
            return failure(exc, attempts)
        except Exception as exc:
            log.exception("a notice message failed (%s)", type(exc).__name__)
            return Outcome("failed", repr(exc))
        return Outcome("sent")

    @staticmethod
    def _count(report: DrainReport, outcome: Outcome, rows: int) -> None:
        if outcome.state == "pending":
            report.retried += rows
        else:
            setattr(report, outcome.state, getattr(report, outcome.state) + rows)
        report.blocked += outcome.blocked
        report.uncertain += rows * outcome.uncertain

    async def _write(self, chat_id: int, ids: list[int], outcome: Outcome) -> int:
        """Record ``outcome`` for the rows ``ids``; a user who blocked the bot is marked
        inactive and their other undelivered rows skipped (returns how many)."""

        def write() -> int:
            now = self.now()
            retry_at = (
                now + timedelta(seconds=outcome.retry_after)
                if outcome.retry_after is not None
                else None
            )
            self.store.finish(ids, outcome.state, now=now, error=outcome.error, retry_at=retry_at)
            if not outcome.blocked:
                return 0
            skipped = self.store.skip_inactive(chat_id)
            self.store.set_active(chat_id, False)
            return skipped

        return await self.run(write)
