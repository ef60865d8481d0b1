"""Edits of a copy of the knowledge base as a maintainer saves them, and new bases held half
way through their build: for the tests of live reloads (Telegram's watch job, the terminal
chat's watcher)."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from bot import library as library_module

MARKER = "Zebra-quokka marker phrase"


def save(path: Path, text: str) -> None:
    """Write ``path`` as an editor saves it (a later mtime, so the watcher sees it)."""
    path.write_text(text, encoding="utf-8")
    later = time.time() + 5 + len(text) % 7
    os.utime(path, (later, later))


def add_variant(root: Path, phrase: str = MARKER) -> None:
    """Add ``phrase`` as an English question of the about-bot entry."""
    path = root / "about.yaml"
    head = "  en:\n    questions:\n"
    save(path, path.read_text(encoding="utf-8").replace(head, f"{head}      - {phrase}\n", 1))


def hold_builds(monkeypatch: pytest.MonkeyPatch) -> tuple[threading.Event, threading.Event]:
    """New bases are held half way (their matcher) until the second event is set; the first is
    set when a build has reached that point."""
    building, release = threading.Event(), threading.Event()

    class HeldMatcher(library_module.CountingMatcher):
        def __init__(self, *args: object, **kwargs: object) -> None:
            building.set()
            assert release.wait(30)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(library_module, "CountingMatcher", HeldMatcher)
    return building, release
