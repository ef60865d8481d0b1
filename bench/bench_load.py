"""Load test of the running bot (not a timed test): ``python bench/bench_load.py``.

Starts ``adal-bot run`` as a process of its own (as deployed) against the Bot API emulator with
Telegram's flood limits on (30 messages a second, one a second per chat), then:

- **human pace**: ``--users`` users (25) each ask a question (lines of the labelled sets, in
  kk, ru and en, answerable or not), wait for the reply, think for 3 to 8 seconds and ask again,
  for ``--seconds`` (90). Every message must be answered; the target is a p99 reply latency
  (from the update's arrival at the emulator to the first reply message) of at most 1 s.
- **burst** (``--burst N``, 300 by default; 0 skips it): N users ask one question each at the
  same moment, with the flood limits off, to measure how many answers a second one process
  gives when Telegram is not the bottleneck.

The bot's CPU time is read from ``/proc`` before and after each phase: answers per CPU-second
is the capacity figure docs/deploy.md builds on.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.helpers.botapi_emulator import BotAPIEmulator  # noqa: E402

THINK = (3.0, 8.0)  # seconds a user thinks between a reply and their next question
REPLY_TIMEOUT = 30.0  # seconds after which a message counts as unanswered
P99_TARGET = 1.0  # seconds
FIRST_CHAT = 900_000
SETS = ("tests/data/eval.jsonl", "tests/data/dev.jsonl")


@dataclass
class Tally:
    """What the users saw."""

    latencies: list[float] = field(default_factory=list)
    unanswered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, latency: float | None) -> None:
        with self.lock:
            if latency is None:
                self.unanswered += 1
            else:
                self.latencies.append(latency)


def questions() -> list[tuple[str, str]]:
    """(text, language) of every line of the labelled sets."""
    found = []
    for name in SETS:
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            found.append((case["q"], case.get("lang") or "ru"))
    return found


def ask(emu: BotAPIEmulator, chat_id: int, text: str, lang: str) -> float | None:
    """Push ``text`` and wait for the first reply: its latency, or None when none came."""
    mark = len(emu.sent)
    pushed = time.monotonic()
    emu.push_text(chat_id, text, language_code=lang)
    try:
        reply = emu.wait_for_sync(lambda r: r.chat_id == chat_id, REPLY_TIMEOUT, after=mark)
    except TimeoutError:
        return None
    return reply.timestamp - pushed


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def human_pace(
    emu: BotAPIEmulator, users: int, seconds: float, pool: list[tuple[str, str]]
) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    rng = random.Random(15)
    plans = [rng.random() * THINK[1] for _ in range(users)]  # staggered first questions

    def user(n: int) -> None:
        local = random.Random(n)
        time.sleep(plans[n])
        while time.monotonic() < until:
            text, lang = local.choice(pool)
            tally.add(ask(emu, FIRST_CHAT + n, text, lang))
            time.sleep(local.uniform(*THINK))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def burst(emu: BotAPIEmulator, count: int, pool: list[tuple[str, str]]) -> tuple[int, float]:
    """``count`` users ask at once; (answered, seconds until the last answer)."""
    emu.limits = False
    chats = range(FIRST_CHAT + 10_000, FIRST_CHAT + 10_000 + count)
    mark = len(emu.sent)
    start = time.monotonic()
    for n, chat_id in enumerate(chats):
        text, lang = pool[n % len(pool)]
        emu.push_text(chat_id, text, language_code=lang)
    answered: set[int] = set()
    deadline = start + REPLY_TIMEOUT * 4
    last = start
    while len(answered) < count and time.monotonic() < deadline:
        for record in emu.sent[mark:]:
            if record.chat_id in chats and record.chat_id not in answered:
                answered.add(record.chat_id)
                last = max(last, record.timestamp)
        time.sleep(0.05)
    emu.limits = True
    return len(answered), last - start


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=25)
    parser.add_argument("--seconds", type=float, default=90.0)
    parser.add_argument("--burst", type=int, default=300)
    args = parser.parse_args()
    pool = questions()
    with BotAPIEmulator(limits=True) as emu, tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("ADAL_", "TELEGRAM_"))}
        env |= {
            "TELEGRAM_BOT_TOKEN": emu.token,
            "TELEGRAM_API_URL": emu.base_url,
            "ADAL_DB": str(Path(tmp) / "adal.db"),
            "ADAL_LOG_LEVEL": "WARNING",
        }
        bot = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp, env=env)
        try:
            ask(emu, FIRST_CHAT - 1, "/start", "ru")  # ready: the first reply came
            cpu = cpu_seconds(bot.pid)
            tally = human_pace(emu, args.users, args.seconds, pool)
            human_cpu = cpu_seconds(bot.pid) - cpu
            refused = emu.flood_rejections
            if args.burst:
                cpu = cpu_seconds(bot.pid)
                answered, took = burst(emu, args.burst, pool)
                burst_cpu = cpu_seconds(bot.pid) - cpu
        finally:
            bot.terminate()
            bot.wait()
    lat = tally.latencies
    total = len(lat) + tally.unanswered
    p99 = percentile(lat, 0.99)
    print(f"human pace: {args.users} users for {args.seconds:.0f} s, {total} messages")
    print(f"  answered {len(lat)}, unanswered {tally.unanswered}, refused for flooding {refused}")
    print(
        f"  reply latency ms: p50 {statistics.median(lat) * 1000:.0f}, p90 "
        f"{percentile(lat, 0.9) * 1000:.0f}, p99 {p99 * 1000:.0f}, max {max(lat) * 1000:.0f}"
        f"  (target p99 <= {P99_TARGET * 1000:.0f})"
    )
    print(f"  bot CPU: {human_cpu:.1f} s = {human_cpu / max(len(lat), 1) * 1000:.1f} ms a message")
    if args.burst:
        print(
            f"burst: {answered} of {args.burst} answered in {took:.1f} s = "
            f"{answered / took:.0f} answers/s; bot CPU {burst_cpu:.1f} s = "
            f"{answered / burst_cpu:.0f} answers per CPU-second"
        )
    verdict = tally.unanswered == 0 and p99 <= P99_TARGET
    print("PASS" if verdict else "FAIL")
    sys.exit(0 if verdict else 1)


if __name__ == "__main__":
    main()
