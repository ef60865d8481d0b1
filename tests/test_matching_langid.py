"""Language detection: scripts, Latin Kazakh, translit, mixed messages."""

from __future__ import annotations

import pytest

from bot.kb import DEFAULT_LANG
from bot.kb.model import Lang
from bot.matching import Matcher, detect_language
from bot.matching.langid import guess_language, read_language
from bot.matching.lexicon import Lexicon
from bot.matching.reading import read
from tests.helpers.matching_kb import NO_USAGE, make_kb


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Мемлекеттік қызметші сыйлық ала ала ма?", "kk"),
        ("мемлекеттик кызметши сыилык ала ала ма", "kk"),  # no Kazakh letters
        ("qyzmetshi syilyq ala ala ma", "kk"),  # informal Latin
        ("Можно ли госслужащему принять подарок?", "ru"),
        ("mozhno li vzyat podarok", "ru"),  # translit
        ("Can a civil servant accept a gift?", "en"),
        ("Мемлекеттік қызметші подарок ала ала ма?", "kk"),  # mixed Kazakh and Russian
        ("сәлем", "kk"),
        ("привет", "ru"),
        ("hello", "en"),
        ("ал балама ше?", "kk"),  # "and my child?": the frame, not its words (a probe)
        ("ал 2023 ше?", "kk"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["", "   ", "😂", "12345", "?!"])
def test_detect_language_defaults_to_russian(text: str) -> None:
    assert detect_language(text) == "ru"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("gjlfhjr", "ru"),  # wrong layout, read with the base's words
        ("csqks0 fkf vf", "kk"),
        ("пара", "kk"),
        ("взятка", "ru"),
        ("arandatu degen ne", "kk"),
    ],
)
def test_matcher_language_uses_the_base_vocabulary(text: str, lang: str) -> None:
    assert Matcher(make_kb(), usage=NO_USAGE).match(text).lang == lang


def test_a_word_counts_for_each_language_as_often_as_it_occurs_there() -> None:
    """A Russian word quoted once in a Kazakh question is still mostly Russian."""
    lexicon = Lexicon(
        [
            ("ru", "Можно ли взять подарок?"),
            ("ru", "Подарок коллеге разрешён?"),
            ("ru", "подарок от друга"),
            ("kk", "подарок алуға бола ма?"),
        ]
    )
    assert lexicon.shares("подарок") == {"ru": 0.75, "kk": 0.25}
    assert lexicon.langs("подарок") == {"ru", "kk"}
    assert lexicon.shares("коллеги") == {"ru": 1.0}  # by its stem, seen in Russian only
    assert lexicon.shares("погода") == {}
    assert guess_language(read("подарок", lexicon.__contains__), lexicon) == "ru"


def test_a_long_word_seen_rarely_counts_its_stem_too() -> None:
    """ "взятка" quoted twice in Kazakh questions is a form of a word Russian uses far more."""
    lexicon = Lexicon(
        [("kk", "взятка туралы"), ("kk", "взятка деген не")]
        + [("ru", f"взятку дал {n}") for n in range(5)]
    )
    # kk: the word twice and its Kazakh stem (взят) twice; ru: the Russian stem (взятк) 5 times
    assert lexicon.shares("взятка") == pytest.approx({"kk": 4 / 9, "ru": 5 / 9})
    assert lexicon.shares("взятку") == {"ru": 1.0}  # seen often enough: the word decides


@pytest.mark.parametrize(("text", "lang"), [("взятка", "ru"), ("ок", "ru"), ("окей", "ru")])
def test_the_bundled_base_reads_these_russian_words_as_russian(
    bundled: Matcher, text: str, lang: str
) -> None:
    assert bundled.match(text).lang == lang


def test_a_tie_between_languages_goes_to_the_default() -> None:
    lexicon = Lexicon([("ru", "статистика нападений"), ("kk", "статистика шабуыл")])
    chunks = read("статистика", lexicon.__contains__)
    assert lexicon.shares("статистика") == {"ru": 0.5, "kk": 0.5}
    assert guess_language(chunks, lexicon) == DEFAULT_LANG == "ru"


def test_a_short_message_is_kazakh_only_on_kazakh_letters_or_words() -> None:
    """A word shared with Russian, or a Kazakh-looking ending, decides nothing in two words."""
    lexicon = Lexicon([("kk", "бот не істейді"), ("ru", "бот отвечает на вопросы")])

    def language(text: str) -> str:
        return guess_language(read(text, lexicon.__contains__), lexicon)

    assert lexicon.shares("бот") == {"kk": 0.5, "ru": 0.5}
    assert language("бот возможности") == "ru"  # "-ти" looked Kazakh: enough in a long one
    assert language("бот мүмкіндіктері") == "kk"  # a Kazakh letter
    assert language("бот истейди") == "kk"  # a word only Kazakh uses
    assert language("бот возможности бот возможности") == "kk"  # not short: endings count


def test_a_russian_word_quoted_once_in_a_kazakh_question_is_no_kazakh_evidence() -> None:
    """The base asks "орысша жазсам понимаешь ба?" in Kazakh, so "ничего не понимаешь" was
    read as Kazakh and answered in Kazakh (a probe). A common Russian word used once in
    Kazakh questions no longer makes a short message Kazakh; one used more often ("пара", a
    bribe), a word only Kazakh uses and a Kazakh function word still do."""
    lexicon = Lexicon(
        [
            ("kk", "орысша жазсам понимаешь ба"),
            ("kk", "бот не істейді"),
            ("kk", "пара беру"),
            ("kk", "пара алу"),
        ]
    )

    def language(text: str) -> str:
        return guess_language(read(text, lexicon.__contains__), lexicon)

    assert lexicon.shares("понимаеш") == {"kk": 1.0}  # as seen: the base's only use is Kazakh
    assert language("ничего не понимаешь") == "ru"
    assert language("бот истейди") == "kk"
    assert language("пара") == "kk"
    assert lexicon.quoted_in_kazakh("понимаеш") and not lexicon.quoted_in_kazakh("истеиди")
    assert not lexicon.quoted_in_kazakh("пара") and not lexicon.quoted_in_kazakh("мен")
    assert language("орысша понимаешь") == "kk"  # a word only Kazakh uses


@pytest.mark.parametrize("text", ["саламатсызба", "саламатсыз ба", "Саламатсыздар!"])
def test_a_kazakh_greeting_without_kazakh_letters_is_kazakh(bundled: Matcher, text: str) -> None:
    """Round 32's probe: «саламатсызба» (hello) was greeted in Russian: it has no Kazakh
    letter, and no word of the base's told its language."""
    result = bundled.match(text)
    assert (result.smalltalk, result.lang) == ("greeting", "kk")


def test_the_bundled_base_reads_ничего_не_понимаешь_as_russian(bundled: Matcher) -> None:
    result = bundled.match("ничего не понимаешь")
    assert (result.smalltalk, result.lang) == ("insult", "ru")


@pytest.mark.parametrize("text", ["bye", "thanks, bye", "ok bye", "good bye", "me too"])
def test_short_english_messages_are_english(text: str) -> None:
    """Even when "bye" is read as the Kazakh particle бе (the base does not know "bye")."""
    assert Matcher(make_kb(), usage=NO_USAGE).match(text).lang == "en"


def test_a_kazakh_word_in_latin_letters_is_kazakh() -> None:
    assert Matcher(make_kb(), usage=NO_USAGE).match("arandatu").lang == "kk"


@pytest.mark.parametrize(
    "text", ["al zhubayym she?", "zhubayym she?", "menin zhubayym", "nege?", "pochemu?"]
)
def test_latin_kazakh_and_translit_are_not_english(bundled: Matcher, text: str) -> None:
    """ "al zhubayym she?" ("and my spouse?") was read as English: "ayy" gave "аыи", not the
    "айы" of жұбайым, so only "she" was known. "nege?" (неге, why) was English too: the base
    knows "nege" as typed, and no language's word list has it."""
    assert bundled.match(text).lang == ("ru" if text.startswith("pochemu") else "kk")


@pytest.mark.parametrize(
    ("text", "typed", "read_as"),
    [
        ("I saw him at the party", ("saw", "party"), ("сау", "парты")),
        ("a Range Rover from a businessman", ("range",), ("ранге",)),
    ],
)
def test_an_everyday_english_word_is_read_as_typed(
    bundled: Matcher, text: str, typed: tuple[str, ...], read_as: tuple[str, ...]
) -> None:
    """ "saw" was read as the Kazakh сау and "party" as the Russian парты (the base knows
    neither English word): an everyday English word as typed is a known word."""
    words = bundled.folded(text)
    assert set(typed) <= set(words) and not set(read_as) & set(words)


@pytest.mark.parametrize(
    ("text", "typed", "read_as"),
    [
        ("atack on polise oficer", ("oficer", "polise"), ("офицер", "полисе")),
        ("he sent me a strange letter", ("strange", "letter"), ("странге", "леттер")),
    ],
)
def test_a_long_english_word_or_its_typo_is_read_as_typed(
    bundled: Matcher, text: str, typed: tuple[str, ...], read_as: tuple[str, ...]
) -> None:
    """ "oficer" was read as the Russian офицер and "letter" as леттер, so a whole English
    question became Russian: a common English word of six letters or more, or one typo away
    from one, is English as typed."""
    words = bundled.folded(text)
    assert set(typed) <= set(words) and not set(read_as) & set(words)
    assert bundled.match(text).lang == "en"


@pytest.mark.parametrize("text", ["vzyatka", "podarok prinimat", "salem", "syilyq alugha bola ma"])
def test_translit_and_latin_kazakh_are_not_english_typos(bundled: Matcher, text: str) -> None:
    """Translit and Latin Kazakh words are not read as typos of English words."""
    assert bundled.match(text).lang in ("ru", "kk")


@pytest.mark.parametrize(("text", "word"), [(",fg", "бап"), ("sen robotsyn ba", "сен")])
def test_short_latin_strings_still_read_as_layout_or_kazakh(
    bundled: Matcher, text: str, word: str
) -> None:
    """Two-letter strings such as "fg" (бап typed in the wrong layout) are frequent in
    English text as abbreviations; only everyday words of three letters or more count."""
    assert word in bundled.folded(text)


@pytest.mark.parametrize(
    ("text", "written", "lang", "word"),
    [
        ("a primery?", "ru", "ru", "примеры"),  # after a Russian answer: а примеры?
        ("a primery?", None, "en", "primery"),  # alone: an English reading is as good
        ("a primery?", "en", "en", "primery"),
        ("mysaldar?", "kk", "kk", "мысалдар"),  # after a Kazakh answer: мысалдар?
    ],
)
def test_latin_letters_no_reading_decides_follow_the_conversation(
    bundled: Matcher, text: str, written: Lang | None, lang: str, word: str
) -> None:
    """ "a primery?" reads as well in English ("primary" with a typo) as in translit: after a
    Russian answer it is Russian (round 28's probe got "I don't know" in English)."""
    assert bundled.match(text, written).lang == lang
    assert word in bundled.folded(text, written)


def test_a_latin_word_no_reading_decides_is_read_in_the_script_of_the_rest(
    bundled: Matcher,
) -> None:
    """In a conversation, a Latin word among Russian ones that reads as well in English as in
    translit ("primery": "primary" with a typo, or примеры) is translit, as the rest («дайте
    primery»), even in an English conversation; among English ones, as typed, even in a
    Russian one. A message alone is read as the labelled sets are (its decided chunks' form)."""
    assert "примеры" in bundled.folded("дайте primery", "en")
    assert "primery" in bundled.folded("what about primery?", "ru")
    assert "primery" in bundled.folded("дайте primery")


@pytest.mark.parametrize(
    ("text", "typed_as"),
    [
        ("Rfrjq rjl?", "Какой код?"),
        ("rjvgkfty-cke;,f j,zpfntkmyf?", "Комплаенс-служба обязательна?"),  # "-" is no ө
        ("csqks0 fkeuf ,jkf vf?", "Сыйлық алуға бола ма?"),  # 0 is the key of қ
        ("vty3 fhfylfnns, xnj ltkfnm?", "Мені арандатты, что делать?"),  # 3: і
    ],
)
def test_text_typed_on_the_wrong_layout_is_in_the_language_of_what_was_meant(
    bundled: Matcher, text: str, typed_as: str
) -> None:
    """A probe: «Какой код?» typed on the Latin layout was Kazakh, the q of "rfrjq" (the key
    of к) taken for a letter of Kazakh Latin. The letters of a word read from the wrong
    layout are those it was meant to be typed with."""
    assert bundled.language(text) == bundled.match(typed_as).lang == bundled.match(text).lang


def test_a_link_is_no_evidence_of_a_language(bundled: Matcher) -> None:
    """The words of a web address ("entities", "anticorruption", "rus") are no language's:
    «что тут …» with an address of English words was English."""
    link = "https://www.gov.kz/memleket/entities/anticorruption?lang=kk"
    assert bundled.match(f"что тут {link}").lang == "ru"
    assert bundled.match(f"what is this? {link}").lang == "en"
    assert bundled.smalltalk.tells_no_language(link)


def test_a_message_tells_its_language_only_with_known_words_or_kazakh_letters() -> None:
    """Round 35's probe: "иди нахер тупой бот" was Kazakh ("бот" leans Kazakh), and keyboard
    mashing picked a language by guess ("qwerty": a Kazakh q). Cyrillic with no Kazakh
    letter or word is Russian; a message with no known word tells no language."""
    lexicon = Lexicon([("kk", "бот не істейді"), ("kk", "бот"), ("ru", "бот отвечает")])

    def guess(text: str) -> tuple[str, bool]:
        found = read_language(read(text, lexicon.__contains__), lexicon)
        return found.lang, found.told

    assert guess("иди нахер тупой бот") == ("ru", True)
    assert guess("бот истейди") == ("kk", True)
    assert guess("asdfghjkl") == ("en", False)
    assert guess("qwerty Иван Петров asdf") == ("ru", False)
    assert guess("qazaq") == ("kk", True)  # a Kazakh letter in Latin script still tells
