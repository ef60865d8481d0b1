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
DOTLESS_I = "ı"  # і, и or й in the Kazakh Latin alphabets; ы on a Turkish keyboard


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


@functools.lru_cache(maxsize=WORDS_CACHED)
def _turkish_reading(chunk: str) -> tuple[str, ...]:
    """The folded words a piece reads as from Latin letters with ``ı`` for ы."""
    return tuple(fold(latin_to_cyrillic(chunk, dotless="ы")).split())


def _dotless_as_y(
    piece: str, readings: dict[Form, tuple[str, ...]], known: Callable[[str], bool]
) -> dict[Form, tuple[str, ...]]:
    """The readings of a piece with a dotless ``ı``: its Latin reading takes ``ı`` for ы, as
    typed on a Turkish keyboard ("qızmetshi"), where that reading is wholly known and the
    alphabets' (ı for і, и or й: "syılyq") is not."""
    turkish = _turkish_reading(piece)
    if not turkish or not all(map(known, turkish)) or all(map(known, readings.get("latin", ()))):
        return readings
    return {**readings, "latin": turkish}


class Reader:
    """Reads messages (see :meth:`read`) against one vocabulary, remembering how each piece
    of a message reads: most pieces recur."""

    def __init__(self, known: Callable[[str], bool]) -> None:
        """``known``: whether a folded word is a word of the vocabulary."""
        self._known = known
        self._piece = functools.lru_cache(maxsize=WORDS_CACHED)(self._read_piece)

    def read(self, text: str, cyrillic: bool | None = None) -> list[Chunk]:
        """Split ``text`` into chunks and choose for each the reading with the largest share
        of known words (another reading than the typed one must be wholly known). An everyday
        English word as typed is a known word ("saw" is no Kazakh сау, "party" no Russian
        парты).

        A chunk that no reading decides (a tie, such as no known word at all, or "me" known
        both as English and as Kazakh ме) takes the form most decided chunks of the message
        were read in, else the text as typed; so a typo in translit is still read as
        translit. In a conversation (``cyrillic``: whether its language is written in
        Cyrillic), it is read in the script most decided chunks were read in, else in the
        conversation's: "a primery?" after a Russian answer is а примеры, not English with a
        typo of "primary". (A message alone is read as the labelled sets are, and the trained
        models know them.)
        """
        chunks: list[Chunk] = []
        unresolved: list[int] = []
        for piece in prepare(text).split(" "):
            chunk, decided = self._piece(piece)
            if chunk is None:
                continue
            if not decided:
                unresolved.append(len(chunks))
            chunks.append(chunk)
        if not unresolved:
            return chunks
        decided_ones = [c for i, c in enumerate(chunks) if i not in unresolved]
        tried, script = _fallbacks(decided_ones, cyrillic)
        for i in unresolved:
            chunk = chunks[i]
            fits = (
                form
                for form in tried
                if form in chunk.readings
                and (script is None or _in_cyrillic(chunk.readings[form]) == script)
            )
            chunks[i] = Chunk(chunk.typed, chunk.readings, next(fits, chunk.form))
        return chunks

    def _read_piece(self, piece: str) -> tuple[Chunk | None, bool]:
        """A piece's chunk, in its best reading (None: nothing of it survives folding, and no
        other reading is a word), and whether that reading is decided (no tie)."""
        known = self._known
        readings = _readings(piece)
        if DOTLESS_I in piece:
            readings = _dotless_as_y(piece, readings, known)
        if not readings:
            return None, True
        share = {
            form: sum(known(w) or (form == "typed" and reads_as_english(w)) for w in found)
            / len(found)
            for form, found in readings.items()
            if form == "typed" or all(map(known, found))
        }
        if not share:
            return None, True
        best = max(share, key=share.__getitem__)
        decided = bool(share[best]) and list(share.values()).count(share[best]) == 1
        return Chunk(piece, readings, best), decided


def read(text: str, known: Callable[[str], bool], cyrillic: bool | None = None) -> list[Chunk]:
    """``text`` read against the words ``known`` (see :meth:`Reader.read`)."""
    return Reader(known).read(text, cyrillic)


def _fallbacks(decided: list[Chunk], cyrillic: bool | None) -> tuple[list[Form], bool | None]:
    """The forms a chunk no reading decides may take, in order, and the script its reading
    must be in (None: any), given the message's decided chunks (see :func:`read`)."""
    if cyrillic is None:  # alone: the form most decided chunks took, as the labelled sets
        return [form for form, _ in Counter(c.form for c in decided).most_common(1)], None
    scripts = Counter(_in_cyrillic(c.words) for c in decided)
    scripts.pop(None, None)  # numbers tell no script
    if scripts:
        cyrillic = scripts.most_common(1)[0][0]
    # the forms the decided chunks of that script took, most used first; else as typed or as
    # translit (a wrong layout only where the message was typed so)
    forms = Counter(c.form for c in decided if _in_cyrillic(c.words) == cyrillic)
    return [*(form for form, _ in forms.most_common()), "typed", "latin"], cyrillic


def _in_cyrillic(words: tuple[str, ...]) -> bool | None:
    """Whether folded words are Cyrillic (True), Latin (False), or neither (numbers: None)."""
    text = "".join(words)
    if _CYRILLIC.intersection(text):
        return True
    return False if has_latin(text) else None
