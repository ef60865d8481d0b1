"""Learning from labelled sets (``adal-bot train``): how people ask for each entry
(:mod:`bot.matching.usage`), a logistic regression of the entry from a message's words
(:mod:`bot.matching.logistic`, fitted with scikit-learn, installed with the ``train`` extra),
and the matcher's confidence, fitted by :func:`bot.matching.confidence.fit` on each line's
candidate entry and features, labelled right or wrong. Train only on the tuning sets, never on
a gated one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.evaluate import EVERYDAY_WORD, Case
from bot.kb import KnowledgeBase
from bot.matching import Matcher
from bot.matching.confidence import FOLDS, ConfidenceModel, fit
from bot.matching.index import Index
from bot.matching.logistic import SMALLEST, Logistic
from bot.matching.usage import NONE, Documents, collect

Document = tuple[list[str], list[str]]  # a case's folded words and expected entry ids
# Features are computed whatever the model; this one only lets a matcher be built.
UNTRAINED = ConfidenceModel((), 0.0, 1.0)


@dataclass(frozen=True)
class Trained:
    """What ``adal-bot train`` learns (see the module docstring)."""

    confidence: ConfidenceModel
    usage: Documents
    logistic: Logistic


def fit_logistic(index: Index) -> Logistic:
    """The logistic regression of each entry (and of no entry) from the documents ``index``
    counts for naive Bayes: every document a row of binary features, once for each entry it
    belongs to. Deterministic (scikit-learn's L-BFGS, ``MatchConfig.logistic_strength``)."""
    try:
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression
    except ImportError as exc:  # the bot itself only reads the fitted weights
        raise RuntimeError("training needs scikit-learn: pip install 'adal-bot[train]'") from exc

    names = [*index.entry_ids, NONE]
    rows = [
        (dict.fromkeys(document, 1), names[number])
        for number, documents in enumerate(index.documents)
        for document in documents
        if document
    ]
    vectors = DictVectorizer(sort=True)
    matrix = vectors.fit_transform([features for features, _ in rows])
    regression = LogisticRegression(C=index.config.logistic_strength, max_iter=3000)
    regression.fit(matrix, [name for _, name in rows])
    classes = tuple(str(name) for name in regression.classes_)
    weights = {
        str(feature): tuple(float(w) for w in regression.coef_[:, at])
        for at, feature in enumerate(vectors.get_feature_names_out())
        if max(abs(float(w)) for w in regression.coef_[:, at]) >= SMALLEST
    }
    return Logistic(classes, tuple(float(b) for b in regression.intercept_), weights)


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
    judge a case too kindly. A fold with no case (fewer cases than folds) builds no matcher."""
    rows: list[tuple[list[float], bool]] = []
    for fold in range(min(FOLDS, len(cases))):
        others = collect(doc for n, doc in enumerate(documents) if n % FOLDS != fold)
        matcher = trained_matcher(kb, others)
        rows += training_rows(matcher, (c for n, c in enumerate(cases) if n % FOLDS == fold))
    return rows


def trained_matcher(kb: KnowledgeBase, usage: Documents) -> Matcher:
    """A matcher of ``kb`` with ``usage`` and the logistic regression fitted on both (and no
    confidence: its features are computed whatever the model). The regression is fitted on
    the matcher's own index: its documents are the ones naive Bayes counts."""
    matcher = Matcher(kb, confidence=UNTRAINED, usage=usage, logistic=Logistic())
    matcher.logistic = fit_logistic(matcher.index)
    return matcher


def train(kb: KnowledgeBase, cases: Iterable[Case], *, max_wrong: float) -> Trained:
    """How ``cases`` ask for each entry, the logistic regression of the base's questions and
    their words, and a confidence model fitted on them (out of fold) whose threshold keeps the
    cases answered wrong within ``max_wrong`` of them (single everyday words aside)."""
    cases = list(cases)
    documents = usage_documents(kb, cases)  # each case read once, for both uses
    usage = collect(documents)
    # the share is of the lines people wrote: single everyday words, easy to leave
    # unanswered, would make the allowance larger
    lines = sum(case.kind != EVERYDAY_WORD for case in cases)
    rows = out_of_fold_rows(kb, cases, documents)
    model = fit(rows, max_wrong=max_wrong, lines=lines)
    return Trained(model, usage, fit_logistic(Index(kb, usage=usage)))


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
