"""Gradient-boosted decision trees for a yes/no probability, small enough to read: fitted on a
few thousand rows in pure Python (histogram splits, Newton leaves, log loss), evaluated in a few
hundred comparisons.

A tree is a tuple of nodes; a node is ``(feature, threshold, left, right)`` (go ``left`` when
the value is at most ``threshold``) or ``(value,)`` for a leaf, the root first. The model's
log-odds are its ``bias`` plus the sum of every tree's leaf.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

Split = tuple[int, float, int, int]  # feature and children as ints: no conversion per step
Leaf = tuple[float]
Node = Split | Leaf
Tree = tuple[Node, ...]


@dataclass(frozen=True)
class Boosting:
    """How the trees are grown (see :func:`fit_trees`)."""

    rounds: int = 200  # trees
    depth: int = 3  # levels of splits in a tree
    rate: float = 0.05  # shrinkage of each tree's leaves
    l2: float = 1.0  # added to a leaf's hessian sum: pulls small leaves to 0
    min_leaf: int = 20  # rows a leaf keeps at least
    bins: int = 32  # candidate thresholds per feature (quantiles of the rows)


BOOSTING = Boosting()  # what `adal-bot train` uses


def log_odds(trees: Sequence[Tree], bias: float, values: Sequence[float]) -> float:
    """The model's log-odds for one row of feature ``values``."""
    total = bias
    for tree in trees:
        node = tree[0]
        while len(node) == 4:
            node = tree[node[2] if values[node[0]] <= node[1] else node[3]]
        total += node[0]
    return total


def sigmoid(z: float) -> float:
    """The probability of log-odds ``z``."""
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


def _cuts(column: Sequence[float], bins: int) -> list[float]:
    ordered = sorted(set(column))
    if len(ordered) <= bins:
        return ordered[:-1]
    step = len(ordered) / bins
    return sorted({ordered[int(step * k)] for k in range(1, bins)})


def fit_trees(
    rows: Sequence[Sequence[float]], labels: Sequence[bool], config: Boosting = BOOSTING
) -> tuple[tuple[Tree, ...], float]:
    """(trees, bias) fitted to ``labels`` by gradient boosting on the log loss; deterministic."""
    count, width = len(rows), len(rows[0])
    ys = [float(y) for y in labels]
    share = min(max(sum(ys) / count, 1e-6), 1 - 1e-6)
    bias = math.log(share / (1 - share))
    cuts = [_cuts([row[f] for row in rows], config.bins) for f in range(width)]
    # bin[f][i]: how many cuts of feature f lie below row i's value
    binned = [[bisect_left(cuts[f], row[f]) for row in rows] for f in range(width)]
    scores = [bias] * count
    trees: list[Tree] = []
    for _ in range(config.rounds):
        probs = [sigmoid(s) for s in scores]
        grad = [p - y for p, y in zip(probs, ys, strict=True)]
        hess = [max(p * (1 - p), 1e-6) for p in probs]
        nodes: list[Node] = []
        leaf_of = [0] * count
        _grow(list(range(count)), 0, nodes, grad, hess, binned, cuts, leaf_of, config)
        tree = tuple(nodes)
        trees.append(tree)
        for i in range(count):
            scores[i] += tree[leaf_of[i]][0]
    return tuple(trees), bias


def _grow(
    members: list[int],
    level: int,
    nodes: list[Node],
    grad: list[float],
    hess: list[float],
    binned: list[list[int]],
    cuts: list[list[float]],
    leaf_of: list[int],
    config: Boosting,
) -> int:
    """Append the subtree of ``members`` to ``nodes``; its index."""
    index = len(nodes)
    g, h = sum(grad[i] for i in members), sum(hess[i] for i in members)
    split = _best_split(members, g, h, grad, hess, binned, config) if level < config.depth else None
    if split is None:
        nodes.append((-config.rate * g / (h + config.l2),))
        for i in members:
            leaf_of[i] = index
        return index
    feature, cut = split
    nodes.append((feature, cuts[feature][cut], 0, 0))  # children filled in below
    left = [i for i in members if binned[feature][i] <= cut]
    right = [i for i in members if binned[feature][i] > cut]
    first = _grow(left, level + 1, nodes, grad, hess, binned, cuts, leaf_of, config)
    second = _grow(right, level + 1, nodes, grad, hess, binned, cuts, leaf_of, config)
    nodes[index] = (feature, cuts[feature][cut], first, second)
    return index


def _best_split(
    members: list[int],
    g: float,
    h: float,
    grad: list[float],
    hess: list[float],
    binned: list[list[int]],
    config: Boosting,
) -> tuple[int, int] | None:
    """(feature, cut index) of the split that lowers the loss most, or None."""
    if len(members) < 2 * config.min_leaf:
        return None
    parent = g * g / (h + config.l2)
    best, found = 1e-9, None
    for feature, column in enumerate(binned):
        size = max((column[i] for i in members), default=0) + 1
        gs, hs, ns = [0.0] * size, [0.0] * size, [0] * size
        for i in members:
            b = column[i]
            gs[b] += grad[i]
            hs[b] += hess[i]
            ns[b] += 1
        gl = hl = 0.0
        nl = 0
        for cut in range(size - 1):
            gl, hl, nl = gl + gs[cut], hl + hs[cut], nl + ns[cut]
            if nl < config.min_leaf or len(members) - nl < config.min_leaf:
                continue
            gr, hr = g - gl, h - hl
            gain = gl * gl / (hl + config.l2) + gr * gr / (hr + config.l2) - parent
            if gain > best:
                best, found = gain, (feature, cut)
    return found
