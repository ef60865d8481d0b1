"""A broadcast under faults: 5 % of subscribers blocked the bot, a burst of 429s, and the sending
process killed with SIGKILL half way and started again.

At the end every active subscriber has the notice, only the chats whose call was under way at
the kill may have it twice, and the blocked ones are inactive.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.notices import Limits
from bot.store import Store
from tests.helpers.botapi_emulator import BotAPIEmulator
from tests.helpers.notice_broadcast import NOTICE_ID, add_subscribers, write_knowledge

pytestmark = pytest.mark.e2e

SCRIPT = Path(__file__).resolve().parent / "helpers" / "notice_broadcast.py"
CHATS = range(10_000, 10_300)
BLOCKED = set(CHATS[::20])  # 5 %
LATENCY = 0.05  # seconds each send takes at the emulator, so calls are in flight at the kill
LEASE_SECONDS = 2  # a killed sender's lease expires this soon, so that the next one takes over


def delivered(emu: BotAPIEmulator) -> Counter[int]:
    return Counter(r.chat_id for r in list(emu.sent) if r.ok and r.chat_id is not None)


def start(emu: BotAPIEmulator, db: Path, knowledge: Path) -> subprocess.Popen[str]:
    """The broadcast in its own process, fast: per-chat spacing relaxed, 150 messages/s."""
    return subprocess.Popen(
        [
            sys.executable,
            str(SCRIPT),
            "--db",
            str(db),
            "--knowledge",
            str(knowledge),
            "--api-url",
            emu.base_url,
            "--token",
            emu.token,
            "--rate",
            "150",
            "--chat-interval",
            "0.01",
            "--lease-seconds",
            str(LEASE_SECONDS),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )


def test_kill_9_half_way_then_restart_loses_nobody(tmp_path: Path) -> None:
    knowledge, db = write_knowledge(tmp_path / "knowledge"), tmp_path / "adal.db"
    store = Store(db)
    add_subscribers(store, CHATS)
    store.close()
    active = [c for c in CHATS if c not in BLOCKED]
    with BotAPIEmulator() as emu:
        for chat_id in BLOCKED:
            emu.block(chat_id)
        emu.delay_next("sendMessage", LATENCY, count=10 * len(CHATS))
        emu.fail_next("sendMessage", 429, retry_after=1, count=3)

        first = start(emu, db, knowledge)
        deadline = time.monotonic() + 30
        while len(delivered(emu)) < len(active) // 2:
            assert first.poll() is None, "the broadcast ended before the kill"
            assert time.monotonic() < deadline
            time.sleep(0.005)
        os.kill(first.pid, signal.SIGKILL)
        assert first.wait() == -signal.SIGKILL
        store = Store(db)
        in_flight = {row["chat_id"] for row in store.db["outbox"].rows_where("state = 'sending'")}
        sent_before = store.delivery_counts()[NOTICE_ID]["sent"]
        store.close()
        assert 0 < sent_before < len(active)
        assert len(in_flight) <= Limits.concurrency
        time.sleep(2 * LATENCY)  # the calls under way reach the emulator all the same

        second = start(emu, db, knowledge)
        output, _ = second.communicate(timeout=60)
        assert second.returncode == 0
        counts = delivered(emu)

    assert json.loads(output)["sent"] == len(active) - sent_before  # the rest, nothing again
    assert set(counts) == set(active)  # everyone active got it, nobody blocked did
    twice = {c for c, n in counts.items() if n > 1}
    assert twice <= in_flight and max(counts.values()) <= 2
    print(f"in flight at the kill: {len(in_flight)}, delivered twice: {len(twice)}")
    store = Store(db)
    assert store.delivery_counts()[NOTICE_ID] == {
        "pending": 0,
        "sending": 0,
        "sent": len(active),
        "failed": 0,
        "skipped": len(BLOCKED),
    }
    assert not any(store.is_active(c) for c in BLOCKED)
    assert all(store.is_active(c) for c in active)
    store.close()
