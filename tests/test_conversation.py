"""The conversation around the answers (issue 16), at the dialog level: the reply language of
buttons and short messages, goodbyes, /help per transport, topics by name, button headings,
one vote per answer and "What was missing?", /stats."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.console import TRANSPORT
from bot.dialog import Dialog, Reply, UserRef, build_dialog
from bot.dialog.feedback import COMMENT_LIMIT
from bot.dialog.reply import Button, split_language
from bot.dialog.subscriptions import find_topic
from bot.kb import LANGS, Lang
from bot.kb.markup import to_plain
from bot.store import ALL_TOPICS, Store

RU = UserRef(chat_id=400, user_id=400, client_lang="ru")
EN = UserRef(chat_id=401, user_id=401, client_lang="en")
KK = UserRef(chat_id=402, user_id=402, client_lang="kk")
ADMIN = UserRef(chat_id=403, user_id=403, client_lang="en", is_admin=True)
KK_QUESTION = "Менің інім біздің басқармада жұмыс істей ала ма?"
GIFTS = "gifts-any-value-ban"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings()


@pytest.fixture
def dialog(settings: Settings) -> Dialog:
    return build_dialog(settings, Store(":memory:"))


def buttons(reply: Reply) -> list[Button]:
    return [b for row in reply.buttons for b in row]


def button(reply: Reply, action: str) -> Button:
    """The button whose action, without its language mark, is ``action``."""
    return next(b for b in buttons(reply) if split_language(b.action)[0] == action)


def related(reply: Reply) -> Button:
    return next(b for b in buttons(reply) if b.action.startswith("e:"))


# --------------------------------------------------------------------------- reply language


def test_every_button_carries_the_language_of_its_message(dialog: Dialog) -> None:
    (answer,) = dialog.handle_message(RU, KK_QUESTION)
    assert "Дереккөздер" in answer.text
    assert all(split_language(b.action)[1] == "kk" for b in buttons(answer))
    (opened,) = dialog.handle_button(RU, related(answer).action)
    assert "Дереккөздер" in opened.text  # a Russian client, a Kazakh conversation
    unmarked = split_language(related(answer).action)[0]  # a button from before the marks
    assert "Дереккөздер" in dialog.handle_button(RU, unmarked)[0].text  # the language written in
    dialog.handle_message(RU, "/language ru")
    assert "Источники" in dialog.handle_button(RU, unmarked)[0].text  # ... or chosen


@pytest.mark.parametrize(("lang", "sources"), [("kk", "Дереккөздер"), ("en", "Sources")])
def test_suggestions_answer_in_the_language_of_the_question(
    dialog: Dialog, lang: str, sources: str
) -> None:
    question = {"kk": "арандату сыйлық", "en": "provocation gift"}[lang]
    first, *_ = dialog.handle_message(RU, question)
    suggestion = buttons(first)[0]  # a "did you mean" entry, or a clarifying question's option
    assert split_language(suggestion.action)[1] == lang
    (opened,) = dialog.handle_button(RU, suggestion.action)
    assert sources in opened.text


def test_the_message_language_comes_before_the_choice_and_the_choice_before_the_text(
    dialog: Dialog,
) -> None:
    (answer,) = dialog.handle_message(RU, KK_QUESTION)
    dialog.handle_message(RU, "/language en")
    (opened,) = dialog.handle_button(RU, related(answer).action)
    assert "Дереккөздер" in opened.text
    (typed,) = dialog.handle_message(RU, KK_QUESTION)
    assert "Sources" in typed.text


def test_an_unknown_language_name_is_said_so_with_the_choices(dialog: Dialog) -> None:
    """ "/language klingon" showed the picker as if nothing had been typed (a probe)."""
    (menu,) = dialog.handle_message(EN, "/language *klingon*")  # quoted literally
    assert to_plain(menu.text) == "I do not know the language “*klingon*”. Choose one:"
    assert [b.action for b in buttons(menu)][-1].startswith("l:auto")
    assert dialog.store.language(EN.chat_id) is None  # nothing changed


def test_topics_opens_the_topic_named_by_number_or_name_and_says_when_none_is(
    dialog: Dialog,
) -> None:
    """ "/topics 2" showed the list as if nothing had been typed (a probe)."""
    (listed,) = dialog.handle_message(RU, "/topics")
    second = buttons(listed)[1]
    (by_number,) = dialog.handle_message(RU, "/topics 2")
    (pressed,) = dialog.handle_button(RU, second.action)
    assert by_number.text == pressed.text and by_number.buttons == pressed.buttons
    (by_name,) = dialog.handle_message(RU, "/topics подарки")
    assert "Запрет на подарки" in by_name.text
    (unknown,) = dialog.handle_message(EN, "/topics 99")
    assert to_plain(unknown.text) == "I do not know the topic “99”. Choose one:"
    assert len(buttons(unknown)) == len(buttons(listed))
    (everything,) = dialog.handle_message(RU, "/topics все")
    assert everything.text == listed.text


@pytest.mark.parametrize("typed", ["²", "②", "𝟚", "٢"])
def test_topics_reads_a_number_typed_in_other_digits(dialog: Dialog, typed: str) -> None:
    """Round 39's probe: "/topics ²" raised inside the dialog ("Something went wrong")."""
    (by_digit,) = dialog.handle_message(RU, "/topics 2")
    (by_other,) = dialog.handle_message(RU, f"/topics {typed}")
    assert by_other.text == by_digit.text and by_other.buttons == by_digit.buttons


def test_topics_says_it_does_not_know_digits_it_cannot_read(dialog: Dialog) -> None:
    (listed,) = dialog.handle_message(EN, "/topics")
    (unknown,) = dialog.handle_message(EN, "/topics 𐩀")  # a digit int() refuses
    assert to_plain(unknown.text) == "I do not know the topic “𐩀”. Choose one:"
    assert unknown.buttons == listed.buttons


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("/topics мой ИИН 900101300123", "Я не знаю темы «мой ИИН [NUMBER]»"),
        ("/language 87011234567", "Я не знаю языка «[PHONE]»"),
        ("/subscrbe ИИН 900101300123", "Может быть, вы имели в виду /subscribe ИИН [NUMBER]?"),
    ],
)
def test_an_argument_repeated_back_has_its_personal_data_masked(
    dialog: Dialog, command: str, shown: str
) -> None:
    """Round 39's probe: an IIN or a phone number typed after a command was repeated back."""
    (reply,) = dialog.handle_message(RU, command)
    assert shown in to_plain(reply.text)
    assert "900101300123" not in reply.text and "87011234567" not in reply.text


@pytest.mark.parametrize("command", ["/topics", "/language", "/subscrbe"])
def test_every_argument_repeated_back_is_cut_alike(dialog: Dialog, command: str) -> None:
    """Round 39's probe: "/subscrbe" and 3,000 "&" got a 3,660-character reply."""
    (reply,) = dialog.handle_message(EN, f"{command} {'&' * 3000}")
    assert "&" * 39 + "…" in to_plain(reply.text) and "&" * 40 not in to_plain(reply.text)


def test_language_auto_answers_in_the_language_written_in_again(dialog: Dialog) -> None:
    (menu,) = dialog.handle_message(RU, "/language")
    assert [b.label for b in buttons(menu)] == [
        "Қазақша",
        "Русский",
        "English",
        "✅ Авто: на языке, на котором я пишу",
    ]
    (chosen,) = dialog.handle_button(RU, button(menu, "l:en").action)
    assert chosen.text == "From now on I will answer in English."
    (menu,) = dialog.handle_message(RU, "/language")
    assert "✅ English" in [b.label for b in buttons(menu)]
    (auto,) = dialog.handle_button(RU, button(menu, "l:auto").action)  # an English menu now
    assert auto.text == "From now on I will answer in the language you write in."
    assert dialog.store.language(RU.chat_id) is None
    (answer,) = dialog.handle_message(RU, KK_QUESTION)
    assert "Дереккөздер" in answer.text
    (typed,) = dialog.handle_message(RU, "/language auto")  # in the language written in
    assert typed.text == "Енді сіз қай тілде жазсаңыз, сол тілде жауап беремін."


@pytest.mark.parametrize("text", ["bye", "thanks, bye", "ok bye", "good bye", "Bye!"])
def test_an_english_goodbye_gets_an_english_goodbye(dialog: Dialog, text: str) -> None:
    assert [r.text for r in dialog.handle_message(KK, text)] == [
        "Goodbye! Come back with any question."
    ]


@pytest.mark.parametrize(
    ("text", "goodbye"),
    [
        ("сау болыңыз", "Сау болыңыз! Сұрағыңыз туындаса, қайта жазыңыз."),
        ("рахмет, сау бол", "Сау болыңыз! Сұрағыңыз туындаса, қайта жазыңыз."),
        ("спасибо, до свидания", "До свидания! Возвращайтесь с любым вопросом."),
        ("пока", "До свидания! Возвращайтесь с любым вопросом."),
    ],
)
def test_goodbyes_in_kazakh_and_russian(dialog: Dialog, text: str, goodbye: str) -> None:
    assert [r.text for r in dialog.handle_message(EN, text)] == [goodbye]


@pytest.mark.parametrize(("user", "lang"), [(EN, "en"), (KK, "kk"), (RU, "ru")])
@pytest.mark.parametrize("text", ["👍", "1", "-1", "2."])
def test_an_emoji_or_a_bare_small_number_is_answered_in_the_client_language(
    dialog: Dialog, user: UserRef, lang: str, text: str
) -> None:
    """Before, "2" got "I don't know" with the attack statistics among its suggestions."""
    (reply,) = dialog.handle_message(user, text)
    _ = dialog.catalogs.translator(lang)  # type: ignore[arg-type]
    assert reply.text == _("Please type your question in words.")


def test_an_article_number_alone_is_a_question(dialog: Dialog) -> None:
    replies = dialog.handle_message(RU, "380")
    assert replies[0].text != "Пожалуйста, напишите вопрос словами."


# --------------------------------------------------------------------------- discoverability


def test_help_lists_the_commands_of_the_transport(dialog: Dialog) -> None:
    (telegram,) = dialog.handle_message(EN, "/help")
    for command in ("/subscribe", "/subscriptions", "/unsubscribe", "/language", "/topics"):
        assert f"{command} — " in telegram.text
    assert "/quit" not in telegram.text and "/stats" not in telegram.text
    assert "type its number" not in telegram.text
    dialog.transport = TRANSPORT
    (terminal,) = dialog.handle_message(EN, "/help")
    assert "/quit — Leave the chat" in terminal.text
    assert "To press a button, type its number." in terminal.text
    (admin,) = dialog.handle_message(ADMIN, "/help")
    assert "/stats — Users, deliveries and the week's votes" in admin.text


def listed(text: str) -> set[str]:
    """The commands a /help text lists."""
    return set(re.findall(r"^/(\w+) — ", text, re.MULTILINE))


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("en", "Admin commands:"),
        ("ru", "Команды для администраторов:"),
        ("kk", "Әкімшілерге арналған командалар:"),
    ],
)
def test_help_shows_admin_commands_to_admins_only_in_a_section_of_their_own(
    dialog: Dialog, lang: Lang, heading: str
) -> None:
    """Before, an admin's /help (the terminal user is one) had /notices, /send, /stats, …
    among everyone's commands, with nothing to tell them apart."""
    everyone = {name for name, _ in dialog.menu(lang)}
    admins_only = {name for name, _ in dialog.menu(lang, admin=True)} - everyone
    assert {"notices", "send", "stats", "reload"} <= admins_only
    user = UserRef(chat_id=410, user_id=410, client_lang=lang)
    (helped,) = dialog.handle_message(user, "/help")
    assert heading not in helped.text and listed(helped.text) == everyone
    (helped,) = dialog.handle_message(replace(user, is_admin=True), "/help")
    common, section = helped.text.split(f"\n\n{heading}\n", 1)
    assert listed(common) == everyone and listed(section) == admins_only


def test_the_terminal_greeting_says_how_to_press_a_button(dialog: Dialog) -> None:
    (telegram,) = dialog.handle_message(KK, "/start")
    assert "нөмірін" not in telegram.text
    dialog.transport = TRANSPORT
    (terminal,) = dialog.handle_message(KK, "/start")
    paragraphs = terminal.text.split("\n\n")
    assert paragraphs[1] == "Батырманы басу үшін оның нөмірін жазыңыз."
    assert paragraphs[-1].endswith("Мысалы:")  # the heading stays just above the examples


@pytest.mark.parametrize(
    "name",
    [
        "подарки",
        "gifts",
        "сыйлықтар",
        "Сыйлықтар",
        "сыйлыктар",
        "GIFTS",
        "Ban on gifts",
        "запрет на подарки",
        "подарок",
        "сыйлық",
    ],
)
def test_a_topic_is_found_by_its_name_in_any_language(dialog: Dialog, name: str) -> None:
    turn = dialog.turn(EN)
    assert find_topic(turn, name) == "gifts"


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("all", ALL_TOPICS),
        ("Все", ALL_TOPICS),
        ("барлығы", ALL_TOPICS),
        ("law-2020", "law-2020"),
        ("закон 2020", "law-2020"),
        ("провокация", "provocation"),
        ("relatives", "relatives"),
        ("туыстар", "relatives"),
        ("комплаенс", "compliance"),
        ("weather", None),
        ("2021", None),
    ],
)
def test_topic_names_keys_and_all(dialog: Dialog, name: str, topic: str | None) -> None:
    assert find_topic(dialog.turn(EN), name) == topic


@pytest.mark.parametrize(
    ("user", "name", "confirmation"),
    [
        (RU, "/subscribe подарки", "Вы подписаны на тему «Запрет на подарки»."),
        (EN, "/subscribe gifts", "You are subscribed to “Ban on gifts”."),
        (KK, "/subscribe сыйлықтар", "Сіз «Сыйлықтарға тыйым» тақырыбына жазылдыңыз."),
    ],
)
def test_subscribe_takes_a_topic_name(
    dialog: Dialog, user: UserRef, name: str, confirmation: str
) -> None:
    (reply,) = dialog.handle_message(user, name)
    assert reply.text.startswith(confirmation)
    assert dialog.store.subscriptions(user.chat_id) == {"gifts"}
    (reply,) = dialog.handle_message(user, name.replace("/subscribe", "/unsubscribe"))
    assert dialog.store.subscriptions(user.chat_id) == set()


def test_an_unknown_topic_is_answered_with_the_topics_and_their_names(dialog: Dialog) -> None:
    (reply,) = dialog.handle_message(EN, "/subscribe weather")
    assert reply.text.startswith(
        "There is no topic “weather”. Name one of these, in any language, or “all”:\n"
    )
    for key, topic in dialog.library.kb.topics.items():
        assert f"- **{topic.names['en']}** ({key})" in reply.text
    assert dialog.store.subscriptions(EN.chat_id) == set()


def test_every_button_group_has_a_line_saying_what_it_chooses(dialog: Dialog) -> None:
    (panel,) = dialog.handle_message(EN, "/subscribe")
    assert panel.text.endswith(
        "Press a topic to subscribe or unsubscribe. "
        "The last buttons choose how notices come: at once, or in a daily or weekly digest. "
        "To choose its hour, type it: /subscribe 18:00 \\(Astana time\\)."
    )
    # not subscribed yet: no way of delivery is ticked
    assert [b.label for b in panel.buttons[-1]] == ["At once", "Daily digest", "Weekly digest"]
    (answer,) = dialog.handle_message(EN, "/start gifts-any-value-ban")
    assert answer.text.endswith(
        "Related questions are below. Did this answer help? Rate it with 👍 or 👎."
    )
    (topic,) = dialog.handle_button(EN, "t:gifts")
    assert topic.text.endswith("Choose a question:")
    abstention, *_ = dialog.handle_message(
        EN, "Is it a problem if a citizen thanks my cousin and me?"
    )
    assert abstention.text.endswith("Maybe you meant one of these:")
    (clarify,) = dialog.handle_message(EN, "provocation gift")
    assert clarify.text == "Which of these is closest to what you want to know?"
    (languages,) = dialog.handle_message(EN, "/language")
    assert languages.text == "Choose your language:"


def test_an_answer_has_one_sources_block(dialog: Dialog) -> None:
    labels = {"kk": "Дереккөздер:", "ru": "Источники:", "en": "Sources:"}
    for lang, user in zip(LANGS, (KK, RU, EN), strict=True):
        dialog.handle_message(user, f"/language {lang}")
        for entry_id in dialog.library.kb.entries:
            (reply,) = dialog.handle_message(user, f"/start {entry_id}")
            lines = to_plain(reply.text).splitlines()
            assert lines.count(labels[lang]) == 1, (entry_id, lang)


# --------------------------------------------------------------------------- feedback


def test_one_vote_per_answer_and_the_buttons_give_way_to_a_thank_you(dialog: Dialog) -> None:
    (answer,) = dialog.handle_message(EN, f"/start {GIFTS}")
    (edit,) = dialog.handle_button(EN, button(answer, f"f:+:{GIFTS}").action)
    assert edit.edit and edit.text == "" and edit.toast == "Thank you for the feedback!"
    # in place: the vote row (the pressed button's) becomes the thank-you, the others stay
    assert edit.in_place and [b.label for b in buttons(edit)] == ["✓ Thank you for the feedback!"]
    for again in (f"f:+:{GIFTS}", split_language(buttons(edit)[-1].action)[0]):
        (refused,) = dialog.handle_button(EN, again)
        assert refused.toast == "You have already rated this answer." and not refused.edit
    assert dialog.store.feedback_counts() == {GIFTS: (1, 0)}
    (later,) = dialog.handle_message(EN, f"/start {GIFTS}")  # the same answer, asked again
    assert not any(b.action.startswith("f:") for b in buttons(later))
    assert later.text.endswith("Related questions are below.")


def test_the_other_vote_replaces_the_first(dialog: Dialog) -> None:
    """A probe: 👍 and then 👎 on one answer got "You have already rated this answer." The
    other vote replaces the first: the maintainers' counts move from one to the other, the
    same vote twice counts once, and a 👍 after a 👎 no longer waits for "What was missing?"."""
    (answer,) = dialog.handle_message(EN, f"/start {GIFTS}")
    dialog.handle_button(EN, button(answer, f"f:+:{GIFTS}").action)
    edit, question = dialog.handle_button(EN, button(answer, f"f:-:{GIFTS}").action)
    assert edit.edit and edit.toast == "Thank you for the feedback!"
    assert [split_language(b.action)[0] for b in buttons(edit)] == [f"f:-:{GIFTS}"]
    assert question.text.startswith("What was missing?")
    assert dialog.store.feedback_counts() == {GIFTS: (0, 1)}
    (refused,) = dialog.handle_button(EN, f"f:-:{GIFTS}")
    assert refused.toast == "You have already rated this answer."
    assert dialog.store.feedback_counts() == {GIFTS: (0, 1)}
    dialog.handle_message(EN, "👍")  # typed, about the answer just given: no button pressed
    assert dialog.store.feedback_counts() == {GIFTS: (1, 0)}
    replies = dialog.handle_message(EN, "Can my wife accept a gift from a colleague?")
    assert not any(r.text.startswith("Thank you! I passed it on") for r in replies)
    assert dialog.store.feedback_comments(datetime.now(UTC) - timedelta(minutes=1)) == []


def test_a_thumbs_down_asks_what_was_missing_and_keeps_the_reply_redacted(
    dialog: Dialog,
) -> None:
    (answer,) = dialog.handle_message(RU, f"/start {GIFTS}")
    edit, question = dialog.handle_button(RU, button(answer, f"f:-:{GIFTS}").action)
    assert edit.edit and question.text.startswith("Чего не хватило в ответе?")
    comment = "Нет про цветы. Мой тел. +7 701 123 45 67, почта aidos@mail.kz, ИИН 900101300126"
    (thanks,) = dialog.handle_message(RU, comment)  # asks nothing: thanked only
    assert thanks.text == "Спасибо! Я передал это тем, кто готовит ответы."
    [kept] = dialog.store.feedback_comments(datetime.now(UTC) - timedelta(minutes=1))
    assert (kept.entry_id, kept.lang) == (GIFTS, "ru")
    assert kept.text == "Нет про цветы. Мой тел. [PHONE], почта [EMAIL], ИИН [IIN]"
    replies = dialog.handle_message(RU, "Можно ли принять цветы?")
    assert not any(r.text.startswith("Спасибо! Я передал") for r in replies)  # one reply kept


_LONG_COMMENTS = {
    "ru": "Нет ничего про цветы и про сумму, ",
    "en": "It says nothing about flowers, ",
    "kk": "Гүл мен сома туралы ештеңе жоқ, ",
}


@pytest.mark.parametrize("size", [4000, COMMENT_LIMIT])
@pytest.mark.parametrize(("user", "lang"), [(RU, "ru"), (EN, "en"), (KK, "kk")])
def test_a_comment_too_long_to_keep_whole_is_cut_and_the_thanks_says_so(
    dialog: Dialog, user: UserRef, lang: Lang, size: int
) -> None:
    """A probe: a 4,000-character comment was thanked for as if kept whole, and only its
    first 1,000 characters were kept. They still are, and the thanks says so; a comment of
    the limit itself is thanked for as before."""
    _ = dialog.catalogs.translator(lang)
    comment = (_LONG_COMMENTS[lang] * size)[: size - 1] + "."
    (answer,) = dialog.handle_message(user, f"/start {GIFTS}")
    dialog.handle_button(user, button(answer, f"f:-:{GIFTS}").action)
    (reply,) = dialog.handle_message(user, comment)
    thanks = _("Thank you! I passed it on to the people who maintain the answers.")
    cut = _("I kept its first {limit} characters.", limit=COMMENT_LIMIT)
    assert reply.text == (f"{thanks} {cut}" if size > COMMENT_LIMIT else thanks)
    [kept] = dialog.store.feedback_comments(datetime.now(UTC) - timedelta(minutes=1))
    assert kept.text == comment[:COMMENT_LIMIT]


def test_a_question_answered_after_the_thumbs_down_is_answered_not_kept(dialog: Dialog) -> None:
    """A question the base answers with another entry, of any topic, is a new question."""
    (answer,) = dialog.handle_message(EN, f"/start {GIFTS}")
    dialog.handle_button(EN, button(answer, f"f:-:{GIFTS}").action)
    (reply,) = dialog.handle_message(EN, "Can my wife accept a gift from a colleague?")
    assert "f:+:gifts-family-members" in [split_language(b.action)[0] for b in buttons(reply)]
    assert dialog.store.feedback_comments(datetime.now(UTC) - timedelta(minutes=1)) == []


def test_a_question_of_another_topic_after_the_thumbs_down_is_answered_not_filed(
    dialog: Dialog,
) -> None:
    """ "What is Article 412-1?" after rating the gift ban down asks something else: it was
    thanked for and kept as what the gift answer lacked (a probe). It is answered only, and
    the request is gone."""
    question = "Что такое статья 412-1?"
    found = dialog.library.matcher.match(question).entry_id
    assert found is not None
    assert dialog.library.kb.entries[found].topic != dialog.library.kb.entries[GIFTS].topic
    (answer,) = dialog.handle_message(RU, f"/start {GIFTS}")
    dialog.handle_button(RU, button(answer, f"f:-:{GIFTS}").action)
    replies = dialog.handle_message(RU, question)
    assert not any(r.text.startswith("Спасибо! Я передал") for r in replies)
    assert f"f:+:{found}" in [split_language(b.action)[0] for r in replies for b in buttons(r)]
    later = dialog.handle_message(RU, "В ответе нет ничего про цветы")
    assert not any(r.text.startswith("Спасибо! Я передал") for r in later)
    assert dialog.store.feedback_comments(datetime.now(UTC) - timedelta(minutes=1)) == []


def test_a_question_the_base_cannot_answer_after_thumbs_down_is_not_lost(
    dialog: Dialog,
) -> None:
    """Before, it was kept as a comment only: no "I don't know", no suggestions, and it did not
    reach the maintainers' unanswered questions (found by a probe)."""
    question = "Is it a problem if a citizen thanks my cousin and me?"
    assert dialog.library.matcher.match(question).entry_id is None
    (answer,) = dialog.handle_message(EN, f"/start {GIFTS}")
    dialog.handle_button(EN, button(answer, f"f:-:{GIFTS}").action)
    since = datetime.now(UTC) - timedelta(minutes=1)
    asked = len(dialog.store.questions_asked())
    thanks, unknown = dialog.handle_message(EN, question)
    assert thanks.text.startswith("Thank you! I passed it on")
    assert unknown.text.startswith("Sorry, I don't know the answer")
    assert len(dialog.store.feedback_comments(since)) == 1
    assert len(dialog.store.questions_asked()) == asked + 1  # in the maintainers' report too


def test_a_comment_that_matches_the_rated_answer_does_not_repeat_it(dialog: Dialog) -> None:
    """The answer just rated down is not sent again because the comment names its topic."""
    entry = dialog.library.kb.get(GIFTS)
    assert entry is not None
    comment = entry.questions("ru")[0]  # says what it is about in the words of the entry
    assert dialog.library.matcher.match(comment).entry_id == GIFTS
    (answer,) = dialog.handle_message(RU, f"/start {GIFTS}")
    dialog.handle_button(RU, button(answer, f"f:-:{GIFTS}").action)
    (thanks,) = dialog.handle_message(RU, comment)
    assert thanks.text == "Спасибо! Я передал это тем, кто готовит ответы."


@pytest.mark.parametrize("between", ["/topics", "button", "thanks"])
def test_what_was_missing_is_answered_only_by_the_next_message(
    dialog: Dialog, between: str
) -> None:
    (answer,) = dialog.handle_message(EN, f"/start {GIFTS}")
    dialog.handle_button(EN, button(answer, f"f:-:{GIFTS}").action)
    if between == "button":
        dialog.handle_button(EN, related(answer).action)
    else:
        dialog.handle_message(EN, between)
    replies = dialog.handle_message(EN, "The answer does not say anything about flowers")
    assert not any(r.text.startswith("Thank you! I passed it on") for r in replies)
    assert dialog.store.feedback_comments(datetime.now(UTC) - timedelta(minutes=1)) == []


def test_cancel_after_the_thumbs_down_says_the_comment_is_cancelled(dialog: Dialog) -> None:
    """/cancel dropped the "What was missing?" prompt but said "There is nothing to cancel"
    (a probe)."""
    (answer,) = dialog.handle_message(EN, f"/start {GIFTS}")
    dialog.handle_button(EN, button(answer, f"f:-:{GIFTS}").action)
    (cancelled,) = dialog.handle_message(EN, "/cancel")
    assert cancelled.text == "Cancelled. Ask me anything."
    replies = dialog.handle_message(EN, "The answer does not say anything about flowers")
    assert not any(r.text.startswith("Thank you! I passed it on") for r in replies)
    (nothing,) = dialog.handle_message(EN, "/cancel")
    assert nothing.text == "There is nothing to cancel."


def test_a_late_reply_is_no_comment() -> None:
    store = Store(":memory:")
    store.ask_comment(1, GIFTS, "en")
    assert store.add_comment(1, "too late", max_age=timedelta(seconds=-1)) is None
    assert store.add_comment(1, "and the request is gone", max_age=timedelta(hours=1)) is None
    store.ask_comment(1, GIFTS, "en")
    assert store.add_comment(1, "in time", max_age=timedelta(hours=1)) == GIFTS
    columns = {c.name for c in store.db.table("feedback_comments").columns}
    assert "chat_id" not in columns  # kept without the chat it came from


def test_stats_shows_the_week_votes_and_comments_to_admins(dialog: Dialog) -> None:
    dialog.handle_button(EN, f"f:+:{GIFTS}")
    dialog.handle_button(RU, f"f:-:{GIFTS}")
    dialog.handle_message(RU, "Нет про @aidos_k и цветы")
    dialog.handle_button(KK, "f:+:relatives-same-agency")
    (stats,) = dialog.handle_message(ADMIN, "/stats")
    assert "**Votes in the last 7 days** (👍 / 👎):" in stats.text
    lines = to_plain(stats.text).splitlines()
    assert lines.index(f"• {GIFTS}: 1 / 1") < lines.index("• relatives-same-agency: 1 / 0")
    assert f"• {GIFTS} (ru): Нет про [USERNAME] и цветы" in lines
    (refused,) = dialog.handle_message(EN, "/stats")
    assert refused.text.startswith("I don't know this command.")


def test_stats_without_votes(dialog: Dialog) -> None:
    (stats,) = dialog.handle_message(ADMIN, "/stats")
    assert stats.text.endswith("**Votes in the last 7 days:** none.")
    assert "Deliveries: none yet." in stats.text  # before, "Deliveries:" and nothing


@pytest.mark.logs_errors  # the store logs once that the database refuses writes
def test_a_vote_the_database_cannot_take_now_is_thanked_and_written_later(
    dialog: Dialog,
) -> None:
    store = dialog.store
    store.db.execute("PRAGMA query_only = 1")
    (edit, question) = dialog.handle_button(EN, f"f:-:{GIFTS}")
    assert edit.toast == "Thank you for the feedback!" and question.text.startswith("What was")
    store.db.execute("PRAGMA query_only = 0")
    assert store.catch_up()
    assert store.feedback_counts() == {GIFTS: (0, 1)}
    (thanks,) = dialog.handle_message(EN, "Nothing about flowers")
    assert thanks.text.startswith("Thank you! I passed it on")


def _answered(replies: list[Reply]) -> str | None:
    """The entry the replies answer with (its 👍 button), or None."""
    actions = [split_language(b.action)[0] for r in replies for b in buttons(r)]
    return next((a.removeprefix("f:+:") for a in actions if a.startswith("f:+:")), None)


HINTED = {
    RU: "Полицейский намекнул, что за деньги дело закроют. Что мне делать?",
    EN: "A police officer hinted that money would close my case. What do I do?",
    KK: "Полиция қызметкері ақша берсең іс жабылады деп меңзеді. Не істеймін?",
}
PAID = {RU: "а если я уже заплатил?", EN: "and if I already paid?", KK: "ал мен төлеп қойсам ше?"}
WHERE = {RU: "а куда звонить?", EN: "phone number?", KK: "қайда хабарласамын?"}


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_paid_and_where_to_turn_after_a_provocation_hint_jump_to_their_entries(
    dialog: Dialog, user: UserRef
) -> None:
    """probeU 15, 22: after the hint (answered, or a clarification offering provocation
    entries) "and if I already paid?" was "not understood" or off topic, and "а куда
    звонить?" was pulled away from the hotline (``follow-up-jumps``)."""
    dialog.handle_message(user, HINTED[user])
    assert _answered(dialog.handle_message(user, PAID[user])) == "provocation-victim-help"
    assert _answered(dialog.handle_message(user, WHERE[user])) == "report-corruption"


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_where_to_turn_after_a_provocation_answer_is_the_hotline(
    dialog: Dialog, user: UserRef
) -> None:
    dialog.handle_message(user, "/start provocation-examples")
    assert _answered(dialog.handle_message(user, WHERE[user])) == "report-corruption"


def test_where_to_turn_is_no_jump_after_a_topic_that_never_leads_to_the_hotline(
    dialog: Dialog,
) -> None:
    """The relatives rule lists no hotline: "а куда звонить?" is read as any follow-up."""
    dialog.handle_message(RU, "/start attack-on-officer-age")
    assert _answered(dialog.handle_message(RU, "а куда звонить?")) != "report-corruption"


ANONYMOUS = {RU: "а анонимно можно?", EN: "can I do it anonymously?", KK: "анонимді түрде бола ма?"}
NOT_SURE = {
    RU: "Не понял, что именно вы спрашиваете о моём последнем ответе",
    EN: "I am not sure what you are asking about my last answer",
    KK: "Соңғы жауабым",
}


@pytest.mark.parametrize(
    ("user", "asked"),
    [*ANONYMOUS.items(), (KK, "жасырын хабарласуға бола ма?")],
    ids=["ru", "en", "kk", "kk-hidden"],
)
def test_anonymity_asked_of_the_hotline_answer_is_read_as_about_it(
    dialog: Dialog, user: UserRef, asked: str
) -> None:
    """probeU 17: the hotline answer names no anonymity, nor does any entry: "not understood"
    about it, never another topic (in Kazakh it was off topic). Round 41's probe: «жасырын
    хабарласуға бола ма?» got the answer's last paragraph quoted for its «хабарлама»: a detail
    asked is quoted only from a paragraph stating it."""
    dialog.handle_message(user, "/start report-corruption")
    (reply,) = dialog.handle_message(user, asked)
    assert reply.text.startswith(NOT_SURE[user])
    assert _answered([reply]) is None


ORDINARY_PERSON = {
    RU: "а если это сделал не полицейский а обычный человек?",
    EN: "what if it was an ordinary person, not a cop?",
    KK: "ал полицей емес, қарапайым адам болса ше?",
}
WHO_IS_COVERED = {RU: "Кого касается.", EN: "Who is covered.", KK: "Кімге қолданылады."}


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_an_ordinary_person_asked_after_art_412_1_quotes_whom_it_covers(
    dialog: Dialog, user: UserRef
) -> None:
    """Round 41's probe: after Art. 412-1, «а если это сделал не полицейский а обычный
    человек?» and "what if it was an ordinary person, not a cop?" got "I don't know", «ал
    полицей емес, қарапайым адам болса ше?» was not understood about it: whom it covers is a
    detail asked, quoted from its paragraph on it alone."""
    dialog.handle_message(user, "/start provocation-art-412-1")
    (quoted,) = dialog.handle_message(user, ORDINARY_PERSON[user])
    text = to_plain(quoted.text)
    assert WHO_IS_COVERED[user] in text and "412-1" in text.split("\n", 1)[0]
    assert len(text.split("\n\n")) == 2  # the heading, that paragraph
    assert split_language(buttons(quoted)[0].action)[0] == "e:provocation-art-412-1"


TIME_LEFT = {RU: "сколько времени есть?", EN: "how long do we have?", KK: "қанша уақыт бар?"}
THREE_MONTHS = {RU: "3 месяца", EN: "3 months", KK: "3 ай"}
HAND_OVER_WHEN = {
    RU: "Сколько времени есть у госслужащего, чтобы сдать полученный подарок?",
    EN: "How long do I have to hand over a gift?",
    KK: "Сыйлықты тапсыруға қанша уақыт бар?",
}


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_how_long_one_has_is_asked_of_the_answer_just_given(dialog: Dialog, user: UserRef) -> None:
    """Round 39's probe: "how long do we have?" after the relatives rule got the off-topic
    refusal; so did «сколько времени есть?» (read as "what time is it?") and «қанша уақыт
    бар?». They ask the time limit the answer states; of one that states none they are said
    to be unclear, with its topic's questions. A whole question is still read alone."""
    dialog.handle_message(user, "/start relatives-same-agency")
    (quoted,) = dialog.handle_message(user, TIME_LEFT[user])
    assert THREE_MONTHS[user] in to_plain(quoted.text)
    assert [split_language(b.action)[0] for b in buttons(quoted)] == ["e:relatives-same-agency"]
    dialog.handle_message(user, "/start report-corruption")  # it states no time limit
    (unclear,) = dialog.handle_message(user, TIME_LEFT[user])
    assert unclear.text.startswith(NOT_SURE[user]) and buttons(unclear)
    dialog.handle_message(user, "/start relatives-same-agency")
    assert _answered(dialog.handle_message(user, HAND_OVER_WHEN[user])) == GIFTS


HOW_MANY_MONTHS = {RU: "сколько месяцев?", EN: "how many months?", KK: "қанша ай?"}


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_months_asked_of_the_relatives_rule_quote_its_time_limit(
    dialog: Dialog, user: UserRef
) -> None:
    """Round 41's probe: "how many months?" and «қанша ай?» after the relatives rule got the
    off-topic refusal, «сколько месяцев?» a choice of provocation entries: days and years were
    words of a time limit asked, months and weeks were not."""
    dialog.handle_message(user, "/start relatives-same-agency")
    (quoted,) = dialog.handle_message(user, HOW_MANY_MONTHS[user])
    assert THREE_MONTHS[user] in to_plain(quoted.text)


MUCH_TIME_LEFT = {
    RU: "сколько у нас времени?",
    EN: "how much time do we have?",
    KK: "қанша уақытымыз бар?",
}
VAGUE = {RU: "нет конкретики по сумме", EN: "no specifics on the amount", KK: "нақтырақ айтыңызшы"}


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_the_answer_is_followed_up_after_a_cancelled_thumbs_down(
    dialog: Dialog, user: UserRef
) -> None:
    """Round 40's probe: after /cancel from the 👎 prompt, «нет конкретики по сумме» and "how
    much time do we have?" got the off-topic refusal. The answer still counts there (as
    without the 👎); they got it just after the answer too: "much" was no word of a time limit
    asked, and «конкретики» tied nothing to the answer. They ask about it: its time limit
    quoted, or said to be unclear, with its topic's questions."""
    (answer,) = dialog.handle_message(user, "/start relatives-same-agency")
    dialog.handle_button(user, button(answer, "f:-:relatives-same-agency").action)
    dialog.handle_message(user, "/cancel")
    assert dialog.store.comment_request(user.chat_id) is None
    (quoted,) = dialog.handle_message(user, MUCH_TIME_LEFT[user])
    assert THREE_MONTHS[user] in to_plain(quoted.text)
    (unclear,) = dialog.handle_message(user, VAGUE[user])
    assert unclear.text.startswith(NOT_SURE[user]) and buttons(unclear)


AMOUNT = {RU: "сколько тысяч?", EN: "how many thousand?", KK: "қанша мың?"}
HOW_MANY = {RU: "сколько?", EN: "how many?", KK: "ал қанша?"}
SEVEN_DAYS = {RU: "7 дней", EN: "7 days", KK: "7 күн"}


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_an_amount_asked_after_the_gift_ban_is_no_time_limit(dialog: Dialog, user: UserRef) -> None:
    """Round 41's probe: «қанша мың?» after the gift ban got its paragraph on the 7 days to
    hand a gift over («қанша» was a word of a time limit asked, «мың» an intensifier, as in
    «мың рахмет»), and so did «сколько?» and "how many?" alone. An amount asked is the old 10
    MCI threshold, as "сколько тысяч?" got; "how many" alone is not understood about the
    answer, that threshold offered first. How long one has is still the 7 days."""
    dialog.handle_message(user, f"/start {GIFTS}")
    assert _answered(dialog.handle_message(user, AMOUNT[user])) == "gifts-old-threshold"
    dialog.handle_message(user, f"/start {GIFTS}")
    (unclear,) = dialog.handle_message(user, HOW_MANY[user])
    assert unclear.text.startswith(NOT_SURE[user])
    assert split_language(buttons(unclear)[0].action)[0] == "e:gifts-old-threshold"
    dialog.handle_message(user, f"/start {GIFTS}")
    (quoted,) = dialog.handle_message(user, TIME_LEFT[user])
    assert SEVEN_DAYS[user] in to_plain(quoted.text)


@pytest.mark.parametrize(
    ("user", "asked"),
    [
        (RU, "кто?"),
        (EN, "who?"),
        (KK, "кім?"),
        (RU, "как?"),
        (EN, "how?"),
        (KK, "қалай?"),
        (RU, "какой?"),
        (EN, "which one?"),
        (KK, "қайсысы?"),
    ],
    ids=[f"{lang}-{word}" for word in ("who", "how", "which") for lang in ("ru", "en", "kk")],
)
def test_question_words_alone_ask_about_the_answer(
    dialog: Dialog, user: UserRef, asked: str
) -> None:
    """Round 41's probe: "кто?", "who?" or «кім?» just after an answer got the off-topic
    refusal: they name nothing else to ask about, so they are not understood about it. So
    too «как?» ("I don't know": «как» was no question word, as "how" and «қалай» were),
    "which one?" ("one" pointed back at nothing) and «қайсысы?» (off topic after the relatives
    rule: no question word), as «какой?» was."""
    dialog.handle_message(user, "/start relatives-same-agency")
    (unclear,) = dialog.handle_message(user, asked)
    assert unclear.text.startswith(NOT_SURE[user]) and buttons(unclear)


@pytest.mark.parametrize(
    ("user", "asked"),
    [
        (RU, "до какого срока?"),
        (RU, "до какого числа?"),
        (KK, "қай уақытқа дейін?"),
        (KK, "қашанға дейін?"),
        (EN, "how much time?"),
        (EN, "until when?"),
    ],
    ids=["ru-term", "ru-date", "kk-time", "kk-when", "en-much", "en-until"],
)
def test_a_date_asked_up_to_which_is_the_time_limit_of_the_answer(
    dialog: Dialog, user: UserRef, asked: str
) -> None:
    """Round 41's probe: after the gift ban, «до какого срока?», «до какого числа?», «қай
    уақытқа дейін?» got the off-topic refusal, «қашанға дейін?» the old gift threshold, "how
    much time?" the whole answer again. A date up to which is a time limit: its 7 days are
    quoted, as for «сколько у меня времени?». A date since which is none ("since what
    time?")."""
    dialog.handle_message(user, f"/start {GIFTS}")
    (quoted,) = dialog.handle_message(user, asked)
    assert SEVEN_DAYS[user] in to_plain(quoted.text)
    assert [split_language(b.action)[0] for b in buttons(quoted)] == [f"e:{GIFTS}"]
    dialog.handle_message(user, f"/start {GIFTS}")
    since = {RU: "с какого времени?", EN: "since what time?", KK: "қашаннан бері?"}[user]
    assert SEVEN_DAYS[user] not in to_plain(dialog.handle_message(user, since)[0].text)


NOW = {RU: "а сейчас?", EN: "and now?", KK: "ал қазір ше?"}
NOW_PARAGRAPH = {RU: "Сейчас: Закон № 365-VI", EN: "Now: Law No. 365-VI", KK: "Қазір: № 365-VI Заң"}


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_the_present_asked_after_the_old_threshold_quotes_its_now(
    dialog: Dialog, user: UserRef
) -> None:
    """Round 41's probe: "and now?" after the old 10 MCI threshold was not understood about it,
    while «а сейчас?» and «ал қазір ше?» got its paragraph on the present: "now" alone ranks
    other topics' entries. The present is a detail asked, quoted from the paragraph that opens
    with it; the hotline answer's "Nur-Sultan (now Astana)" is none."""
    dialog.handle_message(user, "/start gifts-old-threshold")
    (quoted,) = dialog.handle_message(user, NOW[user])
    assert NOW_PARAGRAPH[user] in to_plain(quoted.text)
    assert [split_language(b.action)[0] for b in buttons(quoted)] == ["e:gifts-old-threshold"]
    dialog.handle_message(user, "/start report-corruption")
    (unclear,) = dialog.handle_message(user, NOW[user])
    assert unclear.text.startswith(NOT_SURE[user])


@pytest.mark.parametrize(
    ("user", "asked", "quoted"),
    [
        (RU, "а сколько лет?", "до 10 лет"),
        (EN, "and how many years?", "10 years"),
        (KK, "ал қанша жыл?", "10 жылға дейін"),
    ],
    ids=["ru", "en", "kk"],
)
def test_years_asked_after_art_412_1_quote_its_penalty(
    dialog: Dialog, user: UserRef, asked: str, quoted: str
) -> None:
    """probeU 17: "а сколько лет?" was a clarification, «ал қанша жыл?» the statistics."""
    dialog.handle_message(user, "/start provocation-art-412-1")
    (reply,) = dialog.handle_message(user, asked)
    assert quoted in reply.text
    assert "f:+:" not in " ".join(b.action for b in buttons(reply))


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_a_clarification_is_the_context_of_the_message_typed_after_it(
    dialog: Dialog, user: UserRef
) -> None:
    """probeU 15: what a clarifying question offered is what the next message is read with
    (it was off topic in English)."""
    clarified = {**HINTED, RU: "провокация"}  # the Russian hint is answered at once
    (asked, *_rest) = dialog.handle_message(user, clarified[user])
    assert any(b.action.startswith("q:") for b in buttons(asked))
    assert _answered(dialog.handle_message(user, PAID[user])) == "provocation-victim-help"


def test_a_pressed_choice_replaces_the_clarification_as_context(dialog: Dialog) -> None:
    (asked, *_rest) = dialog.handle_message(EN, HINTED[EN])
    choice = next(b for b in buttons(asked) if b.action.startswith("q:"))
    dialog.handle_button(EN, choice.action)
    assert dialog.store.take_recent_choice(EN.chat_id, max_age=timedelta(hours=1)) is None


FOLLOW_UP_AFTER_DOWN = {RU: "а жене можно?", EN: "and my wife?", KK: "ал әйелім алса ше?"}


@pytest.mark.parametrize("user", [RU, EN, KK], ids=["ru", "en", "kk"])
def test_a_follow_up_after_the_thumbs_down_is_answered_not_filed(
    dialog: Dialog, user: UserRef
) -> None:
    """probeU 20: "а жене можно?" after 👎 was thanked for as a comment and answered."""
    (answer,) = dialog.handle_message(user, f"/start {GIFTS}")
    dialog.handle_button(user, button(answer, f"f:-:{GIFTS}").action)
    replies = dialog.handle_message(user, FOLLOW_UP_AFTER_DOWN[user])
    assert _answered(replies) == "gifts-family-members"
    assert len(replies) == 1  # no thanks for a comment
    assert dialog.store.feedback_comments(datetime.now(UTC) - timedelta(minutes=1)) == []


@pytest.mark.parametrize(
    ("user", "asked"),
    [(RU, "а сколько лет?"), (EN, "and how many years?"), (KK, "ал қанша жыл?")],
    ids=["ru", "en", "kk"],
)
def test_a_follow_up_question_quoted_after_the_thumbs_down_is_not_filed(
    dialog: Dialog, user: UserRef, asked: str
) -> None:
    (answer,) = dialog.handle_message(user, "/start provocation-art-412-1")
    dialog.handle_button(user, button(answer, "f:-:provocation-art-412-1").action)
    (quoted,) = dialog.handle_message(user, asked)
    assert "10" in quoted.text
    assert dialog.store.feedback_comments(datetime.now(UTC) - timedelta(minutes=1)) == []
