"""The maintainers' report (``adal-bot report``): what users asked that the base could not
answer, grouped by similarity, with the nearest entry as a suggestion; the answers with the
most 👎 and what people said was missing; the entries people confuse; volume per language and
topic per week; the abstention rate over time; questions becoming more frequent; the questions
still waiting for an expert and the experts' answers drafted for the base, not in it yet.

Built from the store's rows, which hold no Telegram id and only redacted text.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.kb.drafts import Draft, read_drafts
from bot.kb.model import KnowledgeBase, Lang
from bot.matching.config import DEFAULT
from bot.matching.function_words import ALL_STOPWORDS
from bot.matching.index import Index
from bot.matching.normalize import words
from bot.matching.usage import shipped
from bot.redact import PLACEHOLDERS
from bot.store import Case, Store
from bot.store.feedback import Comment
from bot.store.questions import Asked

GROUP_SIMILARITY = 0.35  # two unanswered questions this alike (0-1) are one group
MAX_EXAMPLES = 3
MAX_GROUPS = 30
RISING_FACTOR = 2.0  # this week's count against the weekly average of the weeks before
RISING_MIN = 3  # occurrences this week at least
NOTHING_BEFORE = "no questions before the last 7 days to compare with"
MIN_VARIANT_WORDS = 2  # content words a question needs to be suggested as a variant ("why?" not)
_PLACEHOLDER_WORDS = frozenset(words(" ".join(PLACEHOLDERS)))


def week_of(moment: datetime) -> date:
    """The Monday of ``moment``'s week (UTC)."""
    day = moment.date()
    return day - timedelta(days=day.weekday())


FRAME_WEIGHT = 0.01  # the least a word weighs: a question of frame words only equals itself


class _Weights:
    """How much a word tells questions apart: the inverse frequency, over the entries (and no
    entry), of its most common key in the index's documents, the base's questions and the
    tuning lines of how people ask. A word most entries are asked with ("civil servant",
    «мемлекеттік қызметші», "можно", "бола ма") frames every question and weighs little; a
    word no entry is asked with ("аренда", "rent") weighs most."""

    def __init__(self, index: Index) -> None:
        self.index = index
        found: Counter[str] = Counter()
        for documents in index.documents:
            found.update({feature for document in documents for feature in document})
        classes, power = len(index.documents), index.config.idf_power
        self.idf = {key: math.pow(math.log(classes / n), power) for key, n in found.items()}
        self.unknown = math.pow(math.log(classes), power)

    def weight(self, keys: frozenset[str]) -> float:
        """The weight of a word found by ``keys``."""
        found = min((self.idf[key] for key in keys if key in self.idf), default=self.unknown)
        return max(found, FRAME_WEIGHT)


class _Shape:
    """What a question is compared on: its content words, each as the matcher reads it (its
    forms, stems and synonym groups, :meth:`~bot.matching.index.Index.slot_keys`), weighed by
    :class:`_Weights`. The word naming a redacted detail ("ИИН [NUMBER]") is left out."""

    def __init__(self, text: str, lang: Lang, weights: _Weights) -> None:
        folded = _without_labels(words(text))
        self.slots = [
            (keys, weights.weight(keys)) for keys in weights.index.slot_keys(folded, (lang,))
        ]
        self.size = len(self.slots)  # content words
        self.total = sum(weight for _, weight in self.slots)

    def _covered(self, other: _Shape) -> float:
        """The weight of this question's words that the other one has too (a synonym, a
        stem, or a form with the same first letters)."""
        return sum(
            weight * max((_alike(keys, theirs) for theirs, _ in other.slots), default=0.0)
            for keys, weight in self.slots
        )

    def similarity(self, other: _Shape) -> float:
        """How alike two questions are, 0-1: the weight of the words both have, over the
        weight of all their words. Both ways: a question whose few words are among another's
        ("а брат?") is not alike a longer one that holds them."""
        total = self.total + other.total
        return (self._covered(other) + other._covered(self)) / total if total else 0.0


def _without_labels(folded: list[str]) -> list[str]:
    """Folded words without the redaction placeholders and the content word naming each
    ("ИИН", "тел", "passport"; none for a placeholder right after another): what a user said
    about himself, not what he asked."""
    kept: list[str] = []
    for before, word in zip(["", *folded], folded, strict=False):
        if word not in _PLACEHOLDER_WORDS:
            kept.append(word)
            continue
        while kept and kept[-1] in ALL_STOPWORDS:
            kept.pop()
        if kept and before not in _PLACEHOLDER_WORDS:
            kept.pop()
    return kept


def _alike(one: frozenset[str], other: frozenset[str]) -> float:
    """1 when two words share a key, DEFAULT.prefix_similarity when two of their forms begin
    with the same DEFAULT.prefix_length letters ("преподавать", "преподавательской"), else 0."""
    if not one.isdisjoint(other):
        return 1.0
    length = DEFAULT.prefix_length
    starts = {key[:length] for key in one if len(key) >= length}
    return DEFAULT.prefix_similarity if any(key[:length] in starts for key in other) else 0.0


@dataclass
class Group:
    """Unanswered questions that ask about the same thing."""

    questions: list[Asked] = field(default_factory=list)
    shapes: list[_Shape] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.questions)

    @property
    def langs(self) -> Counter[str]:
        return Counter(q.lang for q in self.questions)

    def examples(self, limit: int = MAX_EXAMPLES) -> list[str]:
        """A few different texts, the most recent first."""
        return list(dict.fromkeys(q.text for q in reversed(self.questions)))[:limit]

    @property
    def nearest(self) -> str | None:
        """The entry the bot most often offered first for these questions, counting only
        those it did not find off topic (a confidence of DEFAULT.off_topic_score or more):
        "honoraria for a lecture" is near no entry, whatever ranked first."""
        near = DEFAULT.off_topic_score
        firsts = Counter(q.offered[0] for q in self.questions if q.offered and q.confidence >= near)
        return firsts.most_common(1)[0][0] if firsts else None

    def suggestion(self) -> str:
        """What a maintainer might do about the group: nothing for bare words ("why?", a
        follow-up the bot could not tie to its last answer), which make no variant."""
        if max(shape.size for shape in self.shapes) < MIN_VARIANT_WORDS:
            return "too short for a variant (a follow-up word?)"
        if self.nearest:
            return f"add as a variant of {self.nearest}?"
        return "a new entry?"


def group_unanswered(questions: Iterable[Asked], index: Index) -> list[Group]:
    """The unanswered questions grouped by similarity (a question joins the group it is most
    like on average over the group's questions, if that is enough), the most frequent group
    first, its words read and weighed by the base's ``index``: a synonym group's words, in
    any language, are one. On average, not its most
    similar question: a question like one of a group alone would chain another topic in."""
    weights = _Weights(index)
    groups: list[Group] = []
    for asked in questions:
        if asked.answered or not asked.text.strip():
            continue
        shape = _Shape(asked.text, asked.lang, weights)
        best, best_score = None, GROUP_SIMILARITY
        for group in groups:
            score = sum(shape.similarity(other) for other in group.shapes) / group.count
            if score >= best_score:
                best, best_score = group, score
        if best is None:
            best = Group()
            groups.append(best)
        best.questions.append(asked)
        best.shapes.append(shape)
    return sorted(groups, key=lambda g: (-g.count, -g.questions[-1].created_at.timestamp()))


@dataclass(frozen=True)
class Downvoted:
    """An answer with 👎: its votes and what people said was missing."""

    entry_id: str
    up: int
    down: int
    comments: tuple[Comment, ...]


@dataclass(frozen=True)
class Rising:
    """Something asked more often this week than before."""

    label: str  # an entry id, or an unanswered group's first example
    this_week: int
    weekly_before: float  # average per week in the weeks before


@dataclass
class Report:
    """Everything the report shows, for a period."""

    since: datetime
    until: datetime
    questions: list[Asked]
    groups: list[Group]
    downvoted: list[Downvoted]
    confusions: list[tuple[tuple[str, ...], str | None, int]]
    topics: dict[str, str]  # entry id -> topic
    waiting: list[Case] = field(default_factory=list)  # cases no expert has answered yet
    drafts: list[Draft] = field(default_factory=list)  # drafts for the base not in it yet

    @property
    def total(self) -> int:
        return len(self.questions)

    @property
    def unanswered(self) -> int:
        return sum(not q.answered for q in self.questions)

    def weeks(self) -> list[date]:
        """Every week of the period, oldest first."""
        first, last = week_of(self.since), week_of(self.until)
        return [first + timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]

    def per_week(self, key: str) -> dict[date, Counter[str]]:
        """Questions per week, counted by ``lang`` or by ``topic`` (unanswered: "—")."""
        counts: dict[date, Counter[str]] = {week: Counter() for week in self.weeks()}
        for q in self.questions:
            label = q.lang if key == "lang" else self.topics.get(q.entry_id or "", "—")
            counts.setdefault(week_of(q.created_at), Counter())[label] += 1
        return counts

    def abstention(self) -> list[tuple[date, int, int]]:
        """Per week: (week, unanswered, all)."""
        out: dict[date, list[int]] = {week: [0, 0] for week in self.weeks()}
        for q in self.questions:
            row = out.setdefault(week_of(q.created_at), [0, 0])
            row[0] += not q.answered
            row[1] += 1
        return [(week, n, total) for week, (n, total) in sorted(out.items())]

    def before_recent(self) -> timedelta:
        """How long the questions before the last seven days span: from the period's first
        question (the bot may be younger than the period) on; zero when there are none."""
        recent = self.until - timedelta(days=7)
        first = min((q.created_at for q in self.questions), default=recent)
        return max(recent - first, timedelta(0))

    def rising(self) -> list[Rising]:
        """Entries and unanswered groups asked at least RISING_MIN times in the last seven
        days and RISING_FACTOR times as often as a week before, on average; none when no
        question came before those days (nothing to compare with)."""
        span = self.before_recent()
        if not span:
            return []
        recent = self.until - timedelta(days=7)
        before_weeks = max(span.days / 7, 1.0)
        found: list[Rising] = []
        series: dict[str, list[Asked]] = defaultdict(list)
        for q in self.questions:
            if q.entry_id:
                series[q.entry_id].append(q)
        for group in self.groups:
            series["“" + group.examples(1)[0] + "”"] = group.questions
        for label, asked in series.items():
            now = sum(q.created_at >= recent for q in asked)
            before = (len(asked) - now) / before_weeks
            if now >= RISING_MIN and now >= RISING_FACTOR * before:
                found.append(Rising(label, now, round(before, 1)))
        return sorted(found, key=lambda r: (-r.this_week, r.label))


def build_report(
    store: Store,
    kb: KnowledgeBase,
    since: datetime,
    until: datetime,
    *,
    comments: int = 200,
    drafts: Path | None = None,
    index: Index | None = None,
) -> Report:
    """The report of what was asked from ``since`` to ``until``, with the cases waiting for an
    expert now and the drafts in the folder ``drafts`` whose entry is not in the base; its
    unanswered questions read by ``index``, the base's (none: one built here, with the
    shipped tuning lines)."""
    questions = [q for q in store.questions_asked(since) if q.created_at <= until]
    notes: dict[str, list[Comment]] = defaultdict(list)
    for comment in store.feedback_comments(since, limit=comments):
        notes[comment.entry_id].append(comment)
    downvoted = [
        Downvoted(entry, up, down, tuple(notes.get(entry, ())))
        for entry, (up, down) in store.feedback_counts(since).items()
        if down
    ]
    downvoted.sort(key=lambda d: (-d.down, d.up, d.entry_id))
    groups: list[Group] = []
    if any(not q.answered for q in questions):
        groups = group_unanswered(questions, index or Index(kb, usage=shipped()))[:MAX_GROUPS]
    return Report(
        since,
        until,
        questions,
        groups,
        downvoted,
        store.confusions(since),
        {e.id: e.topic for e in kb.entries.values()},
        store.waiting_cases(),
        [d for d in read_drafts(drafts) if d.entry_id not in kb.entries] if drafts else [],
    )


def waiting_line(case: Case, until: datetime) -> str:
    """A case waiting for an expert, on one line: number, language, age, taken or not."""
    age = until - (case.sent_at or case.created_at)
    taken = ", taken" if case.state == "taken" else ""
    return f"#{case.id} ({case.lang}, {age.total_seconds() / 3600:.0f} h{taken})"


def draft_line(draft: Draft) -> str:
    """A draft on one line: its case, entry id, topic and the languages written."""
    return f"case {draft.number}: {draft.entry_id} ({draft.topic}; {', '.join(draft.langs)})"


def text_lines(report: Report) -> list[str]:
    """The report as plain text."""
    share = f"{100 * report.unanswered / report.total:.0f}%" if report.total else "-"
    out = [
        f"Questions {report.since:%Y-%m-%d} to {report.until:%Y-%m-%d}: {report.total}, "
        f"not answered {report.unanswered} ({share})",
        "",
        "Unanswered questions, grouped (most frequent first):",
    ]
    for n, group in enumerate(report.groups, 1):
        langs = ", ".join(f"{lang} {count}" for lang, count in group.langs.most_common())
        out.append(f"{n:>3}. ×{group.count} ({langs}): {group.suggestion()}")
        out += [f"       “{text}”" for text in group.examples()]
    if not report.groups:
        out.append("  none")
    out += ["", "Answers with the most 👎 (👍 / 👎), and what was missing:"]
    for item in report.downvoted:
        out.append(f"  {item.entry_id}: {item.up} / {item.down}")
        out += [f"    - ({c.lang}) {c.text}" for c in item.comments[:MAX_EXAMPLES]]
    if not report.downvoted:
        out.append("  none")
    out += ["", "Entries people confuse (clarifying questions: offered → chosen):"]
    for offered, chosen, count in report.confusions:
        out.append(f"  ×{count}: {' / '.join(offered)} → {chosen or 'none chosen'}")
    if not report.confusions:
        out.append("  none")
    out += ["", "Per week: questions by language; not answered"]
    by_week = report.per_week("lang")
    for week, unanswered, total in report.abstention():
        by_lang = ", ".join(f"{lang} {n}" for lang, n in sorted(by_week[week].items()))
        rate = f"{100 * unanswered / total:.0f}%" if total else "-"
        out.append(f"  {week}: {total} ({by_lang or '-'}); not answered {unanswered} ({rate})")
    out += ["", "Per week by topic:"]
    for week, topics in report.per_week("topic").items():
        out.append(f"  {week}: " + (", ".join(f"{t} {n}" for t, n in topics.most_common()) or "-"))
    out += ["", "Becoming more frequent (last 7 days, weekly average before):"]
    rising = report.rising()
    out += [f"  {r.label}: {r.this_week} (was {r.weekly_before})" for r in rising]
    if not rising:
        out.append("  none" if report.before_recent() else f"  none: {NOTHING_BEFORE}")
    out += ["", "Questions waiting for an expert (oldest first):"]
    out += [f"  {waiting_line(c, report.until)}: “{c.text}”" for c in report.waiting]
    if not report.waiting:
        out.append("  none")
    out += ["", "Drafts for the base from the experts' answers (adal-bot drafts show N):"]
    out += [f"  {draft_line(d)}: “{d.question}”" for d in report.drafts]
    if not report.drafts:
        out.append("  none")
    return out
