"""The terminal chat: a REPL over the dialog core, buttons shown numbered."""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

from bot.config import Settings
from bot.dialog import Button, Dialog, Reply, UserRef, build_dialog
from bot.kb.markup import to_plain

CONSOLE_CHAT_ID = 1
QUIT = {"/quit", "/exit"}


def _client_lang() -> str | None:
    """The terminal's language: the first of LANGUAGE (``kk:ru``) or LANG (``kk_KZ.UTF-8``)."""
    value = os.environ.get("LANGUAGE") or os.environ.get("LANG") or ""
    return re.split(r"[:_.@]", value, maxsplit=1)[0].lower() or None


class Console:
    """Reads lines, sends them to the dialog and prints the replies; a number presses a button."""

    def __init__(self, dialog: Dialog, out: TextIO) -> None:
        self.dialog = dialog
        self.out = out
        self.user = UserRef(CONSOLE_CHAT_ID, CONSOLE_CHAT_ID, _client_lang(), is_admin=True)
        self.buttons: list[Button] = []

    def show(self, replies: list[Reply]) -> None:
        """Print replies; remember their buttons, numbered from 1."""
        self.buttons = []
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

    def send(self, line: str) -> None:
        """Handle one typed line."""
        choice = line.strip()
        if choice.isdigit() and 0 < int(choice) <= len(self.buttons):
            self.show(self.dialog.handle_button(self.user, self.buttons[int(choice) - 1].action))
        else:
            self.show(self.dialog.handle_message(self.user, line))

    def loop(self, lines: TextIO, *, prompt: bool) -> None:
        """Run until end of input or /quit."""
        self.show(self.dialog.handle_message(self.user, "/start"))
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
    """Open the dialog over ``settings`` and chat on stdin/stdout."""
    stdin = stdin or sys.stdin
    dialog = build_dialog(settings)
    try:
        Console(dialog, stdout or sys.stdout).loop(stdin, prompt=stdin.isatty())
    except KeyboardInterrupt:
        pass
    finally:
        dialog.store.close()
