"""Benchmark of a live reload (not a timed test): ``python bench/bench_reload.py``.

A user's answer while the knowledge base is rebuilt. The bot answers on its store's thread and
builds a new base in a thread of its own (``bot.telegram.kb_watch``); Python runs one thread at a
time, so the build still slows answers down a little. Measured in one run, on the bundled base
answering eval questions:

- **idle**: answer latency with no reload under way (the baseline);
- **during a reload**: the same answers while a base ``--scale`` times larger is built in
  another thread, as the bot does it now;
- **before**: the build on the answering thread, as before this change: an answer that arrives
  during it waits for the rest of the build (on average half of it, at worst all of it).
"""

from __future__ import annotations

import argparse
import random
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_matching import KNOWLEDGE, percentiles, queries, scaled  # noqa: E402
from bot.kb import load_knowledge  # noqa: E402
from bot.matching import Matcher  # noqa: E402


def answer_latencies(matcher: Matcher, texts: list[str], stop: threading.Event) -> list[float]:
    """Milliseconds per answer, answering ``texts`` round and round until ``stop`` is set."""
    found: list[float] = []
    n = 0
    while not stop.is_set():
        start = time.perf_counter()
        matcher.match(texts[n % len(texts)])
        found.append((time.perf_counter() - start) * 1000)
        n += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=20, help="size of the rebuilt base")
    parser.add_argument("--switch", type=float, help="sys.setswitchinterval, in seconds")
    args = parser.parse_args()
    if args.switch:
        sys.setswitchinterval(args.switch)
    rng = random.Random(19)
    kb = load_knowledge(KNOWLEDGE)
    live = Matcher(kb)
    texts = queries(kb, 500, rng)
    big = scaled(kb, args.scale, rng)

    stop = threading.Event()
    timer = threading.Timer(5.0, stop.set)
    timer.start()
    idle = answer_latencies(live, texts, stop)

    stop = threading.Event()
    built: dict[str, float] = {}

    def build() -> None:
        start = time.perf_counter()
        Matcher(big)
        built["seconds"] = time.perf_counter() - start
        stop.set()

    builder = threading.Thread(target=build)
    builder.start()
    during = answer_latencies(live, texts, stop)
    builder.join()

    start = time.perf_counter()
    Matcher(big)
    alone = time.perf_counter() - start

    (i50, i99), (d50, d99) = percentiles(idle), percentiles(during)
    print(f"rebuilt base: {args.scale}x the bundled one, {len(big.entries)} entries")
    print(f"idle:             p50 {i50:.2f} ms, p99 {i99:.2f} ms ({len(idle)} answers)")
    print(
        f"during a reload:  p50 {d50:.2f} ms, p99 {d99:.2f} ms ({len(during)} answers over a "
        f"{built['seconds']:.1f} s build); p99 ratio to idle x{d99 / i99:.1f}, "
        f"{d99 - i99:.1f} ms more"
    )
    print(
        f"before (build on the answering thread): an answer waits up to {alone * 1000:.0f} ms, "
        f"{alone * 500:.0f} ms on average"
    )


if __name__ == "__main__":
    main()
