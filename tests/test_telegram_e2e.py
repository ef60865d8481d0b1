"""End to end: the real Application over HTTP against the Bot API emulator, the real Dialog.

Each test starts the bot as ``run_polling`` would (``post_init`` included), pushes updates into
the emulator and checks what the bot sent; the emulator validates every call like Telegram, and
the ``emu`` fixture fails a test whose bot made a call the emulator refused (4xx), apart from
the statuses the test expects (``expect_rejections``).
"""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from telegram.constants import MessageLimit
from telegram.ext import Application

from bot.config import Settings
from bot.dialog import UserRef, build_dialog
from bot.kb import read_knowledge
from bot.kb.markup import to_html, visible_length
from bot.store import Store
from bot.telegram import ratelimit
from bot.telegram.webhook import SECRET_HEADER
from tests.helpers.botapi_emulator import BotAPIEmulator, parse_html, utf16_len
from tests.helpers.knowledge_files import entry_yaml
from tests.helpers.telegram_e2e import (
    CHAT,
    actions,
    ask,
    assert_answer,
    dialog_of,
    on_worker,
    press,
    replies,
    running,
    serving,
    until,
)

pytestmark = pytest.mark.e2e

ADMIN = 777
KAZAKH_LETTERS = set("әғқңөұүһі")
needs_entries = pytest.mark.skipif(
    not read_knowledge(Settings().knowledge_dir)[0].entries,
    reason="the bundled knowledge base has no entries yet",
)


@pytest.fixture
def expect_rejections() -> set[int]:
    """HTTP statuses the emulator may answer in this test (add to it in the test)."""
    return set()


@pytest_asyncio.fixture
async def emu(expect_rejections: set[int]) -> AsyncIterator[BotAPIEmulator]:
    """A running emulator; the test fails if it refused a call the test did not expect."""
    async with BotAPIEmulator() as emulator:
        yield emulator
    unexpected = [
        (r.method, r.status, r.response.get("description"))
        for r in emulator.rejected
        if r.status not in expect_rejections
    ]
    assert not unexpected


@pytest.fixture
def settings(emu: BotAPIEmulator, tmp_path: Path) -> Settings:
    """Settings pointing the bot at the emulator, with a fresh database."""
    return Settings(
        token=emu.token,
        api_url=emu.base_url,
        db_path=tmp_path / "adal.db",
        admins=frozenset({ADMIN}),
    )


@pytest_asyncio.fixture
async def app(settings: Settings) -> AsyncIterator[Application]:
    """The bot running over the bundled knowledge base."""
    async with running(settings) as application:
        yield application


# --------------------------------------------------------------------------- start-up


async def test_startup_sets_menus_per_language_admin_ones_only_for_admins(
    app: Application, emu: BotAPIEmulator
) -> None:
    default_scope = '{"type": "default"}'
    admin_scope = f'{{"chat_id": {ADMIN}, "type": "chat"}}'
    for lang in ("", "kk", "ru", "en"):
        menu = [c["command"] for c in emu.commands[(default_scope, lang)]]
        assert menu[0] == "start" and "language" in menu
        assert len(emu.commands[(admin_scope, lang)]) >= len(menu)
    assert emu.commands[(default_scope, "kk")] != emu.commands[(default_scope, "en")]
    admin_only = {c for c, _ in dialog_of(app).menu("en", admin=True)} - {
        c for c, _ in dialog_of(app).menu("en")
    }
    assert not admin_only & {c["command"] for c in emu.commands[(default_scope, "en")]}
    assert app.job_queue and app.job_queue.get_jobs_by_name("reload-knowledge")


@needs_entries
@pytest.mark.parametrize("lang", ["kk", "en"])
async def test_start_greets_in_the_client_language_with_three_examples(
    app: Application, emu: BotAPIEmulator, lang: str
) -> None:
    [greeting] = await ask(emu, "/start", lang=lang)
    assert greeting.ok and greeting.plain_text
    expected = await on_worker(
        app, lambda: dialog_of(app).handle_message(UserRef(CHAT + 1, CHAT + 1, lang), "/start")
    )
    assert greeting.plain_text == parse_html(to_html(expected[0].text))[0]
    assert bool(KAZAKH_LETTERS & set(greeting.plain_text.lower())) == (lang == "kk")
    examples = actions(greeting)
    assert len(examples) == 3 and all(a.startswith("e:") for a in examples)


async def test_a_command_typed_in_cyrillic_arrives_as_text_and_runs(
    app: Application, emu: BotAPIEmulator
) -> None:
    """Round 40's probe: «/старт» (no bot_command entity: Telegram marks [a-z0-9_] names
    alone) was answered as a question."""
    [greeting] = await ask(emu, "/старт", lang="en")
    expected = await on_worker(
        app, lambda: dialog_of(app).handle_message(UserRef(CHAT + 1, CHAT + 1, "ru"), "/start")
    )
    assert greeting.plain_text == parse_html(to_html(expected[0].text))[0]
    assert (greeting.plain_text or "").startswith("Здравствуйте")


# --------------------------------------------------------------------------- questions


@needs_entries
@pytest.mark.parametrize(
    ("lang", "entry_id"),
    [
        ("kk", "gifts-any-value-ban"),
        ("ru", "relatives-same-agency"),
        ("en", "provocation-art-412-1"),
    ],
)
async def test_question_in_each_language_gets_the_entry_and_its_source(
    app: Application, emu: BotAPIEmulator, lang: str, entry_id: str
) -> None:
    entry = dialog_of(app).library.kb.get(entry_id)
    assert entry is not None
    [answer] = await ask(emu, entry.questions(lang)[0], lang="ru")  # type: ignore[arg-type]
    assert_answer(answer, entry, lang)


@needs_entries
async def test_deep_link_opens_the_entry(app: Application, emu: BotAPIEmulator) -> None:
    entry = dialog_of(app).library.kb.get("report-corruption")
    assert entry is not None
    [answer] = await ask(emu, "/start report-corruption", lang="en")
    assert_answer(answer, entry, "en")


@needs_entries
async def test_related_button_opens_the_entry_and_feedback_is_stored(
    app: Application, emu: BotAPIEmulator
) -> None:
    kb = dialog_of(app).library.kb
    first = next(e for e in kb.entries.values() if e.related)
    [answer] = await ask(emu, f"/start {first.id}")
    related = next(a for a in actions(answer) if a.startswith("e:"))
    _, [opened] = await press(emu, answer, related)
    second = kb.get(related.removeprefix("e:"))
    assert second is not None
    assert_answer(opened, second, "ru")

    callback, sent = await press(emu, opened, f"f:+:{second.id}", count=0)
    assert callback.get("text")
    assert dialog_of(app).store.feedback_counts()[second.id] == (1, 0)
    assert sent == [] and emu.last_message(CHAT) == opened


@needs_entries
async def test_a_which_of_these_button_opens_the_suggested_entry(
    app: Application, emu: BotAPIEmulator
) -> None:
    library = dialog_of(app).library
    text = "провокация подарок"  # two topics at once: the bot asks which is meant
    result = library.matcher.match(text)
    assert result.entry_id is None and result.suggestions
    [reply] = await ask(emu, text)
    suggested = library.kb.get(result.suggestions[0])
    assert suggested is not None
    first = next(a for a in actions(reply) if a.startswith("q:"))
    _, [opened] = await press(emu, reply, first)
    assert_answer(opened, suggested, "ru")


@needs_entries
async def test_language_choice_is_kept_after_a_restart(
    settings: Settings, emu: BotAPIEmulator
) -> None:
    async with running(settings) as application:
        [menu] = await ask(emu, "/language", lang="ru")
        assert actions(menu) == ["l:kk", "l:ru", "l:en", "l:auto"]
        callback, [confirmation] = await press(emu, menu, "l:en")
        assert callback["text"] == confirmation.plain_text
        entry = dialog_of(application).library.kb.get("relatives-same-agency")
        assert entry is not None
    with pytest.raises(sqlite3.ProgrammingError):  # post_shutdown closed the store
        dialog_of(application).store.db.execute("SELECT 1")
    async with running(settings):
        [answer] = await ask(emu, entry.questions("ru")[0], lang="ru")
        assert_answer(answer, entry, "en")


@needs_entries
async def test_inline_query_offers_shareable_articles(
    app: Application, emu: BotAPIEmulator
) -> None:
    emu.push_inline_query(CHAT, "подарки госслужащим", language_code="ru")
    query_id = emu.updates[-1]["inline_query"]["id"]
    await until(lambda: query_id in emu.inline_answers)
    answer = emu.inline_answers[query_id]
    assert answer["is_personal"] in (True, "true", "True")
    assert int(answer["cache_time"]) <= 60
    results = answer["results"]
    assert results and all(r["type"] == "article" for r in results)
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML" and content["message_text"]


# --------------------------------------------------------------------------- Telegram's limits


async def test_flood_429_is_retried(
    app: Application,
    emu: BotAPIEmulator,
    expect_rejections: set[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")  # PTB's RetryAfter warns about its future type
    expect_rejections.add(429)
    emu.fail_next("sendMessage", 429, retry_after=1)
    emu.push_text(CHAT, "/start", language_code="en")
    await emu.wait_for(lambda r: r.chat_id == CHAT and r.ok)
    assert [r.status for r in emu.calls("sendMessage")] == [429, 200]


async def test_a_reply_refused_by_a_server_error_is_sent_again(
    app: Application,
    emu: BotAPIEmulator,
    expect_rejections: set[int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A 500 and a 502 (Telegram answered: nothing was delivered) are retried; the user gets
    the answer."""
    monkeypatch.setattr(ratelimit, "SERVER_BACKOFF", 0.01)
    expect_rejections.update({500, 502})
    emu.fail_next("sendMessage", 500)
    emu.fail_next("sendMessage", 502)
    emu.push_text(CHAT, "/help", language_code="en")
    answer = await emu.wait_for(lambda r: r.chat_id == CHAT and r.ok)
    assert "/topics" in (answer.plain_text or "")
    assert [r.status for r in emu.calls("sendMessage")] == [500, 502, 200]


async def test_a_reply_whose_connection_dropped_is_not_sent_twice_and_warned_about(
    app: Application, emu: BotAPIEmulator, caplog: pytest.LogCaptureFixture
) -> None:
    """The connection dropped after Telegram took the message: it may have arrived, so it is
    not sent again, and the log says so in a warning, not as a failure."""
    emu.drop_next("sendMessage")
    emu.push_text(CHAT, "/help", language_code="en")
    await until(lambda: any("may have been delivered" in r.getMessage() for r in caplog.records))
    assert [r.status for r in emu.calls("sendMessage")] == [200]
    assert [
        (record.levelname, record.getMessage())
        for record in caplog.records
        if record.name == "bot.telegram.handlers"
    ] == [
        (
            "WARNING",
            "a message's reply may have been delivered, not sent again: NetworkError: "
            "httpx.RemoteProtocolError: Server disconnected without sending a response.",
        )
    ]


@pytest.mark.logs_errors
async def test_a_failed_update_is_logged_and_the_bot_keeps_running(
    app: Application,
    emu: BotAPIEmulator,
    expect_rejections: set[int],
    caplog: pytest.LogCaptureFixture,
) -> None:
    expect_rejections.add(400)
    emu.fail_next("sendMessage", 400, "Bad Request: message is too long")
    emu.push_text(CHAT, "/help", language_code="en")
    await emu.wait_for(lambda r: r.chat_id == CHAT and r.error_code == 400)
    [answer] = await ask(emu, "/help", lang="en")
    assert answer.ok and "/topics" in (answer.plain_text or "")
    assert [
        record.getMessage()
        for record in caplog.records
        if record.name == "bot.telegram.handlers" and record.levelname == "ERROR"
    ] == ["a message failed: BadRequest: Message is too long"]


@pytest.fixture
def long_kb(small_kb: Path) -> Path:
    """The small base plus an entry whose reply (answer and sources) exceeds one message."""
    paragraph = " ".join(["Lorem ipsum **dolor** sit amet & <consectetur> adipiscing elit."] * 5)
    answer = "\n\n".join([paragraph] * 12)
    while visible_length(f"{answer} pad (en)") <= MessageLimit.MAX_TEXT_LENGTH:
        answer += " pad"  # as long as an answer may be: the sources make the reply longer
    answer = answer.replace("\n\n", "\n\n      ")  # indented for the YAML block scalar
    (small_kb / "long.yaml").write_text(
        entry_yaml("long-answer", "about", answer=answer), encoding="utf-8"
    )
    return small_kb


async def test_long_answer_is_split_into_valid_parts(
    settings: Settings, long_kb: Path, emu: BotAPIEmulator
) -> None:
    settings = replace(settings, knowledge_dir=long_kb)
    # the expected reply from a dialog of its own: the running bot's is used by its worker only
    reply = build_dialog(settings, Store(":memory:")).handle_message(
        UserRef(1, 1, "en"), "/start long-answer"
    )
    assert visible_length(reply[0].text) > MessageLimit.MAX_TEXT_LENGTH
    async with running(settings):
        mark = len(emu.sent)
        emu.push_text(CHAT, "/start long-answer", language_code="en")
        await emu.wait_for(lambda r: r.chat_id == CHAT and r.reply_markup is not None, after=mark)
    parts = emu.messages_to(CHAT)
    assert len(parts) >= 2 and all(p.ok for p in parts)
    assert [bool(p.reply_markup) for p in parts] == [False] * (len(parts) - 1) + [True]
    text = "\n\n".join(p.plain_text or "" for p in parts)
    assert all(utf16_len(p.plain_text or "") <= MessageLimit.MAX_TEXT_LENGTH for p in parts)
    assert text == parse_html(to_html(reply[0].text))[0]


@pytest.mark.parametrize(
    "text",
    [
        "<b>bold?</b> <script>alert('x')</script> &amp; & </i>",
        ("Подарок <b> & " * 300)[:4000],
        "😀🙏🔥",
        "\u200b\u200c\u200d\ufeff",
        "/start <b>&",
    ],
    ids=["html", "4000-chars", "emoji", "zero-width", "start-payload"],
)
async def test_hostile_input_gets_valid_answers(
    app: Application, emu: BotAPIEmulator, text: str
) -> None:
    [answer] = await ask(emu, text)
    assert answer.ok and answer.plain_text


async def test_sticker_gets_a_text_only_notice(app: Application, emu: BotAPIEmulator) -> None:
    mark = len(emu.sent)
    emu.push_sticker(CHAT, language_code="en")
    [notice] = await replies(emu, CHAT, mark)
    [expected] = await on_worker(
        app, lambda: dialog_of(app).handle_non_text(UserRef(CHAT + 1, CHAT + 1, "en"))
    )
    assert notice.ok and notice.plain_text == expected.text


# --------------------------------------------------------------------------- blocking


async def test_blocking_and_unblocking_the_bot(app: Application, emu: BotAPIEmulator) -> None:
    store = dialog_of(app).store
    await ask(emu, "/start")
    emu.push_my_chat_member(CHAT, "kicked")
    await until(lambda: not store.is_active(CHAT))
    emu.push_my_chat_member(CHAT, "member")
    await until(lambda: store.is_active(CHAT))


async def test_send_refused_with_403_marks_the_user_inactive(
    app: Application, emu: BotAPIEmulator, expect_rejections: set[int]
) -> None:
    expect_rejections.add(403)
    store = dialog_of(app).store
    emu.block(CHAT)
    emu.push_text(CHAT, "/help")
    await emu.wait_for(lambda r: r.chat_id == CHAT and r.error_code == 403)
    await until(lambda: not store.is_active(CHAT))


# --------------------------------------------------------------------------- webhook


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_checks_the_secret_token_and_refuses_malformed_bodies(
    settings: Settings, emu: BotAPIEmulator
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/adal-hook"
    settings = replace(
        settings,
        webhook_url=url,
        webhook_secret="s3cret-token",
        webhook_listen="127.0.0.1",
        webhook_port=port,
    )
    async with serving(settings), aiohttp.ClientSession() as session:
        assert emu.webhook_url == url and emu.webhook_secret == "s3cret-token"
        update_id = emu.push_text(CHAT, "/help", language_code="en")
        assert await emu.post_update_to(url, update_id, "wrong") == 403
        assert await emu.post_update_to(url, update_id) == 403
        secret = {SECRET_HEADER: "s3cret-token", "Content-Type": "application/json"}
        for body in (b"{not json", b"[1, 2]", b'{"update_id": "x", "message": 5}', b"\xff"):
            async with session.post(url, data=body, headers=secret) as response:
                assert response.status == 400, body
        assert await emu.post_update_to(url, update_id, "s3cret-token") == 200
        [help_message] = await replies(emu, CHAT, 0)
        assert help_message.ok and "/topics" in (help_message.plain_text or "")
        assert len(emu.messages_to(CHAT)) == 1
        base = f"http://127.0.0.1:{port}"
        async with session.get(f"{base}/healthz") as response:
            health = await response.json()
            assert response.status == 200 and health["database_writable"] is True
            assert health["entries"] > 0 and health["role"] == "active"
        async with session.get(f"{base}/metrics") as response:
            metrics = await response.text()
        assert response.status == 200
        assert "adal_messages_total 1" in metrics and "adal_outbox_backlog 0" in metrics
        assert "adal_case_mail_backlog 0" in metrics and "adal_case_mail_failed 0" in metrics
        assert 'adal_questions_total{outcome="answer"}' in metrics


# --------------------------------------------------------------------------- the real command


def test_adal_bot_run_polls_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    with BotAPIEmulator() as emulator:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": emulator.token,
            "TELEGRAM_API_URL": emulator.base_url,
            "ADAL_DB": str(tmp_path / "adal.db"),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            emulator.push_text(CHAT, "/help", language_code="en")
            emulator.wait_for_sync(lambda r: r.chat_id == CHAT and r.ok, timeout=30)
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0, stderr
        assert emulator.commands and not emulator.rejected
