"""Situation checkers in ``knowledge/checkers/``: reading them and checking that every path
ends in an outcome, in all three languages, with buttons that fit a phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap

from bot.kb.checks import dangling, unknown_topic
from bot.kb.model import (
    LANGS,
    Checker,
    CheckerOption,
    CheckerOutcome,
    CheckerStep,
    KnowledgeBase,
    Lang,
    Problem,
    line_at,
)
from bot.kb.reader import (
    Reader,
    did_you_mean,
    item_line,
    key_line,
    node_line,
    read_date,
    read_sources,
    text_lines,
    typo_of,
    valid_id,
    yaml_files,
)

CHECKERS_DIR = "checkers"
LABEL_LIMIT = 40  # characters of a button label or title: what a phone shows on one line
MAX_CHECKER_ID = 24  # with the longest path, the button data stays far below Telegram's 64 bytes
MAX_OPTIONS = 5
MAX_DEPTH = 9  # questions on one path: a choice is one digit of the button data
_FIELDS = {"id", "topic", "reviewed", "title", "start", "steps", "outcomes"}
_STEP_FIELDS = {"question", "options"}
_OPTION_FIELDS = {"label", "next", "words"}
_OPTION_REQUIRED = {"label", "next"}
_OUTCOME_FIELDS = {"related", "sources", *LANGS}


def _texts(r: Reader, path: Path, node: Any, line: int, what: str) -> dict[Lang, str]:
    """A kk/ru/en mapping of texts (empty when it is not one)."""
    if not r.fields(path, node, line, what, set(LANGS), set(LANGS)):
        return {}
    return {lang: r.text(path, node, lang, what) for lang in LANGS}


def _label(r: Reader, path: Path, node: Any, line: int, what: str) -> dict[Lang, str]:
    texts = _texts(r, path, node, line, what)
    for lang, text in texts.items():
        if len(text) > LABEL_LIMIT:
            r.add(path, line, f"{what} [{lang}]: {len(text)} characters, over {LABEL_LIMIT}")
    return texts


def _words(r: Reader, path: Path, option: Any, what: str) -> dict[Lang, tuple[str, ...]]:
    """The optional words people type for an option, by language (any of kk/ru/en)."""
    node = option.get("words")
    if node is None or not r.fields(path, node, key_line(option, "words"), what, set(LANGS), set()):
        return {}
    return {lang: tuple(r.str_list(path, node, lang, what)) for lang in LANGS if lang in node}


def _read_step(r: Reader, path: Path, node: Any, line: int, what: str) -> CheckerStep | None:
    if not r.fields(path, node, line, what, _STEP_FIELDS, _STEP_FIELDS):
        return None
    question = _texts(r, path, node.get("question"), key_line(node, "question"), f"{what} question")
    nodes = node.get("options")
    if not isinstance(nodes, list) or not 2 <= len(nodes) <= MAX_OPTIONS:
        r.add(path, key_line(node, "options"), f"{what}: 2 to {MAX_OPTIONS} options are needed")
        return None
    options = []
    for i, option in enumerate(nodes):
        owhat, oline = f"{what} option {i + 1}", item_line(nodes, i, node, "options")
        if r.fields(path, option, oline, owhat, _OPTION_FIELDS, _OPTION_REQUIRED):
            label = _label(r, path, option.get("label"), oline, f"{owhat} label")
            words = _words(r, path, option, f"{owhat} words")
            nxt = r.text(path, option, "next", owhat)
            options.append(CheckerOption(label, nxt, words, key_line(option, "next")))
    return CheckerStep(question, tuple(options))


def _read_outcome(r: Reader, path: Path, node: Any, line: int, what: str) -> CheckerOutcome | None:
    if not r.fields(path, node, line, what, _OUTCOME_FIELDS, _OUTCOME_FIELDS - {"related"}):
        return None
    texts = {lang: r.text(path, node, lang, f"{what} [{lang}]") for lang in LANGS}
    sources = tuple(read_sources(r, path, node, what))
    related = r.str_items(path, node, "related", what)
    return CheckerOutcome(
        texts,
        sources,
        tuple(i for i, _ in related),
        tuple(line for _, line in related),
        {lang: text_lines(node, lang, text) for lang, text in texts.items()},
    )


def _nodes(r: Reader, path: Path, data: CommentedMap, key: str, what: str) -> dict[str, Any]:
    """The ``steps`` or ``outcomes`` mapping, each id checked."""
    found = data.get(key)
    if not isinstance(found, CommentedMap) or not found:
        r.add(path, key_line(data, key), f"{what}: {key!r} must map ids to {key}")
        return {}
    for name in found:
        if not valid_id(str(name)):
            r.add(path, key_line(found, name), f"{what}: {key[:-1]} id {name!r} is not kebab-case")
    return {str(name): (node, key_line(found, name)) for name, node in found.items()}


def read_checker(r: Reader, path: Path) -> Checker | None:
    """One checker file, or None when it cannot be read at all."""
    data = r.parse(path)
    if data is None:
        return None
    raw_id = data.get("id") if isinstance(data, CommentedMap) else None
    what = f"checker {raw_id!r}" if raw_id else "checker"
    if not r.fields(path, data, 1, what, _FIELDS, _FIELDS):
        return None
    checker_id = r.text(path, data, "id", what)
    if (
        not (valid_id(checker_id) and checker_id.startswith("check-"))
        or len(checker_id) > MAX_CHECKER_ID
    ):
        r.add(
            path,
            key_line(data, "id"),
            f"{what}: id must be kebab-case, start with 'check-' "
            f"and have at most {MAX_CHECKER_ID} characters",
        )
    title = _label(r, path, data.get("title"), key_line(data, "title"), f"{what} title")
    steps, outcomes, lines = {}, {}, {}
    for name, (node, line) in _nodes(r, path, data, "steps", what).items():
        step = _read_step(r, path, node, line, f"{what} step {name!r}")
        lines[name] = line
        if step is not None:
            steps[name] = step
    for name, (node, line) in _nodes(r, path, data, "outcomes", what).items():
        outcome = _read_outcome(r, path, node, line, f"{what} outcome {name!r}")
        lines.setdefault(name, line)
        if outcome is not None:
            outcomes[name] = outcome
    return Checker(
        checker_id,
        r.text(path, data, "topic", what),
        title,
        r.text(path, data, "start", what),
        steps,
        outcomes,
        read_date(r, path, data, "reviewed", what),
        r.rel(path),
        node_line(data),
        {str(key): key_line(data, key) for key in data},
        lines,
    )


def read_checkers(r: Reader, root: Path) -> list[Checker]:
    """Every checker file under ``root/checkers``."""
    found = (read_checker(r, path) for path in yaml_files(root / CHECKERS_DIR))
    return [checker for checker in found if checker is not None]


def check_checkers(checkers: list[Checker], base: KnowledgeBase) -> list[Problem]:
    """Problems of the trees: unknown nodes, dead ends, cycles, unreachable nodes, paths too
    deep, duplicate ids, unknown topics and entries, outcomes without a source."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for checker in checkers:

        def add(message: str, line: int = 0, checker: Checker = checker) -> None:
            problems.append(
                Problem(checker.path, line or checker.line, f"checker {checker.id!r}: {message}")
            )

        if checker.id in seen:
            add("id is already used by another checker", checker.lines.get("id", 0))
        seen.add(checker.id)
        if base.topics and checker.topic not in base.topics:
            add(unknown_topic(checker.topic, base.topics), checker.lines.get("topic", 0))
        for name in set(checker.steps) & set(checker.outcomes):
            add(f"{name!r} is both a step and an outcome", checker.node_lines.get(name, 0))
        for name, outcome in checker.outcomes.items():
            if not outcome.sources:
                add(f"outcome {name!r} names no source", checker.node_lines.get(name, 0))
            for i, target in enumerate(outcome.related):
                if base.get(target) is None:
                    line = line_at(outcome.related_lines, i, checker.line)
                    add(f"outcome {name!r}: {dangling(target, base.entries)}", line)
        for line, message in _walk(checker):
            add(message, line)
    return problems


def _walk(checker: Checker) -> list[tuple[int, str]]:
    """Follow every path from the start: where one goes nowhere (with a guess among the nodes
    no path reaches), loops (each loop once) or is too deep; and, when no ``next`` goes
    nowhere or loops (it may have been meant for them), the nodes no path reaches. Each
    (line of the ``next`` or the node, message) once."""
    out: list[tuple[int, str]] = []
    reached: set[str] = set()
    loops: set[frozenset[str]] = set()
    nowhere: list[tuple[int, str, str]] = []  # (line, name, where from)

    def visit(name: str, trail: tuple[str, ...], line: int) -> None:
        if name in trail:
            loop = trail[trail.index(name) :]
            if frozenset(loop) not in loops:
                loops.add(frozenset(loop))
                out.append((line, "a cycle: " + " -> ".join((*loop, name))))
            return
        reached.add(name)
        if name in checker.outcomes:
            return
        step = checker.steps.get(name)
        if step is None:
            nowhere.append((line, name, f"from step {trail[-1]!r}" if trail else "as the start"))
            return
        if len(trail) >= MAX_DEPTH:
            out.append((line, f"a path is deeper than {MAX_DEPTH} questions at {name!r}"))
            return
        for option in step.options:
            visit(option.next, (*trail, name), option.line)

    visit(checker.start, (), checker.lines.get("start", 0))
    unreached = [name for name in [*checker.steps, *checker.outcomes] if name not in reached]
    for line, name, where in nowhere:
        hint = did_you_mean(typo_of(name, unreached))
        out.append((line, f"{name!r} ({where}) is neither a step nor an outcome{hint}"))
    if not nowhere and not loops:
        out += [
            (checker.node_lines.get(name, 0), f"{name!r} is reached by no path from the start")
            for name in unreached
        ]
    return list(dict.fromkeys(out))
