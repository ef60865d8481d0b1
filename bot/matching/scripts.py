"""Latin-script Kazakh (2021 alphabet, 2018 acutes, 2017 apostrophes, informal) and Russian
translit to Cyrillic, in the folded form of :mod:`bot.matching.normalize`.

One table serves both: they agree on almost every letter, and where they differ the folded
result is the same (``q`` and ``k`` both give к; ``y`` gives ы, or й after a, e or o; the 2021
``ı`` is і and ``i`` is и/й, the 2018 ``ı`` is и/й and ``i`` is і, all folded to и). Only
informal Kazakh typed on a Turkish keyboard means ы by ``ı`` ("qızmet", "sıylıq"): that
reading is asked for with ``dotless="ы"``.
"""

from __future__ import annotations

import functools
import re

from bot.matching.normalize import KAZAKH_FOLD

VOWELS = "aeiouyäöüūıéáóúý"  # "y" after i, ı or u is ы (syilyq, tyiym, bauyr); else й (kakoy)
_MULTI = {
    "shch": "щ",
    "sch": "щ",
    "tsh": "тш",
    "tsya": "тся",
    "zh": "ж",
    "kh": "х",
    "ts": "ц",
    "ch": "ч",
    "sh": "ш",
    "gh": "г",
    "ya": "я",
    "yu": "ю",
    "yo": "е",
    "ye": "е",
    "ayy": "айы",  # Kazakh: zhubayym, dayyn, oyyn (a vowel, й, then ы)
    "oyy": "ойы",
    # 2017 alphabet: an apostrophe after a letter
    "a'": "а",
    "o'": "о",
    "u'": "у",
    "i'": "и",
    "g'": "г",
    "n'": "н",
    "s'": "ш",
    "c'": "ч",
}
_SINGLE = {
    "a": "а",
    "ä": "а",
    "á": "а",  # 2018 acutes: á ә, ǵ ғ, ń ң, ó ө, ú ү, ý у
    "b": "б",
    "c": "ц",
    "ç": "ч",
    "d": "д",
    "e": "е",
    "é": "е",
    "f": "ф",
    "g": "г",
    "ğ": "г",
    "ǵ": "г",
    "h": "х",
    "i": "и",
    "ı": "і",
    "j": "ж",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "ñ": "н",
    "ń": "н",
    "ŋ": "н",
    "o": "о",
    "ö": "о",
    "ó": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "ş": "ш",
    "t": "т",
    "u": "у",
    "ū": "у",
    "ü": "у",
    "ú": "у",
    "ý": "у",
    "v": "в",
    "w": "у",
    "x": "х",
    "z": "з",
    "'": "",
    "\u0307": "",  # the dot left by case-folding a Turkish-style İ
}
_TOKEN = re.compile(
    "|".join(sorted(map(re.escape, _MULTI), key=len, reverse=True))
    + f"|[iy]y(?![a-z])|ng(?![{VOWELS}])|y|[{''.join(_SINGLE)}]"
)
LATIN_LETTER = re.compile(f"[a-z{''.join(c for c in _SINGLE if c.isalpha())}]")


def _replace(match: re.Match[str], dotless: str = "і") -> str:
    piece = match.group()
    if piece in _MULTI:
        return _MULTI[piece]
    if piece.startswith("ng"):
        return "н"
    if piece in ("iy", "yy"):  # Russian adjective endings: gossluzhashchiy, novyy
        return "ий" if piece == "iy" else "ый"
    if piece == "ı":
        return dotless
    if piece == "y":
        text, at = match.string, match.start()
        close = "iuūüúý" if dotless == "ы" else "iıuūüúý"  # y after them is ы: syilyq, bauyr
        after_vowel = at > 0 and text[at - 1] in VOWELS and text[at - 1] not in close
        before_vowel = at + 1 < len(text) and text[at + 1] in VOWELS
        return "й" if after_vowel and not before_vowel else "ы"
    return _SINGLE[piece]


def latin_to_cyrillic(text: str, dotless: str = "і") -> str:
    """Convert the Latin letters of prepared (case-folded) text to folded Cyrillic; ``dotless``
    is the letter ``ı`` stands for: і (и, й), or ы as on a Turkish keyboard, whose ``y`` after
    it is then й.

    >>> latin_to_cyrillic("syilyq")
    'сыилык'
    >>> latin_to_cyrillic("mozhno li vzyat podarok")
    'можно ли взят подарок'
    >>> latin_to_cyrillic("zhubayym")
    'жубаиым'
    >>> latin_to_cyrillic("sıylıq"), latin_to_cyrillic("sıylıq", dotless="ы")
    ('сиылик', 'сыилык')
    """
    return _TOKEN.sub(functools.partial(_replace, dotless=dotless), text).translate(KAZAKH_FOLD)


def has_latin(text: str) -> bool:
    """True when ``text`` holds at least one Latin letter."""
    return LATIN_LETTER.search(text) is not None
