"""Benchmark of ``adal-bot match --json`` start-up (not a timed test):
``python bench/bench_startup.py [--runs 5]``.

Measures, over fresh processes, the time from process start to the first answer of
``adal-bot match --json`` (one message written to its stdin at once; the clock stops when
its first line of output arrives), the median of ``--runs`` runs, next to two baselines
measured in the same run, interleaved with it so that the machine's load weighs on all
alike:

- ``import``: ``python -c "import bot.matching"``, the floor that imports alone cost;
- ``wordfreq``: the same command with the word lists read from wordfreq's full lists at
  start-up, as before ``bot/matching/everyday_words.json.gz`` (the old code, patched in).

Prints the medians, the ratios, what the table saved, and whether the two commands answered
alike. The target is a first answer within 1.5 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MESSAGE = "подарок от коллеги на день рождения\n"
TARGET = 1.5

# The module as it was before the table: wordfreq's full lists read and folded when the
# matcher is built, English words looked up in wordfreq.
LEGACY = """
import functools, math, sys
from collections import defaultdict

from wordfreq import get_frequency_dict, zipf_frequency

import bot.matching.index as index
import bot.matching.matcher as matcher
from bot.matching import common_words as cw
from bot.matching.normalize import words


@functools.cache
def everyday_words(lang):
    least = 10 ** (cw.EVERYDAY[lang] - 9)
    totals = defaultdict(float)
    for word, frequency in get_frequency_dict(lang).items():
        if frequency < least:
            break
        folded = words(word)
        if len(folded) == 1:
            totals[folded[0]] += frequency
    return {word: math.log10(frequency) + 9 for word, frequency in totals.items()}


def load_word_lists():
    for lang in cw.EVERYDAY:
        everyday_words(lang)


@functools.lru_cache(maxsize=65536)
def is_common_english(word):
    return word.isascii() and word.isalpha() and zipf_frequency(word, "en") >= cw.COMMON_ZIPF


def everyday_share(word):
    lang = "en" if word.isascii() else "ru"
    frequency = everyday_words(lang).get(word, 0.0)
    share = (cw.TOP_ZIPF - frequency) / (cw.TOP_ZIPF - cw.EVERYDAY[lang])
    return min(1.0, max(cw.LEAST_SHARE, share))


matcher.load_word_lists = load_word_lists
matcher.everyday_share = everyday_share
index.is_common_english = is_common_english
sys.argv[0] = "adal-bot"
from bot.cli import main

main()
"""

COMMANDS = {
    "adal-bot": [str(BIN / "adal-bot"), "match", "--json"],
    "wordfreq": [sys.executable, "-c", LEGACY, "match", "--json"],
    "import": [sys.executable, "-c", "import bot.matching"],
}


def first_answer(command: list[str]) -> tuple[float, str]:
    """Seconds from starting ``command`` to its first line of output, and that line."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(MESSAGE)
    process.stdin.flush()
    line = process.stdout.readline()  # "" for a command that prints nothing: its exit
    elapsed = time.perf_counter() - started
    process.stdin.close()
    process.stdout.read()
    if process.wait() != 0:
        raise SystemExit(f"{command[0]} failed with exit code {process.returncode}")
    return elapsed, line


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    answers: dict[str, set[str]] = {name: set() for name in COMMANDS}
    for name, command in COMMANDS.items():  # warm the disk cache and .pyc files
        answers[name].add(first_answer(command)[1])
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            elapsed, line = first_answer(command)
            times[name].append(elapsed)
            answers[name].add(line)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(f"start-up to the first answer, median of {args.runs} runs (cores: {os.cpu_count()})")
    for name, values in times.items():
        spread = ", ".join(f"{value:.2f}" for value in sorted(values))
        print(f"  {name:9} {median[name]:6.3f} s   ({spread})")
    print(
        f"adal-bot / import bot.matching: {median['adal-bot'] / median['import']:.2f}x; "
        f"adal-bot / with wordfreq's lists: {median['adal-bot'] / median['wordfreq']:.2f}x "
        f"({median['wordfreq'] - median['adal-bot']:.3f} s saved)"
    )
    alike = answers["adal-bot"] == answers["wordfreq"] and len(answers["adal-bot"]) == 1
    print(f"same answer with the table and with wordfreq's lists: {'yes' if alike else 'NO'}")
    verdict = "met" if median["adal-bot"] <= TARGET else "NOT met"
    print(f"target: first answer within {TARGET} s: {verdict}")
    return 0 if alike else 1


if __name__ == "__main__":
    sys.exit(main())
