"""Normalisation, scripts, keyboard layouts and stemming."""

from __future__ import annotations

import pytest

from bot.matching.layout import to_cyrillic_layout, to_latin_layout
from bot.matching.normalize import fold, prepare, words
from bot.matching.scripts import has_latin, latin_to_cyrillic
from bot.matching.stem import stem, stem_kazakh


def test_prepare_normalises_unicode_case_and_yo() -> None:
    assert prepare("  ЁЛКА\u00a0ＡＢＣ  Ё ") == "елка abc е"
    assert prepare("it’s") == "it's"


def test_number_sign_is_not_read_as_a_word() -> None:
    assert words("Закон №365-VI") == words("Закон № 365-VI") == ["закон", "365", "vi"]


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Мемлекеттік ҚЫЗМЕТШІ сыйлық?", "мемлекеттик кызметши сыилык"),
        ("әғқңөұүһі", "агкноуухи"),
        ("Подъезд, объём!", "подезд обем"),
        ("«Закон» — 2020 г.", "закон 2020 г"),
        ("😂😂", ""),
    ],
)
def test_fold_kazakh_letters_and_punctuation(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_article_numbers_stay_one_word() -> None:
    assert words("ст. 412-1 УК, 380 – 1") == ["ст", "412_1", "ук", "380_1"]
    assert words("2012-2022, 18.10.2020") == ["2012", "2022", "18", "10", "2020"]


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("ҚК-нің 380-1-бабы", ["кк", "380_1", "бабы"]),
        ("ҚР-дағы АДГС-ке", ["кр", "адгс"]),
        ("412-1-ге, 2020-дан бастап", ["412_1", "2020", "бастап"]),
        # other hyphenated words keep both halves
        ("кто-то бір-бірі Самрук-Казына", ["кто", "то", "бир", "бири", "самрук", "казына"]),
    ],
)
def test_kazakh_endings_after_a_hyphen_are_dropped(typed: str, folded: list[str]) -> None:
    assert words(typed) == folded


def test_words_splits_on_any_punctuation() -> None:
    assert words("подарок/сыйлық,gift") == ["подарок", "сыилык", "gift"]


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("syilyq", "сыилык"),  # informal Kazakh Latin
        ("qyzmetshi", "кызметши"),
        ("memlekettik", "мемлекеттик"),
        ("memlekettık qyzmetşı", "мемлекеттик кызметши"),  # 2021 alphabet: ı is і
        ("bır danyşpan kısı üiıne", "бир данышпан киси уиине"),
        ("a'ke", "аке"),  # 2017 apostrophes
        ("mozhno li vzyat podarok", "можно ли взят подарок"),  # Russian translit
        ("kakoy shtraf", "какои штраф"),
        ("bauyrym auylda", "бауырым ауылда"),  # Kazakh уы: y after u is ы, not й
        ("provokatsiya", "провокация"),
        # 2018 acutes: á ә, ǵ ғ, ń ң, ó ө, ú ү, ý у; ı is и or й, y is ы
        ("syılyq alýǵa", "сыилык алуга"),
        ("zań ózgeristeri", "зан озгеристери"),
        ("áskerı qyzmetshi kúıeýim", "аскери кызметши куиеуим"),
    ],
)
def test_latin_to_cyrillic(latin: str, cyrillic: str) -> None:
    assert fold(latin_to_cyrillic(prepare(latin))) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Sıylıq", "сыилык"),  # y after ı (ы) is й
        ("Sıylyq", "сыилык"),
        ("qızmetshi", "кызметши"),
        ("qılmıstıq", "кылмыстык"),
    ],
)
def test_a_dotless_i_typed_on_a_turkish_keyboard_reads_as_y(latin: str, cyrillic: str) -> None:
    """Informal Kazakh typed on a Turkish keyboard means ы by ı (the alphabets mean і, и or
    й): read so when asked for."""
    assert fold(latin_to_cyrillic(prepare(latin), dotless="ы")) == cyrillic
    assert fold(latin_to_cyrillic(prepare(latin))) != cyrillic


def test_has_latin() -> None:
    assert has_latin("подарок q")
    assert not has_latin("подарок 2020")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("gjlfhjr", "подарок"),  # Russian typed on a US layout
        ("vj;yj kb", "можно ли"),
        ("csqks0", "сыйлық"),  # Kazakh layout: the letters on the digit row
        ("vtvktrtnn3r", "мемлекеттік"),
    ],
)
def test_layout_to_cyrillic(typed: str, meant: str) -> None:
    assert fold(to_cyrillic_layout(typed)) == fold(meant)


def test_layout_to_latin() -> None:
    assert to_latin_layout("пшае ифт") == "gift ban"


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("подарки", "ru", "подарк"),
        ("подарков", "ru", "подарк"),
        ("gifts", "en", "gift"),
        ("relatives", "en", "relat"),
        ("сыилыктарды", "kk", "сыилык"),
        ("кызметшилерге", "kk", "кызметши"),
        ("органдарынын", "kk", "орган"),
        ("бастыгым", "kk", "бастык"),  # бастығым: ғ before a vowel was қ
        ("китабын", "kk", "китап"),  # кітабын: б before a vowel was п
        ("улымнын", "kk", "улым"),  # ұлымның: the genitive's н goes with it (was "улымн")
        ("мектептин", "kk", "мектеп"),  # мектептің (was "мектепт")
        ("жубаиыма", "kk", "жубаи"),  # жұбайыма: "my" and the dative together
        ("бажам", "kk", "бажа"),  # бажам: "my" after a vowel is -м alone
        ("сыиласам", "kk", "сыила"),  # сыйласам: "if I give", -са and -м
        ("жездем", "kk", stem_kazakh("жезде")),  # my жезде is a жезде
        ("адам", "kk", "адам"),  # a person: too short a word to lose its -м
        ("улына", "kk", "улы"),  # ұлына
        ("2020", "ru", "2020"),
        ("ли", "ru", "ли"),
    ],
)
def test_stem(word: str, lang: str, expected: str) -> None:
    assert stem(word, lang) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("word", "lang", "expected", "not_"),
    [
        ("келинге", "kk", "келин", "кел"),  # келінге: a daughter-in-law, not "to come"
        ("болимде", "kk", "болим", "бол"),  # бөлімде: a department, not "to be"
        ("болимде", "ru", "болим", "бол"),  # Snowball cut it to бол- too ("бола ма?")
        ("каиынатам", "kk", "каиын", "каи"),  # қайынатам: an in-law, not қай (which)
        ("картасы", "kk", "карта", "кар"),  # a gift card, not қар-
        ("балтамен", "kk", "балта", "бал"),  # an axe, not бала's Russian stem (a child)
        ("балгамен", "kk", "балга", "бал"),  # a hammer, likewise
        ("акимге", "ru", "аким", "ак"),  # an akim, not әкем's Russian stem (my father)
    ],
)
def test_kazakh_stems_that_look_inflected_stay_whole(
    word: str, lang: str, expected: str, not_: str
) -> None:
    """Each was cut to the stem of a common word, so "алып келді" (brought) named a relative
    and every "бола ма?" a workplace."""
    assert stem(word, lang) == expected != not_  # type: ignore[arg-type]
    assert stem(not_ + "ди", "kk") != expected  # келді, болды: their own stems


def test_kazakh_stemmer_keeps_short_stems_and_derivations() -> None:
    assert stem_kazakh("ала") == "ала"
    assert stem_kazakh("сыилык") == "сыилык"  # -лық makes a word; it stays
