"""The learned confidence: fitting, thresholds, saving, and what it does in the matcher."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.matching import Matcher
from bot.matching.boosting import Boosting, fit_trees, log_odds, sigmoid
from bot.matching.confidence import FEATURES, ConfidenceModel, _threshold, fit

ROOT = Path(__file__).resolve().parent.parent


def _row(score: float, right: bool) -> tuple[list[float], bool]:
    values = [0.0] * len(FEATURES)
    values[FEATURES.index("score")] = score
    return values, right


SMALL = Boosting(rounds=30, min_leaf=3)
ROWS = [_row(s / 100, s > 50) for s in range(0, 100, 2)] + [_row(0.9, False), _row(0.3, True)]


def test_fit_learns_that_a_higher_score_is_more_likely_right() -> None:
    model = fit(ROWS, max_wrong=0.05, boosting=SMALL)
    low, high = (model.probability(_row(s, True)[0]) for s in (0.2, 0.8))
    assert low < 0.5 < high


def test_the_threshold_keeps_wrong_answers_within_the_limit() -> None:
    for max_wrong in (0.0, 0.05, 0.2):
        model = fit(ROWS, max_wrong=max_wrong, boosting=SMALL)
        answered = [right for values, right in ROWS if model.answers(values)[0]]
        assert len(answered) - sum(answered) <= max_wrong * len(ROWS)


def test_the_threshold_is_the_lowest_within_the_limit() -> None:
    """(probability, right) rows: one wrong answer allowed, the threshold may answer the wrong
    row at 0.65 but not also the one at 0.5; none allowed, it answers neither."""
    scored = [(0.6, True), (0.5, False), (0.9, True), (0.7, True), (0.65, False)]
    assert _threshold(scored, 1) == 0.51
    assert _threshold(scored, 0) == 0.66
    assert _threshold([(0.995, False)], 0) == 0.99


def test_the_limit_is_a_share_of_the_lines_given() -> None:
    """Wrong answers allowed: ``max_wrong`` of ``lines`` when given, else of the rows."""
    strict, rows, loose = (
        fit(ROWS, max_wrong=0.02, lines=n, boosting=SMALL) for n in (10, None, 500)
    )
    assert strict.threshold >= rows.threshold >= loose.threshold
    assert strict.threshold > loose.threshold


def test_a_saved_model_loads_the_same(tmp_path: Path) -> None:
    model = fit(ROWS, max_wrong=0.05, boosting=SMALL)
    model.save(tmp_path / "model.json")
    assert ConfidenceModel.load(tmp_path / "model.json") == model


def test_a_model_of_other_features_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    fit(ROWS, max_wrong=0.05, boosting=SMALL).save(path)
    path.write_text(path.read_text().replace('"score"', '"scores"', 1))
    with pytest.raises(ValueError, match="adal-bot train"):
        ConfidenceModel.load(path)


def test_trees_learn_what_no_single_threshold_can() -> None:
    """Right when the score is high and the message long, or the score low and it short (an
    interaction a weighted sum cannot draw): the trees get every corner right."""
    corners = [(s, w) for s in (0.1, 0.9) for w in (0.5, 3.0)]
    sizes = (40, 20, 25, 30)  # unequal, so that the first split gains something
    rows = [
        [s + k / 1000, w + k / 1000]
        for (s, w), n in zip(corners, sizes, strict=True)
        for k in range(n)
    ]
    labels = [(r[0] > 0.5) == (r[1] > 1.0) for r in rows]
    trees, bias = fit_trees(rows, labels, Boosting(rounds=60, depth=2, rate=0.3, min_leaf=5))
    for (s, w), right in zip(corners, [True, False, False, True], strict=True):
        assert (sigmoid(log_odds(trees, bias, [s, w])) > 0.5) == right


def test_fitting_is_deterministic() -> None:
    assert fit(ROWS, max_wrong=0.05, boosting=SMALL) == fit(ROWS, max_wrong=0.05, boosting=SMALL)


@pytest.mark.parametrize("text", ["нет", "пока", "had", "time", "how old are you", "weather"])
def test_everyday_words_are_not_answered_with_an_entry(bundled: Matcher, text: str) -> None:
    assert bundled.match(text).entry_id is None


def test_the_score_is_the_probability_of_being_right(bundled: Matcher) -> None:
    text = "Можно ли госслужащему принять подарок?"
    candidate, values = bundled.explain(text) or ("", [])
    result = bundled.match(text)
    assert result.entry_id == candidate
    assert result.score == round(100 * bundled.confidence.probability(values), 1)
