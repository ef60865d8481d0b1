"""Language of a message (kk, ru or en), including Latin-script Kazakh and Russian translit.

Evidence, word by word: how often a :class:`Lexicon` has seen the word (or else its stem)
in each language, letters only Kazakh has, and Kazakh or Russian word endings. A tie goes
to the default language. The matcher's lexicon adds the
words of the knowledge base's questions to the built-in function words.

A short message ("ok bye", "бот возможности") is Kazakh only on Kazakh evidence: a letter
only Kazakh has or a word of three letters or more (almost) only Kazakh uses; a word shared
with Russian, a particle read from Latin letters ("bye" as бе), a two-letter word ("ок", a
bullet in Kazakh when spelt оқ) or a common Russian word a single Kazakh question quotes
("понимаешь") is too little to go on. A longer one needs that too, or a two-letter word only
Kazakh uses ("ма"), or a word unknown to the lexicon with a Kazakh (and no Russian) ending: a
message in Cyrillic with none of these is Russian («иди нахер тупой бот»), however much its
shared words ("бот", "не") lean Kazakh.

A message tells its language when a word of it is known in that language (English: read as
English, "bye"), or (Kazakh) it has a Kazakh letter or frame; otherwise ("asdfghjkl", "qwerty
Иван Петров") its language is only a guess (:attr:`Guess.told` is False), which the dialog
never takes for the user's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.kb.model import DEFAULT_LANG, LANGS, Lang
from bot.matching.common_words import reads_as_english
from bot.matching.function_words import LANGUAGE_WORDS
from bot.matching.layout import to_cyrillic_layout, to_latin_layout
from bot.matching.lexicon import CYRILLIC_WORD, Lexicon
from bot.matching.normalize import LINK
from bot.matching.reading import Chunk, read
from bot.matching.scripts import has_latin

KAZAKH_LETTERS = re.compile(r"[әғқңөұүһі]|[äöüğışñū]|q(?!u)")
NOT_KAZAKH_LATIN = re.compile(r"[cwx]")  # letters the Kazakh Latin alphabet has not ("qwerty")
KAZAKH_ENDINGS = re.compile(
    r"(лар|лер|дар|дер|тар|тер|га|ге|нын|нин|дын|дин|тын|тин|"
    r"ды|ди|ты|ти|ма|ме|ба|бе|уга|уге|мыз|миз|сыз|сиз)$"
)
RUSSIAN_ENDINGS = re.compile(
    r"(ого|его|ому|ему|ыи|ии|ая|яя|ое|ее|ые|ие|ых|их|ция|ции|"
    r"ется|ются|ится|ятся|ать|ять|ить|ешь|ет|ют|ут|ся|ость)$"
)
LETTER_WEIGHT = 2.0
ENDING_WEIGHT = 0.4
SHORT_MESSAGE = 3  # words: up to this many, Kazakh needs Kazakh letters or Kazakh words
LATIN_FUNCTION_WORD = 4  # letters: "nege" is неге; "men" may be English, not мен
KAZAKH_WORD = 0.8  # share of a word's uses in Kazakh that makes it a Kazakh word (not a quote)


@dataclass(frozen=True)
class Guess:
    """A message's most likely language, and whether the message tells it (see the module)."""

    lang: Lang
    told: bool


def guess_language(chunks: list[Chunk], lexicon: Lexicon) -> Lang:
    """The most likely language of a message already :func:`read` (see :func:`read_language`)."""
    return read_language(chunks, lexicon).lang


def read_language(chunks: list[Chunk], lexicon: Lexicon) -> Guess:
    """The most likely language of a message already :func:`read` (its web addresses left
    out: their words are no language's), and whether the message tells it."""
    chunks = [chunk for chunk in chunks if not LINK.search(chunk.typed)]
    score = dict.fromkeys(LANGS, 0.0)
    known: set[str] = set()  # the languages a word of the message is known in
    latin_typed = cyrillic = 0
    kazakh_only = False  # a Kazakh letter, or a word (almost) only Kazakh uses
    # enough in a longer message: a two-letter word only Kazakh uses ("ма"), or a word the
    # lexicon does not know with a Kazakh ending and no Russian one
    kazakh_hint = False
    for chunk in chunks:
        if _has_kazakh_letter(chunk):
            score["kk"] += LETTER_WEIGHT
            kazakh_only = True
        for word in _telling(chunk, lexicon):
            if len(word) < 2 or not word.isalpha():
                continue  # numbers and single letters tell nothing
            langs = lexicon.shares(word)
            known.update(langs)
            kazakh_word = langs.get("kk", 0.0) >= KAZAKH_WORD and not lexicon.quoted_in_kazakh(word)
            kazakh_only |= kazakh_word and len(word) > 2
            kazakh_hint |= kazakh_word
            for lang, share in langs.items():
                score[lang] += share
            if CYRILLIC_WORD.match(word):
                if chunk.form == "latin":  # typed in Latin letters, read as Kazakh or translit
                    latin_typed += 1
                else:
                    cyrillic += 1
                if not langs and len(word) > 3:
                    kazakh, russian = KAZAKH_ENDINGS.search(word), RUSSIAN_ENDINGS.search(word)
                    score["kk"] += ENDING_WEIGHT * bool(kazakh)
                    score["ru"] += ENDING_WEIGHT * bool(russian)
                    kazakh_hint |= bool(kazakh) and not russian
            elif chunk.form == "typed" and has_latin(word):
                latin_typed += 1
                if reads_as_english(word):  # "bye": an everyday word tells English
                    known.add("en")
    kazakh_only |= _kazakh_frame([word for chunk in chunks for word in chunk.words])
    short = sum(len(chunk.words) for chunk in chunks) <= SHORT_MESSAGE
    if not kazakh_only and (short or not kazakh_hint):
        score["kk"] = 0.0
    best = max(score.values())
    if best > 0:
        tied = [lang for lang in LANGS if score[lang] == best]
        lang = DEFAULT_LANG if DEFAULT_LANG in tied else tied[0]
        return Guess(lang, lang in known or (lang == "kk" and kazakh_only))
    return Guess("en" if latin_typed > cyrillic else DEFAULT_LANG, told=False)


def _has_kazakh_letter(chunk: Chunk) -> bool:
    """Whether a chunk has a letter only Kazakh has, as it was meant to be typed; a Latin word
    with a letter the Kazakh Latin alphabet has not has none ("qwerty": no Қ)."""
    return any(
        KAZAKH_LETTERS.search(word) and not (has_latin(word) and NOT_KAZAKH_LATIN.search(word))
        for word in _meant(chunk).split()
    )


def _meant(chunk: Chunk) -> str:
    """The letters a chunk was meant to be typed with: switched to the other keyboard layout
    when it is read so (the q of "rfrjq", какой, is the key of к, no Kazakh letter). A hyphen
    stays one ("rjvgkfty-cke;,f", комплаенс-служба), though the Kazakh layout has ө there."""
    typed = chunk.typed
    if chunk.form != "layout":
        return typed
    if has_latin(typed):
        return to_cyrillic_layout(typed.replace("-", " "))
    return to_latin_layout(typed)


def _kazakh_frame(words: list[str]) -> bool:
    """Whether a message is framed «ал … ше?» ("and what about …?"), which only Kazakh says:
    «ал балама ше?» has no Kazakh letter, and its words are two letters or shared."""
    return len(words) >= 2 and words[0] == "ал" and words[-1] == "ше"


def _telling(chunk: Chunk, lexicon: Lexicon) -> tuple[str, ...]:
    """The words a chunk tells its language by: those of its reading; for Latin letters kept
    as typed that no language is known to use ("nege", a word of the base typed so too), the
    Kazakh or Russian question or function word of LATIN_FUNCTION_WORD letters or more they
    read as (неге)."""
    latin = chunk.readings.get("latin", ())
    if chunk.form != "typed" or len(latin) != 1 or any(map(lexicon.shares, chunk.words)):
        return chunk.words
    word = latin[0]
    native = word in LANGUAGE_WORDS["kk"] or word in LANGUAGE_WORDS["ru"]
    return latin if native and len(word) >= LATIN_FUNCTION_WORD else chunk.words


_BUILTIN = Lexicon()


def detect_language(text: str) -> Lang:
    """The language of ``text`` ("kk", "ru" or "en"); "ru" when nothing tells.

    >>> detect_language("Мемлекеттік қызметші сыйлық ала ала ма?")
    'kk'
    >>> detect_language("mozhno li vzyat podarok")
    'ru'
    >>> detect_language("Can I accept a gift?")
    'en'
    """
    return guess_language(read(text, _BUILTIN.__contains__), _BUILTIN)
