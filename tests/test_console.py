"""The terminal chat, driven through stdin/stdout like a person would."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console import CONSOLE_CHAT_ID, CONSOLE_DB, Console, console_settings, run_console
from bot.dialog import Button, Reply, build_dialog
from bot.dialog.turn import MAX_INPUT
from bot.matching import Matcher
from bot.store import Store
from tests.conftest import answered_with_a_sibling

ROOT = Path(__file__).resolve().parent.parent


def chat(tmp_path: Path, *lines: str, knowledge: Path | None = None) -> str:
    out = io.StringIO()
    settings = Settings(db_path=tmp_path / "adal.db")
    if knowledge is not None:
        settings = replace(settings, knowledge_dir=knowledge)
    run_console(settings, stdin=io.StringIO("".join(f"{line}\n" for line in lines)), stdout=out)
    return out.getvalue()


def test_start_then_question_then_number_presses_button(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    output = chat(tmp_path, "Can a civil servant accept a gift?", "/language", "2")
    assert output.startswith("Hello! I am Adal.")
    assert "  [1] " in output and "Sources:" in output
    assert "👍" in output
    assert "Choose your language:" in output
    assert "Теперь я буду отвечать на русском языке." in output


def test_start_typed_first_does_not_greet_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chat opens with the /start reply: a /start typed next is that one (before, the
    greeting and its examples were printed twice); one typed later greets again."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    output = chat(tmp_path, "/start", "1")
    assert output.count("Hello! I am Adal.") == 1
    assert "Sources:" in output  # the greeting's example buttons are still the ones to press
    assert chat(tmp_path, "/topics", "/START").count("Hello! I am Adal.") == 2


def test_a_number_with_no_such_button_says_so_and_a_long_one_is_a_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    output = chat(tmp_path, "/language", "99", "0", "380")
    buttons = len(re.findall(r"^  \[\d+\] ", output.split("Choose your language:")[1], re.M))
    expected = f"type a number from 1 to {buttons}, or your question."
    assert f"There is no button 99: {expected}" in output
    assert f"There is no button 0: {expected}" in output
    assert "There is no button 380" not in output  # an article number: a question


def test_no_such_button_is_said_in_the_language_of_the_buttons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Russian terminal, an English question: its buttons, and the word that there is no
    such button, are English (before, the terminal's language: Russian)."""
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    output = chat(tmp_path, "Can a civil servant accept a gift?", "99")
    assert "There is no button 99: type a number from 1 to " in output
    assert "Кнопки 99 нет" not in output


@pytest.mark.parametrize(
    ("language", "lang"), [("kk:ru", "kk_KZ.UTF-8"), ("", "kk_KZ.UTF-8"), ("kk", "en_US.UTF-8")]
)
def test_terminal_language_comes_from_language_or_lang(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str, lang: str
) -> None:
    monkeypatch.setenv("LANGUAGE", language)
    monkeypatch.setenv("LANG", lang)
    assert chat(tmp_path).startswith("Сәлеметсіз бе! Мен — Адал.")


def test_language_choice_survives_restart(tmp_path: Path) -> None:
    chat(tmp_path, "/language en")
    assert "Choose a topic:" in chat(tmp_path, "/topics")


def test_subscriptions_work_in_the_terminal(
    tmp_path: Path, small_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    output = chat(
        tmp_path,
        "/subscribe gifts",
        "/subscriptions",
        "2",
        "/subscribe all",
        "/unsubscribe",
        knowledge=small_kb,
    )
    assert "You are subscribed to “Gifts”." in output
    assert "  [2] ✅ Gifts" in output and "  [5] Daily digest\n  [6] Weekly digest" in output
    assert "(You are unsubscribed from “Gifts”.)" in output  # the pressed button's notice
    assert "You are subscribed to notices on all topics." in output
    assert "You will get no more notices." in output
    store = Store(tmp_path / "adal.db")
    assert store.subscriptions(CONSOLE_CHAT_ID) == set()
    store.close()


def test_quit_and_hostile_lines(tmp_path: Path) -> None:
    output = chat(tmp_path, "😂", "<b>", "99", "/quit", "never read")
    assert "never read" not in output
    assert output.count("\n\n") >= 4


def test_a_line_longer_than_a_message_is_read_cut_and_the_chat_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A probe: a 4,557-character line whose question came last was cut to 4,096 characters
    without a word ("I don't know" followed). It is still cut, and the chat says so, in the
    language of the line; a line of 4,096 characters is read whole, as before."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    story = "Мой начальник сказал, что так делают все, и я не знаю, что мне теперь делать. "
    long = (story * 60)[:MAX_INPUT] + "Можно ли принять подарок?"
    output = chat(tmp_path, long, "x" * MAX_INPUT + "   ", "Can I accept a gift?")
    assert output.count(f"Я прочитал только первые {MAX_INPUT} знаков вашего сообщения.") == 1
    assert "characters of your message" not in output


@pytest.mark.parametrize("typed", ["/QUIT", "/Quit", "/EXIT"])
def test_quit_in_any_case_quits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    """Round 39's probe: "/QUIT" got "I don't know this command", though "/HELP" works."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    output = chat(tmp_path, typed, "/topics")
    assert "I don't know this command" not in output and "Choose a topic" not in output


def test_adal_bot_without_token_opens_terminal_chat(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env.update(ADAL_DB=str(tmp_path / "adal.db"), LANG="ru_RU.UTF-8")
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        input="/help\n",
        text=True,
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Здравствуйте! Я — Адал.")
    assert "/topics — " in done.stdout and "/subscribe — " in done.stdout
    assert (tmp_path / "adal.db").exists()


def button_number(output: str, label: str) -> str:
    """The number to type for the last button shown with ``label``."""
    return re.findall(rf"^  \[(\d+)\] {re.escape(label)}$", output, re.MULTILINE)[-1]


def test_the_terminal_keeps_its_own_database_unless_adal_db_names_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert console_settings(Settings(), {}).db_path == CONSOLE_DB == Path("data/console.db")
    assert console_settings(Settings(), {"ADAL_DB": "data/adal.db"}).db_path == Path("data/adal.db")
    assert console_settings(Settings(db_path=tmp_path / "x.db"), {}).db_path == tmp_path / "x.db"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ADAL_DB", raising=False)
    run_console(Settings(), stdin=io.StringIO("/language en\n"), stdout=io.StringIO())
    assert (tmp_path / "data" / "console.db").exists()
    assert not (tmp_path / "data" / "adal.db").exists()


def test_help_and_greeting_say_how_the_terminal_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    greeting, helped = chat(tmp_path, "/help").split("Ask your question in your own words", 1)
    assert "To press a button, type its number." in greeting
    assert "To press a button, type its number." in helped
    assert "/quit — Leave the chat" in helped and "/subscribe — " in helped


def test_a_notice_sent_by_send_reaches_the_local_user(
    tmp_path: Path, small_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    notice = "gift-rules-to-come"
    (small_kb / "notices").mkdir()
    (small_kb / "notices" / "later.yaml").write_text(
        f"""\
id: {notice}
publish_at: 2099-01-15
topics: [gifts]
kk: {{title: "Сыйлық ережелері өзгереді", body: "Мәтін."}}
ru: {{title: "Правила о подарках изменятся", body: "Текст."}}
en: {{title: "Gift rules will change", body: "The text."}}
""",
        encoding="utf-8",
    )
    output = chat(tmp_path, "/subscribe all", f"/send {notice}", knowledge=small_kb)
    confirm = button_number(output, "✅ Yes, send now")
    output = chat(tmp_path, f"/send {notice}", confirm, "/notices", knowledge=small_kb)
    _, after = output.split("is on its way. Recipients: 1.", 1)
    assert "Gift rules will change" in after.split("Sent")[0]  # printed after the confirmation
    assert f"• {notice} 2099-01-15 09:00: sent 1" in after
    store = Store(tmp_path / "adal.db")
    assert store.delivery_counts()[notice]["sent"] == 1
    store.close()


def test_due_notices_arrive_when_the_chat_starts(
    tmp_path: Path, small_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    chat(tmp_path, "/subscribe gifts", knowledge=small_kb)
    (small_kb / "notices").mkdir()
    (small_kb / "notices" / "due.yaml").write_text(
        """\
id: gift-rules-changed
publish_at: 2024-01-15
topics: [gifts]
kk: {title: "Сыйлық ережелері өзгерді", body: "Мәтін."}
ru: {title: "Правила о подарках изменились", body: "Текст."}
en: {title: "Gift rules changed", body: "The text."}
""",
        encoding="utf-8",
    )
    greeting = chat(tmp_path, knowledge=small_kb)
    assert greeting.startswith("Hello! I am Adal.")
    assert "Gift rules changed\n\nThe text." in greeting
    assert "Gift rules changed" not in chat(tmp_path, knowledge=small_kb)  # exactly once


def test_a_vote_in_the_terminal_replaces_the_vote_buttons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    output = chat(tmp_path, "/start gifts-any-value-ban")
    vote = button_number(output, "👍")
    output = chat(tmp_path, "/start gifts-any-value-ban", vote)
    after = output.rsplit("👎", 1)[1]
    assert "(Thank you for the feedback!)" in after
    assert re.search(r"^  \[\d+\] ✓ Thank you for the feedback!$", after, re.MULTILINE)


def test_after_a_vote_the_other_buttons_keep_their_numbers(
    tmp_path: Path, bundled: Matcher
) -> None:
    """An answer whose sibling comes first: after 👎 the same questions keep their numbers, so a
    number typed from the list above still opens what it showed (before, two swapped)."""
    question = answered_with_a_sibling(bundled, "ru")
    output = chat(tmp_path, question)
    shown = re.findall(r"^  \[(\d+)\] (.+)$", output.split("👎.")[-1], re.M)  # the answer's
    vote = button_number(output, "👎")
    after = chat(tmp_path, question, vote).rsplit("👎", 1)[1]
    kept = re.findall(r"^  \[(\d+)\] (.+)$", after, re.M)
    assert kept[:-1] == [(n, label) for n, label in shown if label not in ("👍", "👎")]
    assert kept[-1][1].startswith("✓ ")


@pytest.mark.parametrize(
    "typed", ["3.", "3)", "№3", "#3", " 3 ", "³", "③", "вариант 3", "option 3", "3-й"]
)
def test_a_button_number_may_be_typed_as_people_number_things(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    output = chat(tmp_path, "/language", typed)  # [3] English
    assert output.endswith("From now on I will answer in English.\n\n")


@pytest.mark.parametrize("typed", ["²", "①", "7" * 5000])
def test_no_line_stops_the_chat(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    """Round 39's probe: "²", "①" or a line of 5,000 digits stopped the chat with a traceback
    (``isdigit()`` takes what ``int()`` refuses), with buttons shown or none."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    output = chat(tmp_path, typed, "/language", "3", typed, "/help")
    assert output.endswith("I give general information with its sources, not legal advice.\n\n")


def test_a_pop_up_alone_leaves_the_buttons_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 39's probe pressed 👍, then its "✓ Thank you" button, which answers with a pop-up
    alone ("already rated"); a "1" typed next got "Please type your question in words" instead
    of the first related question: the pop-up had wiped the buttons shown."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    (tmp_path / "first").mkdir()
    first = chat(tmp_path / "first", "/start gifts-any-value-ban")
    vote = button_number(first, "👍")
    output = chat(tmp_path, "/start gifts-any-value-ban", vote, vote, "1")
    after = output.split("(You have already rated this answer.)\n\n", 1)[1]
    assert "Please type your question in words." not in after
    assert "Sources:" in after  # the first related question's answer


def test_with_one_button_shown_a_wrong_number_is_told_to_type_1(tmp_path: Path) -> None:
    """Round 39's probe: «Кнопки 12 нет: введите число от 1 до 1»."""
    out = io.StringIO()
    console = Console(build_dialog(Settings(db_path=tmp_path / "adal.db")), out)
    console.show([Reply("Pick one.", ((Button("Gifts", "t:gifts"),),)).in_language("en")])
    console.send("12")
    assert out.getvalue().endswith(
        "There is no button 12: type 1 (the only button) or your question.\n\n"
    )


def test_a_related_question_opened_by_its_number_during_a_check_keeps_the_way_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Round 41's probe: at question 2 of the gift check, "what is article 380-1?" got its
    answer with "▶ Back to the check (question 2)"; "2" then opened a related question,
    whose answer had no such button, though /cancel said the check was still open."""
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    output = chat(tmp_path, "/check", "1", "1", "what is article 380-1?", "2", "/cancel")
    answers = output.split("Did this answer help?")[1:]
    assert len(answers) == 2
    assert all("] ▶ Back to the check (question 2)\n" in answer for answer in answers)
    assert output.endswith("The step-by-step check is closed. Ask me anything.\n\n")
