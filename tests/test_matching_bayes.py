"""The naive Bayes model of entries: the way a message asks, function words included."""

from __future__ import annotations

import pytest

from bot.matching.bayes import EntryModel
from bot.matching.normalize import words

HELP = ["what can i do now", "what should i do", "who do i complain to"]
EXAMPLES = ["is this a trap", "is it a setup", "does this count as a trap"]


@pytest.fixture(scope="module")
def model() -> EntryModel:
    return EntryModel([[words(q) for q in HELP], [words(q) for q in EXAMPLES]])


def test_the_way_of_asking_tells_entries_apart(model: EntryModel) -> None:
    assert model.posterior(words("what do i do"), [0, 1], 1.0)[0] > 0.9
    assert model.posterior(words("is it"), [0, 1], 1.0)[1] > 0.9


def test_a_posterior_is_a_distribution_over_the_entries_given(model: EntryModel) -> None:
    found = model.posterior(words("what is a trap"), [0, 1], 1.0)
    assert set(found) == {0, 1}
    assert sum(found.values()) == pytest.approx(1.0)
    assert model.posterior(words("what is a trap"), [1], 1.0) == {1: 1.0}
    assert model.posterior(words("what"), [], 1.0) == {}


def test_words_the_base_never_uses_are_left_out(model: EntryModel) -> None:
    assert model.posterior(words("passport renewal"), [0, 1], 1.0) == {0: 0.5, 1: 0.5}
    assert model.posterior(
        words("what should i do about my passport"), [0, 1], 1.0
    ) == model.posterior(words("what should i do"), [0, 1], 1.0)


def test_temperature_makes_the_model_less_sure(model: EntryModel) -> None:
    sure = model.posterior(words("what can i do"), [0, 1], 1.0)[0]
    unsure = model.posterior(words("what can i do"), [0, 1], 3.0)[0]
    assert 0.5 < unsure < sure


def test_a_word_counts_once_per_question() -> None:
    repeated = EntryModel([[["gift", "gift", "gift"]], [["gift"]]])
    assert repeated.posterior(["gift"], [0, 1], 1.0) == {0: 0.5, 1: 0.5}
