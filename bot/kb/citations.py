"""Article numbers and phone numbers in answers, checker outcomes and notices that no source
of the base cites: an invented «ст. 13-7» or hotline would reach users unchanged.

What the base cites is read from its sources: the numbers in each source's ``title`` and
``article``, and the phone numbers in its ``contacts``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.kb.model import Checker, Entry, KnowledgeBase, Notice, Problem, Source, line_at

_NUMBER = r"\d{1,4}(?:-\d{1,2})?"  # 412, 412-1, 13-7
_JOINT = r"\s*(?:,|–|—|\bи\b|\bили\b|\band\b|\bor\b|\bжәне\b|\bнемесе\b)\s*"
_NUMBERS = rf"{_NUMBER}(?:{_JOINT}{_NUMBER})*"  # «ст. 412 и 412-1», «379–380-бап»
# «ст. 13», «статья 412-1», "Art. 14", "Arts. 412 and 412-1", "Article 380-1"
_ARTICLE_BEFORE = re.compile(
    rf"(?<!\w)(?:ст\.|стать\w*|статей|arts?\.|articles?)\s*({_NUMBERS})", re.IGNORECASE
)
# «412-1 бап», «12-бабы», «12 және 14-баптар»
_ARTICLE_AFTER = re.compile(rf"(?<![\w-])({_NUMBERS})\s*-?\s*ба[пб]", re.IGNORECASE)
# A full phone number: 8-800-555-35-35, +7 (7172) 12-34-56, 87001234567.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+7|8)[\s(-]*\d{3,4}[\s)-]*\d{2,3}[\s-]*\d{2}[\s-]*\d{2}(?![\w-])"
)
# A line that says whom to call or where to report: its short numbers (1424, 115) are hotlines.
_CONTACT_LINE = re.compile(
    r"телефон|номер|нөмір|горяч\w*\s+лини|\bcall|колл-?центр|hotline|helpline|phone|dial|звон|"
    r"қоңырау|байланыс\s+орталығ|обращаться|жүгін|contact",
    re.IGNORECASE,
)
_HOTLINE = re.compile(r"(?<![\w.,/+-])\d{3,4}(?![\w/-]|[.,]\d|\s*%)")  # not 410-V, 2,778
_LINK = re.compile(r"\]\([^)]*\)|https?://\S+")
_YEAR = re.compile(r"(19|20)\d\d")
_UNCITED_ARTICLE = (
    "article {} is cited by no source of the base; "
    "add the source that has it (its 'article'), or correct the number"
)
_UNCITED_PHONE = (
    "phone number {} is given by no source of the base; "
    "add it to the 'contacts' of the source that gives it, or correct it"
)


def article_numbers(text: str) -> set[str]:
    """The article numbers ``text`` cites, in kk, ru or en form, with the code named or not."""
    found: set[str] = set()
    for pattern in (_ARTICLE_BEFORE, _ARTICLE_AFTER):
        for match in pattern.finditer(text):
            found.update(re.findall(_NUMBER, match.group(1)))
    return found


def _digits(number: str) -> str:
    """A phone number as its digits, +7 written as the 8 dialled inside Kazakhstan."""
    digits = re.sub(r"\D", "", number)
    return "8" + digits[1:] if len(digits) == 11 and digits.startswith("7") else digits


def phone_numbers(text: str) -> dict[str, str]:
    """The phone numbers and hotlines ``text`` gives: their digits, each to how it is written
    (years are no hotlines)."""
    found: dict[str, str] = {}
    for line in _LINK.sub(" ", text).split("\n"):
        for match in _PHONE.finditer(line):
            found.setdefault(_digits(match.group(0)), match.group(0))
        if _CONTACT_LINE.search(line):
            rest = _PHONE.sub(" ", line)
            numbers = {m.group(0) for m in _HOTLINE.finditer(rest)} - article_numbers(rest)
            found.update((n, n) for n in sorted(numbers) if not _YEAR.fullmatch(n))
    return found


@dataclass(frozen=True)
class Cited:
    """What the sources of a base cite: article numbers and phone numbers (digits)."""

    articles: frozenset[str]
    phones: frozenset[str]


def cited_by(sources: Iterable[Source]) -> Cited:
    """The article and phone numbers ``sources`` cite in their titles, articles and contacts."""
    articles: set[str] = set()
    phones: set[str] = set()
    for source in sources:
        for text in (*source.title.values(), *source.article.values()):
            articles |= article_numbers(text)
            phones |= set(phone_numbers(text))
        phones |= {_digits(contact) for contact in source.contacts}
    return Cited(frozenset(articles), frozenset(phones))


def _all_sources(base: KnowledgeBase) -> Iterator[Source]:
    for entry in base.entries.values():
        yield from entry.sources
    for checker in base.checkers.values():
        for outcome in checker.outcomes.values():
            yield from outcome.sources


def _uncited(
    text: str, lines: tuple[int, ...], default: int, cited: Cited
) -> list[tuple[int, str]]:
    """(line, message) for each article or phone number ``text`` gives that ``cited`` lacks;
    ``lines`` are the file's lines of its lines."""
    out = []
    for i, line_text in enumerate(text.split("\n")):
        line = line_at(lines, i, default) or default
        articles = sorted(article_numbers(line_text) - cited.articles)
        phones = sorted(n for d, n in phone_numbers(line_text).items() if d not in cited.phones)
        out += [(line, _UNCITED_ARTICLE.format(number)) for number in articles]
        out += [(line, _UNCITED_PHONE.format(number)) for number in phones]
    return out


def check_citations(base: KnowledgeBase) -> list[Problem]:
    """Article and phone numbers in answers, outcomes and notices that no source cites."""
    cited = cited_by(_all_sources(base))
    problems = []
    for item, lang, text, lines, default in _texts(base):
        name = _name(item)
        for line, message in _uncited(text, lines, default, cited):
            problems.append(Problem(item.path, line, f"{name} [{lang}]: {message}"))
    return problems


def _name(item: Entry | Checker | Notice) -> str:
    kind = {Entry: "entry", Checker: "checker", Notice: "notice"}[type(item)]
    return f"{kind} {item.id!r}"


def _texts(
    base: KnowledgeBase,
) -> Iterator[tuple[Entry | Checker | Notice, str, str, tuple[int, ...], int]]:
    """(item, language, text, its lines, the line when they are not known) of each answer,
    outcome and notice of the base."""
    for entry in base.entries.values():
        for lang, lang_text in entry.texts.items():
            default = entry.lines.get(lang, entry.line)
            yield entry, lang, lang_text.answer, lang_text.answer_lines, default
    for checker in base.checkers.values():
        for name, outcome in checker.outcomes.items():
            for lang, body in outcome.texts.items():
                default = checker.node_lines.get(name, checker.line)
                yield checker, lang, body, outcome.lines.get(lang, ()), default
    for notice in base.notices.values():
        for lang, notice_text in notice.texts.items():
            text = f"{notice_text.title}\n{notice_text.body}"
            lines = (notice_text.title_line, *notice_text.body_lines)
            yield notice, lang, text, lines, notice.lines.get(lang, notice.line)
