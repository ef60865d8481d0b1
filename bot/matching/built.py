"""The matcher's index of a knowledge folder, kept next to the base as its parsed copy is
(:mod:`bot.kb.cache`): building it takes about a second of every start-up on the bundled base,
reading the copy a fifth of that. The copy's name covers the base's files and the code and
data that build an index (``bot/matching``), so a copy is never stale."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from bot.kb.cache import cached
from bot.kb.loader import read_knowledge
from bot.kb.model import KnowledgeBase
from bot.matching.config import DEFAULT
from bot.matching.index import Index
from bot.matching.usage import shipped as load_usage

PREFIX = "index-"
_HERE = Path(__file__).resolve().parent
CODE = sorted(p for p in _HERE.iterdir() if p.suffix in {".py", ".gz", ".json"})
T = TypeVar("T")


def built_index(root: Path, kb: KnowledgeBase) -> Index:
    """The index (default config, shipped usage) of ``kb``, read from the folder ``root``:
    the copy kept since the same files were indexed by the same code, or a new one. A ``kb``
    that is no longer what the files say (one changed since) is indexed and not kept."""

    return kept(root, kb, lambda: Index(kb, DEFAULT, load_usage()), PREFIX, CODE)


def kept(
    root: Path, kb: KnowledgeBase, make: Callable[[], T], prefix: str, code: Sequence[Path]
) -> T:
    """``make()``, made of what ``kb`` holds for the matcher and kept as the index is (copies
    named ``prefix``; ``code``: the files the result depends on beyond the base and ``bot/kb``),
    or the copy kept since. A ``kb`` that is no longer what the files of ``root`` say is made
    for and not kept."""
    if not _indexed_alike(read_knowledge(root)[0], kb):
        return make()
    return cached(root, lambda _: make(), prefix, code)


def _indexed_alike(one: KnowledgeBase, other: KnowledgeBase) -> bool:
    """Whether two bases have the same index: all it reads is theirs alike (notices aside)."""
    return (one.entries, one.synonyms, one.smalltalk, one.concepts) == (
        other.entries,
        other.synonyms,
        other.smalltalk,
        other.concepts,
    )
