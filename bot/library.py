"""The live knowledge base and its matcher, re-read when a file in ``knowledge/`` changes.

A new base and its matcher are built in whichever thread asks for a reload (the Telegram bot's
reload job and the terminal chat's watcher each use a thread of their own) and then swapped in
whole, as one :class:`Snapshot`: a turn that takes the snapshot once never mixes one base's
entries with another's matcher, and nobody waits while a new base builds.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.kb import KnowledgeBase, KnowledgeError, Problem, read_knowledge
from bot.kb.diff import BaseDiff, diff_bases
from bot.kb.loader import runnable
from bot.kb.model import Lang
from bot.kb.reader import yaml_files
from bot.matching import Matcher
from bot.matching.built import built_index
from bot.matching.index import Index
from bot.matching.matcher import MatchResult

RELOAD_INTERVAL = 2.0  # seconds between an adapter's looks at knowledge/ for edits
VERSION_DIGITS = 7  # of the base's content hash, as in a short git commit id

log = logging.getLogger(__name__)


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in yaml_files(root, recursive=True)
    )


def _warn_about_notices(problems: list[Problem]) -> None:
    """Log the problems of the notices left out of the live base, one line each."""
    for problem in problems:
        log.warning("notice left out: %s", problem)


def _state(problems: tuple[Problem, ...]) -> tuple[str, ...]:
    return tuple(str(p) for p in problems)


def base_version(root: Path) -> str:
    """A short hash of the base's files (names and contents): which base a process runs."""
    digest = hashlib.sha256()
    for path in yaml_files(root, recursive=True):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:VERSION_DIGITS]


def _settle() -> None:
    """Keep what is alive now (above all the matcher's index, about 130,000 objects) out of
    the garbage collector's full passes: each took 65–110 ms over the bundled base, a pause
    some message waited for. What was kept before (the previous base) is let go first. A
    library taking the index kept for its content skips it: that index was frozen when built
    (unless something unfroze everything since), and a full collection of a process holding
    much else (a test worker) took seconds."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def outcome(result: MatchResult) -> str:
    """How a message was matched: ``answer``, ``smalltalk`` or ``abstention``."""
    if result.entry_id is not None:
        return "answer"
    return "smalltalk" if result.smalltalk else "abstention"


class _LastIndex:
    """The index of the base whose matcher this process built last, by the base's content
    hash: another library of the same files' content takes it instead of building its own
    (about a second on the bundled base; a fifth of that from the copy kept on disk,
    :mod:`bot.matching.built`). An index depends on nothing else a library can
    change: every library's matcher has the default config and the shipped usage. Only the
    last is kept, so a replaced base is still let go."""

    def __init__(self) -> None:
        self._last: tuple[str, Index] | None = None

    def holds(self, base: str) -> bool:
        """Whether the index kept is that of the base whose content hash is ``base``."""
        return self._last is not None and self._last[0] == base

    def matcher(self, root: Path, kb: KnowledgeBase, base: str) -> CountingMatcher:
        """A counting matcher of ``kb``, read from ``root``, whose content hash is ``base``."""
        last = self._last
        index = last[1] if last and last[0] == base else built_index(root, kb)
        matcher = CountingMatcher(kb, index=index)
        self._last = (base, matcher.index)
        return matcher


_INDEXES = _LastIndex()


class CountingMatcher(Matcher):
    """A matcher that counts its results by :func:`outcome` (for the service's metrics)."""

    outcomes: Counter[str]

    def match(self, text: str, written: Lang | None = None) -> MatchResult:
        """The match of ``text`` (see :meth:`Matcher.match`), counted."""
        result = super().match(text, written)
        self.outcomes[outcome(result)] += 1
        return result


@dataclass(frozen=True)
class Snapshot:
    """One live version of the base: its entries, its matcher, its content hash and its
    number in this process (1 at start, one more per reload)."""

    kb: KnowledgeBase
    matcher: Matcher
    base: str
    version: int


@dataclass(frozen=True)
class Reload:
    """What one look at ``knowledge/`` found.

    ``unchanged``: the live base is the files' content. ``reloaded``: a new base went live
    (``diff`` from the one before). ``broken``: the files have problems and the last good base
    stays live. ``left_out``: the problems of the notices left out of the live base (they are
    not sent until fixed). ``alert``: broken, or notices left out, in a way not reported
    before (the admins are told once per state); ``fixed``: reloaded after a broken state.
    """

    status: Literal["unchanged", "reloaded", "broken"]
    base: str  # the live base after the look
    problems: tuple[Problem, ...] = ()
    diff: BaseDiff | None = None
    left_out: tuple[Problem, ...] = ()
    alert: bool = False
    fixed: bool = False


class Library:
    """Holds the current knowledge base and matcher; swaps both in when the files change.

    A broken edit never takes the bot down: the previous base stays live and the problems
    are logged (``last_problems``). ``outcomes`` counts the matcher's results across reloads;
    ``base`` names the live base's content.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._fingerprint = _fingerprint(self.root)
        kb, blocking, skipped = runnable(*read_knowledge(self.root))
        if blocking:
            raise KnowledgeError(blocking)
        _warn_about_notices(skipped)
        self.outcomes: Counter[str] = Counter()
        base = base_version(self.root)
        kept = _INDEXES.holds(base)
        self.snapshot = Snapshot(kb, self._matcher(kb, base), base, 1)
        if not (kept and gc.get_freeze_count()):
            _settle()
        self.last_problems: list[Problem] = []
        self._broken: tuple[str, ...] | None = None  # the problems of the broken state, if any
        self._left_out = _state(tuple(self.relative(p) for p in skipped))  # notices' problems
        self._lock = threading.Lock()  # one reload at a time

    @property
    def kb(self) -> KnowledgeBase:
        """The live knowledge base."""
        return self.snapshot.kb

    @property
    def matcher(self) -> Matcher:
        """The live base's matcher."""
        return self.snapshot.matcher

    @property
    def base(self) -> str:
        """The live base's content hash."""
        return self.snapshot.base

    @property
    def version(self) -> int:
        """The live base's number in this process."""
        return self.snapshot.version

    def _matcher(self, kb: KnowledgeBase, base: str) -> CountingMatcher:
        matcher = _INDEXES.matcher(self.root, kb, base)
        matcher.outcomes = self.outcomes
        return matcher

    def refresh(self, *, force: bool = False) -> Reload:
        """Re-read the base if a file changed (always with ``force``), build its matcher in
        the calling thread and swap both in; the live base stays when the files have problems.
        Files that cannot be read right now (one being saved, say) leave the live base and
        are looked at again next time."""
        with self._lock:
            fingerprint = _fingerprint(self.root)
            old = self.snapshot
            if fingerprint == self._fingerprint and not force:
                return Reload("unchanged", old.base)
            try:
                kb, problems, skipped = runnable(*read_knowledge(self.root))
                base = base_version(self.root)
            except OSError as exc:  # not stored as seen: the next look reads the files again
                log.warning("knowledge base not read: %s", type(exc).__name__)
                return Reload("unchanged", old.base)
            self._fingerprint = fingerprint
            self.last_problems = problems
            _warn_about_notices(skipped)
            if problems:
                return self._broken_state(problems)
            left_out = tuple(self.relative(p) for p in skipped)
            news = _state(left_out) != self._left_out and bool(left_out)
            self._left_out = _state(left_out)
            fixed, self._broken = self._broken is not None, None
            if fixed:
                log.warning("knowledge base sound again: %d entries", len(kb.entries))
            if base == old.base:
                return Reload("unchanged", base, left_out=left_out, alert=news, fixed=fixed)
            self.snapshot = Snapshot(kb, self._matcher(kb, base), base, old.version + 1)
            diff = diff_bases(old.kb, kb)
            del old
            _settle()
            log.info("knowledge base reloaded: %d entries", len(kb.entries))
            return Reload("reloaded", base, diff=diff, left_out=left_out, alert=news, fixed=fixed)

    def _broken_state(self, problems: list[Problem]) -> Reload:
        problems = [self.relative(p) for p in problems]
        state = _state(tuple(problems))
        alert, self._broken = state != self._broken, state
        if alert:
            log.error(
                "knowledge base not reloaded, %d problem(s): %s", len(problems), "; ".join(state)
            )
        return Reload("broken", self.snapshot.base, tuple(problems), alert=alert)

    def relative(self, problem: Problem) -> Problem:
        """The problem with its paths inside ``knowledge/`` (as maintainers name their files),
        its own and any its message names."""
        root = self.root.resolve()
        path = Path(problem.path).resolve()
        message = problem.message
        for prefix in {f"{root}{os.sep}", f"{self.root}{os.sep}"}:
            message = message.replace(prefix, "")
        inside = path.is_relative_to(root) and path != root  # the folder itself: as given
        shown = str(path.relative_to(root)) if inside else problem.path
        return Problem(shown, problem.line, message)
