"""Shared fixtures: a small, valid knowledge base written to a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.knowledge_files import TOPICS, entry_yaml


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A valid two-topic knowledge base in ``tmp_path/knowledge``."""
    root = tmp_path / "knowledge"
    root.mkdir()
    (root / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    (root / "gifts.yaml").write_text(
        entry_yaml("gift-ban", related="[gift-family]") + entry_yaml("gift-family"),
        encoding="utf-8")
    (root / "about.yaml").write_text(entry_yaml("about-bot", "about"), encoding="utf-8")
    return root
