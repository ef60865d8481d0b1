"""Text normalisation shared by the index and the queries.

Two levels: :func:`prepare` (Unicode NFKC, case folding, ё→е, one apostrophe) keeps the
letters as typed, so scripts and keyboard layouts can still be recognised; :func:`fold`
then maps the Kazakh letters to their Russian look-alikes and drops punctuation, giving
the form every comparison is made in.
"""

from __future__ import annotations

import re
import unicodedata

APOSTROPHES = "’‘ʼʻ`´′"
_APOSTROPHE_TABLE = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))
# Kazakh letters to the Russian letters people type instead; й/і/э/щ/ь/ъ merged as people
# (and transliteration) confuse them.
KAZAKH_FOLD = str.maketrans(
    {
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "й": "и",
        "ё": "е",
        "э": "е",
        "щ": "ш",
        "ь": None,
        "ъ": None,
    }
)
_NON_WORD = re.compile(r"[^\w]+|(?<!\d)_+|_+(?!\d)")
# An article number such as 412-1 or 380-1 stays one word (412_1): its parts alone mean little.
_ARTICLE_NUMBER = re.compile(r"(?<=\d)\s?[-‐‑–]\s?(?=\d{1,2}\b)")
# A Kazakh case ending written after a hyphen, as the language writes it after an
# abbreviation or a number ("ҚК-нің", "ҚР-да", "412-1-ге", "2020-дан"): it says nothing a
# matcher can use, and alone it would be an unknown word. Folded spellings.
_HYPHEN_ENDING = re.compile(
    r"(?<=\w)[-‐‑–](?:н[ыи]н|[дт][ыи]н|[гк][ае]|[ндт][ыи]|н?[дт][ае]|[ндт][ае]н|[мбп]ен"
    r"|н?[дт][ае]г[ыи]|н?ш[ыи])\b"
)
_SPACES = re.compile(r"\s+")
# A web address: its words ("https", "rus", "docs") are in no language the user writes in.
LINK = re.compile(r"(?i)(?:https?://|www\.)\S+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def prepare(text: str) -> str:
    """NFKC, case-folded, ё→е, apostrophes unified, whitespace collapsed; letters kept.
    The number sign goes first: NFKC would glue "№365" into the word "no365"."""
    text = unicodedata.normalize("NFKC", text.replace("№", " ")).casefold()
    text = text.replace("ё", "е").translate(_APOSTROPHE_TABLE)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """The comparison form: prepared text with Kazakh letters folded and no punctuation."""
    text = _ARTICLE_NUMBER.sub("_", prepare(text).translate(KAZAKH_FOLD))
    text = _HYPHEN_ENDING.sub("", text)
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def words(text: str) -> list[str]:
    """The folded words of ``text``."""
    return fold(text).split()


def phrase(text: str) -> str:
    """The folded words of ``text`` as one string: the key a typed phrase is looked up by."""
    return " ".join(words(text))


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, split after ".", "!" or "?"."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]
