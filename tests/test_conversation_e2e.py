"""End to end, in kk, ru and en: the conversation around the answers (issue 16), through the
real Application and the Bot API emulator. The users' Telegram apps speak another language than
their questions, as a Kazakh speaker's Russian-language app does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.config import Settings
from bot.kb import Lang
from bot.kb.markup import to_html
from tests.conftest import answered_with_a_sibling
from tests.helpers.botapi_emulator import BotAPIEmulator, SentRecord, parse_html
from tests.helpers.telegram_e2e import (
    CHAT,
    actions,
    assert_answer,
    dialog_of,
    press,
    running,
    until,
)

pytestmark = pytest.mark.e2e

ADMIN = 778
WAIT = 15.0  # seconds for a reply: generous, the machine may be busy
LANGS: tuple[Lang, ...] = ("kk", "ru", "en")
OTHER_APP = {"kk": "ru", "ru": "en", "en": "kk"}  # the app's language_code for each
SUGGESTED = {  # two topics at once: the bot abstains and suggests
    "kk": ["арандату сыйлық", "провокация және сыйлық"],
    "ru": ["провокация подарок", "провокация и подарки"],
    "en": ["provocation gift", "provocation and gifts"],
}
TOPIC_NAMES = {"kk": "сыйлықтар", "ru": "подарки", "en": "gifts"}
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)
MISSING = {  # what a user says was missing, with an e-mail address to be removed
    "kk": "Немере ағалар туралы ештеңе жоқ, маған {} жазыңыз",
    "ru": "Нет про двоюродных братьев, пишите на {}",
    "en": "Nothing about cousins, write to {}",
}
WHAT_WAS_MISSING = (
    "What was missing? Write it in one message: I will pass it on to the people who "
    "maintain the answers, without your personal data."
)


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    """A running emulator; the test fails if it refused any call."""
    async with BotAPIEmulator() as emulator:
        yield emulator
    assert not [(r.method, r.status) for r in emulator.rejected]


@pytest_asyncio.fixture
async def app(emu: BotAPIEmulator, tmp_path: Path) -> AsyncIterator[Application]:
    """The bot over the bundled knowledge base and a fresh database, one admin."""
    settings = Settings(
        token=emu.token,
        api_url=emu.base_url,
        db_path=tmp_path / "adal.db",
        admins=frozenset({ADMIN}),
    )
    async with running(settings) as application:
        yield application


def shown(markup: str) -> str:
    """What Telegram shows for a reply's markup."""
    return parse_html(to_html(markup))[0]


async def messages(emu: BotAPIEmulator, chat_id: int, mark: int, count: int) -> list[SentRecord]:
    """The first ``count`` new messages (edits of a pressed message aside) sent to ``chat_id``
    after ``emu.sent[mark]``."""
    found: list[SentRecord] = []
    for _ in range(count):
        record = await emu.wait_for(
            lambda r: r.chat_id == chat_id and r.method == "sendMessage", WAIT, after=mark
        )
        found.append(record)
        mark = emu.sent.index(record) + 1
    return found


async def say(
    emu: BotAPIEmulator, text: str, *, lang: str, chat_id: int = CHAT, count: int = 1
) -> list[SentRecord]:
    """Write ``text`` from an app speaking ``lang``; the ``count`` messages it gets back."""
    mark = len(emu.sent)
    emu.push_text(chat_id, text, language_code=lang)
    return await messages(emu, chat_id, mark, count)


async def tap(
    emu: BotAPIEmulator, message: SentRecord, action: str, *, count: int = 1
) -> tuple[dict[str, Any], list[SentRecord]]:
    """Press ``action`` under ``message``: (the callback answer, ``count`` new messages)."""
    assert message.chat_id is not None
    mark = len(emu.sent)
    callback, _ = await press(emu, message, action, count=0)
    return callback, await messages(emu, message.chat_id, mark, count)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_related_button_answers_in_the_language_of_the_question(
    app: Application, emu: BotAPIEmulator, lang: Lang
) -> None:
    kb = dialog_of(app).library.kb
    entry = kb.get("relatives-same-agency")
    assert entry is not None and entry.related
    [answer] = await say(emu, entry.questions(lang)[0], lang=OTHER_APP[lang])
    assert_answer(answer, entry, lang)
    _, [opened] = await tap(emu, answer, f"e:{entry.related[0]}")
    related = kb.get(entry.related[0])
    assert related is not None
    assert_answer(opened, related, lang)


@pytest.mark.parametrize("lang", LANGS)
async def test_a_suggestion_answers_in_the_language_of_the_question(
    app: Application, emu: BotAPIEmulator, lang: Lang
) -> None:
    library = dialog_of(app).library
    text = next(t for t in SUGGESTED[lang] if library.matcher.match(t).suggestions)
    [abstention] = await say(emu, text, lang=OTHER_APP[lang])
    first = actions(abstention)[0]  # a "did you mean" entry, or a clarifying question's option
    assert first.startswith(("e:", "q:"))
    _, [opened] = await tap(emu, abstention, first)
    [vote] = [a for a in actions(opened) if a.startswith("f:+:")]
    entry = library.kb.get(vote.removeprefix("f:+:"))
    assert entry is not None and entry.id in library.matcher.match(text).suggestions
    assert_answer(opened, entry, lang)


@pytest.mark.parametrize("app_lang", ["kk", "ru"])
async def test_bye_gets_an_english_goodbye(
    app: Application, emu: BotAPIEmulator, app_lang: str
) -> None:
    for text in ("bye", "thanks, bye", "ok bye", "good bye"):
        [goodbye] = await say(emu, text, lang=app_lang)
        assert goodbye.plain_text == "Goodbye! Come back with any question."


@pytest.mark.parametrize("lang", LANGS)
async def test_help_lists_the_subscription_commands(
    app: Application, emu: BotAPIEmulator, lang: Lang
) -> None:
    [helped] = await say(emu, "/help", lang=lang)
    menu = dict(dialog_of(app).menu(lang))
    for command in ("subscribe", "subscriptions", "unsubscribe"):
        assert f"/{command} — {menu[command]}" in (helped.plain_text or "")
    assert "/quit" not in (helped.plain_text or "")  # the terminal's, not Telegram's


@pytest.mark.parametrize("lang", LANGS)
async def test_subscribe_accepts_a_topic_name(
    app: Application, emu: BotAPIEmulator, lang: Lang
) -> None:
    dialog = dialog_of(app)
    [panel] = await say(emu, f"/subscribe {TOPIC_NAMES[lang]}", lang=lang)
    name = dialog.library.kb.topics["gifts"].names[lang]
    _ = dialog.catalogs.translator(lang)
    assert (panel.plain_text or "").startswith(_("You are subscribed to “{topic}”.", topic=name))
    assert dialog.store.subscriptions(CHAT) == {"gifts"}
    assert "u:gifts" in actions(panel)
    [listing] = await say(emu, "/subscribe weather", lang=lang)
    for topic in dialog.library.kb.topics.values():
        assert topic.names[lang] in (listing.plain_text or "")


@pytest.mark.parametrize("lang", LANGS)
async def test_the_other_vote_on_one_answer_replaces_the_first_and_the_same_is_refused(
    app: Application, emu: BotAPIEmulator, lang: Lang
) -> None:
    dialog = dialog_of(app)
    entry = dialog.library.kb.get("gifts-any-value-ban")
    assert entry is not None
    [answer] = await say(emu, entry.questions(lang)[0], lang=OTHER_APP[lang])
    _ = dialog.catalogs.translator(lang)
    thanks, _sent = await tap(emu, answer, f"f:+:{entry.id}", count=0)
    assert thanks["text"] == _("Thank you for the feedback!")
    changed, [question] = await tap(emu, answer, f"f:-:{entry.id}")
    assert changed["text"] == _("Thank you for the feedback!")
    assert question.plain_text == shown(_(WHAT_WAS_MISSING))
    refused, sent = await tap(emu, answer, f"f:-:{entry.id}", count=0)
    assert refused["text"] == _("You have already rated this answer.")
    assert sent == [] and dialog.store.feedback_counts() == {entry.id: (0, 1)}


@pytest.mark.parametrize("lang", LANGS)
async def test_a_thumbs_down_asks_what_was_missing(
    app: Application, emu: BotAPIEmulator, lang: Lang
) -> None:
    dialog = dialog_of(app)
    entry = dialog.library.kb.get("relatives-same-agency")
    assert entry is not None
    [answer] = await say(emu, entry.questions(lang)[0], lang=OTHER_APP[lang])
    _ = dialog.catalogs.translator(lang)
    _callback, [question] = await tap(emu, answer, f"f:-:{entry.id}")
    assert question.plain_text == shown(_(WHAT_WAS_MISSING))
    [thanks] = await say(emu, MISSING[lang].format("a.b@mail.kz"), lang=OTHER_APP[lang])
    assert thanks.plain_text == shown(
        _("Thank you! I passed it on to the people who maintain the answers.")
    )
    [comment] = dialog.store.feedback_comments(since=LONG_AGO)
    assert comment.text == MISSING[lang].format("[EMAIL]")


async def test_stats_shows_a_vote(app: Application, emu: BotAPIEmulator) -> None:
    dialog = dialog_of(app)
    entry = dialog.library.kb.get("gifts-any-value-ban")
    assert entry is not None
    [answer] = await say(emu, entry.questions("kk")[0], lang="ru")
    await tap(emu, answer, f"f:+:{entry.id}", count=0)
    [stats] = await say(emu, "/stats", chat_id=ADMIN, lang="en")
    text = stats.plain_text or ""
    assert "Votes in the last 7 days (👍 / 👎):" in text
    assert f"• {entry.id}: 1 / 0" in text.splitlines()
    [refused] = await say(emu, "/stats", lang="en")  # not an admin, who wrote in Kazakh
    assert (refused.plain_text or "").startswith("Мұндай команданы білмеймін.")


async def test_a_vote_leaves_the_other_buttons_where_they_were(
    app: Application, emu: BotAPIEmulator
) -> None:
    """An answer offered with its sibling first: after 👍 the same questions stay in the same
    order and only the vote row becomes the thank-you (before, the sibling moved down)."""
    dialog = dialog_of(app)
    text = answered_with_a_sibling(dialog.library.matcher, "ru")
    result = dialog.library.matcher.match(text)
    assert result.entry_id and result.suggestions  # a sibling comes first among the buttons
    [answer] = await say(emu, text, lang="ru")
    before = actions(answer)
    assert before[0] == f"e:{result.suggestions[0]}"
    edits = len(emu.calls("editMessageReplyMarkup"))
    await tap(emu, answer, f"f:+:{result.entry_id}", count=0)
    await until(lambda: len(emu.calls("editMessageReplyMarkup")) > edits)
    assert answer.chat_id is not None and answer.message_id is not None
    rows = emu.message(answer.chat_id, answer.message_id)["reply_markup"]["inline_keyboard"]
    after = [button["callback_data"].split("|")[0] for row in rows for button in row]
    assert after[:-1] == [a for a in before if not a.startswith("f:")]
    assert after[-1] == f"f:+:{result.entry_id}" and len(rows[-1]) == 1
