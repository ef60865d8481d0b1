"""How likely the entry the matcher found is the right one: a logistic regression over the
features the matcher computes, learned from the labelled tuning sets (``adal-bot train``) and
shipped as ``confidence.json``. The matcher answers when the probability reaches the model's
threshold; the score people see is that probability ×100.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

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
)
# Products of features the model also weighs: a high score means more in a long message,
# from a rule that would answer, with n-grams that agree.
PAIRS = (
    ("score", "words"),
    ("score", "rule"),
    ("score", "ngram"),
    ("bayes", "words"),
    ("margin", "sibling"),
    ("domain", "words"),
    ("concepts", "score"),
    ("rule", "words"),
    ("rule", "named"),
)
_INDEX = {name: n for n, name in enumerate(FEATURES)}
_GRID = [n / 100 for n in range(2, 100)]


def expand(values: Sequence[float]) -> list[float]:
    """FEATURES values followed by the PAIRS' products: what the weights apply to."""
    return [*values, *(values[_INDEX[a]] * values[_INDEX[b]] for a, b in PAIRS)]


@dataclass(frozen=True)
class ConfidenceModel:
    """Weights over standardised FEATURES (and PAIRS), a bias, and the probability needed to
    answer: ``threshold``, or ``rule_threshold`` when the hand-set rule would answer too."""

    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    threshold: float
    rule_threshold: float

    def answers(self, values: Sequence[float]) -> tuple[bool, float]:
        """Whether to answer with the candidate, and the probability it is right."""
        probability = self.probability(values)
        needed = self.rule_threshold if values[_INDEX["rule"]] else self.threshold
        return probability >= needed, probability

    def probability(self, values: Sequence[float]) -> float:
        """The probability that the candidate is right, given its FEATURES values."""
        z = self.bias + sum(
            w * (v - m) / s
            for w, v, m, s in zip(
                self.weights, expand(values), self.means, self.scales, strict=True
            )
        )
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))

    def save(self, path: Path = MODEL_PATH) -> None:
        """Write the model as JSON (reviewable in git)."""
        data = {"features": FEATURES, "pairs": PAIRS, **asdict(self)}
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> ConfidenceModel:
        """Read a model written by :meth:`save`; its features must be today's FEATURES."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES or [tuple(p) for p in data["pairs"]] != list(PAIRS):
            raise ValueError(f"{path} was trained on other features: run `adal-bot train`")
        return cls(
            tuple(map(float, data["weights"])),
            float(data["bias"]),
            tuple(map(float, data["means"])),
            tuple(map(float, data["scales"])),
            float(data["threshold"]),
            float(data["rule_threshold"]),
        )


def fit(
    rows: Sequence[tuple[Sequence[float], bool]],
    *,
    max_wrong: float = 0.02,
    l2: float = 0.001,
    epochs: int = 2000,
    rate: float = 1.0,
) -> ConfidenceModel:
    """Learn the weights by gradient descent on the log loss (deterministic), then choose the
    two thresholds that answer most rows right while the rows answered wrong stay within
    ``max_wrong`` of all rows."""
    count = len(rows)
    rows = [(expand(values), right) for values, right in rows]
    columns = list(zip(*(values for values, _ in rows), strict=True))
    means = tuple(sum(c) / count for c in columns)
    scales = tuple(
        math.sqrt(sum((x - m) ** 2 for x in c) / count) or 1.0
        for c, m in zip(columns, means, strict=True)
    )
    data = [
        ([(v - m) / s for v, m, s in zip(values, means, scales, strict=True)], float(right))
        for values, right in rows
    ]
    weights, bias = [0.0] * len(columns), 0.0
    for _ in range(epochs):
        grad, grad_bias = [0.0] * len(weights), 0.0
        for x, y in data:
            z = bias + sum(w * v for w, v in zip(weights, x, strict=True))
            error = 1 / (1 + math.exp(-max(-30.0, min(30.0, z)))) - y
            grad_bias += error
            for i, v in enumerate(x):
                grad[i] += error * v
        bias -= rate * grad_bias / count
        weights = [w - rate * (g / count + l2 * w) for w, g in zip(weights, grad, strict=True)]
    model = ConfidenceModel(tuple(weights), bias, means, scales, 0.5, 0.5)
    scored = [(model.probability(v[: len(FEATURES)]), bool(v[_INDEX["rule"]]), r) for v, r in rows]
    best = (-1, 1.0, 1.0)
    for threshold in _GRID:
        for rule_threshold in (t for t in _GRID if t <= threshold):
            answered = [r for p, rule, r in scored if p >= (rule_threshold if rule else threshold)]
            right, wrong = sum(answered), len(answered) - sum(answered)
            if wrong <= max_wrong * len(scored) and right > best[0]:
                best = (right, threshold, rule_threshold)
    return ConfidenceModel(tuple(weights), bias, means, scales, best[1], best[2])
