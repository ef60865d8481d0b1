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

import numpy as np

from bot.matching.caching import WithCaches
from bot.matching.fits import spans
from bot.matching.reading import WORDS_CACHED

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


class EntryProfiles(WithCaches):
    """The n-gram profiles of each entry, one per language, built from the folded texts of
    its questions in that language. An entry is as alike to a message as its most alike
    language: a profile mixing three languages would dilute every one of them.

    The profiles are kept piece by piece (an inverted index in flat arrays: for each piece,
    the profiles that have it and its count there, a small integer), so a message is compared
    with every profile in a few array operations, and a base a hundred times larger stays
    affordable in memory."""

    CACHES = frozenset({"_pieces_of"})

    def __init__(self, entries: Sequence[Sequence[Iterable[str]]]) -> None:
        profiles: list[Counter[str]] = []
        self._of_entry: list[range] = []
        for languages in entries:
            start = len(profiles)
            profiles += [pieces(" ".join(texts)) for texts in languages if texts]
            self._of_entry.append(range(start, len(profiles)))
        documents = Counter(piece for profile in profiles for piece in profile)
        total = len(profiles)
        self._number = {piece: number for number, piece in enumerate(documents)}
        idf = [math.log((1 + total) / (1 + n)) + 1 for n in documents.values()]
        tf = [0.0, *(1 + math.log(n) for n in range(1, _MAX_COUNT))]
        self._scale = np.array(
            [1 / (_norm(profile, tf, idf, self._number) or 1.0) for profile in profiles],
            dtype=np.float64,
        )
        # piece by piece: the profiles with it (in order) and its count in each, capped
        found: list[list[tuple[int, int]]] = [[] for _ in documents]
        for number, profile in enumerate(profiles):
            for piece, n in profile.items():
                found[self._number[piece]].append((number, min(n, _MAX_COUNT - 1)))
        self._start = np.cumsum([0, *map(len, found)], dtype=np.int64)
        self._profile = np.array([at for one in found for at, _ in one], dtype=np.int32)
        self._count = np.array([n for one in found for _, n in one], dtype=np.uint8)
        self._weights = np.array(tf, dtype=np.float64)  # a count's weight: 1 + log(count)
        self._idf_of = np.array(idf, dtype=np.float64)
        self._caches()

    def _caches(self) -> None:
        self._pieces_of = lru_cache(maxsize=WORDS_CACHED)(self._numbers_of)

    def _numbers_of(self, word: str) -> np.ndarray:
        """The numbers of a word's pieces, in order; -1 for a piece no profile has."""
        return np.array([self._number.get(p, -1) for p in _word_pieces(word)], dtype=np.int64)

    def similarity(self, text: str, entries: Iterable[int]) -> dict[int, float]:
        """Cosine similarity (0 to 1) of a folded text with each of ``entries``."""
        found = [self._pieces_of(word) for word in text.split()]
        every = np.concatenate(found) if found else np.zeros(0, dtype=np.int64)
        # the pieces the profiles know, each with its count, in the order first met
        numbers, first, counts = np.unique(every[every >= 0], return_index=True, return_counts=True)
        order = np.argsort(first)
        numbers, counts = numbers[order], counts[order]
        tf = self._weights[np.minimum(counts, _MAX_COUNT - 1)]
        for many in np.flatnonzero(counts >= _MAX_COUNT).tolist():
            tf[many] = 1 + math.log(int(counts[many]))
        idf = self._idf_of[numbers]
        query = tf * idf
        norm = math.sqrt(float(np.cumsum(query * query)[-1])) if len(query) else 0.0
        norm = norm or 1.0
        cosines = [0.0] * len(self._scale)
        if len(numbers):
            # a piece's query weight times its idf: the profile's side adds its count's weight
            weighted = query * idf / norm
            starts, ends = self._start[numbers], self._start[numbers + 1]
            lengths = ends - starts
            at = spans(starts, lengths)
            # summed piece by piece in the message's order, as a loop over its pieces would
            sums = np.bincount(
                self._profile[at],
                weights=np.repeat(weighted, lengths) * self._weights[self._count[at]],
                minlength=len(self._scale),
            )
            cosines = (self._scale * sums).tolist()
        return {
            entry: max((cosines[number] for number in self._of_entry[entry]), default=0.0)
            for entry in entries
        }


def _norm(
    profile: Counter[str], tf: list[float], idf: list[float], number: dict[str, int]
) -> float:
    """The length of a profile's tf-idf vector (counts capped as the profiles keep them)."""
    return math.sqrt(
        sum((tf[min(n, _MAX_COUNT - 1)] * idf[number[piece]]) ** 2 for piece, n in profile.items())
    )
