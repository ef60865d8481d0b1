"""Whose relatives a message names, and whether they are the official's family a gift went
to (whom the family gift rule is about).

- Owned by someone the official deals with: "a pupil's parents gave me a gift card",
  "родители моего ученика", "оқушымның ата-анасы". Their words are left out of the ranking:
  the message is read as a gift from the pupil's side (:func:`others_kin`).
- The giver: "a present from my parents", "от родителей", "ата-аналардан", the bare Kazakh
  plural "ата-аналар" (parents in general, a class's parents), and a relative the writer is
  named right after as the one given to ("тесть подарил мне", "қайын атам маған берді").
- The official: "my sister works at the tax office", "мой отец аким села", "қызым әкімдікте",
  when neither the writer ("I", "мне", "маған") nor another relative is named: the relative is
  the official the gift went to, which is the gift ban's case.

The last two do not make a message the family rule's (:func:`not_receiving_kin`), but their
words stay in the ranking: "my brother works in my department" is still about relatives.
Which words are relatives, people an official deals with, or an official's post or workplace
comes from the concepts of the base (:attr:`~bot.matching.config.MatchConfig.kin_concepts`,
``giver_concepts`` and ``official_concepts``); this module knows only the grammar of kk, ru
and en.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from bot.matching.normalize import fold

Role = Literal["kin", "giver", "official"]

# words between a relative and its owner: "parents OF MY pupil", "родители МОЕГО ученика"
# (folded, as the message's words are)
_EN_LINKS = frozenset(
    fold("of my our one a an the his her their this that these those some member members").split()
)
_RU_LINKS = frozenset(
    fold(
        "моего моей моих нашего нашей наших одного одной одних этого этой этих того той тех его "
        "её их своего своей своих"
    ).split()
)
# the genitive of a Russian noun or of a noun made of an adjective ("ученика", "учеников",
# "пациентки", "заявителя", "госслужащего")
_RU_GENITIVE = tuple(fold("а я ов ев ей ы и ого его их ых").split())
# the Kazakh genitive, folded (-ның/-нің/-дың/-дің/-тың/-тің), and "my" before it (-ым/-им/-м)
_KK_GENITIVE = ("нын", "нин", "дын", "дин", "тын", "тин")
_KK_MY = ("ым", "им", "м")
_MAX_LINKS = 3  # "of my own", "of one of"
# "from (my) parents", "от (моих) родителей"
_FROM = frozenset(fold("from от").split())
# the Kazakh ablative, folded (-дан/-ден/-тан/-тен/-нан/-нен)
_KK_ABLATIVE = ("дан", "ден", "тан", "тен", "нан", "нен")
# the bare Kazakh plural of "parents" (no "my" after it): a class's parents, not one's own
_KK_PARENTS = frozenset(fold("аналар аналарга аналардан аналармен").split())
# a relative who works somewhere: "my wife works at", "сестра работает в", "ағам істейді"
_WORKS = frozenset(
    fold(
        "works work working employed serves работает работают работала работал служит трудится "
        "истеиди истеитин жумыс кызмет"
    ).split()
)
# the dative: Russian (-у/-ю/-е), and Kazakh (-ға/-ге/-на/-не/-ма/-ме with "my"; -е is both)
_RU_DATIVE = ("у", "ю", "е")
# the Russian plural dative ("детям", "родителям", "сестрам"); -ам only from six letters, as
# Kazakh "my" makes анам, апам, балам
_RU_PLURAL_DATIVE = "ям"
_RU_PLURAL_DATIVE_AM = "ам"
_MIN_AM_DATIVE = 6
_KK_DATIVE = ("га", "ге", "на", "не", "ма", "ме")
# the writer named (not as an owner, "my"): the gift may be the writer's business, and the
# relative not the one it went to ("a businessman I inspect gave her…", "мне подарили")
_WRITER = frozenset(fold("i im me us я мне нам мен менин маган мага биз бизге").split())
# the writer as the one given to, right after a relative: "тесть подарил мне", "қайын атам
# маған сыйлық берді", "my uncle gave me": the relative is the giver
_TO_WRITER = frozenset(fold("me мне маган мага").split())
# another one given to: the relative told the writer of a gift to him or her ("жена сказала
# мне, что ей подарили")
_TO_OTHER = frozenset(fold("him her ему ей оган").split())


def others_kin(folded: list[str], role: Callable[[str], Role | None]) -> set[int]:
    """The places in ``folded`` of relative words owned by someone the official deals with: a
    giver's Kazakh genitive or English "'s" before them ("оқушымның ата-анасы", "a pupil's
    parents"), or a Russian genitive or English "of" after them ("родители ученика", "the
    family of my patient")."""
    roles = [role(word) for word in folded]
    return _owned(folded, roles, role) if "kin" in roles else set()


def not_receiving_kin(
    folded: list[str], role: Callable[[str], Role | None], window: int = 4, to_writer: int = 2
) -> set[int]:
    """The places in ``folded`` of relative words that are not the family a gift went to:
    the giver (also one with "me" / "мне" / "маған" within ``to_writer`` words after it), or
    the official: a workplace, post or "works" within ``window`` words after it (see the
    module's text)."""
    roles = [role(word) for word in folded]
    if "kin" not in roles:
        return set()
    left: set[int] = set()
    for at, word in enumerate(folded):
        if roles[at] == "kin" and (
            _gives(folded, at) or word in _KK_PARENTS or _gives_writer(folded, at, roles, to_writer)
        ):
            left |= _relative_at(at, roles)
    officials = [
        at
        for at in range(len(folded))
        if roles[at] == "kin" and at not in left and _is_official(folded, at, roles, role, window)
    ]
    if officials and _WRITER.isdisjoint(folded):
        named = {at for at, r in enumerate(roles) if r == "kin" and at not in left}
        relative = set().union(*(_relative_at(at, roles) for at in officials))
        if named <= relative:  # no other relative the gift may have gone to
            left |= relative
    return left


def _relative_at(at: int, roles: list[Role | None]) -> set[int]:
    """The places of the relative named at ``at``: with the kin words before it ("ата-аналар"
    is two words)."""
    places = {at}
    while at > 0 and roles[at - 1] == "kin":
        at -= 1
        places.add(at)
    return places


def _gives(folded: list[str], at: int) -> bool:
    """Whether the relative at ``at`` is the giver: "from (my) parents", "от родителей",
    "әкемнен"."""
    word = folded[at]
    if not word.isascii() and word.endswith(_KK_ABLATIVE) and len(word) > 5:
        return True
    before, links = at - 1, 0
    while before >= 0 and links < _MAX_LINKS and folded[before] not in _FROM:
        if folded[before] not in _EN_LINKS and folded[before] not in _RU_LINKS:
            return False
        before -= 1
        links += 1
    return before >= 0 and folded[before] in _FROM


def _gives_writer(folded: list[str], at: int, roles: list[Role | None], window: int) -> bool:
    """Whether the relative at ``at`` gave to the writer: "me" / "мне" / "маған" within
    ``window`` words after it, with no other relative, nor a post or workplace, between them
    ("жолдасым прокуратурада, маған … сыйлапты" names the official, not the giver), and no
    one else given to in the message."""
    if _is_dative(folded[at]) or not _TO_OTHER.isdisjoint(folded):
        return False
    for i in range(at + 1, min(at + 1 + window, len(folded))):
        if folded[i] in _TO_WRITER:
            return True
        if roles[i] is not None or folded[i] in _WORKS:
            return False
    return False


def _is_official(
    folded: list[str],
    at: int,
    roles: list[Role | None],
    role: Callable[[str], Role | None],
    window: int,
) -> bool:
    """Whether the relative at ``at`` is said to be an official: a workplace, a post or "works"
    within a few words after it ("my sister works at", "отец аким", "қызым әкімдікте"). Not a
    relative of an official ("жена акима", "the wife of our department head", "шенеуніктің
    әйелі"), nor one owning the next word ("my son's teacher", "анамның мерейтойы"), nor one
    given to ("сыну подарил", "әйеліме")."""
    word = folded[at]
    if (
        folded[at + 1 : at + 2] == ["s"]
        or word.endswith(_KK_GENITIVE)
        or _is_dative(word)
        or _owned_by_next(folded, at, roles, "official")
        or (at > 0 and _owns_next(folded[at - 1], folded, at - 1, roles, role, "official"))
    ):
        return False
    for i, after in enumerate(folded[at + 1 : at + 1 + window], at + 1):
        if after in _WORKS or roles[i] == "official":
            return True
    return False


def _is_dative(word: str) -> bool:
    """Whether a Cyrillic relative word is in the dative, the receiver's case: Russian
    "сыну", "жене", "маме", "детям", "сестрам"; Kazakh "әйеліме", "анама", "ағасына"."""
    if word.isascii():
        return False
    return (
        word.endswith(_RU_DATIVE)
        or word.endswith(_RU_PLURAL_DATIVE)
        or (len(word) >= _MIN_AM_DATIVE and word.endswith(_RU_PLURAL_DATIVE_AM))
        or (len(word) >= 5 and word.endswith(_KK_DATIVE))
    )


def _owned(
    folded: list[str], roles: list[Role | None], role: Callable[[str], Role | None]
) -> set[int]:
    """The places of relative words owned by someone the official deals with: a giver's
    Kazakh genitive or English "'s" before them ("оқушымның ата-анасы", "a pupil's parents"),
    or a Russian genitive or English "of" after them ("родители ученика", "the family of my
    patient")."""
    owned: set[int] = set()
    for at, word in enumerate(folded):
        if _owns_next(word, folded, at, roles, role):
            after = at + 2 if folded[at + 1 : at + 2] == ["s"] else at + 1
            while after < len(folded) and roles[after] == "kin":
                owned.add(after)
                after += 1
        if roles[at] == "kin" and _owned_by_next(folded, at, roles):
            owned |= _relative_at(at, roles)
    return owned


def _owns_next(
    word: str,
    folded: list[str],
    at: int,
    roles: list[Role | None],
    role: Callable[[str], Role | None],
    owner_role: Role = "giver",
) -> bool:
    """Whether ``word``, someone of ``owner_role``, owns the words after it: with "'s", or in
    the Kazakh genitive."""
    if roles[at] == owner_role and folded[at + 1 : at + 2] == ["s"]:
        return True
    if roles[at] == "kin" or not word.endswith(_KK_GENITIVE):
        return False
    bare = word[:-3]
    candidates = [bare, *(bare[: -len(my)] for my in _KK_MY if bare.endswith(my))]
    return any(len(stem) >= 3 and role(stem) == owner_role for stem in candidates)


def _owned_by_next(
    folded: list[str], at: int, roles: list[Role | None], owner_role: Role = "giver"
) -> bool:
    """Whether the relative at ``at`` is owned by someone of ``owner_role`` after it: "of (my)
    pupil", "(моего) ученика"."""
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
    if owner_role == "official" and after + 1 < len(folded) and roles[after] != owner_role:
        after += 1  # one word before the official: "of a public official", "главного врача"
    if after >= len(folded) or roles[after] != owner_role:
        return False
    owner = folded[after]
    return saw_of if english else owner.endswith(_RU_GENITIVE)
