"""Keyboard layouts: text typed with the wrong layout switched to the intended one.

The Russian ЙЦУКЕН layout and the Kazakh layout (the Russian one with the Kazakh letters on
the digit row: 2 ә, 3 і, 4 ң, 5 ғ, 8 ү, 9 ұ, 0 қ, - ө, = һ) against the US QWERTY layout.
"""

from __future__ import annotations

US_KEYS = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
RU_KEYS = "йцукенгшщзхъфывапролджэячсмитьбюё"
US_SHIFTED = '{}:"<>~'
RU_SHIFTED = "хъжэбюё"
KZ_DIGIT_KEYS = "234589" + "0-="
KZ_DIGIT_LETTERS = "әіңғүұ" + "қөһ"

_TO_CYRILLIC = str.maketrans(
    US_KEYS + US_SHIFTED + KZ_DIGIT_KEYS, RU_KEYS + RU_SHIFTED + KZ_DIGIT_LETTERS
)
_TO_LATIN = str.maketrans(RU_KEYS + KZ_DIGIT_LETTERS, US_KEYS + KZ_DIGIT_KEYS)


def to_cyrillic_layout(text: str) -> str:
    """What case-folded ``text`` typed on a US layout reads as on the Russian/Kazakh one.

    >>> to_cyrillic_layout("gjlfhjr")
    'подарок'
    >>> to_cyrillic_layout("csqks0")
    'сыйлық'
    """
    return text.translate(_TO_CYRILLIC)


def to_latin_layout(text: str) -> str:
    """What case-folded ``text`` typed on a Russian/Kazakh layout reads as on a US one.

    >>> to_latin_layout("пшае")
    'gift'
    """
    return text.translate(_TO_LATIN)
