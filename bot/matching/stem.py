"""Stemming of folded words: Snowball (PyStemmer) for Russian and English, a short suffix
stripper for Kazakh (no Kazakh stemmer works offline)."""

from __future__ import annotations

import re
from functools import lru_cache

import Stemmer

from bot.kb.model import Lang

_SNOWBALL = {"ru": Stemmer.Stemmer("russian"), "en": Stemmer.Stemmer("english")}
# Kazakh inflections in folded spelling (ғ→г, қ→к, і→и, …), stripped from the end of a word
# while enough stem remains: case, plural, possessive and common verb endings. Derivational
# suffixes (-лық, -шы) stay: they make new words (сый → сыйлық).
KAZAKH_SUFFIXES = tuple(
    sorted(
        {
            "лар",
            "лер",
            "дар",
            "дер",
            "тар",
            "тер",
            "лары",
            "лери",
            "дары",
            "дери",
            "тары",
            "тери",
            "ымыз",
            "имиз",
            "мыз",
            "миз",
            "ыныз",
            "иниз",
            "ныз",
            "низ",
            "сы",
            "си",
            "ым",
            "им",
            "ын",
            "ин",
            "га",
            "ге",
            "ка",
            "ке",
            "на",
            "не",
            "ны",
            "ни",
            "ды",
            "ди",
            "ты",
            "ти",
            "нын",
            "нин",
            "дын",
            "дин",
            "тын",
            "тин",
            "да",
            "де",
            "та",
            "те",
            "нда",
            "нде",
            "дан",
            "ден",
            "тан",
            "тен",
            "нан",
            "нен",
            "мен",
            "бен",
            "пен",
            "дагы",
            "деги",
            "тагы",
            "теги",
            "гы",
            "ги",
            "кы",
            "ки",
            "уга",
            "уге",
            "ган",
            "ген",
            "кан",
            "кен",
            "атын",
            "етин",
            "итин",
            "ады",
            "еди",
            "иды",
            "майды",
            "мейди",
            "бейди",
            "байды",
            "пайды",
            "пейди",
            "мын",
            "мин",
            "сыз",
            "сиз",
            "са",
            "се",
            "у",
            "ыма",
            "име",
        },
        key=len,
    )
)  # shortest first: "органда" loses "да", not "нда"
# Folding turned й into и; Snowball needs it back (госслужащии → госслужащий → госслужа): an и
# after a vowel and before a consonant or the end of a word was a й.
_FOLDED_YI = re.compile(r"(?<=[аеиоуыэюя])и(?=[^аеиоуыэюя]|$)")
# the genitive is looked for first, whole: shortest first, "ын" left its н, д or т behind
# (ұлымның → "улымн", мектептің → "мектепт"), and the concept "ұл" was not found in "ұлымның"
_GENITIVE = frozenset(("нын", "нин", "дын", "дин", "тын", "тин"))
# then the suffixes by length, shortest first: a word ends with at most one suffix of each
# length, so looking its last letters up finds the suffix the list's order would (one look-up
# a length)
_KAZAKH_BY_LENGTH = (
    (3, _GENITIVE),
    *(
        (length, frozenset(suffix for suffix in KAZAKH_SUFFIXES if len(suffix) == length))
        for length in sorted({len(suffix) for suffix in KAZAKH_SUFFIXES})
    ),
)
MIN_KAZAKH_STEM = 3
# stems whose last letters look like a suffix, kept whole: келін (daughter-in-law) lost "ін" and
# became кел- (to come), so "алып келді" (brought) read as a relative; бөлім (a department)
# became бол- (to be), so every "бола ма?" named a workplace; қайын- (in-law) became қай
# (which); карта became кар-, соғым сок-, шағым шак-; балта and балға (an axe, a hammer) became
# бал-, the Russian stem of бала (a child), so "қызым" (my daughter) named a weapon; әкім (an
# akim) lost "им" to Snowball as әкем (my father) lost "ем": ак-, a father at an akimat
_KAZAKH_WHOLE = (
    "аким",
    "келин",
    "болим",
    "каиын",
    "каин",
    "согым",
    "шагым",
    "балта",
    "балга",
    "карта",
)
# those that are no Russian words either: Snowball cut бөлім to бол- as well
_KAZAKH_ONLY = _KAZAKH_WHOLE[:-1]
MAX_KAZAKH_ROUNDS = 3
# the first person's -м after a stem's last а or е: "my" (жездем, бажам, ақшам: my
# brother-in-law, my money) and "if I" (қайтарсам, сыйласам: if I return, if I give); four
# letters at least stay (адам, a person, is a word)
_AFTER_VOWEL_M = re.compile(r"^.{3,}[ае]м$")
_VOWELS = set("аеиоуыяю")
_DEVOICED = {"г": "к", "б": "п"}


def stem_kazakh(word: str) -> str:
    """Strip up to three Kazakh inflections from a folded word.

    >>> stem_kazakh("сыилыктарды")
    'сыилык'
    >>> stem_kazakh("бажам"), stem_kazakh("сыиласам")
    ('бажа', 'сыила')
    """
    whole = next((stem for stem in _KAZAKH_WHOLE if word.startswith(stem)), None)
    if whole is not None:
        return whole
    if _AFTER_VOWEL_M.search(word):  # "my" or "if I" after а/е: жезде-м, қайтарса-м
        word = word[:-1]
    for _ in range(MAX_KAZAKH_ROUNDS):
        for length, suffixes in _KAZAKH_BY_LENGTH:
            rest, suffix = word[:-length], word[-length:]
            if (
                suffix in suffixes
                and len(rest) >= MIN_KAZAKH_STEM + (length == 1)
                and _VOWELS.intersection(rest)
            ):
                word = _devoiced(rest) if suffix[0] in _VOWELS else rest
                break
        else:
            break
    return word


def _devoiced(stem: str) -> str:
    """A stem's last consonant as it stands at the end of a word: before a vowel, қ/к and
    п turn into ғ/г and б (бастық → бастығым, кітап → кітабы)."""
    return stem[:-1] + _DEVOICED[stem[-1]] if stem[-1] in _DEVOICED else stem


@lru_cache(maxsize=65536)
def stem(word: str, lang: Lang) -> str:
    """The stem of one folded word in ``lang`` (digits and short words are kept whole)."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if lang == "kk" or (lang == "ru" and word.startswith(_KAZAKH_ONLY)):
        return stem_kazakh(word)
    if lang == "ru":
        word = _FOLDED_YI.sub("й", word)
    return str(_SNOWBALL[lang].stemWord(word))


def script_langs(word: str) -> tuple[Lang, ...]:
    """The languages a folded word may be stemmed in, by its script."""
    return ("en",) if word.isascii() else ("ru", "kk")


def word_stems(word: str) -> tuple[str, ...]:
    """A folded word's stems in each language its script may be (sorted, no repeats)."""
    return tuple(sorted({stem(word, lang) for lang in script_langs(word)}))
