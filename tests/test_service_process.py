"""``adal-bot run`` as a process, the way an operator meets it: every start-up failure in one
line (never a traceback, never the token), no network at start waited out, one "ready" line, a
quiet log with nothing personal in it at any level, ``adal-bot health``, and two processes on
one database: the second waits as a standby, sends nothing twice, takes over when the first
stops.

Issue 15's table: a rejected token or no network printed 140 / 254 lines of traceback with the
token in full; ADAL_DB not writable a 44-line traceback not naming it; 65 of 70 log lines in
22 s were the scheduler's, and no "ready" line; a failed send logged the whole update (name,
username, id, text); a second process on the database sent 4-5 of 300 subscribers a notice
twice.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store import Store
from tests.helpers.botapi_emulator import BotAPIEmulator, SentRecord
from tests.helpers.notice_broadcast import NOTICE_ID, add_subscribers, write_knowledge

pytestmark = pytest.mark.e2e

CHAT = 7_700_123_456
FIRST_NAME, USERNAME = "Асхат", "askhat_nurlanov"
PERSONAL = (
    "Асхат",
    "Нурланов",
    "askhat_nurlanov",
    "900101300126",
    "701 123 45 67",
    "askhat@mail.kz",
    str(CHAT),
)
STORY = (
    "Меня зовут Асхат Нурланов, ИИН 900101300126, тел. +7 701 123 45 67, почта "
    "askhat@mail.kz. Можно ли принять подарок?"
)
WAIT = 60.0  # seconds any step of these tests may take at most
SUBSCRIBERS = range(30_000, 30_300)


class Bot:
    """``adal-bot run`` in a process of its own; its stderr read line by line as it comes."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def wait_for(self, text: str, count: int = 1) -> None:
        """Until ``count`` lines hold ``text``."""
        deadline = time.monotonic() + WAIT
        while sum(text in line for line in self.lines) < count:
            assert self.process.poll() is None or self._reader.is_alive(), self.log
            assert time.monotonic() < deadline, f"no {text!r} in:\n{self.log}"
            time.sleep(0.05)

    def stop(self) -> int:
        """SIGTERM, then the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=WAIT)
        self._reader.join(timeout=WAIT)
        return code

    @property
    def log(self) -> str:
        return "".join(self.lines)


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    """The process environment without the caller's ADAL_/TELEGRAM_ settings, plus ``values``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ADAL_", "TELEGRAM_"))}
    return {**env, "ADAL_DB": str(tmp_path / "adal.db"), **values}


def run_once(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def emu() -> Iterator[BotAPIEmulator]:
    with BotAPIEmulator() as emulator:
        yield emulator


def test_a_rejected_token_is_one_line_without_the_token(
    emu: BotAPIEmulator, tmp_path: Path
) -> None:
    token = "123456:WrongButWellFormed"
    done = run_once(
        environment(tmp_path, TELEGRAM_BOT_TOKEN=token, TELEGRAM_API_URL=emu.base_url), tmp_path
    )
    assert done.returncode == 1
    assert done.stderr == "Error: Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized)\n"
    assert token.split(":")[1] not in done.stdout + done.stderr


def test_a_database_that_cannot_be_created_is_one_line_naming_adal_db(
    emu: BotAPIEmulator, tmp_path: Path
) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    env = environment(tmp_path, TELEGRAM_BOT_TOKEN=emu.token, TELEGRAM_API_URL=emu.base_url)
    env["ADAL_DB"] = str(tmp_path / "a-file" / "adal.db")
    done = run_once(env, tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        f"Error: ADAL_DB={env['ADAL_DB']} cannot be created (Not a directory): "
        "set ADAL_DB to a file in a folder that can be written to\n"
    )


def test_no_network_at_start_is_waited_out_with_a_warning_then_it_runs(tmp_path: Path) -> None:
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/bot"
    emulator = BotAPIEmulator(port=port)
    bot = Bot(
        environment(tmp_path, TELEGRAM_BOT_TOKEN=emulator.token, TELEGRAM_API_URL=api_url),
        tmp_path,
    )
    try:
        bot.wait_for(f"cannot reach Telegram at 127.0.0.1:{port}", count=2)
        with emulator:
            bot.wait_for("ready: @adal_test_bot")
            emulator.push_text(501, "/help", language_code="en")
            emulator.wait_for_sync(lambda r: r.chat_id == 501 and r.ok, timeout=WAIT)
            assert bot.stop() == 0
    finally:
        bot.stop()
    warnings = [line for line in bot.lines if "cannot reach Telegram" in line]
    assert warnings[0].rstrip().endswith("(NetworkError): trying again in 1 s")
    assert "trying again in 2 s" in warnings[1]
    assert "Traceback" not in bot.log and emulator.token.split(":")[1] not in bot.log


def test_the_log_is_short_says_ready_and_holds_nothing_personal_even_at_debug(
    emu: BotAPIEmulator, tmp_path: Path
) -> None:
    env = environment(
        tmp_path,
        TELEGRAM_BOT_TOKEN=emu.token,
        TELEGRAM_API_URL=emu.base_url,
        ADAL_LOG_LEVEL="DEBUG",
        ADAL_LEASE_SECONDS="4",  # heartbeats every second: the log must stay quiet anyway
    )
    bot = Bot(env, tmp_path)
    try:
        bot.wait_for("ready:")
        user = {"first_name": FIRST_NAME, "username": USERNAME, "language_code": "ru"}
        for text in ("/start", STORY, "/subscribe all", STORY):
            mark = len(emu.sent)
            emu.push_text(CHAT, text, **user)  # type: ignore[arg-type]
            emu.wait_for_sync(lambda r: r.chat_id == CHAT, timeout=WAIT, after=mark)
        emu.fail_next("sendMessage", 400, "Bad Request: message is too long")
        emu.push_text(CHAT, STORY, **user)  # type: ignore[arg-type]
        emu.wait_for_sync(lambda r: r.error_code == 400, timeout=WAIT)
        emu.block(CHAT)
        emu.push_text(CHAT, STORY, **user)  # type: ignore[arg-type]
        emu.wait_for_sync(lambda r: r.error_code == 403, timeout=WAIT)
        time.sleep(3)  # a few heartbeats and reload checks
        assert bot.stop() == 0
    finally:
        bot.stop()
    log = bot.log
    assert [p for p in PERSONAL if p in log] == [], log
    assert emu.token.split(":")[1] not in log
    ready = [line for line in bot.lines if " ready: " in line]
    assert len(ready) == 1
    assert "ready: @adal_test_bot, polling, knowledge base " in ready[0]
    assert " entries, Adal " in ready[0]
    assert not [line for line in bot.lines if "apscheduler" in line or "Job " in line]
    assert "ERROR bot.telegram.handlers: a message failed: BadRequest: Message is too long\n" in log
    assert len(bot.lines) < 30, log


def delivered(emu: BotAPIEmulator) -> Counter[int]:
    records: list[SentRecord] = list(emu.sent)
    return Counter(r.chat_id for r in records if r.ok and r.chat_id in SUBSCRIBERS)


def test_two_bots_on_one_database_send_nothing_twice_and_the_second_takes_over(
    emu: BotAPIEmulator, tmp_path: Path
) -> None:
    knowledge = write_knowledge(tmp_path / "knowledge")
    store = Store(tmp_path / "adal.db")
    add_subscribers(store, SUBSCRIBERS)
    store.close()
    env = environment(
        tmp_path,
        TELEGRAM_BOT_TOKEN=emu.token,
        TELEGRAM_API_URL=emu.base_url,
        ADAL_KNOWLEDGE_DIR=str(knowledge),
        ADAL_LEASE_SECONDS="8",
    )
    first = Bot(env, tmp_path)
    second: Bot | None = None
    try:
        first.wait_for("ready:")
        deadline = time.monotonic() + WAIT
        while len(delivered(emu)) < len(SUBSCRIBERS) // 3:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        second = Bot(env, tmp_path)
        second.wait_for("standby:")
        checked = subprocess.run(
            [sys.executable, "-m", "bot", "health"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=WAIT,
            check=False,
        )
        # the freshest heartbeat on this host: either process's (in a container, its own)
        assert checked.returncode == 0 and checked.stdout.startswith("healthy: ")
        assert ", polling as @adal_test_bot, knowledge base " in checked.stdout
        while len(delivered(emu)) < len(SUBSCRIBERS):
            assert time.monotonic() < deadline
            time.sleep(0.05)
        assert first.stop() == 0
        second.wait_for("took over the lease")
        second.wait_for("ready:")
        mark = len(emu.sent)
        emu.push_text(501, "/help", language_code="en")
        emu.wait_for_sync(lambda r: r.chat_id == 501 and r.ok, timeout=WAIT, after=mark)
        assert second.stop() == 0
    finally:
        first.stop()
        if second is not None:
            second.stop()
    counts = delivered(emu)
    assert set(counts) == set(SUBSCRIBERS) and max(counts.values()) == 1
    assert "in flight" not in second.log
    store = Store(tmp_path / "adal.db")
    assert store.delivery_counts()[NOTICE_ID]["sent"] == len(SUBSCRIBERS)
    store.close()
    after = subprocess.run(
        [sys.executable, "-m", "bot", "health"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )
    assert after.returncode == 1 and after.stdout.startswith("unhealthy: no bot process")
