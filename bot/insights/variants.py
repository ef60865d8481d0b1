"""Every question variant of every entry, run through the matcher: a variant the base does
not answer with its own entry is a variant that misleads the index (another entry answers
it) or teaches it nothing (nothing answers it). A variant is also judged by the rest of the
base, without it (:func:`misplaced_variants`): one put under the wrong entry is answered by
its own entry only because it is there."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from bot.kb.model import LANGS, WARNING, Entry, KnowledgeBase, Lang, Problem
from bot.matching import Matcher
from bot.matching.bayes import SMOOTHING, normalized
from bot.matching.built import CODE, kept
from bot.matching.index import Index
from bot.matching.normalize import words

# A variant is held out and matched by the rest of the base when the word counts of the other
# questions give its own entry under DOUBT_SHARE times an even share (1 / number of entries).
DOUBT_SHARE = 1.5
# ... and it is reported when that matcher does not even rank its entry, and its entry's
# answer (same language) uses less than ANSWER_SHARE of its words, by weight: "Article 14
# of the anti-corruption law" reads as the law's entry, but the relatives rule's answer cites
# that article.
ANSWER_SHARE = 0.5

# Variants of the bundled base kept although the matcher answers them otherwise, each with
# why; --strict tolerates these (listed as warnings) and nothing else. Keep it short: a variant
# that belongs elsewhere is moved or reworded, not listed here.
ALLOWED_MISSES: dict[tuple[str, str, str], str] = {}


PREFIX = "variants-"  # the kept copies of what kb check found (:func:`checked_variants`)
TOLERATED = "a known exception --strict tolerates; why: docs/maintainers.md, '3. Check'"
# A variant the bot is not sure enough to answer, but whose entry it offers first (one tap
# away), is a warning only: the confidence asks more of the way it is put than a variant can
# always give ("провокация" is offered with its topic's other entries).
OFFERED_FIRST = "its entry is offered first: a warning only, see docs/maintainers.md, '3. Check'"


@dataclass(frozen=True)
class VariantMiss:
    """A question variant of ``entry_id`` that the matcher answers otherwise."""

    entry_id: str
    lang: Lang
    question: str
    answered_by: str | None  # None: not answered (an "I don't know" or a clarifying question)
    confidence: float  # the matcher's confidence in what it did, 0-100
    own_score: float  # the ranking score of the variant's own entry (0: not ranked)
    path: str = ""
    line: int = 0
    offered_first: bool = False  # not answered, but its entry is the first one offered

    @property
    def allowed(self) -> bool:
        """Whether the miss is one of :data:`ALLOWED_MISSES`."""
        return (self.entry_id, self.lang, self.question) in ALLOWED_MISSES

    def problem(self, *, strict: bool) -> Problem:
        """The miss as a ``path:line: message``: an error when ``strict`` unless allowed,
        else a warning."""
        prefix = "" if strict and not (self.allowed or self.offered_first) else WARNING
        own = f"{self.entry_id!r} (score {self.own_score:.1f})"
        if self.answered_by is None:
            what = f"is not answered (confidence {self.confidence:.1f}); its entry {own}"
        else:
            what = (
                f"is answered by entry {self.answered_by!r} (confidence {self.confidence:.1f}), "
                f"not by its entry {own}"
            )
        if self.allowed:
            what += f" ({TOLERATED})"
        elif self.offered_first:
            what += f" ({OFFERED_FIRST})"
        return Problem(
            self.path,
            self.line,
            f"{prefix}entry {self.entry_id!r} [{self.lang}]: question {self.question!r} {what}",
        )


def variant_misses(base: KnowledgeBase, matcher: Matcher | None = None) -> list[VariantMiss]:
    """The question variants of ``base`` the matcher does not answer with their own entry, in
    file order."""
    matcher = matcher or Matcher(base)
    misses: list[VariantMiss] = []
    for entry in base.entries.values():
        for lang in LANGS:
            if lang not in entry.texts:
                continue
            for question in entry.questions(lang):
                result = matcher.match(question)
                if result.entry_id is not None and base.resolve(result.entry_id) == entry.id:
                    continue
                scores = dict(matcher.search(question, limit=len(base.entries)))
                misses.append(
                    VariantMiss(
                        entry.id,
                        lang,
                        question,
                        result.entry_id,
                        result.score,
                        scores.get(entry.id, 0.0),
                        entry.path,
                        entry.question_line(lang, question),
                        result.entry_id is None and result.suggestions[:1] == (entry.id,),
                    )
                )
    return misses


@dataclass(frozen=True)
class MisplacedVariant:
    """A question variant that the rest of the base, without it, reads as another entry
    (``reads_as``) or as no entry at all (None: off topic)."""

    entry_id: str
    lang: Lang
    question: str
    reads_as: str | None
    path: str
    line: int

    def problem(self, *, strict: bool) -> Problem:
        """The variant as a ``path:line: message``: an error when ``strict``, else a warning."""
        prefix = "" if strict else WARNING
        reads = f"entry {self.reads_as!r}" if self.reads_as else "no entry of the base"
        return Problem(
            self.path,
            self.line,
            f"{prefix}entry {self.entry_id!r} [{self.lang}]: variant {self.question!r} reads as "
            f"{reads}; is it in the right entry?",
        )


def misplaced_variants(
    base: KnowledgeBase, matcher: Matcher | None = None
) -> list[MisplacedVariant]:
    """The variants the rest of the base, each without them, gives to another entry or to
    none (off topic), with their own entry not even ranked, in file order.

    Leaving each variant out in turn would mean a matcher per variant. Instead the naive Bayes
    word counts of the base, minus the variant's own, pick the doubtful ones (see
    DOUBT_SHARE); one matcher is built without all of them and asked each."""
    matcher = matcher or Matcher(base)
    index = matcher.index
    doubtful = _doubtful(base, index, matcher.config.bayes_temperature)
    if not doubtful:
        return []
    held = set(doubtful)
    entries = {
        entry.id: replace(
            entry,
            texts={
                lang: replace(
                    text,
                    questions=tuple(q for q in text.questions if (entry.id, lang, q) not in held),
                )
                for lang, text in entry.texts.items()
            },
        )
        for entry in base.entries.values()
    }
    rest = Matcher(replace(base, entries=entries), matcher.config, matcher.confidence)
    found = []
    for entry_id, lang, question in doubtful:
        entry = base.entries[entry_id]
        result = rest.match(question)
        reads_as = base.resolve(result.entry_id) if result.entry_id else None
        if reads_as == entry_id or (reads_as is None and not result.off_topic):
            continue  # its own entry, or a clarifying question: unsure, not misled
        if any(ranked == entry_id for ranked, _ in rest.search(question, len(base.entries))):
            continue
        if _answer_share(index, entry, lang, question) >= ANSWER_SHARE:
            continue
        found.append(
            MisplacedVariant(
                entry_id, lang, question, reads_as, entry.path, entry.question_line(lang, question)
            )
        )
    return found


def _doubtful(base: KnowledgeBase, index: Index, temperature: float) -> list[tuple[str, Lang, str]]:
    """(entry id, language, question) of the variants whose own entry the naive Bayes model of
    the other questions (:mod:`~bot.matching.bayes`, with this one's words taken out of its
    entry's counts) finds under DOUBT_SHARE times an even share likely."""
    variants: list[tuple[int, str, Lang, str, frozenset[str]]] = []
    counts: list[Counter[str]] = [Counter() for _ in base.entries]
    for number, entry in enumerate(base.entries.values()):
        for lang in (lang for lang in LANGS if lang in entry.texts):
            for question in entry.questions(lang):
                folded = index.without_others_kin(words(question))
                features = frozenset(index.features(folded))
                counts[number].update(features)
                variants.append((number, entry.id, lang, question, features))
    holders: dict[str, dict[int, int]] = defaultdict(dict)
    for number, entry_counts in enumerate(counts):
        for feature, count in entry_counts.items():
            holders[feature][number] = count
    shared = {f for f, found in holders.items() if sum(found.values()) > 1}  # 2+ questions
    log_smoothing = math.log(SMOOTHING)
    size = SMOOTHING * len(holders)
    totals = [sum(entry_counts.values()) for entry_counts in counts]
    even = 1 / max(len(counts), 1)
    doubtful = []
    for own, entry_id, lang, question, features in variants:
        known = [f for f in features if f in shared]  # another question has it too
        logs = {}
        for number, total in enumerate(totals):
            total -= len(features) if number == own else 0
            logs[number] = -len(known) * math.log(total + size)
        for feature in known:
            for number, count in holders[feature].items():
                count -= number == own
                if count:
                    logs[number] += math.log(count + SMOOTHING) - log_smoothing
        likely = normalized({n: value / temperature for n, value in logs.items()})
        if likely[own] < DOUBT_SHARE * even:
            doubtful.append((entry_id, lang, question))
    return doubtful


def _answer_share(index: Index, entry: Entry, lang: Lang, question: str) -> float:
    """The share of a question's content words, by weight, that its entry's answer uses."""
    told = set().union(*index.slot_keys(words(entry.answer(lang)), (lang,)))
    slots = index.slot_keys(index.without_others_kin(words(question)), (lang,))
    total = sum(index.weight(keys) for keys in slots)
    used = sum(index.weight(keys) for keys in slots if not keys.isdisjoint(told))
    return used / total if total else 1.0


def checked_variants(
    root: Path, base: KnowledgeBase, matcher: Matcher
) -> tuple[list[VariantMiss], list[MisplacedVariant]]:
    """:func:`variant_misses` and :func:`misplaced_variants` of ``base``, read from the
    folder ``root``, by ``matcher`` (the default one: default config, shipped models), kept
    next to the base as its index is (:func:`bot.matching.built.kept`): a second check of the
    same files takes no matching (it matched every variant, about 20 s of CPU here). A
    misplaced variant is not listed as missed too."""
    missed, misplaced = kept(
        root,
        base,
        lambda: (variant_misses(base, matcher), misplaced_variants(base, matcher)),
        PREFIX,
        [Path(__file__), *CODE],
    )
    told = {(m.entry_id, m.lang, m.question) for m in misplaced}  # each mistake said once
    return [m for m in missed if (m.entry_id, m.lang, m.question) not in told], misplaced
