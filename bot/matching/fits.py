"""How well each candidate entry's best question fits a message, for all candidates at once.

An entry's score (see :meth:`~bot.matching.matcher.Matcher._ranked`) blends how much of a
message the entry explains with the fit of its best question: how much of the message the
question explains, how much of the question the message contains, and how alike the two
strings are. A long message reaches most of ten candidates' hundred questions each, so the
per-question arithmetic runs on arrays (numpy): the questions' slots are kept as flat arrays,
each index key points to the questions and slots it is found in, and a message's words become
a few array operations instead of a loop over every question of every candidate.

Every value is computed with the operations, in the order, of the loop it replaces
(``numpy.bincount`` adds its weights in their order): the scores are the same bit for bit.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz

from bot.matching.caching import WithCaches
from bot.matching.config import MatchConfig

FloatArray = np.ndarray
IntArray = np.ndarray
HITS_CACHED = 16384  # the question hits of this many words' keys are kept
# over this many questions, a word's hits are first cut to the candidates' questions (on the
# bundled base's 2,700 the whole arrays cost less than cutting them; at 100 times it, more)
LARGE_TABLE = 50_000


class Slot(Protocol):
    """One content word of a question (:class:`~bot.matching.index.Slot`)."""

    @property
    def keys(self) -> frozenset[str]: ...

    @property
    def weight(self) -> float: ...


class Question(Protocol):
    """One way of asking for an entry, as indexed (:class:`~bot.matching.index.Question`)."""

    @property
    def text(self) -> str: ...

    @property
    def total(self) -> float: ...

    @property
    def slots(self) -> Sequence[Slot]: ...


@dataclass(frozen=True)
class Hits:
    """Where one word of a message is found: the questions (each once, with the best
    similarity of the keys it is found by) and the slots (each key's, repeats kept)."""

    questions: IntArray
    similarity: FloatArray
    slots: IntArray


@dataclass(frozen=True)
class Shares:
    """The shares of a fit for a message's length (see :class:`~bot.matching.matcher._Query`)."""

    query: float  # of the message the question explains
    entry: float  # ... of which this much is explained by all the entry's questions together


class QuestionTable(WithCaches):
    """The questions of every entry (in :attr:`~bot.matching.index.Index.entry_questions`'
    order, an entry's questions in a row) as arrays: each question's entry, size and text, and
    each slot's question and weight; and each index key's questions and slots."""

    CACHES = frozenset({"hits"})

    def __init__(self, entry_questions: Sequence[Sequence[Question]]) -> None:
        """Tabulate each entry's questions."""
        texts: list[str] = []
        entry_of: list[int] = []
        sizes: list[float] = []
        slot_question: list[int] = []
        slot_weight: list[float] = []
        questions_of: dict[str, list[int]] = {}
        slots_of: dict[str, list[int]] = {}
        counts: list[int] = []
        for entry, questions in enumerate(entry_questions):
            counts.append(len(questions))
            for question in questions:
                number = len(texts)
                texts.append(question.text)
                entry_of.append(entry)
                sizes.append(question.total)
                for slot in question.slots:
                    for key in slot.keys:
                        slots_of.setdefault(key, []).append(len(slot_weight))
                        found = questions_of.setdefault(key, [])
                        if not found or found[-1] != number:
                            found.append(number)
                    slot_question.append(number)
                    slot_weight.append(slot.weight)
        self._texts = texts
        # each entry's questions are in a row: its first and how many
        self._counts = np.array(counts, dtype=np.int64)
        self._first = np.cumsum([0, *counts[:-1]], dtype=np.int64)
        # the length of each text with its words sorted, as the string similarity compares them
        self._lengths = np.array([_sorted_length(text) for text in texts], dtype=np.float64)
        self._entry_of = np.array(entry_of, dtype=np.int64)
        self._sizes = np.array(sizes, dtype=np.float64)
        self._slot_question = np.array(slot_question, dtype=np.int64)
        # each question's first slot (and the slot after the last): a range of questions is
        # a range of slots
        self._first_slot = np.searchsorted(self._slot_question, np.arange(len(texts) + 1))
        self._slot_weight = np.array(slot_weight, dtype=np.float64)
        self._questions_of = {k: np.array(v, dtype=np.int64) for k, v in questions_of.items()}
        self._slots_of = {k: np.array(v, dtype=np.int64) for k, v in slots_of.items()}
        self._caches()

    def _caches(self) -> None:
        self.hits = functools.lru_cache(maxsize=HITS_CACHED)(self._hits)

    def _hits(self, alts: tuple[tuple[str, float], ...]) -> Hits:
        """Where a word found by the keys ``alts`` (each with its similarity) is found."""
        found = [(self._questions_of[key], sim) for key, sim in alts if key in self._questions_of]
        if not found:
            empty = np.zeros(0, dtype=np.int64)
            return Hits(empty, np.zeros(0, dtype=np.float64), empty)
        slots = [self._slots_of[key] for key, _ in alts if key in self._slots_of]
        if len(found) == 1:  # a key's questions are each listed once
            questions, sim = found[0]
            return Hits(questions, np.full(len(questions), sim), slots[0])
        # the most similar key first: np.unique keeps each question's first occurrence
        found.sort(key=lambda item: -item[1])
        questions = np.concatenate([q for q, _ in found])
        similarity = np.concatenate([np.full(len(q), sim) for q, sim in found])
        kept, first = np.unique(questions, return_index=True)
        return Hits(kept, similarity[first], np.sort(np.concatenate(slots)))

    def _within(
        self, words: Sequence[tuple[float, Hits]], entries: Sequence[int]
    ) -> list[tuple[float, Hits]]:
        """``words``' hits cut to the questions (and slots) of ``entries``, in their order."""
        ordered = np.sort(np.asarray(entries, dtype=np.int64))
        low, high = self._first[ordered], self._first[ordered] + self._counts[ordered]
        slot_low, slot_high = self._first_slot[low], self._first_slot[high]
        cut = []
        for weight, hits in words:
            at = _within(hits.questions, low, high)
            slots = hits.slots[_within(hits.slots, slot_low, slot_high)]
            cut.append((weight, Hits(hits.questions[at], hits.similarity[at], slots)))
        return cut

    def best_fits(
        self,
        words: Sequence[tuple[float, Hits]],
        total: float,
        text: str,
        coverage: Mapping[int, float],
        shares: Shares,
        config: MatchConfig,
    ) -> dict[int, float]:
        """The fit (0 to 1) of the best question of each entry of ``coverage``
        (an entry's share of the message's weight ``total`` that its words reach) to a message:
        its content words as (weight, hits) in the message's order, and its folded ``text``.

        A question's fit: query_share * covered + contained_share * contained +
        similarity_share * similarity, times what a word left over on both sides keeps
        ("penalty for insulting an officer" against "penalty for attacking an officer" is a
        different question in the same frame). It never decreases as similarity grows, so with
        the most similarity the two lengths allow (2 * shorter / both) it bounds the fit: the
        string similarity, the costly part, is left for the questions that may still beat the
        best, and stops early below what would."""
        entries = list(coverage)
        best = dict.fromkeys(entries, 0.0)
        words = [(weight, hits) for weight, hits in words if len(hits.questions)]
        if not words or not entries or total <= 0:
            return best
        count = len(self._texts)
        large = count > LARGE_TABLE
        if large:
            words = self._within(words, entries)
        # the weight of the message each question explains, summed word by word in order
        reaching = np.concatenate([h.questions for _, h in words])
        weights = np.bincount(
            reaching,
            weights=np.concatenate([weight * h.similarity for weight, h in words]),
            minlength=count,
        )
        reached = np.bincount(reaching, minlength=count) > 0
        # the weight of each question's slots found, summed in the slots' order
        every = np.concatenate([h.slots for _, h in words])
        if large:  # the slots found are few beside the table's
            slots = np.unique(every)
        else:
            found = np.zeros(len(self._slot_weight), dtype=bool)
            found[every] = True
            slots = np.flatnonzero(found)
        parts = np.bincount(
            self._slot_question[slots], weights=self._slot_weight[slots], minlength=count
        )
        # the questions the message reaches, entry by entry in the order of ``entries``
        candidates = spans(self._first[entries], self._counts[entries])
        reaches = reached[candidates]
        at = candidates[reaches]
        ends = np.cumsum(np.concatenate(([0], reaches)))[np.cumsum(self._counts[entries])]
        share = np.zeros(len(self._counts), dtype=np.float64)
        share[entries] = [coverage[e] for e in entries]
        by_entry = shares.entry * share[self._entry_of[at]]
        own = weights[at] / total
        by_words = shares.query * (by_entry + (1 - shares.entry) * own)
        # a question a story contains whole ("provocation") may be a passing mention
        size = self._sizes[at]
        small = size / (config.question_size * total)
        contained = np.divide(parts[at], size, out=np.zeros(len(at)), where=size != 0)
        contained = contained * np.minimum(small, 1.0)
        kept = 1 - config.substitution_penalty * np.minimum(1 - contained, 1 - own)
        contained_share = 1 - shares.query - config.similarity_share
        alike_share = config.similarity_share
        # two strings are at most as alike as their lengths allow (an insertion or deletion for
        # each letter one has more): 2 * shorter / (both together); a hair more, for rounding
        length, lengths = _sorted_length(text), self._lengths[at]
        alike = np.minimum(2 * np.minimum(lengths, length) / (lengths + length) + 1e-9, 1.0)
        bound = (by_words + contained_share * contained + alike_share * alike) * kept
        # each entry's fit is at least its questions' best without the string similarity: a
        # question bounded below that cannot be its best, and is not looked at
        group = np.repeat(np.arange(len(entries)), np.diff(ends, prepend=0))
        floor = np.zeros(len(entries))
        reached_ones = np.unique(group)
        floor[reached_ones] = np.maximum.reduceat(
            (by_words + contained_share * contained) * kept, np.searchsorted(group, reached_ones)
        )
        rows = np.flatnonzero(bound >= floor[group])
        # the likely best first: once one cannot beat the best, no later one can
        rows = rows[np.lexsort((-bound[rows], group[rows]))]
        fits = [0.0] * len(entries)
        for place, top, covered, inside, keep, question in zip(
            *(column[rows].tolist() for column in (group, bound, by_words, contained, kept, at)),
            strict=True,
        ):
            fit = fits[place]
            if top <= fit:
                continue
            # the similarity it needs to beat the best (a hair less, for rounding): below it,
            # rapidfuzz stops early and says 0, and the fit stays under the best
            needed = (fit / keep - covered - contained_share * inside) / alike_share
            alike_now = fuzz.token_sort_ratio(
                text, self._texts[question], score_cutoff=max(100 * needed - 1e-6, 0.0)
            )
            fits[place] = max(
                fit, (covered + contained_share * inside + alike_share * (alike_now / 100)) * keep
            )
        return dict(zip(entries, fits, strict=True))


def _sorted_length(text: str) -> int:
    """The length of ``text`` as token-sort similarity compares it: its words, one space apart."""
    words = text.split()
    return sum(map(len, words)) + max(len(words) - 1, 0)


def spans(starts: IntArray, lengths: IntArray) -> IntArray:
    """The positions of each span (``starts[i]``, ``starts[i]`` + 1, … ``lengths[i]`` of them),
    one span after the other."""
    found: IntArray = np.arange(lengths.sum()) + np.repeat(
        starts - np.cumsum(lengths) + lengths, lengths
    )
    return found


def _within(values: IntArray, low: IntArray, high: IntArray) -> IntArray:
    """The places of the sorted ``values`` that fall in one of the ranges [low, high) (sorted,
    apart), in order."""
    starts = np.searchsorted(values, low)
    return spans(starts, np.searchsorted(values, high) - starts)
