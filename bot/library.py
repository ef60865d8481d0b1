"""The live knowledge base and its matcher, re-read when a file in ``knowledge/`` changes."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from pathlib import Path

from bot.kb import KnowledgeBase, KnowledgeError, Problem, read_knowledge
from bot.kb.loader import runnable
from bot.matching import Matcher
from bot.matching.matcher import MatchResult

VERSION_DIGITS = 7  # of the base's content hash, as in a short git commit id

log = logging.getLogger(__name__)


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        sorted(
            (str(p), p.stat().st_mtime_ns, p.stat().st_size)
            for p in root.rglob("*.yaml")
            if p.is_file()
        )
    )


def _warn_about_notices(problems: list[Problem]) -> None:
    """Log the problems of the notices left out of the live base, one line each."""
    for problem in problems:
        log.warning("notice left out: %s", problem)


def base_version(root: Path) -> str:
    """A short hash of the base's files (names and contents): which base a process runs."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*.yaml") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:VERSION_DIGITS]


def outcome(result: MatchResult) -> str:
    """How a message was matched: ``answer``, ``smalltalk`` or ``abstention``."""
    if result.entry_id is not None:
        return "answer"
    return "smalltalk" if result.smalltalk else "abstention"


class CountingMatcher(Matcher):
    """A matcher that counts its results by :func:`outcome` (for the service's metrics)."""

    outcomes: Counter[str]

    def match(self, text: str) -> MatchResult:
        """The match of ``text`` (see :meth:`Matcher.match`), counted."""
        result = super().match(text)
        self.outcomes[outcome(result)] += 1
        return result


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
        self.kb: KnowledgeBase = kb
        self.base = base_version(self.root)
        self.outcomes: Counter[str] = Counter()
        self.matcher: Matcher = self._matcher(self.kb)
        self.last_problems: list[Problem] = []
        self.version = 1

    def _matcher(self, kb: KnowledgeBase) -> CountingMatcher:
        matcher = CountingMatcher(kb)
        matcher.outcomes = self.outcomes
        return matcher

    def reload_if_changed(self) -> bool:
        """Re-read the base if a file changed; True when a new base went live."""
        fingerprint = _fingerprint(self.root)
        if fingerprint == self._fingerprint:
            return False
        self._fingerprint = fingerprint
        kb, problems, skipped = runnable(*read_knowledge(self.root))
        self.last_problems = problems
        _warn_about_notices(skipped)
        if problems:
            log.error(
                "knowledge base not reloaded, %d problem(s):\n%s",
                len(problems),
                "\n".join(str(p) for p in problems),
            )
            return False
        self.kb, self.matcher = kb, self._matcher(kb)
        self.base = base_version(self.root)
        self.version += 1
        log.info("knowledge base reloaded: %d entries", len(kb.entries))
        return True
