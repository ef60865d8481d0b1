"""Finding the entry a message asks for, or knowing there is none.

A message is read word by word (as typed, from Latin letters, or from the wrong keyboard
layout), its content words are looked up in the :class:`~bot.matching.index.Index` (exactly,
by stem or synonym, or as a likely typo), and every entry sharing a word is scored:

* *query coverage*: how much of the message's weight the entry's questions explain;
* *question coverage*: how much of the entry's best question the message contains (a
  question that is a small part of a long message counts less: a passing mention);
* *string similarity*: rapidfuzz's token-sort ratio against that question;
* *n-gram likeness*: the message's three-letter pieces against the entry's questions in
  each language taken together (:mod:`~bot.matching.ngrams`), which sees through endings
  the stemmer leaves and typos too far off to be matched as words;
* *the way it asks*: a naive Bayes model of the entries' questions (:mod:`~bot.matching.bayes`)
  adds points to the entries the message's words, function words included, are typical of,
  and takes them from the others: "what do I do now?" and "is that a setup?" share no
  content word but ask for different entries.

Words the base has never seen weigh as much as its rarest words, so a message about
something else ("how do I renew my passport") covers little and is not answered. Words
common in everyday English or Russian ("giving", "куда") weigh less than their rarity in
the base alone would make them (:mod:`~bot.matching.common_words`), unless a synonym group
names them as terms of the base ("подарок").
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Literal

from bot.kb.model import DEFAULT_LANG, KnowledgeBase, Lang
from bot.matching.bayes import normalized
from bot.matching.common_words import everyday_share, load_word_lists
from bot.matching.confidence import ConfidenceModel
from bot.matching.config import DEFAULT, MatchConfig
from bot.matching.fits import QuestionTable, Shares
from bot.matching.index import GROUP_PREFIX, Index, content_words
from bot.matching.langid import Guess, read_language
from bot.matching.logistic import Logistic
from bot.matching.logistic import shipped as load_logistic
from bot.matching.normalize import split_sentences
from bot.matching.reading import WORDS_CACHED, Chunk, Reader
from bot.matching.smalltalk import SmallTalk
from bot.matching.usage import Usage
from bot.matching.usage import shipped as load_usage

log = logging.getLogger(__name__)
_QUESTION_END = re.compile(r"(?<=\?)\s+")  # a message's questions, each with what leads to it
_ARTICLE = re.compile(r"\d{3,}_\d{1,2}")  # an article with its part, folded ("380_1"; not "14_15")
# clauses of a message: split at commas, semicolons, new lines and the end of a sentence (not
# at the dot of "тел. [PHONE]")
_CLAUSE_END = re.compile(r"[,;\n]|(?<=[.!?])\s+(?!\[)")
_WORD = re.compile(r"\w+")
# a message's clauses as its frame is found by (see Matcher._unframed): split at new lines,
# the end of a sentence and commas, semicolons and colons ("Forwarded: …") before a space (in
# a word, they are letters typed on the wrong keyboard layout: ";tyf" is «жена»)
_FRAME_CUT = re.compile(r"[,;:]+(?=\s)|\n+|(?<=[.!?…])\s+")
PERSONAL_CLAUSE = 3  # words besides personal data: a clause this short only gives it

LeftOut = Literal["other matter", "other question", "follow-up"]  # see MatchResult.left_out
SMALLTALK_ENTRIES = {"capabilities": "about-bot"}  # small talk that an entry answers best


@dataclass(frozen=True)
class MatchResult:
    """What the matcher found for one message."""

    entry_id: str | None
    score: float
    lang: Lang
    suggestions: tuple[str, ...]
    smalltalk: str | None = None
    case_signal: bool = False
    failed: bool = False  # the matcher raised and abstained instead (a bug, logged)
    two_topics: bool = False  # bare keywords named two topics: ask which of the suggestions
    one_topic: bool = False  # the message names the topic its two best suggestions share: ask
    off_topic: bool = False  # an abstention too unlikely to be about the base: no suggestions
    told: bool = True  # the message tells its language; False: ``lang`` is only a guess
    # a question left out: the last, before matching (see Matcher._last_question_left_out):
    # "other matter" (one the base lacks: the dialog says it is not answered) or "follow-up";
    # or another, once its questions were matched apart: "other question" (one the base lacks)
    left_out: LeftOut | None = None
    # not answered whole, but its questions, each matched alone, are: answered with the first
    # one's entry, another topic's offered, or those asking nothing of the base left out (see
    # Matcher._answered_apart)
    asked_apart: bool = False

    @property
    def told_lang(self) -> Lang | None:
        """The language the message tells, or None when ``lang`` is only a guess."""
        return self.lang if self.told else None


@dataclass(frozen=True)
class _Token:
    word: str
    alts: Mapping[str, float]  # shared with Index.similar's answers: never changed
    weight: float

    @functools.cached_property  # asked for each token by scoring, features and rules
    def exact(self) -> bool:
        """Found as such (every key at similarity 1), not as a likely typo."""
        return all(sim == 1.0 for sim in self.alts.values())


@dataclass(frozen=True)
class _Ranking:
    """A message's content words and its entries, best first, with what scoring its
    candidates found (by number): the n-gram likeness of those ranked and the naive Bayes
    log-likelihoods of them all, and of the lines that ask for no entry."""

    tokens: list[_Token]
    ranked: list[tuple[str, float]]
    looks: dict[int, float]
    logs: dict[int, float]
    no_entry: float


class Matcher:
    """Matches free text against a knowledge base (built once per base)."""

    def __init__(
        self,
        kb: KnowledgeBase,
        config: MatchConfig = DEFAULT,
        confidence: ConfidenceModel | None = None,
        usage: Usage | None = None,
        logistic: Logistic | None = None,
        index: Index | None = None,
    ) -> None:
        """A matcher of ``kb``'s entries; the confidence model, how people asked for the
        entries (``usage``) and the logistic regression of their words are the shipped ones
        unless given. ``index``: one already built of the same base, config and usage."""
        self.kb = kb
        self.config = config
        self.confidence = confidence or ConfidenceModel.load()
        self.logistic = load_logistic() if logistic is None else logistic
        if index is None:
            index = Index(kb, config, load_usage() if usage is None else usage)
        self.index = index
        self.smalltalk = SmallTalk(kb.smalltalk, self.index.words)
        self._topics = [kb.entries[entry_id].topic for entry_id in self.index.entry_ids]
        self._leads = {topic: kb.by_topic(topic)[0].id for topic in set(self._topics)}
        self._requires = {e.id: frozenset(e.requires) for e in kb.entries.values() if e.requires}
        self._entries_of: dict[str, list[int]] = defaultdict(list)
        for number, topic in enumerate(self._topics):
            self._entries_of[topic].append(number)
        # the article numbers with their part ("412_1") each topic's questions use
        self._articles_of: dict[str, set[str]] = defaultdict(set)
        for key, entries in self.index.postings.items():
            if "_" in key and _ARTICLE.fullmatch(key):
                for entry in entries:
                    self._articles_of[self._topics[entry]].add(key)
        load_word_lists()
        # whether a word is known is asked of every reading of every word of a message
        self._known: Callable[[str], bool] = functools.lru_cache(maxsize=WORDS_CACHED)(
            self.index.lexicon.__contains__
        )
        self._reader = Reader(self._known)
        # a word's everyday share is asked for again and again (each message, each feature)
        self._everyday: Callable[[str], float] = functools.lru_cache(maxsize=WORDS_CACHED)(
            self._everyday_share
        )

    def match(self, text: str, written: Lang | None = None) -> MatchResult:
        """The entry ``text`` asks for, or an abstention with suggestions. Never raises: a
        bug is logged at ERROR and the result is an abstention marked ``failed``.

        ``written``: the language of the conversation, for a message in Latin letters that
        reads as well in English as in translit ("a primery?" after a Russian answer)."""
        try:
            return self._match(text[: self.config.max_input], written)
        except Exception:  # a bug must not cost the user a reply: abstain, and say so loudly
            log.exception("matcher failed on a message of %d characters", len(text))
            return MatchResult(None, 0.0, DEFAULT_LANG, (), failed=True)

    def language(self, text: str, written: Lang | None = None) -> Lang:
        """The language of ``text`` as :meth:`match` finds it (``written``: see there), without
        matching it: a message passed on to a person is answered in its language."""
        return self._guess(text, written).lang

    def told_language(self, text: str, written: Lang | None = None) -> Lang | None:
        """The language ``text`` tells (see :meth:`language`), or None when that is only a
        guess ("asdfghjkl", "qwerty Иван Петров")."""
        guess = self._guess(text, written)
        return guess.lang if guess.told else None

    def _guess(self, text: str, written: Lang | None) -> Guess:
        return read_language(self._read(text[: self.config.max_input], written), self.index.lexicon)

    def search(
        self, text: str, limit: int = 5, written: Lang | None = None
    ) -> list[tuple[str, float]]:
        """The best entries for ``text`` with their scores, whether or not it would answer
        (``written``: see :meth:`match`)."""
        text = text[: self.config.max_input]
        folded = self._folded(text, written)
        return self._rank(text, folded).ranked[:limit] if folded else []

    def names_topic(self, text: str, written: Lang | None = None) -> bool:
        """Whether ``text`` has a word that names a topic (see :meth:`_named_topics`: "а
        подарки?" names gifts; "а её руководитель кому подчиняется?" none; ``written``: see
        :meth:`match`)."""
        folded = self._folded(text[: self.config.max_input], written)
        return bool(self._named_topics(self._tokens(folded)))

    def requirement_named(self, text: str, written: Lang | None = None) -> tuple[str, ...]:
        """The entries that require a concept (``requires`` in the base) which ``text`` names
        ("and my brother?" names the relative the family gift rule requires; ``written``: see
        :meth:`match`)."""
        named = self._required_named(self._folded(text[: self.config.max_input], written))
        return tuple(e for e, required in self._requires.items() if not required.isdisjoint(named))

    def _ruled_out(self, entry_id: str, tokens: list[_Token]) -> bool:
        """Whether a message's own words (its ``tokens``) rule its candidate ``entry_id`` out,
        however likely the model finds it:

        - every content word is a concept the entry requires: "а в Китае?" names a foreign
          country and nothing foreign law is about, "and my brother?" a relative and nothing
          of gifts. It asks about what its context left unsaid;
        - it names an article number ("380-1") that only another topic's questions use, and
          none of the entry's topic's own: «сколько людей осудили по 380-1?» is not asked of
          the provocation figures (412-1's topic). A topic with no article of its own (the
          laws that brought them in) is not ruled out so."""
        required = self._requires.get(entry_id, frozenset())
        if tokens and required and all(self.index.concepts_in([t.word]) & required for t in tokens):
            return True
        own = self._articles_of.get(self.kb.entries[entry_id].topic, set())
        named = {
            t.word for t in tokens if _ARTICLE.fullmatch(t.word) and t.word in self.index.postings
        }
        return bool(own and named) and not named & own

    def folded(self, text: str, written: Lang | None = None) -> list[str]:
        """The folded words ``text`` is matched by (the first ``max_input`` characters;
        ``written``: see :meth:`match`)."""
        return self._folded(text[: self.config.max_input], written)

    def _outside_the_base(self, folded: list[str]) -> bool:
        """Whether a message asks of a matter the base leaves out ("How much tax do I pay on
        my car?"; smalltalk.yaml's ``outside-words``): not when it names the anti-corruption
        domain ("bribe"), nor when the word is part of an everyday concept ("tax inspector"
        is an official)."""
        outside = self.smalltalk.outside_words(folded)
        if not outside or self.smalltalk.names_domain(folded):
            return False
        rest = [word for word in folded if word not in outside]
        return self.index.concepts_in(rest) == self.index.concepts_in(folded)

    def asks_only_overview(self, folded: list[str]) -> bool:
        """Whether a message (its folded words) asks what rules there are and names nothing
        of the base besides: "I'm a new civil servant, what rules must I know?", not "what
        rules apply to gifts?" (an everyday concept, see ``concepts.yaml``)."""
        rest = self.smalltalk.besides_overview(folded)
        return rest is not None and not self.index.concepts_in(rest)

    def _words(self, text: str, written: Lang | None = None) -> tuple[list[str], Guess]:
        chunks = self._read(text, written)
        return self._prepared(chunks), read_language(chunks, self.index.lexicon)

    def _folded(self, text: str, written: Lang | None = None) -> list[str]:
        return self._prepared(self._read(text, written))

    def _read(self, text: str, written: Lang | None) -> list[Chunk]:
        """``text`` read into chunks (``written``: see :meth:`match`)."""
        return self._reader.read(text, _writes_cyrillic(written))

    def _prepared(self, chunks: list[Chunk]) -> list[str]:
        """The folded words the message is matched by: article numbers joined, and the
        relatives of a giver left out ("a pupil's parents" are not the official's family)."""
        return self.index.without_others_kin(self._articles(_flatten(chunks, self.config)))

    def _articles(self, folded: list[str]) -> list[str]:
        """Folded words with an article number typed with a space ("412 1") made one word,
        as the base writes it (412_1), when the base knows that number."""
        joined: list[str] = []
        for word in folded:
            if (
                joined
                and joined[-1].isdigit()
                and word.isdigit()
                and f"{joined[-1]}_{word}" in self.index.idf
            ):
                joined[-1] = f"{joined[-1]}_{word}"
            else:
                joined.append(word)
        return joined

    def _asked(self, text: str, written: Lang | None) -> tuple[str, list[str], Guess, str | None]:
        """What a message asks: its text and folded words without its frame (see
        :meth:`_unframed`) unless it is small talk as it is, the language guessed from the
        whole message, and the small-talk kind of what is left (None: no small talk)."""
        folded, guess = self._words(text, written)
        kind = self.smalltalk.kind(folded)
        if kind is None and (asked := self._unframed(text, written)) != text:
            folded = self._folded(asked, written)
            return asked, folded, guess, self.smalltalk.kind(folded)
        return text, folded, guess, kind

    def _unframed(self, text: str, written: Lang | None) -> str:
        """``text`` without its frame: the clauses at its beginning and end that ask nothing
        on their own ("Dear Sir or Madam, please clarify the following. … Thank you."; see
        :meth:`SmallTalk.frames`); as it is when it is all frame or one clause."""
        cuts = [0, *(end for cut in _FRAME_CUT.finditer(text) for end in cut.span()), len(text)]
        clauses = list(zip(cuts[::2], cuts[1::2], strict=True))  # (start, end) of each
        if len(clauses) < 2:
            return text

        def frames(clause: tuple[int, int]) -> bool:
            return self.smalltalk.frames(self._folded(text[clause[0] : clause[1]], written))

        first, last = 0, len(clauses)
        while first < last and frames(clauses[first]):
            first += 1
        while last > first and frames(clauses[last - 1]):
            last -= 1
        if first == last:
            return text
        asked = text[clauses[first][0] : clauses[last - 1][1]].strip()
        return _asking(asked, text[clauses[last - 1][1] :])

    def _match(self, text: str, written: Lang | None, *, whole: bool = True) -> MatchResult:
        """The match of ``text``; of a ``whole`` message (not a part of one), a last question
        that asks nothing of the base is left out (see :meth:`_last_question_left_out`) and an
        abstention off topic is judged again without its personal data (see
        :meth:`_judged_without_personal_data`)."""
        text, folded, guess, kind = self._asked(text, written)
        lang, told = guess.lang, guess.told
        if whole and kind is None and (first := self._last_question_left_out(text, written)):
            return replace(first, lang=lang, told=told)
        signal = self.smalltalk.case_signal(folded)
        if kind is not None:
            answer = SMALLTALK_ENTRIES.get(kind)
            entry_id = answer if answer and self.kb.get(answer) else None
            # a phrase the bot knows tells its language, though no word of the base is in it
            # ("bye"); words typed alike in any language ("ok") are the dialog's to leave out
            return MatchResult(
                entry_id, 100.0, lang, (), smalltalk=kind, case_signal=signal, told=True
            )
        ranking = self._rank(text, folded)
        tokens, ranked = ranking.tokens, ranking.ranked
        if not ranked:
            return MatchResult(None, 0.0, lang, (), case_signal=signal, told=told)
        if self._asks_two_topics(tokens, ranked):  # clarify which one: never guess
            choices = self._topic_choices(tokens, ranked)
            return MatchResult(
                None,
                ranked[0][1],
                lang,
                choices,
                case_signal=signal,
                two_topics=True,
                told=told,
            )
        candidate, values = self.features(folded, ranking, signal)
        confident, probability = self.confidence.answers(values)
        score = round(100 * probability, 1)
        if confident and not self._ruled_out(candidate, tokens):
            also = self._sibling(ranked, candidate)
            if whole:
                asked = self._questions_matched(text, written)
                also = (*self._other_topics_asked(asked, candidate), *also)
            return MatchResult(
                candidate,
                score,
                lang,
                also[: self.config.max_suggestions],
                case_signal=signal,
                told=told,
            )
        if whole and (apart := self._answered_apart(text, written)):
            return replace(apart, lang=lang, told=told, case_signal=signal)
        suggestions = self._suggestions(ranked)
        outside = self._outside_the_base(folded)
        one_topic = not outside and self._asks_one_topic(tokens, suggestions)
        if one_topic:  # which of the topic's entries is meant: offer no other topic's
            topic = self.kb.entries[suggestions[0]].topic
            suggestions = tuple(e for e in suggestions if self.kb.entries[e].topic == topic)
        result = MatchResult(
            None,
            score,
            lang,
            suggestions,
            case_signal=signal,
            told=told,
            one_topic=one_topic,
            # a message naming one topic ("What about presents?") is not off topic however
            # unsure the model is of its entries; one asking of taxes is, whatever it names
            off_topic=outside or (not one_topic and score < self.config.off_topic_score),
        )
        return self._judged_without_personal_data(result, text, written) if whole else result

    def _last_question_left_out(self, text: str, written: Lang | None) -> MatchResult | None:
        """The answer to a message without its last sentence, when that sentence is a second
        question that names no everyday concept of the base and, matched alone, is off topic
        or offers nothing: a question on a matter the base leaves out ("… May I keep it? And
        can I take my leave in December?"; "other matter": it has a word the base does not
        know), or one that only follows the first ("… Сколько?", "What should I do?"): see
        ``MatchResult.left_out``. It ends with "?", after a text that asks a question too.
        None when there is no such question, or the rest is not answered either."""
        sentences = split_sentences(text)
        if len(sentences) < 2 or not sentences[-1].endswith("?"):
            return None
        rest = text[: text.rindex(sentences[-1])].strip()
        last = self._folded(sentences[-1], written)
        if "?" not in rest or self.index.concepts_in(last):
            return None
        alone = self._match(sentences[-1], written, whole=False)
        if not self._asks_nothing_of_the_base(last, alone):
            return None
        first = self._match(rest, written, whole=False)
        if first.entry_id is None:
            return None
        other = self._has_unknown_word(last)
        return replace(first, left_out="other matter" if other else "follow-up")

    def _other_topics_asked(
        self, asked: list[tuple[str, MatchResult]], answer: str
    ) -> tuple[str, ...]:
        """The entries that the questions of a message (``asked``: each with the text since the
        one before, see :meth:`_questions_matched`) answer alone, when they are another
        topic's than ``answer``: a message of several questions gets one answer and a button
        for each other topic ("Can I accept a gift from a contractor? And can my brother work
        in my unit?", answered with the gift ban, offers the relatives rule first). A question
        that alone is asked of one topic but not answered offers that topic's best entry («А что
        такое 380-1?»)."""
        topic = self.kb.entries[answer].topic
        found = (_asked_of(r) for _, r in asked)
        return tuple(dict.fromkeys(e for e in found if e and self.kb.entries[e].topic != topic))

    def _answered_apart(self, text: str, written: Lang | None) -> MatchResult | None:
        """The answer to a message not answered whole whose questions, each matched alone (see
        :meth:`_other_topics_asked`), ask of two topics or more, one at least answered: the
        first one's answer, the other topics' entries offered first (a question asking which of
        one topic's entries offers the best). Their words drowned each other's ("Can I accept a
        gift from a contractor? And can my brother work in my unit?"; «Провокация деген не?
        Сыйлық алуға бола ма?»). Or one question is answered and the others ask nothing of the
        base (see :meth:`_asks_nothing_of_the_base`): its answer, the others left out ("What is
        the weather tomorrow? And may I keep the cognac?"). None otherwise."""
        asked = self._questions_matched(text, written)
        answered = [r for _, r in asked if r.entry_id]
        named = [e for _, r in asked if (e := _asked_of(r))]
        topics = {self.kb.entries[e].topic for e in named}
        if answered and len(topics) >= 2:
            first = answered[0]
            topic = self.kb.entries[first.entry_id].topic if first.entry_id else None
            others = [e for e in named if self.kb.entries[e].topic != topic]
            offered = tuple(dict.fromkeys([*others, *first.suggestions]))
            return replace(
                first,
                suggestions=offered[: self.config.max_suggestions],
                asked_apart=True,
                left_out=self._other_question_left_out(self._unanswered(asked, written)),
            )
        if len(answered) != 1:
            return None
        rest = self._unanswered(asked, written)
        if not all(self._asks_nothing_of_the_base(folded, r) for folded, r in rest):
            return None
        return replace(answered[0], left_out=self._other_question_left_out(rest), asked_apart=True)

    def _unanswered(
        self, asked: list[tuple[str, MatchResult]], written: Lang | None
    ) -> list[tuple[list[str], MatchResult]]:
        """The questions of ``asked`` (see :meth:`_questions_matched`) that are neither
        answered alone nor small talk (left out unsaid: "Как дела? Можно ли …?"), folded."""
        return [(self._folded(p, written), r) for p, r in asked if not (r.entry_id or r.smalltalk)]

    def _other_question_left_out(
        self, unanswered: list[tuple[list[str], MatchResult]]
    ) -> LeftOut | None:
        """ "other question" when a question the answer leaves out (``unanswered``, see
        :meth:`_unanswered`) asks nothing of the base (see :meth:`_asks_nothing_of_the_base`)
        and has a word the base does not know: the dialog says it is not answered ("Погода
        завтра какая? Можно ли принимать подарки? А брат может работать у меня в отделе?").
        Not said of a message answered whole: there, such a question is as often "Алло?" or
        "How long do I have?"."""
        for folded, alone in unanswered:
            if self._asks_nothing_of_the_base(folded, alone) and self._has_unknown_word(folded):
                return "other question"
        return None

    def _has_unknown_word(self, folded: list[str]) -> bool:
        """Whether a question (folded) has a word the base does not know, even as a likely
        typo: a question left out so is on another matter, and the dialog says so."""
        return any(not token.alts for token in self._tokens(folded))

    def _asks_nothing_of_the_base(self, folded: list[str], alone: MatchResult) -> bool:
        """A question (``folded``, and ``alone``: its match by itself) that names no everyday
        concept of the base and is not answered, not small talk, and off topic or offering
        nothing."""
        if self.index.concepts_in(folded) or alone.entry_id or alone.smalltalk:
            return False
        return alone.off_topic or not alone.suggestions

    def _questions_matched(self, text: str, written: Lang | None) -> list[tuple[str, MatchResult]]:
        """Each question of a message (the text since the one before, ending with "?") and its
        match alone; none when it asks fewer than two."""
        asked = [part for part in _QUESTION_END.split(text.strip()) if part.endswith("?")]
        if len(asked) < 2:
            return []
        return [(part, self._match(part, written, whole=False)) for part in asked]

    def _judged_without_personal_data(
        self, result: MatchResult, text: str, written: Lang | None
    ) -> MatchResult:
        """An abstention off topic, unless the message is on topic once its personal data is
        left out (:func:`without_personal_data`): a name, an IIN or a phone number are words
        the base has never seen, which weigh as much as its rarest words, and they drowned
        "I have a question about gifts". It then offers what the rest of the message asks for;
        it is never answered so."""
        if not result.off_topic:
            return result
        rest = without_personal_data(text)
        if rest == text or not rest:
            return result
        again = self._match(rest, written, whole=False)
        if again.off_topic or again.smalltalk:
            return result
        suggestions = tuple(dict.fromkeys([*filter(None, [again.entry_id]), *again.suggestions]))
        return replace(
            again,
            entry_id=None,
            score=result.score,
            lang=result.lang,
            told=result.told,
            suggestions=suggestions[: self.config.max_suggestions],
            case_signal=result.case_signal or again.case_signal,
        )

    def _suggestions(self, ranked: list[tuple[str, float]]) -> tuple[str, ...]:
        """The entries offered with an abstention: the best few that score enough."""
        return tuple(
            entry_id
            for entry_id, score in ranked[: self.config.max_suggestions]
            if score >= self.config.min_suggestion
        )

    def _topic_choices(
        self, tokens: list[_Token], ranked: list[tuple[str, float]]
    ) -> tuple[str, ...]:
        """The entries offered when bare keywords name two topics: the best of each named
        topic first, in rank order, then those topics' next best."""
        named = self._topics_meant(tokens)
        firsts: dict[str, str] = {}
        for entry_id, _ in ranked:
            firsts.setdefault(self.kb.entries[entry_id].topic, entry_id)
        leads = [e for t, e in firsts.items() if t in named]
        rest = [
            e
            for e in self._suggestions(ranked)
            if e not in leads and self.kb.entries[e].topic in named
        ]
        return tuple([*leads, *rest][: self.config.max_suggestions])

    def explain(self, text: str) -> tuple[str, list[float]] | None:
        """The candidate entry for ``text`` and its FEATURES values, or None when the message
        is small talk or ranks no entry (what the confidence model is trained on)."""
        text, folded, _, kind = self._asked(text[: self.config.max_input], None)
        if kind is not None:
            return None
        ranking = self._rank(text, folded)
        if not ranking.ranked:
            return None
        return self.features(folded, ranking, self.smalltalk.case_signal(folded))

    def features(self, folded: list[str], ranking: _Ranking, case: bool) -> tuple[str, list[float]]:
        """The entry the message most likely asks for, and the values of
        :data:`~bot.matching.confidence.FEATURES` that tell how likely it is right."""
        tokens, ranked = ranking.tokens, ranking.ranked
        best = ranked[0][1]
        rule = (
            self._answer(ranked, tokens)
            if best >= self.config.min_score and not self._asks_two_topics(tokens, ranked)
            else None
        )
        candidate = rule or ranked[0][0]
        scores = dict(ranked)
        own = scores[candidate]
        others = [score for entry_id, score in ranked if entry_id != candidate]
        total = sum(t.weight for t in tokens) or 1.0
        topic = self.kb.entries[candidate].topic
        runner_up = next((e for e, _ in ranked if e != candidate), None)
        concepts = self.index.concepts_in(folded)
        # the probability among the ranked entries (their odds summed in rank order)
        likely = normalized(
            {self.index.number[e]: ranking.logs[self.index.number[e]] for e, _ in ranked}
        )
        values = [
            own / 100,
            (own - max(others, default=0.0)) / 100,
            (
                own
                - self._runner_up(
                    [(candidate, own), *((e, s) for e, s in ranked if e != candidate)]
                )
            )
            / 100,
            float(rule is not None),
            float(runner_up is not None and self.kb.entries[runner_up].topic == topic),
            math.log1p(len(tokens)),
            sum(t.weight for t in tokens if not t.alts) / total,
            sum(t.weight for t in tokens if self._everyday(t.word) < 1.0) / total,
            sum(t.weight for t in tokens if t.exact and t.alts and self._everyday(t.word) == 1.0)
            / total,
            math.log1p(len(concepts)),
            float(any(topic in self.kb.concepts[c].topics for c in concepts)),
            likely[self.index.number[candidate]],
            self._coverage(tokens, self.index.number[candidate]) / total,
            ranking.looks[self.index.number[candidate]],
            float(topic in self._named_topics(tokens)),
            float(case),
            normalized({0: ranking.logs[self.index.number[candidate]], 1: ranking.no_entry})[1],
            # a short message is like many lines by chance: no neighbours
            *(
                self.index.neighbours.nearest(folded, candidate)
                if len(tokens) > self.config.short_query
                else (0.0, 0.0)
            ),
        ]
        return candidate, values

    def _coverage(self, tokens: list[_Token], entry: int) -> float:
        """The weight of the message's words that ``entry``'s questions contain."""
        return sum(
            token.weight
            * max(
                (
                    sim
                    for key, sim in token.alts.items()
                    if entry in self.index.postings.get(key, ())
                ),
                default=0.0,
            )
            for token in tokens
        )

    def _sibling(self, ranked: list[tuple[str, float]], answer: str) -> tuple[str, ...]:
        """The runner-up of the answer's topic when it fits too (scores config.min_score or
        comes within config.min_margin of the answer): offered with the answer."""
        own = dict(ranked)[answer]
        topic = self.kb.entries[answer].topic
        return tuple(
            entry_id
            for entry_id, score in ranked[:2]
            if entry_id != answer
            and self.kb.entries[entry_id].topic == topic
            and (score >= self.config.min_score or own - score < self.config.min_margin)
        )

    def _answer(self, ranked: list[tuple[str, float]], tokens: list[_Token]) -> str | None:
        """The entry that answers a message whose best entry scores enough, or None.

        Bare keywords (up to config.keyword_query words) whose best entries are close ask about
        their topic as a whole: its overview answers (see _topic_lead). Otherwise the best
        entry answers when it leads its best rival (see _runner_up) by config.min_margin, and a
        short message whose close entries are one topic's gets the overview too."""
        best_id, best = ranked[0]
        if len(ranked) == 1 or best - ranked[1][1] >= self.config.min_margin:
            return best_id  # the runner-up is no nearer (see _runner_up)
        lead = self._topic_lead(ranked, tokens) if len(tokens) <= self.config.short_query else None
        if lead is not None and len(tokens) <= self.config.keyword_query:
            return lead
        if best - self._runner_up(ranked) >= self.config.min_margin:
            return best_id
        return lead

    def _rank(self, text: str, folded: list[str]) -> _Ranking:
        """The content words of a message and the entries it may be answered with, best
        first."""
        ranking = self._ranked(self._tokens(folded), folded)
        if len(ranking.tokens) >= self.config.question_query:
            ranking = replace(ranking, ranked=self._with_question(ranking.ranked, text))
        if not any(entry_id in self._requires for entry_id, _ in ranking.ranked):
            return ranking
        typos = (key for token in ranking.tokens if not token.exact for key in token.alts)
        named = self._required_named(folded, typos)
        return replace(
            ranking,
            ranked=[
                (entry_id, score)
                for entry_id, score in ranking.ranked
                if self._meets(entry_id, named, ranking.tokens)
            ],
        )

    def _required_named(self, folded: list[str], typos: Iterable[str] = ()) -> set[str]:
        """The concepts a message names that an entry may require: its relatives only if
        they may be the family a gift went to (:meth:`Index.receiving_family`), and the
        likely typos' concepts (``typos``: their index keys)."""
        return self.index.concepts_in(self.index.receiving_family(folded), typos)

    def _meets(self, entry_id: str, named: set[str], tokens: list[_Token]) -> bool:
        """Whether a message naming the concepts ``named`` may be answered with an entry: it
        names one of the concepts the entry requires (foreign experience: a foreign country;
        the family gift rule: a relative), or an article number only that entry's questions
        use ("§ 1114", "277")."""
        required = self._requires.get(entry_id)
        if not required or not required.isdisjoint(named):
            return True
        own = [self.index.number[entry_id]]
        return any(
            self.index.postings.get(key) == own
            for token in tokens
            if token.exact and any(ch.isdigit() for ch in token.word)
            for key in token.alts
        )

    def _with_question(self, ranked: list[tuple[str, float]], text: str) -> list[tuple[str, float]]:
        """The ranking of a message of config.question_query words or more with its question
        sentence weighing more: after the circumstances, a story asks what it wants to know
        ("Who do I contact?")."""
        question = _question_sentence(text)
        if question is None:
            return ranked
        folded = self._folded(question)
        asked = dict(self._ranked(self._tokens(folded), folded, {e for e, _ in ranked}).ranked)
        blended = [
            (
                entry_id,
                round(
                    (1 - self.config.question_share) * score
                    + self.config.question_share * asked.get(entry_id, 0.0),
                    1,
                ),
            )
            for entry_id, score in ranked
        ]
        return sorted(blended, key=lambda item: item[1], reverse=True)

    def _runner_up(self, ranked: list[tuple[str, float]]) -> float:
        """The score of the best rival: an entry the best one lists as related (shown with
        its answer as a button) is no rival when it trails by config.related_margin or more."""
        best_id, best = ranked[0]
        entry = self.kb.get(best_id)
        related = set(entry.related) if entry else set()
        for other_id, score in ranked[1:]:
            if other_id not in related or best - score < self.config.related_margin:
                return score
        return 0.0

    def _topic_lead(self, ranked: list[tuple[str, float]], tokens: list[_Token]) -> str | None:
        """When the entries that fit a short message about equally well are those of the best
        entry's topic, with its first entry (its overview) among them, that entry: bare
        keywords ("gift ban") ask about the topic as a whole.

        The message must name that topic (see _named_topics); an entry of another topic among
        them must trail the overview by config.related_margin and its topic must not be named too
        ("provocation gift" asks about two topics). The overview must lead them unless the
        message is bare keywords (up to config.keyword_query words)."""
        best = ranked[0][1]
        close = [
            (entry_id, score) for entry_id, score in ranked if best - score < self.config.min_margin
        ]
        topic = self.kb.entries[close[0][0]].topic
        lead = self._leads[topic]
        lead_score = dict(close).get(lead)
        named = self._named_topics(tokens)
        if lead_score is None or topic not in named:
            return None
        for entry_id, score in close:
            other = self.kb.entries[entry_id].topic
            if other != topic and (
                other in named or lead_score - score < self.config.related_margin
            ):
                return None
        return lead if lead == close[0][0] or len(tokens) <= self.config.keyword_query else None

    def _concept_topics(self, tokens: list[_Token]) -> set[str]:
        """The topics of the everyday concepts a message's words are a kind of."""
        return {
            topic
            for concept in self.index.concepts_in([t.word for t in tokens])
            for topic in self.kb.concepts[concept].topics
        }

    def _asks_two_topics(self, tokens: list[_Token], ranked: list[tuple[str, float]]) -> bool:
        """Whether bare keywords are about two topics ("provocation gift"; see :meth:`_about`)
        and each has an entry near the best (within config.topics_margin), whichever topic
        that best entry is (an overview of the law may tie them): the bot asks which. Words
        that merely occur in a topic's entries ("сколько получают госслужащие") are not
        enough."""
        if len(tokens) > self.config.keyword_query:
            return False
        best = ranked[0][1]
        about = self._about(tokens)
        near = {
            self.kb.entries[entry_id].topic
            for entry_id, score in ranked
            if best - score < self.config.topics_margin
        }
        return len(about & near) >= 2

    def _asks_one_topic(self, tokens: list[_Token], suggestions: tuple[str, ...]) -> bool:
        """Whether the best suggestion and another are one topic's and the message is about
        that topic (see :meth:`_about`). The bot then asks which of that topic's entries is
        meant, rather than asking a message about something else ("is the tax office open on
        saturday") to choose among them. ("Расскажите про подарки": the ban, the law of 2020,
        the old threshold; until round 28 only the two best counted, and it was off topic.)"""
        if len(suggestions) < 2:
            return False
        topic = self.kb.entries[suggestions[0]].topic
        if sum(self.kb.entries[e].topic == topic for e in suggestions) < 2:
            return False
        return topic in self._about(tokens)

    def _about(self, tokens: list[_Token]) -> set[str]:
        """The topics a message is about: those whose naming words (by themselves or by an
        everyday concept) carry config.clarify_share of its weight or more."""
        total = sum(t.weight for t in tokens)
        naming: dict[str, float] = defaultdict(float)
        for token in tokens:  # in the message's order, as a sum per topic would add them
            for topic in self._topics_meant([token]):
                naming[topic] += token.weight
        return {
            topic
            for topic, weight in naming.items()
            if total > 0 and weight / total >= self.config.clarify_share
        }

    def _topics_meant(self, tokens: list[_Token]) -> set[str]:
        """The topics a message names by its words or by the everyday concepts in it."""
        return self._named_topics(tokens) | self._concept_topics(tokens)

    def _named_topics(self, tokens: list[_Token]) -> set[str]:
        """The topics a message names: those of its words found mostly in one topic's entries.
        A word is judged by the entries that use it (or its stem), and by those its synonym
        group reaches only when no entry uses it: "подарок" names gifts even though its group
        reaches the stories that mention a present in passing."""
        named: set[str] = set()
        for token in tokens:
            own = self._reach(token, own=True)
            found = own or self._reach(token, own=False)
            counts = Counter(self._topics[entry] for entry in found)
            named.update(
                topic
                for topic, count in counts.items()
                if 2 * count > len(found) and self._uses(token, topic, own=bool(own))
            )
        return named

    def _uses(self, token: _Token, topic: str, *, own: bool) -> bool:
        """Whether config.naming_questions of ``topic``'s questions use the word (by the keys
        :meth:`_reach` went by): a word of one story variant ("победит") names no topic."""
        shift, wanted = self.index.slot_shift, self.config.naming_questions
        keys = [key for key in token.alts if not (own and key.startswith(GROUP_PREFIX))]
        places: set[tuple[int, int]] = set()
        for entry in self._entries_of[topic]:
            postings = self.index.question_postings[entry]
            for key in keys:
                places.update((entry, code >> shift) for code in postings.get(key, ()))
                if len(places) >= wanted:
                    return True
        return False

    def _reach(self, token: _Token, *, own: bool) -> set[int]:
        """The entries a word reaches: through itself and its stem (``own``), or through any of
        its alternatives, synonym groups and concepts included."""
        return {
            entry
            for key in token.alts
            if not (own and key.startswith(GROUP_PREFIX))
            for entry in self.index.postings.get(key, ())
        }

    def _tokens(self, folded: list[str]) -> list[_Token]:
        index = self.index
        content = [w for w in folded if not self.smalltalk.is_smalltalk_word(w)]
        tokens = []
        seen: set[str] = set()
        for word, keys in zip(content_words(content), index.slot_keys(content), strict=True):
            if word in seen:
                continue
            seen.add(word)
            exact = sorted(key for key in keys if key in index.idf)  # a fixed order: same sums
            if exact:
                plain = {key for key in exact if not key.startswith(GROUP_PREFIX)}
                weight = index.weight(plain or exact)
                if len(plain) == len(exact):  # in no synonym group (their words are terms)
                    weight *= self._everyday(word)
                tokens.append(_Token(word, dict.fromkeys(exact, 1.0), weight))
                continue
            similar = index.similar(word)
            weight = (
                index.weight(similar)
                if similar
                else index.unknown_weight * self.config.unknown_weight
            )
            tokens.append(_Token(word, similar, weight * self._everyday(word)))
        return tokens

    def _everyday_share(self, word: str) -> float:
        """The share of its weight a word keeps for being common in everyday text (see
        :func:`~bot.matching.common_words.everyday_share`). A word the base uses in
        Kazakh only keeps it all: wordfreq has no Kazakh list and would judge it by a Russian
        look-alike."""
        langs = self.index.lexicon.langs(word)
        return 1.0 if "kk" in langs and "ru" not in langs else everyday_share(word)

    def _ranked(
        self, tokens: list[_Token], folded: list[str], wanted: set[str] | None = None
    ) -> _Ranking:
        """The candidate entries of a message (those that cover most of it) with their scores,
        best first; only those in ``wanted``, if given (the others are still candidates: they
        weigh in the naive Bayes probabilities)."""
        total = sum(t.weight for t in tokens)
        if not total:
            return _Ranking(tokens, [], {}, {}, 0.0)
        cover: dict[int, float] = defaultdict(float)
        # ties in cover are broken by the weight an entry covers with the words themselves
        # (not through a synonym group or concept): "relatives in the same department" should
        # reach the entry that says "relatives" before ten that say "brother" or "wife"
        own: dict[int, float] = defaultdict(float)
        for token in tokens:
            reach: dict[int, float] = {}
            direct: set[int] = set()
            for key, sim in token.alts.items():
                entries = self.index.postings.get(key, ())
                if not key.startswith(GROUP_PREFIX):
                    direct.update(entries)
                for entry in entries:
                    if sim > reach.get(entry, 0.0):
                        reach[entry] = sim
            for entry, sim in reach.items():
                cover[entry] += token.weight * sim
            for entry in direct:
                own[entry] += token.weight
        candidates = sorted(cover, key=lambda e: (-round(cover[e], 9), -own[e], e))
        candidates = candidates[: self.config.candidates]
        scored_ones = [e for e in candidates if wanted is None or self.index.entry_ids[e] in wanted]
        query = _Query(tokens, " ".join(folded), self.config, self.index.fits)
        looks = self.index.profiles.similarity(query.text, scored_ones)
        features = self.index.features(folded) + _typo_features(tokens, self.config)
        logs = self.index.model.log_likelihoods(
            features, [*candidates, self.index.none_class], self.config.bayes_temperature
        )
        no_entry = logs.pop(self.index.none_class)
        likely = normalized(logs)
        ids = self.index.entry_ids
        # one or two words are left to the words' own weights (a topic's overview, which of its
        # entries): the regression has too few features to weigh there
        worded = (
            self.logistic.probabilities(features)
            if len(tokens) > self.config.logistic_words
            and self.logistic.knows(ids[e] for e in scored_ones)
            else {}
        )
        fits = self.index.fits.best_fits(
            query.words,
            query.total,
            query.text,
            {e: cover[e] / total for e in scored_ones},
            query.shares,
            self.config,
        )
        scored = [
            (
                ids[e],
                round(
                    (1 - self.config.ngram_share) * round(100 * fits[e], 1)
                    + self.config.ngram_share * 100 * looks[e]
                    + query.bayes_share * 100 * (likely[e] - 1 / len(candidates))
                    + self.config.logistic_share * 100 * worded.get(ids[e], 0.0),
                    1,
                ),
            )
            for e in scored_ones
        ]
        return _Ranking(
            tokens, sorted(scored, key=itemgetter(1), reverse=True), looks, logs, no_entry
        )


class _Query:
    """The tokens of a message, with what every question is compared against and the score's
    shares for its length (see :meth:`~bot.matching.fits.QuestionTable.best_fits`)."""

    def __init__(
        self, tokens: list[_Token], text: str, config: MatchConfig, table: QuestionTable
    ) -> None:
        self.total = sum(t.weight for t in tokens)
        self.text = text
        self.words = [(t.weight, table.hits(tuple(t.alts.items()))) for t in tokens if t.alts]
        story = min(
            max((len(tokens) - config.short_query) / (config.long_query - config.short_query), 0.0),
            1.0,
        )
        self.shares = Shares(
            query=_between(config.query_share, config.story_query_share, story),
            entry=_between(config.entry_coverage, config.story_entry_coverage, story),
        )
        self.bayes_share = _between(config.bayes_share, config.story_bayes_share, story)


def _typo_features(tokens: list[_Token], config: MatchConfig) -> list[str]:
    """For the naive Bayes model, the keys of the words an unknown word most likely
    misspells (at config.typo_feature similarity or more): "provocaton" counts as "provocation"."""
    found: list[str] = []
    for token in tokens:
        if not token.exact:
            best = max(token.alts.values(), default=0.0)
            found += sorted(
                key for key, sim in token.alts.items() if sim == best >= config.typo_feature
            )
    return found


def _flatten(chunks: list[Chunk], config: MatchConfig) -> list[str]:
    """The folded words of a message's chunks (its first config.max_words)."""
    return [word for chunk in chunks for word in chunk.words][: config.max_words]


def without_personal_data(text: str) -> str:
    """``text`` without its personal data (:func:`~bot.redact.redact`) and without the clauses
    that only give it ("Менің атым Асқар", "ИИН 900101300126", "tel. +7 701 …"); as it is when
    it holds none.

    >>> without_personal_data("Меня зовут Аскар, ИИН 900101300126, у меня вопрос о подарке")
    'у меня вопрос о подарке'
    """
    # imported here: compiling its rules takes 50 ms of start-up (``match --json``), and only
    # an abstention off topic needs them
    from bot.redact import PLACEHOLDERS, redact

    redacted = redact(text)
    if redacted == text:
        return text
    kept = []
    for clause in _CLAUSE_END.split(redacted):
        rest = clause
        for mark in PLACEHOLDERS:
            rest = rest.replace(mark, " ")
        if rest == clause or len(_WORD.findall(rest)) > PERSONAL_CLAUSE:
            kept.append(rest)
    return " ".join(" ".join(kept).split())


def _writes_cyrillic(written: Lang | None) -> bool | None:
    """Whether a conversation in ``written`` is in Cyrillic (Russian, Kazakh) or not (English);
    None when its language is not known."""
    return None if written is None else written != "en"


def _between(short: float, story: float, storiness: float) -> float:
    """A setting for a message ``storiness`` of the way (0 to 1) from short to a story."""
    return short + storiness * (story - short)


def _asking(asked: str, after: str) -> str:
    """A message's words without its frame, a question when the frame after them asked it
    ("Госслужащим можно всё. Это правда?" asks «Госслужащим можно всё?»)."""
    if "?" in after and not asked.endswith("?"):
        return asked.rstrip(".!…,;: ") + "?"
    return asked


def _asked_of(alone: MatchResult) -> str | None:
    """The entry a question matched ``alone`` asks for: its answer, or the best of the one
    topic's entries it asks which of."""
    return alone.entry_id or (alone.suggestions[0] if alone.one_topic else None)


def _question_sentence(text: str) -> str | None:
    """The last sentence of a text that ends with "?" (else its last sentence), or None
    when the text is a single sentence."""
    sentences = split_sentences(text)
    if len(sentences) < 2:
        return None
    asked = [s for s in sentences if s.endswith("?")]
    return (asked or sentences)[-1]
