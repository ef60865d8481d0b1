"""How common a word is in everyday language, from wordfreq's word lists.

* Everyday English words are not typos: "sent" is not a misspelt "set", nor "heard" a
  misspelt "head". Only English is checked: Russian and Kazakh inflect so much that a close
  known word is usually another form of the same word (наказывают, наказание), which
  matching wants.
* Everyday words say less about what a message asks than their rarity in the base
  suggests: with a few dozen entries, "giving" or "куда" may occur in only two of them and
  weigh as much as "entrapment". :func:`everyday_share` scales such a word's weight down
  (the matcher spares the words synonym groups name as terms). wordfreq has no Kazakh
  list, so Kazakh words keep their weight.

wordfreq stays the source of truth, but reading its full lists and folding every word took
about 0.65 s at start-up. What these functions need of them ships precomputed in
``everyday_words.json.gz`` next to this module (:func:`build_word_table` made it: the common
English words and the folded words above the EVERYDAY frequencies, with their exact Zipf
frequencies, so every result is the same). After a change of wordfreq's version, of
COMMON_ZIPF or EVERYDAY, or of the folding (:mod:`bot.matching.normalize`), regenerate it::

    .venv/bin/python bench/build_everyday_words.py          # writes the table
    .venv/bin/python bench/build_everyday_words.py --check  # exit 1 if it is out of date

Should the shipped table not fit the thresholds or the folding in force (its stamp, checked
on loading in about a millisecond), it is built from wordfreq instead, with a warning.
"""

from __future__ import annotations

import functools
import gzip
import json
import logging
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.matching.normalize import words

log = logging.getLogger(__name__)

COMMON_ZIPF = 3.0  # at least once per million words of running English text
# Per language: the Zipf frequency from which a word weighs less. A Russian form is rarer
# than an English word as common, its frequency spread over its endings.
EVERYDAY = {"en": 5.0, "ru": 3.5}
EVERYDAY_LENGTH = 3  # shorter Latin strings are as often letters or a wrong layout ("fg")
# From this length a common English word, or one a letter's typo away from one, is English as
# typed ("letter" is no Russian леттер, "oficer" no офицер); shorter ones are often Kazakh or
# translit words ("sen", "salem" is a typo of "sales").
ENGLISH_LENGTH = 6
TYPOS_CACHED = 16384  # long unknown Latin words whose nearness to English is kept
TOP_ZIPF = 7.0  # the most common words ("the", "и") would reach zero here...
LEAST_SHARE = 0.6  # ... but keep this share of their weight

TABLE = Path(__file__).with_name("everyday_words.json.gz")
TABLE_FORMAT = 1
# zipf_frequency rounds a frequency to 3 significant digits, then to hundredths: a word
# below COMMON_ZIPF by more than this in the raw list cannot reach it.
_ROUNDING_MARGIN = 0.1


@dataclass(frozen=True)
class WordTable:
    """What the functions below look up: folded word → Zipf frequency per language (only
    the words above the language's EVERYDAY frequency), and the common English words."""

    everyday: dict[str, dict[str, float]]
    common_english: frozenset[str]


def load_word_lists() -> None:
    """Load the table and its long English words by first letter now (a few milliseconds),
    so the first message does not wait."""
    _long_english()


def is_common_english(word: str) -> bool:
    """Whether a folded Latin-script ``word`` is a frequent English word as it stands:
    ``zipf_frequency(word, "en") >= COMMON_ZIPF``. wordfreq reads an ASCII word as one
    token, case-folded, so the table holds the case-folded words."""
    return word.isascii() and word.isalpha() and word.lower() in _word_table().common_english


def is_everyday_english(word: str) -> bool:
    """Whether a folded Latin-script ``word`` of at least ``EVERYDAY_LENGTH`` letters is an
    everyday English word (above EVERYDAY["en"]: "saw", "party", "range"; not "sen", "fg")."""
    return len(word) >= EVERYDAY_LENGTH and word.isascii() and word in _word_table().everyday["en"]


def reads_as_english(word: str) -> bool:
    """Whether a folded Latin-script ``word`` reads as English as typed: an everyday English
    word, or from ENGLISH_LENGTH letters a common one or one typo (an edit, or two letters
    swapped) away from a common one with the same first letter ("oficer", "complian")."""
    if is_everyday_english(word):
        return True
    if len(word) < ENGLISH_LENGTH or not word.isascii() or not word.isalpha():
        return False
    return word in _word_table().common_english or _one_typo_from_english(word)


@functools.lru_cache(maxsize=TYPOS_CACHED)
def _one_typo_from_english(word: str) -> bool:
    # one edit changes the length by one at most: only words of the three lengths can be near
    found = _long_english()
    near = [w for size in (-1, 0, 1) for w in found.get((word[0], len(word) + size), ())]
    return process.extractOne(word, near, scorer=OSA.distance, score_cutoff=1) is not None


@functools.cache
def _long_english() -> dict[tuple[str, int], list[str]]:
    """The common English words of ENGLISH_LENGTH - 1 letters or more, by first letter and
    length (in no particular order: only whether one is near counts)."""
    found: dict[tuple[str, int], list[str]] = defaultdict(list)
    for word in _word_table().common_english:
        if len(word) >= ENGLISH_LENGTH - 1:
            found[word[0], len(word)].append(word)
    return found


def is_everyday_russian(word: str) -> bool:
    """Whether a folded Cyrillic ``word`` is a common Russian word (above EVERYDAY["ru"])."""
    return word in _word_table().everyday["ru"]


def everyday_share(word: str) -> float:
    """The share (up to 1) of its weight a folded English or Russian ``word`` keeps for
    being common in everyday text: 1 up to the language's EVERYDAY frequency, then less."""
    lang = "en" if word.isascii() else "ru"
    frequency = _word_table().everyday[lang].get(word, 0.0)
    return min(1.0, max(LEAST_SHARE, (TOP_ZIPF - frequency) / (TOP_ZIPF - EVERYDAY[lang])))


@functools.cache
def _word_table() -> WordTable:
    try:
        payload = json.loads(gzip.decompress(TABLE.read_bytes()))
    except (OSError, ValueError) as error:
        log.warning("%s unreadable (%s): building it from wordfreq", TABLE.name, error)
        payload = build_word_table()
    else:
        if not fits(payload):
            log.warning(
                "%s does not fit COMMON_ZIPF, EVERYDAY or the folding in force: building it "
                "from wordfreq (regenerate it: python bench/build_everyday_words.py)",
                TABLE.name,
            )
            payload = build_word_table()
    return table_from(payload)


def table_from(payload: dict[str, Any]) -> WordTable:
    """The WordTable of a stored table. Zipf frequencies are stored as their repr, which
    ``float`` reads back exactly (and faster than JSON numbers)."""
    return WordTable(
        everyday={
            lang: dict(zip(table["words"].split(), map(float, table["zipf"].split()), strict=True))
            for lang, table in payload["everyday"].items()
        },
        common_english=frozenset(payload["common_english"].split()),
    )


def fits(payload: dict[str, Any]) -> bool:
    """Whether a table was built for this module's thresholds and folding (the folding of
    every character of its source words and of every source word not all letters)."""
    return (
        payload.get("format") == TABLE_FORMAT
        and payload.get("common_zipf") == COMMON_ZIPF
        and payload.get("everyday_zipf") == EVERYDAY
        and [words(text) for text in payload.get("probe", ())] == payload.get("probe_folded")
    )


def build_word_table() -> dict[str, Any]:
    """The table, as stored in TABLE, from wordfreq's lists (about a second)."""
    from importlib.metadata import version

    from wordfreq import get_frequency_dict, zipf_frequency

    sources: set[str] = set()
    everyday = {}
    for lang in EVERYDAY:
        frequencies = _everyday_words(lang, get_frequency_dict(lang), sources)
        # a word at or below EVERYDAY keeps all its weight, as does a word not listed
        kept = sorted((w, f) for w, f in frequencies.items() if f > EVERYDAY[lang])
        everyday[lang] = {
            "words": " ".join(word for word, _ in kept),
            "zipf": " ".join(repr(frequency) for _, frequency in kept),
        }
    least = 10 ** (COMMON_ZIPF - _ROUNDING_MARGIN - 9)
    common = sorted(
        word
        for word, frequency in get_frequency_dict("en").items()
        if frequency >= least
        and word.isascii()
        and word.isalpha()
        and zipf_frequency(word, "en") >= COMMON_ZIPF
    )
    sources.update(common)
    probe = sorted(set("".join(sources))) + sorted(w for w in sources if not w.isalpha())
    return {
        "format": TABLE_FORMAT,
        "wordfreq": version("wordfreq"),
        "common_zipf": COMMON_ZIPF,
        "everyday_zipf": EVERYDAY,
        "probe": probe,
        "probe_folded": [words(text) for text in probe],
        "common_english": " ".join(common),
        "everyday": everyday,
    }


def _everyday_words(
    lang: str, frequency_dict: dict[str, float], sources: set[str]
) -> dict[str, float]:
    """The Zipf frequency of every word of ``lang`` common enough to weigh less (see
    EVERYDAY), by its folded form: "сейчас" is looked up as the matcher sees it, "сеичас".
    Adds the words read to ``sources``."""
    least = 10 ** (EVERYDAY[lang] - 9)  # Zipf frequency: log10 of occurrences per 10^9 words
    totals: defaultdict[str, float] = defaultdict(float)
    for word, frequency in frequency_dict.items():  # most frequent first
        if frequency < least:
            break
        sources.add(word)
        folded = words(word)
        if len(folded) == 1:
            totals[folded[0]] += frequency
    return {word: math.log10(frequency) + 9 for word, frequency in totals.items()}
