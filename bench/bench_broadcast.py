"""Benchmark of a notice broadcast (not a timed test): ``python bench/bench_broadcast.py``.

Broadcasts one notice to ``--subscribers`` chats (10,000 by default: about 6 minutes at
Telegram's 30 messages a second) through the real sender and a real PTB bot with the bot's
per-chat rate limiter (as the running bot has it), against the Bot API emulator with its flood
limits on (30 a second overall, one a second per chat). Prints the achieved rate as a fraction
of the 30/s limit (target ≥ 0.9) and how many messages the emulator refused for flooding
(target 0).

The emulator runs in its own process, as Telegram is on another machine: sharing one process
(and its GIL) with the sender stalls the server now and then, and the requests it then handles
in a bunch look like a burst to its flood counter (about one refusal per 10,000 messages).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.notices import Limits  # noqa: E402
from bot.store import Store  # noqa: E402
from tests.helpers.botapi_emulator import DEFAULT_TOKEN, SENDS_PER_SECOND  # noqa: E402
from tests.helpers.notice_broadcast import add_subscribers, broadcast, write_knowledge  # noqa: E402

FIRST_CHAT = 100_000
EMULATOR = ROOT / "tests" / "helpers" / "botapi_emulator.py"


@contextmanager
def emulator() -> Iterator[str]:
    """The Bot API emulator with flood limits, in its own process; yields its base URL."""
    process = subprocess.Popen(
        [sys.executable, str(EMULATOR), "--port", "0", "--limits"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process.stdout.readline().split()[1]  # "base_url <url>  token <token>"
    finally:
        process.terminate()
        process.wait()


def sent_records(base_url: str) -> list[dict[str, Any]]:
    """Every send the emulator recorded (``GET /emulator/sent``)."""
    url = base_url.removesuffix("/bot") + "/emulator/sent"
    with urllib.request.urlopen(url) as response:
        return list(json.load(response)["result"])


def main() -> None:
    """Run the broadcast and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument(
        "--no-ptb-rate-limiter",
        action="store_true",
        help="send without the bot's per-chat rate limiter (the sender's limiter only)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, emulator() as base_url:
        folder = Path(tmp)
        knowledge, db = write_knowledge(folder / "knowledge"), folder / "adal.db"
        store = Store(db)
        add_subscribers(store, range(FIRST_CHAT, FIRST_CHAT + args.subscribers))
        store.close()
        started = time.monotonic()
        report = asyncio.run(
            broadcast(
                db,
                knowledge,
                base_url,
                DEFAULT_TOKEN,
                Limits(),
                rate_limiter=not args.no_ptb_rate_limiter,
            )
        )
        wall = time.monotonic() - started
        records = sent_records(base_url)
    times = sorted(r["timestamp"] for r in records if r["ok"])
    refused = sum(1 for r in records if r["error_code"] == 429)
    rate = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    limiter = "sender only" if args.no_ptb_rate_limiter else "sender + the bot's per-chat limiter"
    print(f"subscribers        {args.subscribers}")
    print(f"limiters           {limiter}")
    print(
        f"delivered          {len(times)} (sent {report.sent}, failed {report.failed}, "
        f"retried {report.retried})"
    )
    print(f"wall time          {wall:.1f} s (drain {report.seconds:.1f} s)")
    print(f"achieved rate      {rate:.2f} messages/s")
    print(
        f"fraction of limit  {rate / SENDS_PER_SECOND:.3f} of {SENDS_PER_SECOND}/s (target >= 0.9)"
    )
    print(f"flood rejections   {refused} (target 0)")


if __name__ == "__main__":
    main()
