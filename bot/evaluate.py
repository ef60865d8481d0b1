"""Scoring the matcher on a labelled set (``tests/data/eval.jsonl``).

Each line is ``{"q": text, "expect": [entry ids], "lang": "kk"|"ru"|"en", "kind": str}``
(``lang`` and ``kind`` optional, any other key an error, see :data:`CASE_FORMAT`);
``expect: []`` means the bot must not answer. An answer is right when its entry id is one of
the expected ids (aliases resolve); a *wrong* answer names another entry, the worst failure.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import OneLineError
from bot.kb.model import LANGS, KnowledgeBase
from bot.matching import Matcher, MatchResult

EVERYDAY_WORD = "everyday-word"  # a single common word (wordfreq), not a line people wrote
ABSTAIN_KINDS = frozenset({"out-of-scope", "near-domain", "chatter", EVERYDAY_WORD})


class EvalFileError(OneLineError, ValueError):
    """An evaluation file, or a line of it, or a saved run, cannot be read."""


@dataclass(frozen=True)
class Case:
    """One labelled question."""

    q: str
    lang: str
    expect: tuple[str, ...]
    kind: str
    line: int
    source: str = ""  # the file it was read from

    @property
    def where(self) -> str:
        """``file:line`` of the case (``line N`` when it was not read from a file)."""
        return f"{self.source}:{self.line}" if self.source else f"line {self.line}"


@dataclass(frozen=True)
class Outcome:
    """A case and what the matcher made of it."""

    case: Case
    result: MatchResult
    expected: frozenset[str]

    @property
    def in_scope(self) -> bool:
        """The case expects an answer."""
        return bool(self.case.expect)

    @property
    def right(self) -> bool:
        """Answered an expected entry, or abstained when it had to (a crash is never right)."""
        if self.result.failed:
            return False
        if self.in_scope:
            return self.result.entry_id in self.expected
        return self.result.entry_id is None

    @property
    def wrong(self) -> bool:
        """Answered with an entry that was not expected."""
        return self.result.entry_id is not None and self.result.entry_id not in self.expected


CASE_FORMAT = (
    'one JSON object a line: {"q": "the question", "expect": ["an-entry-id"], "lang": "ru", '
    '"kind": "plain"}; "expect": [] when the bot must not answer; "lang" (kk, ru or en) and '
    '"kind" are optional'
)
_CASE_KEYS = frozenset({"q", "expect", "lang", "kind"})


def load_cases(path: Path, base: KnowledgeBase | None = None) -> list[Case]:
    """Read a JSONL evaluation file (see CASE_FORMAT); with ``base``, every expected id must be
    an entry (or alias) of it. Raises :class:`EvalFileError` naming each bad line."""
    cases = []
    problems = []
    for number, raw in enumerate(_utf8_text(Path(path)).splitlines(), 1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except ValueError as exc:
            problems.append(f"{path}:{number}: not JSON ({exc})")
            continue
        problem = _case_problem(data, base)
        if problem:
            problems.append(f"{path}:{number}: {problem}")
            continue
        cases.append(
            Case(
                data["q"],
                data.get("lang", ""),
                tuple(data["expect"]),
                data.get("kind", ""),
                number,
                str(path),
            )
        )
    if problems:
        more = f"\n… and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise EvalFileError("\n".join(problems[:10]) + more + f"\nExpected {CASE_FORMAT}.")
    return cases


def _utf8_text(path: Path) -> str:
    """The text of ``path``; :class:`EvalFileError` at the line of a byte not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise EvalFileError(f"{path}:{line}: not UTF-8 text: save the file as UTF-8") from None


def _case_problem(data: object, base: KnowledgeBase | None) -> str | None:
    """What is wrong with one parsed line, or None."""
    if not isinstance(data, dict):
        return "not a JSON object"
    unknown = sorted(set(data) - _CASE_KEYS)
    if unknown:
        return f"unknown key(s) {', '.join(map(repr, unknown))}"
    q, expect = data.get("q"), data.get("expect")
    if not isinstance(q, str) or not q.strip():
        return "'q' must be non-empty text"
    if not isinstance(expect, list) or not all(isinstance(i, str) and i for i in expect):
        return "'expect' must be a list of entry ids ([] when the bot must not answer)"
    if base is not None:
        missing = [i for i in expect if base.resolve(i) is None]
        if missing:
            return f"'expect' names {', '.join(map(repr, missing))}: no entry of the base"
    if data.get("lang", "kk") not in LANGS:
        return f"'lang' must be one of {', '.join(LANGS)}"
    if not isinstance(data.get("kind", ""), str):
        return "'kind' must be text"
    return None


@dataclass(frozen=True)
class Thresholds:
    """The gate: minimum accuracy per language, minimum abstention, maximum wrong rate, and a
    minimum share right for some kinds (``{"situation": 0.9}``)."""

    min_accuracy: float | None = None
    min_abstention: float | None = None
    max_wrong: float | None = None
    min_kind: Mapping[str, float] = field(default_factory=dict)


class Report:
    """The figures of one evaluation run."""

    def __init__(self, outcomes: list[Outcome], unknown_ids: set[str]) -> None:
        self.outcomes = outcomes
        self.unknown_ids = unknown_ids

    def accuracy_by_lang(self) -> dict[str, tuple[int, int]]:
        """(right, total) over in-scope cases, per language."""
        return _tally((o.case.lang, o.right) for o in self.outcomes if o.in_scope)

    def accuracy_by_kind(self) -> dict[str, tuple[int, int]]:
        """(right, total) per kind; for out-of-scope kinds, right means abstained."""
        return _tally((o.case.kind or "-", o.right) for o in self.outcomes)

    def abstention(self) -> tuple[int, int]:
        """(abstained, total) over the cases that expect no answer (ABSTAIN_KINDS)."""
        found = [o for o in self.outcomes if not o.in_scope and o.case.kind in ABSTAIN_KINDS]
        return sum(o.right for o in found), len(found)

    def wrong(self) -> list[Outcome]:
        """Cases answered with an entry that was not expected."""
        return [o for o in self.outcomes if o.wrong]

    def crashed(self) -> list[Outcome]:
        """Cases on which the matcher raised (and the bot would have abstained)."""
        return [o for o in self.outcomes if o.result.failed]

    def missed(self) -> list[Outcome]:
        """In-scope cases left unanswered."""
        return [
            o
            for o in self.outcomes
            if o.in_scope and o.result.entry_id is None and not o.result.failed
        ]

    def language_detection(self) -> tuple[int, int]:
        """(right, total) of detected languages against the cases' labels."""
        labelled = [o for o in self.outcomes if o.case.lang in LANGS]
        return sum(o.result.lang == o.case.lang for o in labelled), len(labelled)

    def failures(self, gate: Thresholds) -> list[str]:
        """Why the run fails ``gate`` (empty when it passes)."""
        crashes = len(self.crashed())
        problems = [f"the matcher crashed on {crashes} case(s)"] if crashes else []
        if gate.min_accuracy is not None:
            for lang, (right, total) in sorted(self.accuracy_by_lang().items()):
                if total and right / total < gate.min_accuracy:
                    problems.append(
                        f"accuracy [{lang}] {right / total:.1%} < {gate.min_accuracy:.1%}"
                    )
        kinds = self.accuracy_by_kind()
        for kind, least in sorted(gate.min_kind.items()):
            right, total = kinds.get(kind, (0, 0))
            if not total:
                problems.append(f"no case of kind {kind!r}")
            elif right / total < least:
                problems.append(f"right [{kind}] {right / total:.1%} < {least:.1%}")
        abstained, total = self.abstention()
        if gate.min_abstention is not None and total and abstained / total < gate.min_abstention:
            problems.append(f"abstention {abstained / total:.1%} < {gate.min_abstention:.1%}")
        wrong_rate = len(self.wrong()) / max(len(self.outcomes), 1)
        if gate.max_wrong is not None and wrong_rate > gate.max_wrong:
            problems.append(f"wrong answers {wrong_rate:.1%} > {gate.max_wrong:.1%}")
        return problems

    def lines(self, *, cases: bool = True) -> list[str]:
        """The report as text lines for a maintainer; without the lines of the cases that
        crashed, were answered wrong or missed unless ``cases`` (a held-out set is not read)."""
        out = [f"{len(self.outcomes)} cases"]
        out += _section("top-1 accuracy per language (in-scope)", self.accuracy_by_lang())
        out += _section(
            "right per kind (answered an expected entry, or abstained when none)",
            self.accuracy_by_kind(),
        )
        abstained, total = self.abstention()
        out.append(
            f"abstention on out-of-scope, near-domain and chatter: {_rate(abstained, total)}"
        )
        wrong = self.wrong()
        out.append(
            f"wrong answers: {len(wrong)} ({len(wrong) / max(len(self.outcomes), 1):.1%}"
            " of all cases)"
        )
        out.append(f"language detected: {_rate(*self.language_detection())}")
        if self.unknown_ids:
            out.append("expected ids not in the base: " + ", ".join(sorted(self.unknown_ids)))
        if self.crashed():
            out.append(f"matcher crashes: {len(self.crashed())} (counted as failures)")
        for title, found in (
            ("CRASHED", self.crashed()),
            ("WRONG", wrong),
            ("MISSED", self.missed()),
        ):
            if found and cases:
                out.append(f"\n{title}:")
                out += [_describe(o) for o in found]
        return out


def _tally(pairs: Iterable[tuple[str, bool]]) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for key, right in pairs:
        counts[key][0] += right
        counts[key][1] += 1
    return {key: (right, total) for key, (right, total) in counts.items()}


def _rate(right: int, total: int) -> str:
    return f"{right}/{total} = {right / total:.1%}" if total else "n/a"


def _section(title: str, figures: dict[str, tuple[int, int]]) -> list[str]:
    return [
        f"{title}:",
        *(f"  {key:<16} {_rate(*value)}" for key, value in sorted(figures.items())),
    ]


def _describe(o: Outcome) -> str:
    r = o.result
    got = r.entry_id or ("small talk: " + r.smalltalk if r.smalltalk else "-")
    hint = f" suggested {', '.join(r.suggestions)}" if r.suggestions else ""
    return (
        f"  {o.case.where} [{o.case.lang}/{o.case.kind}] {o.case.q!r}\n"
        f"    expected {', '.join(o.case.expect) or 'no answer'}; got {got} "
        f"(score {r.score:.1f}, lang {r.lang}){hint}"
    )


def save_run(report: Report, path: Path) -> None:
    """Write what the matcher answered on each case (for ``eval --compare`` later)."""
    rows = [
        {"line": o.case.line, "q": o.case.q, "got": o.result.entry_id, "right": o.right}
        for o in report.outcomes
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def read_run(path: Path) -> list[dict[str, object]]:
    """The outcomes saved by :func:`save_run`; :class:`EvalFileError` when ``path`` holds
    none."""
    try:
        rows = json.loads(_utf8_text(path))
    except ValueError as exc:
        raise EvalFileError(f"{path}: not JSON ({exc}): {_SAVED}") from None
    if not isinstance(rows, list) or not all(
        isinstance(row, dict) and row.keys() >= _RUN_KEYS for row in rows
    ):
        raise EvalFileError(f"{path}: not a saved run: {_SAVED}")
    return rows


_RUN_KEYS = frozenset({"line", "q", "got", "right"})
_SAVED = "give a file written by `adal-bot eval … --save FILE`"


@dataclass(frozen=True)
class Flips:
    """What changed since a saved run, each as a line: the cases whose outcome changed, the
    cases new since (a reworded question is one) and the cases gone."""

    changed: list[str]
    new: list[str]
    gone: list[str]

    def lines(self) -> list[str]:
        """Every line, the changed cases first."""
        return [*self.changed, *self.new, *self.gone]


def flipped(report: Report, rows: list[dict[str, object]]) -> Flips:
    """What changed since a run read by :func:`read_run` (see :class:`Flips`)."""
    before = dict(zip(_occurrences(str(row["q"]) for row in rows), rows, strict=True))
    now = dict(zip(_occurrences(o.case.q for o in report.outcomes), report.outcomes, strict=True))
    flips = Flips([], [], [])
    for key, o in now.items():
        old = before.get(key)
        got = o.result.entry_id or "-"
        expected = f"(expected {', '.join(o.case.expect) or 'none'})"
        if old is None:
            verdict = "right" if o.right else "wrong"
            flips.new.append(f"NEW {o.case.where}: {o.case.q!r}: {got} {expected}: {verdict}")
        elif (old["got"], old["right"]) != (o.result.entry_id, o.right):
            mark = "FIXED" if o.right else "BROKEN" if old["right"] else "CHANGED"
            flips.changed.append(
                f"{mark} {o.case.where}: {o.case.q!r}: {old['got'] or '-'} -> {got} {expected}"
            )
    flips.gone.extend(
        f"GONE line {row['line']}: {row['q']!r}" for key, row in before.items() if key not in now
    )
    return flips


def _occurrences(questions: Iterable[str]) -> list[tuple[str, int]]:
    """Each question with how many times it came before: a question asked twice in a file
    (with two labels, say) is two cases, compared each with its own."""
    seen: Counter[str] = Counter()
    keys = []
    for question in questions:
        keys.append((question, seen[question]))
        seen[question] += 1
    return keys


def evaluate(kb: KnowledgeBase, cases: list[Case], matcher: Matcher | None = None) -> Report:
    """Run every case through the matcher and collect the outcomes."""
    matcher = matcher or Matcher(kb)
    outcomes = []
    unknown: set[str] = set()
    for case in cases:
        expected = set()
        for entry_id in case.expect:
            resolved = kb.resolve(entry_id)
            if resolved is None:
                unknown.add(entry_id)
            expected.add(resolved or entry_id)
        outcomes.append(Outcome(case, matcher.match(case.q), frozenset(expected)))
    return Report(outcomes, unknown)
