"""Whose relatives a message names. "A pupil's parents gave me a gift card", "родители моего
ученика", "оқушымның ата-анасы": the relatives belong to someone the official deals with, so
they are the givers, not the official's family (whom the family gift rule is about). Their
words are left out of the ranking: the message is read as a gift from the pupil's side.

Which words are relatives and which are the people an official deals with comes from the
concepts of the base (:attr:`~bot.matching.config.MatchConfig.kin_concepts` and
``giver_concepts``); this module knows only the grammar of owning in kk, ru and en.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from bot.matching.normalize import fold

Role = Literal["kin", "giver"]

# words between a relative and its owner: "parents OF MY pupil", "родители МОЕГО ученика"
# (folded, as the message's words are)
_EN_LINKS = frozenset(
    fold("of my our one a an the his her their this that these those some").split()
)
_RU_LINKS = frozenset(
    fold(
        "моего моей моих нашего нашей наших одного одной одних этого этой этих того той тех его "
        "её их своего своей своих"
    ).split()
)
# the genitive of a Russian noun ("ученика", "учеников", "пациентки", "заявителя")
_RU_GENITIVE = tuple(fold("а я ов ев ей ы и").split())
# the Kazakh genitive, folded (-ның/-нің/-дың/-дің/-тың/-тің), and "my" before it (-ым/-им/-м)
_KK_GENITIVE = ("нын", "нин", "дын", "дин", "тын", "тин")
_KK_MY = ("ым", "им", "м")
_MAX_LINKS = 3  # "of my own", "of one of"


def others_kin(folded: list[str], role: Callable[[str], Role | None]) -> set[int]:
    """The places in ``folded`` of relative words owned by someone the official deals with:
    a giver's Kazakh genitive or English "'s" before them ("оқушымның ата-анасы", "a pupil's
    parents"), or a Russian genitive or English "of" after them ("родители ученика", "the
    family of my patient")."""
    roles = [role(word) for word in folded]
    if "kin" not in roles:
        return set()
    owned: set[int] = set()
    for at, word in enumerate(folded):
        if _owns_next(word, folded, at, roles, role):
            after = at + 2 if folded[at + 1 : at + 2] == ["s"] else at + 1
            while after < len(folded) and roles[after] == "kin":
                owned.add(after)
                after += 1
        if roles[at] == "kin" and _owned_by_next(folded, at, roles):
            owned.add(at)
            before = at - 1
            while before >= 0 and roles[before] == "kin":  # "ата-анасы" is two words
                owned.add(before)
                before -= 1
    return owned


def _owns_next(
    word: str,
    folded: list[str],
    at: int,
    roles: list[Role | None],
    role: Callable[[str], Role | None],
) -> bool:
    """Whether ``word`` owns the words after it: a giver with "'s", or in the genitive."""
    if roles[at] == "giver" and folded[at + 1 : at + 2] == ["s"]:
        return True
    if roles[at] == "kin" or not word.endswith(_KK_GENITIVE):
        return False
    bare = word[:-3]
    candidates = [bare, *(bare[: -len(my)] for my in _KK_MY if bare.endswith(my))]
    return any(len(stem) >= 3 and role(stem) == "giver" for stem in candidates)


def _owned_by_next(folded: list[str], at: int, roles: list[Role | None]) -> bool:
    """Whether the relative at ``at`` is owned by a giver after it: "of (my) pupil",
    "(моего) ученика"."""
    after, links = at + 1, 0
    english = folded[at].isascii()
    saw_of = False
    while after < len(folded) and links < _MAX_LINKS:
        word = folded[after]
        if english and word == "of":
            saw_of = True
        elif not (word in _EN_LINKS if english else word in _RU_LINKS):
            break
        after += 1
        links += 1
    if after >= len(folded) or roles[after] != "giver":
        return False
    owner = folded[after]
    return saw_of if english else owner.endswith(_RU_GENITIVE)
