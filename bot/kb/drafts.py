"""Drafts of new entries from the experts' answers ("add to the base").

One YAML file per case, ``case-<number>.yaml``, in the knowledge-base format, written to a
drafts folder (beside the database by default: a deployed base may be read-only): the question
in its language and the expert's answer, both already free of personal data, the topic,
sources and related entries of the nearest entries, and empty questions and answers in the
other two languages. A maintainer completes it (eight ways of asking in each language), reviews
it and moves the file into ``knowledge/``, where ``adal-bot kb check`` reads it as any other.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from bot.kb.checks import MIN_QUESTIONS
from bot.kb.markup import escape, markup_problems
from bot.kb.model import LANGS, KnowledgeBase, Lang, Source
from bot.numbers import ascii_number

PREFIX = "case-"
LINE_WIDTH = 4096  # no folding: long titles and links stay on their line, as in knowledge/


def draft_path(folder: Path, number: int) -> Path:
    """Where the draft of case ``number`` is written."""
    return folder / f"{PREFIX}{number}.yaml"


def draft_id(number: int) -> str:
    """The draft entry's id (a maintainer may choose a lasting one before committing it)."""
    return f"expert-{PREFIX}{number}"


@dataclass(frozen=True)
class Draft:
    """A draft file: its case, entry id, topic, first question and the languages filled in."""

    path: Path
    number: int
    entry_id: str
    topic: str
    question: str
    langs: tuple[Lang, ...]  # the languages with questions and an answer


def _source(source: Source) -> CommentedMap:
    node = CommentedMap(title=CommentedMap(source.title))
    if source.article:
        node["article"] = CommentedMap(source.article)
    if source.urls:
        node["url"] = CommentedMap(source.urls)
    elif source.url:
        node["url"] = source.url
    return node


def _block(text: str) -> str:
    """Text as a YAML block (``|``), trailing spaces off each line."""
    lines = (line.rstrip() for line in text.strip().splitlines())
    block: str = LiteralScalarString("\n".join(lines))
    return block


def _header(number: int, lang: Lang, asked: date, nearest: str | None) -> str:
    others = ", ".join(other for other in LANGS if other != lang)
    context = f"the nearest entry, {nearest}" if nearest else "no nearest entry: choose them"
    return "\n".join(
        [
            f"# Draft from expert case #{number}, asked in {lang} on {asked.isoformat()}, written",
            "# by 'add to the base'. The question and the answer had personal data removed; read",
            "# them once more. Before it goes into knowledge/ (this file as it is, or its entry",
            "# in a topic's file):",
            f"# - write the questions and the answer in {others};",
            f"# - give every language at least {MIN_QUESTIONS} ways of asking, as people write;",
            f"# - check the topic, the sources and related entries (from {context}),",
            "#   the id and `reviewed` (the day a person checked it against its sources);",
            "# - run `adal-bot kb check`.",
            "",
        ]
    )


def write_draft(
    folder: Path,
    *,
    number: int,
    lang: Lang,
    question: str,
    answer: str,
    kb: KnowledgeBase,
    nearest: Iterable[str],
    asked: date,
    today: date,
) -> Path:
    """Write the draft of case ``number`` (``question`` in ``lang`` and the expert's
    ``answer``, both redacted) into ``folder``; raises FileExistsError when it was written
    before, OSError when it cannot be."""
    entries = [e for e in (kb.get(i) for i in nearest) if e is not None]
    first = entries[0] if entries else None
    topic = first.topic if first else next(iter(kb.topics), "")
    pattern = first or next(iter(kb.by_topic(topic)), None)
    entry = CommentedMap(id=draft_id(number), topic=topic, reviewed=today)
    if entries:
        entry["related"] = [e.id for e in entries]
    entry["sources"] = [_source(s) for s in (pattern.sources if pattern else ())]
    if markup_problems(answer):
        answer = escape(answer)
    for each in LANGS:
        texts = CommentedMap(questions=[], answer="")
        if each == lang:
            texts = CommentedMap(questions=[" ".join(question.split())], answer=_block(answer))
        entry[each] = texts
    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = LINE_WIDTH
    out = io.StringIO()
    yaml.dump(CommentedSeq([entry]), out)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = draft_path(folder, number)
    with path.open("x", encoding="utf-8") as handle:
        # the list at the left margin, as in the topics' files
        body = textwrap.dedent(out.getvalue())
        handle.write(_header(number, lang, asked, first.id if first else None) + body)
    return path


def _filled(node: Any) -> bool:
    return (
        isinstance(node, dict)
        and bool(node.get("questions"))
        and isinstance(node.get("answer"), str)
        and bool(node["answer"].strip())
    )


def read_drafts(folder: Path) -> list[Draft]:
    """The drafts in ``folder``, by case number (a file being edited into a broken state is
    listed with what can be read of it)."""
    drafts = []
    for path in folder.glob(f"{PREFIX}*.yaml"):
        number = ascii_number(path.stem.removeprefix(PREFIX))
        if number is None:
            continue
        try:
            data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        except (YAMLError, UnicodeDecodeError):
            data = None
        entry = data[0] if isinstance(data, list) and data and isinstance(data[0], dict) else {}
        langs = tuple(lang for lang in LANGS if _filled(entry.get(lang)))
        questions = [q for lang in langs for q in entry[lang]["questions"]]
        drafts.append(
            Draft(
                path,
                number,
                str(entry.get("id", "")),
                str(entry.get("topic", "")),
                str(questions[0]) if questions else "",
                langs,
            )
        )
    return sorted(drafts, key=lambda d: d.number)
