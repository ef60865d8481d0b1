"""Language of a message (kk, ru or en), including Latin-script Kazakh and Russian translit.

Evidence, word by word: how often a :class:`Lexicon` has seen the word (or else its stem)
in each language, letters only Kazakh has, and Kazakh or Russian word endings. A tie goes
to the default language. The matcher's lexicon adds the
words of the knowledge base's questions to the built-in function words.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from bot.kb.model import DEFAULT_LANG, LANGS, Lang
from bot.matching.lexicon import LANGUAGE_WORDS
from bot.matching.normalize import words
from bot.matching.reading import Chunk, read
from bot.matching.scripts import has_latin
from bot.matching.stem import stem

KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]|[äöüğışñū]|q(?!u)")
KAZAKH_ENDINGS = re.compile(
    r"(лар|лер|дар|дер|тар|тер|га|ге|нын|нин|дын|дин|тын|тин|"
    r"ды|ди|ты|ти|ма|ме|ба|бе|уга|уге|мыз|миз|сыз|сиз)$"
)
RUSSIAN_ENDINGS = re.compile(
    r"(ого|его|ому|ему|ыи|ии|ая|яя|ое|ее|ые|ие|ых|их|ция|ции|"
    r"ется|ются|ится|ятся|ать|ять|ить|ешь|ет|ют|ут|ся|ость)$"
)
LETTER_WEIGHT = 2.0
MIN_STEMMED_LENGTH = 5
ENDING_WEIGHT = 0.4
_CYRILLIC_WORD = re.compile(r"^[а-я]+$")


def _stem_langs(word: str) -> tuple[Lang, ...]:
    return ("kk", "ru") if _CYRILLIC_WORD.match(word) else ("en",)


class Lexicon:
    """Folded words, and their stems, with how often they occur in each language."""

    def __init__(self, texts: Iterable[tuple[Lang | None, str]] = ()) -> None:
        self._counts: dict[str, Counter[Lang]] = defaultdict(Counter)
        self._stems: dict[str, Counter[Lang]] = defaultdict(Counter)
        for lang, found in LANGUAGE_WORDS.items():
            self.add(lang, " ".join(found))
        for text_lang, text in texts:
            self.add(text_lang, text)

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

    def shares(self, word: str) -> dict[Lang, float]:
        """The languages of a folded word, each with its share (they sum to 1) of the
        word's occurrences, or else of its stem's; empty for a word never seen."""
        found = self._counts.get(word) or {
            lang: self._stems.get(stem(word, lang), Counter()).get(lang, 0)
            for lang in _stem_langs(word)
        }
        total = sum(found.values())
        return {lang: count / total for lang, count in found.items() if count} if total else {}

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


def guess_language(chunks: list[Chunk], lexicon: Lexicon) -> Lang:
    """The most likely language of a message already :func:`read`."""
    score = dict.fromkeys(LANGS, 0.0)
    latin_typed = cyrillic = 0
    for chunk in chunks:
        if KAZAKH_LETTERS.search(chunk.typed):
            score["kk"] += LETTER_WEIGHT
        for word in chunk.words:
            if len(word) < 2 or not word.isalpha():
                continue  # numbers and single letters tell nothing
            langs = lexicon.shares(word)
            for lang, share in langs.items():
                score[lang] += share
            if _CYRILLIC_WORD.match(word):
                cyrillic += 1
                if not langs and len(word) > 3:
                    score["kk"] += ENDING_WEIGHT * bool(KAZAKH_ENDINGS.search(word))
                    score["ru"] += ENDING_WEIGHT * bool(RUSSIAN_ENDINGS.search(word))
            elif chunk.form == "typed" and has_latin(word):
                latin_typed += 1
    best = max(score.values())
    if best > 0:
        tied = [lang for lang in LANGS if score[lang] == best]
        return DEFAULT_LANG if DEFAULT_LANG in tied else tied[0]
    return "en" if latin_typed > cyrillic else DEFAULT_LANG


_BUILTIN = Lexicon()


def detect_language(text: str) -> Lang:
    """The language of ``text`` ("kk", "ru" or "en"); "ru" when nothing tells.

    >>> detect_language("Мемлекеттік қызметші сыйлық ала ала ма?")
    'kk'
    >>> detect_language("mozhno li vzyat podarok")
    'ru'
    >>> detect_language("Can I accept a gift?")
    'en'
    """
    return guess_language(read(text, _BUILTIN.__contains__), _BUILTIN)
