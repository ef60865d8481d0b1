"""The terminal chat, driven through stdin/stdout like a person would."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console import CONSOLE_CHAT_ID, run_console
from bot.store import Store

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
    assert "  [2] ✅ Gifts" in output and "  [5] Weekly digest" in output
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
