"""Small talk (greetings, thanks, "what can you do") and the words of a real corruption case,
both from ``knowledge/smalltalk.yaml``."""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence

from rapidfuzz import fuzz, process

from bot.matching.lexicon import ALL_STOPWORDS
from bot.matching.normalize import fold, words

CASE_SIGNALS = "case-signals"
PHRASE_CUTOFF = 85.0


class SmallTalk:
    """Recognises small-talk messages and case signals in folded words."""

    def __init__(self, phrases: Mapping[str, Sequence[str]], topical: Container[str]) -> None:
        """``topical``: words of the entries' questions, never small talk on their own."""
        self._phrases: dict[str, str] = {}
        self._words: dict[str, str] = {}
        for kind, texts in phrases.items():
            if kind == CASE_SIGNALS:
                continue
            for text in texts:
                folded = fold(text)
                self._phrases.setdefault(folded, kind)
                for word in folded.split():
                    if word not in ALL_STOPWORDS and word not in topical:
                        self._words.setdefault(word, kind)
        self._signals = [tuple(words(s)) for s in phrases.get(CASE_SIGNALS, ()) if words(s)]

    def is_smalltalk_word(self, word: str) -> bool:
        """True for a word of the greetings and thanks that the entries never use."""
        return word in self._words

    def kind(self, folded: list[str]) -> str | None:
        """The small-talk kind of a message (its folded words), or None.

        Small talk is a message close to one of the phrases, or one made only of small-talk
        words and function words.
        """
        if not folded:
            return None
        best = process.extractOne(" ".join(folded), self._phrases.keys(), scorer=fuzz.ratio,
                                  score_cutoff=PHRASE_CUTOFF)
        if best is not None:
            return self._phrases[best[0]]
        own = [word for word in folded if word in self._words]
        if own and all(word in self._words or word in ALL_STOPWORDS for word in folded):
            return self._words[own[0]]
        return None

    def case_signal(self, folded: list[str]) -> bool:
        """True when every word of some case signal begins a word of the message."""
        return any(all(any(word.startswith(part) for word in folded) for part in signal)
                   for signal in self._signals)
