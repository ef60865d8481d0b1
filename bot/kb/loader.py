"""Read ``knowledge/`` into a :class:`KnowledgeBase`, collecting every problem with its line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.kb.cache import cached
from bot.kb.checkers import CHECKERS_DIR, check_checkers, read_checkers
from bot.kb.checks import (
    UNDATED,
    check_entries,
    check_frame_lists,
    check_notices,
    check_smalltalk_references,
    unknown_topic,
)
from bot.kb.citations import check_citations
from bot.kb.model import (
    DANGLING,
    LANGS,
    WARNING,
    Checker,
    Concept,
    Entry,
    KnowledgeBase,
    Lang,
    LangText,
    LeftOutNotice,
    Notice,
    NoticeText,
    Problem,
    Topic,
)
from bot.kb.reader import (
    ID_RULE,
    Reader,
    item_line,
    key_line,
    node_line,
    read_date,
    read_sources,
    text_lines,
    valid_id,
    yaml_files,
)
from bot.matching.function_words import ALL_STOPWORDS, STOPWORDS
from bot.matching.normalize import words as folded_words

_Item = TypeVar("_Item", Entry, Notice, Checker)
SPECIAL_FILES = frozenset({"topics.yaml", "synonyms.yaml", "smalltalk.yaml", "concepts.yaml"})
NOTICES_DIR = "notices"
ALMATY = ZoneInfo("Asia/Almaty")
NOTICE_DEFAULT_TIME = time(9, 0)
MIN_YEAR, MAX_YEAR = 2000, 2100  # a publish_at outside is a typo (and 9999 overflows in UTC)
_ENTRY_FIELDS = {"id", "aliases", "topic", "sources", "reviewed", "related", "requires", *LANGS}
_ENTRY_REQUIRED = {"id", "topic", "sources", "reviewed", *LANGS}
_LANG_FIELDS = {"questions", "answer"}
_NOTICE_FIELDS = {"id", "publish_at", "topics", "related", "archived", *LANGS}
_NOTICE_LANG_FIELDS = {"title", "body"}


class KnowledgeError(Exception):
    """The knowledge base has problems; ``problems`` lists them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n… and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the knowledge base:\n{shown}{more}")


def _entry_files(root: Path) -> Iterator[Path]:
    for path in yaml_files(root):
        if path.name not in SPECIAL_FILES:
            yield path


def _unread_files(r: Reader, root: Path) -> None:
    """Warn of the ``*.yml`` files where the base is read: only ``*.yaml`` is."""
    for folder in (root, root / NOTICES_DIR, root / CHECKERS_DIR):
        for path in yaml_files(folder, ".yml"):
            r.add(path, 1, f"{WARNING}not read: only *.yaml files are; rename it {path.stem}.yaml")


def _function_words(
    r: Reader, path: Path, items: list[tuple[str, int]], what: str, stopwords: frozenset[str]
) -> None:
    """Warn of the items (text, line) that are only ``stopwords`` ("и", "the", "және"):
    matching ignores those, so they link nothing."""
    for item, line in items:
        if all(word in stopwords for word in folded_words(item)):
            r.add(
                path, line, f"{WARNING}{what}: {item!r} is a function word, which matching ignores"
            )


def _read_topics(r: Reader, root: Path) -> dict[str, Topic]:
    path = root / "topics.yaml"
    if not path.exists():
        r.add(path, 1, "topics.yaml is missing")
        return {}
    data = r.parse(path)
    if not isinstance(data, CommentedMap):
        if data is not None:
            r.add(path, 1, "expected a mapping of topic keys")
        return {}
    topics: dict[str, Topic] = {}
    for key, names in data.items():
        what = f"topic {key!r}"
        if not valid_id(str(key)):
            r.add(path, key_line(data, key), f"{what}: key must be {ID_RULE}")
        if r.fields(path, names, key_line(data, key), what, set(LANGS), set(LANGS)):
            topics[str(key)] = Topic(
                str(key), {lang: r.text(path, names, lang, what) for lang in LANGS}
            )
    return topics


def _read_entry(r: Reader, path: Path, node: Any, line: int) -> Entry | None:
    raw_id = node.get("id") if isinstance(node, CommentedMap) else None
    what = f"entry {raw_id!r}" if raw_id else f"entry at line {line}"
    if not r.fields(path, node, line, what, _ENTRY_FIELDS, _ENTRY_REQUIRED):
        return None
    entry_id = r.text(path, node, "id", what)
    if entry_id and not valid_id(entry_id):
        r.add(path, key_line(node, "id"), f"{what}: id must be {ID_RULE}")
    texts: dict[Lang, LangText] = {}
    for lang in LANGS:
        lwhat = f"{what} [{lang}]"
        lnode = node.get(lang)
        if lang not in node or not r.fields(
            path, lnode, key_line(node, lang), lwhat, _LANG_FIELDS, _LANG_FIELDS
        ):
            continue
        questions = r.str_items(path, lnode, "questions", lwhat)
        answer = r.text(path, lnode, "answer", lwhat)
        texts[lang] = LangText(
            tuple(q for q, _ in questions),
            answer,
            tuple(line for _, line in questions),
            text_lines(lnode, "answer", answer),
            key_line(lnode, "questions"),
        )
    related = r.str_items(path, node, "related", what)
    return Entry(
        id=entry_id,
        topic=r.text(path, node, "topic", what),
        texts=texts,
        sources=tuple(read_sources(r, path, node, what)),
        reviewed=read_date(r, path, node, "reviewed", what),
        related=tuple(target for target, _ in related),
        aliases=tuple(r.str_list(path, node, "aliases", what)),
        requires=tuple(r.str_list(path, node, "requires", what)),
        path=r.rel(path),
        line=line,
        lines={str(key): key_line(node, key) for key in node},
        related_lines=tuple(line for _, line in related),
    )


def _read_entries(r: Reader, root: Path) -> list[Entry]:
    entries = []
    for path in _entry_files(root):
        data = r.parse(path)
        if data is None:
            continue
        if not isinstance(data, CommentedSeq):
            r.add(path, 1, "an entry file must be a YAML list of entries")
            continue
        for i, node in enumerate(data):
            entry = _read_entry(r, path, node, item_line(data, i, data, ""))
            if entry is not None:
                entries.append(entry)
    return entries


def _read_synonyms(r: Reader, root: Path) -> list[tuple[str, ...]]:
    path = root / "synonyms.yaml"
    data = r.parse(path) if path.exists() else None
    if data is None:
        return []
    if not isinstance(data, CommentedSeq):
        r.add(path, 1, "synonyms.yaml must be a list of word groups")
        return []
    groups = []
    for i, group in enumerate(data):
        words = group if isinstance(group, list) else None
        mapping = next((w for w in [group, *(words or ())] if isinstance(w, CommentedMap)), None)
        if mapping is not None:
            r.add(path, item_line(data, i, data, ""), _read_as_mapping(mapping))
            continue
        if not words or len(words) < 2 or not all(isinstance(w, str) and w.strip() for w in words):
            r.add(path, item_line(data, i, data, ""), "a synonym group must list two or more words")
            continue
        items = [(w.strip(), item_line(words, j, data, "")) for j, w in enumerate(words)]
        _function_words(r, path, items, f"synonym group {i + 1}", ALL_STOPWORDS)
        groups.append(tuple(w for w, _ in items))
    return groups


def _read_as_mapping(node: CommentedMap) -> str:
    """The problem of a synonym group's words YAML read as a mapping (``[отпуск: vacation]``:
    a colon and a space make one)."""
    key, value = next(iter(node.items()))
    text = f"{key}: {value}" if value is not None else f"{key}:"
    return (
        f"a synonym group: '{text}' was read as a mapping (a colon and a space make one); "
        f'separate the words with commas, or quote a word with a colon: "{text}"'
    )


def _read_smalltalk(r: Reader, root: Path) -> dict[str, tuple[str, ...]]:
    path = root / "smalltalk.yaml"
    data = r.parse(path) if path.exists() else None
    if data is None:
        return {}
    if not isinstance(data, CommentedMap):
        r.add(path, 1, "smalltalk.yaml must map a kind (greeting, thanks, …) to phrases")
        return {}
    return {str(kind): tuple(r.str_list(path, data, kind, f"small talk {kind!r}")) for kind in data}


def _read_concepts(r: Reader, root: Path, topics: dict[str, Topic]) -> dict[str, Concept]:
    path = root / "concepts.yaml"
    data = r.parse(path) if path.exists() else None
    if data is None:
        return {}
    if not isinstance(data, CommentedMap):
        r.add(path, 1, "concepts.yaml must map concept ids to their topics and words")
        return {}
    concepts = {}
    for name, node in data.items():
        what, line = f"concept {name!r}", key_line(data, name)
        if not valid_id(str(name)):
            r.add(path, line, f"{what}: id must be {ID_RULE}")
        if not r.fields(path, node, line, what, {"topics", *LANGS}, {"topics", *LANGS}):
            continue
        found = r.str_list(path, node, "topics", what)
        for topic in found:
            if topics and topic not in topics:
                r.add(path, key_line(node, "topics"), f"{what}: {unknown_topic(topic, topics)}")
        words: dict[Lang, tuple[str, ...]] = {}
        for lang in LANGS:
            items = r.str_items(path, node, lang, f"{what} [{lang}]")
            listed = [w for w, _ in items]
            for word in {w for w in listed if listed.count(w) > 1}:
                r.add(path, key_line(node, lang), f"{what} [{lang}]: {word!r} is listed twice")
            _function_words(r, path, items, f"{what} [{lang}]", STOPWORDS[lang])
            words[lang] = tuple(listed)
        concepts[str(name)] = Concept(str(name), tuple(found), words)
    return concepts


def parse_publish_at(raw: str) -> datetime:
    """ISO 8601 with an offset; a bare date means 09:00 in Asia/Almaty; the year between
    MIN_YEAR and MAX_YEAR. Raises ValueError."""
    text = raw.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return datetime.combine(date.fromisoformat(text), NOTICE_DEFAULT_TIME, tzinfo=ALMATY)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date; write 2027-01-15 (09:00 Asia/Almaty) or "
            "2027-01-15T10:00:00+05:00"
        ) from None
    if moment.tzinfo is None:
        raise ValueError(
            f"a time needs an offset: {text}+05:00 for Asia/Almaty, or a bare date (09:00)"
        )
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise ValueError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")
    return moment


def _read_notice(r: Reader, path: Path, node: Any) -> Notice | None:
    raw_id = node.get("id") if isinstance(node, CommentedMap) else None
    what = f"notice {raw_id!r}" if raw_id else "notice"
    if not r.fields(
        path, node, node_line(node), what, _NOTICE_FIELDS, _NOTICE_FIELDS - {"related", "archived"}
    ):
        return None
    notice_id = r.text(path, node, "id", what)
    if notice_id and not valid_id(notice_id):
        r.add(path, key_line(node, "id"), f"{what}: id must be {ID_RULE}")
    publish_at = UNDATED
    try:
        publish_at = parse_publish_at(str(node.get("publish_at", "")))
    except (ValueError, OverflowError) as exc:
        r.add(path, key_line(node, "publish_at"), f"{what}: bad publish_at: {exc}")
    archived = node.get("archived", False)
    if not isinstance(archived, bool):  # told; taken as archived: not also called stale
        r.add(path, key_line(node, "archived"), f"{what}: 'archived' must be true or false")
    texts: dict[Lang, NoticeText] = {}
    for lang in LANGS:
        lnode = node.get(lang)
        lwhat = f"{what} [{lang}]"
        if lang in node and r.fields(
            path, lnode, key_line(node, lang), lwhat, _NOTICE_LANG_FIELDS, _NOTICE_LANG_FIELDS
        ):
            body = r.text(path, lnode, "body", lwhat)
            texts[lang] = NoticeText(
                r.text(path, lnode, "title", lwhat),
                body,
                key_line(lnode, "title"),
                text_lines(lnode, "body", body),
            )
    topics = r.str_list(path, node, "topics", what)
    if not topics:
        r.add(path, key_line(node, "topics"), f"{what}: 'topics' must name at least one topic")
    return Notice(
        notice_id,
        publish_at,
        tuple(topics),
        texts,
        tuple(r.str_list(path, node, "related", what)),
        archived is not False,
        r.rel(path),
        node_line(node),
        {str(key): key_line(node, key) for key in node},
    )


def _read_notices(r: Reader, root: Path) -> list[Notice]:
    notices = []
    for path in yaml_files(root / NOTICES_DIR):
        data = r.parse(path)
        if data is not None:
            notice = _read_notice(r, path, data)
            if notice is not None:
                notices.append(notice)
    return notices


def read_knowledge(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """Read every file under ``root``; return the base and all problems found (maybe none).
    A copy parsed from the same files is used when there is one (:mod:`bot.kb.cache`).
    See :func:`parse_knowledge`."""
    return cached(Path(root), parse_knowledge)


def parse_knowledge(root: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """Parse every file under ``root``; return the base and all problems found (maybe none).

    Entries, notices and checkers that cannot be read are left out; of two with the same id
    the first wins. While a file cannot be read (not YAML, or empty) or two entries share an
    id, references to entries are not checked, nor the numbers their sources cite: the entries
    it lost would all be reported missing (one mistake, one problem). Cross-entry checks
    (duplicates, dangling references, lengths) are in :mod:`bot.kb.checks`, the checkers'
    trees in :mod:`bot.kb.checkers`, cited numbers in :mod:`bot.kb.citations`.
    """
    root = Path(root)
    r = Reader(root)
    if not root.is_dir():
        found = f"a file, not the knowledge folder ({root.parent})" if root.is_file() else ""
        r.add(root, 1, found or "knowledge folder not found")
        return KnowledgeBase(), r.problems
    _unread_files(r, root)
    topics = _read_topics(r, root)
    entries = _read_entries(r, root)
    notices = _read_notices(r, root)
    checkers = read_checkers(r, root)
    base = KnowledgeBase(
        entries=_first_by_id(entries),
        topics=topics,
        synonyms=_read_synonyms(r, root),
        concepts=_read_concepts(r, root, topics),
        smalltalk=_read_smalltalk(r, root),
        notices=_first_by_id(notices),
        checkers=_first_by_id(checkers),
    )
    talk = root / "smalltalk.yaml"
    across = [
        *check_entries(entries, topics, base.concepts),
        *check_notices(notices, base),
        *check_checkers(checkers, base),
        *check_smalltalk_references(talk, r.rel(talk), base.smalltalk, base.entries, base.checkers),
        *check_frame_lists(talk, r.rel(talk), base.smalltalk),
    ]
    ids = [entry.id for entry in entries]
    if r.unparsed or len(set(ids)) < len(ids):  # entries lost: references follow from it
        across = [p for p in across if DANGLING not in p.message]
    else:  # and so would what only their sources cite
        across += check_citations(base)
    return base, [*r.problems, *across]


def _first_by_id(items: list[_Item]) -> dict[str, _Item]:
    found: dict[str, _Item] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


def runnable(
    base: KnowledgeBase, problems: list[Problem]
) -> tuple[KnowledgeBase, list[Problem], list[Problem]]:
    """(the base to run on, the problems that keep it from running, the notices' problems):
    a notice whose file has a problem (a date such as 9999-12-31, say) is left out and never
    stops the bot; ``kb check`` still reports it. Warnings (``WARNING``) stop nothing."""
    problems = [p for p in problems if not p.message.startswith(WARNING)]
    broken = {p.path for p in problems if Path(p.path).parent.name == NOTICES_DIR}
    notices = {key: n for key, n in base.notices.items() if n.path not in broken}
    named = {n.path: n.id for n in base.notices.values() if n.path in broken}
    left_out = tuple(
        LeftOutNotice(path, tuple(p for p in problems if p.path == path), named.get(path, ""))
        for path in sorted(broken)
    )
    kept = replace(base, notices=notices, left_out=left_out)
    return (
        kept,
        [p for p in problems if p.path not in broken],
        [p for p in problems if p.path in broken],
    )


def load_knowledge(root: Path) -> KnowledgeBase:
    """Load the knowledge base, raising :class:`KnowledgeError` if it has a problem other
    than a broken notice (which is left out, see :func:`runnable`)."""
    base, blocking, _ = runnable(*read_knowledge(root))
    if blocking:
        raise KnowledgeError(blocking)
    return base
