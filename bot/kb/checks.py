"""Checks that span entries: duplicates, dangling references, lengths, markup, coverage."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Container, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.kb.markup import markup_problems, paragraphs, visible_length
from bot.kb.model import (
    ADDRESSES,
    DANGLING,
    FOLLOW_UP_JUMPS,
    FRAME,
    LANGS,
    PERSONAL_GIFT_CHECK,
    WARNING,
    Checker,
    Entry,
    KnowledgeBase,
    Lang,
    LangText,
    Notice,
    NoticeText,
    Problem,
    Topic,
    line_at,
)
from bot.kb.reader import did_you_mean, typo_of
from bot.matching.normalize import words as folded_words

MESSAGE_LIMIT = 4096  # telegram.constants.MessageLimit.MAX_TEXT_LENGTH
MIN_QUESTIONS = 8
LONG_PARAGRAPH = 500  # visible characters: most of a phone screen
LONG_ANSWER = 1500  # a phone screen and a half
UNDATED = datetime.min.replace(tzinfo=UTC)  # the publish_at of a notice whose date is unreadable
REVIEW_AGE = timedelta(days=365)  # an entry reviewed longer ago is stale (kb check, admins' week)
# A line of an answer that labels sources: the bot adds the sources block itself.
SOURCES_LINE = re.compile(
    r"^[\s*_]*(sources?|источники?|дереккөз(дер)?і?)[\s*_]*:", re.IGNORECASE | re.MULTILINE
)


def question_key(question: str) -> str:
    """A question folded for duplicate detection: case, punctuation and spacing ignored."""
    return " ".join(re.findall(r"\w+", question.casefold().replace("ё", "е")))


def unknown_topic(topic: str, topics: Iterable[str]) -> str:
    """The problem of a topic key topics.yaml does not define, guessing the one meant."""
    return f"topic {topic!r} is not in topics.yaml{did_you_mean(typo_of(topic, sorted(topics)))}"


def dangling(target: str, ids: Iterable[str]) -> str:
    """The problem of a related id no entry has, guessing the one meant."""
    return f"related id {target!r} {DANGLING}{did_you_mean(typo_of(target, sorted(ids)))}"


def check_smalltalk_references(
    path: Path,
    name: str,
    smalltalk: Mapping[str, Sequence[str]],
    ids: Collection[str],
    checkers: Collection[str],
) -> list[Problem]:
    """smalltalk.yaml's references (at ``path``, reported as ``name``): each line of
    ``follow-up-jumps`` must name a list of the file and an entry of the base, and
    ``personal-gift-check`` a checker; a line naming neither would be left out unsaid."""
    line_of = _line_finder(path)
    problems = []
    for jump in smalltalk.get(FOLLOW_UP_JUMPS, ()):
        kind, _, target = jump.partition(" ")
        if kind not in smalltalk or kind == FOLLOW_UP_JUMPS:
            problems.append(
                Problem(name, line_of(jump), f"follow-up jump {jump!r}: no list {kind!r}")
            )
        if target.strip() not in ids:
            message = f"follow-up jump {jump!r}: {dangling(target.strip(), ids)}"
            problems.append(Problem(name, line_of(jump), message))
    for checker in smalltalk.get(PERSONAL_GIFT_CHECK, ()):
        if checker not in checkers:
            guess = did_you_mean(typo_of(checker, sorted(checkers)))
            message = f"{PERSONAL_GIFT_CHECK}: no checker {checker!r}{guess}"
            problems.append(Problem(name, line_of(f"{PERSONAL_GIFT_CHECK}:"), message))
    return problems


def check_frame_lists(
    path: Path, name: str, smalltalk: Mapping[str, Sequence[str]]
) -> list[Problem]:
    """smalltalk.yaml's ``frame`` and ``addresses`` (at ``path``, reported as ``name``): a
    formula with no word would never be met, and an address must be one word (the words
    after it are a name: "dear sir" would make "sir" an address)."""
    line_of = _line_finder(path)
    problems = [
        Problem(name, line_of(item), f"{FRAME}: {item!r} has no word")
        for item in smalltalk.get(FRAME, ())
        if not folded_words(item)
    ]
    problems += [
        Problem(name, line_of(item), f"{ADDRESSES}: {item!r} must be one word")
        for item in smalltalk.get(ADDRESSES, ())
        if len(item.split()) > 1
    ]
    return problems


def _line_finder(path: Path) -> Callable[[str], int]:
    """The number of the first line of ``path`` holding a text (1 when none does)."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return lambda text: next((n for n, line in enumerate(lines, 1) if text in line), 1)


def check_entries(
    entries: list[Entry], topics: dict[str, Topic], concepts: Container[str] = ()
) -> list[Problem]:
    """Problems across entries: ids, aliases, related, required concepts, topics, questions,
    answers."""
    problems: list[Problem] = []

    def add(entry: Entry, message: str, line: int = 0) -> None:
        problems.append(Problem(entry.path, line or entry.line, f"entry {entry.id!r}: {message}"))

    owners: dict[str, Entry] = {}
    duplicates: set[int] = set()
    for entry in entries:
        if owners.get(entry.id) not in (None, entry):
            duplicates.add(id(entry))
        for name in (entry.id, *entry.aliases):
            if not name:
                continue
            if name in owners:
                first = owners[name]
                add(
                    entry,
                    f"id or alias {name!r} is already used by entry {first.id!r} "
                    f"({first.path}:{first.line})",
                    entry.lines.get("id" if name == entry.id else "aliases", 0),
                )
            else:
                owners[name] = entry
    seen_questions: dict[tuple[str, str], tuple[Entry, int]] = {}  # (entry, question index)
    for entry in (e for e in entries if id(e) not in duplicates):
        if entry.topic and topics and entry.topic not in topics:
            add(entry, unknown_topic(entry.topic, topics), entry.lines.get("topic", 0))
        for concept in entry.requires:
            if concept not in concepts:
                add(
                    entry,
                    f"requires concept {concept!r}, which concepts.yaml does not define",
                    entry.lines.get("requires", 0),
                )
        for target in dict.fromkeys(entry.related):  # an id listed twice is told once
            line = line_at(entry.related_lines, entry.related.index(target), entry.line)
            if target not in owners:
                add(entry, dangling(target, owners), line)
            elif owners[target] is entry:
                add(entry, "lists itself as related", line)
        for lang in LANGS:
            text = entry.texts.get(lang)
            if text is None:  # missing or not a mapping: the reader told
                continue
            problems.extend(_check_lang(entry, lang, text, seen_questions))
    return problems


def _check_lang(
    entry: Entry, lang: Lang, text: LangText, seen: dict[tuple[str, str], tuple[Entry, int]]
) -> list[Problem]:
    out: list[Problem] = []

    def add(message: str, line: int = 0, warning: str = "") -> None:
        out.append(
            Problem(
                entry.path, line or entry.line, f"{warning}entry {entry.id!r} [{lang}]: {message}"
            )
        )

    count = len(text.questions)
    if count < MIN_QUESTIONS:
        plural = "question" if count == 1 else "questions"
        add(f"has {count} {plural}, at least {MIN_QUESTIONS} are needed", text.line)
    for i, question in enumerate(text.questions):
        key, line = question_key(question), line_at(text.question_lines, i, entry.line)
        if not key:
            add(f"question {question!r} has no words", line)
            continue
        other, first = seen.setdefault((lang, key), (entry, i))
        if other is not entry:
            there = other.question_line(lang, other.questions(lang)[first])
            out.append(_also_of(question, lang, (entry, line), (other, there)))
        elif first != i:
            before = line_at(text.question_lines, first, entry.line)
            add(f"question {question!r} is listed twice (line {before})", line, WARNING)
    for i, answer_line in enumerate(text.answer.split("\n")):  # markup never spans lines
        for message in markup_problems(answer_line):
            add(f"answer: {message}", text.answer_line(i, entry.line))
    length = visible_length(text.answer)
    if length > MESSAGE_LIMIT:
        add(
            f"answer is {length} characters once rendered, over Telegram's {MESSAGE_LIMIT}",
            text.answer_line(0, entry.line),
        )
    return out


def _edited_later(path: str, than: str) -> bool:
    """Whether the file ``path`` was saved after ``than`` (False when either is gone)."""
    try:
        return Path(path).stat().st_mtime > Path(than).stat().st_mtime
    except OSError:
        return False


def _also_of(
    question: str, lang: str, here: tuple[Entry, int], there: tuple[Entry, int]
) -> Problem:
    """A question of two entries, told at the copy in the file saved last (the one just
    written, when two files differ), naming the other place."""
    if _edited_later(there[0].path, here[0].path):
        here, there = there, here
    (entry, line), (other, other_line) = here, there
    return Problem(
        entry.path,
        line,
        f"entry {entry.id!r} [{lang}]: question {question!r} is also a question of entry "
        f"{other.id!r} ({other.path}:{other_line})",
    )


def check_notices(notices: list[Notice], base: KnowledgeBase) -> list[Problem]:
    """Problems in notices: duplicate ids, missing languages, markup, length, unknown topics
    and entries."""
    problems: list[Problem] = []
    by_id: dict[str, list[Notice]] = defaultdict(list)
    for notice in notices:
        by_id[notice.id].append(notice)

        def add(message: str, field: str, notice: Notice = notice) -> None:
            line = notice.lines.get(field, notice.line)
            problems.append(Problem(notice.path, line, f"notice {notice.id!r}: {message}"))

        if len(by_id[notice.id]) > 1:
            problems.append(_id_used_twice(by_id[notice.id][0], notice))
        for lang in LANGS:
            text = notice.texts.get(lang)
            if text is None:  # missing or not a mapping: the reader told
                continue
            problems.extend(_check_notice_text(notice, lang, text))
        for topic in notice.topics:
            if base.topics and topic not in base.topics:
                add(unknown_topic(topic, base.topics), "topics")
        for target in notice.related:
            if base.get(target) is None:
                add(dangling(target, base.entries), "related")
    return problems


def _check_notice_text(notice: Notice, lang: str, text: NoticeText) -> list[Problem]:
    """A notice's body markup, at each line, and its length, at the body's first line."""
    out = []

    def add(message: str, index: int = 0) -> None:
        line = line_at(text.body_lines, index, notice.lines.get(lang, notice.line))
        out.append(Problem(notice.path, line, f"notice {notice.id!r}: [{lang}] {message}"))

    for i, body_line in enumerate(text.body.split("\n")):
        for message in markup_problems(body_line):
            add(f"body: {message}", i)
    length = visible_length(text.markup())
    if length > MESSAGE_LIMIT:
        add(f"title and body are {length} characters, over Telegram's {MESSAGE_LIMIT}")
    return out


def _id_used_twice(first: Notice, second: Notice) -> Problem:
    """Two notices of one id, told at the file saved last, naming the other."""
    if _edited_later(first.path, second.path):
        first, second = second, first
    return Problem(
        second.path,
        second.lines.get("id", second.line),
        f"notice {second.id!r}: id is already used by "
        f"{first.path}:{first.lines.get('id', first.line)}",
    )


def stale_notices(notices: Iterable[Notice], now: datetime, max_age: timedelta) -> list[Problem]:
    """Notices dated more than ``max_age`` before ``now`` and not marked ``archived``: they
    would reach a new subscriber as news (history belongs in an archived notice)."""
    return [
        Problem(
            n.path,
            n.lines.get("publish_at", n.line),
            f"notice {n.id!r}: publish_at is more than "
            f"{max_age.days} days in the past; mark it 'archived: true' or date it anew",
        )
        for n in notices
        if not n.archived and UNDATED < n.publish_at < now - max_age  # unreadable: told already
    ]


def _name(item: Entry | Checker) -> str:
    return f"{'checker' if isinstance(item, Checker) else 'entry'} {item.id!r}"


def stale_entries(
    entries: Iterable[Entry | Checker], today: date, max_age: timedelta
) -> list[Problem]:
    """Entries and checkers whose ``reviewed`` date is more than ``max_age`` before ``today``,
    as warnings: a person should check them against their sources again."""
    return [
        Problem(
            e.path,
            e.line,
            f"{WARNING}{_name(e)}: stale, "
            f"reviewed {e.reviewed.isoformat()}, more than {max_age.days} days ago",
        )
        for e in entries
        if date.min < e.reviewed < today - max_age  # date.min: unread, told already
    ]


def future_reviews(entries: Iterable[Entry | Checker], today: date) -> list[Problem]:
    """Entries and checkers ``reviewed`` after ``today`` (a day later for time zones): a typo."""
    return [
        Problem(
            e.path,
            e.lines.get("reviewed", e.line),
            f"{_name(e)}: reviewed {e.reviewed.isoformat()} is in the future",
        )
        for e in entries
        if e.reviewed > today + timedelta(days=1)
    ]


def style_warnings(entries: Iterable[Entry]) -> list[Problem]:
    """What reads badly on a phone without being an error, as problems whose message starts
    with ``warning:``: a paragraph over LONG_PARAGRAPH or an answer over LONG_ANSWER visible
    characters, and a sources line the bot would repeat in its own sources block."""
    warnings: list[Problem] = []
    for entry in entries:
        for lang, text in entry.texts.items():

            def warn(
                message: str,
                index: int,
                entry: Entry = entry,
                lang: str = lang,
                text: LangText = text,
            ) -> None:
                line = text.answer_line(index, entry.line)
                warnings.append(
                    Problem(entry.path, line, f"{WARNING}entry {entry.id!r} [{lang}]: {message}")
                )

            length = visible_length(text.answer)
            if length > LONG_ANSWER:
                warn(f"answer is {length} characters, over {LONG_ANSWER} (a screen and a half)", 0)
            starts = _paragraph_starts(text.answer)
            for number, paragraph in enumerate(paragraphs(text.answer), start=1):
                size = visible_length(paragraph)
                if size > LONG_PARAGRAPH:
                    message = f"paragraph {number} is {size} characters, over {LONG_PARAGRAPH}"
                    warn(message, line_at(starts, number - 1, 0))
            found = SOURCES_LINE.search(text.answer)
            if found:
                message = "answer has a sources line; the bot adds the sources block itself"
                warn(message, text.answer.count("\n", 0, found.start()))
    return warnings


def _paragraph_starts(text: str) -> tuple[int, ...]:
    """The index of each paragraph's first line among the lines of ``text`` (as
    :func:`paragraphs` splits it)."""
    starts, blank = [], True
    for index, line in enumerate(text.split("\n")):
        if line.strip() and blank:
            starts.append(index)
        blank = not line.strip()
    return tuple(starts)
