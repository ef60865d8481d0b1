"""Learning the matcher's confidence from labelled sets (``adal-bot train``): each line's
candidate entry and features, labelled right or wrong, fitted by
:func:`bot.matching.confidence.fit`. Train only on the tuning sets, never on a gated one."""

from __future__ import annotations

from collections.abc import Iterable

from bot.evaluate import Case
from bot.kb import KnowledgeBase
from bot.matching import Matcher
from bot.matching.confidence import ConfidenceModel, fit

# Features are computed whatever the model; this one only lets the matcher be built.
_UNTRAINED = ConfidenceModel((), 0.0, 1.0, 1.0)


def training_rows(matcher: Matcher, cases: Iterable[Case]) -> list[tuple[list[float], bool]]:
    """(features, right) for every case the matcher ranks an entry for: right when the
    candidate is an expected entry (a case that expects none is never right)."""
    kb = matcher.kb
    rows = []
    for case in cases:
        found = matcher.explain(case.q)
        if found is None:
            continue
        candidate, values = found
        expected = {kb.resolve(e) or e for e in case.expect}
        rows.append((values, candidate in expected))
    return rows


def base_rows(matcher: Matcher) -> list[list[float]]:
    """The features of every question of the base whose own entry is its candidate: the
    maintainers wrote it to ask for that entry, so it should be answered (``kb check``)."""
    rows = []
    for entry in matcher.kb.entries.values():
        for lang in entry.texts:
            for question in entry.questions(lang):
                found = matcher.explain(question)
                if found is not None and found[0] == entry.id:
                    rows.append(found[1])
    return rows


def train(kb: KnowledgeBase, cases: Iterable[Case], *, max_wrong: float) -> ConfidenceModel:
    """A confidence model fitted on ``cases`` whose thresholds keep the cases answered wrong
    within ``max_wrong`` of them, and answer the base's own questions if they can."""
    matcher = Matcher(kb, confidence=_UNTRAINED)  # one index for both kinds of rows
    return fit(training_rows(matcher, cases), max_wrong=max_wrong, answered=base_rows(matcher))
