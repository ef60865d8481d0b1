"""A message of several questions: a last question on a matter the base leaves out ("… May I
keep it? Also, can I take my leave in December?") does not cost the first question its answer,
and a question of another topic is offered with the answer."""

from __future__ import annotations

import pytest

from bot.matching import Matcher

QUESTIONS = [
    ("en", "A supplier brought a bottle of cognac to my office. May I keep it?"),
    ("ru", "Поставщик принёс мне в кабинет бутылку коньяка. Можно оставить?"),
]
OTHER_MATTERS = {
    "en": [" Also, can I take my leave in December?", " What is the weather tomorrow?"],
    "ru": [" И ещё вопрос: можно ли уйти в отпуск в декабре?", " А какая завтра погода?"],
}


@pytest.mark.parametrize(("lang", "question"), QUESTIONS)
def test_a_second_question_on_another_matter_is_left_out(
    bundled: Matcher, lang: str, question: str
) -> None:
    bare = bundled.match(question)
    assert bare.entry_id is not None and bare.left_out is None
    for other in OTHER_MATTERS[lang]:
        both = bundled.match(question + other)
        expected = (bare.entry_id, lang, "other matter")
        assert (both.entry_id, both.lang, both.left_out) == expected, other


@pytest.mark.parametrize(
    "text",
    [
        # the only question is the last one: it is what the message asks, and it is not
        # answered (an employer's gift card, the income tax on it)
        "My cousin got a 50,000 tenge gift card from her employer, a private supermarket "
        "chain. Does she owe income tax on it?",
        # a last question of the base's own matter is no other matter
        "A supplier brought a bottle of cognac to my office. May I keep it? Must my wife "
        "return the perfume he gave her?",
    ],
)
def test_a_last_question_is_kept_when_it_is_the_only_one_or_of_the_base(
    bundled: Matcher, text: str
) -> None:
    assert bundled.match(text).left_out is None


@pytest.mark.parametrize(
    ("text", "offered"),
    [
        (
            "Поставщик принёс мне коробку конфет и коньяк. Можно ли мне их принять? И можно "
            "ли моему брату работать у меня в подчинении?",
            "relatives-same-agency",
        ),
        (
            "Can I accept a gift from a contractor? And can my brother work in my unit?",
            "relatives-same-agency",
        ),
        # a probe's finding: «А что такое 380-1?» alone asks which of the attacks' entries
        ("Можно ли принять подарок? Что такое 380-1?", "attack-on-officer-art-380-1"),
    ],
)
def test_a_second_question_of_another_topic_is_offered_first_with_the_answer(
    bundled: Matcher, text: str, offered: str
) -> None:
    """A probe's finding: one topic was answered and the other dropped with no button."""
    result = bundled.match(text)
    assert result.entry_id is not None and result.entry_id != offered
    assert result.suggestions[0] == offered


def test_a_message_not_answered_whole_is_answered_by_its_questions_of_two_topics(
    bundled: Matcher,
) -> None:
    """A probe's finding: the two topics' words drowned each other, and the relatives rule was
    not even offered."""
    result = bundled.match(
        "Can I accept a gift from a contractor? And can my brother work in my unit?"
    )
    assert result.asked_apart
    assert result.entry_id == "gifts-any-value-ban"
    assert result.suggestions[0] == "relatives-same-agency"


@pytest.mark.parametrize(
    "text",
    [
        "May I keep the cognac? May I keep the chocolates?",  # one topic's questions
        "Can I accept a gift from a contractor?",  # one question
    ],
)
def test_questions_are_not_matched_apart_unless_they_ask_of_two_topics(
    bundled: Matcher, text: str
) -> None:
    assert not bundled.match(text).asked_apart


@pytest.mark.parametrize(
    "text",
    [
        "Какая завтра погода? И можно ли мне оставить коньяк от поставщика?",
        "What is the weather like tomorrow? And can I keep the perfume a supplier sent me?",
    ],
)
def test_a_question_before_that_asks_nothing_of_the_base_is_left_out(
    bundled: Matcher, text: str
) -> None:
    """It cost the message its answer (9.4 for the Russian): the weather's words weighed as
    much as the gift's."""
    result = bundled.match(text)
    assert result.entry_id == "gifts-any-value-ban"
    assert result.left_out == "other question" and result.asked_apart


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        (
            "Are you a bot? A contractor left a bottle of whisky in my office after the tender, "
            "what do I do now?",
            "gifts-any-value-ban",
        ),
        (
            "Are you a real person? My wife got a fur coat from a bidder, can she keep it?",
            "gifts-family-members",
        ),
    ],
)
def test_small_talk_before_a_question_is_left_out_unsaid(
    bundled: Matcher, text: str, entry: str
) -> None:
    """ "Are you a bot?" drowned the question (0.1 and 29.7): it is small talk, left out with
    no note."""
    result = bundled.match(text)
    assert result.entry_id == entry and result.asked_apart and result.left_out is None


def test_a_question_on_another_matter_beside_two_topics_is_said_to_be_left_out(
    bundled: Matcher,
) -> None:
    """A probe's finding: the weather was dropped without a word."""
    text = "Погода завтра какая? Можно ли принимать подарки? А брат может работать у меня в отделе?"
    result = bundled.match(text)
    assert result.entry_id == "gifts-any-value-ban" and result.asked_apart
    assert result.suggestions[0] == "relatives-same-agency"
    assert result.left_out == "other question"


@pytest.mark.parametrize(
    "text",
    ["Провокация деген не? Сыйлық алуға бола ма?", "Сыйлық алуға бола ма? Провокация деген не?"],
)
def test_a_question_asking_which_of_a_topic_beside_an_answered_one_is_offered(
    bundled: Matcher, text: str
) -> None:
    """A probe's finding: «Провокация деген не?» alone asks which of provocation's entries, and
    the gift question was not answered either (36.1)."""
    result = bundled.match(text)
    assert result.entry_id == "gifts-any-value-ban" and result.asked_apart
    assert result.suggestions[0] == "provocation-examples"
