"""The live knowledge base and its matcher, re-read when a file in ``knowledge/`` changes."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.kb import KnowledgeBase, Problem, load_knowledge, read_knowledge
from bot.matching import Matcher

log = logging.getLogger(__name__)


def _fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    return tuple(
        sorted(
            (str(p), p.stat().st_mtime_ns, p.stat().st_size)
            for p in root.rglob("*.yaml")
            if p.is_file()
        )
    )


class Library:
    """Holds the current knowledge base and matcher; swaps both in when the files change.

    A broken edit never takes the bot down: the previous base stays live and the problems
    are logged (``last_problems``).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._fingerprint = _fingerprint(self.root)
        self.kb: KnowledgeBase = load_knowledge(self.root)
        self.matcher = Matcher(self.kb)
        self.last_problems: list[Problem] = []
        self.version = 1

    def reload_if_changed(self) -> bool:
        """Re-read the base if a file changed; True when a new base went live."""
        fingerprint = _fingerprint(self.root)
        if fingerprint == self._fingerprint:
            return False
        self._fingerprint = fingerprint
        kb, problems = read_knowledge(self.root)
        self.last_problems = problems
        if problems:
            log.error(
                "knowledge base not reloaded, %d problem(s):\n%s",
                len(problems),
                "\n".join(str(p) for p in problems),
            )
            return False
        self.kb, self.matcher = kb, Matcher(kb)
        self.version += 1
        log.info("knowledge base reloaded: %d entries", len(kb.entries))
        return True
