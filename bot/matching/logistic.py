"""Which entry a message's words ask for, by a logistic regression (a softmax over the entries
and the lines that ask for none): fitted by ``adal-bot train`` on the naive Bayes model's own
documents (each question of the base and each tuning line, a set of features labelled with its
entry, :mod:`bot.matching.usage`) and shipped as ``logistic.bin.gz``.

Naive Bayes counts every word as independent evidence, so the words two siblings share weigh
for both and a story's many everyday words drown the one that tells them apart. The regression
weighs the words against each other: a word every sibling uses counts for none, and "what do I
do now" counts for the entry that answers it. Its probability of each candidate is added to the
ranking's score (``MatchConfig.logistic_share``; docs/matching.md §24). The model knows the
entries of the base it was trained on; a message whose candidates include an entry it does not
know is ranked without it until the next ``adal-bot train``.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import sys
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import add
from pathlib import Path

LOGISTIC_PATH = Path(__file__).with_name("logistic.bin.gz")
SMALLEST = 1e-3  # a feature whose weights are all smaller than this is left out when fitted


@dataclass(frozen=True)
class Logistic:
    """A softmax regression over binary features: each class's bias and each feature's weight
    for every class (in the order of ``classes``)."""

    classes: tuple[str, ...] = ()
    bias: tuple[float, ...] = ()
    weights: Mapping[str, Sequence[float]] = field(default_factory=dict)

    def knows(self, class_ids: Iterable[str]) -> bool:
        """Whether every one of ``class_ids`` is a class of the model."""
        return set(class_ids) <= self._known

    @functools.cached_property
    def _known(self) -> frozenset[str]:
        return frozenset(self.classes)

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        """The probability of each class for a message with ``features`` (each counted once;
        features the model never saw weigh nothing); none for a model of no classes."""
        if not self.classes:
            return {}
        totals: Sequence[float] = self.bias
        weights = self.weights
        for feature in sorted(set(features)):  # a fixed order: the same sums in every process
            found = weights.get(feature)
            if found is not None:
                totals = list(map(add, totals, found))  # the classes at once: 10x a loop's speed
        top = max(totals)
        exps = [math.exp(total - top) for total in totals]
        whole = sum(exps)
        return {name: value / whole for name, value in zip(self.classes, exps, strict=True)}

    def save(self, path: Path = LOGISTIC_PATH) -> None:
        """Write the model gzipped: a JSON line of the classes, the biases and the features
        (sorted), then every feature's weights as little-endian 32-bit floats (read in a few
        milliseconds, where JSON numbers took a quarter of a second). ``mtime`` 0: the same
        bytes for the same model."""
        features = sorted(self.weights)
        head = {"classes": self.classes, "bias": self.bias, "features": features}
        flat = array("f", (weight for feature in features for weight in self.weights[feature]))
        if sys.byteorder == "big":
            flat.byteswap()
        text = json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n" + flat.tobytes()
        path.write_bytes(gzip.compress(text, mtime=0))

    @classmethod
    def load(cls, path: Path = LOGISTIC_PATH) -> Logistic:
        """Read a model written by :meth:`save`; a model of no classes when there is none."""
        if not path.exists():
            return cls()
        head, _, body = gzip.decompress(path.read_bytes()).partition(b"\n")
        data = json.loads(head)
        flat = array("f")
        flat.frombytes(body)
        if sys.byteorder == "big":
            flat.byteswap()
        size = len(data["classes"])
        return cls(
            tuple(data["classes"]),
            tuple(float(b) for b in data["bias"]),
            {
                str(feature): flat[at * size : (at + 1) * size]
                for at, feature in enumerate(data["features"])
            },
        )


@functools.cache
def shipped() -> Logistic:
    """The model shipped with the bot (read once a process)."""
    return Logistic.load()
