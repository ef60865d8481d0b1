"""Character n-gram profiles of entries: how alike a message and an entry's questions look,
word endings and typos aside.

Every word, padded with a space on each side, gives its three-letter pieces (" өм", "өмі",
"мір", …). An entry's profile in a language counts the pieces of all its questions in that
language together, weighted as tf-idf (sublinear counts; pieces found in every profile weigh
least) and scaled to unit length; a message is compared with it by cosine similarity.
Kazakh endings (өміріне, өмірге), typos and cut words share most of their pieces with the
words the base uses, where whole-word matching sees different words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

SIZE = 3
_MAX_COUNT = 256  # sublinear weights of counts up to this are kept in a table


def pieces(text: str) -> Counter[str]:
    """The three-letter pieces of each word of a folded text (a shorter word whole), counted."""
    found: Counter[str] = Counter()
    for word in text.split():
        found.update(_word_pieces(word))
    return found


@lru_cache(maxsize=16384)
def _word_pieces(word: str) -> tuple[str, ...]:
    padded = f" {word} "
    return tuple(padded[start : start + SIZE] for start in range(max(len(padded) - SIZE + 1, 1)))


class EntryProfiles:
    """The n-gram profiles of each entry, one per language, built from the folded texts of
    its questions in that language. An entry is as alike to a message as its most alike
    language: a profile mixing three languages would dilute every one of them.

    A profile keeps each piece's count (small integers, shared by Python) rather than its
    weight, so a base a hundred times larger stays affordable in memory."""

    def __init__(self, entries: Sequence[Sequence[Iterable[str]]]) -> None:
        canonical: dict[str, str] = {}  # one string object per piece, shared by the profiles
        self._profiles: list[dict[str, int]] = []
        self._of_entry: list[range] = []
        for languages in entries:
            start = len(self._profiles)
            self._profiles += [
                {
                    canonical.setdefault(piece, piece): min(n, _MAX_COUNT - 1)
                    for piece, n in pieces(" ".join(texts)).items()
                }
                for texts in languages
                if texts
            ]
            self._of_entry.append(range(start, len(self._profiles)))
        documents = Counter(piece for profile in self._profiles for piece in profile)
        total = len(self._profiles)
        self._idf = {piece: math.log((1 + total) / (1 + n)) + 1 for piece, n in documents.items()}
        self._tf = [0.0, *(1 + math.log(n) for n in range(1, _MAX_COUNT))]
        self._scale = [1 / (self._norm(profile) or 1.0) for profile in self._profiles]

    def similarity(self, text: str, entries: Iterable[int]) -> dict[int, float]:
        """Cosine similarity (0 to 1) of a folded text with each of ``entries``."""
        query = {
            piece: (1 + math.log(n)) * self._idf[piece]
            for piece, n in pieces(text).items()
            if piece in self._idf
        }
        norm = math.sqrt(sum(w * w for w in query.values())) or 1.0
        # a piece's query weight times its idf: the entry side adds its count's weight
        weighted = [(piece, w * self._idf[piece] / norm) for piece, w in query.items()]
        return {
            entry: max(
                (self._cosine(weighted, number) for number in self._of_entry[entry]), default=0.0
            )
            for entry in entries
        }

    def _cosine(self, weighted: list[tuple[str, float]], number: int) -> float:
        profile, tf = self._profiles[number], self._tf
        return self._scale[number] * sum(
            w * tf[profile[piece]] for piece, w in weighted if piece in profile
        )

    def _norm(self, profile: dict[str, int]) -> float:
        return math.sqrt(sum((self._tf[n] * self._idf[piece]) ** 2 for piece, n in profile.items()))
