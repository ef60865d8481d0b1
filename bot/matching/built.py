"""The matcher's index of a knowledge folder, kept next to the base as its parsed copy is
(:mod:`bot.kb.cache`): building it takes about a second of every start-up on the bundled base,
reading the copy a fifth of that. The copy's name covers the base's files and the code and
data that build an index (``bot/matching``), so a copy is never stale."""

from __future__ import annotations

from pathlib import Path

from bot.kb.cache import cached
from bot.kb.loader import read_knowledge
from bot.kb.model import KnowledgeBase
from bot.matching.config import DEFAULT
from bot.matching.index import Index
from bot.matching.usage import shipped as load_usage

PREFIX = "index-"
_HERE = Path(__file__).resolve().parent
_CODE = sorted(p for p in _HERE.iterdir() if p.suffix in {".py", ".gz", ".json"})


def built_index(root: Path, kb: KnowledgeBase) -> Index:
    """The index (default config, shipped usage) of ``kb``, read from the folder ``root``:
    the copy kept since the same files were indexed by the same code, or a new one. A ``kb``
    that is no longer what the files say (one changed since) is indexed and not kept."""

    def build(_: Path) -> Index:
        return Index(kb, DEFAULT, load_usage())

    if not _indexed_alike(read_knowledge(root)[0], kb):
        return build(root)
    return cached(root, build, PREFIX, _CODE)


def _indexed_alike(one: KnowledgeBase, other: KnowledgeBase) -> bool:
    """Whether two bases have the same index: all it reads is theirs alike (notices aside)."""
    return (one.entries, one.synonyms, one.smalltalk, one.concepts) == (
        other.entries,
        other.synonyms,
        other.smalltalk,
        other.concepts,
    )
