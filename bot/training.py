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


def training_rows(kb: KnowledgeBase, cases: Iterable[Case]) -> list[tuple[list[float], bool]]:
    """(features, right) for every case the matcher ranks an entry for: right when the
    candidate is an expected entry (a case that expects none is never right)."""
    matcher = Matcher(kb, confidence=_UNTRAINED)
    rows = []
    for case in cases:
        found = matcher.explain(case.q)
        if found is None:
            continue
        candidate, values = found
        expected = {kb.resolve(e) or e for e in case.expect}
        rows.append((values, candidate in expected))
    return rows


def train(kb: KnowledgeBase, cases: Iterable[Case], *, max_wrong: float) -> ConfidenceModel:
    """A confidence model fitted on ``cases`` whose thresholds keep the cases answered wrong
    within ``max_wrong`` of them."""
    return fit(training_rows(kb, cases), max_wrong=max_wrong)
