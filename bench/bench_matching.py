"""Benchmark of the matching engine (not a timed test): run ``python bench/bench_matching.py``.

Prints, in one run: the index build time; per-query latency p50/p99 on the bundled base and
on a synthetic base 100 times larger (perturbed copies of every entry under new ids) next to a
naive baseline (rapidfuzz WRatio over the raw question strings), as ratios; the throughput of
the real ``adal-bot match --json`` subprocess; and peak memory.
"""

from __future__ import annotations

import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from bot.kb import LANGS, KnowledgeBase, load_knowledge
from bot.kb.model import Entry, LangText
from bot.matching import Matcher

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = Path(os.environ.get("ADAL_KNOWLEDGE_DIR") or ROOT / "knowledge")
EVAL = ROOT / "tests" / "data" / "eval.jsonl"
SCALE = 100
QUERIES = 2000
BIG_QUERIES = 300
NAIVE_BIG_QUERIES = 40
SUBPROCESS_QUERIES = 3000
OUT_OF_SCOPE = [
    "how do I renew my passport",
    "как оплатить налог на машину",
    "😂",
    "погода в Астане",
    "what is the fine for a bribe of a million tenge",
    "қай жерде паспорт аламын",
    "привет",
    "",
]


def typo(word: str, rng: random.Random) -> str:
    """The word with one letter dropped, doubled or swapped with its neighbour."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:at] + word[at + 1 :]
    if kind == 1:
        return word[:at] + word[at] + word[at:]
    return word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :]


def perturb(text: str, rng: random.Random) -> str:
    """A way of asking as people type it: a typo or two, a word dropped, words reordered."""
    words = text.split()
    if len(words) > 3 and rng.random() < 0.3:
        words.pop(rng.randrange(len(words)))
    if len(words) > 2 and rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(typo(w, rng) if rng.random() < 0.25 else w for w in words)


def queries(kb: KnowledgeBase, count: int, rng: random.Random) -> list[str]:
    """Perturbed questions of the base, the evaluation set's questions and out-of-scope ones."""
    pool = [q for e in kb.entries.values() for lang in LANGS for q in e.questions(lang)]
    found = [perturb(rng.choice(pool), rng) for _ in range(count)]
    if EVAL.exists():
        found += [
            json.loads(line)["q"] for line in EVAL.read_text("utf-8").splitlines() if line.strip()
        ]
    return found + OUT_OF_SCOPE * 10


def scaled(kb: KnowledgeBase, factor: int, rng: random.Random) -> KnowledgeBase:
    """A base ``factor`` times larger: perturbed copies of every entry under new ids."""
    entries: dict[str, Entry] = dict(kb.entries)
    for copy in range(1, factor):
        for entry in kb.entries.values():
            texts = {
                lang: LangText(tuple(perturb(q, rng) for q in text.questions), text.answer)
                for lang, text in entry.texts.items()
            }
            new_id = f"{entry.id}-x{copy}"
            entries[new_id] = replace(entry, id=new_id, texts=texts, aliases=())
    return KnowledgeBase(
        entries=entries, topics=kb.topics, synonyms=kb.synonyms, smalltalk=kb.smalltalk
    )


def latencies(run: Callable[[str], object], texts: list[str]) -> list[float]:
    """Milliseconds per call of ``run`` on each text."""
    found = []
    for text in texts:
        start = time.perf_counter()
        run(text)
        found.append((time.perf_counter() - start) * 1000)
    return found


def percentiles(values: list[float]) -> tuple[float, float]:
    """p50 and p99 of ``values``."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[98]


def naive(kb: KnowledgeBase) -> Callable[[str], object]:
    """The baseline: rapidfuzz WRatio of the query against every raw question string."""
    choices = [q for e in kb.entries.values() for lang in LANGS for q in e.questions(lang)]
    return lambda text: process.extractOne(
        text, choices, scorer=fuzz.WRatio, processor=utils.default_process
    )


def report_latency(
    name: str, matcher: Matcher, kb: KnowledgeBase, texts: list[str], naive_count: int
) -> None:
    """Print the matcher's and the baseline's latency on ``texts`` and their ratio."""
    ours = percentiles(latencies(matcher.match, texts))
    theirs = percentiles(latencies(naive(kb), texts[:naive_count]))
    print(
        f"{name}: {len(kb.entries)} entries, "
        f"{sum(len(e.questions(lang)) for e in kb.entries.values() for lang in LANGS)} "
        f"questions, {len(texts)} queries"
    )
    print(f"  matcher        p50 {ours[0]:7.2f} ms   p99 {ours[1]:7.2f} ms")
    print(
        f"  naive WRatio   p50 {theirs[0]:7.2f} ms   p99 {theirs[1]:7.2f} ms"
        f"   (on {min(naive_count, len(texts))} queries)"
    )
    print(f"  naive/matcher  p50 x{theirs[0] / ours[0]:.2f}   p99 x{theirs[1] / ours[1]:.2f}")


def subprocess_throughput(texts: list[str]) -> tuple[float, float]:
    """(seconds for all texts, queries per second after start-up) of ``adal-bot match --json``."""
    command = [str(Path(sys.executable).with_name("adal-bot")), "match", "--json"]
    env = {**os.environ, "ADAL_KNOWLEDGE_DIR": str(KNOWLEDGE)}

    def timed(lines: list[str]) -> float:
        start = time.perf_counter()
        done = subprocess.run(
            command,
            input="\n".join(lines) + "\n",
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert len(done.stdout.splitlines()) == len(lines)
        return time.perf_counter() - start

    startup = timed(texts[:1])
    total = timed(texts)
    return total, (len(texts) - 1) / max(total - startup, 1e-9)


def main() -> None:
    """Run every measurement and print the figures."""
    rng = random.Random(20201018)
    kb = load_knowledge(KNOWLEDGE)
    if not kb.entries:
        sys.exit(f"no entries in {KNOWLEDGE}: nothing to measure")
    start = time.perf_counter()
    matcher = Matcher(kb)
    gc.freeze()  # as the bot keeps its base out of full collections (bot/library.py)
    print(f"index build (bundled base): {(time.perf_counter() - start) * 1000:.1f} ms")
    texts = queries(kb, QUERIES, rng)
    report_latency("bundled base", matcher, kb, texts, len(texts))

    big = scaled(kb, SCALE, rng)
    tracemalloc.start()
    start = time.perf_counter()
    big_matcher = Matcher(big)
    build = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    gc.freeze()
    print(
        f"index build ({SCALE}x base): {build:.2f} s, peak Python memory "
        f"{peak / 2**20:.1f} MiB (tracemalloc)"
    )
    report_latency(
        f"{SCALE}x base", big_matcher, big, rng.sample(texts, BIG_QUERIES), NAIVE_BIG_QUERIES
    )

    lines = [rng.choice(texts).replace("\n", " ") for _ in range(SUBPROCESS_QUERIES)]
    total, qps = subprocess_throughput(lines)
    print(
        f"adal-bot match --json: {len(lines)} queries in {total:.2f} s "
        f"(start-up included), {qps:.0f} queries/s after start-up"
    )
    print(
        f"peak resident memory of this process: "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
