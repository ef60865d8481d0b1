"""Typed objects of the knowledge base."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from bot.kb.markup import escape
from bot.numbers import ascii_number

Lang = Literal["kk", "ru", "en"]
LANGS: tuple[Lang, ...] = ("kk", "ru", "en")
DEFAULT_LANG: Lang = "ru"  # when nothing tells the language: the most widely read here


def as_lang(code: str | None) -> Lang | None:
    """``code`` as a language of the base (``kk-KZ`` → ``kk``), or None."""
    base = (code or "").split("-")[0].lower()
    return next((lang for lang in LANGS if lang == base), None)


def line_at(lines: tuple[int, ...], index: int, default: int) -> int:
    """``lines[index]``, or ``default`` when the lines are not known (an object built in code)."""
    return lines[index] if index < len(lines) else default


DANGLING = "points to no entry"  # in every reference problem's message
FOLLOW_UP_JUMPS = "follow-up-jumps"  # smalltalk.yaml: a follow-up kind and the entry it leads to
PERSONAL_GIFT_CHECK = "personal-gift-check"  # smalltalk.yaml: the check for a personal gift
FRAME = "frame"  # smalltalk.yaml: formulas of a letter or a forward, left out around a question
ADDRESSES = "addresses"  # smalltalk.yaml: words an address begins with ("dear", «уважаемые»)
WARNING = "warning: "  # the start of a problem's message that does not stop the base loading


@dataclass(frozen=True)
class Problem:
    """One problem found in a knowledge file, printed as ``path:line: message``."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Source:
    """Where an answer's facts come from."""

    title: dict[Lang, str]
    article: dict[Lang, str] = field(default_factory=dict)
    url: str | None = None
    urls: dict[Lang, str] = field(default_factory=dict)  # its page in each language, if any
    contacts: tuple[str, ...] = ()  # the phone numbers it gives (never shown: checked against)

    def link(self, lang: Lang) -> str | None:
        """Its address for a reader of ``lang``: the page in that language, if it has one."""
        return self.urls.get(lang, self.url)


@dataclass(frozen=True)
class LangText:
    """The questions and the answer of one entry in one language."""

    questions: tuple[str, ...]
    answer: str
    question_lines: tuple[int, ...] = field(default=(), compare=False)  # each question's line
    answer_lines: tuple[int, ...] = field(default=(), compare=False)  # each answer line's line
    line: int = field(default=0, compare=False)  # the line of its ``questions`` field

    def answer_line(self, index: int, default: int) -> int:
        """The file's line of line ``index`` of the answer (``default`` when not known)."""
        return line_at(self.answer_lines, index, default)


@dataclass(frozen=True)
class Entry:
    """One question-and-answer entry, all three languages side by side."""

    id: str
    topic: str
    texts: dict[Lang, LangText]
    sources: tuple[Source, ...]
    reviewed: date
    related: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()  # concepts, one of which a message must name to get it
    path: str = ""
    line: int = 0
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # each field's line
    related_lines: tuple[int, ...] = field(default=(), compare=False)  # each related id's line

    def answer(self, lang: Lang) -> str:
        """The answer markup in ``lang``."""
        return self.texts[lang].answer

    def questions(self, lang: Lang) -> tuple[str, ...]:
        """The ways of asking in ``lang``."""
        return self.texts[lang].questions

    def question_line(self, lang: Lang, question: str) -> int:
        """The line of a question variant in its file (the entry's line when not known)."""
        text = self.texts[lang]
        return line_at(text.question_lines, text.questions.index(question), self.line)


@dataclass(frozen=True)
class Topic:
    """A topic: the key used in files and subscriptions, and its names."""

    key: str
    names: dict[Lang, str]


@dataclass(frozen=True)
class NoticeText:
    """A notice's title and body (markup) in one language."""

    title: str
    body: str
    title_line: int = field(default=0, compare=False)  # 0: not known (built in code)
    body_lines: tuple[int, ...] = field(default=(), compare=False)  # each body line's line

    def markup(self) -> str:
        """The notice as one message: the title in bold, then the body."""
        return f"**{escape(self.title)}**\n\n{self.body}"


@dataclass(frozen=True)
class Notice:
    """An update notice scheduled by a maintainer."""

    id: str
    publish_at: datetime
    topics: tuple[str, ...]
    texts: dict[Lang, NoticeText]
    related: tuple[str, ...] = ()
    archived: bool = False  # history kept for reference: never sent
    path: str = ""
    line: int = 0
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # each field's line


@dataclass(frozen=True)
class LeftOutNotice:
    """A notice file left out of the running base for its problems: not sent until fixed."""

    path: str
    problems: tuple[Problem, ...]
    id: str = ""  # "" when the file cannot be read far enough to name its notice


@dataclass(frozen=True)
class Concept:
    """Everyday words of kk/ru/en that are a kind of something the base's rules are about
    (cognac, кәмпит, a fruit basket: a gift item), and the topics it points to."""

    id: str
    topics: tuple[str, ...]
    words: dict[Lang, tuple[str, ...]]


@dataclass(frozen=True)
class CheckerOption:
    """An answer button of a checker's step: its label, the node it leads to, and words a
    typed answer may name it by ("жена" for "Супруг или супруга")."""

    label: dict[Lang, str]
    next: str
    words: dict[Lang, tuple[str, ...]] = field(default_factory=dict)
    line: int = field(default=0, compare=False)  # the line of its ``next``


@dataclass(frozen=True)
class CheckerStep:
    """A question of a checker, answered with a button."""

    question: dict[Lang, str]
    options: tuple[CheckerOption, ...]


@dataclass(frozen=True)
class CheckerOutcome:
    """Where a checker's path ends: what the rule means for this case and what to do."""

    texts: dict[Lang, str]
    sources: tuple[Source, ...]
    related: tuple[str, ...] = ()
    related_lines: tuple[int, ...] = field(default=(), compare=False)
    lines: dict[Lang, tuple[int, ...]] = field(default_factory=dict, compare=False)  # each text's


@dataclass(frozen=True)
class Checker:
    """A situation checker: a small decision tree of steps ending in outcomes."""

    id: str
    topic: str
    title: dict[Lang, str]
    start: str
    steps: dict[str, CheckerStep]
    outcomes: dict[str, CheckerOutcome]
    reviewed: date
    path: str = ""
    line: int = 0
    lines: dict[str, int] = field(default_factory=dict, compare=False)  # each field's line
    node_lines: dict[str, int] = field(default_factory=dict, compare=False)  # steps', outcomes'

    def node(self, choices: str) -> CheckerStep | CheckerOutcome | None:
        """The step or outcome reached by ``choices`` (option numbers from the start, one digit
        each), or None when they lead nowhere."""
        name = self.start
        for digit in choices:
            step, number = self.steps.get(name), ascii_number(digit, max_digits=1)
            if step is None or number is None or number >= len(step.options):
                return None
            name = step.options[number].next
        return self.steps.get(name) or self.outcomes.get(name)


@dataclass
class KnowledgeBase:
    """Everything in ``knowledge/``: entries, topics, synonyms, concepts, small talk, notices,
    checkers."""

    entries: dict[str, Entry] = field(default_factory=dict)
    topics: dict[str, Topic] = field(default_factory=dict)
    synonyms: list[tuple[str, ...]] = field(default_factory=list)
    smalltalk: dict[str, tuple[str, ...]] = field(default_factory=dict)
    notices: dict[str, Notice] = field(default_factory=dict)
    checkers: dict[str, Checker] = field(default_factory=dict)
    concepts: dict[str, Concept] = field(default_factory=dict)
    left_out: tuple[LeftOutNotice, ...] = ()  # notice files left out for their problems
    _aliases: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._aliases = {a: e.id for e in self.entries.values() for a in e.aliases}

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id or alias, or None."""
        found = self.entries.get(entry_id)
        if found is None and entry_id in self._aliases:
            found = self.entries[self._aliases[entry_id]]
        return found

    def resolve(self, entry_id: str) -> str | None:
        """The current id for an id or an alias, or None."""
        entry = self.get(entry_id)
        return entry.id if entry else None

    def left_out_notice(self, notice_id: str) -> LeftOutNotice | None:
        """The left-out file of the notice ``notice_id``, if that is why the base lacks it."""
        if notice_id in self.notices:
            return None
        return next((n for n in self.left_out if n.id == notice_id), None)

    def may_return(self, notice_id: str) -> bool:
        """Whether a notice the base lacks may come back once a file is fixed: its own file,
        or one too broken to name its notice, is left out for its problems. A notice that is
        neither is removed for good."""
        return notice_id not in self.notices and any(n.id in ("", notice_id) for n in self.left_out)

    def by_topic(self, topic: str) -> list[Entry]:
        """The entries of one topic, in file order."""
        return [e for e in self.entries.values() if e.topic == topic]
