"""The nearest tuning lines: likeness to the candidate's lines and the lead over the rest."""

from __future__ import annotations

import pytest

from bot.matching import Matcher
from bot.matching.confidence import FEATURES
from bot.matching.neighbours import Neighbours
from bot.matching.usage import NONE, collect

USAGE = collect(
    [
        (["cousin", "hit", "policeman", "wedding"], ["attack-intent"]),
        (["teacher", "parents", "gave", "flowers"], ["gifts"]),
        (["wife", "got", "gift", "supplier"], ["gifts", "family"]),
        (["weather", "tomorrow"], []),
        (["old", "rule", "gift"], ["retired-entry"]),
    ]
)
KNOWN = {"attack-intent", "gifts", "family"}


@pytest.fixture
def neighbours() -> Neighbours:
    questions = [("gifts", ["may", "official", "accept", "gift"])]
    return Neighbours(questions, USAGE, lambda entry_id: entry_id if entry_id in KNOWN else None)


def test_the_nearest_line_of_the_candidate_and_its_lead(neighbours: Neighbours) -> None:
    own, lead = neighbours.nearest(["my", "cousin", "hit", "policeman"], "attack-intent")
    assert own == pytest.approx(3 / 5)  # 3 words shared of 5 in either
    assert lead == pytest.approx(3 / 5)  # no line of another entry shares a word
    own, lead = neighbours.nearest(["my", "cousin", "hit", "policeman"], "gifts")
    assert (own, lead) == (0.0, pytest.approx(-3 / 5))


def test_a_line_that_asked_for_two_entries_is_a_line_of_both(neighbours: Neighbours) -> None:
    words = ["wife", "got", "gift"]
    assert neighbours.nearest(words, "gifts")[0] == pytest.approx(3 / 4)
    assert neighbours.nearest(words, "family")[0] == pytest.approx(3 / 4)
    # for the family entry, the gift question ("gift" of its 4 words) is a rival
    assert neighbours.nearest(words, "family")[1] == pytest.approx(3 / 4 - 1 / 6)


def test_lines_of_no_entry_are_rivals_and_unknown_entries_are_left_out(
    neighbours: Neighbours,
) -> None:
    assert neighbours.nearest(["weather", "tomorrow"], "gifts") == (0.0, -1.0)
    assert neighbours.nearest(["weather", "tomorrow"], NONE)[0] == 1.0
    # the lines of an entry the base no longer has are no rivals
    assert neighbours.nearest(["old", "rule", "gift"], "gifts")[1] > 0


def test_the_bases_questions_are_neighbours_of_their_entry(neighbours: Neighbours) -> None:
    """An entry no one has asked for yet still has neighbours: its questions."""
    own, lead = neighbours.nearest(["may", "official", "accept", "gift"], "gifts")
    assert (own, lead) == (1.0, 1.0)  # the family line that says "gift" also asked for gifts
    assert neighbours.nearest(["may", "official", "accept", "gift"], "family")[0] == 1 / 7


def test_a_message_without_words_is_like_no_line(neighbours: Neighbours) -> None:
    assert neighbours.nearest([], "gifts") == (0.0, 0.0)


def test_only_a_message_longer_than_a_short_one_has_neighbours(bundled: Matcher) -> None:
    """A short message is like many lines by chance ("ал 2020 жылға дейін ше?" was answered
    alone, with the entry of a line that says "2020 жылға дейін"): its neighbour features are
    0; a story's are its nearest lines'."""
    names = [FEATURES.index("neighbour"), FEATURES.index("neighbour_lead")]
    short = bundled.explain("ал 2020 жылға дейін ше?")
    story = bundled.explain(
        "My cousin hit a policeman at a wedding, he did not know the man was police, "
        "will he be charged under the article on attacks?"
    )
    assert short is not None and story is not None
    assert [short[1][n] for n in names] == [0.0, 0.0]
    assert story[1][names[0]] > 0
