"""The dialog core: routes messages, commands and buttons to features; picks the language."""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from bot.config import Settings
from bot.dialog.reply import InlineResult, Reply, UserRef
from bot.i18n import Catalogs, Translate
from bot.kb import LANGS, KnowledgeBase, Lang
from bot.library import Library
from bot.matching import Matcher
from bot.store import Store

log = logging.getLogger(__name__)

DEFAULT_LANG: Lang = "ru"
RELOAD_INTERVAL = 2.0  # seconds between checks of knowledge/ for edits
MAX_INPUT = 4096
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
_INVISIBLE = {"Cf", "Cc", "Cs", "Co", "Cn"}


def clean_text(text: str) -> str:
    """User text with invisible and control characters removed (newlines kept), trimmed."""
    text = "".join(ch for ch in text[:MAX_INPUT]
                   if ch in "\n\t" or unicodedata.category(ch) not in _INVISIBLE)
    return text.strip()


@dataclass(frozen=True)
class Turn:
    """One incoming event with everything a handler needs."""

    user: UserRef
    lang: Lang
    _: Translate
    kb: KnowledgeBase
    matcher: Matcher
    store: Store
    catalogs: Catalogs

    def in_lang(self, lang: Lang) -> Turn:
        """The same turn, speaking ``lang``."""
        return replace(self, lang=lang, _=self.catalogs.translator(lang))


CommandHandler = Callable[[Turn, str], list[Reply]]
ButtonHandler = Callable[[Turn, str], list[Reply]]


@dataclass(frozen=True)
class Command:
    """A slash command: its handler, whether only admins may use it, its menu description."""

    name: str
    handler: CommandHandler
    description: str | None = None  # msgid; None keeps it out of the command menu
    admin: bool = False


class Feature(Protocol):
    """A part of the conversation: the commands and button prefixes it answers."""

    def commands(self) -> list[Command]:
        """Slash commands this feature handles."""
        ...

    def buttons(self) -> dict[str, ButtonHandler]:
        """Button action prefixes (before the first ``:``) this feature handles."""
        ...


class Dialog:
    """The conversation over a live knowledge base; adapters call the ``handle_*`` methods."""

    def __init__(self, library: Library, store: Store, catalogs: Catalogs,
                 features: list[Feature] | None = None) -> None:
        from bot.dialog.answers import Answers

        self.library = library
        self.store = store
        self.catalogs = catalogs
        self.answers = Answers()
        self._commands: dict[str, Command] = {}
        self._buttons: dict[str, ButtonHandler] = {}
        self._last_reload_check = time.monotonic()
        for feature in [self.answers, *(features or [])]:
            self.add_feature(feature)

    def add_feature(self, feature: Feature) -> None:
        """Register a feature's commands and buttons."""
        self._commands.update({c.name: c for c in feature.commands()})
        self._buttons.update(feature.buttons())

    # language and context -------------------------------------------------------------------

    def language(self, user: UserRef, detected: Lang | None = None) -> Lang:
        """The reply language: the user's choice, else the question's, else the client's."""
        chosen = self.store.language(user.chat_id)
        if chosen:
            return chosen
        if detected:
            return detected
        client = (user.client_lang or "").split("-")[0].lower()
        return client if client in LANGS else DEFAULT_LANG  # type: ignore[return-value]

    def turn(self, user: UserRef, lang: Lang) -> Turn:
        """The context of one event in ``lang``."""
        return Turn(user, lang, self.catalogs.translator(lang), self.library.kb,
                    self.library.matcher, self.store, self.catalogs)

    def _refresh(self, user: UserRef) -> None:
        self.store.touch_user(user.chat_id, user.user_id, user.client_lang)
        now = time.monotonic()
        if now - self._last_reload_check >= RELOAD_INTERVAL:
            self._last_reload_check = now
            self.library.reload_if_changed()

    # events ---------------------------------------------------------------------------------

    def handle_message(self, user: UserRef, text: str) -> list[Reply]:
        """A text message: a command (``/name args``) or a question. Never raises."""
        try:
            self._refresh(user)
            text = clean_text(text)
            command = _COMMAND_RE.match(text)
            if command:
                return self._command(user, command.group(1).lower(), command.group(2) or "")
            return self.answers.question(self, user, text)
        except Exception:
            log.exception("dialog failed on a message from chat %s", user.chat_id)
            return self._failure(user)

    def handle_button(self, user: UserRef, action: str) -> list[Reply]:
        """A pressed button (its callback data). Never raises."""
        try:
            self._refresh(user)
            prefix, _, payload = action.partition(":")
            handler = self._buttons.get(prefix)
            turn = self.turn(user, self.language(user))
            if handler is None:
                return [Reply("", toast=turn._("This button is out of date."))]
            return handler(turn, payload)
        except Exception:
            log.exception("dialog failed on button %r from chat %s", action, user.chat_id)
            return self._failure(user)

    def handle_non_text(self, user: UserRef) -> list[Reply]:
        """A sticker, photo, voice message or file."""
        self._refresh(user)
        _ = self.turn(user, self.language(user))._
        return [Reply(_("I can only read text messages. Please type your question."))]

    def handle_inline(self, user: UserRef, query: str) -> list[InlineResult]:
        """Entries offered for ``@bot query`` in any chat."""
        query = clean_text(query)
        if not query:
            return []
        turn = self.turn(user, self.language(user, self.library.matcher.match(query).lang))
        return self.answers.inline(turn, query)

    def set_active(self, user: UserRef, active: bool) -> None:
        """The user blocked (False) or unblocked (True) the bot."""
        self.store.set_active(user.chat_id, active)

    def menu(self, lang: Lang, *, admin: bool = False) -> list[tuple[str, str]]:
        """(command, description) pairs for the command menu in ``lang``."""
        _ = self.catalogs.translator(lang)
        return [(c.name, _(c.description)) for c in self._commands.values()
                if c.description and (admin or not c.admin)]

    def _command(self, user: UserRef, name: str, args: str) -> list[Reply]:
        command = self._commands.get(name)
        turn = self.turn(user, self.language(user))
        if command is None or (command.admin and not user.is_admin):
            return self.answers.unknown_command(turn)
        return command.handler(turn, args.strip())

    def _failure(self, user: UserRef) -> list[Reply]:
        try:
            lang = self.language(user)
        except Exception:
            lang = DEFAULT_LANG
        _ = self.catalogs.translator(lang)
        return [Reply(_("Something went wrong on my side. Please try again."))]


def build_dialog(settings: Settings, store: Store | None = None) -> Dialog:
    """Open the store, load the knowledge base and catalogs, and assemble the dialog."""
    from bot.dialog.subscriptions import NoticeAdmin, Subscriptions

    store = store or Store(settings.db_path)
    return Dialog(Library(settings.knowledge_dir), store, Catalogs(settings.locales_dir),
                  [Subscriptions(), NoticeAdmin()])
