"""How people ask for each entry: the words of the labelled tuning lines that ask for it,
learned by ``adal-bot train`` and shipped as ``usage.json.gz``.

The base's questions are written by maintainers; people write stories with the things and
people of their day. The naive Bayes model (:mod:`bot.matching.bayes`) counts each tuning line
as one more document of the entries it expects, so the words people use for an entry weigh
for it; the lines that expect no entry make one more class, :data:`NONE`, that the confidence
compares the candidate with (it is never ranked). Each document is kept as its sorted set of
folded words (not the line: word order and repeats are gone); its features are computed when
the index is built, so an edit of the synonyms applies to them too. Lines of an entry the base
no longer has are left out.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from bot.matching.stem import word_stems

USAGE_PATH = Path(__file__).with_name("usage.json.gz")

NONE = "(none)"
"""The documents of lines that ask for no entry (chatter, near-domain, out of scope)."""
STEMS = "(stems)"
"""Not an entry: the stems of every word of the documents (:func:`~bot.matching.stem.word_stems`),
written with them so that a process does not stem some 18,000 words again at start-up."""
Usage = Mapping[str, Sequence[tuple[str, ...]]]
"""Entry id → its documents, each a sorted tuple of folded words."""
Documents = dict[str, list[tuple[str, ...]]]
"""Usage as built by :func:`collect` and :func:`load`."""


def collect(lines: Iterable[tuple[Sequence[str], Iterable[str]]]) -> Documents:
    """The documents of each entry from (folded words, expected entry ids) of labelled lines:
    a line expecting two entries is a document of both, one expecting none of :data:`NONE`."""
    usage: Documents = {}
    for folded, expected in lines:
        document = tuple(sorted(set(folded)))
        for entry_id in expected or [NONE]:
            if document:
                usage.setdefault(entry_id, []).append(document)
    return {entry_id: sorted(usage[entry_id]) for entry_id in sorted(usage)}


def save(usage: Usage, path: Path = USAGE_PATH) -> None:
    """Write ``usage`` gzipped, one entry's documents a line, and their words' stems last
    (``mtime`` 0: the same bytes for the same usage)."""
    found = sorted({word for documents in usage.values() for doc in documents for word in doc})
    stems = {word: " ".join(word_stems(word)) for word in found}
    lines = [
        f"{json.dumps(entry_id, ensure_ascii=False)}: "
        f"{json.dumps([' '.join(doc) for doc in documents], ensure_ascii=False)}"
        for entry_id, documents in usage.items()
    ] + [f"{json.dumps(STEMS)}: {json.dumps(stems, ensure_ascii=False)}"]
    text = "{\n" + ",\n".join(lines) + "\n}\n"
    path.write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))


def load(path: Path = USAGE_PATH) -> Documents:
    """Read usage written by :func:`save`; none when there is no such file."""
    return _read(path)[0]


def load_stems(path: Path = USAGE_PATH) -> dict[str, tuple[str, ...]]:
    """The stems of the words of the usage :func:`save` wrote (none in an older file)."""
    return _read(path)[1]


def _read(path: Path) -> tuple[Documents, dict[str, tuple[str, ...]]]:
    if not path.exists():
        return {}, {}
    data = json.loads(gzip.decompress(path.read_bytes()).decode("utf-8"))
    stems = data.pop(STEMS, {})
    return (
        {
            str(entry_id): [tuple(str(doc).split()) for doc in documents]
            for entry_id, documents in data.items()
        },
        {str(word): tuple(str(found).split()) for word, found in stems.items()},
    )


@functools.cache
def _shipped() -> tuple[Documents, dict[str, tuple[str, ...]]]:
    return _read(USAGE_PATH)


def shipped() -> Usage:
    """The usage shipped with the bot (read once a process)."""
    return _shipped()[0]


def shipped_stems() -> Mapping[str, tuple[str, ...]]:
    """The stems of the shipped usage's words (read once a process, with it)."""
    return _shipped()[1]
