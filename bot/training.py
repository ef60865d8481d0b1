"""Learning from labelled sets (``adal-bot train``): how people ask for each entry
(:mod:`bot.matching.usage`), and the matcher's confidence, fitted by
:func:`bot.matching.confidence.fit` on each line's candidate entry and features, labelled right
or wrong. Train only on the tuning sets, never on a gated one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.evaluate import EVERYDAY_WORD, Case
from bot.kb import KnowledgeBase
from bot.matching import Matcher
from bot.matching.confidence import FOLDS, ConfidenceModel, fit
from bot.matching.usage import Documents, collect

Document = tuple[list[str], list[str]]  # a case's folded words and expected entry ids
# Features are computed whatever the model; this one only lets a matcher be built.
UNTRAINED = ConfidenceModel((), 0.0, 1.0)


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


def out_of_fold_rows(
    kb: KnowledgeBase, cases: Sequence[Case], documents: Sequence[Document]
) -> list[tuple[list[float], bool]]:
    """:func:`training_rows` of ``cases``, each computed with the usage (how people asked,
    :mod:`bot.matching.usage`) of the other folds' ``documents`` (the cases' own, see
    :func:`usage_documents`) only: with its own words counted, the naive Bayes model would
    judge a case too kindly."""
    rows: list[tuple[list[float], bool]] = []
    for fold in range(FOLDS):
        others = (doc for n, doc in enumerate(documents) if n % FOLDS != fold)
        matcher = Matcher(kb, confidence=UNTRAINED, usage=collect(others))
        rows += training_rows(matcher, (c for n, c in enumerate(cases) if n % FOLDS == fold))
    return rows


def train(
    kb: KnowledgeBase, cases: Iterable[Case], *, max_wrong: float
) -> tuple[ConfidenceModel, Documents]:
    """How ``cases`` ask for each entry, and a confidence model fitted on them (out of fold)
    whose threshold keeps the cases answered wrong within ``max_wrong`` of them (single
    everyday words aside)."""
    cases = list(cases)
    documents = usage_documents(kb, cases)  # each case read once, for both uses
    usage = collect(documents)
    # the share is of the lines people wrote: single everyday words, easy to leave
    # unanswered, would make the allowance larger
    lines = sum(case.kind != EVERYDAY_WORD for case in cases)
    rows = out_of_fold_rows(kb, cases, documents)
    model = fit(rows, max_wrong=max_wrong, lines=lines)
    return model, usage


def usage_documents(kb: KnowledgeBase, cases: Iterable[Case]) -> list[Document]:
    """(folded words, expected entry ids) of each case; no words for a single everyday word,
    which is no line people wrote (it stays a row of the confidence)."""
    reader = Matcher(kb, confidence=UNTRAINED, usage={})
    return [
        (
            reader.folded(case.q) if case.kind != EVERYDAY_WORD else [],
            [kb.resolve(e) or e for e in case.expect],
        )
        for case in cases
    ]
