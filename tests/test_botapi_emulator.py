"""The Bot API emulator answers a real python-telegram-bot client like Telegram does."""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import urllib.request
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from aiohttp import ClientSession, web
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TimedOut
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.helpers.botapi_emulator import BotAPIEmulator, HTMLParseError, parse_html, utf16_len

CHAT = 1001


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    """A running emulator."""
    async with BotAPIEmulator() as emulator:
        yield emulator


@pytest_asyncio.fixture
async def bot(emu: BotAPIEmulator) -> AsyncIterator[Bot]:
    """A PTB bot talking to the emulator."""
    async with Bot(emu.token, base_url=emu.base_url) as client:
        yield client


def seconds(error: RetryAfter) -> float:
    """``error.retry_after`` in seconds (a timedelta under ``PTB_TIMEDELTA=1``)."""
    retry_after = error.retry_after
    assert isinstance(retry_after, dtm.timedelta)
    return retry_after.total_seconds()


@pytest.fixture
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """PTB's future behaviour: ``RetryAfter.retry_after`` is a timedelta (no deprecation)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


def keyboard(*data: str) -> InlineKeyboardMarkup:
    """One row of callback buttons."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


# --------------------------------------------------------------------------- HTML parsing


def test_parse_html_entities_and_utf16_offsets() -> None:
    text, entities = parse_html(
        '😀 <b>bold <i>both</i></b> <a href="https://x.kz/?a=1&amp;b=2">'
        "link</a> &lt;&#33;&#x21;&quot;"
    )
    assert text == '😀 bold both link <!!"'
    assert entities == [
        {"type": "bold", "offset": 3, "length": 9},
        {"type": "italic", "offset": 8, "length": 4},
        {"type": "text_link", "offset": 13, "length": 4, "url": "https://x.kz/?a=1&b=2"},
    ]
    assert utf16_len("😀a") == 3


def test_parse_html_pre_code_spoiler_blockquote() -> None:
    _, entities = parse_html(
        '<pre><code class="language-python">x</code></pre>'
        '<span class="tg-spoiler">s</span><blockquote expandable>q'
        "</blockquote>"
    )
    assert entities == [
        {"type": "pre", "offset": 0, "length": 1, "language": "python"},
        {"type": "spoiler", "offset": 1, "length": 1},
        {"type": "expandable_blockquote", "offset": 2, "length": 1},
    ]


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x<br>y", 'Unsupported start tag "br" at byte offset 1'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("ә<b", "Unclosed start tag at byte offset 2"),
        ("AT&T", 'Unescaped "&" at byte offset 2: write it as "&amp;"'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
    ],
)
def test_parse_html_refuses_like_telegram(html: str, error: str) -> None:
    with pytest.raises(HTMLParseError) as caught:
        parse_html(html)
    assert str(caught.value) == error


# --------------------------------------------------------------------------- PTB Bot


@pytest.mark.asyncio
async def test_send_message_html(emu: BotAPIEmulator, bot: Bot) -> None:
    markup = keyboard("yes", "no")
    first = await bot.send_message(
        CHAT, "<b>Адал</b> &amp; co", parse_mode=ParseMode.HTML, reply_markup=markup
    )
    second = await bot.send_message(CHAT, "again")
    assert (first.text, first.text_html) == ("Адал & co", "<b>Адал</b> &amp; co")
    assert first.reply_markup == markup
    assert first.from_user is not None and first.from_user.id == bot.id
    assert second.message_id == first.message_id + 1
    record = emu.last_message(CHAT)
    assert record is not None and record.text == "again"
    assert emu.messages_to(CHAT)[0].plain_text == "Адал & co"
    assert emu.messages_to(CHAT)[0].reply_markup == markup.to_dict()
    assert (await bot.get_me()).username == emu.bot_user["username"]


@pytest.mark.asyncio
@pytest.mark.parametrize("text", ["<b>x", "a < b", "<p>x</p>", "AT&T"])
async def test_invalid_html_is_bad_request(bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)parse entities"):
        await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)


@pytest.mark.asyncio
async def test_length_is_counted_after_parsing_in_utf16(emu: BotAPIEmulator, bot: Bot) -> None:
    await bot.send_message(CHAT, f"<b>{'x' * 4096}</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(CHAT, "😀" * 2048)
    for text in ("x" * 4097, "😀" * 2049):
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(CHAT, text)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(CHAT, "<b> </b>", parse_mode=ParseMode.HTML)
    assert [r.ok for r in emu.sent] == [True, True, False, False, False]
    assert len(emu.rejected) == 3


@pytest.mark.asyncio
async def test_callback_data_is_limited_in_bytes(bot: Bot) -> None:
    await bot.send_message(CHAT, "ok", reply_markup=keyboard("ә" * 32))  # 64 bytes
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(CHAT, "too long", reply_markup=keyboard("ә" * 33))
    with pytest.raises(BadRequest, match=r"(?i)too many buttons"):
        await bot.send_message(CHAT, "wide", reply_markup=keyboard(*"abcdefghi"))


@pytest.mark.asyncio
async def test_blocked_and_unknown_chats(emu: BotAPIEmulator, bot: Bot) -> None:
    emu.block(CHAT)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(CHAT, "hello")
    emu.strict_chats = True
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(CHAT + 1, "hello")
    emu.add_chat(CHAT + 1)
    await bot.send_message(CHAT + 1, "hello")


@pytest.mark.asyncio
@pytest.mark.usefixtures("ptb_timedelta")
async def test_injected_errors_and_delays(emu: BotAPIEmulator, bot: Bot) -> None:
    emu.fail_next("sendMessage", 429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "hello")
    assert seconds(caught.value) == 3
    assert emu.sent[-1].error_code == 429
    emu.delay_next("sendMessage", 0.5)
    with pytest.raises(TimedOut):
        await bot.send_message(CHAT, "late", read_timeout=0.1)
    record = await emu.wait_for(lambda r: r.ok and r.text == "late", timeout=2)
    assert record.chat_id == CHAT  # delivered although the client gave up


@pytest.mark.asyncio
@pytest.mark.usefixtures("ptb_timedelta")
async def test_flood_limit_per_private_chat(emu: BotAPIEmulator, bot: Bot) -> None:
    emu.limits = True
    await bot.send_message(CHAT, "one")
    await bot.send_message(CHAT + 1, "other chat")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(CHAT, "two")
    assert seconds(caught.value) >= 1
    assert emu.flood_rejections == 1
    assert emu.rejected[-1].response["parameters"] == {"retry_after": 1}


@pytest.mark.asyncio
async def test_commands_and_inline_answers(emu: BotAPIEmulator, bot: Bot) -> None:
    commands = [BotCommand("start", "Бастау"), BotCommand("help", "Help")]
    await bot.set_my_commands(commands, language_code="kk")
    assert await bot.get_my_commands(language_code="kk") == tuple(commands)
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("Start", "x")])
    emu.push_inline_query(CHAT, "сыйлық")
    query_id = emu.updates[-1]["inline_query"]["id"]
    bad = InlineQueryResultArticle("1", "t", InputTextMessageContent("<b>x", parse_mode="HTML"))
    with pytest.raises(BadRequest, match=r"(?i)parse entities"):
        await bot.answer_inline_query(query_id, [bad])
    good = InlineQueryResultArticle("1", "t", InputTextMessageContent("<b>x</b>", "HTML"))
    await bot.answer_inline_query(query_id, [good])
    assert emu.inline_answers[query_id]["results"][0]["id"] == "1"


@pytest.mark.asyncio
async def test_unknown_token_and_method(emu: BotAPIEmulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("1:wrong", base_url=emu.base_url):
            pass
    async with ClientSession() as session, session.post(f"{emu.api_url}noSuchMethod") as answer:
        assert answer.status == 404
        assert await answer.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


# --------------------------------------------------------------------------- updates


@pytest.mark.asyncio
async def test_application_polling_text_and_callback(emu: BotAPIEmulator) -> None:
    async def reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_html(
            f"<i>{update.effective_message.text}</i>", reply_markup=keyboard("more")
        )

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("✓")
        await query.edit_message_text(f"pressed {query.data}")

    app: Application = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, reply))
    app.add_handler(CallbackQueryHandler(press))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        emu.push_text(CHAT, "Сәлем")
        record = await emu.wait_for(lambda r: r.ok and r.chat_id == CHAT)
        assert (record.text, record.plain_text) == ("<i>Сәлем</i>", "Сәлем")
        assert record.message_id is not None
        emu.push_callback(CHAT, record.message_id, "more")
        edit = await emu.wait_for(lambda r: r.method == "editMessageText")
        assert edit.ok and emu.message(CHAT, record.message_id)["text"] == "pressed more"
        assert next(iter(emu.callback_answers.values()))["text"] == "✓"
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
    assert emu.pending_updates == []


@pytest.mark.asyncio
async def test_post_update_to_webhook(emu: BotAPIEmulator) -> None:
    received: list[tuple[str | None, dict]] = []

    async def hook(request: web.Request) -> web.Response:
        received.append(
            (request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json())
        )
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        update_id = emu.push_sticker(CHAT)
        status = await emu.post_update_to(f"http://127.0.0.1:{port}/hook", update_id, "s3cret")
    finally:
        await runner.cleanup()
    assert status == 200
    assert received[0][0] == "s3cret"
    assert "sticker" in received[0][1]["message"]


def test_thread_mode_for_sync_code() -> None:
    with BotAPIEmulator() as emu:
        emu.push_command(CHAT, "start", "gifts")
        request = urllib.request.Request(f"{emu.api_url}getUpdates", data=b"timeout=0")
        with urllib.request.urlopen(request, timeout=5) as answer:
            updates = json.load(answer)["result"]
        assert updates[0]["message"]["text"] == "/start gifts"
        assert updates[0]["message"]["entities"][0]["type"] == "bot_command"


@pytest.mark.asyncio
async def test_long_poll_wakes_on_push(emu: BotAPIEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=1))
    await asyncio.sleep(0.05)
    emu.push_my_chat_member(CHAT, "kicked")
    updates = await asyncio.wait_for(poll, 0.5)
    assert updates[0].my_chat_member is not None
    assert updates[0].my_chat_member.new_chat_member.status == "kicked"
    assert CHAT in emu.blocked
