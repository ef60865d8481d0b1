"""Whose relatives a message names (bot/matching/kinship.py)."""

from __future__ import annotations

import pytest

from bot.matching import Matcher
from bot.matching.config import DEFAULT
from bot.matching.kinship import Role, not_receiving_kin, others_kin
from bot.matching.normalize import words

KIN = {"parents", "family", "wife", "ата", "анасы", "родители", "жене", "туыстары"}
KIN |= {"sister", "husband", "мама", "папам", "сестра", "отец", "сыну", "кызым", "аналар"}
KIN |= {"аналардан", "акем", "аелим", "жена", "родителеи", "ата", "анамнын"}
KIN |= {"тест", "uncle", "агам", "куиеуим", "детям"}
GIVERS = {"pupil", "patient", "client", "окушы", "наукас", "клиент", "ученика", "клиента"}
OFFICIAL = {"tax", "office", "аким", "акимате", "акимдикте", "official", "госслужащего"}
OFFICIAL |= {"директор", "мугалим", "баскармадан", "шенеуниктин", "шенеуник"}


def role(word: str) -> Role | None:
    if word in KIN:
        return "kin"
    return "giver" if word in GIVERS else "official" if word in OFFICIAL else None


@pytest.mark.parametrize(
    ("text", "owned"),
    [
        ("a pupil's parents gave me a gift card", {"parents"}),
        ("the parents of my pupil gave me a card", {"parents"}),
        ("the family of a patient paid for my trip", {"family"}),
        ("оқушымның ата-анасы маған сыйлық берді", {"ата", "анасы"}),
        ("науқастың туыстары ақша берді", {"туыстары"}),
        ("родители моего ученика подарили мне сертификат", {"родители"}),
        ("жене клиента подарили духи", {"жене"}),
    ],
)
def test_relatives_of_a_giver_are_theirs(text: str, owned: set[str]) -> None:
    folded = words(text)
    assert {folded[at] for at in others_kin(folded, role)} == owned


@pytest.mark.parametrize(
    "text",
    [
        "my wife got a gift from a client",  # the official's wife receives
        "моей жене клиент подарил духи",  # "клиент" is not a genitive: the client gives
        "a client gave my parents a sheep",
        "менің әйелім сыйлық алды",  # my own (менің is no giver)
        "parents pupil",  # no "'s", no "of": whose is not said
    ],
)
def test_the_officials_own_relatives_stay(text: str) -> None:
    assert others_kin(words(text), role) == set()


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("a present from my parents", {"parents"}),  # the giver
        ("от родителей подарок", {"родителей"}),
        ("ата-аналардан сыйлық алдым", {"ата", "аналардан"}),
        ("ата-аналар мұғалімге сыйлық берді", {"ата", "аналар"}),  # a class's parents
        ("my sister works at the tax office, can she keep a watch", {"sister"}),  # the official
        ("мой отец аким села, ему носят мясо", {"отец"}),
        ("қызым әкімдікте, кәсіпкер оған телефон берді", {"кызым"}),
        ("тесть подарил мне часы", {"тесть"}),  # the writer given to, right after: the giver
        ("my uncle gave me a watch", {"uncle"}),
        ("ағам маған сағат сыйлады", {"агам"}),
    ],
)
def test_relatives_who_gave_or_are_the_official_are_not_the_family_a_gift_went_to(
    text: str, left: set[str]
) -> None:
    folded = words(text)
    assert {folded[at] for at in not_receiving_kin(folded, role)} == set(words(" ".join(left)))


@pytest.mark.parametrize(
    "text",
    [
        "my husband works at the tax office, can i accept a carpet",  # the writer receives
        "мой муж работает в акимате, а мне подарили сертификат",
        "жена акима может принимать подарки",  # a relative of an official
        "the wife of a public official",
        "шенеуніктің әйелі сыйлық ала ма",
        "папам в акимате работает, мама подарок алса",  # another relative may have it
        "сыну на выпускной директор подарил телефон",  # the dative: the son was given to
        "анамның мерейтойына басқармадан кәсіпкер кілем әкелді",  # her jubilee
        "my wife got a gift from a client",
        "әйелім сыйлық алса маған бола ма",  # the wife took it; the writer comes three words on
        "жена сказала мне, что ей подарили духи",  # given to her
        "күйеуім полицияда істейді, маған бір таныс телефон сыйлады",  # works: the official
        "коллега подарил детям игрушки, мне что-то будет?",  # the plural dative: given to
    ],
)
def test_the_family_a_gift_went_to_stays(text: str) -> None:
    assert not_receiving_kin(words(text), role) == set()


def test_the_concepts_named_in_the_config_are_the_bases(bundled: Matcher) -> None:
    concepts = bundled.kb.concepts
    assert set(DEFAULT.kin_concepts) <= set(concepts)
    assert set(DEFAULT.giver_concepts) <= set(concepts)
    assert set(DEFAULT.official_concepts) <= set(concepts)


@pytest.mark.parametrize(
    "text",
    [
        "A pupil's parents gave me a gift card",
        "Родители моего ученика подарили мне сертификат",
        "Оқушымның ата-анасы маған сыйлық берді",  # round 14: was 2 points behind the family rule
    ],
)
def test_a_gift_from_a_pupils_family_ranks_the_gift_ban_first(bundled: Matcher, text: str) -> None:
    """Before, the family words ranked gifts-family-members (gifts to the official's family)
    first for all three."""
    assert bundled.search(text, limit=1)[0][0] == "gifts-any-value-ban"


@pytest.mark.parametrize(
    "text",
    [
        "my wife got a gift from a client",
        "Мемлекеттік қызметшінің ата-анасы сыйлық ала ала ма?",
        "Можно ли жене госслужащего принимать подарки",
        "my husband works at the tax office, can i accept a carpet",  # the writer receives
    ],
)
def test_a_gift_to_the_officials_family_still_ranks_the_family_entry(
    bundled: Matcher, text: str
) -> None:
    assert bundled.search(text, limit=1)[0][0] == "gifts-family-members"


@pytest.mark.parametrize(
    "text",
    [
        "Can my husband, he's deputy head at the regional police, accept a watch from friends?",
        "Сестра работает в налоговой, коллектив подарил ей сертификат. Это запрещено?",
        "Мұғаліммін, ата-аналардан сыйлыққа кілем алдым, бола ма?",
        "Қайын ағам маған туған күніме сағат сыйлады, мен әкімдікте істеймін, алуға бола ма?",
    ],
)
def test_a_gift_to_a_relative_who_is_the_official_is_the_gift_bans(
    bundled: Matcher, text: str
) -> None:
    """Before, the relative's word ranked the family rule first for each (round 19)."""
    assert bundled.search(text, limit=1)[0][0] == "gifts-any-value-ban"


def test_a_relative_who_is_the_official_still_asks_about_relatives(bundled: Matcher) -> None:
    """The relative's words stay in the ranking: only the family gift rule is not met."""
    text = "My brother works at the akimat in my department, he would be my boss. Is that allowed?"
    assert bundled.search(text, limit=1)[0][0] == "relatives-same-agency"
