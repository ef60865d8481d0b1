"""The terminal chat: a REPL over the dialog core, buttons shown numbered.

It keeps its own database (``data/console.db``) unless ``ADAL_DB`` names one, and its local
user gets update notices as a Telegram subscriber does: notices whose time has come are
enqueued, and the local user's outbox rows are printed after each reply (and at the start).
Edits of ``knowledge/`` are watched and built into a new base in a thread of its own
(:class:`BaseWatcher`), as the Telegram bot's reload job does: the chat keeps answering from
the live base meanwhile and says, before its next reply, that the new version is live (or
that the edit has problems and the old base stays).
"""

from __future__ import annotations

import logging
import os
import queue
import re
import sys
import threading
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.dialog import Button, Dialog, Reply, UserRef, build_dialog
from bot.dialog.choices import no_such_button, typed_number
from bot.dialog.notice_replies import render_deliveries
from bot.dialog.reply import replace_row, split_language
from bot.dialog.turn import MAX_INPUT, Transport
from bot.i18n import N_
from bot.kb import DEFAULT_LANG
from bot.kb.markup import to_plain
from bot.library import RELOAD_INTERVAL, Library, Reload
from bot.notices import publish_due

log = logging.getLogger(__name__)

CONSOLE_CHAT_ID = 1
CONSOLE_DB = Path("data/console.db")
QUIT = {"/quit", "/exit"}
TRANSPORT = Transport(
    commands=(("quit", N_("Leave the chat")),),
    buttons_hint=N_("To press a button, type its number."),
    relays=False,  # nobody else to write to: asking an expert is off (and /ask says so)
)


def _client_lang() -> str | None:
    """The terminal's language: the first of LANGUAGE (``kk:ru``) or LANG (``kk_KZ.UTF-8``)."""
    value = os.environ.get("LANGUAGE") or os.environ.get("LANG") or ""
    return re.split(r"[:_.@]", value, maxsplit=1)[0].lower() or None


def console_settings(settings: Settings, env: Mapping[str, str] = os.environ) -> Settings:
    """``settings`` with the terminal chat's own database when ``ADAL_DB`` does not name one,
    so that trying the bot leaves the Telegram bot's users and outbox alone; and without
    experts (they are reached in Telegram only)."""
    settings = replace(settings, experts=frozenset())
    if env.get("ADAL_DB", "").strip() or settings.db_path != Settings().db_path:
        return settings
    return replace(settings, db_path=CONSOLE_DB)


class BaseWatcher:
    """Looks at ``knowledge/`` every ``interval`` seconds in a daemon thread of its own, which
    also builds any new base (:meth:`Library.refresh`); keeps what a look found worth telling
    (a new version live, a broken edit, a fix) for the chat to take between messages."""

    def __init__(self, library: Library, interval: float) -> None:
        self.library = library
        self.interval = interval
        self._found: queue.SimpleQueue[Reload] = queue.SimpleQueue()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="knowledge-watch", daemon=True)

    def start(self) -> None:
        """Start looking (the first look after one interval)."""
        self._thread.start()

    def stop(self) -> None:
        """Look no more; a build under way is not waited for (see :meth:`join`)."""
        self._stopped.set()

    def join(self) -> None:
        """Wait until the thread has ended (after :meth:`stop`)."""
        self._thread.join()

    def look(self) -> None:
        """One look at the base, in the calling thread; a failure is logged, not raised."""
        try:
            reload = self.library.refresh()
        except Exception:
            log.exception("knowledge base not looked at")
            return
        if reload.status == "reloaded" or reload.alert or reload.fixed:
            self._found.put(reload)

    def taken(self) -> list[Reload]:
        """What the looks found since the last call, oldest first."""
        found = []
        while not self._found.empty():
            found.append(self._found.get())
        return found

    def _watch(self) -> None:
        while not self._stopped.wait(self.interval):
            self.look()


class Console:
    """Reads lines, sends them to the dialog and prints the replies; a number presses a button."""

    def __init__(self, dialog: Dialog, out: TextIO, watcher: BaseWatcher | None = None) -> None:
        self.dialog = dialog
        self.dialog.transport = TRANSPORT
        self.out = out
        self.watcher = watcher  # None: edits of the base wait for /reload
        self.user = UserRef(CONSOLE_CHAT_ID, CONSOLE_CHAT_ID, _client_lang(), is_admin=True)
        self.buttons: list[Button] = []
        self.rows: list[tuple[Button, ...]] = []  # the rows of the buttons shown
        self.greeted = False  # the greeting is the last thing shown, nothing typed since

    def show(self, replies: list[Reply]) -> None:
        """Print replies; remember their buttons, numbered from 1 (an edit's buttons too). A
        pop-up alone leaves the buttons shown as they were, as Telegram's keyboard stays."""
        if any(reply.text or reply.buttons for reply in replies):
            self.buttons = []
            self.rows = [row for reply in replies for row in reply.buttons]
        for reply in replies:
            if reply.toast and reply.toast != reply.text:  # Telegram shows it as a pop-up
                print(f"({reply.toast})", file=self.out)
            if reply.text:
                print(to_plain(reply.text), file=self.out)
            for row in reply.buttons:
                for button in row:
                    self.buttons.append(button)
                    print(f"  [{len(self.buttons)}] {button.label}", file=self.out)
            print(file=self.out)

    def notices(self) -> list[Reply]:
        """The local user's notices that are due, taken from the outbox as the Telegram sender
        takes them (claimed, then marked sent); notices whose time has come are enqueued first.
        Rows of a notice left out of the base for a problem wait until it is fixed."""
        store, now = self.dialog.store, datetime.now(UTC)
        publish_due(store, self.dialog.library.kb, now, DEFAULT_LANG)
        messages: list[Reply] = []
        after = 0
        while rows := store.ready_deliveries(now, after_id=after):
            after = rows[-1].id
            for row in rows:
                if row.chat_id != self.user.chat_id:
                    continue  # another chat's (ADAL_DB shared with the Telegram bot)
                batch = store.digest_batch(row.chat_id, now) if row.digest else [row]
                kb = self.dialog.library.kb
                batch = [r for r in batch if not kb.may_return(r.notice_id)]  # they wait
                ids = [r.id for r in batch]
                if not ids or not store.claim(ids):
                    continue  # a digest printed with an earlier row, or rows that wait
                message = render_deliveries(self.dialog, batch)
                if message is None:
                    store.finish(ids, "skipped", now=now, error="notice removed from the base")
                else:
                    messages.append(message)
                    store.finish(ids, "sent", now=now)
        return messages

    def send(self, line: str) -> None:
        """Handle one typed line, after what the watcher found since the last one (a new base
        live, a broken edit), then print the notices that came meanwhile. A /start typed right
        after the greeting is the one the chat opened with: not answered twice."""
        greeted, self.greeted = self.greeted, False
        if greeted and line.strip().lower() == "/start":
            return
        number = typed_number(line) if self.buttons else None  # "3", "№3", "вариант 3"
        if number is not None and not 0 < number <= len(self.buttons):
            self._no_such_button(number)  # the buttons shown stay the ones to press
            return
        news = self.base_news()
        if number is not None:
            button = self.buttons[number - 1]
            replies = [
                self._edited(reply, button) if reply.in_place else reply
                for reply in self.dialog.handle_button(self.user, button.action)
            ]
        else:
            replies = self.dialog.handle_message(self.user, line)
            replies = self._cut(line) + replies  # in the language the line is answered in
        self.show(news + replies + self.notices())

    def _cut(self, line: str) -> list[Reply]:
        """A line longer than a message is read cut (:data:`MAX_INPUT`): say so, in the
        user's language (the one just written in)."""
        if not line[MAX_INPUT:].strip():
            return []
        _ = self.dialog.turn(self.user)._
        return [
            Reply(_("I read only the first {limit} characters of your message.", limit=MAX_INPUT))
        ]

    def base_news(self) -> list[Reply]:
        """What the dialog tells the local user about the watcher's looks since the last line,
        in their language."""
        found = self.watcher.taken() if self.watcher else []
        return [reply for reload in found for reply in self.dialog.reloaded(self.user, reload)]

    def _no_such_button(self, number: int) -> None:
        """Say so, in the language of the message whose buttons are shown."""
        _ = self.dialog.turn(self.user).answering(split_language(self.buttons[0].action)[1])._
        print(no_such_button(_, number, len(self.buttons)) + "\n", file=self.out)

    def _edited(self, reply: Reply, pressed: Button) -> Reply:
        """An in-place edit as the whole keyboard shown: the pressed button's row replaced,
        so the other buttons keep their numbers."""
        rows = replace_row(self.rows, lambda button: button is pressed, reply.buttons)
        return replace(reply, buttons=tuple(tuple(row) for row in rows), in_place=False)

    def loop(self, lines: TextIO, *, prompt: bool) -> None:
        """Greet (with the notices due), then run until end of input or /quit."""
        self.show(self.dialog.handle_message(self.user, "/start") + self.notices())
        self.greeted = True
        while True:
            if prompt:
                print("> ", end="", file=self.out, flush=True)
            line = lines.readline()
            if not line or line.strip().lower() in QUIT:  # /QUIT too, as /HELP
                break
            self.send(line)
            self.out.flush()


def run_console(
    settings: Settings, *, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> None:
    """Open the dialog over ``settings`` (see :func:`console_settings`) and chat on
    stdin/stdout."""
    stdin = stdin or sys.stdin
    dialog = build_dialog(console_settings(settings))
    watcher = BaseWatcher(dialog.library, RELOAD_INTERVAL)
    watcher.start()
    try:
        Console(dialog, stdout or sys.stdout, watcher).loop(stdin, prompt=stdin.isatty())
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        dialog.store.close()
