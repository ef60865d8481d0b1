"""Reading a message the way it was meant: each word as typed, from Latin letters
(Kazakh Latin or Russian translit) or from the wrong keyboard layout, whichever is a known
word. Words that are known in no reading follow the reading of the rest of the message."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.matching.common_words import reads_as_english
from bot.matching.layout import to_cyrillic_layout, to_latin_layout
from bot.matching.normalize import fold, prepare
from bot.matching.scripts import has_latin, latin_to_cyrillic

Form = Literal["typed", "latin", "layout"]
FORMS: tuple[Form, ...] = ("typed", "latin", "layout")
_CYRILLIC = frozenset(map(chr, range(0x400, 0x530)))
WORDS_CACHED = 16384  # words whose readings (and everyday share) are kept: most words recur


@dataclass(frozen=True)
class Chunk:
    """One space-separated piece of a message: what was typed and the words it reads as."""

    typed: str
    readings: dict[Form, tuple[str, ...]]
    form: Form

    @property
    def words(self) -> tuple[str, ...]:
        """The folded words of the chosen reading."""
        return self.readings[self.form]


@functools.lru_cache(maxsize=WORDS_CACHED)
def _readings(chunk: str) -> dict[Form, tuple[str, ...]]:
    """The folded words a piece reads as, by form (shared between calls: never changed)."""
    readings: dict[Form, tuple[str, ...]] = {"typed": tuple(fold(chunk).split())}
    if has_latin(chunk):
        readings["latin"] = tuple(fold(latin_to_cyrillic(chunk)).split())
        readings["layout"] = tuple(fold(to_cyrillic_layout(chunk)).split())
    elif _CYRILLIC.intersection(chunk):
        readings["layout"] = tuple(fold(to_latin_layout(chunk)).split())
    return {form: found for form, found in readings.items() if found}


def read(text: str, known: Callable[[str], bool]) -> list[Chunk]:
    """Split ``text`` into chunks and choose for each the reading with the largest share of
    known words (another reading than the typed one must be wholly known). An everyday English
    word as typed is a known word ("saw" is no Kazakh сау, "party" no Russian парты).

    A chunk that no reading decides (a tie, such as no known word at all, or "me" known both
    as English and as Kazakh ме) takes the form most decided chunks of the message were read
    in, else the text as typed; so a typo in translit is still read as translit.
    """
    chunks: list[Chunk] = []
    unresolved: list[int] = []
    for piece in prepare(text).split(" "):
        readings = _readings(piece)
        if not readings:
            continue
        share = {
            form: sum(known(w) or (form == "typed" and reads_as_english(w)) for w in found)
            / len(found)
            for form, found in readings.items()
            if form == "typed" or all(map(known, found))
        }
        if not share:  # nothing typed survives folding ("ьь") and no other reading is a word
            continue
        best = max(share, key=share.__getitem__)
        if not share[best] or list(share.values()).count(share[best]) > 1:
            unresolved.append(len(chunks))
        chunks.append(Chunk(piece, readings, best))
    resolved = Counter(c.form for i, c in enumerate(chunks) if i not in unresolved)
    if unresolved and resolved:
        mode = resolved.most_common(1)[0][0]
        for i in unresolved:
            if mode in chunks[i].readings:
                chunks[i] = Chunk(chunks[i].typed, chunks[i].readings, mode)
    return chunks
