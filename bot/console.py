"""The terminal chat: a REPL over the dialog core, buttons shown numbered.

It keeps its own database (``data/console.db``) unless ``ADAL_DB`` names one, and its local
user gets update notices as a Telegram subscriber does: notices whose time has come are
enqueued, and the local user's outbox rows are printed after each reply (and at the start).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot.config import Settings
from bot.dialog import Button, Dialog, Reply, UserRef, build_dialog
from bot.dialog.notice_replies import render_deliveries
from bot.dialog.reply import replace_row, split_language
from bot.dialog.turn import Transport
from bot.i18n import N_
from bot.kb import DEFAULT_LANG
from bot.kb.markup import to_plain
from bot.notices import publish_due

CONSOLE_CHAT_ID = 1
CONSOLE_DB = Path("data/console.db")
QUIT = {"/quit", "/exit"}
BUTTON_NUMBER = re.compile(r"^(?:№|#)?\s*(\d+)[.)]?$")  # 3, 3., 3), №3, #3: button 3
BUTTON_DIGITS = (
    2  # a bare number this short, with buttons shown, means a button (380 is a question)
)
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


class Console:
    """Reads lines, sends them to the dialog and prints the replies; a number presses a button."""

    def __init__(self, dialog: Dialog, out: TextIO) -> None:
        self.dialog = dialog
        self.dialog.transport = TRANSPORT
        self.out = out
        self.user = UserRef(CONSOLE_CHAT_ID, CONSOLE_CHAT_ID, _client_lang(), is_admin=True)
        self.buttons: list[Button] = []
        self.rows: list[tuple[Button, ...]] = []  # the rows of the buttons shown
        self.greeted = False  # the greeting is the last thing shown, nothing typed since

    def show(self, replies: list[Reply]) -> None:
        """Print replies; remember their buttons, numbered from 1 (an edit's buttons too)."""
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
        """Handle one typed line, then print the notices that came meanwhile. A /start typed
        right after the greeting is the one the chat opened with: not answered twice."""
        greeted, self.greeted = self.greeted, False
        if greeted and line.strip().lower() == "/start":
            return
        number = BUTTON_NUMBER.match(line.strip())
        choice = number.group(1) if number else line.strip()
        if choice.isdigit() and 0 < int(choice) <= len(self.buttons):
            pressed = self.buttons[int(choice) - 1]
            replies = [
                self._edited(reply, pressed) if reply.in_place else reply
                for reply in self.dialog.handle_button(self.user, pressed.action)
            ]
        elif self.buttons and choice.isdigit() and len(choice) <= BUTTON_DIGITS:
            # in the language of the message whose buttons these are
            _ = self.dialog.turn(self.user).answering(split_language(self.buttons[0].action)[1])._
            text = _(
                "There is no button {number}: type a number from 1 to {count}, or your question.",
                number=int(choice),
                count=len(self.buttons),
            )
            print(text + "\n", file=self.out)  # the buttons shown stay the ones to press
            return
        else:
            replies = self.dialog.handle_message(self.user, line)
        self.show(replies + self.notices())

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
            if not line or line.strip() in QUIT:
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
    try:
        Console(dialog, stdout or sys.stdout).loop(stdin, prompt=stdin.isatty())
    except KeyboardInterrupt:
        pass
    finally:
        dialog.store.close()
