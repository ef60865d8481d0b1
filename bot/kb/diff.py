"""What changed between two versions of the knowledge base: entries, question variants and
answers added, removed and changed, per language (``adal-bot kb diff OLD NEW``), for reviews
and for writing a "what's new" notice.

A version is a folder, or a git revision whose knowledge folder is read with ``git archive``;
it is read as far as it can be (a version with problems is compared all the same).
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import OneLineError
from bot.kb.loader import read_knowledge
from bot.kb.model import LANGS, Entry, KnowledgeBase, Lang, Problem

# the problems bot.kb.reader.Reader.parse reports for a file it could not read at all: its
# entries would show as removed
UNREADABLE = ("YAML syntax", "not UTF-8 text", "a control character")


class RevisionError(OneLineError):
    """A version that is neither a folder nor a git revision holding the knowledge folder."""


@dataclass(frozen=True)
class LangChange:
    """One language of a changed entry: its variants added and removed, and its answer."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    answer_changed: bool = False

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.answer_changed)


@dataclass(frozen=True)
class EntryChange:
    """An entry in both versions that differs: per language, and in its other fields."""

    id: str
    langs: dict[Lang, LangChange]
    fields: tuple[str, ...] = ()  # topic, related, sources, reviewed, aliases


@dataclass
class BaseDiff:
    """The differences between two bases."""

    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    def totals(self) -> dict[Lang, dict[str, int]]:
        """Per language: variants added and removed, answers added, removed and changed."""
        out = {
            lang: dict.fromkeys(
                ("variants added", "variants removed", "answers new", "answers changed"), 0
            )
            for lang in LANGS
        }
        for entry in self.added:
            for lang, text in entry.texts.items():
                out[lang]["variants added"] += len(text.questions)
                out[lang]["answers new"] += 1
        for entry in self.removed:
            for lang, text in entry.texts.items():
                out[lang]["variants removed"] += len(text.questions)
        for change in self.changed:
            for lang, lc in change.langs.items():
                out[lang]["variants added"] += len(lc.added)
                out[lang]["variants removed"] += len(lc.removed)
                out[lang]["answers changed"] += lc.answer_changed
        return out

    def lines(self) -> list[str]:
        """The differences as text: ``+``/``-``/``~`` per entry, then the variants, then the
        totals per language."""
        if not self:
            return ["no differences in the entries"]
        out: list[str] = []
        for entry in self.added:
            sizes = ", ".join(f"{lang} {len(t.questions)}" for lang, t in entry.texts.items())
            out.append(f"+ {entry.id} ({entry.topic}): new entry, variants {sizes}")
        for entry in self.removed:
            out.append(f"- {entry.id} ({entry.topic}): removed")
        for change in self.changed:
            parts = [*(f"{name} changed" for name in change.fields)]
            for lang, lc in change.langs.items():
                bits = [f"+{len(lc.added)}"] * bool(lc.added) + [f"-{len(lc.removed)}"] * bool(
                    lc.removed
                )
                if bits:
                    parts.append(f"[{lang}] variants {' '.join(bits)}")
                if lc.answer_changed:
                    parts.append(f"[{lang}] answer changed")
            out.append(f"~ {change.id}: " + ", ".join(parts))
            for lang, lc in change.langs.items():
                out += [f"    [{lang}] + {q}" for q in lc.added]
                out += [f"    [{lang}] - {q}" for q in lc.removed]
        out.append("")
        out.append(
            f"entries: {len(self.added)} added, {len(self.removed)} removed, "
            f"{len(self.changed)} changed"
        )
        for lang, counts in self.totals().items():
            out.append(f"[{lang}] " + ", ".join(f"{name} {n}" for name, n in counts.items()))
        return out


_FIELDS = ("topic", "related", "sources", "reviewed", "aliases")


def diff_bases(old: KnowledgeBase, new: KnowledgeBase) -> BaseDiff:
    """What changed from ``old`` to ``new``, entries in ``new``'s order (removed: ``old``'s).
    A question variant counts as changed only when its text changed (order is ignored)."""
    result = BaseDiff()
    result.added = [e for key, e in new.entries.items() if key not in old.entries]
    result.removed = [e for key, e in old.entries.items() if key not in new.entries]
    for key, after in new.entries.items():
        before = old.entries.get(key)
        if before is None:
            continue
        langs: dict[Lang, LangChange] = {}
        for lang in LANGS:
            was, now = before.texts.get(lang), after.texts.get(lang)
            old_qs = was.questions if was else ()
            new_qs = now.questions if now else ()
            change = LangChange(
                tuple(q for q in new_qs if q not in old_qs),
                tuple(q for q in old_qs if q not in new_qs),
                (was.answer if was else None) != (now.answer if now else None),
            )
            if change:
                langs[lang] = change
        fields = tuple(name for name in _FIELDS if getattr(before, name) != getattr(after, name))
        if langs or fields:
            result.changed.append(EntryChange(key, langs, fields))
    return result


def read_version(spec: str, knowledge_dir: Path, into: Path) -> tuple[KnowledgeBase, list[Problem]]:
    """The base at ``spec`` and the problems of its files that could not be read: a folder,
    or else a git revision of the repository holding ``knowledge_dir``, whose copy of that
    folder is unpacked under ``into``."""
    folder = Path(spec)
    if folder.is_dir():
        return _read(folder)
    knowledge_dir = knowledge_dir.resolve()
    try:
        top = _git(knowledge_dir, "rev-parse", "--show-toplevel").decode().strip()
        relative = knowledge_dir.relative_to(Path(top).resolve()).as_posix()
        archive = _git(Path(top), "archive", "--format=tar", spec, "--", relative)
    except (RevisionError, ValueError) as exc:
        raise RevisionError(f"{spec!r} is neither a folder nor a git revision: {exc}") from None
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return _read(into / relative)


def _read(folder: Path) -> tuple[KnowledgeBase, list[Problem]]:
    base, problems = read_knowledge(folder)
    return base, [p for p in problems if p.message.startswith(UNREADABLE)]


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        message = getattr(exc, "stderr", b"") or str(exc).encode()
        raise RevisionError(message.decode(errors="replace").strip()) from None
    return done.stdout
