"""Shared fixtures: a small, valid knowledge base written to a temporary folder."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.kb import Lang, load_knowledge
from bot.kb.cache import CACHE_DIR
from bot.library import base_version
from bot.matching import Matcher
from tests.helpers.knowledge_files import TOPICS, entry_yaml

BUNDLED_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def copy_of_the_base(target: Path) -> Path:
    """The bundled base's files copied to ``target``, without its kept copies (``__pycache__``,
    about 10 MB): their names hash the folder's path, so a copy elsewhere never reads them."""
    return Path(
        shutil.copytree(BUNDLED_KNOWLEDGE, target, ignore=shutil.ignore_patterns(CACHE_DIR))
    )


@pytest.fixture(autouse=True)
def no_hidden_errors(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """Fail a test when the bot logs an error it recovered from (the matcher or the dialog
    turning a crash into a polite reply), unless the test is marked ``logs_errors``: a safety
    net must not make a test pass that would fail without it."""
    yield
    if request.node.get_closest_marker("logs_errors"):
        return
    errors = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.ERROR and r.name.startswith("bot")
    ]
    assert not errors, "the bot logged errors: " + "; ".join(
        f"{r.name}: {r.getMessage()}" for r in errors
    )


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A valid two-topic knowledge base in ``tmp_path/knowledge``."""
    root = tmp_path / "knowledge"
    root.mkdir()
    (root / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    (root / "gifts.yaml").write_text(
        entry_yaml("gift-ban", related="[gift-family]") + entry_yaml("gift-family"),
        encoding="utf-8",
    )
    (root / "about.yaml").write_text(entry_yaml("about-bot", "about"), encoding="utf-8")
    return root


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled knowledge base."""
    return copy_of_the_base(tmp_path / "knowledge")


@pytest.fixture(scope="session")
def _one_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_the_base(tmp_path_factory.mktemp("shared") / "knowledge")


@pytest.fixture
def kb_shared(_one_copy: Path) -> Iterator[Path]:
    """One copy of the bundled base for the tests that only read it: its parsed copy
    (``bot/kb/cache.py``) is then read once per process, not parsed for every test. Not the
    live ``knowledge/``, where an edit may be under way. A test that changes it fails: such a
    test takes ``kb_copy``."""
    before = base_version(_one_copy)
    yield _one_copy
    assert base_version(_one_copy) == before, "a test changed the shared base: use kb_copy"


@pytest.fixture(scope="session")
def bundled() -> Matcher:
    """The matcher over the bundled knowledge base (built once: it only reads)."""
    return Matcher(load_knowledge(BUNDLED_KNOWLEDGE))


def answered_with_a_sibling(matcher: Matcher, lang: Lang) -> str:
    """A question of the base in ``lang`` answered with a sibling offered first."""
    for entry in matcher.kb.entries.values():
        for question in entry.questions(lang):
            result = matcher.match(question)
            if result.entry_id and result.suggestions:
                return question
    raise AssertionError("no answer of the base comes with a sibling")
