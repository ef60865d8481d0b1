"""Positions of runs in flat arrays: how the array-backed tables (the question table, the
n-gram profiles, the naive Bayes counts) find the items of a few keys at once."""

from __future__ import annotations

import numpy as np

IntArray = np.ndarray


def spans(starts: IntArray, lengths: IntArray) -> IntArray:
    """The positions of each span (``starts[i]``, ``starts[i]`` + 1, … ``lengths[i]`` of them),
    one span after the other."""
    found: IntArray = np.arange(lengths.sum()) + np.repeat(
        starts - np.cumsum(lengths) + lengths, lengths
    )
    return found
