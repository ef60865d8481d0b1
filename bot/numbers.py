"""Numbers read from text that others control: a button's callback data (any client can send
any), a draft's file name."""

from __future__ import annotations

MAX_ID_DIGITS = 18  # an id this long fits SQLite's integer (below 2**63)


def ascii_number(text: str, max_digits: int = MAX_ID_DIGITS) -> int | None:
    """The number ``text`` spells in 1 to ``max_digits`` ASCII digits, else None ("²" passes
    str.isdigit() but not int(); int() takes "٣", " 1" and "+1"; 5,000 digits are no id).

    >>> ascii_number("12"), ascii_number("²"), ascii_number("٣"), ascii_number("9" * 19)
    (12, None, None, None)
    """
    if not (text.isascii() and text.isdecimal()) or len(text) > max_digits:
        return None
    return int(text)
