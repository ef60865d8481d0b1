"""One sender per database: a second process started mid-broadcast sends nothing twice, a
graceful stop hands the rest over, and a disk that fills mid-broadcast strands no row.

Issue 15's table: with two processes on one database, 4-5 of 300 subscribers got a notice
twice (3 trials); a full disk during a broadcast left delivered rows "sending", sent again at
the restart (4 of 300).
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from telegram import Bot

from bot.config import Settings
from bot.dialog import build_dialog
from bot.dialog.notice_replies import render_deliveries
from bot.notices import Limits, Sender, publish_due
from bot.notices.lease import Lease
from bot.store import Store
from bot.telegram.notices import TelegramTransport
from tests.helpers.botapi_emulator import BotAPIEmulator
from tests.helpers.notice_broadcast import NOTICE_ID, add_subscribers, write_knowledge

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parent / "helpers" / "notice_broadcast.py"
CHATS = range(20_000, 20_300)
LATENCY = 0.02  # seconds each send takes at the emulator: the broadcast lasts a few seconds
RATE = 60  # messages a second: 300 in about 5 s, time enough for a second process to start
LEASE_SECONDS = 2
TRIALS = 3
DEADLINE = 60.0  # seconds for any broadcast of these tests


def delivered(emu: BotAPIEmulator) -> Counter[int]:
    return Counter(r.chat_id for r in list(emu.sent) if r.ok and r.chat_id is not None)


def setup(tmp_path: Path) -> tuple[Path, Path]:
    knowledge, db = write_knowledge(tmp_path / "knowledge"), tmp_path / "adal.db"
    store = Store(db)
    add_subscribers(store, CHATS)
    store.close()
    return knowledge, db


def start(emu: BotAPIEmulator, db: Path, knowledge: Path) -> subprocess.Popen[str]:
    """The broadcast in a process of its own (it takes the lease first, as the bot does)."""
    return subprocess.Popen(
        [
            sys.executable,
            str(SCRIPT),
            *("--db", str(db), "--knowledge", str(knowledge)),
            *("--api-url", emu.base_url, "--token", emu.token),
            *("--rate", str(RATE), "--chat-interval", "0.01"),
            *("--lease-seconds", str(LEASE_SECONDS)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: object, first: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():  # type: ignore[operator]
        assert first.poll() is None, "the first broadcast ended too soon"
        assert time.monotonic() < deadline
        time.sleep(0.005)


def finish(process: subprocess.Popen[str]) -> tuple[dict[str, float], str]:
    output, errors = process.communicate(timeout=DEADLINE)
    assert process.returncode == 0, errors
    return json.loads(output), errors


def wait_for_line(process: subprocess.Popen[str], text: str) -> list[str]:
    """Read the process's stderr until a line holds ``text``; the lines read."""
    assert process.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + DEADLINE
    while not lines or text not in lines[-1]:
        assert time.monotonic() < deadline and process.poll() is None
        lines.append(process.stderr.readline())
    return lines


def final_states(db: Path) -> dict[str, int]:
    store = Store(db)
    counts = store.delivery_counts()[NOTICE_ID]
    store.close()
    return dict(counts)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_a_second_process_started_mid_broadcast_sends_nothing_twice(
    tmp_path: Path, trial: int
) -> None:
    knowledge, db = setup(tmp_path)
    with BotAPIEmulator() as emu:
        emu.delay_next("sendMessage", LATENCY, count=10 * len(CHATS))
        first = start(emu, db, knowledge)
        wait_until(lambda: len(delivered(emu)) >= len(CHATS) // 6, first)
        second = start(emu, db, knowledge)
        first_report, _ = finish(first)
        second_report, second_log = finish(second)
        counts = delivered(emu)
    assert set(counts) == set(CHATS) and max(counts.values()) == 1  # each exactly once
    assert first_report["sent"] == len(CHATS) and second_report["sent"] == 0
    assert "standby:" in second_log and "in flight" not in second_log
    assert final_states(db)["sent"] == len(CHATS)


def test_a_graceful_stop_hands_the_rest_to_the_standby(tmp_path: Path) -> None:
    knowledge, db = setup(tmp_path)
    with BotAPIEmulator() as emu:
        emu.delay_next("sendMessage", LATENCY, count=10 * len(CHATS))
        first = start(emu, db, knowledge)
        wait_until(lambda: len(delivered(emu)) >= len(CHATS) // 4, first)
        second = start(emu, db, knowledge)
        standby = wait_for_line(second, "standby:")
        first.send_signal(signal.SIGTERM)
        first_report, _ = finish(first)
        second_report, second_log = finish(second)
        counts = delivered(emu)
    assert 0 < first_report["sent"] < len(CHATS)
    assert first_report["sent"] + second_report["sent"] == len(CHATS)
    assert set(counts) == set(CHATS) and max(counts.values()) == 1
    assert "took over the lease" in second_log and "in flight" not in "".join(standby) + second_log


@pytest.mark.logs_errors
async def test_a_disk_that_fills_mid_broadcast_strands_no_row(tmp_path: Path) -> None:
    knowledge, db = setup(tmp_path)
    dialog = build_dialog(Settings(knowledge_dir=knowledge, db_path=db))
    store = dialog.store
    lease = Lease(store, ttl=timedelta(minutes=1))
    assert lease.take() == 0
    publish_due(store, dialog.library.kb, lease.now(), "ru")
    async with BotAPIEmulator() as emu, Bot(emu.token, base_url=emu.base_url) as bot:
        emu.delay_next("sendMessage", LATENCY, count=10 * len(CHATS))
        sender = Sender(
            store,
            TelegramTransport(bot),
            partial(render_deliveries, dialog),
            lease=lease,
            limits=Limits(rate=RATE, chat_interval=0.01),
        )
        drain = asyncio.create_task(sender.drain())
        while len(delivered(emu)) < len(CHATS) // 3:
            await asyncio.sleep(0.005)
        store.db.execute("PRAGMA query_only = 1")  # writes fail as on a full disk
        await asyncio.sleep(1.0)
        sent_meanwhile = len(delivered(emu))
        assert sender.store_error is not None and sender.unrecorded
        store.db.execute("PRAGMA query_only = 0")
        report = await asyncio.wait_for(drain, DEADLINE)
        # a restart: another process takes the lease over and drains again
        lease.release()
        successor = Lease(store, ttl=timedelta(minutes=1))
        assert successor.take() == 0  # nothing was left "sending"
        again = Sender(
            store, TelegramTransport(bot), partial(render_deliveries, dialog), lease=successor
        )
        assert (await again.drain()).sent == 0
        counts = delivered(emu)
    assert report.sent == len(CHATS) and set(counts) == set(CHATS) and max(counts.values()) == 1
    assert sent_meanwhile < len(CHATS)  # nothing new was claimed while writes failed
    assert final_states(db) == {
        "pending": 0,
        "sending": 0,
        "sent": len(CHATS),
        "failed": 0,
        "skipped": 0,
    }
