"""Notices end to end: the real Application (post_init, JobQueue) against the Bot API emulator.

Due notices go out at start-up and never again after a restart; a future one goes out at its
time, one added while the bot runs too; subscribing works with the buttons; an admin's /send
reaches the subscribers after the confirm button.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.config import Settings
from bot.store import ALL_TOPICS, Store
from bot.telegram import notices as telegram_notices
from tests.helpers.botapi_emulator import BotAPIEmulator
from tests.helpers.knowledge_files import NOTICE
from tests.helpers.telegram_e2e import ask, dialog_of, on_worker, press, running, until

pytestmark = pytest.mark.e2e

ADMIN = 900
SUBSCRIBERS = (901, 902, 903)


@pytest.fixture(autouse=True)
def quick_drain(monkeypatch: pytest.MonkeyPatch) -> None:
    """Look at the outbox five times a second instead of every five seconds."""
    monkeypatch.setattr(telegram_notices, "DRAIN_INTERVAL", 0.2)


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emulator:
        yield emulator


@pytest.fixture
def settings(emu: BotAPIEmulator, small_kb: Path, tmp_path: Path) -> Settings:
    """The small base with notices/ (empty), a database with three subscribers."""
    (small_kb / "notices").mkdir()
    db = tmp_path / "adal.db"
    store = Store(db)
    for chat_id in SUBSCRIBERS:
        store.set_subscriptions(chat_id, {ALL_TOPICS})
    store.close()
    return Settings(
        token=emu.token,
        api_url=emu.base_url,
        db_path=db,
        knowledge_dir=small_kb,
        admins=frozenset({ADMIN}),
    )


def add_notice(settings: Settings, notice_id: str, publish_at: str) -> None:
    text = NOTICE.replace("gift-rules", notice_id).replace("2020-10-18", publish_at)
    (settings.knowledge_dir / "notices" / f"{notice_id}.yaml").write_text(text, encoding="utf-8")


def received(emu: BotAPIEmulator, title: str) -> dict[int, int]:
    """How many messages starting with ``title`` each chat got."""
    counts: dict[int, int] = {}
    for record in emu.sent:
        if record.ok and record.chat_id and (record.plain_text or "").startswith(title):
            counts[record.chat_id] = counts.get(record.chat_id, 0) + 1
    return counts


async def test_due_notice_goes_out_at_start_and_not_after_a_restart(
    emu: BotAPIEmulator, settings: Settings
) -> None:
    add_notice(settings, "missed", "2020-10-18")
    async with running(settings):
        await until(lambda: len(received(emu, "Новое правило")) == len(SUBSCRIBERS))
    async with running(settings) as app:
        await until(lambda: bool(app.job_queue and app.job_queue.get_jobs_by_name("notices-drain")))
        [listing] = await ask(emu, "/notices", chat_id=ADMIN, lang="en")
    assert received(emu, "Новое правило") == dict.fromkeys(SUBSCRIBERS, 1)
    assert "• missed 2020-10-18 09:00: sent 3" in (listing.plain_text or "")


async def test_future_notice_goes_out_at_its_time(emu: BotAPIEmulator, settings: Settings) -> None:
    # far enough ahead that a busy machine still starts the bot before it (2 s was not: a
    # notice due by then is sent as missed, never scheduled)
    publish_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5)
    add_notice(settings, "soon", publish_at.isoformat())
    async with running(settings) as app:
        assert app.job_queue and app.job_queue.get_jobs_by_name("notice:soon")
        await until(lambda: len(received(emu, "Новое правило")) == len(SUBSCRIBERS), timeout=12)
        first = min(r.timestamp for r in emu.sent if r.chat_id in SUBSCRIBERS)
        first_sent_at = datetime.now(UTC) - timedelta(seconds=time.monotonic() - first)
        assert first_sent_at >= publish_at - timedelta(seconds=0.1)  # not before, e.g. at start


async def test_notice_added_while_running_is_scheduled(
    emu: BotAPIEmulator, settings: Settings
) -> None:
    async with running(settings):
        publish_at = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=3)
        add_notice(settings, "added", publish_at.isoformat())
        await until(lambda: len(received(emu, "Новое правило")) == len(SUBSCRIBERS), timeout=10)
    assert received(emu, "Новое правило") == dict.fromkeys(SUBSCRIBERS, 1)


async def test_subscribing_with_buttons_and_admin_send(
    emu: BotAPIEmulator, settings: Settings
) -> None:
    add_notice(settings, "later", "2099-01-01T09:00+05:00")
    async with running(settings):
        [panel] = await ask(emu, "/subscribe", chat_id=904, lang="en")
        _answer, [updated] = await press(emu, panel, "s:gifts")
        # a button answers in the language of its message
        assert "You get notices on: Gifts." in (updated.plain_text or "")
        [confirm] = await ask(emu, "/send later", chat_id=ADMIN, lang="en")
        answer, [_done] = await press(emu, confirm, "x:later")
        assert answer["text"] == "The notice later is on its way. Recipients: 4."
        await until(lambda: len(received(emu, "Новое правило")) == 4)
    assert received(emu, "Новое правило") == dict.fromkeys([*SUBSCRIBERS, 904], 1)


async def test_pressing_the_panel_edits_it_instead_of_sending_a_new_one(
    emu: BotAPIEmulator, settings: Settings
) -> None:
    async with running(settings):
        [panel] = await ask(emu, "/subscribe", chat_id=905, lang="en")
        _answer, [subscribed] = await press(emu, panel, "s:gifts")
        _answer, [unsubscribed] = await press(emu, subscribed, "u:gifts")
        # the same panel again: Telegram refuses the edit as "not modified", nothing is sent
        answer, [] = await press(emu, unsubscribed, "d:instant", count=0)
    assert [r.method for r in (subscribed, unsubscribed)] == ["editMessageText"] * 2
    assert {r.message_id for r in (subscribed, unsubscribed)} == {panel.message_id}
    assert emu.messages_to(905) == [panel]
    assert [r.method for r in emu.rejected] == ["editMessageText"]
    assert "You get notices on: Gifts." in (subscribed.plain_text or "")
    assert "You are not subscribed" in emu.message(905, panel.message_id)["text"]
    assert answer["text"] == "Each notice comes as soon as it is published."


@pytest.mark.logs_errors
async def test_notice_due_while_the_database_refuses_writes_goes_out_once_it_takes_them(
    emu: BotAPIEmulator, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(settings) as app:
        store = dialog_of(app).store
        await on_worker(app, lambda: store.db.execute("PRAGMA query_only = 1"))
        add_notice(settings, "refused", "2020-10-18")
        await until(lambda: "database not writable" in caplog.text, timeout=10)
        await ask(emu, "/subscribe all", chat_id=904, lang="ru")  # held until writable
        await on_worker(app, lambda: store.db.execute("PRAGMA query_only = 0"))
        await until(lambda: len(received(emu, "Новое правило")) == 4, timeout=10)
        enqueued = await on_worker(app, store.enqueued_notices)
    assert received(emu, "Новое правило") == dict.fromkeys([*SUBSCRIBERS, 904], 1)
    assert list(enqueued) == ["refused"]
    assert caplog.text.count("database not writable") == 1
    assert caplog.text.count("database writable again") == 1


async def test_a_429_during_a_broadcast_pauses_every_message(
    emu: BotAPIEmulator, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The probe's finding: the bot's limiter retried a 429 itself and paused its chat only,
    and 139 notices went to others within the retry_after. Now nothing at all leaves for the
    retry_after, neither notices nor a reply to a user who writes meanwhile, and every
    subscriber still gets the notice once."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # PTB's RetryAfter warns about its future type
    subscribers = range(9000, 9040)
    store = Store(settings.db_path)
    for chat_id in subscribers:
        store.set_subscriptions(chat_id, {ALL_TOPICS})
    store.close()
    add_notice(settings, "missed", "2020-10-18")
    emu.fail_next("sendMessage", 429, retry_after=1)
    everyone = [*SUBSCRIBERS, *subscribers]
    async with running(settings):
        refused = await emu.wait_for(lambda r: r.error_code == 429)
        emu.push_text(950, "/help", language_code="en")
        reply = await emu.wait_for(lambda r: r.chat_id == 950 and r.ok)
        await until(lambda: len(received(emu, "Новое правило")) == len(everyone), timeout=15)
    during = [r for r in emu.sent if r.ok and 0 < r.timestamp - refused.timestamp < 1.0]
    assert during == []
    assert reply.timestamp - refused.timestamp >= 1.0
    assert received(emu, "Новое правило") == dict.fromkeys(everyone, 1)
