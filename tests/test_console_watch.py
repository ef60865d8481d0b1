"""The terminal chat watches ``knowledge/`` in a thread of its own: it answers from the live
base while a new one builds, then from the new one, and says once, in the user's language,
that it is live or that an edit is broken and the old base stays."""

from __future__ import annotations

import io
import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest

from bot import console
from bot.config import Settings
from bot.console import BaseWatcher, Console, run_console
from bot.dialog import build_dialog
from bot.library import RELOAD_INTERVAL, Library, Reload, base_version
from bot.store import Store
from tests.helpers.kb_edits import hold_builds, save

QUESTION = "Что умеет этот бот?"  # about-bot's
OLD_ANSWER = "Я — Адал, бот,"
NEW_ANSWER = "Я — Адал (зебра-квокка), бот,"
WAIT = 30.0  # seconds a reply or a build may take on a busy machine


class Screen(io.StringIO):
    """The terminal: what the chat printed, handed over at each flush (after each line)."""

    def __init__(self) -> None:
        super().__init__()
        self.flushed: queue.SimpleQueue[str] = queue.SimpleQueue()

    def flush(self) -> None:
        super().flush()
        self.flushed.put(self.getvalue())


class Terminal:
    """A person at the terminal chat of ``run_console``, running in a thread of its own."""

    def __init__(self, settings: Settings) -> None:
        read, write = os.pipe()
        self.stdin = os.fdopen(read, encoding="utf-8")
        self.keys = os.fdopen(write, "w", encoding="utf-8")
        self.screen = Screen()
        self.seen = 0
        streams = {"stdin": self.stdin, "stdout": self.screen}
        self.chat = threading.Thread(target=run_console, args=(settings,), kwargs=streams)
        self.chat.start()

    def say(self, line: str) -> str:
        """Type ``line``; what the chat printed for it."""
        self.keys.write(line + "\n")
        self.keys.flush()
        shown = self.screen.flushed.get(timeout=WAIT)
        new, self.seen = shown[self.seen :], len(shown)
        return new

    def close(self) -> None:
        """End the input and wait for the chat to end."""
        self.keys.close()
        self.chat.join()
        self.stdin.close()


def edit_the_answer(root: Path) -> None:
    path = root / "about.yaml"
    save(path, path.read_text(encoding="utf-8").replace(OLD_ANSWER, NEW_ANSWER, 1))


@pytest.fixture
def watchers(monkeypatch: pytest.MonkeyPatch) -> list[BaseWatcher]:
    """The watchers the terminal chat starts, looking every 10 ms."""
    started: list[BaseWatcher] = []

    class Watcher(BaseWatcher):
        def start(self) -> None:
            started.append(self)
            super().start()

    monkeypatch.setattr(console, "RELOAD_INTERVAL", 0.01)
    monkeypatch.setattr(console, "BaseWatcher", Watcher)
    return started


@pytest.fixture
def russian_terminal(
    kb_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Terminal]:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    terminal = Terminal(Settings(db_path=tmp_path / "adal.db", knowledge_dir=kb_copy))
    yield terminal
    terminal.close()


def test_the_chat_answers_while_a_new_base_builds_then_answers_from_it(
    watchers: list[BaseWatcher],
    russian_terminal: Terminal,
    kb_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Round 36's probe: after an edit, the terminal chat's next reply waited 10–13 s for the
    new base, built in the chat's own thread. Now a watcher thread builds it (held half way
    here) while the chat answers from the live base; once it is done, the chat says so once,
    in Russian, and answers from it."""
    terminal = russian_terminal
    assert OLD_ANSWER in terminal.say(QUESTION)
    building, release = hold_builds(monkeypatch)
    edit_the_answer(kb_copy)
    assert building.wait(WAIT)  # the watcher found the edit, with nothing typed
    during = terminal.say(QUESTION)
    assert OLD_ANSWER in during and "Работает версия" not in during
    (watcher,) = watchers
    watcher.stop()  # no look after the one under way
    release.set()
    watcher.join()
    after = terminal.say(QUESTION)
    assert after.startswith(f"Работает версия {base_version(kb_copy)} базы знаний.")
    assert "~ about-bot: ru" in after and NEW_ANSWER in after
    assert "Работает версия" not in terminal.say(QUESTION)  # said once


@pytest.mark.logs_errors
def test_a_broken_edit_is_told_once_and_the_old_base_stays(
    kb_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "kk_KZ.UTF-8")
    dialog = build_dialog(Settings(knowledge_dir=kb_copy), Store(":memory:"))
    watcher = BaseWatcher(dialog.library, interval=RELOAD_INTERVAL)
    chat = Console(dialog, io.StringIO(), watcher)
    version = dialog.library.version
    save(kb_copy / "about.yaml", "- id: [broken")
    watcher.look()
    (alert,) = chat.base_news()
    assert alert.text.startswith("Білім қорындағы өзгерісте қателер бар (1)")
    assert f"{dialog.library.base} нұсқасы жұмыс істеп тұр" in alert.text
    assert "about.yaml:1" in alert.text and dialog.library.version == version
    assert chat.base_news() == []  # told once


@pytest.mark.logs_errors
def test_a_look_that_fails_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    """The watcher's thread goes on looking after a failed look (a bug, say)."""

    class Failing:
        def refresh(self) -> Reload:
            raise RuntimeError("bug")

    watcher = BaseWatcher(cast(Library, Failing()), interval=RELOAD_INTERVAL)
    watcher.look()
    assert "knowledge base not looked at" in caplog.text and watcher.taken() == []
