"""The matcher on a small base: how people type, small talk, abstention, robustness."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.kb.model import Entry, KnowledgeBase, LangText
from bot.matching import Matcher, MatchResult
from bot.matching import matcher as matcher_module
from bot.matching import smalltalk as smalltalk_module
from bot.matching.common_words import everyday_share, is_common_english
from bot.matching.config import DEFAULT
from bot.matching.index import Synonyms, content_words
from bot.matching.normalize import words
from tests.helpers.matching_kb import NO_USAGE, make_kb


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(make_kb(), usage=NO_USAGE)


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("Может ли госслужащий принять подарок?", "gifts-ban"),
        ("сыйлык алуга бола ма", "gifts-ban"),  # Kazakh without its letters
        ("syilyq ala ala ma", "gifts-ban"),  # Kazakh in informal Latin
        ("qyzmetshi syilyq ala ala ma", "gifts-ban"),
        ("mozhno li vzyat podarok", "gifts-ban"),  # Russian translit
        ("vj;yj kb dpznm gjlfhjr", "gifts-ban"),  # ru typed on a US layout
        ("csqks0 fkf vf", "gifts-ban"),  # Kazakh layout on a US keyboard
        ("подорок госслужащему", "gifts-ban"),  # typo
        ("можно ли чиновнику взять сыйлық", "gifts-ban"),  # Russian and Kazakh mixed
        ("can I accept a present", "gifts-ban"),  # synonym
        ("арандату", "provocation-definition"),  # bare keyword
        ("what is entrapment", "provocation-definition"),
        ("туыстар бірге жұмыс істей ме", "relatives-same-agency"),
        ("Привет! Куда сообщить о коррупции?", "report-corruption"),  # greeting + question
    ],
)
def test_matches_how_people_type(matcher: Matcher, text: str, entry_id: str) -> None:
    result = matcher.match(text)
    assert result.entry_id == entry_id, result
    assert result.suggestions == ()
    assert 0 <= result.score <= 100


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\n\t",
        "😂",
        "😂😂😂 🙏",
        "???",
        "12345",
        "how do I renew my passport",
        "как получить загранпаспорт",
        "what is the fine for a bribe of a million tenge",
        "погода в Астане завтра",
        "asdkjh qwlekj zxmcnb",
        "Hello мир こんにちは مرحبا",  # mixed scripts
        "слово " * 700,  # a 4,200-character message
    ],
)
def test_abstains_out_of_scope(matcher: Matcher, text: str) -> None:
    result = matcher.match(text)
    assert result.entry_id is None, result
    assert result.smalltalk is None
    assert len(result.suggestions) <= 3


def test_abstention_offers_nearest_entries(matcher: Matcher) -> None:
    result = matcher.match("взятка полиция")  # two topics, neither asked
    assert result.entry_id is None
    assert 1 <= len(result.suggestions) <= 3


@pytest.mark.parametrize(
    ("text", "kind", "lang"),
    [
        ("привет", "greeting", "ru"),
        ("Сәлеметсіз бе!", "greeting", "kk"),
        ("hello!!", "greeting", "en"),
        ("ghbdtn", "greeting", "ru"),  # wrong layout
        ("спасибо", "thanks", "ru"),
        ("Рахмет", "thanks", "kk"),
        ("thank you", "thanks", "en"),
        ("что ты умеешь?", "capabilities", "ru"),
        ("не істей аласың", "capabilities", "kk"),
        ("What can you do?", "capabilities", "en"),
        ("Hello, hi! Thanks! What can you do?", "capabilities", "en"),  # greetings first
        ("Здравствуйте, привет, что ты умеешь?", "capabilities", "ru"),
    ],
)
def test_smalltalk(matcher: Matcher, text: str, kind: str, lang: str) -> None:
    result = matcher.match(text)
    assert (result.entry_id, result.smalltalk, result.lang) == (None, kind, lang)


@pytest.mark.parametrize(
    "text",
    [
        "кім жасады сені?",
        "сені кім жасаған?",
        "кто тебя создал?",
        "who created you?",
    ],
)
def test_who_made_the_bot_is_answered_with_what_it_is(bundled: Matcher, text: str) -> None:
    """A probe's "кім жасады сені?" got "I don't know" ("who made you?" was answered)."""
    assert bundled.match(text).entry_id == "about-bot"


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("у меня вымогают взятку", True),
        ("начальник требует взятку", True),
        ("маған пара талап етті", True),
        ("someone tried to extort money", True),
        ("можно ли взять подарок", False),
    ],
)
def test_case_signal(matcher: Matcher, text: str, signal: bool) -> None:
    assert matcher.match(text).case_signal is signal


def test_search_ranks_regardless_of_abstention(matcher: Matcher) -> None:
    found = matcher.search("bribe", limit=3)
    assert 1 <= len(found) <= 3
    assert [score for _, score in found] == sorted((s for _, s in found), reverse=True)
    assert matcher.search("") == []
    assert matcher.search("   ") == []


@pytest.mark.parametrize("typed", ["пода", "сыйл", "prov"])
def test_search_completes_a_word_cut_short(matcher: Matcher, typed: str) -> None:
    found = [entry for entry, _ in matcher.search(typed)]
    assert found[0] in ("gifts-ban", "provocation-definition")


def _with_gift_sibling() -> Matcher:
    """The small base plus a second gifts entry, listed after the topic's overview."""
    kb = make_kb()
    texts = {
        lang: LangText(tuple(qs), f"Family gifts ({lang}).")
        for lang, qs in (
            ("kk", ["Сыйлыққа тыйым отбасыма да қатысты ма?"]),
            ("ru", ["Запрет на подарки касается моей семьи?"]),
            ("en", ["Does the gift ban cover my family?", "Gift ban for spouses and children"]),
        )
    }
    sibling = Entry(
        "gifts-family", "gifts", texts, kb.entries["gifts-ban"].sources, date(2020, 10, 18)
    )
    return Matcher(
        KnowledgeBase(
            entries={**kb.entries, sibling.id: sibling},
            synonyms=kb.synonyms,
            smalltalk=kb.smalltalk,
        ),
        usage=NO_USAGE,
    )


def test_bare_keywords_of_one_topic_get_its_overview() -> None:
    matcher = _with_gift_sibling()
    (_, best), (_, second) = matcher.search("ban on gifts", limit=2)
    assert best - second < DEFAULT.min_margin  # a tie the margin alone would abstain on
    assert matcher.match("ban on gifts").entry_id == "gifts-ban"
    # "gift ban" ties so too; round 30's model is less sure of it (69 %, threshold 77 %) and
    # asks which of the two it means, as the bundled base does (the strict xfail below)
    assert matcher.match("gift ban").one_topic
    assert matcher.match("does the gift ban cover my family").entry_id == "gifts-family"
    assert matcher.match("gift ban spouse").entry_id == "gifts-family"  # a clear winner stays


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("арандату жаза", "provocation-art-412-1"),
        ("провокация подарок", None),  # two topics named: ask which
    ],
)
def test_bundled_base_overview_answers_bare_keywords(
    bundled: Matcher, text: str, entry_id: str | None
) -> None:
    """Bare keywords whose entries come close get their topic's overview, or the topic's
    entries to choose from; keywords naming two topics are asked which (both are offered)."""
    (_, best), (_, second) = bundled.search(text, limit=2)
    assert best - second < DEFAULT.min_margin
    result = bundled.match(text)
    if entry_id is None:
        topics = {bundled.kb.entries[s].topic for s in result.suggestions}
        assert result.entry_id is None and len(topics) == 2
    else:
        assert result.entry_id == entry_id or (
            result.entry_id is None and entry_id in result.suggestions
        )


@pytest.mark.parametrize("text", ["провокация подарок", "арандату сыйлық", "provocation gift"])
def test_bare_keywords_naming_two_topics_ask_which(bundled: Matcher, text: str) -> None:
    result = bundled.match(text)
    assert result.entry_id is None
    topics = {bundled.kb.entries[entry_id].topic for entry_id in result.suggestions}
    assert topics == {"provocation", "gifts"}


@pytest.mark.parametrize(
    "text",
    [
        "сколько получают госслужащие",
        "зейнетақы қашан",
        "how many days off for officials",
        "кто победит на выборах?",  # a word of one story variant each named a topic
    ],
)
def test_keywords_that_merely_occur_in_two_topics_are_not_asked_which(
    bundled: Matcher, text: str
) -> None:
    """The words must be about both topics (config.clarify_share of the weight each)."""
    assert not bundled.match(text).two_topics


STORY = (
    "Мой брат работает в полиции, а я в министерстве, и начальник подарил ему подарок на "
    "день рождения. Родственники спорят, можно ли так. Родственник говорит, что подарок "
    "нельзя. Куда сообщить о коррупции?"
)


def test_a_story_is_judged_by_its_question_too() -> None:
    """A story full of relatives and gifts that asks where to report is about reporting."""
    assert Matcher(make_kb(), usage=NO_USAGE).search(STORY)[0][0] == "report-corruption"


def _with_keyword_question() -> Matcher:
    """The small base with a one-word question ("entrapment") for provocation."""
    kb = make_kb()
    entry = kb.entries["provocation-definition"]
    en = entry.texts["en"]
    texts = {**entry.texts, "en": LangText((*en.questions, "entrapment"), en.answer)}
    return Matcher(
        KnowledgeBase(
            entries={**kb.entries, entry.id: replace(entry, texts=texts)},
            synonyms=kb.synonyms,
            smalltalk=kb.smalltalk,
        ),
        usage=NO_USAGE,
    )


GIFT_STORY = (
    "My sister is a civil servant. A visitor left a box of chocolates on her desk and "
    "she worries it could be entrapment. Is she allowed to accept a gift like that?"
)


def test_a_story_does_not_fit_a_one_word_question() -> None:
    """A story that mentions "entrapment" contains that question whole, but it is a small
    part of the story: not enough to answer with it."""
    assert _with_keyword_question().match(GIFT_STORY).entry_id == "gifts-ban"


FAMILY_GIFT_STORY = (
    "Жұбайым кеденде істейді. Оның жұмысы бойынша танысы біздің ұлымызға туған "
    "күніне қымбат телефон сыйлады. Күйеуім бұл балаға берілген сыйлық дейді. "
    "Ол дұрыс па?"
)


def test_a_story_is_judged_by_all_questions_of_an_entry(bundled: Matcher) -> None:
    """A story's words (spouse, customs, son, birthday, gift) are spread over an entry's
    questions, not found in one of them."""
    assert bundled.match(FAMILY_GIFT_STORY).entry_id == "gifts-family-members"


@pytest.mark.parametrize(
    ("word", "real"),
    [("sent", True), ("heard", True), ("chnage", False), ("oficer", False), ("подарок", False)],
)
def test_common_english_words(word: str, real: bool) -> None:
    assert is_common_english(word) is real


@pytest.mark.parametrize(
    ("word", "share"),
    [
        ("entrapment", 1.0),
        ("провокация", 1.0),  # rare in everyday text: full weight
        ("giving", 0.92),
        ("куда", 0.6),
        ("the", 0.6),  # common: less, down to a floor
        ("сеичас", 0.6),
        ("денги", 0.6),  # looked up as folded: сейчас, деньги
    ],
)
def test_everyday_words_keep_a_share_of_their_weight(word: str, share: float) -> None:
    assert everyday_share(word) == pytest.approx(share, abs=0.01)


def test_an_everyday_word_weighs_less_than_its_rarity_in_the_base(
    bundled: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "giving entrapment куда іс подарок"
    found = {t.word: t.weight for t in bundled._tokens(words(text))}
    monkeypatch.setattr(matcher_module, "everyday_share", lambda word: 1.0)
    monkeypatch.setattr(bundled, "_everyday", bundled._everyday_share)  # not the cached shares
    rare = {t.word: t.weight for t in bundled._tokens(words(text))}
    assert found["giving"] < rare["giving"]
    assert found["куда"] < rare["куда"]
    assert found["entrapment"] == rare["entrapment"]
    # "іс" (a case), folded "ис", is a Kazakh word of the base: no Russian frequency applies
    assert everyday_share("ис") < 1.0
    assert found["ис"] == rare["ис"]
    # "подарок" is common, but a synonym group names it as a term of the base
    assert everyday_share("подарок") < 1.0
    assert found["подарок"] == rare["подарок"]


def test_a_common_word_is_not_taken_for_a_typo(bundled: Matcher) -> None:
    assert "set" in bundled.index.words  # "set up": provocation
    assert "set" not in bundled.index.similar("sent")
    assert "set" in bundled.index.similar("sett")
    assert "change" in bundled.index.similar("chnage")


@pytest.mark.parametrize(
    ("everyday", "official"),
    [
        ("mom", "mother"),
        ("dad", "father"),
        ("souvenirs", "gift"),
        ("кәдесый", "сыйлық"),
        ("wine", "gift"),
        ("toys", "gift"),
        ("envelope", "gift"),
        ("шешем", "мать"),
        ("холдинг", "нацкомпания"),
        ("KTZ", "Samruk"),
        ("робот", "бот"),
        ("AI", "bot"),
        ("министрлікте", "госорган"),
        ("anticorruption", "corruption"),
        ("пограничник", "soldier"),
    ],
)
def test_everyday_words_reach_the_base(bundled: Matcher, everyday: str, official: str) -> None:
    found, meant = (bundled.index.slot_keys(words(word))[0] for word in (everyday, official))
    assert found & meant


@pytest.mark.parametrize(
    ("typed", "entry_id"),
    [
        ("статья 380 1", "attack-on-officer-art-380-1"),
        ("article 412 1", "provocation-art-412-1"),
        # the code by its abbreviation, with a case ending after a hyphen
        ("ҚК-нің 380-1-бабы деген не?", "attack-on-officer-art-380-1"),
    ],
)
def test_an_article_number_typed_with_a_space(bundled: Matcher, typed: str, entry_id: str) -> None:
    assert bundled.match(typed).entry_id == entry_id


def test_a_synonym_group_keeps_its_key_wherever_groups_are_added() -> None:
    """The trained models know a group by its key: a group added above it, or one leading with
    the same word, must not change it (keys by place renumbered every later group)."""
    bribe, gift = ["взятка", "bribe"], ["подарок", "gift"]
    alone = Synonyms([bribe, gift])
    grown = Synonyms([["УК", "уголовный кодекс"], bribe, ["взятка", "мзда"], gift])
    for word in ("взятка", "bribe", "подарок", "gift"):
        assert alone.single({word}) <= grown.single({word})
    assert len(grown.single({"взятка"})) == 2  # two groups lead with it: two keys


def test_the_agency_by_its_kazakh_abbreviation(bundled: Matcher) -> None:
    """«СЖҚА телефоны қандай?» (the Anti-Corruption Agency's phone) got "I don't know" (2.4;
    round 28's probe): СЖҚА is in the agency's synonym group now."""
    assert bundled.match("СЖҚА телефоны қандай?").entry_id == "report-corruption"


def test_another_topics_article_rules_an_entry_out(bundled: Matcher) -> None:
    """ "How many were convicted under 380-1?" was answered with the provocation figures (91 %;
    round 28's probe): the article is the attacks topic's. It is offered, not answered; a
    message naming its own topic's article still is."""
    convicted = bundled.match("сколько людей осудили по 380-1?")
    assert convicted.entry_id is None
    assert bundled.search("сколько людей осудили по 380-1?")[0][0] == "provocation-statistics"
    assert bundled.match("статистика по 380-1").entry_id == "attack-on-officer-statistics"
    assert bundled.match("что такое 412-1").entry_id == "provocation-art-412-1"


def test_negated_english_verbs_are_function_words() -> None:
    assert content_words(words("I didn't pay and don't know, she isn't sure")) == [
        "pay",
        "know",
        "sure",
    ]


def test_empty_base_abstains() -> None:
    result = Matcher(KnowledgeBase()).match("можно ли взять подарок")
    assert result == MatchResult(None, 0.0, "ru", ())


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_any_string(text: str) -> None:
    result = _MATCHER.match(text)
    assert result.lang in ("kk", "ru", "en")
    assert 0 <= result.score <= 100
    assert result.entry_id is None or result.entry_id not in result.suggestions
    assert len(result.suggestions) <= 3


_MATCHER = Matcher(make_kb(), usage=NO_USAGE)


KAZAKH_ENDINGS = "әскери қызметшілердің өмірлеріне қол сұққандарға жаза"


def test_word_pieces_reach_what_whole_words_miss(bundled: Matcher) -> None:
    """Plural, possessive and case endings the stemmer leaves on (өмірлеріне, сұққандарға)
    keep most of their letters' pieces: Art. 380-1 is found."""
    assert bundled.match(KAZAKH_ENDINGS).entry_id == "attack-on-officer-art-380-1"


SET_UP = "a cop set me up to hand him a bribe and now i am charged what do i do"


def test_the_way_a_message_asks_tells_siblings_apart(bundled: Matcher) -> None:
    """Being set up and asking what to do is victim-help, not examples of provocation: the
    naive Bayes model reads "what do i do", which word matching leaves out."""
    assert bundled.match(SET_UP).entry_id == "provocation-victim-help"


def test_a_likely_typo_counts_for_the_model_as_the_word_it_misspells(bundled: Matcher) -> None:
    typo = bundled._tokens(words("provocaton"))
    assert not typo[0].exact
    features = set(matcher_module._typo_features(typo, DEFAULT))
    assert features & set(bundled.index.features(words("provocation")))
    assert matcher_module._typo_features(bundled._tokens(words("provocation")), DEFAULT) == []
    assert (
        matcher_module._typo_features(bundled._tokens(words("compliense")), DEFAULT) == []
    )  # unsure


TAX_STORY = (
    "Last spring an inspector at the tax office told my father the audit would go away if "
    "he paid a little. Father paid, and the next day he was arrested for giving a bribe. "
    "The case is in court now. What can he do?"
)
SET_UP_SHORT = "cop set me up, what now"


def test_a_story_that_asks_what_to_do_gets_the_victims_entry(bundled: Matcher) -> None:
    """A story of a bribe suggested and then charged, asking what can be done, is about
    the victim's options; so is the short way of asking it."""
    assert bundled.search(TAX_STORY)[0][0] == "provocation-victim-help"
    assert bundled.search(SET_UP_SHORT)[0][0] == "provocation-victim-help"


def test_a_shorter_story_is_judged_by_its_question_too(bundled: Matcher) -> None:
    """Ten content words are enough for the question sentence to weigh in (round 20; a story
    of 14 before): this one, told like provocation's examples, asks what to do."""
    text = "Тергеуші ақша берсең іс жабылады деді, мен бердім, сосын ұстап алды. Енді не істеймін?"
    assert bundled.search(text)[0][0] == "provocation-victim-help"


@pytest.mark.parametrize("text", ["gift allowed", "сыйлық рұқсат"])
def test_bare_keywords_get_the_topics_overview(bundled: Matcher, text: str) -> None:
    """ "gift allowed" asks about gifts as a whole: the overview answers, or is offered first
    (among the gifts entries, or as the answer's sibling), never an entry of another topic."""
    result = bundled.match(text)
    offered = [e for e in (result.entry_id, *result.suggestions) if e is not None]
    assert "gifts-any-value-ban" in offered
    assert {bundled.kb.entries[e].topic for e in offered} == {"gifts"}


def test_only_the_first_4096_characters_of_a_message_are_read(bundled: Matcher) -> None:
    question = "Можно ли госслужащему принять подарок?"
    padded = question + " " * (bundled.config.max_input - len(question))
    assert bundled.match(padded + "провокация " * 100_000) == bundled.match(question)


def test_a_tie_in_cover_goes_to_the_entry_using_the_words_themselves(bundled: Matcher) -> None:
    """Many entries reach "relatives" and "department" through a synonym group (brother, wife,
    police department); the one whose question says "relatives" must be among the candidates
    and ranked first (it was cut off by entry order before)."""
    assert bundled.search("relatives in the same department")[0][0] == "relatives-same-agency"


@pytest.mark.parametrize(
    ("text", "answered"),
    [
        ("Какое наказание за нападение на полицейского?", False),
        ("Наказание за нападение на сотрудника полиции в Казахстане", False),
        ("Как в США наказывают за нападение на полицейского?", True),
        ("forign experience punishing attacks on officals", True),  # a typo of the concept
        ("18 U.S.C. § 1114", True),  # a number only that entry's questions use
        ("China 277", True),
    ],
)
def test_foreign_law_answers_only_a_message_about_abroad(
    bundled: Matcher, text: str, answered: bool
) -> None:
    """foreign-experience-officials requires the foreign-country concept: "what is the penalty
    for attacking a police officer" got US and Chinese law (found by a probe)."""
    result = bundled.match(text)
    assert (result.entry_id == "foreign-experience-officials") is answered
    if not answered:
        assert "foreign-experience-officials" not in result.suggestions


@pytest.mark.parametrize("text", ["а в Китае?", "and in China?", "Қытайда ше?", "а мой брат?"])
def test_a_required_concept_alone_is_not_answered(bundled: Matcher, text: str) -> None:
    """A message naming only what an entry requires (a foreign country for foreign law, a
    relative for the family gift rule) leaves what it asks to its context: it is offered, not
    answered ("а в Китае?" got foreign law on attacks on officers, even after the gift ban)."""
    result = bundled.match(text)
    assert result.entry_id is None
    assert set(result.suggestions) & {"foreign-experience-officials", "gifts-family-members"}


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Жена получила серьги от подрядчика моего отдела. Можно оставить?", True),
        ("My mother-in-law got a fur coat from a contractor of my department. Allowed?", True),
        ("Қайын енеме біздің бөліммен жұмыс істейтін кәсіпкер алтын сырға сыйлапты", True),
        ("Хозяин автосервиса, которого мы проверяли, хочет бесплатно починить мне машину", False),
        ("A supplier of our department offered to pay for my holiday. Can I accept?", False),
    ],
)
def test_family_gift_rule_needs_a_relative(bundled: Matcher, text: str, family: bool) -> None:
    """gifts-family-members requires a relative (any of three concepts): a free repair
    offered to the official was ranked first for it, as its questions mention paid trips and
    services; a message naming a spouse or an in-law is still answered with it."""
    result = bundled.match(text)
    assert (result.entry_id == "gifts-family-members") is family
    assert all(entry_id != "gifts-family-members" for entry_id, _ in bundled.search(text)) is (
        not family
    )


@pytest.mark.xfail(
    strict=True,
    reason="round 31's retrain puts it at 67.0, the threshold 0.76: offered first, not answered",
)
def test_bare_gift_ban_is_answered_with_the_ban(bundled: Matcher) -> None:
    """ "gift ban" was asked which of three gifts entries: with no relative named, the family
    rule is out of the running and the ban leads clearly. (Round 26's retrain put its
    confidence at 61.1, a strict xfail; round 27's at 82.5; round 28's at 65.1, round 29's at
    68.5, round 30's at 75.3, and the bot asks which of the ban and the old threshold is meant,
    the ban first.)"""
    assert bundled.match("gift ban").entry_id == "gifts-any-value-ban"


@pytest.mark.parametrize(
    "text", ["Можно ли получать подарки?", "можно ли получать подарки", "can I receive gifts?"]
)
def test_receiving_gifts_is_asked_of_the_ban(bundled: Matcher, text: str) -> None:
    """ "May one receive gifts?" asks the rule of today: round 28's retrain answered it with the
    old threshold ("up to how many MCI could one receive a gift?" was the only question of the
    gifts topic with «получать»), until the ban's questions said «получать» too."""
    assert bundled.match(text).entry_id == "gifts-any-value-ban"


def test_bare_gift_ban_leads_with_the_ban(bundled: Matcher) -> None:
    """Answered or not, "gift ban" puts the ban first: the family rule, which needs a relative,
    is out of the running."""
    result = bundled.match("gift ban")
    assert (result.entry_id or result.suggestions[0]) == "gifts-any-value-ban"
    assert "gifts-family-members" not in result.suggestions


def test_a_message_naming_one_topic_is_never_off_topic(bundled: Matcher) -> None:
    """ "What about presents?" names the gifts topic: its entries are offered, however unsure
    the model is of them (round 27's retrain put it at 1.4 %, under ``off_topic_score``, and
    the bot said only what it covers). A question of no topic still is off topic."""
    # every abstention under 100 % off topic, but for the one-topic rule (the index reads no
    # off_topic_score: the bundled one serves)
    strict = Matcher(
        bundled.kb, config=replace(DEFAULT, off_topic_score=100.0), index=bundled.index
    )
    for text in ("What about presents?", "Расскажите про подарки"):
        named = strict.match(text)
        assert named.entry_id is None and named.one_topic and not named.off_topic
        assert "gifts-any-value-ban" in named.suggestions
        # only the topic's entries: «Расскажите про подарки» has the law of 2020 second
        assert {bundled.kb.entries[e].topic for e in named.suggestions} == {"gifts"}
    assert strict.match("how do I renew my passport").off_topic


def test_personal_data_is_left_out_of_the_off_topic_judgement(bundled: Matcher) -> None:
    """A name, an IIN and a phone number are words the base has never seen, and they made a
    gift question off topic (0.7 %, the Kazakh one: "атым" was read as a typo of "айту",
    which brought the report contacts up as a rival). Without them the message is judged
    again: it is offered what its rest asks for, never answered so; the weather is still
    off topic."""
    intro = "Меня зовут Аскар Нурланов, ИИН 900101300123, телефон 87011112233, "
    kazakh = (
        "Менің атым Асқар Нұрланов, ЖСН 900101300123, телефон 87011112233, сыйлық туралы "
        "сұрағым бар"
    )
    for text in (kazakh, intro + "почта askar@mail.kz, можно ли взять подарок?"):
        result = bundled.match(text)
        assert result.entry_id is None and not result.off_topic, text
        assert result.suggestions[0] == "gifts-any-value-ban"
    assert bundled.match(kazakh).lang == "kk"
    assert bundled.match(intro + "какая погода завтра в Астане?").off_topic
    assert bundled.match("какая погода завтра в Астане?").off_topic


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        (
            "Менің атым Асқар Нұрланов, ЖСН 900101300123, телефон 87011112233, сыйлық туралы "
            "сұрағым бар",
            "сыйлық туралы сұрағым бар",
        ),
        ("My name is Askar. Tel. 8 701 111 22 33. Can I accept a gift?", "Can I accept a gift?"),
        (  # a name inside a longer clause goes alone
            "Мой начальник Ерлан Серикович дал мне подарок, можно ли его взять?",
            "Мой начальник дал мне подарок можно ли его взять?",
        ),
        ("Можно ли взять подарок, ст. 412-1?", "Можно ли взять подарок, ст. 412-1?"),
    ],
)
def test_without_personal_data(text: str, rest: str) -> None:
    assert matcher_module.without_personal_data(text) == rest


@pytest.mark.parametrize(
    "text",
    [
        "Sıylyq alýǵa bola ma?",
        "Sıylıq alwǵa bola ma memlekettik qızmetshi",  # ı for ы: a Turkish keyboard
        "Memlekettik qyzmetşi syılyq ala ala ma?",  # ı for й: the 2018 alphabet
        "memlekettık qyzmetşı sıylyq ala ma",  # ı for і: the 2021 alphabet
    ],
)
def test_kazakh_latin_with_a_dotless_i_is_read_as_the_base_knows_it(
    bundled: Matcher, text: str
) -> None:
    """A probe: "Sıylıq alwǵa bola ma memlekettik qızmetshi" was off topic. The dotless ı is
    і in the 2021 alphabet, и or й in the 2018 one, and ы on a Turkish keyboard: a word is
    read with ı for ы when only that reading is a word of the base."""
    assert "сыилык" in bundled.folded(text)
    assert bundled.match(text).entry_id == "gifts-any-value-ban"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("привет, как дела?", "greeting"),  # was: nothing left once every polite word went
        ("Salem, how's it going?", "greeting"),
        ("rakhmet, thank you!", "thanks"),
        ("thank you, you are useless", "insult"),
        ("идиот ты", "insult"),
        ("thanks, bye", "goodbye"),
        ("hi, what can you do", "capabilities"),
        ("спс, помог 👍", "thanks"),  # round 27: "помог" read as "помоги", what can you do
        ("помогите", "capabilities"),
        ("it helped", "thanks"),
        ("thank you so much, you helped a lot", "thanks"),  # round 29's probe: off topic
        ("rahmet komek ushin", "thanks"),  # рахмет көмек үшін
        ("ты молодец", "thanks"),
        ("операторға қосшы", "human"),  # connect me to an operator: the provocation rules
        ("can I talk to a real person", "human"),  # was: "Yes, I am a bot"
        ("оператор керек", "human"),  # round 30's probe: provocation questions
        ("адаммен сөйлессем бола ма?", "human"),  # round 31's probe: the off-topic refusal
        ("хочу поговорить с юристом", "human"),  # "I don't know"
        ("I need a lawyer", "human"),  # the off-topic refusal
    ],
)
def test_greetings_and_thanks_around_small_talk(bundled: Matcher, text: str, kind: str) -> None:
    """A probe's "привет, как дела?" got "I only answer questions about…": the greeting's
    words, "как" and "дела" among them, were all taken off before the phrase was looked for."""
    assert bundled.match(text).smalltalk == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("бот тупой, ничего не понимаешь", "insult"),  # was: the about entry at 87 %
        ("ничего не понял, что за бред", "insult"),
        ("ok thanks, what nonsense", "insult"),
        ("тупой бот, подарок можно взять?", None),  # a question after an insult: a question
        ("привет, подарок от родителей ученика можно?", None),
    ],
)
def test_a_message_of_two_small_talk_phrases_is_the_second(
    bundled: Matcher, text: str, kind: str | None
) -> None:
    """A short message made of two phrases is small talk of the second's kind; one with a
    question in it is a question."""
    assert bundled.match(text).smalltalk == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("are you a bot lol", "robot"),
        ("вы бот что ли", "robot"),
        ("сен ботсың ба, а?", "robot"),
        ("useless bot, seriously", "insult"),
        ("ты тупой бот что ли", "insult"),
        ("ақымақ бот екенсің", "insult"),
        ("тупой бот, подарок можно взять?", None),  # a word of the entries: a question
        ("is this bot useless for gift questions", None),
    ],
)
def test_a_robot_or_insult_phrase_with_other_words_around_it(
    bundled: Matcher, text: str, kind: str | None
) -> None:
    """A short message that begins or ends with a robot or insult phrase, and has no other
    word of the entries' questions, is that small talk: never the about entry."""
    result = bundled.match(text)
    assert result.smalltalk == kind
    assert kind is None or result.entry_id is None


@pytest.mark.parametrize(
    ("text", "kind", "lang"),
    [
        ("спасибо огромное", "thanks", "ru"),  # was: "I don't know"
        ("Огромное вам спасибо!", "thanks", "ru"),
        ("большое спасибо", "thanks", "ru"),
        ("спасибо тебе", "thanks", "ru"),
        ("премного благодарен", "thanks", "ru"),
        ("рахмет сізге көп", "thanks", "kk"),
        ("рахмет үлкен сізге", "thanks", "kk"),
        ("мың рахмет", "thanks", "kk"),
        ("thanks a lot", "thanks", "en"),
        ("thank you so much", "thanks", "en"),
        ("thanks a million", "thanks", "en"),
        ("огромное спасибо, до свидания", "goodbye", "ru"),
    ],
)
def test_thanks_with_an_intensifier_is_thanks(
    bundled: Matcher, text: str, kind: str, lang: str
) -> None:
    """A probe's "спасибо огромное" got "I don't know": only "спасибо большое" and a few other
    set phrases were thanks. Intensifiers and addressees ("огромное", "вам", "үлкен", "a
    million") are left out of a greeting, thanks or goodbye."""
    result = bundled.match(text)
    assert (result.entry_id, result.smalltalk, result.lang) == (None, kind, lang)


@pytest.mark.parametrize(
    "text", ["очень", "вам", "спасибо огромное, а подарок от коллеги можно?", "very stupid bot?"]
)
def test_intensifiers_alone_or_in_a_question_are_no_thanks(bundled: Matcher, text: str) -> None:
    assert bundled.match(text).smalltalk != "thanks"


@pytest.mark.parametrize(
    ("text", "named", "not_named"),
    [
        ("Жездем басқармаға бастық болды", "in-law-relative", None),  # my жезде
        ("бажам бізге ауысты", "in-law-relative", None),  # my бажа
        ("женгем мектепте", "in-law-relative", None),  # my жеңге
        ("қызым мұғалімге гүл берді", "family-member", "weapon"),  # not балға (a hammer)
        ("балам ауырып қалды", "family-member", "weapon"),  # not балта (an axe)
        ("әкем зейнеткер", "family-member", "state-body"),  # my father, not an akim
        ("сыйлықты қайтарсам бола ма", "gift-act", None),  # if I return the gift
        ("работаю в одном отделе с отцом", "family-member", None),  # отца, отцом: stem отц-
        ("my fiancée was assigned to my unit", "family-member", None),  # a spouse to be
        ("інісін орынбасар етіп алды", "family-member", None),  # his younger brother (acc.)
    ],
)
def test_inflected_relatives_name_their_concepts(
    bundled: Matcher, text: str, named: str, not_named: str | None
) -> None:
    """A Kazakh word with "my" or "if I" after a vowel (жездем, қайтарсам) names what the
    word names, and no concept whose word shares a cut-down stem with it; so do a father or a
    brother in a case Snowball or the Kazakh stemmer cuts otherwise than the word (отцом,
    інісін), and a fiancée."""
    concepts = bundled.index.concepts_in(bundled.folded(text))
    assert named in concepts
    assert not_named not in concepts


@pytest.mark.parametrize(
    "text",
    [
        "Мой начальник требует 500 000 тенге, что делать?",
        "бастығым менен 500 мың теңге талап етіп жатыр",
        "my boss demands 300,000 tenge from me",
    ],
)
def test_a_boss_demanding_a_sum_is_told_where_to_report(bundled: Matcher, text: str) -> None:
    """A probe's boss demanding a sum, with no word for a bribe, got "I don't know" with other
    entries (the sum named no concept). A sum demanded is extortion (concepts.yaml): where to
    report is the answer, or the entry offered first. (Variants of such demands put in
    report-corruption answered them, but took right answers from provocation stories on the
    tuning and validation sets: right - 3 x wrong -6; not kept.)"""
    assert "extortion-demand" in bundled.index.concepts_in(bundled.folded(text))
    result = bundled.match(text)
    assert (result.entry_id or result.suggestions[0]) == "report-corruption"


def test_a_text_past_every_phrases_reach_is_compared_with_none(bundled: Matcher) -> None:
    """Small talk compares a text only with the phrases its length lets it be alike to; past
    the longest phrase's reach (a story) with none, and without looking through them."""
    phrases = bundled.smalltalk._closest_phrase
    reach = phrases._reach
    longest = max(map(len, phrases._phrases))
    assert longest < reach < 2 * longest
    for size in range(1, reach + 40):
        near = [p for p in phrases._phrases if smalltalk_module._may_reach(size, len(p))]
        assert bool(near) == (size <= reach), size
    assert phrases.closest("спасибо " * 40) is None
    assert 320 not in phrases._of_length  # no phrase was looked through for it
