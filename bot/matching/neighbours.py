"""The nearest ways of asking: how like a message is to the base's questions and the tuning
lines (:mod:`bot.matching.usage`) that asked for its candidate entry, and to those that asked for
anything else.

Naive Bayes weighs each word on its own; a line that says nearly what an earlier line said
("my cousin hit a policeman at a wedding") is evidence of its own. Likeness is the Jaccard
index of the two sets of folded words. Only the lines that share a content word with the
message are looked at (function words are in nearly every line), those sharing most first. The
base's questions are among them, so that an entry no one has asked for yet has neighbours too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

import numpy as np

from bot.matching.config import DEFAULT
from bot.matching.function_words import ALL_STOPWORDS
from bot.matching.usage import NONE, Usage


class Neighbours:
    """The base's questions and the documents of ``usage`` (each a set of folded words),
    searchable by word."""

    def __init__(
        self,
        questions: Iterable[tuple[str, Iterable[str]]],
        usage: Usage,
        resolve: Callable[[str], str | None],
        nearest: int = DEFAULT.nearest_lines,
    ) -> None:
        """Index ``questions`` ((entry id, folded words) of the base's questions) and
        ``usage``; an entry id ``resolve`` does not know is left out, a line that asked for two
        entries is one document of both. ``nearest``: the lines looked at for a message."""
        self._nearest = nearest
        labels: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for entry_id, folded in questions:
            labels[tuple(sorted(set(folded)))].add(entry_id)
        for entry_id, documents in usage.items():
            label = NONE if entry_id == NONE else resolve(entry_id)
            if label is not None:
                for document in documents:
                    labels[document].add(label)
        # one object for each set alike: the index is kept pickled (bot.matching.built)
        sets: dict[frozenset[str], frozenset[str]] = {}
        self._labels = [_one(frozenset(found), sets) for found in labels.values()]
        self._sizes = [len(document) for document in labels]
        self._function_words = [_one(ALL_STOPWORDS.intersection(d), sets) for d in labels]
        postings: dict[str, list[int]] = defaultdict(list)
        for number, document in enumerate(labels):
            for word in document:
                if word not in ALL_STOPWORDS:
                    postings[word].append(number)
        self._postings = {word: np.array(found, dtype=np.int32) for word, found in postings.items()}

    def nearest(self, words: Iterable[str], entry_id: str) -> tuple[float, float]:
        """The likeness of ``words`` to the nearest line that asked for ``entry_id``, and
        its lead over the nearest line that asked for anything else (negative when behind)."""
        query = set(words)
        function_words = ALL_STOPWORDS.intersection(query)
        found = [
            self._postings[word]
            for word in sorted(query - function_words)  # ties in a fixed order: any hash seed
            if word in self._postings
        ]
        if not found:
            return 0.0, 0.0
        # the lines by content words shared, most first; of those alike, the first found first
        lines, first, shared = np.unique(
            np.concatenate(found), return_index=True, return_counts=True
        )
        nearest = np.lexsort((first, -shared))[: self._nearest]
        own = other = 0.0
        # a line sharing ``count`` words is at most (count + function words) / len(query)
        # alike, so once that cannot beat either likeness found, no later line can; past the
        # first ``nearest``, none is looked at
        for number, count in zip(lines[nearest].tolist(), shared[nearest].tolist(), strict=True):
            if (count + len(function_words)) / len(query) <= min(own, other):
                break
            count += len(function_words & self._function_words[number])
            likeness = count / (len(query) + self._sizes[number] - count)
            if entry_id in self._labels[number]:
                own = max(own, likeness)
            else:
                other = max(other, likeness)
        return own, own - other


def _one(found: frozenset[str], sets: dict[frozenset[str], frozenset[str]]) -> frozenset[str]:
    """The set of ``sets`` equal to ``found``, ``found`` itself the first time."""
    return sets.setdefault(found, found)
