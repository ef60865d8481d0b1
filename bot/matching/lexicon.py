"""What the base's questions say about languages: how often each word (or its stem) is used
in Kazakh, Russian and English questions (:class:`Lexicon`)."""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

from bot.kb.model import Lang
from bot.matching.caching import WithCaches
from bot.matching.common_words import is_everyday_russian
from bot.matching.function_words import LANGUAGE_WORDS
from bot.matching.normalize import words
from bot.matching.reading import WORDS_CACHED
from bot.matching.stem import stem

CYRILLIC_WORD = re.compile(r"^[а-я]+$")
MIN_STEMMED_LENGTH = 5  # shorter words are looked up as they are, not by their stem
RARELY_SEEN = 3  # a word seen fewer times than this counts its stem's occurrences too
QUOTED = 1  # a common Russian word Kazakh questions use at most this often is quoted there


def _stem_langs(word: str) -> tuple[Lang, ...]:
    return ("kk", "ru") if CYRILLIC_WORD.match(word) else ("en",)


class Lexicon(WithCaches):
    """Folded words, and their stems, with how often they occur in each language."""

    CACHES = frozenset({"_shares"})

    def __init__(self, texts: Iterable[tuple[Lang | None, str]] = ()) -> None:
        self._counts: dict[str, Counter[Lang]] = defaultdict(Counter)
        self._stems: dict[str, Counter[Lang]] = defaultdict(Counter)
        self._caches()
        for lang, found in LANGUAGE_WORDS.items():
            self.add(lang, " ".join(found))
        for text_lang, text in texts:
            self.add(text_lang, text)

    def _caches(self) -> None:
        # a word's shares are asked for each word of each message (kept until a text is added)
        self._shares = functools.lru_cache(maxsize=WORDS_CACHED)(self._count_shares)

    def add(self, lang: Lang | None, text: str) -> None:
        """Learn the words of ``text`` (``lang`` None: known words of no particular language)."""
        for word in words(text):
            counts = self._counts[word]
            for stem_lang in [lang] if lang else _stem_langs(word):
                stems = self._stems[stem(word, stem_lang)]
                if lang:
                    stems[lang] += 1
            if lang:
                counts[lang] += 1
        self._shares.cache_clear()

    def shares(self, word: str) -> Mapping[Lang, float]:
        """The languages of a folded word, each with its share (they sum to 1) of the
        word's occurrences, plus its stem's when the word is never seen, or is long and
        rarely seen ("взятка", twice in Kazakh questions, is a form of the Russian взятку,
        взятки); empty for a word never seen. Shared between calls: never changed."""
        return self._shares(word)

    def _count_shares(self, word: str) -> dict[Lang, float]:
        found = self._counts.get(word, Counter())
        total = sum(found.values())
        if total < RARELY_SEEN and (len(word) >= MIN_STEMMED_LENGTH or not total):
            found = found.copy()  # the lexicon's own counts stay as they are
            for lang in _stem_langs(word):
                found[lang] += self._stems.get(stem(word, lang), Counter()).get(lang, 0)
            total = sum(found.values())
        return {lang: count / total for lang, count in found.items() if count} if total else {}

    def quoted_in_kazakh(self, word: str) -> bool:
        """A common Russian word that Kazakh questions use at most QUOTED times, as a quote
        ("орысша жазсам понимаешь ба?"), and that is no Kazakh function word."""
        return (
            self._counts.get(word, Counter())["kk"] <= QUOTED
            and word not in LANGUAGE_WORDS["kk"]
            and is_everyday_russian(word)
        )

    def langs(self, word: str) -> set[Lang]:
        """The languages a folded word occurs in (see :meth:`shares`)."""
        return set(self.shares(word))

    def __contains__(self, word: object) -> bool:
        """A known word, or a longer word with a known stem (short ones meet stems by chance)."""
        if not isinstance(word, str):
            return False
        return word in self._counts or (
            len(word) >= MIN_STEMMED_LENGTH
            and any(stem(word, lang) in self._stems for lang in _stem_langs(word))
        )
