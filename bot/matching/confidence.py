"""How likely the entry the matcher found is the right one: gradient-boosted decision trees
over the features the matcher computes (:mod:`bot.matching.boosting`), learned from the labelled
tuning sets (``adal-bot train``) and shipped as ``confidence.json``. The matcher answers when
the probability reaches the model's threshold; the score people see is that probability ×100.

Trees replaced a logistic regression over the same features (and nine products of them): on
the tuning sets' out-of-fold predictions and on the fresh set they answer far more questions
right at a low wrong-answer rate (docs/matching.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.matching.boosting import BOOSTING, Boosting, Node, Tree, fit_trees, log_odds, sigmoid

MODEL_PATH = Path(__file__).with_name("confidence.json")
FEATURES = (
    "score",  # the candidate's score /100
    "margin",  # its lead over the runner-up /100
    "rival_margin",  # its lead over the best rival that is not its related sibling /100
    "rule",  # 1 when the hand-set thresholds (MatchConfig) would answer it
    "sibling",  # 1 when the runner-up is of the same topic
    "words",  # log(1 + content words)
    "unknown",  # share of the message's weight the base does not know
    "everyday",  # share of the message's weight in everyday words (wordfreq)
    "domain",  # share of the weight in words of the base that are not everyday words
    "concepts",  # log(1 + everyday words that are a kind of a concept of the base)
    "concept_topic",  # 1 when a concept points to the candidate's topic
    "bayes",  # the naive Bayes probability of the candidate among the candidates
    "coverage",  # share of the message's weight the candidate's questions explain
    "ngram",  # the n-gram likeness of the message and the candidate's questions
    "named",  # 1 when the message names the candidate's topic (its words are mostly that topic's)
    "case",  # 1 when the message reads like a real case (small talk's case signals)
    "no_entry",  # the naive Bayes probability of the lines asking for no entry, against it
    "neighbour",  # likeness to the nearest question or tuning line of the candidate (Jaccard)
    "neighbour_lead",  # its lead over the nearest one of anything else
)
_GRID = [n / 100 for n in range(2, 100)]
FOLDS = 5  # the threshold is chosen on out-of-fold probabilities


@dataclass(frozen=True)
class ConfidenceModel:
    """Trees over FEATURES and a bias (log-odds), and the probability needed to answer."""

    trees: tuple[Tree, ...]
    bias: float
    threshold: float

    def answers(self, values: Sequence[float]) -> tuple[bool, float]:
        """Whether to answer with the candidate, and the probability it is right."""
        probability = self.probability(values)
        return probability >= self.threshold, probability

    def probability(self, values: Sequence[float]) -> float:
        """The probability that the candidate is right, given its FEATURES values."""
        return sigmoid(log_odds(self.trees, self.bias, values))

    def save(self, path: Path = MODEL_PATH) -> None:
        """Write the model as JSON (one tree a line, reviewable in git)."""
        head = {
            "features": FEATURES,
            "bias": self.bias,
            "threshold": self.threshold,
        }
        trees = ",\n".join(" " + json.dumps(tree) for tree in self.trees)
        text = json.dumps(head, indent=1)[:-2] + ',\n "trees": [\n' + trees + "\n ]\n}\n"
        path.write_text(text, encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ConfidenceModel:
        """Read a model written by :meth:`save`; its features must be today's FEATURES."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES or "trees" not in data:
            raise ValueError(f"{path} was trained on other features: run `adal-bot train`")
        trees = tuple(tuple(_node(node) for node in tree) for tree in data["trees"])
        return cls(trees, float(data["bias"]), float(data["threshold"]))


def _node(raw: list[float]) -> Node:
    """A node as read from JSON: a split's feature and children as ints."""
    if len(raw) == 4:
        return (int(raw[0]), float(raw[1]), int(raw[2]), int(raw[3]))
    return (float(raw[0]),)


MAX_WRONG = 0.012  # the share of training lines the chosen threshold may answer wrong (1.4 %
# before round 21; docs/matching.md, section 4)


def fit(
    rows: Sequence[tuple[Sequence[float], bool]],
    *,
    max_wrong: float = MAX_WRONG,
    lines: int | None = None,
    boosting: Boosting = BOOSTING,
) -> ConfidenceModel:
    """Fit the trees on every row, and choose the lowest threshold (the one that answers most
    rows right) whose rows answered wrong stay within ``max_wrong`` of ``lines`` (default: of
    the rows), judged on out-of-fold probabilities (each row scored by trees that did not see
    it: in-sample probabilities are too sure of themselves). Deterministic."""
    values = [list(v) for v, _ in rows]
    labels = [right for _, right in rows]
    out_of_fold = [0.0] * len(rows)
    for fold in range(FOLDS):
        train = [i for i in range(len(rows)) if i % FOLDS != fold]
        trees, bias = fit_trees([values[i] for i in train], [labels[i] for i in train], boosting)
        for i in range(fold, len(rows), FOLDS):
            out_of_fold[i] = sigmoid(log_odds(trees, bias, values[i]))
    allowed = max_wrong * (len(rows) if lines is None else lines)
    threshold = _threshold(list(zip(out_of_fold, labels, strict=True)), allowed)
    return ConfidenceModel(*fit_trees(values, labels, boosting), threshold)


def _threshold(scored: list[tuple[float, bool]], allowed: float) -> float:
    """The lowest threshold of the grid that answers at most ``allowed`` of the ``scored``
    (probability, right) rows wrong; the highest if none does."""
    for threshold in _GRID:
        if sum(not right for p, right in scored if p >= threshold) <= allowed:
            return threshold
    return _GRID[-1]
