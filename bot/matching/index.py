"""The in-memory index over every question variant of every entry.

Each word of a question becomes a *slot*: the set of keys it can be found by (the folded
word, its stem, and the synonym groups it belongs to) with a weight, the word's inverse
document frequency over entries. Keys point back to entries (an inverted index), so a query
only looks at the entries that share a word with it; within an entry, keys point to the slots
of its questions (``question_postings``), so a query only looks at the questions that share a
word with it.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.kb.model import LANGS, KnowledgeBase, Lang
from bot.matching.bayes import EntryModel
from bot.matching.caching import WithCaches
from bot.matching.common_words import is_common_english
from bot.matching.config import DEFAULT, MatchConfig
from bot.matching.fits import QuestionTable
from bot.matching.function_words import ALL_STOPWORDS
from bot.matching.kinship import Role, not_receiving_kin, others_kin
from bot.matching.lexicon import Lexicon
from bot.matching.neighbours import Neighbours
from bot.matching.ngrams import EntryProfiles
from bot.matching.normalize import words
from bot.matching.reading import WORDS_CACHED
from bot.matching.stem import script_langs, stem, word_stems
from bot.matching.usage import NONE, Usage, shipped_stems

GROUP_PREFIX = "~"


class Synonyms:
    """Synonym groups from ``knowledge/synonyms.yaml``: each word leads to its group's key."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self._single: dict[str, set[str]] = defaultdict(set)
        # first word's form → (every word's forms, group key) of each multi-word synonym
        self._phrases: dict[str, list[tuple[tuple[set[str], ...], str]]] = defaultdict(list)
        keys: set[str] = set()
        for group in groups:
            key = _group_key(group, keys)
            keys.add(key)
            for member in group:
                forms = tuple(_forms(word, script_langs(word)) for word in words(member))
                if len(forms) == 1:
                    for form in forms[0]:
                        self._single[form].add(key)
                for form in forms[0] if len(forms) > 1 else ():
                    self._phrases[form].append((forms, key))

    def single(self, forms: Iterable[str]) -> set[str]:
        """The group keys of one word, given its forms (the word and its stems)."""
        return set().union(*(self._single.get(form, ()) for form in forms))

    def phrases(self, forms: Sequence[AbstractSet[str]]) -> Iterator[tuple[int, int, str]]:
        """(start, end, group key) of every multi-word synonym in a text, given the forms
        (the word and its stems) of each of its words."""
        for start, first in enumerate(forms):
            for form in first:
                for phrase, key in self._phrases.get(form, ()):
                    end = start + len(phrase)
                    if end <= len(forms) and all(
                        forms[start + i] & phrase[i] for i in range(1, len(phrase))
                    ):
                        yield start, end, key


def _group_key(group: Iterable[str], taken: AbstractSet[str]) -> str:
    """A synonym group's key: its first word, folded ("~взятка"), numbered when another
    group leads with it too. Not the group's place in the file: the trained models know
    groups by their keys, so adding a group anywhere must leave the others' keys alone."""
    first = "_".join(words(next(iter(group), ""))) or "group"
    key, number = f"{GROUP_PREFIX}{first}", 1
    while key in taken:
        number += 1
        key = f"{GROUP_PREFIX}{first}#{number}"
    return key


def _without(folded: list[str], places: set[int]) -> list[str]:
    """``folded`` without the words at ``places`` (itself when there are none)."""
    return [word for at, word in enumerate(folded) if at not in places] if places else folded


def _forms(word: str, langs: Iterable[Lang]) -> set[str]:
    return {word, *(stem(word, lang) for lang in langs)}


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
    total: float


class Index(WithCaches):
    """Every question variant of a knowledge base, ready for :class:`~bot.matching.Matcher`."""

    CACHES = frozenset({"_keys_of_word", "kin_role", "_word_features", "similar"})

    def __init__(
        self, kb: KnowledgeBase, config: MatchConfig = DEFAULT, usage: Usage | None = None
    ) -> None:
        """Index ``kb``'s questions; ``usage`` (how people asked for its entries, see
        :mod:`bot.matching.usage`) adds documents to the naive Bayes model only."""
        self.config = config
        self.entry_ids: list[str] = list(kb.entries)
        self.synonyms = Synonyms(kb.synonyms)
        self.lexicon = Lexicon()
        raw: list[tuple[int, Lang, list[str], list[frozenset[str]]]] = []
        documents: list[list[list[str]]] = [[] for _ in self.entry_ids]
        self.entry_keys: list[set[str]] = [set() for _ in self.entry_ids]
        self._caches()
        self._concepts = self._concept_phrases(kb)
        for number, entry in enumerate(kb.entries.values()):
            for lang in LANGS:
                for question in entry.questions(lang) if lang in entry.texts else ():
                    self.lexicon.add(lang, question)
                    folded = self.without_others_kin(words(question))
                    slots = self.slot_keys(folded, (lang,))
                    raw.append((number, lang, folded, slots))
                    documents[number].append(self.features(folded))
                    for keys in slots:
                        self.entry_keys[number].update(keys)
        for text in [
            *(w for group in kb.synonyms for w in group),
            *(p for phrases in kb.smalltalk.values() for p in phrases),
        ]:
            self.lexicon.add(None, text)
        self.postings: dict[str, list[int]] = defaultdict(list)
        for number, entry_keys in enumerate(self.entry_keys):
            for key in entry_keys:
                self.postings[key].append(number)
        count = max(len(self.entry_ids), 1)
        self.idf = {
            key: math.log(1 + count / len(found)) ** self.config.idf_power
            for key, found in self.postings.items()
        }
        self.unknown_weight = math.log(1 + count) ** self.config.idf_power
        self.questions = [self._question(*item) for item in raw]
        self.number = {entry_id: n for n, entry_id in enumerate(self.entry_ids)}
        # each entry's questions, in the order of self.questions: a question's place in this
        # list is its place in its entry
        self.entry_questions: list[list[Question]] = [[] for _ in self.entry_ids]
        for indexed in self.questions:
            self.entry_questions[indexed.entry].append(indexed)
        # a code of question_postings: (a question's place in its entry) << slot_shift | slot
        self.slot_shift = max((len(q.slots) for q in self.questions), default=1).bit_length()
        codes: dict[int, int] = {}  # one int object for each code: memory at scale
        self.question_postings = [
            self._question_postings(questions, codes) for questions in self.entry_questions
        ]
        self.fits = QuestionTable(self.entry_questions)
        self.profiles = EntryProfiles(
            [
                [[q.text for q in questions if q.lang == lang] for lang in LANGS]
                for questions in self.entry_questions
            ]
        )
        # the documents of no entry: a class of the model after the entries, never ranked
        self.none_class = len(self.entry_ids)
        documents.append([])
        for entry_id, used in (usage or {}).items():
            known = (
                self.none_class if entry_id == NONE else self.number.get(kb.resolve(entry_id) or "")
            )
            if known is not None:
                documents[known].extend(self.features(list(doc)) for doc in used)
        self.model = EntryModel(documents)
        # the nearest ways of asking: the questions and the tuning lines, searchable by word
        self.neighbours = Neighbours(
            ((self.entry_ids[q.entry], q.text.split()) for q in self.questions),
            usage or {},
            kb.resolve,
            config.nearest_lines,
        )
        # each entry's documents (its questions' features, then its tuning lines'), then those
        # of no entry: what the naive Bayes model counts and the logistic regression is fitted on
        self.documents: list[list[list[str]]] = documents
        self._vocabulary: dict[str, list[str]] = defaultdict(list)
        self._prefixed: dict[str, list[str]] = defaultdict(list)
        self._word_keys: dict[str, frozenset[str]] = {}
        for _, _, folded, slots in raw:
            for word, keys in zip(content_words(folded), slots, strict=True):
                if word not in self._word_keys:
                    self._vocabulary[word[0]].append(word)
                    self._prefixed[word[: self.config.prefix_length]].append(word)
                    self._word_keys[word] = keys
                else:
                    self._word_keys[word] |= keys

    @property
    def words(self) -> set[str]:
        """Every content word of the indexed questions (folded)."""
        return set(self._word_keys)

    def _concept_phrases(
        self, kb: KnowledgeBase
    ) -> dict[str, list[tuple[str, list[frozenset[str]]]]]:
        """Each concept word or phrase as the keys of its content words, filed under the keys
        of its first word."""
        found: dict[str, list[tuple[str, list[frozenset[str]]]]] = defaultdict(list)
        for concept in kb.concepts.values():
            for lang, items in concept.words.items():
                for item in items:
                    slots = [keys for keys in self.slot_keys(words(item), (lang,)) if keys]
                    for key in slots[0] if slots else ():
                        found[key].append((concept.id, slots))
        return found

    def word_concepts(self, word: str) -> set[str]:
        """The concepts a single folded word is a kind of (by its own keys, not a phrase's)."""
        found = self.slot_keys([word])
        keys = found[0] if found else frozenset()
        return {
            concept
            for key in keys
            for concept, slots in self._concepts.get(key, ())
            if len(slots) == 1 and not keys.isdisjoint(slots[0])
        }

    def without_others_kin(self, folded: list[str]) -> list[str]:
        """Folded words without the relatives of a giver ("a pupil's parents" are not the
        official's family, see :mod:`~bot.matching.kinship`): the same reading of the base's
        questions and of a message."""
        return _without(folded, others_kin(folded, self.kin_role))

    def receiving_family(self, folded: list[str]) -> list[str]:
        """Folded words without the relatives who are not the family a gift went to (the
        giver, or the official himself, see :mod:`~bot.matching.kinship`): what the family
        gift rule's required relative is looked for in."""
        return _without(
            folded,
            not_receiving_kin(
                folded, self.kin_role, self.config.official_window, self.config.to_writer_window
            ),
        )

    def _role(self, word: str) -> Role | None:
        """Whether a folded word is a relative ("kin"), someone an official deals with
        ("giver"), an official's post or workplace ("official"), or neither: by the concepts
        of MatchConfig.kin_concepts, giver_concepts and official_concepts."""
        concepts = self.word_concepts(word)
        if not concepts.isdisjoint(self.config.kin_concepts):
            return "kin"
        if not concepts.isdisjoint(self.config.giver_concepts):
            return "giver"
        return "official" if not concepts.isdisjoint(self.config.official_concepts) else None

    def concepts_in(self, folded: list[str], also: Iterable[str] = ()) -> set[str]:
        """The concepts whose words or phrases a folded message contains (with the keys
        ``also``: those of the words its typos most likely are)."""
        keys = set().union(*self.slot_keys(folded), also)
        return {
            concept
            for key in keys
            for concept, slots in self._concepts.get(key, ())
            if all(not keys.isdisjoint(slot) for slot in slots)
        }

    def slot_keys(
        self, folded: list[str], langs: tuple[Lang, ...] | None = None
    ) -> list[frozenset[str]]:
        """The keys of each content word of a folded word list (stopwords dropped), stemmed
        in ``langs`` (None: every language the word's script allows)."""
        read = [self._keys_of_word(word, langs) for word in folded]
        keys = [own for _, own in read]
        for start, end, group in self.synonyms.phrases([forms for forms, _ in read]):
            for number in range(start, end):
                keys[number] |= {group}
        return [
            found for word, found in zip(folded, keys, strict=True) if word not in ALL_STOPWORDS
        ]

    def _forms_and_keys(
        self, word: str, langs: tuple[Lang, ...] | None
    ) -> tuple[frozenset[str], frozenset[str]]:
        """A folded word's forms (itself and its stems in ``langs``, see :meth:`slot_keys`)
        and its own keys: its forms and their synonym groups (none for a stopword)."""
        forms = frozenset(_forms(word, langs or script_langs(word)))
        return forms, frozenset() if word in ALL_STOPWORDS else forms | self.synonyms.single(forms)

    def features(self, folded: list[str]) -> list[str]:
        """Every word of a folded word list, function words included, as its stems and its
        synonym groups: what :class:`~bot.matching.bayes.EntryModel` counts."""
        return [feature for word in folded for feature in self._word_features(word)]

    def _features_of(self, word: str) -> tuple[str, ...]:
        """One folded word's features (see :meth:`features`; read through _word_features,
        which keeps them)."""
        # the tuning lines' words have their stems shipped with them (stemming them anew
        # took 0.15 s of each start-up); any other word is stemmed here
        stems = shipped_stems().get(word) or word_stems(word)
        # a fixed order: the same sums in every process
        return (*stems, *sorted(self.synonyms.single({word, *stems})))

    def weight(self, keys: Iterable[str]) -> float:
        """The weight of a word found by ``keys``: the idf of its rarest key in the index."""
        return max((self.idf[key] for key in keys if key in self.idf), default=0.0)

    def _similar(self, word: str) -> dict[str, float]:
        """Keys of the indexed words close to an unknown ``word``, with similarity: likely
        typos (rapidfuzz ratio), words sharing its first letters (подарить, подарок) and, for
        a short word, the words it begins. A common English word is neither a typo nor cut
        short: "sent" is not "set". (Read through :attr:`similar`, which keeps the answers.)"""
        if len(word) < self.config.min_fuzzy_length:
            return {}
        real = is_common_english(word)
        close = (
            []
            if real
            else [
                (other, score / 100)
                for other, score, _ in process.extract(
                    word,
                    self._vocabulary.get(word[0], ()),
                    scorer=fuzz.ratio,
                    score_cutoff=self.config.fuzzy_cutoff,
                    limit=self.config.fuzzy_limit,
                )
            ]
        )
        if len(word) >= self.config.prefix_length:
            close += [
                (other, self.config.prefix_similarity)
                for other in self._prefixed.get(word[: self.config.prefix_length], ())
            ]
        elif not real:  # a word cut short, as typed in inline mode: "пода" for подарок
            start = bisect.bisect_left(self._sorted, word)
            close += [
                (other, self.config.prefix_similarity)
                for other in itertools.takewhile(
                    lambda other: other.startswith(word),
                    self._sorted[start : start + self.config.fuzzy_limit],
                )
            ]
        found: dict[str, float] = {}
        for other, sim in close:
            for key in self._word_keys[other]:
                found[key] = max(found.get(key, 0.0), sim)
        return found

    @functools.cached_property
    def _sorted(self) -> list[str]:
        return sorted(self._word_keys)

    def _caches(self) -> None:
        """The caches of what is asked of a word again and again (empty at first)."""
        # a message's words are read for their keys again and again (tokens, concepts)
        self._keys_of_word: Callable[
            [str, tuple[Lang, ...] | None], tuple[frozenset[str], frozenset[str]]
        ] = functools.lru_cache(maxsize=WORDS_CACHED)(self._forms_and_keys)
        self.kin_role: Callable[[str], Role | None] = functools.lru_cache(maxsize=WORDS_CACHED)(
            self._role
        )
        # a word's naive Bayes features: asked for each word of each message (and its question)
        self._word_features: Callable[[str], tuple[str, ...]] = functools.lru_cache(
            maxsize=WORDS_CACHED
        )(self._features_of)
        # an unknown word is looked up again in a story's question sentence, and recurs
        self.similar: Callable[[str], Mapping[str, float]] = functools.lru_cache(
            maxsize=WORDS_CACHED
        )(self._similar)

    def _question(
        self, entry: int, lang: Lang, folded: list[str], slots: list[frozenset[str]]
    ) -> Question:
        weighted = tuple(Slot(keys, self.weight(keys - _group_keys(keys))) for keys in slots)
        return Question(entry, lang, " ".join(folded), weighted, sum(s.weight for s in weighted))

    def _question_postings(
        self, questions: list[Question], codes: dict[int, int]
    ) -> dict[str, tuple[int, ...]]:
        """One entry's inverted index: each key to the codes (see slot_shift) of the slots of
        the entry's questions found by it."""
        found: dict[str, list[int]] = defaultdict(list)
        for at, question in enumerate(questions):
            for slot_at, slot in enumerate(question.slots):
                code = at << self.slot_shift | slot_at
                code = codes.setdefault(code, code)
                for key in slot.keys:
                    found[key].append(code)
        return {key: tuple(entry_codes) for key, entry_codes in found.items()}


def content_words(folded: list[str]) -> list[str]:
    """The words of a folded word list that are not function words."""
    return [word for word in folded if word not in ALL_STOPWORDS]


def _group_keys(keys: frozenset[str]) -> set[str]:
    return {key for key in keys if key.startswith(GROUP_PREFIX)}
