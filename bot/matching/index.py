"""The in-memory index over every question variant of every entry.

Each word of a question becomes a *slot*: the set of keys it can be found by (the folded
word, its stem, and the synonym groups it belongs to) with a weight, the word's inverse
document frequency over entries. Keys point back to entries (an inverted index), so a query
only looks at the entries that share a word with it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.kb.model import LANGS, KnowledgeBase, Lang
from bot.matching.langid import Lexicon
from bot.matching.lexicon import ALL_STOPWORDS
from bot.matching.normalize import words
from bot.matching.stem import stem

MIN_FUZZY_LENGTH = 4
FUZZY_CUTOFF = 75.0
FUZZY_LIMIT = 3
GROUP_PREFIX = "~"


def script_langs(word: str) -> tuple[Lang, ...]:
    """The languages a folded word may be stemmed in, by its script."""
    return ("en",) if word.isascii() else ("ru", "kk")


class Synonyms:
    """Synonym groups from ``knowledge/synonyms.yaml``: each word leads to its group's key."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self._single: dict[str, set[str]] = defaultdict(set)
        self._phrases: dict[tuple[str, ...], set[str]] = defaultdict(set)
        self.words: set[str] = set()
        for number, group in enumerate(groups):
            key = f"{GROUP_PREFIX}{number}"
            for member in group:
                found = words(member)
                self.words.update(found)
                if len(found) == 1:
                    for form in _forms(found[0], script_langs(found[0])):
                        self._single[form].add(key)
                elif found:
                    self._phrases[tuple(found)].add(key)

    def single(self, forms: Iterable[str]) -> set[str]:
        """The group keys of one word, given its forms (the word and its stems)."""
        return set().union(*(self._single.get(form, ()) for form in forms))

    def phrases(self, sequence: list[str]) -> Iterator[tuple[int, int, set[str]]]:
        """(start, end, group keys) of every multi-word synonym in a folded word list."""
        for phrase, keys in self._phrases.items():
            size = len(phrase)
            for start in range(len(sequence) - size + 1):
                if all(_same_word(a, b) for a, b in zip(sequence[start:start + size], phrase,
                                                          strict=True)):
                    yield start, start + size, keys


def _forms(word: str, langs: Iterable[Lang]) -> set[str]:
    return {word, *(stem(word, lang) for lang in langs)}


def _same_word(typed: str, listed: str) -> bool:
    return typed == listed or any(stem(typed, lang) == stem(listed, lang)
                                  for lang in script_langs(listed))


@dataclass(frozen=True)
class Slot:
    """One content word of a question: the keys it is found by and its weight."""

    keys: frozenset[str]
    weight: float


@dataclass(frozen=True)
class Question:
    """One way of asking for an entry, as indexed."""

    entry: int
    lang: Lang
    text: str
    slots: tuple[Slot, ...]
    keys: frozenset[str]
    total: float


class Index:
    """Every question variant of a knowledge base, ready for :class:`~bot.matching.Matcher`."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.entry_ids: list[str] = list(kb.entries)
        self.synonyms = Synonyms(kb.synonyms)
        self.lexicon = Lexicon()
        raw: list[tuple[int, Lang, list[str], list[frozenset[str]]]] = []
        self.entry_keys: list[set[str]] = [set() for _ in self.entry_ids]
        for number, entry in enumerate(kb.entries.values()):
            for lang in LANGS:
                for question in entry.questions(lang) if lang in entry.texts else ():
                    self.lexicon.add(lang, question)
                    folded = words(question)
                    slots = self.slot_keys(folded, (lang,))
                    raw.append((number, lang, folded, slots))
                    for keys in slots:
                        self.entry_keys[number].update(keys)
        for text in [*(w for group in kb.synonyms for w in group),
                     *(p for phrases in kb.smalltalk.values() for p in phrases)]:
            self.lexicon.add(None, text)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for number, keys in enumerate(self.entry_keys):
            for key in keys:
                self.postings[key].append(number)
        count = max(len(self.entry_ids), 1)
        self.idf = {key: math.log(1 + count / len(found)) for key, found in self.postings.items()}
        self.unknown_weight = math.log(1 + count)
        self.questions = [self._question(*item) for item in raw]
        self.by_entry: list[list[int]] = [[] for _ in self.entry_ids]
        for number, question in enumerate(self.questions):
            self.by_entry[question.entry].append(number)
        self._vocabulary: dict[str, list[str]] = defaultdict(list)
        self._word_keys: dict[str, frozenset[str]] = {}
        for _, _, folded, slots in raw:
            for word, keys in zip(content_words(folded), slots, strict=True):
                if word not in self._word_keys:
                    self._vocabulary[word[0]].append(word)
                    self._word_keys[word] = keys
                else:
                    self._word_keys[word] |= keys

    @property
    def words(self) -> set[str]:
        """Every content word of the indexed questions (folded)."""
        return set(self._word_keys)

    def slot_keys(self, folded: list[str],
                  langs: tuple[Lang, ...] | None = None) -> list[frozenset[str]]:
        """The keys of each content word of a folded word list (stopwords dropped), stemmed
        in ``langs`` (None: every language the word's script allows)."""
        keys = [set() if word in ALL_STOPWORDS else _forms(word, langs or script_langs(word))
                for word in folded]
        for forms in keys:
            forms |= self.synonyms.single(forms)
        for start, end, groups in self.synonyms.phrases(folded):
            for number in range(start, end):
                keys[number] |= groups
        return [frozenset(found) for word, found in zip(folded, keys, strict=True)
                if word not in ALL_STOPWORDS]

    def weight(self, keys: Iterable[str]) -> float:
        """The weight of a word found by ``keys``: the idf of its rarest key in the index."""
        return max((self.idf[key] for key in keys if key in self.idf), default=0.0)

    def similar(self, word: str) -> dict[str, float]:
        """Keys of the indexed words close to an unknown ``word`` (typos), with similarity."""
        if len(word) < MIN_FUZZY_LENGTH:
            return {}
        found: dict[str, float] = {}
        for other, score, _ in process.extract(word, self._vocabulary.get(word[0], ()),
                                               scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF,
                                               limit=FUZZY_LIMIT):
            for key in self._word_keys[other]:
                found[key] = max(found.get(key, 0.0), score / 100)
        return found

    def _question(self, entry: int, lang: Lang, folded: list[str],
                  slots: list[frozenset[str]]) -> Question:
        weighted = tuple(Slot(keys, self.weight(keys - _group_keys(keys))) for keys in slots)
        return Question(entry, lang, " ".join(folded), weighted,
                        frozenset().union(*slots), sum(s.weight for s in weighted))


def content_words(folded: list[str]) -> list[str]:
    """The words of a folded word list that are not function words."""
    return [word for word in folded if word not in ALL_STOPWORDS]


def _group_keys(keys: frozenset[str]) -> set[str]:
    return {key for key in keys if key.startswith(GROUP_PREFIX)}
