"""Which entry a message's words are most typical of: a naive Bayes model trained on the
knowledge base's own questions, each question a document labelled with its entry.

Matching by shared words asks how much of a message an entry's best question explains. Two
entries of one topic often share those words ("set up", "bribe") and differ in how they are
asked: "what do I do now?" asks for help, "is that a setup?" asks what counts. Here every
word counts, function words included, by how many of an entry's questions use it, so the
way a message asks tells such siblings apart.

A word is counted once per question (a question is a set of features); unseen words are
smoothed (additive smoothing, ``SMOOTHING``) and words the base never uses are left out.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from bot.matching.spans import spans

SMOOTHING = 0.5
_MAX_COUNT = 4096  # log(count + SMOOTHING) of counts up to this is kept in a table


class EntryModel:
    """Per-entry feature counts over the questions of each entry (see module docstring).

    The counts are kept feature by feature in flat arrays (the entries that use a feature and
    how many of their questions do), small integers rather than float log-probabilities, so a
    base a hundred times larger stays affordable in memory; a message's log-likelihoods are a
    few array operations for all the entries asked about at once."""

    def __init__(self, entries: Sequence[Iterable[Iterable[str]]]) -> None:
        users: dict[str, list[tuple[int, int]]] = {}  # feature: (entry, count), entries in order
        for entry, questions in enumerate(entries):
            counts: Counter[str] = Counter()
            for features in questions:
                counts.update(set(features))
            for feature, count in counts.items():
                users.setdefault(feature, []).append((entry, min(count, _MAX_COUNT - 1)))
        self._vocabulary = {feature: number for number, feature in enumerate(users)}
        sizes = [len(found) for found in users.values()]
        self._first = np.cumsum([0, *sizes[:-1]], dtype=np.int64)
        self._sizes = np.array(sizes, dtype=np.int64)
        self._entry = np.array([e for found in users.values() for e, _ in found], dtype=np.int64)
        self._count = np.array([n for found in users.values() for _, n in found], dtype=np.int64)
        totals = np.bincount(self._entry, weights=self._count, minlength=len(entries))
        size = len(users)
        self._log_total = np.array([math.log(int(n) + SMOOTHING * size) for n in totals])
        self._log_count = np.array([math.log(n + SMOOTHING) for n in range(_MAX_COUNT)])

    def posterior(
        self, features: Iterable[str], entries: Sequence[int], temperature: float
    ) -> dict[int, float]:
        """The probability (0 to 1) that a message with ``features`` asks for each of
        ``entries`` rather than another of them, with every log-likelihood divided by
        ``temperature`` (above 1: less sure than naive Bayes, which counts every word as
        independent evidence)."""
        return normalized(self.log_likelihoods(features, entries, temperature))

    def log_likelihoods(
        self, features: Iterable[str], entries: Sequence[int], temperature: float
    ) -> dict[int, float]:
        """The log-likelihood of a message with ``features`` for each of ``entries`` (distinct),
        divided by ``temperature`` (see :meth:`posterior`): each entry's log-probabilities of
        the known features added one after another, in the features' order."""
        known = np.array(
            [n for f in features if (n := self._vocabulary.get(f)) is not None], dtype=np.int64
        )
        asked = np.array(entries, dtype=np.int64)
        column = np.full(len(self._log_total), -1, dtype=np.int64)
        column[asked] = np.arange(len(asked))
        table = np.full((len(known), len(asked)), self._log_count[0])
        places = spans(self._first[known], self._sizes[known])
        rows = np.repeat(np.arange(len(known)), self._sizes[known])
        columns = column[self._entry[places]]
        used = columns >= 0
        table[rows[used], columns[used]] = self._log_count[self._count[places[used]]]
        sums = np.cumsum(table, axis=0)[-1] if len(known) else np.zeros(len(asked))
        logs = (sums - len(known) * self._log_total[asked]) / temperature
        return dict(zip(entries, logs.tolist(), strict=True))


def normalized(logs: dict[int, float]) -> dict[int, float]:
    """Probabilities (0 to 1) from log-likelihoods, summed in their order."""
    top = max(logs.values(), default=0.0)
    odds = {entry: math.exp(value - top) for entry, value in logs.items()}
    total = sum(odds.values())
    return {entry: value / total for entry, value in odds.items()}
