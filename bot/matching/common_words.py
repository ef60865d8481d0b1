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
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict

from wordfreq import get_frequency_dict, zipf_frequency

from bot.matching.normalize import words

COMMON_ZIPF = 3.0  # at least once per million words of running English text
# Per language: the Zipf frequency from which a word weighs less. A Russian form is rarer
# than an English word as common, its frequency spread over its endings.
EVERYDAY = {"en": 5.0, "ru": 3.5}
TOP_ZIPF = 7.0  # the most common words ("the", "и") would reach zero here...
LEAST_SHARE = 0.6  # ... but keep this share of their weight


def load_word_lists() -> None:
    """Load wordfreq's English and Russian lists now (about 0.7 s on first use), so the first
    message does not wait for them."""
    for lang in EVERYDAY:
        _everyday_words(lang)


@functools.cache
def _everyday_words(lang: str) -> dict[str, float]:
    """The Zipf frequency of every word of ``lang`` common enough to weigh less (see
    EVERYDAY), by its folded form: "сейчас" is looked up as the matcher sees it, "сеичас"."""
    least = 10 ** (EVERYDAY[lang] - 9)  # Zipf frequency: log10 of occurrences per 10^9 words
    totals: defaultdict[str, float] = defaultdict(float)
    for word, frequency in get_frequency_dict(lang).items():  # most frequent first
        if frequency < least:
            break
        folded = words(word)
        if len(folded) == 1:
            totals[folded[0]] += frequency
    return {word: math.log10(frequency) + 9 for word, frequency in totals.items()}


@functools.lru_cache(maxsize=65536)
def is_common_english(word: str) -> bool:
    """Whether a folded Latin-script ``word`` is a frequent English word as it stands."""
    return word.isascii() and word.isalpha() and zipf_frequency(word, "en") >= COMMON_ZIPF


def everyday_share(word: str) -> float:
    """The share (up to 1) of its weight a folded English or Russian ``word`` keeps for
    being common in everyday text: 1 up to the language's EVERYDAY frequency, then less."""
    lang = "en" if word.isascii() else "ru"
    frequency = _everyday_words(lang).get(word, 0.0)
    return min(1.0, max(LEAST_SHARE, (TOP_ZIPF - frequency) / (TOP_ZIPF - EVERYDAY[lang])))
