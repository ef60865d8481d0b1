"""How people ask for each entry (the tuning lines' words): collected, shipped, counted by the
naive Bayes model, and never counted for the line it came from when training."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import training
from bot.cli import TRAINING_SETS
from bot.evaluate import EVERYDAY_WORD, Case, load_cases
from bot.kb import KnowledgeBase, load_knowledge
from bot.matching import Matcher
from bot.matching.confidence import FEATURES
from bot.matching.stem import word_stems
from bot.matching.usage import NONE, USAGE_PATH, Documents, collect, load, load_stems, save
from bot.training import UNTRAINED, out_of_fold_rows, usage_documents

ROOT = Path(__file__).resolve().parent.parent
BAYES = FEATURES.index("bayes")


def test_a_line_is_a_document_of_each_entry_it_expects_or_of_none() -> None:
    usage = collect(
        [
            (["gift", "wife", "gift"], ["a", "b"]),
            (["hello"], []),
            (["trap"], ["a"]),
            ([], ["b"]),
        ]
    )
    assert usage == {
        "a": [("gift", "wife"), ("trap",)],
        "b": [("gift", "wife")],
        NONE: [("hello",)],
    }


def test_saved_usage_loads_the_same_and_is_written_the_same(tmp_path: Path) -> None:
    usage = {"a": [("gift", "wife")], "ә": [("сыйлық",)]}
    first, second = tmp_path / "1.json.gz", tmp_path / "2.json.gz"
    save(usage, first)
    save(usage, second)
    assert load(first) == usage
    assert first.read_bytes() == second.read_bytes()
    assert load(tmp_path / "missing.json.gz") == {}


def _bayes(matcher: Matcher, text: str, entry_id: str) -> float:
    """The naive Bayes probability of ``entry_id`` among all entries for ``text``."""
    index = matcher.index
    features = index.features(matcher.folded(text))
    found = index.model.posterior(features, range(len(index.entry_ids)), 1.0)
    return found[index.number[entry_id]]


def test_the_words_people_use_weigh_for_the_entry_they_asked_for(bundled: Matcher) -> None:
    kb = bundled.kb
    entry_id = next(iter(kb.entries))
    story = "zebrafoo quuxbar"  # words no question of the base uses
    plain = Matcher(kb, confidence=UNTRAINED, usage={})
    used = Matcher(kb, confidence=UNTRAINED, usage={entry_id: [("quuxbar", "zebrafoo")] * 3})
    assert _bayes(plain, story, entry_id) == pytest.approx(1 / len(kb.entries))
    assert _bayes(used, story, entry_id) > 0.5


def test_usage_of_an_entry_the_base_no_longer_has_is_left_out(bundled: Matcher) -> None:
    kb = bundled.kb
    gone = Matcher(kb, confidence=UNTRAINED, usage={"no-such-entry": [("zebrafoo",)]})
    plain = Matcher(kb, confidence=UNTRAINED, usage={})
    some = next(iter(kb.entries))
    assert _bayes(gone, "zebrafoo", some) == _bayes(plain, "zebrafoo", some)


def test_a_training_line_is_judged_without_its_own_words(bundled: Matcher) -> None:
    """Out of fold: with its own words counted, the naive Bayes model would favour the
    line's entry, and the confidence would learn to trust it too much."""
    kb = bundled.kb
    story = "zebrafoo quuxbar gift"
    alone = Matcher(kb, confidence=UNTRAINED, usage={}).explain(story)
    assert alone is not None
    entry_id = alone[0]
    cases = [Case(q=story, lang="en", expect=(entry_id,), kind="situation", line=1)]
    (values, right), *_ = out_of_fold_rows(kb, cases, usage_documents(kb, cases))
    counted = Matcher(kb, confidence=UNTRAINED, usage=collect([(story.split(), [entry_id])]))
    found = counted.explain(story)
    assert found is not None and found[0] == entry_id and right
    assert values[BAYES] == alone[1][BAYES]
    assert found[1][BAYES] > alone[1][BAYES]


def test_a_fold_without_a_case_builds_no_matcher(
    small_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two cases are judged in two folds: a matcher and a fit for each, none for the rest."""
    kb = load_knowledge(small_kb)
    built: list[Documents] = []

    def counting(kb: KnowledgeBase, usage: Documents) -> Matcher:
        built.append(usage)
        return trained(kb, usage)

    trained = training.trained_matcher
    monkeypatch.setattr(training, "trained_matcher", counting)
    cases = [
        Case(q=q, lang="en", expect=("gift-ban",), kind="situation", line=n)
        for n, q in enumerate(("may I take a gift", "a gift from a friend"), 1)
    ]
    rows = out_of_fold_rows(kb, cases, usage_documents(kb, cases))
    assert len(rows) == len(built) == len(cases)


def test_the_shipped_usage_is_the_training_sets_and_nothing_else(bundled: Matcher) -> None:
    """Re-run ``adal-bot train`` when a training set changes; a gated line never gets in."""
    kb = bundled.kb
    cases = [case for path in TRAINING_SETS for case in load_cases(ROOT / path, kb)]
    assert load(USAGE_PATH) == collect(usage_documents(kb, cases))


def test_the_shipped_stems_are_those_of_every_word_of_the_usage() -> None:
    """They spare a process stemming the tuning lines' words at start-up: the stemmer's
    own (re-run ``adal-bot train`` when ``bot/matching/stem.py`` changes)."""
    stems = load_stems(USAGE_PATH)
    found = {word for documents in load(USAGE_PATH).values() for doc in documents for word in doc}
    assert set(stems) == found
    assert all(stems[word] == word_stems(word) for word in found)


def test_usage_saved_and_read_back_keeps_documents_and_their_stems(tmp_path: Path) -> None:
    usage = {"gift-ban": [("берди", "подарок")], NONE: [("hello", "there")]}
    save(usage, tmp_path / "usage.json.gz")
    assert load(tmp_path / "usage.json.gz") == usage
    assert load_stems(tmp_path / "usage.json.gz") == {
        word: word_stems(word) for word in ("берди", "подарок", "hello", "there")
    }
    assert load_stems(tmp_path / "missing.json.gz") == {}


def test_single_everyday_words_are_no_documents(bundled: Matcher) -> None:
    """They are no lines people wrote: rows of the confidence, not words of how people ask."""
    word = Case(q="river", lang="en", expect=(), kind=EVERYDAY_WORD, line=1)
    line = Case(q="how is the river", lang="en", expect=(), kind="chatter", line=2)
    documents = collect(usage_documents(bundled.kb, [word, line]))
    assert documents == {NONE: [("how", "is", "river", "the")]}
