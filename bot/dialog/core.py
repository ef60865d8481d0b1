"""The dialog core: routes messages, commands and buttons to the features plugged into it."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import timedelta
from typing import NamedTuple

from rapidfuzz import fuzz, process

from bot.dialog.choices import no_such_button, typed_number
from bot.dialog.reply import InlineResult, Reply, UserRef, split_language
from bot.dialog.turn import (
    COMMAND_RE,
    ButtonHandler,
    Command,
    Feature,
    Transport,
    Turn,
    captioned,
    clean_text,
    echoed,
    help_text,
)
from bot.i18n import N_, Catalogs
from bot.kb import DEFAULT_LANG, Lang
from bot.kb.markup import escape
from bot.library import Library, Reload
from bot.matching.layout import to_latin_layout
from bot.store import Panel, Store

log = logging.getLogger(__name__)

COMMAND_CUTOFF = 75.0  # similarity (0-100) of an unknown command to one it may misspell
PANEL_TIMEOUT = timedelta(minutes=30)  # a number typed this long after a panel picks none
NOT_TEXT = N_(
    "I can read only text: I cannot open photos, voice messages or files. Please describe "
    "your situation or question in words."
)


class Typed(NamedTuple):
    """A command as a message runs it: its name, lower-cased (an alias's command, an unknown
    one as typed), its arguments, and the language of the alias it was typed as, if any."""

    name: str
    args: str
    lang: Lang | None = None


class Dialog:
    """The conversation over a live knowledge base; adapters call the ``handle_*`` methods.

    ``answerer`` takes every free-text message the ``features`` (asked in order: a step of a
    flow) leave; its commands come first in the menu. ``transport`` is what the adapter adds
    (the terminal's /quit). The dialog never looks at ``knowledge/`` itself: each adapter
    watches it off the dialog's thread (:meth:`Library.refresh`) and, where it tells the user,
    asks :meth:`reloaded` what to say. Every button leaves marked with the language of its
    message (see :mod:`bot.dialog.reply`), and a pressed one is answered in that language.

    The buttons of a panel (a ``numbered`` reply: /language, /subscribe, /topics) are kept in
    the store: a number typed next ("2", "вариант 2") presses the one it numbers, as the
    terminal chat's typed numbers do, where Telegram shows no numbers, and a name a feature
    reads as a button's (a topic at /subscribe) presses that one; any other message or press
    forgets them; a command reads them in ``Turn.shown`` ("/subscribe 7").
    """

    def __init__(
        self,
        library: Library,
        store: Store,
        catalogs: Catalogs,
        answerer: Feature,
        features: list[Feature],
    ) -> None:
        self.library = library
        self.store = store
        self.catalogs = catalogs
        self.answerer = answerer
        self.features = [*features, answerer]
        self.transport = Transport()
        self._commands: dict[str, Command] = {}
        self._buttons: dict[str, ButtonHandler] = {}
        for feature in [answerer, *features]:
            self._commands.update({c.name: c for c in feature.commands()})
            self._buttons.update(feature.buttons())
        self._commands.setdefault("help", Command("help", self.help, N_("How to use the bot")))

    # context --------------------------------------------------------------------------------

    def language(self, user: UserRef) -> Lang:
        """The reply language when no message tells it: the user's choice, else the client's."""
        return self.turn(user).lang

    def turn(self, user: UserRef, lang: Lang | None = None) -> Turn:
        """The context of one event, in ``lang`` or else the user's language."""
        chosen = self.store.language(user.chat_id)
        live = self.library.snapshot  # taken once: one base's entries with its own matcher
        base = Turn(
            user,
            DEFAULT_LANG,
            self.catalogs.translator(DEFAULT_LANG),
            live.kb,
            live.matcher,
            live.base,
            self.store,
            self.catalogs,
            chosen,
            tuple(self._commands.values()),
            self.transport,
            written=self.store.written_language(user.chat_id),
        )
        return base.in_lang(lang) if lang else base.answering(None)

    def reloaded(self, user: UserRef, reload: Reload) -> list[Reply]:
        """What the features tell ``user`` about a look at the base that an adapter took (an
        admin in the terminal chat: a new version is live, an edit broke it, or it is sound
        again); made in the dialog's thread, as the user's language is stored."""
        turn = self.turn(user)
        return _marked([r for f in self.features for r in f.reloaded(turn, reload)], turn)

    def _note(self, user: UserRef) -> None:
        """Note the user: seen now, with their client's language."""
        self.store.touch_user(user.chat_id, user.user_id, user.client_lang)

    # events ---------------------------------------------------------------------------------

    def handle_message(self, user: UserRef, text: str, reply_to: int | None = None) -> list[Reply]:
        """A text message: a command (``/name args``) or free text; ``reply_to`` is the id of
        the message it replies to, if any. Never raises."""
        try:
            self._note(user)
            shown = self.store.take_panel(user.chat_id, max_age=PANEL_TIMEOUT)  # read once
            return self._shown(user, self._message(user, clean_text(text), reply_to, shown))
        except Exception:
            log.exception("dialog failed on a message")
            return self._failure(user)

    def _message(
        self, user: UserRef, text: str, reply_to: int | None, shown: Panel | None
    ) -> list[Reply]:
        command = self._typed(text)
        turn = replace(self.turn(user), reply_to=reply_to, shown=shown)
        if command:  # /cancel says what it cancelled
            before, turn = turn, self._commanding(turn, command)
            if turn.written and not before.written:  # a newcomer's: told by the command's name
                self.store.set_written_language(user.chat_id, turn.written)
            dropped = self._interrupt(turn)
            if command.name == "cancel":
                dropped = any([feature.cancelled(turn) for feature in self.features]) or dropped
            turn = replace(turn, interrupted=dropped)
            return _marked(self._command(turn, command.name, command.args), turn)
        if shown is not None and (number := typed_number(text)) is not None:
            return self._typed_press(turn, shown, number)
        if shown is not None and shown.fresh and (named := self._named(turn, shown, text)):
            return self._pressed(turn, named)
        caption = captioned(text)
        if caption is None:  # "IMG_2034.jpg": a file, as Telegram's are, in the name's language
            return self._non_text(turn.answering(turn.matcher.told_language(text)))
        text = caption
        for feature in self.features:
            replies = feature.text(turn, text)
            if replies is not None:
                for other in self.features:
                    if other is not feature:
                        replies = other.after_text(turn, replies)
                return _marked(replies, turn)
        return []

    def handle_button(self, user: UserRef, action: str) -> list[Reply]:
        """A pressed button (its callback data). Never raises."""
        try:
            self._note(user)
            self.store.take_panel(user.chat_id, max_age=PANEL_TIMEOUT)  # a press forgets it too
            return self._shown(user, self._press(user, action))
        except Exception:
            log.exception("dialog failed on a button (prefix %r)", action.partition(":")[0])
            return self._failure(user)

    def _press(self, user: UserRef, data: str) -> list[Reply]:
        """The replies to the button ``data``, in the language it is marked with."""
        action, lang = split_language(data)
        prefix, _, payload = action.partition(":")
        handler = self._buttons.get(prefix)
        turn = self.turn(user, lang)
        if handler is None:
            return turn.out_of_date()
        self._interrupt(turn)
        replies = handler(turn, payload)
        for feature in self.features:
            replies = feature.after_press(turn, replies)
        return _marked(replies, turn)

    def typed_action(self, user: UserRef, text: str) -> str | None:
        """The button (its data) that a typed message would press: a number, or a button's
        name (see :meth:`Feature.named_button`), just after a panel (see
        :meth:`handle_message`); nothing changes, so that an adapter can check first who may
        press it."""
        shown = self.store.panel(user.chat_id, max_age=PANEL_TIMEOUT)
        if shown is None or not shown.fresh:
            return None
        typed = clean_text(text)
        if (number := typed_number(typed)) is not None:
            return shown.action(number)
        return self._named(self.turn(user), shown, typed)

    def handle_non_text(self, user: UserRef, reply_to: int | None = None) -> list[Reply]:
        """A sticker, photo, voice message or file; ``reply_to`` is the id of the message it
        replies to, if any (an expert's case message, say). Never raises."""
        try:
            self._note(user)
            return self._non_text(replace(self.turn(user), reply_to=reply_to))
        except Exception:
            log.exception("dialog failed on a message that is not text")
            return self._failure(user)

    def _non_text(self, turn: Turn) -> list[Reply]:
        """The replies to a sticker, photo or file: a feature's (one it was sent in reply to),
        else that the bot reads only text."""
        for feature in self.features:
            replies = feature.non_text(turn)
            if replies is not None:
                return _marked(replies, turn)
        return [Reply(turn._(NOT_TEXT))]

    def handle_inline(self, user: UserRef, query: str) -> list[InlineResult]:
        """Results offered for ``@bot query`` in any chat."""
        query = clean_text(query)
        if not query:
            return []
        turn = self.turn(user)
        return [result for feature in self.features for result in feature.inline(turn, query)]

    def set_active(self, user: UserRef, active: bool) -> None:
        """The user blocked (False) or unblocked (True) the bot."""
        self.store.set_active(user.chat_id, active)

    def menu(self, lang: Lang, *, admin: bool = False) -> list[tuple[str, str]]:
        """(command, description) pairs for the command menu in ``lang``."""
        _ = self.catalogs.translator(lang)
        return [
            (c.name, _(c.description))
            for c in self._commands.values()
            if c.description and (admin or not c.admin)
        ]

    # commands -------------------------------------------------------------------------------

    def help(self, turn: Turn, _args: str) -> list[Reply]:
        """How to use the bot: the commands this user can run."""
        return [Reply(help_text(turn))]

    def command_turn(self, user: UserRef, command: Typed) -> Turn:
        """The context a typed command is answered in (see :meth:`_commanding`); nothing is
        stored: for an adapter that answers it itself (a group member's refused /subscribe)."""
        return self._commanding(self.turn(user), command)

    def _commanding(self, turn: Turn, command: Typed) -> Turn:
        """``turn`` speaking the language a typed command is answered in: the user's (chosen,
        or the one they write in), else the one its name tells, which is the one they write in
        from then on ("/бастау" Kazakh, so that "1" or "ok" next is answered in Kazakh too: the
        caller stores it), else the client's. An alias tells its language; an unknown name in
        other letters than the Latin of Telegram's menu (which anyone types) the one its words
        tell, its arguments' too ("/справочник", "/бот туралы"); a command's own name none."""
        if turn.written:
            return turn
        told = command.lang
        if told is None and command.name not in self._commands and not command.name.isascii():
            told = turn.matcher.told_language(f"{command.name.replace('_', ' ')} {command.args}")
        return replace(turn, written=told).answering(None) if told else turn

    def _interrupt(self, turn: Turn) -> bool:
        """Tell every feature; True when one dropped something that waited."""
        return any([feature.interrupted(turn) for feature in self.features])

    def command(self, text: str) -> Typed | None:
        """The command the message ``text`` runs (see :meth:`_typed`); None for free text."""
        return self._typed(clean_text(text))

    def _typed(self, text: str) -> Typed | None:
        """The command of a clean message: by its name, by one of its names in a language
        (``locales/commands.yaml``: "/старт" is /start), typed on the Russian layout
        ("/дфтпгфпу" is /language), or an unknown "/name"; None for free text."""
        typed = _split(COMMAND_RE.match(text))
        if typed and typed.name in self._commands:
            return typed
        if typed and typed.name in self.catalogs.aliases:
            name, lang = self.catalogs.aliases[typed.name]
            return Typed(name, typed.args, lang)
        return self._on_russian_keys(text) or typed

    def _on_russian_keys(self, text: str) -> Typed | None:
        """A command typed on the Russian keyboard layout, whose "." is the "/" key
        (".ыгиыскшиу фдд" is /subscribe all; "/ыгиыскшиу фдд" too, its "/" typed before the
        layout was switched); None when the text is no known command so."""
        if not text.startswith((".", "/")):
            return None
        typed = _split(COMMAND_RE.match("/" + to_latin_layout(text[1:])))
        return typed if typed and typed.name in self._commands else None

    def _command(self, turn: Turn, name: str, args: str) -> list[Reply]:
        command = self._commands.get(name)
        if command is None or (command.admin and not turn.user.is_admin):
            mine = [c.name for c in self._commands.values() if turn.user.is_admin or not c.admin]
            aliases = self.catalogs.aliases.items()  # "/помощ": did you mean /помощь?
            known = [*mine, *(alias for alias, (of, _) in aliases if of in mine)]
            close = process.extractOne(name, known, scorer=fuzz.ratio, score_cutoff=COMMAND_CUTOFF)
            unknown = turn._("I don't know this command.")
            # "/subscrbe all": "did you mean /subscribe all?"; an admin's own command typed by
            # someone else is no misspelling ("/stats" is not "/start")
            if close is not None and command is None:
                meant = escape(f"{close[0]} {echoed(args)}".strip())  # the user's words
                unknown += " " + turn._("Did you mean /{command}?", command=meant)
            return [Reply(unknown + "\n\n" + help_text(turn))]
        if name == "start" and args.strip():  # a deep link: a feature may open it
            for feature in self.features:
                opened = feature.deep_link(turn, args.strip())
                if opened is not None:
                    return opened
        return command.handler(turn, args.strip())

    def _typed_press(self, turn: Turn, shown: Panel, number: int) -> list[Reply]:
        """A number typed just after the panel ``shown``: the button it numbers pressed, the
        replies new messages; a panel shown too long ago, or a number it has no button for
        (the panel still waits for one then), said so in the panel's language."""
        lang = split_language(shown.actions[0])[1]
        _ = turn.in_lang(lang)._ if lang else turn._
        if not shown.fresh:
            too_old = _(
                "The buttons I showed are over {minutes} minutes old, so a typed number no "
                "longer chooses one: press the button, or open the list again.",
                minutes=PANEL_TIMEOUT // timedelta(minutes=1),
            )
            return [Reply(escape(too_old))]
        action = shown.action(number)
        if action is None:
            self.store.set_panel(turn.user.chat_id, shown.actions)
            return [Reply(escape(no_such_button(_, number, len(shown.actions))))]
        return self._pressed(turn, action)

    def _named(self, turn: Turn, shown: Panel, text: str) -> str | None:
        """The button of the panel ``shown`` that a typed message names, a feature tells."""
        named = (feature.named_button(turn, shown.actions, text) for feature in self.features)
        return next(filter(None, named), None)

    def _pressed(self, turn: Turn, action: str) -> list[Reply]:
        """The replies to the button ``action`` pressed by typing, as new messages."""
        return [r for r in map(_as_message, self._press(turn.user, action)) if r.text]

    def _shown(self, user: UserRef, replies: list[Reply]) -> list[Reply]:
        """``replies``, their buttons kept for a number typed next when one is ``numbered``."""
        actions = [button.action for reply in replies for row in reply.buttons for button in row]
        if actions and any(reply.numbered for reply in replies):
            self.store.set_panel(user.chat_id, actions)
        return replies

    def _failure(self, user: UserRef) -> list[Reply]:
        try:
            lang = self.language(user)
        except Exception:
            lang = DEFAULT_LANG
        _ = self.catalogs.translator(lang)
        return [Reply(_("Something went wrong on my side. Please try again."))]


def _split(match: re.Match[str] | None) -> Typed | None:
    """The command a match of COMMAND_RE names (lower-cased) with its arguments."""
    return Typed(match.group(1).lower(), match.group(2) or "") if match else None


def _as_message(reply: Reply) -> Reply:
    """A reply to a button pressed by typing its number, as a new message: its pop-up (the
    press's confirmation, "This button is out of date.") in its text, no click to show it."""
    told = escape(reply.toast) if reply.toast and reply.toast != reply.text else ""
    text = "\n\n".join(part for part in (told, reply.text) if part)
    return replace(reply, text=text, toast=None, edit=False, in_place=False, replaces=False)


def _marked(replies: list[Reply], turn: Turn) -> list[Reply]:
    """Replies whose buttons are marked with the turn's language where a feature did not
    mark them with another (an answer in the language of its question)."""
    return [reply.in_language(turn.lang) for reply in replies]
