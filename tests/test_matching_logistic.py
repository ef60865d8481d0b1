"""The logistic regression of the entry a message's words ask for: its probabilities, how it
is saved, fitted and shipped, and what it does to the ranking."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.matching import Matcher
from bot.matching.index import Index
from bot.matching.logistic import LOGISTIC_PATH, Logistic
from bot.matching.usage import NONE
from bot.training import UNTRAINED, fit_logistic

TOY = Logistic(
    ("a", "b", NONE),
    (0.0, 0.5, 0.0),
    {"trap": (2.0, 0.0, -1.0), "gift": (0.0, 1.0, 0.0)},
)


def test_the_probabilities_follow_the_weights_and_sum_to_one() -> None:
    trap = TOY.probabilities(["trap", "trap"])  # a feature counts once
    assert max(trap, key=trap.__getitem__) == "a"
    assert sum(trap.values()) == pytest.approx(1.0)
    both = TOY.probabilities(["trap", "gift"])
    assert both["b"] > trap["b"]
    assert TOY.probabilities(["never-seen"]) == TOY.probabilities([])  # the biases alone
    assert TOY.probabilities([])["b"] > TOY.probabilities([])["a"]


def test_a_model_of_no_classes_knows_no_entry_and_gives_nothing() -> None:
    assert Logistic().probabilities(["trap"]) == {}
    assert not Logistic().knows(["a"])
    assert TOY.knows(["a", "b"]) and not TOY.knows(["a", "c"])


def test_a_saved_model_loads_the_same_and_is_written_the_same(tmp_path: Path) -> None:
    model = Logistic(("ә", NONE), (0.125, -0.5), {"сыилык": (1.5, -0.25), "gift": (0.0, 2.0)})
    first, second = tmp_path / "1.bin.gz", tmp_path / "2.bin.gz"
    model.save(first)
    Logistic.load(first).save(second)
    assert first.read_bytes() == second.read_bytes()
    loaded = Logistic.load(first)
    assert (loaded.classes, loaded.bias) == (model.classes, model.bias)
    assert {f: tuple(w) for f, w in loaded.weights.items()} == model.weights
    assert loaded.probabilities(["сыилык"]) == model.probabilities(["сыилык"])
    assert Logistic.load(tmp_path / "missing.bin.gz") == Logistic()


def test_fitting_learns_the_word_people_use_for_an_entry(bundled: Matcher) -> None:
    """A word only one entry's lines use weighs for that entry; the fit is deterministic."""
    kb = bundled.kb
    entry_id = "provocation-victim-help"
    usage = {entry_id: [("quuxbar", "zebrafoo")] * 5, NONE: [("weather",)] * 5}
    index = Index(kb, usage=usage)
    first, second = fit_logistic(index), fit_logistic(index)
    assert first == second
    assert set(first.classes) == {*kb.entries, NONE}
    likely = first.probabilities(index.features(["zebrafoo"]))
    assert max(likely, key=likely.__getitem__) == entry_id


def _ranked(matcher: Matcher, text: str) -> list[str]:
    return [entry_id for entry_id, _ in matcher.search(text)]


def test_the_regression_moves_the_entry_its_words_ask_for_ahead(bundled: Matcher) -> None:
    kb = bundled.kb
    text = "police officer told me to pay to close the case and then arrested me what do i do now"
    plain = Matcher(kb, confidence=UNTRAINED, logistic=Logistic())
    (first, best), (second, next_best), *_ = plain.search(text)
    assert best - next_best < 100 * plain.config.logistic_share  # within the regression's reach
    classes = (*kb.entries, NONE)
    words = plain.index.features(plain.folded(text))
    leaning = Logistic(
        classes,
        (0.0,) * len(classes),
        {word: tuple(5.0 if c == second else 0.0 for c in classes) for word in words},
    )
    assert _ranked(Matcher(kb, confidence=UNTRAINED, logistic=leaning), text)[:2] == [
        second,
        first,
    ]
    # a model that does not know one of the candidates (an entry added since training) is
    # left out of that message's ranking
    unknown = Logistic(tuple(c for c in classes if c != first), leaning.bias[1:], leaning.weights)
    assert _ranked(Matcher(kb, confidence=UNTRAINED, logistic=unknown), text) == _ranked(
        plain, text
    )


def test_the_shipped_regression_knows_every_entry_of_the_base(bundled: Matcher) -> None:
    """Re-run ``adal-bot train`` after adding an entry: until then its messages are ranked
    without the regression."""
    assert LOGISTIC_PATH.exists()
    assert set(bundled.logistic.classes) == {*bundled.kb.entries, NONE}
