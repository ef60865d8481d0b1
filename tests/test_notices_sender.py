"""The sender against the Bot API emulator, through a real PTB bot: blocks, 429s, 400s,
network errors, flood limits, digests."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
import pytest_asyncio
from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.dialog import Dialog, Reply, build_dialog
from bot.dialog.notice_replies import render_deliveries
from bot.kb.loader import ALMATY
from bot.notices import DrainReport, Limits, Sender, publish_due
from bot.notices import sender as sender_module
from bot.notices.lease import Lease
from bot.telegram.notices import TelegramTransport
from bot.telegram.ratelimit import ChatRateLimiter, flood_pause
from tests.helpers.botapi_emulator import BotAPIEmulator
from tests.helpers.notice_broadcast import NOTICE, NOTICE_ID, add_subscribers, write_knowledge

pytestmark = pytest.mark.e2e

FAST = Limits(rate=500, chat_interval=0.2)
SECOND_ID = "second-notice"
T = TypeVar("T")


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emulator:
        yield emulator


@pytest.fixture
def dialog(tmp_path: Path) -> Dialog:
    """A dialog over a one-notice base, with a database file."""
    root = write_knowledge(tmp_path / "knowledge")
    second = NOTICE.replace(NOTICE_ID, SECOND_ID).replace("2020-10-18", "2020-10-19")
    (root / "notices" / f"{SECOND_ID}.yaml").write_text(second, encoding="utf-8")
    return build_dialog(Settings(knowledge_dir=root, db_path=tmp_path / "adal.db"))


@pytest_asyncio.fixture
async def bot(emu: BotAPIEmulator) -> AsyncIterator[Bot]:
    async with Bot(emu.token, base_url=emu.base_url) as client:
        yield client


def enqueue(dialog: Dialog, chat_ids: range, *, only: str | None = NOTICE_ID) -> None:
    """Subscribe the chats and enqueue the due notices (``only`` one of them)."""
    add_subscribers(dialog.store, chat_ids)
    kb = dialog.library.kb
    if only is not None:
        kb = type(kb)(topics=kb.topics, notices={only: kb.notices[only]})
    publish_due(dialog.store, kb, datetime.now(UTC), "ru")


def sender(
    dialog: Dialog, bot: Bot, limits: Limits = FAST, at: datetime | None = None
) -> Sender[Reply]:
    """A sender holding the database's lease, wired as the bot's (at the time ``at``),
    sharing the pause of ``bot``'s limiter when it has one."""
    clock = (lambda: at) if at is not None else (lambda: datetime.now(UTC))
    lease = Lease(dialog.store, now=clock)
    assert lease.take() is not None
    return Sender(
        dialog.store,
        TelegramTransport(bot),
        partial(render_deliveries, dialog),
        lease=lease,
        limits=limits,
        now=clock,
        waits=lambda notice_id: dialog.library.kb.may_return(notice_id),
        flood=flood_pause(bot),
    )


async def drain(dialog: Dialog, bot: Bot, limits: Limits = FAST) -> DrainReport:
    return await sender(dialog, bot, limits).drain()


def delivered(emu: BotAPIEmulator) -> Counter[int]:
    """Messages delivered per chat."""
    return Counter(r.chat_id for r in emu.sent if r.ok and r.chat_id is not None)


def connection_refused() -> NetworkError:
    """PTB's error for a connection refused before anything was sent."""
    error = NetworkError("httpx.ConnectError: [Errno 111] Connection refused")
    error.__cause__ = httpx.ConnectError("[Errno 111] Connection refused")
    return error


def dropped_connection() -> NetworkError:
    """PTB's error for a connection dropped after the request was sent."""
    error = NetworkError("httpx.RemoteProtocolError: Server disconnected")
    error.__cause__ = httpx.RemoteProtocolError("Server disconnected")
    return error


async def test_blocked_users_are_marked_inactive_and_others_get_it_once(
    emu: BotAPIEmulator, dialog: Dialog, bot: Bot
) -> None:
    chats = range(1000, 1100)
    blocked = set(chats[::20])  # 5 %
    for chat_id in blocked:
        emu.block(chat_id)
    enqueue(dialog, chats)
    report = await drain(dialog, bot)
    assert (report.sent, report.blocked, report.skipped) == (95, 5, 5)
    assert delivered(emu) == Counter({c: 1 for c in chats if c not in blocked})
    assert not any(dialog.store.is_active(c) for c in blocked)
    assert dialog.store.delivery_counts()[NOTICE_ID]["skipped"] == 5
    message = emu.last_message(1003)
    assert message is not None and message.plain_text == (
        "Запрет на подарки\n\nГосслужащим запрещены подарки любой стоимости."
    )  # 1003: ru


async def test_429_bursts_are_waited_out_and_retried(
    emu: BotAPIEmulator, dialog: Dialog, bot: Bot
) -> None:
    chats = range(2000, 2040)
    enqueue(dialog, chats)
    emu.fail_next("sendMessage", 429, retry_after=1, count=3)
    report = await drain(dialog, bot)
    assert report.sent == 40 and report.retried >= 3
    assert delivered(emu) == Counter({c: 1 for c in chats})
    refused = next(r for r in emu.sent if r.error_code == 429)
    (retried,) = emu.messages_to(refused.chat_id or 0)
    assert retried.timestamp - refused.timestamp >= 0.9  # the refused chat waited retry_after


async def test_bad_request_is_recorded_and_the_rest_go_on(
    emu: BotAPIEmulator, dialog: Dialog, bot: Bot
) -> None:
    enqueue(dialog, range(3000, 3010))
    emu.fail_next("sendMessage", 400, "Bad Request: chat not found")
    report = await drain(dialog, bot)
    assert (report.sent, report.failed) == (9, 1)
    ((chat_id, state, error),) = dialog.store.delivery_problems(NOTICE_ID)
    assert state == "failed" and error.lower() == "chat not found"
    assert chat_id not in delivered(emu)


async def test_network_errors_are_retried_with_backoff(
    emu: BotAPIEmulator, dialog: Dialog, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sender_module, "BACKOFF_BASE", 0.1)
    enqueue(dialog, range(4000, 4010))
    emu.fail_next("sendMessage", 502, count=3)
    report = await drain(dialog, bot)
    assert (report.sent, report.failed, report.retried) == (10, 0, 3)
    assert delivered(emu) == Counter({c: 1 for c in range(4000, 4010)})


async def test_a_timed_out_call_is_retried_and_may_arrive_twice(
    emu: BotAPIEmulator, dialog: Dialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The documented at-least-once window: Telegram may have delivered a call that timed out."""
    monkeypatch.setattr(sender_module, "BACKOFF_BASE", 0.6)
    enqueue(dialog, range(5000, 5001))
    emu.delay_next("sendMessage", 0.5)
    request = HTTPXRequest(read_timeout=0.2)
    async with Bot(emu.token, base_url=emu.base_url, request=request) as slow:
        report = await drain(dialog, slow)
    assert report.retried == 1 and report.sent == 1
    assert delivered(emu) == Counter({5000: 2})


async def test_slots_missed_while_stalled_are_not_made_up_in_a_burst(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A busy machine stalled the sender for half a second; the slots it missed came out at
    once and the emulator counted 31 sends in a second (a flood). On a fake clock: after a
    stall, no second holds more than ceil(rate) slots, and the rate holds afterwards."""
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += seconds

    monkeypatch.setattr(sender_module.asyncio, "sleep", sleep)
    limiter = sender_module.RateLimiter(28.5, 1.05, clock=lambda: now[0])
    taken = []
    for n in range(120):
        if n == 10:
            now[0] += 0.5  # the stall
        await limiter.acquire()
        taken.append(now[0])
    busiest = max(sum(t <= other < t + 1.0 for other in taken) for t in taken)
    assert busiest == 29
    assert taken[-1] - taken[0] < 120 / 28.5 + 0.5  # and the rate is kept


async def test_a_429_pauses_every_request_once_for_its_retry_after(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a fake clock: a 429 (retry after 5 s) for one chat's message holds back another
    chat's message, a request without a chat and the notice sender sharing the pause until
    5.1 s; the sender's own pause for the same 429 does not lengthen it."""
    now = [0.0]

    async def sleep(seconds: float) -> None:
        now[0] += max(seconds, 0.0)

    monkeypatch.setattr(sender_module.asyncio, "sleep", sleep)
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # PTB's RetryAfter warns about its future type
    limiter = ChatRateLimiter(max_retries=0, clock=lambda: now[0])

    async def flooded() -> bool:
        raise RetryAfter(5)

    async def sent() -> bool:
        return True

    with pytest.raises(RetryAfter):
        await limiter.process_request(flooded, (), {}, "sendMessage", {"chat_id": 1}, None)
    shared = flood_pause(ExtBot("1:x", rate_limiter=limiter))
    assert shared is limiter.flood
    notices = sender_module.RateLimiter(28.5, 1.05, clock=lambda: now[0], flood=shared)
    notices.pause(5)  # the sender saw the same 429
    await limiter.process_request(sent, (), {}, "sendMessage", {"chat_id": 2}, None)
    assert now[0] == pytest.approx(5.1)
    now[0] = 1.0
    await limiter.process_request(sent, (), {}, "getMe", {}, None)
    assert now[0] == pytest.approx(5.1)
    now[0] = 1.0
    await notices.acquire()
    assert now[0] == pytest.approx(5.1)


@pytest.mark.parametrize(
    ("error", "calls"),
    [
        (NetworkError("Internal Server Error"), 3),  # Telegram answered 500: retried twice
        (connection_refused(), 3),
        (TimedOut(), 1),  # may have been delivered: never sent again
        (dropped_connection(), 1),
        (BadRequest("chat not found"), 1),
    ],
)
async def test_only_a_request_surely_not_delivered_is_sent_again(
    error: NetworkError, calls: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def sleep(_seconds: float) -> None:
        pass

    monkeypatch.setattr(sender_module.asyncio, "sleep", sleep)
    made = []

    async def failing() -> bool:
        made.append(1)
        raise error

    with pytest.raises(type(error)):
        await ChatRateLimiter().process_request(failing, (), {}, "answerCallbackQuery", {}, None)
    assert len(made) == calls


async def test_the_drain_counts_the_messages_that_may_have_arrived_twice(
    emu: BotAPIEmulator, dialog: Dialog, bot: Bot
) -> None:
    """The probe's finding: a connection dropped after delivery sent the notice again, and the
    drain's line did not say that someone may have it twice."""
    chats = range(7400, 7403)
    enqueue(dialog, chats)
    emu.drop_next("sendMessage")
    report = await drain(dialog, bot)
    assert report.sent == len(chats) and report.retried == report.uncertain == 1
    assert ", 1 retried, 1 maybe delivered twice (a timeout or a connection" in str(report)


async def test_rate_stays_under_the_flood_limits(emu: BotAPIEmulator, dialog: Dialog) -> None:
    emu.limits = True
    chats = range(6000, 6060)
    enqueue(dialog, chats, only=None)  # two notices: each chat gets two messages
    async with ExtBot(emu.token, base_url=emu.base_url, rate_limiter=ChatRateLimiter()) as bot:
        report = await drain(dialog, bot, Limits())
    # at most one refusal: the emulator shares this process, and a stall of it under load
    # handles the requests queued meanwhile in a bunch, which its counter takes for a burst
    # (one refusal in 120 seen under a load of 4; bench_broadcast.py runs it in a process of
    # its own). A sender that does not pace is refused 21 times here (500 a second, 0.2 s
    # between two messages to a chat, no per-chat limiter; each 429 pauses all sending).
    assert report.sent == 120 and emu.flood_rejections <= 1
    assert delivered(emu) == Counter({c: 2 for c in chats})
    # the rate achieved (a fraction of 30/s) is bench/bench_broadcast.py's to measure: a
    # timed assertion here failed on a loaded machine
    for chat_id in chats[:5]:
        first, second = (r.timestamp for r in emu.messages_to(chat_id))
        assert second - first >= 1.0


def both_notices_with_a_weekly_reader(dialog: Dialog, chats: range, weekly: int) -> None:
    """Subscribe ``chats`` (``weekly`` to the digest, due now) and enqueue both notices."""
    add_subscribers(dialog.store, chats)
    now = datetime.now(UTC)
    dialog.store.set_delivery_mode(weekly, "weekly", now=now, digest_at=now)
    for notice_id in (NOTICE_ID, SECOND_ID):
        dialog.store.enqueue_notice(
            notice_id,
            ["gifts"],
            now=now,
            digest_at=lambda _mode, _hour: now - timedelta(seconds=1),
            default_lang="ru",
        )


async def test_weekly_subscribers_get_one_digest(
    emu: BotAPIEmulator, dialog: Dialog, bot: Bot
) -> None:
    both_notices_with_a_weekly_reader(dialog, range(7000, 7003), weekly=7001)
    report = await drain(dialog, bot)
    assert report.sent == 6
    assert delivered(emu) == Counter({7000: 2, 7001: 1, 7002: 2})
    digest = emu.last_message(7001)
    assert digest is not None and digest.plain_text is not None
    assert digest.plain_text.count("Ban on gifts") == 2  # 7001's client is English


async def test_a_daily_reader_gets_the_digest_at_the_hour_chosen(
    emu: BotAPIEmulator, dialog: Dialog, bot: Bot
) -> None:
    """Chat 7301 takes the daily digest at 18:00: at 17:59 (a fixed clock) the sender sends
    only 7300's notices and returns; at 18:00 the digest goes, once."""
    add_subscribers(dialog.store, range(7300, 7302))
    noon = datetime(2026, 3, 4, 12, 0, tzinfo=ALMATY)
    dialog.store.set_delivery_mode(7301, "daily", now=noon, digest_at=noon, hour=18)
    publish_due(dialog.store, dialog.library.kb, noon, "ru")
    early = sender(dialog, bot, at=datetime(2026, 3, 4, 17, 59, tzinfo=ALMATY))
    assert (await early.drain()).sent == 2
    early.lease.release()
    assert delivered(emu) == Counter({7300: 2})
    six = datetime(2026, 3, 4, 18, 0, tzinfo=ALMATY)
    assert (await sender(dialog, bot, at=six).drain()).sent == 2  # both rows, one message
    assert delivered(emu) == Counter({7300: 2, 7301: 1})
    digest = emu.last_message(7301)
    assert digest is not None and digest.plain_text is not None
    assert digest.plain_text.startswith("Daily digest of updates")  # 7301's client: English


def edit_notice(dialog: Dialog, notice_id: str, old: str, new: str) -> None:
    """Edit a notice's file and reload the base."""
    path = dialog.library.root / "notices" / f"{notice_id}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    dialog.library.refresh(force=True)


async def test_rows_of_a_notice_left_out_for_a_problem_wait_and_go_once_it_is_fixed(
    emu: BotAPIEmulator, dialog: Dialog, bot: Bot
) -> None:
    both_notices_with_a_weekly_reader(dialog, range(7100, 7102), weekly=7101)
    edit_notice(dialog, SECOND_ID, "publish_at: 2020-10-19", "publish_at: 2020-10-19T09:00")
    assert dialog.library.kb.may_return(SECOND_ID)
    first = sender(dialog, bot)
    report = await first.drain()
    first.lease.release()
    assert (report.sent, report.skipped) == (2, 0)  # the first notice, alone and in the digest
    assert delivered(emu) == Counter({7100: 1, 7101: 1})
    assert dialog.store.delivery_counts()[SECOND_ID] == {
        "pending": 2,
        "sending": 0,
        "sent": 0,
        "failed": 0,
        "skipped": 0,
    }
    edit_notice(dialog, SECOND_ID, "publish_at: 2020-10-19T09:00", "publish_at: 2020-10-19")
    # the rows wait HELD_RETRY from when the first drain looked at them (a clock that never
    # moves must be past that, or the drain would wait for it for ever)
    later = datetime.now(UTC) + timedelta(seconds=sender_module.HELD_RETRY + 1)
    report = await sender(dialog, bot, at=later).drain()
    assert (report.sent, report.skipped) == (2, 0)
    assert delivered(emu) == Counter({7100: 2, 7101: 2})
    assert dialog.store.delivery_counts()[SECOND_ID]["sent"] == 2
    assert (await sender(dialog, bot, at=later + timedelta(days=8)).drain()).sent == 0


async def test_rows_of_a_notice_removed_from_a_sound_base_are_skipped(
    emu: BotAPIEmulator, dialog: Dialog, bot: Bot
) -> None:
    enqueue(dialog, range(7200, 7202), only=SECOND_ID)
    (dialog.library.root / "notices" / f"{SECOND_ID}.yaml").unlink()
    dialog.library.refresh(force=True)
    report = await drain(dialog, bot)
    assert (report.sent, report.skipped) == (0, 2)
    assert not delivered(emu)


def outage_messages(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    """(level, message) of the warnings and errors logged so far."""
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.logs_errors
async def test_a_database_locked_by_another_process_logs_one_error_and_one_recovery(
    emu: BotAPIEmulator,
    dialog: Dialog,
    bot: Bot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(sender_module, "STORE_RETRY", 0.01)
    dialog.store.db.busy_timeout_ms = 20  # a refused write fails fast
    dialog.store.db.conn.execute("PRAGMA busy_timeout = 20")
    chats = range(7300, 7305)
    enqueue(dialog, chats)
    refusals = 0

    async def counting(call: Callable[[], T]) -> T:
        nonlocal refusals
        try:
            return call()
        except sqlite3.OperationalError:
            refusals += 1
            raise

    locked = sender(dialog, bot)
    locked.run = counting
    other = sqlite3.connect(tmp_path / "adal.db")
    other.execute("BEGIN EXCLUSIVE")
    draining = asyncio.create_task(locked.drain())
    while refusals < 6:  # the sender has tried again several times
        await asyncio.sleep(0.005)
    during = outage_messages(caplog)
    other.rollback()
    other.close()
    report = await draining
    assert report.sent == len(chats) and delivered(emu) == Counter(chats)
    assert [level for level, _ in during] == [logging.ERROR]
    assert "database not writable (SQLITE_BUSY" in during[0][1]
    recovered = (logging.WARNING, "database writable again: 0 held change(s) saved")
    assert outage_messages(caplog)[1:] == [recovered]
