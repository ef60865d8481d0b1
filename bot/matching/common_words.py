"""Words of everyday English that are not typos: "sent" is not a misspelt "set", nor
"heard" a misspelt "head". Frequencies come from wordfreq's English word list.

Only English is checked: Russian and Kazakh inflect so much that a close known word is
usually another form of the same word (наказывают, наказание), which matching wants.
"""

from __future__ import annotations

import functools

from wordfreq import zipf_frequency

COMMON_ZIPF = 3.0  # at least once per million words of running English text


@functools.lru_cache(maxsize=65536)
def is_common_english(word: str) -> bool:
    """Whether a folded Latin-script ``word`` is a frequent English word as it stands."""
    return word.isascii() and word.isalpha() and zipf_frequency(word, "en") >= COMMON_ZIPF
