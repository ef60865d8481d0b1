"""The matcher's index kept on disk next to the base: read back, it matches as the index it
was built as; it is used while nothing it depends on changed, and never for another base."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from bot.kb import read_knowledge
from bot.kb.cache import CACHE_DIR
from bot.matching import Matcher, built
from bot.matching.built import PREFIX, built_index
from bot.matching.index import Index

DATA = Path(__file__).resolve().parent / "data"


def copies(root: Path) -> list[Path]:
    return sorted((root / CACHE_DIR).glob(f"{PREFIX}*.pickle"))


def texts(index: Index) -> list[str]:
    return [q.text for q in index.questions]


class CountingIndex(Index):
    """An index that counts how many were built."""

    built = 0

    def __init__(self, *args: object, **kwargs: object) -> None:
        CountingIndex.built += 1
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> type[CountingIndex]:
    CountingIndex.built = 0
    monkeypatch.setattr(built, "Index", CountingIndex)
    return CountingIndex


def test_an_index_read_back_matches_as_the_one_built(bundled: Matcher) -> None:
    copy = pickle.loads(pickle.dumps(bundled.index, protocol=pickle.HIGHEST_PROTOCOL))
    again = Matcher(bundled.kb, index=copy)
    lines = [json.loads(line)["q"] for line in (DATA / "eval.jsonl").open(encoding="utf-8")]
    lines += [q for e in bundled.kb.entries.values() for q in e.questions("kk")[:2]]
    assert len(lines) > 300
    for line in lines:
        assert again.match(line) == bundled.match(line), line
        assert again.search(line) == bundled.search(line), line


def test_the_copy_is_used_until_a_file_changes(
    small_kb: Path, counting: type[CountingIndex]
) -> None:
    kb, _ = read_knowledge(small_kb)
    first = built_index(small_kb, kb)
    assert counting.built == 1 and len(copies(small_kb)) == 1
    second = built_index(small_kb, kb)
    assert counting.built == 1  # read from the copy
    assert second.entry_ids == first.entry_ids and second.idf == first.idf
    question = kb.entries["gift-ban"].questions("ru")[0]
    assert Matcher(kb, index=second).match(question) == Matcher(kb, index=first).match(question)
    gifts = small_kb / "gifts.yaml"
    gifts.write_text(gifts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    built_index(small_kb, read_knowledge(small_kb)[0])
    assert counting.built == 2 and len(copies(small_kb)) == 1  # the old copy is gone


def test_a_base_the_files_no_longer_say_is_indexed_and_not_kept(
    small_kb: Path, counting: type[CountingIndex]
) -> None:
    before, _ = read_knowledge(small_kb)
    gifts = small_kb / "gifts.yaml"
    gifts.write_text(
        gifts.read_text(encoding="utf-8").replace("gift-family вопрос", "семья вопрос"),
        encoding="utf-8",
    )
    index = built_index(small_kb, before)
    assert counting.built == 1 and copies(small_kb) == []
    after, _ = read_knowledge(small_kb)
    assert texts(index) == texts(Index(before)) != texts(Index(after))  # the base it was given
    assert texts(built_index(small_kb, after)) == texts(Index(after))
    assert counting.built == 2 and len(copies(small_kb)) == 1


def test_a_file_changed_while_building_keeps_no_copy(
    small_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb, _ = read_knowledge(small_kb)
    gifts = small_kb / "gifts.yaml"

    class EditedMeanwhile(Index):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]
            gifts.write_text(gifts.read_text(encoding="utf-8") + "\n", encoding="utf-8")

    monkeypatch.setattr(built, "Index", EditedMeanwhile)
    built_index(small_kb, kb)
    assert copies(small_kb) == []


def test_a_damaged_copy_is_built_again(small_kb: Path, counting: type[CountingIndex]) -> None:
    kb, _ = read_knowledge(small_kb)
    built_index(small_kb, kb)
    (copy,) = copies(small_kb)
    copy.write_bytes(copy.read_bytes()[:100])
    built_index(small_kb, kb)
    assert counting.built == 2
    built_index(small_kb, kb)
    assert counting.built == 2  # the new copy is good
