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

SMOOTHING = 0.5
_MAX_COUNT = 4096  # log(count + SMOOTHING) of counts up to this is kept in a table


class EntryModel:
    """Per-entry feature counts over the questions of each entry (see module docstring).

    Counts are kept as small integers (shared by Python), not as float log-probabilities,
    so a base a hundred times larger stays affordable in memory."""

    def __init__(self, entries: Sequence[Iterable[Iterable[str]]]) -> None:
        canonical: dict[str, str] = {}  # one string object per feature, shared by the entries
        self._counts: list[dict[str, int]] = []
        for questions in entries:
            counts: Counter[str] = Counter()
            for features in questions:
                counts.update(set(features))
            self._counts.append(
                {canonical.setdefault(f, f): min(n, _MAX_COUNT - 1) for f, n in counts.items()}
            )
        self._vocabulary = canonical  # a dict's keys: a view would not pickle
        size = len(canonical)
        self._log_total = [
            math.log(sum(counts.values()) + SMOOTHING * size) for counts in self._counts
        ]
        self._log_count = [math.log(n + SMOOTHING) for n in range(_MAX_COUNT)]

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
        """The log-likelihood of a message with ``features`` for each of ``entries``, divided
        by ``temperature`` (see :meth:`posterior`)."""
        known = [f for f in features if f in self._vocabulary]
        return {entry: self._log_likelihood(known, entry) / temperature for entry in entries}

    def _log_likelihood(self, features: list[str], entry: int) -> float:
        counts, log_count = self._counts[entry], self._log_count
        return (
            sum(log_count[counts.get(f, 0)] for f in features)
            - len(features) * self._log_total[entry]
        )


def normalized(logs: dict[int, float]) -> dict[int, float]:
    """Probabilities (0 to 1) from log-likelihoods, summed in their order."""
    top = max(logs.values(), default=0.0)
    odds = {entry: math.exp(value - top) for entry, value in logs.items()}
    total = sum(odds.values())
    return {entry: value / total for entry, value in odds.items()}
