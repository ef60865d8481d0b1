"""Character n-gram profiles: pieces of words, and likeness that survives endings and typos."""

from __future__ import annotations

import pytest

from bot.matching.ngrams import EntryProfiles, pieces
from bot.matching.normalize import words


def folded(text: str) -> str:
    return " ".join(words(text))


@pytest.fixture(scope="module")
def profiles() -> EntryProfiles:
    return EntryProfiles(
        [
            [
                [folded("Құқық қорғау органы қызметкерінің өміріне қол сұғу")],
                [folded("Посягательство на жизнь сотрудника полиции")],
            ],
            [
                [folded("Мемлекеттік қызметші сыйлық ала ала ма?")],
                [folded("Может ли госслужащий принимать подарки?")],
            ],
            [
                [folded("Туыстар бір органда жұмыс істей ала ма?")],
                [folded("Могут ли родственники работать в одном органе?")],
                [],
            ],
        ]
    )


def test_pieces_of_padded_words() -> None:
    assert pieces("ана") == {" ан": 1, "ана": 1, "на ": 1}
    assert pieces("ана ана")["ана"] == 2
    assert pieces("a") == {" a ": 1}  # a one-letter word is one piece, whole


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("полицейдин омирине кол сугу", 0),  # other endings, no Kazakh letters
        ("сыйлыктарды алуга бола ма", 1),  # plural + accusative
        ("подарками", 1),  # a Russian ending the base never wrote
        ("родствиники в одном органи", 2),  # typos
    ],
)
def test_likeness_survives_endings_and_typos(
    profiles: EntryProfiles, text: str, entry: int
) -> None:
    found = profiles.similarity(folded(text), range(3))
    assert max(found, key=found.__getitem__) == entry, found
    assert all(0.0 <= value <= 1.0 + 1e-9 for value in found.values())


def test_identical_text_is_most_alike_and_unrelated_text_is_not(profiles: EntryProfiles) -> None:
    same = profiles.similarity(folded("Посягательство на жизнь сотрудника полиции"), [0])[0]
    assert same == pytest.approx(1.0)  # its own language's profile, not diluted by Kazakh
    assert profiles.similarity(folded("xyz qqq"), range(3)) == {0: 0.0, 1: 0.0, 2: 0.0}
    assert profiles.similarity("", [1]) == {1: 0.0}
