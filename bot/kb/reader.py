"""Reading YAML nodes of the knowledge files into model values, collecting every problem
with its ``path:line`` (shared by the loaders of entries, notices and checkers)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.tokens import ScalarToken

from bot.kb.citations import article_numbers
from bot.kb.model import LANGS, WARNING, Lang, Problem, Source

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_ID_BYTES = 48  # leaves room for a callback-data prefix within Telegram's 64 bytes
ID_RULE = f"kebab-case ASCII of at most {MAX_ID_BYTES} characters"
SOURCE_FIELDS = {"title", "article", "url", "contacts"}
TYPO_SIMILARITY = 75  # rapidfuzz ratio: an unknown field this close to a missing one is its typo


def valid_id(value: str) -> bool:
    """Whether ``value`` can be an id or topic key: kebab-case, short enough for callback data."""
    return bool(ID_RE.match(value)) and len(value) <= MAX_ID_BYTES


def yaml_files(folder: Path, suffix: str = ".yaml", *, recursive: bool = False) -> list[Path]:
    """The regular ``*<suffix>`` files in ``folder`` (and its subfolders if ``recursive``),
    sorted. Hidden names are left out, as is what is not a regular file: an editor's lock
    ``.#law.yaml`` is a symlink to nowhere. Every reader of the knowledge folder lists here."""
    found = folder.rglob(f"*{suffix}") if recursive else folder.glob(f"*{suffix}")
    return sorted(
        path
        for path in found
        if not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and path.is_file()
    )


def typo_of(name: str, choices: list[str]) -> str | None:
    """The one of ``choices`` that ``name`` looks like a typo of, if any."""
    found = process.extractOne(name, choices, scorer=fuzz.ratio, score_cutoff=TYPO_SIMILARITY)
    return str(found[0]) if found else None


def did_you_mean(meant: str | None) -> str:
    """The end of a problem's message guessing what was meant (see :func:`typo_of`)."""
    return f"; did you mean {meant!r}?" if meant else ""


class _TextDates(RoundTripConstructor):
    """ruamel's round-trip constructor keeping timestamps as text: dates are parsed (and
    checked) by this module. A subclass, so other YAML readers in the process are unchanged."""


_TextDates.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


@dataclass
class Reader:
    """Collects problems while turning YAML nodes into model objects."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    unparsed: set[Path] = field(default_factory=set)  # files that are not valid YAML text
    lines: dict[Path, list[str]] = field(default_factory=dict)  # each parsed file's lines

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(Path.cwd()))
        except ValueError:
            return str(path)

    def add(self, path: Path, line: int, message: str) -> None:
        self.problems.append(Problem(self.rel(path), line, message))

    def parse(self, path: Path) -> Any:
        """The YAML of ``path``, or None (a problem added, the file noted in ``unparsed``):
        not UTF-8, not YAML, or empty."""
        yaml = YAML(typ="rt")
        yaml.Constructor = _TextDates
        data = path.read_bytes()
        text = ""
        try:
            text = data.decode("utf-8")
            self.lines[path] = text.splitlines()
            found = yaml.load(text)
            if found is not None:
                return found
            self.add(path, 1, "the file is empty")
        except MarkedYAMLError as exc:
            self.add(path, *_syntax_error(text, exc))
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.add(path, line, f"not UTF-8 text: {exc.reason}; save the file as UTF-8")
        except ReaderError as exc:  # a control character such as NUL
            line = text.count("\n", 0, exc.position) + 1
            self.add(path, line, f"a control character ({exc.character!r}) is not allowed")
        self.unparsed.add(path)
        return None

    def fields(
        self, path: Path, node: Any, line: int, what: str, allowed: set[str], required: set[str]
    ) -> bool:
        """Check a mapping's keys; False when ``node`` is not a mapping at all. An unknown key
        that looks like a typo of an allowed one not given ("reviwed") is one problem, with a
        "did you mean", not also a missing field."""
        if not isinstance(node, CommentedMap):
            self.add(path, line, f"{what}: expected a mapping")
            return False
        missing = required - set(node)
        for key in node:
            if key not in allowed:
                meant = typo_of(str(key), sorted(allowed - set(node)))
                missing.discard(meant or "")
                message = f"{what}: unknown field {key!r}{did_you_mean(meant)}"
                self.add(path, key_line(node, key), message)
        for key in sorted(missing):
            self.add(path, line, f"{what}: missing field {key!r}")
        return True

    def text(self, path: Path, node: CommentedMap, key: str, what: str) -> str:
        """The stripped text under ``key``; "" and a problem when it is not text (a missing
        key was told by :meth:`fields`)."""
        value = node.get(key)
        if key not in node:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(path, key_line(node, key), f"{what}: {key!r} must be non-empty text")
            return ""
        return value.strip()

    def str_list(self, path: Path, node: CommentedMap, key: str, what: str) -> list[str]:
        """The texts listed under ``key`` (see :meth:`str_items`)."""
        return [text for text, _ in self.str_items(path, node, key, what)]

    def str_items(
        self, path: Path, node: CommentedMap, key: str, what: str
    ) -> list[tuple[str, int]]:
        """The stripped texts listed under ``key`` (one text is a list of one), each with its
        line; an item that is empty or not text is a problem and left out."""
        value = node.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(path, key_line(node, key), f"{what}: {key!r} must be a list")
            return []
        out = []
        for i, item in enumerate(value):
            line = item_line(value, i, node, key)
            misread = self._misread(path, line, item)
            if misread:  # one problem: not also too few items
                self.add(path, line, f"{what}: {key!r} item {misread[0]!r} {misread[1]}")
                out.append((misread[0], line))
                continue
            if not isinstance(item, str) or not item.strip():
                self.add(path, line, f"{what}: {key!r} item {i + 1} is empty or not text")
                continue
            out.append((item.strip(), line))
            source = self.lines.get(path, [])
            if " - " in item and 0 < line <= len(source) and item.strip() not in source[line - 1]:
                self.add(
                    path,
                    line,
                    f"{WARNING}{what}: {key!r} item {item.strip()!r} runs over two lines and "
                    "holds ' - ': two items, one indented a space too far?",
                )
        return out

    def _misread(self, path: Path, line: int, item: Any) -> tuple[str, str] | None:
        """(the item as written, what YAML made of it) for a text item of a block list read
        as a mapping (``- Вопрос: что делать?``) or a number (``- 1424``); else None."""
        if isinstance(item, CommentedMap):
            kind = "is read as a field and its value (': ' makes one); put it in quotes"
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            kind = "is read as a number; put it in quotes"
        else:
            return None
        source = self.lines.get(path, [])
        written = source[line - 1].strip() if 0 < line <= len(source) else ""
        return (written[2:].strip(), kind) if written.startswith("- ") else None


def _syntax_error(text: str, exc: MarkedYAMLError) -> tuple[int, str]:
    """The line and message of a YAML syntax error. A quote left open is told where it opens:
    the scanner reads on to the next quote, and the error comes a line or more later."""
    mark = exc.problem_mark or exc.context_mark
    opened = exc.context_mark if exc.context == "while scanning a quoted scalar" else None
    if opened is None and exc.problem_mark is not None:
        before = _token_before(text, (exc.problem_mark.line, exc.problem_mark.column))
        quoted = isinstance(before, ScalarToken) and before.style in ('"', "'")
        if quoted and before.start_mark.line < before.end_mark.line:
            opened = before.start_mark
    if opened is not None:
        return opened.line + 1, "YAML syntax: a quote opened on this line is not closed"
    found = str(exc.problem or exc.context)
    line = mark.line + 1 if mark else 1
    if "'\\t'" in found:  # "found character '\t' that cannot start any token"
        return line, "YAML syntax: a tab; indent with spaces, not tabs"
    if found.startswith(_INDENT_ERRORS):
        return line, f"YAML syntax: {_misindented(text, exc)}"
    if found.startswith("could not find expected ':'") and exc.context_mark is not None:
        return exc.context_mark.line + 1, f"YAML syntax: {_NOT_ONE_LINE}"
    plain = next((words for start, words in _PLAIN.items() if found.startswith(start)), "")
    return line, f"YAML syntax: {plain or found}"


_INDENT_ERRORS = ("expected <block end>", "did not find expected key", "did not find expected '-'")
_NOT_ONE_LINE = (
    "a text that runs over several lines must start with '|' on the line of its field "
    "('answer: |'), and a one-line text holding ': ' must be in quotes"
)
_PLAIN = {  # the start of the YAML library's words: what is wrong and how to fix it
    "found undefined alias": (
        "a text starting with '*' (such as **bold**) or '&' must be in quotes, or, for an "
        "answer, start on the line after 'answer: |'"
    ),
    "mapping values are not allowed here": (
        "a ': ' where no field can start: indent this line like the fields above it, or put "
        "a text holding ': ' in quotes"
    ),
    "found character '@'": "a text starting with '@' must be in quotes",
    "found character '`'": "a text starting with '`' must be in quotes",
}


def _misindented(text: str, exc: MarkedYAMLError) -> str:
    """What is wrong with a line indented unlike the lines of its block: its indentation and
    the nearest ones above it (back to where the block starts), one less and one more."""
    lines = text.splitlines()
    mark = exc.problem_mark
    if mark is None or mark.line >= len(lines):
        return "a line is indented unlike the lines above it; line it up with them"
    start = exc.context_mark.line if exc.context_mark is not None else 0
    spaces = len(lines[mark.line]) - len(lines[mark.line].lstrip(" "))
    above = {
        len(line) - len(line.lstrip(" "))
        for line in lines[start : mark.line]
        if line.strip() and not line.lstrip().startswith("#")
    }
    nearest = [max((n for n in above if n < spaces), default=None)]
    nearest.append(min((n for n in above if n > spaces), default=None))
    shown = " or ".join(str(n) for n in nearest if n is not None)
    return (
        f"this line is indented {spaces} spaces, the lines above it {shown}: "
        "line it up with the field or list item it belongs to"
    )


def _token_before(text: str, where: tuple[int, int]) -> Any:
    """The last YAML token that starts before ``where`` (line, column), or None."""
    before = None
    try:
        for token in YAML(typ="rt").scan(text):
            if (token.start_mark.line, token.start_mark.column) >= where:
                break
            before = token
    except MarkedYAMLError:
        pass
    return before


def text_lines(node: CommentedMap, key: str, text: str) -> tuple[int, ...]:
    """The line of each line of ``text``, the stripped text under ``key``: a literal block's
    (``|``) lines follow one another from the line after the key; any other text is all on
    its key's line (a folded or quoted text's lines are not the file's)."""
    value, line = node.get(key), key_line(node, key)
    count = text.count("\n") + 1
    if not isinstance(value, LiteralScalarString):
        return (line,) * count
    first = line + 1 + value[: len(value) - len(value.lstrip())].count("\n")
    return tuple(range(first, first + count))


def key_line(node: CommentedMap | CommentedSeq, key: str) -> int:
    """1-based line of ``key`` in a mapping (the mapping's own line when absent)."""
    try:
        return int(node.lc.key(key)[0]) + 1
    except (KeyError, AttributeError, TypeError):
        return node_line(node)


def item_line(seq: Any, index: int, parent: CommentedMap | CommentedSeq, key: str) -> int:
    """1-based line of item ``index`` of a sequence."""
    try:
        return int(seq.lc.item(index)[0]) + 1
    except (KeyError, AttributeError, TypeError):
        return key_line(parent, key)


def node_line(node: Any) -> int:
    """1-based line where a mapping or sequence starts."""
    try:
        return int(node.lc.line) + 1
    except AttributeError:
        return 1


def read_date(r: Reader, path: Path, node: CommentedMap, key: str, what: str) -> date:
    """The date under ``key``; ``date.min`` when missing (told by Reader.fields) or not a
    date (a problem)."""
    raw = node.get(key)
    if key not in node:
        return date.min
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        r.add(path, key_line(node, key), f"{what}: {key!r} must be a date YYYY-MM-DD, got {raw!r}")
        return date.min


def read_sources(r: Reader, path: Path, entry: CommentedMap, what: str) -> list[Source]:
    nodes = entry.get("sources")
    if not isinstance(nodes, list) or not nodes:
        r.add(path, key_line(entry, "sources"), f"{what}: 'sources' must list at least one source")
        return []
    sources = []
    for i, node in enumerate(nodes):
        line = item_line(nodes, i, entry, "sources")
        swhat = f"{what}: source {i + 1}"
        if not r.fields(path, node, line, swhat, SOURCE_FIELDS, {"title"}):
            continue
        title = node.get("title")
        titles: dict[Lang, str] = {}
        if r.fields(path, title, key_line(node, "title"), f"{swhat} title", set(LANGS), set(LANGS)):
            titles = {lang: r.text(path, title, lang, f"{swhat} title") for lang in LANGS}
        url = node.get("url")
        urls: dict[Lang, str] = {}
        if isinstance(url, CommentedMap):  # a page per language
            if r.fields(path, url, key_line(node, "url"), f"{swhat} url", set(LANGS), set(LANGS)):
                urls = {lang: r.text(path, url, lang, f"{swhat} url") for lang in LANGS}
            url = None
        for address in [url] if url is not None else urls.values():
            if not str(address).startswith(("https://", "http://")):
                r.add(path, key_line(node, "url"), f"{swhat}: url must start with http(s)://")
        articles: dict[Lang, str] = {}
        if "article" in node and r.fields(
            path,
            node.get("article"),
            key_line(node, "article"),
            f"{swhat} article",
            set(LANGS),
            set(LANGS),
        ):
            articles = {
                lang: r.text(path, node["article"], lang, f"{swhat} article") for lang in LANGS
            }
            numbers = {lang: article_numbers(text) for lang, text in articles.items()}
            if len({frozenset(found) for found in numbers.values()}) > 1:
                shown = ", ".join(f"{lang} {sorted(found)}" for lang, found in numbers.items())
                r.add(
                    path,
                    key_line(node, "article"),
                    f"{swhat}: its article numbers differ between languages ({shown})",
                )
        contacts = _contacts(r, path, node, swhat)
        sources.append(
            Source(titles, articles, str(url) if url is not None else None, urls, contacts)
        )
    return sources


def _contacts(r: Reader, path: Path, source: CommentedMap, what: str) -> tuple[str, ...]:
    """A source's ``contacts``: the phone numbers it gives, as text (``1424`` unquoted too)."""
    value = source.get("contacts")
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, (str, int)) and str(item).strip() for item in items):
        r.add(path, key_line(source, "contacts"), f"{what}: 'contacts' must list phone numbers")
        return ()
    return tuple(str(item).strip() for item in items)
