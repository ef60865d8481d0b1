"""The array-based scoring pieces give, bit for bit, what a plain loop over every question, every
profile and every tuning line gives: the best question's fit, the n-gram likeness, the nearest
lines."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from rapidfuzz import fuzz

from bot.kb.model import LANGS
from bot.matching import Matcher
from bot.matching import fits as fits_module
from bot.matching import matcher as matcher_module
from bot.matching.fits import Shares
from bot.matching.function_words import ALL_STOPWORDS
from bot.matching.index import Index, Question
from bot.matching.ngrams import pieces
from bot.matching.normalize import words


def _messages(index: Index, count: int) -> list[str]:
    """Questions of the base as people type them (a letter dropped or doubled, words dropped),
    and stories of three questions of different entries run together."""
    rng = random.Random(14)
    questions = [q.text for q in index.questions]
    found = []
    for text in rng.sample(questions, count):
        typed = [
            w[: len(w) // 2] + w[len(w) // 2 :] * (rng.random() < 0.2)
            if len(w) > 4 and rng.random() < 0.3
            else w
            for w in text.split()
            if rng.random() > 0.1
        ]
        found.append(" ".join(typed))
    found += [" ".join(rng.sample(questions, 3)) for _ in range(count // 2)]
    return found


@pytest.fixture(scope="module")
def messages(bundled: Matcher) -> list[str]:
    return _messages(bundled.index, 40)


def _plain_fit(
    question: Question,
    found: list[tuple[float, dict[str, float]]],
    total: float,
    text: str,
    *,
    covered: float,
    shares: Shares,
    matcher: Matcher,
) -> float | None:
    """One question's fit as the formula reads (see QuestionTable.best_fits); None when the
    message has no word of it."""
    config = matcher.config
    keys = [slot.keys for slot in question.slots]
    weight, reached = 0.0, False
    for token_weight, alts in found:
        sims = [sim for key, sim in alts.items() if any(key in k for k in keys)]
        if sims:
            weight, reached = weight + token_weight * max(sims), True
    if not reached:
        return None
    every_key = {key for _, alts in found for key in alts}
    parts = 0.0
    for slot in question.slots:
        if slot.keys & every_key:
            parts += slot.weight
    own = weight / total
    by_words = shares.query * (shares.entry * covered + (1 - shares.entry) * own)
    size = question.total
    contained = (parts / size if size else 0.0) * min(size / (config.question_size * total), 1.0)
    kept = 1 - config.substitution_penalty * min(1 - contained, 1 - own)
    alike = fuzz.token_sort_ratio(text, question.text) / 100
    share = 1 - shares.query - config.similarity_share
    return (by_words + share * contained + config.similarity_share * alike) * kept


@pytest.mark.parametrize("large", [False, True])
def test_best_fits_are_the_plain_formulas_maximum(
    bundled: Matcher, messages: list[str], large: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a small table and as a large one does it (each word's hits cut to the candidates'
    questions and slots first)."""
    monkeypatch.setattr(fits_module, "LARGE_TABLE", 0 if large else fits_module.LARGE_TABLE)
    index = bundled.index
    rng = random.Random(3)
    checked = 0
    for message in messages:
        folded = words(message)
        tokens = bundled._tokens(folded)
        query = matcher_module._Query(tokens, " ".join(folded), bundled.config, index.fits)
        entries = rng.sample(range(len(index.entry_ids)), 10)
        coverage = {e: rng.random() for e in entries}
        fits = index.fits.best_fits(
            query.words, query.total, query.text, coverage, query.shares, bundled.config
        )
        found = [(t.weight, t.alts) for t in tokens if t.alts]
        for entry in entries:
            plain = [
                fit
                for question in index.entry_questions[entry]
                if (
                    fit := _plain_fit(
                        question,
                        found,
                        query.total,
                        query.text,
                        covered=coverage[entry],
                        shares=query.shares,
                        matcher=bundled,
                    )
                )
                is not None
            ]
            assert fits[entry] == max(plain, default=0.0), (message, entry)
            checked += bool(plain)
    assert checked > 300  # most entries were reached: the comparison is not vacuous


def test_ngram_likeness_is_the_plain_cosine(bundled: Matcher, messages: list[str]) -> None:
    index = bundled.index
    texts = [
        [" ".join(q.text for q in questions if q.lang == lang) for lang in LANGS]
        for questions in index.entry_questions
    ]
    profiles = [[pieces(text) for text in langs if text] for langs in texts]
    documents = [piece for langs in profiles for profile in langs for piece in profile]
    count = sum(map(len, profiles))
    seen = Counter(documents)
    idf = {piece: math.log((1 + count) / (1 + n)) + 1 for piece, n in seen.items()}

    def weight(n: int) -> float:
        return 1 + math.log(min(n, 255))

    def norm(profile: dict[str, int]) -> float:
        return math.sqrt(sum((weight(n) * idf[p]) ** 2 for p, n in profile.items())) or 1.0

    for message in messages:
        text = " ".join(words(message))
        query = {p: (1 + math.log(n)) * idf[p] for p, n in pieces(text).items() if p in idf}
        size = math.sqrt(sum(w * w for w in query.values())) or 1.0
        found = index.profiles.similarity(text, range(len(profiles)))
        for entry, langs in enumerate(profiles):
            plain = max(
                (
                    1
                    / norm(profile)
                    * sum(
                        w * idf[p] / size * weight(profile[p])
                        for p, w in query.items()
                        if p in profile
                    )
                    for profile in langs
                ),
                default=0.0,
            )
            assert found[entry] == plain, (message, entry)


def test_a_story_whose_question_sentence_reaches_no_candidate_is_matched(bundled: Matcher) -> None:
    """A question sentence with no word of the story's candidates (its ranking among them is
    empty) leaves the story's ranking as it is; it did not fail the match."""
    story = (
        "Надо ли госслужащему где-то отчитываться, если он купил машину за 15 миллионов? "
        "Или это только в годовой декларации?"
    )
    assert not bundled.match(story).failed


def test_nearest_lines_are_those_sharing_most_words_first_found_first(
    bundled: Matcher, messages: list[str]
) -> None:
    """The lines looked at are the first ``nearest_lines`` by content words shared, those
    sharing as many in the order the message's words (sorted) first find them; the likeness
    is the Jaccard index."""
    neighbours = bundled.index.neighbours
    postings = {word: found.tolist() for word, found in neighbours._postings.items()}
    documents: list[set[str]] = [set(f) for f in neighbours._function_words]
    for word, found in postings.items():
        for n in found:
            documents[n].add(word)
    for message in messages:
        query = set(words(message))
        function_words = ALL_STOPWORDS & query
        shared: Counter[int] = Counter()
        for word in sorted(query - function_words):
            shared.update(postings.get(word, ()))
        for entry_id in bundled.index.entry_ids[:3]:
            own = other = 0.0
            for n, count in shared.most_common(bundled.config.nearest_lines):
                if (count + len(function_words)) / len(query) <= min(own, other):
                    break
                alike = len(query & documents[n]) / len(query | documents[n])
                if entry_id in neighbours._labels[n]:
                    own = max(own, alike)
                else:
                    other = max(other, alike)
            assert neighbours.nearest(list(query), entry_id) == (own, own - other), message
