"""The parsed copy of the knowledge base: used while nothing changed, never stale, and never
in the way when it cannot be written or read."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import read_knowledge
from bot.kb.cache import CACHE_DIR, PREFIX, cached


class Counting:
    """A reader that counts its calls and returns them."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, root: Path) -> int:
        self.calls += 1
        return self.calls


def copies(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob(f"{PREFIX}*.pickle"))


def test_the_copy_is_used_until_a_file_changes(small_kb: Path) -> None:
    read = Counting()
    assert cached(small_kb, read) == 1
    assert cached(small_kb, read) == 1 and read.calls == 1  # from the copy
    (first,) = copies(small_kb)
    gifts = small_kb / "gifts.yaml"
    gifts.write_text(gifts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cached(small_kb, read) == 2  # read again
    (second,) = copies(small_kb)  # the old copy is gone
    assert second != first
    (small_kb / "notices").mkdir()
    (small_kb / "notices" / "n.yaml").write_text("id: n\n", encoding="utf-8")
    assert cached(small_kb, read) == 3  # a new file anywhere under the folder


def test_read_knowledge_sees_an_edit_at_once(small_kb: Path) -> None:
    before, _ = read_knowledge(small_kb)
    gifts = small_kb / "gifts.yaml"
    gifts.write_text(
        gifts.read_text(encoding="utf-8").replace("Answer. (en)", "Changed. (en)", 1),
        encoding="utf-8",
    )
    after, problems = read_knowledge(small_kb)
    assert problems == [] and before != after
    assert after.entries["gift-ban"].answer("en").startswith("Changed.")
    assert read_knowledge(small_kb) == (after, problems)


def test_a_folder_that_cannot_hold_the_copy_is_read_each_time(small_kb: Path) -> None:
    (small_kb / CACHE_DIR).write_text("not a folder", encoding="utf-8")
    read = Counting()
    assert cached(small_kb, read) == 1 and cached(small_kb, read) == 2


def test_a_damaged_copy_is_read_again_and_replaced(
    small_kb: Path, caplog: pytest.LogCaptureFixture
) -> None:
    read = Counting()
    cached(small_kb, read)
    (copy,) = copies(small_kb)
    copy.write_bytes(b"\x80\x05 not a pickle")
    assert cached(small_kb, read) == 2
    assert "could not be read" in caplog.text
    assert cached(small_kb, read) == 2  # the new copy is good


def test_a_missing_folder_is_read_as_such(tmp_path: Path) -> None:
    base, problems = read_knowledge(tmp_path / "nowhere")
    assert not base.entries and "knowledge folder not found" in str(problems[0])
    assert not (tmp_path / "nowhere").exists()
