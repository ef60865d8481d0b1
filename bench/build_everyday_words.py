"""Generate ``bot/matching/everyday_words.json.gz`` from wordfreq (pinned in constraints.txt).

    .venv/bin/python bench/build_everyday_words.py          # (re)write the table
    .venv/bin/python bench/build_everyday_words.py --check  # exit 1 if it is out of date

The table is what :mod:`bot.matching.common_words` looks up instead of reading wordfreq's full
lists at start-up (see that module). Before writing, the new table is checked against wordfreq
itself: ``is_common_english`` against ``zipf_frequency`` on every English word near the
threshold, in several cases, and on random strings; ``everyday_share`` against the table
built the old way, over every word of wordfreq's lists down to the EVERYDAY frequency.
The file is written deterministically (sorted, gzip without a timestamp).
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import string
import sys
import time
from typing import Any

from wordfreq import get_frequency_dict, zipf_frequency

from bot.matching import common_words
from bot.matching.common_words import (
    COMMON_ZIPF,
    EVERYDAY,
    LEAST_SHARE,
    TABLE,
    TOP_ZIPF,
    build_word_table,
    table_from,
)
from bot.matching.normalize import words


def encode(payload: dict[str, Any]) -> bytes:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(text.encode(), compresslevel=9, mtime=0)


def share(frequency: float, lang: str) -> float:
    """everyday_share's formula, for a word of ``frequency`` (0 when not listed)."""
    return min(1.0, max(LEAST_SHARE, (TOP_ZIPF - frequency) / (TOP_ZIPF - EVERYDAY[lang])))


def verify(payload: dict[str, Any]) -> None:
    """Fail unless the table answers as wordfreq does (see the module docstring)."""
    table = table_from(payload)
    # everyday_share: the table as the module built it before (every folded word kept)
    for lang in EVERYDAY:
        least = 10 ** (EVERYDAY[lang] - 9)
        totals: dict[str, float] = {}
        for word, frequency in get_frequency_dict(lang).items():
            if frequency < least:
                break
            folded = words(word)
            if len(folded) == 1:
                totals[folded[0]] = totals.get(folded[0], 0.0) + frequency
        old = {word: math.log10(frequency) + 9 for word, frequency in totals.items()}
        for word in {*old, *table.everyday[lang], "entrapment", "провокация", "xyzzy"}:
            before, after = (
                share(old.get(word, 0.0), lang),
                share(table.everyday[lang].get(word, 0.0), lang),
            )
            assert before == after, (lang, word, before, after)
    # is_common_english: every English word down to 2 below COMMON_ZIPF, in three cases
    rng = random.Random(1)
    english = get_frequency_dict("en")
    near = [
        word
        for word, frequency in english.items()
        if frequency >= 10 ** (COMMON_ZIPF - 2 - 9) and word.isascii() and word.isalpha()
    ]
    samples = near + [w.upper() for w in rng.sample(near, 3000)]
    samples += [w.title() for w in rng.sample(near, 3000)]
    samples += [
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 8))) for _ in range(3000)
    ]
    for word in samples:
        expected = zipf_frequency(word, "en") >= COMMON_ZIPF
        assert (word.lower() in table.common_english) is expected, word
    print(f"verified against wordfreq: everyday shares, {len(samples):,} English words")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the table is stale")
    parser.add_argument("--no-verify", action="store_true", help="skip the check against wordfreq")
    args = parser.parse_args()
    started = time.perf_counter()
    payload = build_word_table()
    print(f"built in {time.perf_counter() - started:.2f} s")
    if args.check:
        try:
            shipped = json.loads(gzip.decompress(TABLE.read_bytes()))
        except OSError as error:
            print(f"{TABLE} unreadable: {error}")
            return 1
        if shipped != payload:
            print(f"{TABLE} is out of date: run python bench/build_everyday_words.py")
            return 1
        print(f"{TABLE} is up to date (fits: {common_words.fits(shipped)})")
        return 0
    if not args.no_verify:
        verify(payload)
    data = encode(payload)
    TABLE.write_bytes(data)
    print(
        f"wrote {TABLE} ({len(data):,} bytes): {len(payload['common_english'].split()):,} common "
        "English words, "
        + ", ".join(
            f"{len(table['words'].split()):,} everyday {lang}"
            for lang, table in payload["everyday"].items()
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
