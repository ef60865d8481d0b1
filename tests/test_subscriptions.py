"""Subscriptions and the admins' notice commands, at the dialog level (no transport)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.dialog import Dialog, Reply, UserRef, build_dialog
from bot.dialog.notice_replies import render_deliveries
from bot.dialog.privacy import CONFIRM_TIMEOUT
from bot.dialog.reply import split_language
from bot.kb.markup import escape
from bot.store import ALL_TOPICS, Delivery, Store

USER = UserRef(chat_id=200, user_id=200, client_lang="en")
RU_USER = UserRef(chat_id=201, user_id=201, client_lang="ru")
KK_USER = UserRef(chat_id=202, user_id=202, client_lang="kk")
ADMIN = UserRef(chat_id=300, user_id=300, client_lang="en", is_admin=True)
ADMIN_COMMANDS = ("notices", "preview", "send", "stats")


def notice_yaml(notice_id: str, publish_at: str, title: str) -> str:
    return f"""\
id: {notice_id}
publish_at: {publish_at}
topics: [gifts]
related: [gift-ban]
kk: {{title: "{title} kk", body: "Мәтін."}}
ru: {{title: "{title} ru", body: "Текст **важный**."}}
en: {{title: "{title} en", body: "Text with *stars*."}}
"""


@pytest.fixture
def dialog(small_kb: Path) -> Dialog:
    """The dialog over the small base with a published and a future notice."""
    (small_kb / "notices").mkdir()
    (small_kb / "notices" / "a.yaml").write_text(
        notice_yaml("gift-rules", "2020-10-18", "New gift rules"), encoding="utf-8"
    )
    (small_kb / "notices" / "b.yaml").write_text(
        notice_yaml("future-one", "2099-01-01T10:00:00+05:00", "Future"), encoding="utf-8"
    )
    return build_dialog(Settings(knowledge_dir=small_kb), Store(":memory:"))


def actions(reply: Reply) -> list[str]:
    """The reply's button actions, without the language mark of their message."""
    return [split_language(b.action)[0] for row in reply.buttons for b in row]


def labels(reply: Reply) -> list[str]:
    return [b.label for row in reply.buttons for b in row]


def test_subscribe_shows_topic_buttons_and_modes(dialog: Dialog) -> None:
    (reply,) = dialog.handle_message(USER, "/subscribe")
    assert "not subscribed" in reply.text
    assert actions(reply) == ["s:*", "s:gifts", "s:about", "d:instant", "d:daily", "d:weekly"]
    assert not any("✅" in label for label in labels(reply))  # was "✅ At once", subscribed to none
    (chosen,) = dialog.handle_button(USER, "d:weekly")  # chosen first: a probe saw no tick
    assert "✅ Weekly digest" in labels(chosen) and "At once" in labels(chosen)
    (reply,) = dialog.handle_button(USER, "d:instant")
    assert not any("✅" in label for label in labels(reply))
    (reply,) = dialog.handle_button(USER, "s:gifts")
    assert reply.toast == "You are subscribed to “Gifts”."
    assert dialog.store.subscriptions(USER.chat_id) == {"gifts"}
    assert actions(reply)[:3] == ["s:*", "u:gifts", "s:about"]
    assert "✅ Gifts" in labels(reply) and "✅ At once" in labels(reply)


def test_a_number_typed_after_the_panel_presses_its_button(dialog: Dialog) -> None:
    """A users' probe: in Telegram, "2" after /subscribe was read as a question. It is the
    panel's second button (Gifts), the press's pop-up leads the panel shown again as a new
    message, and the next number chooses from that panel."""
    dialog.handle_message(USER, "/subscribe")  # All topics, Gifts, About, at once, daily, weekly
    (panel,) = dialog.handle_message(USER, "2")
    assert dialog.store.subscriptions(USER.chat_id) == {"gifts"}
    assert panel.text.startswith("You are subscribed to “Gifts”.\n\nYou get notices on: Gifts.")
    assert not panel.toast and not panel.replaces
    assert actions(panel)[:3] == ["s:*", "u:gifts", "s:about"]
    dialog.handle_message(USER, "option 6")
    assert dialog.store.delivery_mode(USER.chat_id) == "weekly"
    (told,) = dialog.handle_message(USER, "9")
    assert told.text == "There is no button 9: type a number from 1 to 6, or your question."
    dialog.handle_message(USER, "what is a gift?")  # a question: the panel is no longer chosen
    dialog.handle_message(USER, "2")
    assert dialog.store.subscriptions(USER.chat_id) == {"gifts"}


@pytest.mark.parametrize(
    ("user", "args", "mode"),
    [
        (USER, "weekly", "weekly"),
        (RU_USER, "раз в неделю", "weekly"),
        (RU_USER, "сразу", "instant"),
    ],
)
def test_subscribe_with_a_delivery_word_chooses_how_notices_come(
    dialog: Dialog, user: UserRef, args: str, mode: str
) -> None:
    """Round 31's probe: "/subscribe weekly" got "There is no topic «weekly»"."""
    dialog.handle_button(user, "d:weekly" if mode == "instant" else "d:instant")
    (reply,) = dialog.handle_message(user, f"/subscribe {args}")
    assert dialog.store.delivery_mode(user.chat_id) == mode
    kept = "Your choice is kept: once you subscribe, " + (  # to one subscribed to no topic yet
        "notices will come as a weekly digest, on Mondays at {hour} (Astana time)."
        if mode == "weekly"
        else "each notice will come as soon as it is published."
    )
    _ = dialog.catalogs.translator(user.client_lang)
    told = f"{_('You are not subscribed to any topic yet.')} {_(kept, hour='09:00')}"
    assert reply.text.startswith(escape(told))


def test_subscribe_all_or_a_topic_at_once(dialog: Dialog) -> None:
    (reply,) = dialog.handle_message(USER, "/subscribe all")
    assert reply.text.startswith("You are subscribed to notices on all topics.")
    assert dialog.store.subscriptions(USER.chat_id) == {ALL_TOPICS}
    (reply,) = dialog.handle_message(RU_USER, "/subscribe GIFTS")
    assert reply.text.startswith("Вы подписаны на тему «Подарки».")
    (reply,) = dialog.handle_message(RU_USER, "/subscribe weather")
    assert reply.text.startswith("Темы «weather» нет. Назовите одну из этих, на любом языке")
    assert dialog.store.subscriptions(RU_USER.chat_id) == {"gifts"}


@pytest.mark.parametrize(
    ("text", "subscribed"),
    [
        ("/subscribe everything", {ALL_TOPICS}),
        ("/subscribe все темы", {ALL_TOPICS}),
        ("/subscribe барлық тақырыптар", {ALL_TOPICS}),
        ("/subscribe gifts, about", {ALL_TOPICS}),  # both topics of the small base: all
        ("/subscribe подарки и о боте", {ALL_TOPICS}),
        ("/subscribe syilyqtar", {"gifts"}),  # Kazakh in Latin letters
        (".ыгиыскшиу фдд", {ALL_TOPICS}),  # /subscribe all on the Russian keyboard layout
        ("/ыгиыскшиу фдд", {ALL_TOPICS}),  # the same with a "/" typed before switching
    ],
)
def test_subscribe_reads_topics_as_busy_people_type_them(
    dialog: Dialog, text: str, subscribed: set[str]
) -> None:
    """A probe was refused "/subscribe everything", "все темы", "relatives, gifts" and
    "syilyq", and ".ыгиыскшиу фдд" was taken for a question; round 39's "/ыгиыскшиу" too."""
    dialog.handle_message(RU_USER, text)
    assert dialog.store.subscriptions(RU_USER.chat_id) == subscribed


def test_one_unknown_topic_among_several_changes_nothing(dialog: Dialog) -> None:
    (reply,) = dialog.handle_message(RU_USER, "/subscribe gifts, weather")
    assert reply.text.startswith("Темы «weather» нет.") and "или «все»" in reply.text
    assert dialog.store.subscriptions(RU_USER.chat_id) == set()


def test_unsubscribe_one_topic_from_all_keeps_the_others(dialog: Dialog) -> None:
    dialog.handle_message(USER, "/subscribe all")
    (reply,) = dialog.handle_button(USER, "u:gifts")
    assert dialog.store.subscriptions(USER.chat_id) == {"about"}
    assert reply.toast == "You are unsubscribed from “Gifts”."
    (reply,) = dialog.handle_message(USER, "/unsubscribe")
    assert dialog.store.subscriptions(USER.chat_id) == set()
    assert reply.text.startswith("You will get no more notices.")
    (reply,) = dialog.handle_message(USER, "/subscriptions")
    assert "not subscribed" in reply.text


def test_a_topic_pressed_off_and_on_again_gives_all_topics_back(dialog: Dialog) -> None:
    """A probe pressed "All topics", then a topic off and on again: it was left with an
    explicit list (topics added later left out) and "All topics" unticked."""
    dialog.handle_message(USER, "/subscribe all")
    dialog.handle_button(USER, "u:gifts")
    assert dialog.store.subscriptions(USER.chat_id) == {"about"}
    (reply,) = dialog.handle_button(USER, "s:gifts")
    assert dialog.store.subscriptions(USER.chat_id) == {ALL_TOPICS}
    assert labels(reply)[0] == "✅ All topics" and "new ones included" in reply.text


def test_unsubscribing_what_was_never_subscribed_says_so(dialog: Dialog) -> None:
    """/unsubscribe with no subscription said "You will get no more notices." above "You are
    not subscribed" (a probe)."""
    (reply,) = dialog.handle_message(USER, "/unsubscribe")
    assert reply.text.startswith("You had no subscriptions.")
    assert "no more notices" not in reply.text
    dialog.handle_message(USER, "/subscribe gifts")
    (reply,) = dialog.handle_message(USER, "/unsubscribe about")
    assert reply.text.startswith("You were not subscribed to “")
    assert dialog.store.subscriptions(USER.chat_id) == {"gifts"}


def test_weekly_digest_choice(dialog: Dialog) -> None:
    dialog.handle_message(USER, "/subscribe gifts")
    (reply,) = dialog.handle_button(USER, "d:weekly")
    assert dialog.store.delivery_mode(USER.chat_id) == "weekly"
    assert "weekly digest" in reply.text and "✅ Weekly digest" in labels(reply)
    (reply,) = dialog.handle_button(USER, "d:monthly")
    assert reply.toast == "This button is out of date."


@pytest.mark.parametrize("command", ["/start", "/subscribe all"])
def test_start_or_subscribing_reactivates_a_user_who_had_blocked_the_bot(
    dialog: Dialog, command: str
) -> None:
    dialog.set_active(USER, False)
    dialog.handle_message(USER, command)
    assert dialog.store.is_active(USER.chat_id)


def test_admin_commands_are_hidden_from_others(dialog: Dialog) -> None:
    for name in ADMIN_COMMANDS:  # as for any unknown name: no admin command is named
        (unknown,) = dialog.handle_message(USER, f"/{name} gift-rules")
        assert unknown.text.startswith("I don't know this command.")
        assert not any(f"/{admin}" in unknown.text for admin in ADMIN_COMMANDS)
    assert dialog.handle_button(USER, "x:gift-rules")[0].toast == "This button is out of date."
    assert not {n for n, _ in dialog.menu("en")} & set(ADMIN_COMMANDS)
    assert set(ADMIN_COMMANDS) <= {n for n, _ in dialog.menu("en", admin=True)}
    assert dialog.store.enqueued_notices() == {}


def test_admin_previews_and_sends_after_confirming(dialog: Dialog) -> None:
    dialog.handle_message(USER, "/subscribe gifts")
    (preview,) = dialog.handle_message(ADMIN, "/preview gift-rules")
    assert preview.text.startswith("**New gift rules en**") and actions(preview) == ["e:gift-ban"]
    (usage,) = dialog.handle_message(ADMIN, "/preview")
    assert usage.text == "Name a notice: one of gift-rules, future-one."
    (unknown,) = dialog.handle_message(ADMIN, "/preview zzz")  # a probe got the usage line
    assert unknown.text == "There is no notice “zzz”: name one of gift-rules, future-one."
    (unsent,) = dialog.handle_message(ADMIN, "/send zzz")
    assert unsent.text == unknown.text and dialog.store.enqueued_notices() == {}
    (listing,) = dialog.handle_message(ADMIN, "/notices")
    assert "Upcoming" in listing.text and "Due" in listing.text
    (confirm,) = dialog.handle_message(ADMIN, "/send gift-rules")
    assert actions(confirm) == ["x:gift-rules", "xc:gift-rules"]
    assert dialog.store.enqueued_notices() == {}  # nothing before the button is pressed
    (done,) = dialog.handle_button(ADMIN, "x:gift-rules")
    assert done.toast == "The notice gift-rules is on its way. Recipients: 1."
    (again,) = dialog.handle_message(ADMIN, "/send gift-rules")
    assert again.text == "The notice gift-rules has already been sent." and not again.buttons
    (listing,) = dialog.handle_message(ADMIN, "/notices")
    assert "- gift-rules 2020-10-18 09:00: waiting 1" in listing.text
    (stats,) = dialog.handle_message(ADMIN, "/stats")
    assert "Subscribers: 1; digests: daily 0, weekly 0." in stats.text


@pytest.mark.parametrize(
    ("lang", "typed", "sent"),
    [("en", "yes", True), ("ru", "да", True), ("kk", "иә", True), ("kk", "жоқ", False)],
)
def test_a_typed_yes_or_no_answers_the_send_confirmation(
    dialog: Dialog, lang: str, typed: str, sent: bool
) -> None:
    """A probe's typed "yes" after /send got "Sorry, I don't know the answer"."""
    admin = UserRef(chat_id=301, user_id=301, client_lang=lang, is_admin=True)
    dialog.handle_message(USER, "/subscribe gifts")
    dialog.handle_message(admin, "/send gift-rules")
    (reply,) = dialog.handle_message(admin, typed)
    assert ("gift-rules" in dialog.store.enqueued_notices()) is sent
    _ = dialog.turn(admin)._
    on_its_way = _("The notice {id} is on its way. Recipients: {count}.", id="gift-rules", count=1)
    assert reply.text == (on_its_way if sent else _("Cancelled: nothing was sent."))
    (again,) = dialog.handle_message(admin, typed)  # answered once: now it is a message again
    assert again.text != reply.text


def test_a_typed_yes_answers_the_send_confirmation_after_a_restart(
    dialog: Dialog, small_kb: Path, tmp_path: Path
) -> None:
    """Round 36's probe: after a restart a typed "yes" to a pending /send was not understood
    (the question was held in memory only)."""
    settings = Settings(knowledge_dir=small_kb)
    store = Store(tmp_path / "adal.db")
    before = build_dialog(settings, store)
    before.handle_message(USER, "/subscribe gifts")
    before.handle_message(ADMIN, "/send gift-rules")
    store.close()
    reopened = Store(tmp_path / "adal.db")
    (reply,) = build_dialog(settings, reopened).handle_message(ADMIN, "yes")
    assert reply.text == "The notice gift-rules is on its way. Recipients: 1."
    assert "gift-rules" in reopened.enqueued_notices()
    reopened.close()


def test_a_typed_yes_after_the_send_confirmation_expired_sends_nothing(dialog: Dialog) -> None:
    dialog.handle_message(USER, "/subscribe gifts")
    dialog.handle_message(ADMIN, "/send gift-rules")
    long_ago = (datetime.now(UTC) - CONFIRM_TIMEOUT - timedelta(minutes=1)).isoformat()
    dialog.store.db.execute("UPDATE send_requests SET asked_at = ?", [long_ago])
    (reply,) = dialog.handle_message(ADMIN, "yes")
    assert "on its way" not in reply.text and dialog.store.enqueued_notices() == {}


def test_another_message_leaves_the_send_confirmation_unanswered(dialog: Dialog) -> None:
    dialog.handle_message(USER, "/subscribe gifts")
    dialog.handle_message(ADMIN, "/send gift-rules")
    (answer,) = dialog.handle_message(ADMIN, "Can I accept a gift?")
    assert "Cancelled" not in answer.text and "on its way" not in answer.text
    dialog.handle_message(ADMIN, "yes")
    assert dialog.store.enqueued_notices() == {}


def test_the_send_confirmation_has_a_cancel_button(dialog: Dialog) -> None:
    dialog.handle_message(USER, "/subscribe gifts")
    (confirm,) = dialog.handle_message(ADMIN, "/send gift-rules")
    assert labels(confirm) == ["✅ Yes, send now", "No, cancel"]
    edit, cancelled = dialog.handle_button(ADMIN, "xc:gift-rules")
    assert edit.edit and not edit.buttons and cancelled.text == "Cancelled: nothing was sent."
    dialog.handle_message(ADMIN, "yes")  # the question was answered by the button
    assert dialog.store.enqueued_notices() == {}
    assert dialog.handle_button(USER, "xc:gift-rules")[0].toast == "This button is out of date."


@pytest.mark.parametrize(
    ("named", "lang"),
    [
        ("en", "en"),
        ("ru", "ru"),
        ("kk", "kk"),
        ("english", "en"),
        ("русский", "ru"),
        ("қазақша", "kk"),
        ("на казахском", "kk"),
    ],
)
def test_preview_in_a_named_language(dialog: Dialog, named: str, lang: str) -> None:
    """A probe's "/preview id en" answered "There is no notice “id en”"."""
    (preview,) = dialog.handle_message(ADMIN, f"/preview gift-rules {named}")
    assert preview.text.startswith(f"**New gift rules {lang}**")
    assert actions(preview) == ["e:gift-ban"] and preview.marked_language() == lang


def test_notice_and_digest_messages(dialog: Dialog) -> None:
    def delivery(notice_id: str, lang: str, digest: bool, row_id: int = 1) -> Delivery:
        return Delivery(row_id, notice_id, USER.chat_id, lang, digest, 0)  # type: ignore[arg-type]

    reply = render_deliveries(dialog, [delivery("gift-rules", "ru", False)])
    assert reply is not None
    assert reply.text == "**New gift rules ru**\n\nТекст **важный**.\n\nНиже — связанные вопросы."
    assert [b.action for row in reply.buttons for b in row] == ["e:gift-ban|ru"]
    digest = render_deliveries(
        dialog, [delivery("gift-rules", "kk", True), delivery("future-one", "kk", True, 2)]
    )
    assert digest is not None and digest.text.startswith("**Апта ішіндегі жаңартулар**")
    assert actions(digest) == ["n:gift-rules", "n:future-one"]
    assert render_deliveries(dialog, [delivery("removed", "en", False)]) is None
    (opened,) = dialog.handle_button(USER, "n:gift-rules")
    assert opened.text.startswith("**New gift rules en**")
    (hidden,) = dialog.handle_button(USER, "n:future-one")  # not published yet
    assert hidden.toast == "This notice is no longer available."


def test_an_archived_notice_is_listed_as_archived_not_due(small_kb: Path) -> None:
    """A probe saw the archived 2020 notice as "due" in `notices list`, for ever; the admins'
    /notices put it under "Due now" too."""
    (small_kb / "notices").mkdir()
    old = notice_yaml("old-rules", "2020-10-18", "Old rules") + "archived: true\n"
    (small_kb / "notices" / "a.yaml").write_text(old, encoding="utf-8")
    dialog = build_dialog(Settings(knowledge_dir=small_kb), Store(":memory:"))
    (listing,) = dialog.handle_message(ADMIN, "/notices")
    assert listing.text.startswith("**Archived (kept for reference, never sent)**\n- old-rules")
    assert "Due" not in listing.text


@pytest.mark.parametrize("args", ["weekly", "weekly at 8:00", "gifts weekly 8:00"])
def test_subscribe_weekly_says_how_notices_come_once(dialog: Dialog, args: str) -> None:
    """A probe saw "Notices come as a weekly digest…" twice in one message."""
    dialog.handle_message(USER, "/subscribe gifts")
    (reply,) = dialog.handle_message(USER, f"/subscribe {args}")
    assert reply.text.count("Notices come as a weekly digest") == 1


@pytest.mark.parametrize(
    ("user", "args", "mode", "hour", "topics"),
    [
        (USER, "daily", "daily", 9, set()),
        (RU_USER, "ежедневно", "daily", 9, set()),
        (RU_USER, "каждый день", "daily", 9, set()),
        (KK_USER, "күн сайын", "daily", 9, set()),
        (USER, "at 18:00", "daily", 18, set()),
        (RU_USER, "в 18:00", "daily", 18, set()),
        (USER, "18:00", "daily", 18, set()),
        (KK_USER, "сағат 18-де", "daily", 18, set()),
        (RU_USER, "в 9 утра", "daily", 9, set()),
        (RU_USER, "в 6 вечера", "daily", 18, set()),
        (USER, "at 7 pm", "daily", 19, set()),
        (RU_USER, "в 11 ночи", "daily", 23, set()),  # round 39's probe: 11:00, 12:00, 12:00
        (USER, "12 am", "daily", 0, set()),
        (RU_USER, "в 12 ночи", "daily", 0, set()),
        (USER, "12 pm", "daily", 12, set()),
        (RU_USER, "в 3 ночи", "daily", 3, set()),
        (RU_USER, "в 11 часов вечера", "daily", 23, set()),
        (KK_USER, "түнгі 12-де", "daily", 0, set()),
        (KK_USER, "түнгі 11-де", "daily", 23, set()),
        (KK_USER, "кешкі сағат 6-да", "daily", 18, set()),  # was 6:00, "кешкі" no topic
        (KK_USER, "сағат кешкі 6-да", "daily", 18, set()),
        (KK_USER, "күндізгі 2-де", "daily", 14, set()),
        (KK_USER, "таңғы 9-да", "daily", 9, set()),
        (USER, "weekly at 8:00", "weekly", 8, set()),
        (KK_USER, "апта сайын сағат 8-де", "weekly", 8, set()),
        (USER, "gifts daily 18:00", "daily", 18, {"gifts"}),
        (RU_USER, "подарки еженедельно в 8:00", "weekly", 8, {"gifts"}),
        (KK_USER, "сыйлықтар күн сайын сағат 18-де", "daily", 18, {"gifts"}),
    ],
)
def test_subscribe_chooses_the_digest_and_its_hour(
    dialog: Dialog, user: UserRef, args: str, mode: str, hour: int, topics: set[str]
) -> None:
    dialog.handle_message(user, f"/subscribe {args}")
    chat_id = user.chat_id
    assert (dialog.store.delivery_mode(chat_id), dialog.store.digest_hour(chat_id)) == (mode, hour)
    assert dialog.store.subscriptions(chat_id) == topics


@pytest.mark.parametrize(
    "typed", ["25:00", "в 99", "at 9:75", "gifts at 24", "в 18 утра", "18 am", "түнгі 7-де"]
)
def test_a_bad_hour_is_explained_and_changes_nothing(dialog: Dialog, typed: str) -> None:
    """Round 39's probe: «в 18 утра» was taken for 18:00. (Minutes are dropped, see
    test_minutes_of_a_digest_hour_are_dropped_and_said_to_be; minutes of no hour are none.)"""
    dialog.handle_message(USER, "/subscribe weekly")
    (reply,) = dialog.handle_message(USER, f"/subscribe {typed}")
    assert reply.text.startswith("“")
    assert "is not an hour the digest can come at: type a whole hour from 0 to 23" in reply.text
    assert "/subscribe 18:00, /subscribe at 8:00, /subscribe daily 18:00" in reply.text
    chat_id = USER.chat_id
    assert (dialog.store.delivery_mode(chat_id), dialog.store.digest_hour(chat_id)) == ("weekly", 9)
    assert dialog.store.subscriptions(chat_id) == set()


def test_a_bad_hour_is_repeated_back_without_personal_data(dialog: Dialog) -> None:
    (reply,) = dialog.handle_message(USER, "/subscribe at 87011234567")
    assert reply.text.startswith(escape("“at [PHONE]” is not an hour")) and "8701" not in reply.text


@pytest.mark.parametrize(
    ("user", "args", "told"),
    [
        (
            USER,
            "18:00",
            "You are not subscribed to any topic yet. Your choice is kept: once you subscribe, "
            "notices will come as a daily digest, every day at 18:00 (Astana time).",
        ),
        (
            RU_USER,
            "weekly",
            "Вы пока не подписаны ни на одну тему. Ваш выбор сохранён: когда подпишетесь, "
            "уведомления будут приходить еженедельной сводкой — по понедельникам в 09:00 "
            "(время Астаны).",
        ),
        (
            KK_USER,
            "бірден",
            "Сіз әзірге ешбір тақырыпқа жазылмағансыз. Таңдауыңыз сақталды: жазылғаннан кейін "
            "әр хабарлама жарияланған бойда келеді.",
        ),
    ],
)
def test_a_delivery_chosen_before_any_topic_is_kept_and_said_to_wait_for_one(
    dialog: Dialog, user: UserRef, args: str, told: str
) -> None:
    """Round 39's probe: "/subscribe 18:00" with no topics said "Notices come as a daily
    digest…", then "You are not subscribed": a user could well think they were. Round 40's:
    "You are not subscribed to update notices" still followed the clearer message."""
    (reply,) = dialog.handle_message(user, f"/subscribe {args}")
    translate = dialog.catalogs.translator(user.client_lang)
    how = translate("To subscribe, press a topic below or type /subscribe all.")
    assert reply.text.startswith(escape(f"{told} {how}"))
    assert escape(translate("You are not subscribed to update notices.")) not in reply.text
    for was in (  # what a subscriber is told: not said to one who gets nothing
        "Notices come as a daily digest, every day at {hour} (Astana time).",
        "Notices come as a weekly digest, on Mondays at {hour} (Astana time).",
        "Each notice comes as soon as it is published.",
        "With an hour chosen, notices come in a daily digest.",
    ):
        assert translate(was, hour="18:00").partition(" 18:00")[0] not in reply.text
    assert dialog.store.subscriptions(user.chat_id) == set()
    (done,) = dialog.handle_message(user, "/subscribe all")
    assert dialog.store.digest_hour(user.chat_id) == (18 if args == "18:00" else 9)
    assert "Your choice is kept" not in done.text


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ("<b>gifts</b>", "“<b>gifts</b>”"),  # was “<b>gifts<, b>”
        ("[y](https://evil.example)", "“[y]([URL])”"),  # was “[y](https:, evil.example)”
        ("gifts, weather/rain, about", "“weather/rain”"),
        ("weather, gifts, rain", "“weather, rain”"),
        ("Асанов Болат 900101300123", "“[NAME] [NUMBER]”"),
        ("+7 701 123 45 67", "“[PHONE]”"),
        ("ы" * 3000, f"“{'ы' * 39}…”"),
    ],
)
@pytest.mark.parametrize("command", ["/subscribe", "/unsubscribe"])
def test_topics_not_found_are_repeated_back_as_typed_masked_and_cut(
    dialog: Dialog, command: str, args: str, shown: str
) -> None:
    """Round 39's probe: a "/" in an argument was shown as a list separator, an IIN, a name
    and a phone number were repeated back, and 3,000 letters made a 6,500-character reply."""
    (reply,) = dialog.handle_message(USER, f"{command} {args}")
    assert reply.text.startswith(escape(f"There is no topic {shown}. Name one of these"))
    assert dialog.store.subscriptions(USER.chat_id) == set()


def test_a_number_alone_is_no_hour(dialog: Dialog) -> None:
    """A topic key may hold a year ("law-2020"): "/subscribe 2020" is looked up as a topic."""
    (reply,) = dialog.handle_message(USER, "/subscribe 2020")
    assert reply.text.startswith("There is no topic “2020”.")


def test_an_hour_chosen_while_at_once_switches_to_the_daily_digest(dialog: Dialog) -> None:
    dialog.handle_message(USER, "/subscribe gifts")
    (reply,) = dialog.handle_message(USER, "/subscribe at 18:00")
    assert reply.text.startswith("With an hour chosen, notices come in a daily digest.")
    told = escape("Notices come as a daily digest, every day at 18:00 (Astana time).")
    assert reply.text.count(told) == 1
    assert dialog.store.delivery_mode(USER.chat_id) == "daily"


def test_the_panel_shows_the_digest_and_its_hour(dialog: Dialog) -> None:
    dialog.handle_message(RU_USER, "/subscribe подарки")
    dialog.handle_message(RU_USER, "/subscribe в 18:00")
    (panel,) = dialog.handle_button(RU_USER, "d:weekly")
    assert panel.toast == (
        "Уведомления приходят еженедельной сводкой — по понедельникам в 18:00 (время Астаны)."
    )
    assert escape(panel.toast) in panel.text
    assert "Чтобы выбрать час сводки, напишите его: /subscribe 18:00" in panel.text
    assert actions(panel)[-3:] == ["d:instant", "d:daily", "d:weekly"]
    assert labels(panel)[-3:] == ["Сразу", "Ежедневная сводка", "✅ Еженедельная сводка"]
    (panel,) = dialog.handle_button(RU_USER, "d:daily")
    assert "ежедневной сводкой — каждый день в 18:00" in panel.text
    assert labels(panel)[-2] == "✅ Ежедневная сводка"


def test_the_daily_digest_says_daily(dialog: Dialog) -> None:
    dialog.handle_message(USER, "/subscribe gifts daily")
    row = Delivery(1, "gift-rules", USER.chat_id, "en", True, 0)
    digest = render_deliveries(dialog, [row])
    assert digest is not None and digest.text.startswith("**Daily digest of updates**")


def test_an_archived_notice_is_refused_by_send(small_kb: Path) -> None:
    """A probe's /send sent the archived 2020 notice to every subscriber as news."""
    (small_kb / "notices").mkdir()
    old = notice_yaml("old-rules", "2020-10-18", "Old rules") + "archived: true\n"
    (small_kb / "notices" / "old.yaml").write_text(old, encoding="utf-8")
    dialog = build_dialog(Settings(knowledge_dir=small_kb), Store(":memory:"))
    dialog.handle_message(USER, "/subscribe all")
    (refused,) = dialog.handle_message(ADMIN, "/send old-rules")
    assert refused.text.startswith("The notice old-rules is archived") and not refused.buttons
    assert "notices/old.yaml" in refused.text
    (stale,) = dialog.handle_button(ADMIN, "x:old-rules")  # a confirm shown before archiving
    assert stale.toast == refused.text
    assert dialog.store.enqueued_notices() == {}


def test_a_notice_sent_before_its_time_opens_from_the_digest(dialog: Dialog) -> None:
    """A probe's digest listed a notice sent early with /send, whose button said "no longer
    available"."""
    dialog.handle_message(USER, "/subscribe gifts")
    dialog.handle_button(ADMIN, "x:future-one")
    (opened,) = dialog.handle_button(USER, "n:future-one")
    assert opened.text.startswith("**Future en**")


def test_the_digest_speaks_the_language_chosen_after_it_was_queued(dialog: Dialog) -> None:
    dialog.handle_message(RU_USER, "/subscribe gifts")
    dialog.handle_button(RU_USER, "d:weekly")
    dialog.handle_button(ADMIN, "x:gift-rules")  # queued in Russian
    dialog.store.set_language(RU_USER.chat_id, "en")
    row = Delivery(1, "gift-rules", RU_USER.chat_id, "ru", True, 0)
    digest = render_deliveries(dialog, [row])
    assert digest is not None and digest.text.startswith("**This week's updates**")


def test_unsubscribing_a_topic_drops_its_notices_from_the_digest(small_kb: Path) -> None:
    """A probe's /unsubscribe relatives left the relatives notice in the coming digest."""
    (small_kb / "notices").mkdir()
    topics_of = {"on-gifts": "[gifts]", "on-about": "[about]", "on-both": "[gifts, about]"}
    for notice_id, topics in topics_of.items():
        text = notice_yaml(notice_id, "2020-10-18", notice_id).replace("[gifts]", topics)
        (small_kb / "notices" / f"{notice_id}.yaml").write_text(text, encoding="utf-8")
    dialog = build_dialog(Settings(knowledge_dir=small_kb), Store(":memory:"))
    dialog.handle_message(USER, "/subscribe gifts, about")
    dialog.handle_button(USER, "d:weekly")
    for notice_id in ("on-gifts", "on-about", "on-both"):
        dialog.handle_button(ADMIN, f"x:{notice_id}")
    dialog.handle_message(USER, "/unsubscribe gifts")
    states = {
        notice_id: {state for state, count in counts.items() if count}
        for notice_id, counts in dialog.store.delivery_counts().items()
    }
    assert states == {"on-gifts": {"skipped"}, "on-about": {"pending"}, "on-both": {"pending"}}


def test_a_notice_left_out_is_named_to_admins(small_kb: Path) -> None:
    """A probe: a notice left out for a bad publish_at was missing from /notices, and /send
    and /preview said "There is no notice"."""
    (small_kb / "notices").mkdir()
    broken = notice_yaml("bad-time", "02.03.2031", "Bad time")
    (small_kb / "notices" / "bad.yaml").write_text(broken, encoding="utf-8")
    dialog = build_dialog(Settings(knowledge_dir=small_kb), Store(":memory:"))
    problem = "notices/bad.yaml:2: notice 'bad-time': bad publish_at: '02.03.2031' is not a date"
    (listing,) = dialog.handle_message(ADMIN, "/notices")
    assert listing.text.startswith(
        "**Left out for a problem in the file, not sent until fixed**\n- " + escape(problem)
    )
    for command in ("/send", "/preview"):
        (reply,) = dialog.handle_message(ADMIN, f"{command} bad-time")
        assert reply.text.startswith(
            "The notice bad-time is left out for a problem in its file; it can be sent once the "
            "file is fixed:\n" + escape(problem)
        )
        assert not reply.buttons
    assert dialog.store.enqueued_notices() == {}


def test_send_to_nobody_warns_and_keeps_the_notice(dialog: Dialog) -> None:
    """A probe's /send with no subscribers said "Recipients: 0" and used the notice up."""
    (confirm,) = dialog.handle_message(ADMIN, "/send future-one")
    assert confirm.text == (
        "Nobody is subscribed to the topics of future-one now: sent now, it would reach nobody."
    )
    assert actions(confirm) == ["x:future-one", "xc:future-one"]
    (done,) = dialog.handle_button(ADMIN, "x:future-one")
    assert done.toast == (
        "Nobody is subscribed to the topics of future-one now, so it was not sent: it can be "
        "sent later."
    )
    assert dialog.store.enqueued_notices() == {}
    dialog.handle_message(USER, "/subscribe gifts")
    (confirm,) = dialog.handle_message(ADMIN, "/send future-one")
    assert confirm.text == "Send the notice future-one to its subscribers now?"
    (done,) = dialog.handle_button(ADMIN, "x:future-one")
    assert done.toast == "The notice future-one is on its way. Recipients: 1."


@pytest.mark.parametrize(
    ("user", "args"),
    [(USER, "gifts weekly"), (RU_USER, "подарки еженедельно"), (USER, "weekly digest gifts")],
)
def test_a_topic_and_a_delivery_word_in_one_subscribe_do_both(
    dialog: Dialog, user: UserRef, args: str
) -> None:
    """The maintainers' probe: "/subscribe gifts weekly" got "There is no topic …"."""
    dialog.handle_message(user, f"/subscribe {args}")
    assert dialog.store.subscriptions(user.chat_id) == {"gifts"}
    assert dialog.store.delivery_mode(user.chat_id) == "weekly"


def test_a_delivery_word_beside_an_unknown_topic_changes_nothing(dialog: Dialog) -> None:
    (reply,) = dialog.handle_message(USER, "/subscribe giftz, weather weekly")
    assert "There is no topic" in reply.text
    assert dialog.store.subscriptions(USER.chat_id) == set()
    assert dialog.store.delivery_mode(USER.chat_id) == "instant"


def test_a_renamed_topic_key_is_told_to_its_subscribers_and_the_admins(small_kb: Path) -> None:
    """A probe renamed ``about:`` in topics.yaml: its subscribers' panel said "You get notices
    on: ." (an empty list), and nobody was told they get nothing more."""
    store = Store(":memory:")
    store.set_subscriptions(RU_USER.chat_id, {"about"})
    store.set_subscriptions(USER.chat_id, {"gifts", "about"})
    topics = small_kb / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace("about:", "contacts:"), "utf-8")
    about = small_kb / "about.yaml"
    about.write_text(about.read_text(encoding="utf-8").replace("topic: about", "topic: contacts"))
    dialog = build_dialog(Settings(knowledge_dir=small_kb), store)
    (panel,) = dialog.handle_message(RU_USER, "/subscriptions")
    assert panel.text.startswith("Темы, на которую вы были подписаны, больше нет.")
    assert "Вы не подписаны на уведомления" in panel.text and "темам: ." not in panel.text
    assert actions(panel) == ["s:*", "s:gifts", "s:contacts", "d:instant", "d:daily", "d:weekly"]
    (panel,) = dialog.handle_message(USER, "/subscriptions")
    assert "You get notices on: Gifts." in panel.text and "no longer offered" in panel.text
    dialog.handle_button(USER, "s:contacts")  # a change keeps the topics offered now
    assert store.subscriptions(USER.chat_id) == {ALL_TOPICS}
    (listing,) = dialog.handle_message(ADMIN, "/notices")
    assert listing.text.endswith(
        "**Subscribed topics no longer in topics.yaml: their subscribers get nothing**\n- about: 1"
    )


@pytest.mark.parametrize(
    ("user", "text", "lang", "reply"),
    [
        (RU_USER, "/subscribe сыйлықтар", "kk", "Сіз «Сыйлықтар» тақырыбына жазылдыңыз."),
        (RU_USER, "/subscribe syilyqtar", "kk", "Сіз «Сыйлықтар» тақырыбына жазылдыңыз."),
        (USER, "/unsubscribe подарки", "ru", "Вы не были подписаны на тему «Подарки»."),
        (RU_USER, "/subscribe gifts", None, "Вы подписаны на тему «Подарки»."),  # the key
    ],
)
def test_a_topic_typed_in_a_language_is_answered_and_kept_in_it(
    dialog: Dialog, user: UserRef, text: str, lang: str | None, reply: str
) -> None:
    """A probe: ``/subscribe туыстар`` from a Russian client got its panel, and later its
    notices, in Russian."""
    (panel,) = dialog.handle_message(user, text)
    assert panel.text.startswith(reply)
    assert dialog.store.written_language(user.chat_id) == lang


# ------------------------------------------------------- round 41's probe: the panel's words


@pytest.mark.parametrize(
    ("user", "command", "typed", "told"),
    [
        (RU_USER, "/подписка", "подарки", "Вы подписаны на тему «Подарки»."),
        (USER, "/subscribe", "Gifts", "You are subscribed to “Gifts”."),
        (KK_USER, "/жазылу", "сыйлықтар", "Сіз «Сыйлықтар» тақырыбына жазылдыңыз."),
        (USER, "/subscriptions", "syilyqtar", "You are subscribed to “Gifts”."),
    ],
)
def test_a_topic_named_at_the_subscription_panel_presses_its_button(
    dialog: Dialog, user: UserRef, command: str, typed: str, told: str
) -> None:
    """Round 41's probe: «/подписка», then «подарки» was taken for a question to the base
    ("Что из этого ближе всего к вашему вопросу?") and nothing was subscribed. A topic named
    while the panel waits presses its button, as its number does: on, then off again."""
    dialog.handle_message(user, command)
    (panel,) = dialog.handle_message(user, typed)
    assert panel.text.startswith(escape(told))
    assert dialog.store.subscriptions(user.chat_id) == {"gifts"}
    assert actions(panel)[:2] == ["s:*", "u:gifts"]
    dialog.handle_message(user, typed)  # the panel shown again waits: its button unticks
    assert dialog.store.subscriptions(user.chat_id) == set()


def test_a_delivery_named_at_the_subscription_panel_presses_its_button(dialog: Dialog) -> None:
    dialog.handle_message(RU_USER, "/subscribe")
    dialog.handle_message(RU_USER, "еженедельно")
    assert dialog.store.delivery_mode(RU_USER.chat_id) == "weekly"


@pytest.mark.parametrize(
    "typed", ["можно ли принять подарок от коллеги?", "всё", "все темы", "all", "спасибо"]
)
def test_other_words_at_the_subscription_panel_subscribe_nothing(
    dialog: Dialog, typed: str
) -> None:
    """A question is still a question, and "всё" ("that's all") or "all" typed at the panel
    subscribe to nothing: all topics are its first button, or /subscribe all."""
    dialog.handle_message(RU_USER, "/subscribe")
    dialog.handle_message(RU_USER, typed)
    assert dialog.store.subscriptions(RU_USER.chat_id) == set()


def test_a_topic_named_with_no_panel_waiting_is_a_question(dialog: Dialog) -> None:
    dialog.handle_message(RU_USER, "подарки")
    dialog.handle_message(RU_USER, "/subscribe")
    old = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    dialog.store.db.execute("UPDATE recent_choices SET asked_at = ?", [old])
    dialog.handle_message(RU_USER, "подарки")  # a panel an hour old: no longer waits
    assert dialog.store.subscriptions(RU_USER.chat_id) == set()


def test_a_topic_named_at_the_panel_is_a_press_a_group_checks(dialog: Dialog) -> None:
    """In a group, the Telegram adapter refuses a member a press that changes its
    subscriptions: it asks the dialog which button a typed message presses."""
    dialog.handle_message(RU_USER, "/subscribe")
    assert split_language(dialog.typed_action(RU_USER, "подарки") or "")[0] == "s:gifts"
    assert dialog.typed_action(RU_USER, "можно ли принять подарок?") is None


@pytest.mark.parametrize(
    ("user", "before", "args", "mode", "hour", "told"),
    [
        (USER, "/subscribe all", "weekly 09:30", "weekly", 9, "Digests come on the hour: 09:30 "),
        (USER, None, "weekly 09:30", "weekly", 9, "Digests come on the hour: 09:30 "),
        (RU_USER, "/subscribe all", "еженедельно в 9:30", "weekly", 9, "Сводка приходит "),
        (KK_USER, "/subscribe all", "күн сайын 18:45", "daily", 18, "Жинақ сағаттың "),
        (USER, "/subscribe gifts", "at 7:15 pm", "daily", 19, "With an hour chosen, "),
        (USER, None, "gifts daily 18.05", "daily", 18, "You are subscribed to “Gifts”."),
    ],
)
def test_minutes_of_a_digest_hour_are_dropped_and_said_to_be(
    dialog: Dialog,
    user: UserRef,
    before: str | None,
    args: str,
    mode: str,
    hour: int,
    told: str,
) -> None:
    """Round 41's probe: "/subscribe weekly 09:30" got "“09:30” is not an hour the digest
    can come at … Nothing was changed.", "weekly" lost with it. The digest comes on the hour:
    the hour typed is taken, its minutes dropped, and the reply says so."""
    if before:
        dialog.handle_message(user, before)
    (reply,) = dialog.handle_message(user, f"/subscribe {args}")
    chat_id = user.chat_id
    assert (dialog.store.delivery_mode(chat_id), dialog.store.digest_hour(chat_id)) == (mode, hour)
    assert reply.text.startswith(escape(told))
    said = dialog.catalogs.translator(user.client_lang)(
        "Digests come on the hour: {typed} was taken as {hour}.",
        typed=f"{hour:02d}:{args.rpartition(':')[2][:2] if ':' in args else '05'}",
        hour=f"{hour:02d}:00",
    )
    assert escape(said) in reply.text
    assert "Nothing was changed" not in reply.text


def test_a_digest_kept_after_unsubscribing_is_ticked_and_said_to_be(dialog: Dialog) -> None:
    """Round 41's probe: after /unsubscribe the panel said "You are not subscribed" with
    "✅ Daily digest" still ticked. The choice is kept (subscribing again brings the daily
    digest at its hour), so the tick is right; the panel now says why it is there."""
    dialog.handle_message(USER, "/subscribe all")
    dialog.handle_message(USER, "/subscribe daily 18:00")
    kept = escape(
        "Your choice is kept: once you subscribe, notices will come as a daily digest, "
        "every day at 18:00 (Astana time)."
    )
    for command in ("/unsubscribe", "/subscriptions"):
        (panel,) = dialog.handle_message(USER, command)
        assert "✅ Daily digest" in labels(panel) and "At once" in labels(panel)
        assert kept in panel.text and "You are not subscribed to update notices." in panel.text
    dialog.handle_message(USER, "/subscribe gifts")
    chat_id = USER.chat_id
    assert (dialog.store.delivery_mode(chat_id), dialog.store.digest_hour(chat_id)) == ("daily", 18)
    dialog.handle_message(USER, "/unsubscribe")
    (panel,) = dialog.handle_button(USER, "d:instant")
    assert "Your choice is kept" not in panel.text and not any("✅" in x for x in labels(panel))


def test_subscribe_with_a_number_right_after_the_panel_takes_its_button(dialog: Dialog) -> None:
    """Round 41's probe: "/subscribe 7" got «Темы «7» нет» while button 7 of the panel shown
    just before was a topic. The number is that button's topic or delivery, subscribed to
    (a topic's button that would untick it leaves it ticked: the command says subscribe)."""
    dialog.handle_message(RU_USER, "/subscribe")  # All topics, Gifts, About, at once, daily...
    (reply,) = dialog.handle_message(RU_USER, "/subscribe 2")
    assert reply.text.startswith("Вы подписаны на тему «Подарки».")
    assert dialog.store.subscriptions(RU_USER.chat_id) == {"gifts"}
    dialog.handle_message(RU_USER, "/subscribe 2")  # its button is "u:gifts" now
    assert dialog.store.subscriptions(RU_USER.chat_id) == {"gifts"}
    dialog.handle_message(RU_USER, "/subscribe №6")
    assert dialog.store.delivery_mode(RU_USER.chat_id) == "weekly"
    dialog.handle_message(RU_USER, "/subscribe 3")
    assert dialog.store.subscriptions(RU_USER.chat_id) == {ALL_TOPICS}


@pytest.mark.parametrize("before", [None, "/language", "/subscribe", "/subscribe stale"])
def test_subscribe_with_a_number_and_no_panel_waiting_says_how_to_choose(
    dialog: Dialog, before: str | None
) -> None:
    """With no subscription panel shown just before (or one over 30 minutes old), a number
    names no topic: the reply says so and how to choose one, over the panel."""
    if before:
        dialog.handle_message(USER, before.removesuffix(" stale"))
    if before and before.endswith("stale"):
        old = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
        dialog.store.db.execute("UPDATE recent_choices SET asked_at = ?", [old])
    number = 40 if before == "/subscribe" else 2  # a fresh panel has no button 40
    (reply,) = dialog.handle_message(USER, f"/subscribe {number}")
    assert reply.text.startswith(
        escape(
            f"“{number}” is not a topic. Press a topic below, or type its name or its number "
            "(the buttons count from the top) as your next message."
        )
    )
    assert dialog.store.subscriptions(USER.chat_id) == set()
    assert dialog.store.language(USER.chat_id) is None
    dialog.handle_message(USER, "2")  # the panel shown with it waits
    assert dialog.store.subscriptions(USER.chat_id) == {"gifts"}
