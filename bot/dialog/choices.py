"""Reading a typed choice among buttons: a check's step options or a clarifying question's
entries, in any language and in Latin letters too ("2", "второй", "да", "not sure", "joq",
"the family one")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.i18n import Catalogs, Translate
from bot.kb.model import LANGS
from bot.matching.function_words import ALL_STOPWORDS, NEGATIONS, QUESTION_WORDS
from bot.matching.normalize import fold, prepare, words
from bot.matching.scripts import has_latin, latin_to_cyrillic

OPTION_WORDS = 6  # a typed choice ("да", "я член семьи госслужащего") has at most this many words
TYPED_WORD_STEM = 4  # a typed word this long may end otherwise than the label's ("уверена")
ENDING = 2  # ... by this many letters at most ("семью" for "семьи")
OTHER_WORDS = 1  # an option named by its words: this many other words may come with them
CONTRACTIONS = {"m": "am", "re": "are", "ve": "have", "ll": "will"}  # "I'm" is "I am"
SPELLINGS = {"ия": "иа"}  # folded: Kazakh "ия" is "иә" as it is said
ARTICLES = frozenset(("a", "an", "the"))  # left out as often as typed: "I am civil servant"
ORDINALS = {  # folded, from the first option: "второй", "екіншісі", "the second one"
    number: frozenset(fold(word) for word in spelled.split())
    for number, spelled in enumerate(
        (
            "first 1st первый первая первое первую бірінші біріншісі birinshi",
            "second 2nd второй вторая второе вторую екінші екіншісі ekinshi",
            "third 3rd третий третья третье третью үшінші үшіншісі ushinshi",
        )
    )
}
ORDINAL_FILLERS = frozenset(  # around a number or an ordinal: "вариант 2", "the second one"
    map(fold, ("the", "one", "option", "number", "вариант", "номер", "нұсқа", "нөмір"))
)
CHOICE_DIGITS = 2  # a typed number this short may be a button's ("380" is an article: a question)
# folded, after the fillers: "2", "2-й", "2й", "2nd", "2-ші" ("-ші" is dropped by fold)
_NUMBERED = re.compile(
    rf"(\d{{1,{CHOICE_DIGITS}}}) ?(?:st|nd|rd|th|и|ои|ыи|ии|я|ая|ья|е|ое|ю|ую|ши|шы|инши|ынши)?"
)


def typed_option(labels: Sequence[Sequence[str]], text: str, *, loose: bool = False) -> int | None:
    """The number (from 0) of the one option that a short typed message names, given each
    option's labels (one per language): its number from 1 ("2") or its ordinal ("второй",
    "the second one"), its label's first words ("да" for "Да, я госслужащий", "not sure",
    "joq"), or else words inside it ("білмеймін" for "Нақты білмеймін"); with ``loose``, also
    content words found in one option's labels only, in any order ("the family one"). A label
    typed whole, or but for its first word ("I'm a civil servant"), is read first. None when
    none or several fit.

    >>> typed_option([["Да, я госслужащий", "Yes"], ["Нет", "No"]], "2")
    1
    >>> typed_option([["Подарки коллегам"], ["Подарки семье"]], "второй")
    1
    >>> typed_option([["Gifts at work"], ["Gifts to family"]], "the family one", loose=True)
    1
    """
    typed = _words(text)
    if not typed or len(typed) > OPTION_WORDS:
        return None
    if (number := typed_number(text)) is not None:
        return number - 1 if 0 < number <= len(labels) else None
    said = {w for w in typed if w not in ORDINAL_FILLERS}
    ordinal = [n for n, spelled in ORDINALS.items() if said and said <= spelled]
    if ordinal:
        return ordinal[0] if ordinal[0] < len(labels) else None
    options = [(n, _words(label)) for n, texts in enumerate(labels) for label in texts]
    fits_in = (_whole, _begins, _within, _contains) if loose else (_whole, _begins, _within)
    for fits in fits_in:
        for reading in readings(text):
            fitting = {number for number, label in options if fits(label, reading)}
            if len(fitting) == 1:
                return fitting.pop()
    return None


def typed_number(text: str) -> int | None:
    """The number that a message typed for a button spells ("2", "2.", "№2", "²", "②", "2-й",
    "2nd", "вариант 2", "option 2", "нұсқа 2"); None for anything else, and for a number of
    more than CHOICE_DIGITS digits (an article's, or a line of 5,000 digits).

    >>> typed_number("вариант ²"), typed_number("2-й"), typed_number("380")
    (2, 2, None)
    """
    said = [word for word in words(text) if word not in ORDINAL_FILLERS]
    found = _NUMBERED.fullmatch(" ".join(said))
    return None if found is None else int(found[1])


def no_such_button(_: Translate, number: int, count: int) -> str:
    """What a typed ``number`` that none of the ``count`` buttons shown has is told: the
    numbers there are."""
    if count == 1:
        return _(
            "There is no button {number}: type 1 (the only button) or your question.",
            number=number,
        )
    return _(
        "There is no button {number}: type a number from 1 to {count}, or your question.",
        number=number,
        count=count,
    )


def typed_button(catalogs: Catalogs, msgids: Sequence[str], text: str) -> int | None:
    """The number (from 0) of the button labelled ``msgids`` that a typed message names, each
    label read in every language ("да", "иә" or "yes" for "Yes, …"; see :func:`typed_option`)."""
    return typed_option([[catalogs.translator(lang)(m) for lang in LANGS] for m in msgids], text)


def named_option(
    phrases: Sequence[Sequence[str]], text: str, labels: Sequence[Sequence[str]] = ()
) -> int | None:
    """The number of the option that a short typed message names by one of its ``phrases``
    (each option's, any language): every word of the phrase among the typed ones, in any
    order and form ("моя жена" for "жена", "мы оба там работаем" for "оба работаем"), with
    little else (see :func:`_says_little_else`; the option's own words, its phrases' and
    ``labels``', do not count: "yes" in "yes I took" for "Yes, or it was left with me"), so
    that a question with an option's words ("can a civil servant accept gifts", "citizen
    gifts?") is no answer. Of several, the one with the longest phrase found ("қайын атам"
    is an in-law, not "атам"); None when none fits, or several equally.

    >>> named_option([["брат", "атам"], ["жена"], ["қайын атам"]], "менің қайын атам")
    2
    >>> named_option([["брат"], ["жена"]], "брат и жена") is None
    True
    >>> named_option([["civil servant"], ["wife"]], "can civil servant accept gifts") is None
    True
    """
    found = readings(text)
    if not found[0] or len(found[0]) > OPTION_WORDS:
        return None
    spare = 0 if text.rstrip().endswith("?") else OTHER_WORDS
    longest: dict[int, int] = {}
    for number, options in enumerate(phrases):
        own = [w for said in (*options, *(labels[number] if labels else ())) for w in _words(said)]
        for phrase in options:
            wanted = _words(phrase)
            if wanted and any(
                all(any(_same(w, t) for t in typed) for w in wanted)
                and _says_little_else(typed, own, spare)
                for typed in found
            ):
                longest[number] = max(longest.get(number, 0), len(wanted))
    best = max(longest.values(), default=0)
    fits = [number for number, size in longest.items() if size == best]
    return fits[0] if len(fits) == 1 else None


def begins_label(labels: Sequence[str], text: str) -> bool:
    """Whether a typed message of two words or more is the beginning of one of ``labels``
    ("back to the check" for "▶ Back to the check (question 2)")."""
    found = [reading for reading in readings(text) if len(reading) >= 2]
    return any(_begins(_words(label), reading) for label in labels for reading in found)


def readings(text: str) -> list[list[str]]:
    """The words of a typed message, and of its Latin letters read as Cyrillic ("joq" as
    жоқ, "artqa" as артқа), folded."""
    typed = _words(text)
    return [typed, words(latin_to_cyrillic(prepare(text)))] if has_latin(text) else [typed]


def _words(text: str) -> list[str]:
    """Folded words, English contractions spelt out ("I'm" as "i am"), "ия" as "иә", and no
    articles ("I am civil servant" is "I'm a civil servant")."""
    spelt = (CONTRACTIONS.get(word, SPELLINGS.get(word, word)) for word in words(text))
    return [word for word in spelt if word not in ARTICLES]


def _says_little_else(typed: list[str], own: list[str], spare: int) -> bool:
    """Whether the typed words, but for ``own`` and function words, are at most ``spare``
    words, none of them a question word or a "no" ("no, a visitor" is no "Yes: … applicant",
    "who is an applicant" no answer)."""
    others = [w for w in typed if not any(_same(w, o) for o in own)]
    if any(w in QUESTION_WORDS or w in NEGATIONS for w in others):
        return False
    return sum(w not in ALL_STOPWORDS for w in others) <= spare


def _whole(label: list[str], typed: list[str]) -> bool:
    """Whether the typed words are the whole label, or all of it but its first word ("I'm a
    civil servant" for "Yes, I'm a civil servant", which "I'm a civil servant's family member"
    merely begins with)."""
    return len(typed) >= len(label) - 1 and _begins(label[len(label) - len(typed) :], typed)


def _within(label: list[str], typed: list[str]) -> bool:
    """Whether the typed words appear in the label one after another (see :func:`_begins`)."""
    return any(_begins(label[start:], typed) for start in range(1, len(label)))


def _begins(label: list[str], typed: list[str]) -> bool:
    """Whether the label's first words are the typed ones; a word of TYPED_WORD_STEM letters
    or more may differ in its ending ("уверена" for "уверен(а)")."""
    return len(label) >= len(typed) and all(_same(a, b) for a, b in zip(typed, label, strict=False))


def _contains(label: list[str], typed: list[str]) -> bool:
    """Whether every content word typed is a word of the label, in any order ("family" in
    "Does the gift ban cover family members?")."""
    content = [w for w in typed if w not in ALL_STOPWORDS and w not in ORDINAL_FILLERS]
    return bool(content) and all(any(_same(w, v) for v in label) for w in content)


def _same(a: str, b: str) -> bool:
    """The same word; or one of TYPED_WORD_STEM letters or more beginning the other, or the
    two alike but for their last ENDING letters ("семью" and "семьи")."""
    if a == b:
        return True
    if min(len(a), len(b)) < TYPED_WORD_STEM:
        return False
    stem = max(TYPED_WORD_STEM - 1, max(len(a), len(b)) - ENDING)
    return a.startswith(b) or b.startswith(a) or a[:stem] == b[:stem]
