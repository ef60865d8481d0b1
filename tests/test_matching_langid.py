"""Language detection: scripts, Latin Kazakh, translit, mixed messages."""

from __future__ import annotations

import pytest

from bot.matching import Matcher, detect_language
from tests.matching_kb import make_kb


@pytest.mark.parametrize(("text", "lang"), [
    ("Мемлекеттік қызметші сыйлық ала ала ма?", "kk"),
    ("мемлекеттик кызметши сыилык ала ала ма", "kk"),     # no Kazakh letters
    ("qyzmetshi syilyq ala ala ma", "kk"),                # informal Latin
    ("Можно ли госслужащему принять подарок?", "ru"),
    ("mozhno li vzyat podarok", "ru"),                    # translit
    ("Can a civil servant accept a gift?", "en"),
    ("Мемлекеттік қызметші подарок ала ала ма?", "kk"),   # mixed Kazakh and Russian
    ("сәлем", "kk"),
    ("привет", "ru"),
    ("hello", "en"),
])
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "   ", "😂", "12345", "?!"])
def test_detect_language_defaults_to_russian(text: str) -> None:
    assert detect_language(text) == "ru"


@pytest.mark.parametrize(("text", "lang"), [
    ("gjlfhjr", "ru"),           # wrong layout, read with the base's words
    ("csqks0 fkf vf", "kk"),
    ("пара", "kk"),
    ("взятка", "ru"),
    ("arandatu degen ne", "kk"),
])
def test_matcher_language_uses_the_base_vocabulary(text: str, lang: str) -> None:
    assert Matcher(make_kb()).match(text).lang == lang
