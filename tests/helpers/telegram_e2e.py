"""Helpers for end-to-end tests: the bot started as ``adal-bot run`` starts it, and a user
writing and pressing buttons through the Bot API emulator."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from telegram.ext import Application

from bot.config import Settings
from bot.dialog import Dialog
from bot.dialog.reply import split_language
from bot.kb import Entry
from bot.kb.markup import paragraphs, to_html
from bot.telegram.app import Service
from bot.telegram.handlers import DIALOG, WORKER
from tests.helpers.botapi_emulator import BotAPIEmulator, SentRecord, parse_html

T = TypeVar("T")
CHAT = 501
START_TIMEOUT = 30.0  # seconds for the bot to be ready (the matcher is built first)


@contextlib.asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[Service]:
    """The bot's service, started as ``adal-bot run`` starts it, stopped gracefully after."""
    service = Service(settings)
    stop, started = asyncio.Event(), asyncio.Event()
    task = asyncio.create_task(service.run(stop, started))
    ready = asyncio.create_task(started.wait())
    try:
        await asyncio.wait({task, ready}, timeout=START_TIMEOUT, return_when="FIRST_COMPLETED")
        if task.done():
            task.result()  # it stopped: raise what stopped it
        assert started.is_set(), "the bot did not start"
        yield service
    finally:
        ready.cancel()
        stop.set()
        await task


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Application]:
    """The bot's application, started as ``adal-bot run`` starts it."""
    async with serving(settings) as service:
        yield service.application


def dialog_of(application: Application) -> Dialog:
    """The application's dialog."""
    return application.bot_data[DIALOG]


async def on_worker(application: Application, call: Callable[[], T]) -> T:
    """``call()`` run on the bot's worker thread, as the bot runs every dialog call (the
    store's connection is the worker's: a call from the test's thread could race it)."""
    return await application.bot_data[WORKER](call)


async def replies(
    emu: BotAPIEmulator, chat_id: int, mark: int, count: int = 1, timeout: float = 5.0
) -> list[SentRecord]:
    """The first ``count`` messages sent to ``chat_id`` after ``emu.sent[mark]``, each within
    ``timeout`` seconds."""
    found: list[SentRecord] = []
    for _ in range(count):
        record = await emu.wait_for(lambda r: r.chat_id == chat_id, timeout, after=mark)
        found.append(record)
        mark = emu.sent.index(record) + 1
    return found


async def ask(
    emu: BotAPIEmulator,
    text: str,
    *,
    chat_id: int = CHAT,
    lang: str | None = "ru",
    count: int = 1,
    timeout: float = 5.0,
) -> list[SentRecord]:
    """Write ``text`` as the user of ``chat_id`` and wait for ``count`` replies (each within
    ``timeout`` seconds)."""
    mark = len(emu.sent)
    emu.push_text(chat_id, text, language_code=lang)
    return await replies(emu, chat_id, mark, count, timeout)


async def press(
    emu: BotAPIEmulator, message: SentRecord, action: str, *, count: int = 1
) -> tuple[dict[str, Any], list[SentRecord]]:
    """Press the button ``action`` (with or without its language mark) under ``message``:
    (the callback answer, ``count`` replies)."""
    assert message.chat_id is not None and message.message_id is not None
    data = next(d for d in callback_data(message) if action in (d, split_language(d)[0]))
    mark = len(emu.sent)
    emu.push_callback(message.chat_id, message.message_id, data)
    query_id = emu.updates[-1]["callback_query"]["id"]
    sent = await replies(emu, message.chat_id, mark, count) if count else []
    await until(lambda: query_id in emu.callback_answers)
    return emu.callback_answers[query_id], sent


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until ``condition()`` holds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


def callback_data(message: SentRecord) -> list[str]:
    """The callback data of the message's buttons, row by row."""
    rows = (message.reply_markup or {}).get("inline_keyboard", [])
    return [button["callback_data"] for row in rows for button in row]


def actions(message: SentRecord) -> list[str]:
    """The actions of the message's buttons, row by row, without their language mark."""
    return [split_language(data)[0] for data in callback_data(message)]


def shown(markup: str) -> str:
    """What Telegram shows for markup (the first paragraph is enough to recognise an answer)."""
    return parse_html(to_html(paragraphs(markup)[0]))[0]


def assert_answer(message: SentRecord, entry: Entry, lang: str) -> None:
    """``message`` carries ``entry``'s answer in ``lang``, its first source and feedback buttons."""
    assert message.ok and message.plain_text is not None
    assert message.plain_text.startswith(shown(entry.answer(lang)))  # type: ignore[arg-type]
    assert entry.sources[0].title[lang] in message.plain_text
    assert f"f:+:{entry.id}" in actions(message)
