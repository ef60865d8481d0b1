"""The pieces every dialog feature shares: the turn, commands, the feature interface, the
reply language and clean input. Features import from here, never from the core."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot.dialog.reply import InlineResult, Reply, UserRef
from bot.i18n import Catalogs, Translate
from bot.kb import DEFAULT_LANG, KnowledgeBase, Lang, as_lang
from bot.library import Reload
from bot.matching import Matcher
from bot.redact import redact
from bot.store import Panel, Store

MAX_INPUT = 4096  # characters of a message read, Telegram's own limit
ECHO_LIMIT = 40  # characters of a command's argument repeated back ("no topic “…”")
# "/name args": a name in any letters ("/старт"), not only the [a-z0-9_] of Telegram's menu
COMMAND_RE = re.compile(r"^/(\w{1,32})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
_INVISIBLE = {"Cf", "Cc", "Cs", "Co", "Cn"}
# a file's name alone ("IMG_2034.jpg", «Документ.docx»): one word, the extension of a photo,
# a video, a sound or a document
_FILE_NAME = re.compile(
    r"[^\s/\\]+\.(?:jpe?g|png|gif|heic|heif|webp|bmp|tiff?|pdf|docx?|xlsx?|pptx?|odt|ods|rtf"
    r"|txt|mp4|mov|avi|mkv|3gp|webm|mp3|m4a|ogg|oga|opus|wav|aac|amr|zip|rar)",
    re.IGNORECASE,
)
# the tag of a media a forwarded or copied caption comes with ("[Photo]", «[Фото]», «[Сурет]»)
_MEDIA_TAG = re.compile(
    r"\[\s*(?:photo|image|picture|video|document|file|audio|voice message|sticker|gif"
    r"|фото|фотография|изображение|картинка|видео|документ|файл|аудио|голосовое сообщение"
    r"|стикер|сурет|бейне|құжат|дауыстық хабарлама)\s*\]\s*",
    re.IGNORECASE,
)


def clean_text(text: str) -> str:
    """User text with invisible and control characters removed (newlines kept), trimmed."""
    text = "".join(
        ch for ch in text[:MAX_INPUT] if ch in "\n\t" or unicodedata.category(ch) not in _INVISIBLE
    )
    return text.strip()


def captioned(text: str) -> str | None:
    """A clean message without the media tags of a forwarded or copied caption ("[Photo]
    Certificate …" is "Certificate …"); None for one that is only tags or a file's name, a
    photo or a file as far as the bot can tell, which it cannot open ("", no message, as it is).
    """
    caption = _MEDIA_TAG.sub("", text).strip()
    return None if (text and not caption) or _FILE_NAME.fullmatch(caption) else caption


def echoed(text: str) -> str:
    """A command's argument as a reply repeats it back ("I do not know the topic “…”"): its
    personal data masked as stored text's is (an IIN, a phone number, a name: see
    :func:`bot.redact.redact`), on one line, cut to ECHO_LIMIT characters ("…" at the cut).
    Plain text: the caller escapes it."""
    said = " ".join(redact(text).split())
    return said if len(said) <= ECHO_LIMIT else said[: ECHO_LIMIT - 1].rstrip() + "…"


def reply_language(chosen: Lang | None, detected: Lang | None, client: str | None) -> Lang:
    """The reply language: the user's choice, else the message's, else the client's."""
    return chosen or detected or as_lang(client) or DEFAULT_LANG


@dataclass(frozen=True)
class Transport:
    """What the adapter adds to the conversation, for /help and the greeting: commands it
    runs itself (name and description msgid) and how a button is pressed (msgid); and whether
    it can deliver messages to chats other than the current one (an expert's, an asker's)."""

    commands: tuple[tuple[str, str], ...] = ()
    buttons_hint: str | None = None
    relays: bool = True


@dataclass(frozen=True)
class Turn:
    """One incoming event with everything a handler needs, speaking ``lang``.

    ``chosen`` is the language the user picked with /language (None: the one they write in);
    ``reply_to`` the id (the adapter's) of the message this one replies to, if any; ``shown``
    the panel whose buttons waited for this message (see :class:`bot.dialog.core.Dialog`).
    """

    user: UserRef
    lang: Lang
    _: Translate
    kb: KnowledgeBase
    matcher: Matcher
    base: str  # the version of the live base (:attr:`bot.library.Library.base`)
    store: Store
    catalogs: Catalogs
    chosen: Lang | None = None
    commands: tuple[Command, ...] = ()  # every command of the dialog, for /help
    transport: Transport = Transport()  # the adapter's additions, for /help
    reply_to: int | None = None
    interrupted: bool = False  # a command dropped something that waited for the next message
    written: Lang | None = None  # the language the user last wrote in (see answering)
    shown: Panel | None = None

    def in_lang(self, lang: Lang) -> Turn:
        """The same turn, speaking ``lang``."""
        return replace(self, lang=lang, _=self.catalogs.translator(lang))

    def answering(self, detected: Lang | None) -> Turn:
        """The same turn, speaking the language to answer a message detected as ``detected``
        (None: one that tells no language, or a command: the language last written in)."""
        return self.in_lang(
            reply_language(self.chosen, detected or self.written, self.user.client_lang)
        )

    def answering_message(self, text: str, detected: Lang | None) -> Turn:
        """The same turn, speaking the language to answer the message ``text``, detected as
        ``detected`` (None: the message does not tell it, its language only a guess:
        "asdfghjkl", "qwerty Иван Петров"). A message that tells its language, unless all its
        words are typed alike in any language ("ok", "lol", a link), is in the language the
        user writes in from now on (stored; commands speak it too, under Auto). One that
        tells none is answered in the language last written in, else the client's."""
        letters = any(ch.isalpha() for ch in text)
        if detected is None or not letters or self.matcher.smalltalk.tells_no_language(text):
            return self.answering(None)
        if detected != self.written:
            self.store.set_written_language(self.user.chat_id, detected)
        return replace(self, written=detected).answering(detected)

    def out_of_date(self) -> list[Reply]:
        """The reply to a button whose data is stale or forged (any client can send any): a
        pop-up saying so, nothing else."""
        return [Reply("", toast=self._("This button is out of date."))]


class Turns(Protocol):
    """Whatever makes turns (the dialog): for replies made outside a user's message."""

    def turn(self, user: UserRef, lang: Lang) -> Turn:
        """The context of one event in ``lang``."""
        ...


def menu_commands(turn: Turn) -> list[tuple[str, str]]:
    """(name, description msgid) of each command the user can run here and is shown."""
    return [
        (c.name, c.description)
        for c in turn.commands
        if c.description and (turn.user.is_admin or not c.admin)
    ]


def offers(turn: Turn, name: str) -> bool:
    """Whether the user can run the command ``name`` here and is shown it ("ask" where experts
    are set up)."""
    return any(shown == name for shown, _description in menu_commands(turn))


def help_text(turn: Turn) -> str:
    """How to ask, and each command the user can run here with what it does; an admin's own
    commands in a section of their own."""
    _ = turn._
    admin = {command.name for command in turn.commands if command.admin}
    listed = [
        (name in admin, f"/{name} — {_(description)}")
        for name, description in [*menu_commands(turn), *turn.transport.commands]
    ]
    admins = [line for only_admins, line in listed if only_admins]
    hint = turn.transport.buttons_hint
    return "\n".join(
        [
            _("Ask your question in your own words, in Kazakh, Russian or English."),
            *([_(hint)] if hint else []),
            "",
            *[line for only_admins, line in listed if not only_admins],
            *(["", _("Admin commands:"), *admins] if admins else []),
            "",
            _("I give general information with its sources, not legal advice."),
        ]
    )


CommandHandler = Callable[[Turn, str], list[Reply]]
ButtonHandler = Callable[[Turn, str], list[Reply]]


@dataclass(frozen=True)
class Command:
    """A slash command: its handler, whether only admins may use it, its menu description."""

    name: str
    handler: CommandHandler
    description: str | None = None  # msgid; None keeps it out of the command menu
    admin: bool = False


class Feature:
    """A part of the conversation, plugged into the dialog: the commands and button prefixes
    it answers, and (optionally) free text it takes before the question answerer does."""

    def commands(self) -> list[Command]:
        """Slash commands this feature handles."""
        return []

    def buttons(self) -> dict[str, ButtonHandler]:
        """Button action prefixes (before the first ``:``) this feature handles."""
        return {}

    def text(self, turn: Turn, text: str) -> list[Reply] | None:
        """Replies to free text this feature takes (a step of its flow), or None to pass."""
        return None

    def named_button(self, turn: Turn, actions: Sequence[str], text: str) -> str | None:
        """The button (its action) of the panel just shown, ``actions``, that a typed message
        names (a topic's name at the subscription panel), or None: pressed as its number is."""
        return None

    def after_text(self, turn: Turn, replies: list[Reply]) -> list[Reply]:
        """The replies another feature gave to free text, with what this one adds to them
        (the way back to a check that the message set aside); unchanged by default."""
        return replies

    def after_press(self, turn: Turn, replies: list[Reply]) -> list[Reply]:
        """The replies to a pressed button (of any feature, this one's too), with what this
        one adds to them; unchanged by default."""
        return replies

    def non_text(self, turn: Turn) -> list[Reply] | None:
        """Replies to a sticker, photo or file this feature takes (one sent in reply to its
        message, ``turn.reply_to``), or None to pass."""
        return None

    def interrupted(self, turn: Turn) -> bool:
        """The user sent a command or pressed a button: a question of this feature that
        waits for their next typed message is no longer answered by it. True when one was
        waiting."""
        return False

    def cancelled(self, turn: Turn) -> bool:
        """The user typed /cancel: drop what this feature showed them to confirm (a question
        ready to send); True when something was dropped."""
        return False

    def deep_link(self, turn: Turn, payload: str) -> list[Reply] | None:
        """Replies to ``/start <payload>`` (a link into the bot) this feature opens, or None."""
        return None

    def inline(self, turn: Turn, query: str) -> list[InlineResult]:
        """Results this feature offers for an inline query (``@bot query``)."""
        return []

    def reloaded(self, turn: Turn, reload: Reload) -> list[Reply]:
        """What to tell the user of ``turn`` about a look at the base that their adapter took
        (the terminal chat's watcher: a new version is live, or an edit broke it)."""
        return []
