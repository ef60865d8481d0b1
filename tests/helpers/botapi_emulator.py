"""A Telegram Bot API emulator on 127.0.0.1 for tests and benchmarks.

A real python-telegram-bot ``Bot`` or ``Application`` talks to it over HTTP, exactly as it talks to
``api.telegram.org``::

    async with BotAPIEmulator() as emu:
        app = ApplicationBuilder().token(emu.token).base_url(emu.base_url).build()
        ...
        emu.push_text(42, "Сыйлық алуға бола ма?")
        record = await emu.wait_for(lambda r: r.ok and r.chat_id == 42)

The emulator answers like Telegram: ``{"ok": true, "result": ...}`` or
``{"ok": false, "error_code": N, "description": "...", "parameters": {"retry_after": N}}``, with
Telegram's error texts. It validates what Telegram validates (HTML parse mode as tdlib parses it,
text and caption lengths in UTF-16 code units, inline keyboards, callback answers, bot commands,
inline results), knows which chats exist and which users blocked the bot, emulates flood limits
on request, and lets tests inject errors and delays.

Deliberate differences from Telegram:

* HTML: a ``&`` that does not start ``&lt;`` ``&gt;`` ``&amp;`` ``&quot;`` or ``&#N;``/``&#xN;``
  is rejected, as the Bot API documentation requires; Telegram itself passes it through.
* ``Markdown``/``MarkdownV2`` texts are accepted but not parsed (their length is the raw length).
* The long poll of ``getUpdates`` is capped at ``max_poll_timeout`` (1 s) so clients never time out.
* ``setWebhook`` accepts ``http://`` URLs on 127.0.0.1/localhost (Telegram wants HTTPS); pushed
  updates are not delivered to the webhook: send them with :meth:`BotAPIEmulator.post_update_to`.

Run it by hand (``python tests/helpers/botapi_emulator.py --port 8081 --limits``); updates
are then pushed with ``POST /emulator/push/<kind>`` (a JSON object of the ``push_<kind>``
arguments, e.g. ``{"chat_id": 42, "text": "hi"}``) and what the bot sent is listed by
``GET /emulator/sent``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import itertools
import json
import logging
import math
import re
import socket
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

import aiohttp
from aiohttp import web

__all__ = [
    "DEFAULT_TOKEN",
    "BotAPIEmulator",
    "HTMLParseError",
    "RequestRecord",
    "SentRecord",
    "main",
    "parse_html",
    "utf16_len",
]

log = logging.getLogger("botapi_emulator")

DEFAULT_TOKEN = "123456789:AAEmulatorTokenForAdalTests_0000000"

# Telegram's limits.
MESSAGE_TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_BYTES = 64
BUTTONS_PER_ROW = 8
BUTTONS_TOTAL = 100
CALLBACK_ANSWER_TEXT_LIMIT = 200
COMMANDS_LIMIT = 100
COMMAND_DESCRIPTION_LIMIT = 256
INLINE_RESULTS_LIMIT = 50
INLINE_RESULT_ID_BYTES = 64
UPDATES_LIMIT = 100

# Flood limits applied when ``limits`` is on.
SENDS_PER_SECOND = 30
PRIVATE_CHAT_SENDS_PER_SECOND = 1
GROUP_SENDS_PER_MINUTE = 20

NEW_MESSAGE_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
"""Methods that create a message."""
SEND_METHODS = NEW_MESSAGE_METHODS | {"editMessageText", "editMessageReplyMarkup"}
"""Methods recorded in :attr:`BotAPIEmulator.sent` and counted by the flood limits."""

_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")
_BOT_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_])")
_SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_SHUTDOWN_TIMEOUT = 1.0
_WAIT_STEP = 0.005
_UPLOAD_LIMIT = 50 * 1024 * 1024
_ADMIN_RIGHTS = (  # the rights a ChatMemberAdministrator must state
    "can_be_edited",
    "is_anonymous",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
)

Params = dict[str, Any]
Handler = Callable[[Params], Awaitable[Any]]


# --------------------------------------------------------------------------- HTML parse mode

_SPACES = " \t\n\r\f\v"
_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_TAG_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#[xX]([0-9A-Fa-f]+)|#([0-9]+)|([A-Za-z]+));")
_NAME_TOKEN_RE = re.compile(r"[A-Za-z0-9.-]*")


class HTMLParseError(ValueError):
    """A text in HTML parse mode Telegram would refuse; the message is Telegram's wording."""


def utf16_len(text: str) -> int:
    """The length of ``text`` in UTF-16 code units, the unit of Telegram's limits and offsets."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@dataclass
class _OpenTag:
    """A start tag waiting for its end tag."""

    name: str
    argument: str
    expandable: bool
    offset: int  # in UTF-16 code units of the output
    start: int  # index into the output characters


class _HTMLParser:
    """Telegram's HTML parse mode, after tdlib's ``parse_html`` (stricter on ``&``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[str] = []
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict[str, Any]] = []

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        """The plain text and its entities; raises :class:`HTMLParseError`."""
        text, i = self.text, 0
        while i < len(text):
            char = text[i]
            if char == "&":
                decoded, i = self._entity(i)
                self._emit(decoded)
            elif char != "<":
                self._emit(char)
                i += 1
            elif text.startswith("</", i):
                i = self._end_tag(i)
            else:
                i = self._start_tag(i)
        if self.stack:
            raise HTMLParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def _emit(self, char: str) -> None:
        self.out.append(char)
        self.utf16 += 2 if ord(char) > 0xFFFF else 1

    def _byte(self, index: int) -> int:
        return len(self.text[:index].encode("utf-8", "surrogatepass"))

    def _skip_spaces(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in _SPACES:
            i += 1
        return i

    def _entity(self, i: int) -> tuple[str, int]:
        """Decode the character reference at ``i``: (character, index after it)."""
        match = _ENTITY_RE.match(self.text, i)
        if match is None:
            raise HTMLParseError(
                f'Unescaped "&" at byte offset {self._byte(i)}: write it as "&amp;"'
            )
        hex_code, dec_code, name = match.groups()
        if name is not None:
            if name not in _NAMED_ENTITIES:
                raise HTMLParseError(
                    f'Unsupported HTML entity "&{name};" at byte offset {self._byte(i)}'
                )
            return _NAMED_ENTITIES[name], match.end()
        code = int(hex_code, 16) if hex_code is not None else int(dec_code)
        if code == 0 or code > 0x10FFFF:
            raise HTMLParseError(f"Invalid character reference at byte offset {self._byte(i)}")
        if 0xD800 <= code <= 0xDFFF:
            raise HTMLParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        return chr(code), match.end()

    def _start_tag(self, begin: int) -> int:
        text, at = self.text, self._byte(begin)
        i = begin + 1
        while i < len(text) and text[i] not in _SPACES and text[i] != ">":
            i += 1
        if i >= len(text):
            raise HTMLParseError(f"Unclosed start tag at byte offset {at}")
        name = text[begin + 1 : i].lower()
        if name not in _HTML_TAGS:
            raise HTMLParseError(f'Unsupported start tag "{name}" at byte offset {at}')
        argument, expandable = "", False
        while True:
            i = self._skip_spaces(i)
            if i >= len(text):
                raise HTMLParseError(f'Unclosed start tag "{name}" at byte offset {at}')
            if text[i] == ">":
                break
            attribute_begin = i
            while i < len(text) and text[i] not in _SPACES and text[i] not in "=>":
                i += 1
            attribute = text[attribute_begin:i].lower()
            if not attribute:
                raise HTMLParseError(
                    f'Empty attribute name in the tag "{name}" at byte offset {at}'
                )
            i = self._skip_spaces(i)
            if i >= len(text) or text[i] != "=":
                if name == "blockquote" and attribute == "expandable":
                    expandable = True
                    continue
                raise HTMLParseError(
                    "Expected equal sign in declaration of an attribute of the "
                    f'tag "{name}" at byte offset {at}'
                )
            i = self._skip_spaces(i + 1)
            if i >= len(text):
                raise HTMLParseError(f'Unclosed start tag "{name}" at byte offset {at}')
            value, i = self._attribute_value(i, at)
            if name == "a" and attribute == "href":
                argument = value
            elif name == "code" and attribute == "class" and value.startswith("language-"):
                argument = value.removeprefix("language-")
            elif name == "span" and attribute == "class" and value.startswith("tg-"):
                argument = value.removeprefix("tg-")
            elif name == "tg-emoji" and attribute == "emoji-id":
                argument = value
        if name == "span" and argument != "spoiler":
            raise HTMLParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {at}')
        self.stack.append(_OpenTag(name, argument, expandable, self.utf16, len(self.out)))
        return i + 1

    def _attribute_value(self, i: int, tag_at: int) -> tuple[str, int]:
        """A quoted string or a name token at ``i``: (value, index after it)."""
        text = self.text
        if text[i] not in "'\"":
            token = _NAME_TOKEN_RE.match(text, i)
            assert token is not None  # the pattern matches the empty string
            end = token.end()
            if end >= len(text) or (text[end] not in _SPACES and text[end] != ">"):
                raise HTMLParseError(f"Unexpected end of name token at byte offset {self._byte(i)}")
            return token.group().lower(), end
        quote, chars = text[i], []
        i += 1
        while i < len(text) and text[i] != quote:
            if text[i] == "&":
                decoded, i = self._entity(i)
                chars.append(decoded)
            else:
                chars.append(text[i])
                i += 1
        if i >= len(text):
            raise HTMLParseError(f"Unclosed start tag at byte offset {tag_at}")
        return "".join(chars), i + 1

    def _end_tag(self, begin: int) -> int:
        text, at = self.text, self._byte(begin)
        if not self.stack:
            raise HTMLParseError(f"Unexpected end tag at byte offset {at}")
        i = begin + 2
        while i < len(text) and text[i] not in _SPACES and text[i] != ">":
            i += 1
        name = text[begin + 2 : i].lower()
        i = self._skip_spaces(i)
        if i >= len(text) or text[i] != ">":
            raise HTMLParseError(f"Unclosed end tag at byte offset {at}")
        tag = self.stack[-1]
        if name and name != tag.name:
            raise HTMLParseError(
                f"Unmatched end tag at byte offset {at}, "
                f'expected "</{tag.name}>", found "</{name}>"'
            )
        self.stack.pop()
        self._close(tag)
        return i + 1

    def _close(self, tag: _OpenTag) -> None:
        """Turn a closed, non-empty tag into an entity."""
        length = self.utf16 - tag.offset
        if length <= 0:
            return
        span = {"offset": tag.offset, "length": length}
        last = self.entities[-1] if self.entities else None
        same_span = last is not None and (last["offset"], last["length"]) == (tag.offset, length)
        if tag.name in _TAG_ENTITY_TYPES:
            self.entities.append({"type": _TAG_ENTITY_TYPES[tag.name], **span})
        elif tag.name == "tg-emoji":
            if not tag.argument.isdigit() or int(tag.argument) == 0:
                raise HTMLParseError("Invalid custom emoji identifier specified")
            self.entities.append({"type": "custom_emoji", **span, "custom_emoji_id": tag.argument})
        elif tag.name == "a":
            url = tag.argument or "".join(self.out[tag.start :])
            self.entities.append({"type": "text_link", **span, "url": url})
        elif tag.name == "pre":
            if same_span and last is not None and last["type"] == "code" and last.get("language"):
                last["type"] = "pre"
            else:
                self.entities.append({"type": "pre", **span})
        elif tag.name == "code":
            if same_span and last is not None and last["type"] == "pre" and tag.argument:
                last["language"] = tag.argument
            else:
                entity = {"type": "code", **span}
                if tag.argument:
                    entity["language"] = tag.argument
                self.entities.append(entity)
        else:  # blockquote
            kind = "expandable_blockquote" if tag.expandable else "blockquote"
            self.entities.append({"type": kind, **span})


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse ``text`` in Telegram's HTML parse mode.

    Returns the plain text and its entities (Bot API ``MessageEntity`` dicts, offsets in UTF-16
    code units); raises :class:`HTMLParseError` with Telegram's description otherwise.

    >>> parse_html("<b>Адал</b> &amp; co")
    ('Адал & co', [{'type': 'bold', 'offset': 0, 'length': 4}])
    """
    return _HTMLParser(text).parse()


# --------------------------------------------------------------------------- records


@dataclass
class RequestRecord:
    """One HTTP call to the Bot API, as answered."""

    method: str
    params: Params
    status: int
    response: dict[str, Any]
    timestamp: float  # time.monotonic()

    @property
    def ok(self) -> bool:
        """Whether Telegram would have answered ``ok: true``."""
        return self.status == HTTPStatus.OK


@dataclass
class SentRecord:
    """One call of a sending method (see ``SEND_METHODS``), delivered or refused."""

    method: str
    chat_id: int | None
    text: str | None  # the text or caption as sent (HTML source included)
    parse_mode: str | None
    reply_markup: dict[str, Any] | None
    timestamp: float  # time.monotonic()
    ok: bool
    error_code: int | None = None
    description: str | None = None
    message_id: int | None = None
    plain_text: str | None = None  # the text as Telegram shows it (tags removed)
    params: Params = field(default_factory=dict)


class _ApiError(Exception):
    """An error answer: HTTP status, Telegram's description, optional ``retry_after``."""

    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> dict[str, Any]:
        """The JSON body Telegram sends with this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad_request(description: str) -> _ApiError:
    return _ApiError(HTTPStatus.BAD_REQUEST, f"Bad Request: {description}")


def _default_description(status: int, retry_after: int | None) -> str:
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return f"Too Many Requests: retry after {retry_after}"
    with contextlib.suppress(ValueError):
        return HTTPStatus(status).phrase
    return "Error"


@dataclass
class _Fault:
    status: int
    description: str
    retry_after: int | None


# --------------------------------------------------------------------------- parameters


def _json_param(value: Any, description: str) -> Any:
    """A parameter that PTB sends JSON-encoded (form) or as is (JSON body)."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        raise _bad_request(description) from None


def _int_param(params: Params, key: str, default: int | None = None) -> int | None:
    value = params.get(key)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad_request(f"invalid {key} specified") from None


def _bool_param(params: Params, key: str) -> bool:
    return params.get(key) in (True, "true", "True", "1", 1)


def _jsonable(params: Params) -> Params:
    """``params`` with uploaded files replaced by a short description, for the records."""
    return {
        key: f"<upload {value.filename}>" if isinstance(value, web.FileField) else value
        for key, value in params.items()
    }


def _check_url(url: Any) -> None:
    """Refuse a button URL Telegram would refuse."""
    parts = urlsplit(url if isinstance(url, str) and "://" in url else f"http://{url}")
    valid = (
        isinstance(url, str)
        and not any(c in url for c in _SPACES)
        and (parts.scheme == "tg" or (parts.scheme in ("http", "https") and "." in parts.netloc))
    )
    if not valid:
        raise _bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request(
            'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    widest, total = max((len(row) for row in rows), default=0), sum(len(row) for row in rows)
    if widest > BUTTONS_PER_ROW or total > BUTTONS_TOTAL:
        raise _bad_request(
            f"too many buttons: {widest} in a row (at most {BUTTONS_PER_ROW}), "
            f"{total} in all (at most {BUTTONS_TOTAL})"
        )
    for button in itertools.chain.from_iterable(rows):
        if not isinstance(button, dict) or not isinstance(button.get("text"), str):
            raise _bad_request(
                'can\'t parse inline keyboard button: Field "text" must be of type String'
            )
        if not button["text"].strip():
            raise _bad_request("BUTTON_TEXT_INVALID")
        if not any(action in button for action in _BUTTON_ACTIONS):
            raise _bad_request(
                "can't parse inline keyboard button: Text buttons are unallowed "
                "in the inline keyboard"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode()) <= CALLBACK_DATA_BYTES:
                raise _bad_request("BUTTON_DATA_INVALID")
        if "url" in button:
            _check_url(button["url"])


def _check_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise _bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
    for button in itertools.chain.from_iterable(rows):
        text = button.get("text") if isinstance(button, dict) else button
        if not isinstance(text, str) or not text.strip():
            raise _bad_request("BUTTON_TEXT_INVALID")


def _reply_markup(value: Any) -> dict[str, Any] | None:
    """The parsed ``reply_markup``, validated like Telegram does."""
    if value is None or value == "":
        return None
    markup = _json_param(value, "can't parse reply keyboard markup JSON object")
    if not isinstance(markup, dict):
        raise _bad_request("object expected as reply markup")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
    elif "keyboard" in markup:
        _check_keyboard(markup["keyboard"])
    elif not (markup.get("remove_keyboard") or markup.get("force_reply")):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _formatted(
    text: Any, parse_mode: Any, *, limit: int, too_long: str, empty: str | None
) -> tuple[str, list[dict[str, Any]]]:
    """Parse a text or caption; ``empty`` is the error for an empty one (None: allowed)."""
    source = "" if text is None else str(text)
    mode = str(parse_mode or "").lower()
    if mode == "html":
        try:
            plain, entities = parse_html(source)
        except HTMLParseError as exc:
            raise _bad_request(f"can't parse entities: {exc}") from None
    elif mode in ("", "markdown", "markdownv2"):
        plain, entities = source, []
    else:
        raise _bad_request("unsupported parse_mode")
    if empty is not None and not plain.strip():
        raise _bad_request(empty)
    if utf16_len(plain) > limit:
        raise _bad_request(too_long)
    return plain, entities


def _parse_text(params: Params, text_key: str = "text") -> tuple[str, list[dict[str, Any]]]:
    """The message text of ``params``, validated."""
    return _formatted(
        params.get(text_key),
        params.get("parse_mode"),
        limit=MESSAGE_TEXT_LIMIT,
        too_long="message is too long",
        empty="message text is empty",
    )


def _bot_command_entities(text: str) -> list[dict[str, Any]]:
    """The ``bot_command`` entity Telegram adds to a message starting with a command."""
    match = _BOT_COMMAND_RE.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group())}]


# --------------------------------------------------------------------------- the emulator


class BotAPIEmulator:
    """An HTTP server on 127.0.0.1 answering Bot API calls like Telegram.

    Parameters
    ----------
    token:
        The only token accepted; others get 401 Unauthorized.
    host, port:
        Where to listen; port 0 picks a free port (see :attr:`port` after start).
    limits:
        Emulate flood limits: more than 30 sends a second overall, more than one a second to a
        private chat or 20 a minute to a group get 429 with ``retry_after``. Can be switched at
        any time through the attribute.
    strict_chats:
        Only chats registered with :meth:`add_chat` or by a pushed update exist; others get
        400 "chat not found". Off: any chat id exists.
    max_poll_timeout:
        The longest ``getUpdates`` long poll, in seconds.
    bot_username, bot_name:
        The bot user returned by ``getMe`` and set as the sender of its messages.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: bool = False,
        strict_chats: bool = False,
        max_poll_timeout: float = 1.0,
        bot_username: str = "adal_test_bot",
        bot_name: str = "Adal Test",
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError("a bot token looks like '123456:ABC...'")
        self.token = token
        self.host = host
        self.port = port
        self.limits = limits
        self.strict_chats = strict_chats
        self.max_poll_timeout = max_poll_timeout
        self.bot_user: dict[str, Any] = {
            "id": int(bot_id),
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }

        self.requests: list[RequestRecord] = []
        """Every HTTP call, in order of completion."""
        self.sent: list[SentRecord] = []
        """Every call of a sending method, delivered or refused."""
        self.updates: list[dict[str, Any]] = []
        """Every update pushed, delivered or not."""
        self.flood_rejections = 0
        """How many sends the flood limits refused."""
        self.blocked: set[int] = set()
        """Chats whose user blocked the bot: sends to them get 403."""
        self.callback_answers: dict[str, Params] = {}
        """``answerCallbackQuery`` parameters by callback query id."""
        self.inline_answers: dict[str, Params] = {}
        """``answerInlineQuery`` parameters (``results`` parsed) by inline query id."""
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        """Bot commands by (scope as JSON, language code)."""
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.group_admins: dict[int, set[int]] = defaultdict(set)
        """Administrators of each group (``getChatMember`` says "administrator" for them)."""

        self._lock = threading.RLock()
        self._chats: dict[int, dict[str, Any]] = {}
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._last_message_id: dict[int, int] = defaultdict(int)
        self._queue: deque[dict[str, Any]] = deque()
        self._next_update_id = 1
        self._query_ids = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._open_inline_queries: set[str] = set()
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._delays: dict[str, deque[float]] = defaultdict(deque)
        self._drops: Counter[str] = Counter()
        self._send_times: deque[float] = deque()
        self._chat_send_times: dict[int, deque[float]] = defaultdict(deque)

        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Event | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._closing = False
        self._methods: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "logOut": self._true,
                "close": self._true,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "sendPhoto": self._send_photo,
                "sendDocument": self._send_document,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "sendChatAction": self._send_chat_action,
                "answerCallbackQuery": self._answer_callback_query,
                "getChatMember": self._get_chat_member,
                "answerInlineQuery": self._answer_inline_query,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
            }.items()
        }

    # ------------------------------------------------------------------ life cycle

    @property
    def base_url(self) -> str:
        """The ``base_url`` for PTB: ``http://127.0.0.1:PORT/bot`` (the token follows)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def api_url(self) -> str:
        """The full method prefix, ``http://127.0.0.1:PORT/bot<token>/``."""
        return f"{self.base_url}{self.token}/"

    async def start(self) -> Self:
        """Start serving in the running event loop."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        self._loop = asyncio.get_running_loop()
        self._new_update = asyncio.Event()
        self._closing = False
        app = web.Application(client_max_size=_UPLOAD_LIMIT)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_post("/emulator/push/{kind}", self._handle_push)
        app.router.add_get("/emulator/sent", self._handle_sent)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT)
        await runner.setup()
        sock = socket.socket(socket.AF_INET6 if ":" in self.host else socket.AF_INET)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
            await web.SockSite(runner, sock).start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self.port = sock.getsockname()[1]
        self._runner = runner
        log.info("Bot API emulator listening on %s", self.base_url)
        return self

    async def close(self) -> None:
        """Stop serving; pending long polls return at once."""
        self._closing = True
        if self._new_update is not None:
            self._new_update.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def start_in_thread(self) -> Self:
        """Serve from a background thread with its own event loop (for sync code, benchmarks)."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:
                failure.append(exc)
                loop.close()
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self.close())
            loop.close()

        self._thread = threading.Thread(target=serve, name="botapi-emulator", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            self._thread = None
            raise failure[0]
        return self

    def stop(self) -> None:
        """Stop the server started by :meth:`start_in_thread` and join its thread."""
        if self._thread is None or self._loop is None:
            raise RuntimeError("the emulator is not running in a thread")
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._thread = None

    def __enter__(self) -> Self:
        return self.start_in_thread()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ test controls

    def add_chat(
        self,
        chat_id: int,
        *,
        first_name: str = "Test",
        username: str | None = None,
        language_code: str | None = "ru",
        title: str | None = None,
    ) -> dict[str, Any]:
        """Register a chat (a private chat with user ``chat_id`` when positive); returns it."""
        with self._lock:
            if chat_id > 0:
                user = self._user(chat_id, first_name, language_code, username)
                chat = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
                if username:
                    chat["username"] = username
            else:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                chat = {"id": chat_id, "type": kind, "title": title or f"Group {-chat_id}"}
            self._chats[chat_id] = chat
            return chat

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: every send to ``chat_id`` gets 403 (no update is pushed)."""
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user unblocks the bot."""
        self.blocked.discard(chat_id)

    def fail_next(
        self,
        method: str,
        status: int = 500,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` ("*": any) with an error.

        ``description`` defaults to Telegram's for the status ("Too Many Requests: retry after
        N", "Internal Server Error"...); a 429 without ``retry_after`` gets ``retry_after=1``.
        """
        if status == HTTPStatus.TOO_MANY_REQUESTS and retry_after is None:
            retry_after = 1
        fault = _Fault(
            status, description or _default_description(status, retry_after), retry_after
        )
        self._faults[self._canonical(method)].extend([fault] * count)

    def delay_next(self, method: str, seconds: float, *, count: int = 1) -> None:
        """Hold the next ``count`` calls of ``method`` ("*": any) for ``seconds`` before handling.

        A client that times out meanwhile does not cancel the call: the message may still be
        delivered, as with Telegram.
        """
        self._delays[self._canonical(method)].extend([seconds] * count)

    def drop_next(self, method: str, *, count: int = 1) -> None:
        """Handle the next ``count`` calls of ``method`` ("*": any), then drop the connection
        without answering: the client sees a network error, the message was delivered."""
        self._drops[self._canonical(method)] += count

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        """The current state of a message (after edits), as a Bot API ``Message`` dict."""
        return self._messages[(chat_id, message_id)]

    def messages_to(self, chat_id: int) -> list[SentRecord]:
        """Messages delivered to ``chat_id`` (new messages only, not edits), oldest first."""
        return [
            r
            for r in self.sent
            if r.ok and r.chat_id == chat_id and r.method in NEW_MESSAGE_METHODS
        ]

    def last_message(self, chat_id: int) -> SentRecord | None:
        """The last message delivered to ``chat_id``, if any."""
        delivered = self.messages_to(chat_id)
        return delivered[-1] if delivered else None

    def calls(self, method: str) -> list[RequestRecord]:
        """The calls of ``method``."""
        name = self._canonical(method)
        return [r for r in self.requests if r.method == name]

    @property
    def rejected(self) -> list[RequestRecord]:
        """The calls answered with a 4xx status."""
        return [r for r in self.requests if 400 <= r.status < 500]

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by ``getUpdates``."""
        with self._lock:
            return list(self._queue)

    async def wait_for(
        self, predicate: Callable[[SentRecord], bool], timeout: float = 5.0, *, after: int = 0
    ) -> SentRecord:
        """The first record of :attr:`sent` (from index ``after``) matching ``predicate``.

        Waits up to ``timeout`` seconds, then raises :class:`TimeoutError`.
        """
        deadline = time.monotonic() + timeout
        while (record := self._first_sent(predicate, after)) is None:
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no matching send within {timeout} s; sent: {self.sent!r}")
            await asyncio.sleep(_WAIT_STEP)
        return record

    def wait_for_sync(
        self, predicate: Callable[[SentRecord], bool], timeout: float = 5.0, *, after: int = 0
    ) -> SentRecord:
        """:meth:`wait_for` for code not running an event loop (thread mode)."""
        deadline = time.monotonic() + timeout
        while (record := self._first_sent(predicate, after)) is None:
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no matching send within {timeout} s; sent: {self.sent!r}")
            time.sleep(_WAIT_STEP)
        return record

    def _first_sent(self, predicate: Callable[[SentRecord], bool], after: int) -> SentRecord | None:
        return next((r for r in self.sent[after:] if predicate(r)), None)

    # ------------------------------------------------------------------ pushing updates

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (its ``update_id`` is assigned); returns the ``update_id``."""
        with self._lock:
            update = {"update_id": self._next_update_id, **update}
            self._next_update_id += 1
            self._queue.append(update)
            self.updates.append(update)
        self._wake_pollers()
        return update["update_id"]

    def push_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
        reply_to: int | None = None,
    ) -> int:
        """A user writes ``text`` (a leading command gets its ``bot_command`` entity), as a
        reply to the message ``reply_to`` of the chat when given."""
        content: dict[str, Any] = {"text": text}
        if entities := _bot_command_entities(text):
            content["entities"] = entities
        if reply_to is not None:
            replied = self._messages[(chat_id, reply_to)]
            content["reply_to_message"] = {
                key: value for key, value in replied.items() if key != "reply_to_message"
            }
        return self._push_message(chat_id, content, user_id, first_name, language_code, username)

    def push_command(
        self,
        chat_id: int,
        command: str,
        args: str = "",
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> int:
        """A user sends ``/command args``."""
        text = f"/{command.removeprefix('/')}" + (f" {args}" if args else "")
        return self.push_text(
            chat_id,
            text,
            user_id=user_id,
            first_name=first_name,
            language_code=language_code,
            username=username,
        )

    def push_sticker(
        self,
        chat_id: int,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> int:
        """A user sends a sticker (a message without text)."""
        sticker = {
            "file_id": "CAACAgIAAxkBAAEEmulatorSticker",
            "file_unique_id": "AgADemu",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "\N{THUMBS UP SIGN}",
        }
        return self._push_message(
            chat_id, {"sticker": sticker}, user_id, first_name, language_code, username
        )

    def push_callback(
        self,
        chat_id: int,
        message_id: int,
        data: str,
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> int:
        """A user presses a button carrying ``data`` under a message the bot sent."""
        try:
            message = self._messages[(chat_id, message_id)]
        except KeyError:
            raise ValueError(f"no message {message_id} in chat {chat_id}") from None
        user = self._sender(chat_id, user_id, first_name, language_code, username)
        query_id = str(next(self._query_ids))
        self._open_callbacks.add(query_id)
        return self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user,
                    "message": message,
                    "data": data,
                    "chat_instance": str(-abs(chat_id) * 1000 - 7),
                }
            }
        )

    def push_inline_query(
        self,
        user_id: int,
        query: str,
        *,
        offset: str = "",
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> int:
        """A user types ``@bot query`` in any chat."""
        query_id = str(next(self._query_ids))
        self._open_inline_queries.add(query_id)
        user = self._user(user_id, first_name, language_code, username)
        return self.push_update(
            {
                "inline_query": {
                    "id": query_id,
                    "from": user,
                    "query": query,
                    "offset": offset,
                    "chat_type": "sender",
                }
            }
        )

    def push_my_chat_member(
        self,
        chat_id: int,
        status: str = "kicked",
        *,
        user_id: int | None = None,
        first_name: str = "Test",
        language_code: str | None = "ru",
        username: str | None = None,
    ) -> int:
        """The user blocks ("kicked") or unblocks ("member") the bot; sends follow suit."""
        if status not in ("kicked", "member"):
            raise ValueError("status is 'kicked' or 'member'")
        user = self._sender(chat_id, user_id, first_name, language_code, username)
        kicked = {"status": "kicked", "user": self.bot_user, "until_date": 0}
        member = {"status": "member", "user": self.bot_user}
        old, new = (member, kicked) if status == "kicked" else (kicked, member)
        if status == "kicked":
            self.block(chat_id)
        else:
            self.unblock(chat_id)
        return self.push_update(
            {
                "my_chat_member": {
                    "chat": self._chats[chat_id],
                    "from": user,
                    "date": int(time.time()),
                    "old_chat_member": old,
                    "new_chat_member": new,
                }
            }
        )

    async def post_update_to(
        self,
        url: str,
        update: dict[str, Any] | int,
        secret_token: str | None = None,
        *,
        timeout: float = 5.0,
    ) -> int:
        """POST an update (a dict, or the ``update_id`` of a pushed one) to a webhook.

        Sends the ``X-Telegram-Bot-Api-Secret-Token`` header when ``secret_token`` is given;
        returns the HTTP status of the answer.
        """
        if isinstance(update, int):
            update = next(u for u in self.updates if u["update_id"] == update)
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret_token} if secret_token else {}
        client_timeout = aiohttp.ClientTimeout(total=timeout)
        async with (
            aiohttp.ClientSession(timeout=client_timeout) as session,
            session.post(url, json=update, headers=headers) as response,
        ):
            return response.status

    def _user(
        self, user_id: int, first_name: str, language_code: str | None, username: str | None
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _sender(
        self,
        chat_id: int,
        user_id: int | None,
        first_name: str,
        language_code: str | None,
        username: str | None,
    ) -> dict[str, Any]:
        """The user acting in ``chat_id``, registering the chat."""
        if user_id is None:
            if chat_id < 0:
                raise ValueError("a group chat needs the user_id of the sender")
            user_id = chat_id
        if chat_id > 0:
            self.add_chat(
                chat_id, first_name=first_name, username=username, language_code=language_code
            )
        elif chat_id not in self._chats:
            self.add_chat(chat_id)
        return self._user(user_id, first_name, language_code, username)

    def _push_message(
        self,
        chat_id: int,
        content: dict[str, Any],
        user_id: int | None,
        first_name: str,
        language_code: str | None,
        username: str | None,
    ) -> int:
        user = self._sender(chat_id, user_id, first_name, language_code, username)
        message = self._store_message(chat_id, user, content)
        return self.push_update({"message": message})

    def _wake_pollers(self) -> None:
        loop, event = self._loop, self._new_update
        if loop is None or event is None or loop.is_closed():
            return
        try:
            same_loop = asyncio.get_running_loop() is loop
        except RuntimeError:
            same_loop = False
        if same_loop:
            event.set()
        else:
            loop.call_soon_threadsafe(event.set)

    # ------------------------------------------------------------------ HTTP

    def _canonical(self, method: str) -> str:
        entry = self._methods.get(method.lower())
        return entry[0] if entry else method

    async def _handle(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        entry = self._methods.get(name.lower())
        params: Params = {}
        try:
            if request.match_info["token"] != self.token:
                raise _ApiError(HTTPStatus.UNAUTHORIZED, "Unauthorized")
            if entry is None:
                raise _ApiError(HTTPStatus.NOT_FOUND, "Not Found")
            name, handler = entry
            params = await self._read_params(request)
            await self._apply_delay(name)
            self._apply_fault(name)
            body: dict[str, Any] = {"ok": True, "result": await handler(params)}
            status = HTTPStatus.OK
        except _ApiError as exc:
            body, status = exc.payload(), exc.status
        self._record(name, params, status, body)
        if self._take_drop(name):
            if request.transport is not None:
                request.transport.abort()
            raise ConnectionResetError("emulator: connection dropped after the call")
        return web.json_response(body, status=status)

    def _take_drop(self, method: str) -> bool:
        for key in (method, "*"):
            if self._drops[key]:
                self._drops[key] -= 1
                return True
        return False

    @staticmethod
    async def _read_params(request: web.Request) -> Params:
        """Query string plus a form, multipart or JSON body (PTB sends forms)."""
        params: Params = dict(request.query)
        if not request.body_exists:
            return params
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise _bad_request("can't parse JSON object") from None
            if not isinstance(body, dict):
                raise _bad_request("JSON object expected")
            params.update(body)
        else:
            params.update((await request.post()).items())
        return params

    async def _apply_delay(self, method: str) -> None:
        for key in (method, "*"):
            if self._delays[key]:
                await asyncio.sleep(self._delays[key].popleft())
                return

    def _apply_fault(self, method: str) -> None:
        for key in (method, "*"):
            if self._faults[key]:
                fault = self._faults[key].popleft()
                raise _ApiError(fault.status, fault.description, fault.retry_after)

    def _record(self, method: str, params: Params, status: int, body: dict[str, Any]) -> None:
        now = time.monotonic()
        params = _jsonable(params)
        self.requests.append(RequestRecord(method, params, status, body, now))
        log.info(
            "%s %s -> %s %s", method, params.get("chat_id", ""), status, body.get("description", "")
        )
        if method not in SEND_METHODS:
            return
        result = body.get("result")
        message = result if isinstance(result, dict) else {}
        try:  # as sent, even when invalid
            markup = _json_param(params.get("reply_markup"), "") or None
        except _ApiError:
            markup = None
        chat_id = params.get("chat_id")
        self.sent.append(
            SentRecord(
                method=method,
                chat_id=int(chat_id) if str(chat_id).lstrip("-").isdigit() else None,
                text=params.get("text", params.get("caption")),
                parse_mode=params.get("parse_mode"),
                reply_markup=markup,
                timestamp=now,
                ok=body["ok"],
                error_code=body.get("error_code"),
                description=body.get("description"),
                message_id=message.get("message_id", _int_or_none(params.get("message_id"))),
                plain_text=message.get("text", message.get("caption")),
                params=params,
            )
        )

    async def _handle_push(self, request: web.Request) -> web.Response:
        """``POST /emulator/push/<kind>``: call ``push_<kind>`` with the JSON body's arguments."""
        pushers: dict[str, Callable[..., int]] = {
            "text": self.push_text,
            "command": self.push_command,
            "callback": self.push_callback,
            "sticker": self.push_sticker,
            "inline_query": self.push_inline_query,
            "my_chat_member": self.push_my_chat_member,
            "update": self.push_update,
        }
        kind = request.match_info["kind"]
        if kind not in pushers:
            return web.json_response(
                {"ok": False, "description": f"unknown kind {kind!r}"}, status=HTTPStatus.NOT_FOUND
            )
        try:
            arguments = await request.json()
            update_id = pushers[kind](arguments) if kind == "update" else pushers[kind](**arguments)
        except (TypeError, ValueError) as exc:
            return web.json_response(
                {"ok": False, "description": str(exc)}, status=HTTPStatus.BAD_REQUEST
            )
        return web.json_response({"ok": True, "result": update_id})

    async def _handle_sent(self, request: web.Request) -> web.Response:
        """``GET /emulator/sent``: the send records as JSON."""
        return web.json_response({"ok": True, "result": [dataclasses.asdict(r) for r in self.sent]})

    # ------------------------------------------------------------------ chats and limits

    def _target_chat(self, params: Params) -> int:
        """The ``chat_id`` of a call, which must name a known chat."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise _bad_request("chat_id is empty")
        try:
            chat_id = int(raw)
        except (TypeError, ValueError):
            raise _bad_request("chat not found") from None
        if chat_id not in self._chats:
            if self.strict_chats:
                raise _bad_request("chat not found")
            self.add_chat(chat_id)
        return chat_id

    def _admit(self, chat_id: int, *, counted: bool = True) -> None:
        """Refuse a send to a blocked chat (403) or over the flood limits (429)."""
        if chat_id in self.blocked:
            kind = self._chats[chat_id]["type"]
            reason = (
                "bot was blocked by the user"
                if kind == "private"
                else "bot was kicked from the group chat"
            )
            raise _ApiError(HTTPStatus.FORBIDDEN, f"Forbidden: {reason}")
        if not (counted and self.limits):
            return
        now = time.monotonic()
        per_chat = (
            (PRIVATE_CHAT_SENDS_PER_SECOND, 1.0) if chat_id > 0 else (GROUP_SENDS_PER_MINUTE, 60.0)
        )
        for times, (limit, window) in (
            (self._send_times, (SENDS_PER_SECOND, 1.0)),
            (self._chat_send_times[chat_id], per_chat),
        ):
            while times and times[0] <= now - window:
                times.popleft()
            if len(times) >= limit:
                self.flood_rejections += 1
                retry_after = max(1, math.ceil(times[0] + window - now))
                raise _ApiError(
                    HTTPStatus.TOO_MANY_REQUESTS,
                    f"Too Many Requests: retry after {retry_after}",
                    retry_after,
                )
        self._send_times.append(now)
        self._chat_send_times[chat_id].append(now)

    def _store_message(
        self, chat_id: int, sender: dict[str, Any], content: dict[str, Any]
    ) -> dict[str, Any]:
        with self._lock:
            self._last_message_id[chat_id] += 1
            message = {
                "message_id": self._last_message_id[chat_id],
                "from": sender,
                "chat": self._chats[chat_id],
                "date": int(time.time()),
                **content,
            }
            self._messages[(chat_id, message["message_id"])] = message
            return message

    def _reply_target(self, chat_id: int, params: Params) -> dict[str, Any] | None:
        """The message replied to (``reply_parameters``), as Telegram embeds it."""
        reply = _json_param(
            params.get("reply_parameters"), "can't parse reply parameters JSON object"
        )
        if not reply:
            return None
        if not isinstance(reply, dict):
            raise _bad_request("object expected as reply parameters")
        target_chat = _int_or_none(reply.get("chat_id")) or chat_id
        target = self._messages.get((target_chat, _int_or_none(reply.get("message_id")) or 0))
        if target is None:
            if reply.get("allow_sending_without_reply"):
                return None
            raise _bad_request("message to be replied not found")
        return {key: value for key, value in target.items() if key != "reply_to_message"}

    def _deliver(
        self, chat_id: int, params: Params, content: dict[str, Any], markup: dict[str, Any] | None
    ) -> dict[str, Any]:
        """Check the reply target, admit the send, store and return the bot's message."""
        reply_to = self._reply_target(chat_id, params)
        self._admit(chat_id)
        if reply_to is not None:
            content["reply_to_message"] = reply_to
        if markup is not None and "inline_keyboard" in markup:
            content["reply_markup"] = markup
        return self._store_message(chat_id, self.bot_user, content)

    def _editable(self, params: Params) -> tuple[int, dict[str, Any]] | None:
        """The (chat id, message) an edit targets; None for an inline message."""
        if params.get("inline_message_id"):
            return None
        chat_id = self._target_chat(params)
        message_id = _int_param(params, "message_id")
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        message = self._messages.get((chat_id, message_id))
        if message is None:
            raise _bad_request("message to edit not found")
        if message["from"]["id"] != self.bot_user["id"]:
            raise _bad_request("message can't be edited")
        return chat_id, message

    # ------------------------------------------------------------------ methods

    async def _true(self, params: Params) -> bool:
        return True

    async def _get_me(self, params: Params) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: Params) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise _ApiError(
                HTTPStatus.CONFLICT,
                "Conflict: can't use getUpdates method while "
                "webhook is active; use deleteWebhook to delete the webhook first",
            )
        offset = _int_param(params, "offset", 0) or 0
        limit = min(
            max(_int_param(params, "limit", UPDATES_LIMIT) or UPDATES_LIMIT, 1), UPDATES_LIMIT
        )
        try:
            timeout = min(max(float(params.get("timeout") or 0), 0.0), self.max_poll_timeout)
        except (TypeError, ValueError):
            raise _bad_request("invalid timeout specified") from None
        allowed = (
            _json_param(params.get("allowed_updates"), "can't parse allowed_updates JSON object")
            or None
        )
        with self._lock:
            if offset > 0:
                while self._queue and self._queue[0]["update_id"] < offset:
                    self._queue.popleft()
            elif offset < 0:
                while len(self._queue) > -offset:
                    self._queue.popleft()
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while True:
            self._new_update.clear()
            with self._lock:
                batch = [
                    u for u in self._queue if allowed is None or any(kind in u for kind in allowed)
                ][:limit]
            remaining = deadline - time.monotonic()
            if batch or remaining <= 0 or self._closing:
                return batch
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_update.wait(), remaining)

    async def _set_webhook(self, params: Params) -> bool:
        url = str(params.get("url") or "")
        if url:
            parts = urlsplit(url)
            if parts.scheme != "https" and not (
                parts.scheme == "http" and parts.hostname in _LOCAL_HOSTS
            ):
                raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN_RE.fullmatch(str(secret)):
            raise _bad_request("secret token contains unallowed characters")
        if _bool_param(params, "drop_pending_updates"):
            with self._lock:
                self._queue.clear()
        self.webhook_url, self.webhook_secret = url, secret if url else None
        return True

    async def _delete_webhook(self, params: Params) -> bool:
        if _bool_param(params, "drop_pending_updates"):
            with self._lock:
                self._queue.clear()
        self.webhook_url, self.webhook_secret = "", None
        return True

    async def _get_webhook_info(self, params: Params) -> dict[str, Any]:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._queue),
            "max_connections": 40,
        }

    async def _send_message(self, params: Params) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        plain, entities = _parse_text(params)
        markup = _reply_markup(params.get("reply_markup"))
        content: dict[str, Any] = {"text": plain}
        if entities:
            content["entities"] = entities
        return self._deliver(chat_id, params, content, markup)

    async def _send_photo(self, params: Params) -> dict[str, Any]:
        file = self._media(params, "photo")
        photo = [{**file, "width": 1280, "height": 720, "file_size": 1}]
        return await self._send_media(params, {"photo": photo})

    async def _send_document(self, params: Params) -> dict[str, Any]:
        file = self._media(params, "document")
        upload = params["document"]
        if isinstance(upload, web.FileField):
            file["file_name"] = upload.filename
        return await self._send_media(params, {"document": file})

    def _media(self, params: Params, key: str) -> dict[str, Any]:
        """The file object of a sent photo or document (an upload, a file_id or a URL)."""
        if not params.get(key):
            raise _bad_request(f"there is no {key} in the request")
        number = len(self._messages) + 1
        return {"file_id": f"emulator-{key}-{number}", "file_unique_id": f"emu{number}"}

    async def _send_media(self, params: Params, content: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        caption, entities = _formatted(
            params.get("caption"),
            params.get("parse_mode"),
            limit=CAPTION_LIMIT,
            too_long="message caption is too long",
            empty=None,
        )
        markup = _reply_markup(params.get("reply_markup"))
        if caption:
            content["caption"] = caption
        if entities:
            content["caption_entities"] = entities
        return self._deliver(chat_id, params, content, markup)

    async def _edit_message_text(self, params: Params) -> dict[str, Any] | bool:
        plain, entities = _parse_text(params)
        markup = _reply_markup(params.get("reply_markup"))
        target = self._editable(params)
        if target is None:
            return True
        chat_id, message = target
        if "text" not in message:
            raise _bad_request("there is no text in the message to edit")
        return self._edit(chat_id, message, {"text": plain, "entities": entities}, markup)

    async def _edit_message_reply_markup(self, params: Params) -> dict[str, Any] | bool:
        markup = _reply_markup(params.get("reply_markup"))
        target = self._editable(params)
        if target is None:
            return True
        chat_id, message = target
        return self._edit(chat_id, message, {}, markup)

    def _edit(
        self,
        chat_id: int,
        message: dict[str, Any],
        changes: dict[str, Any],
        markup: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """Apply an edit, refusing one that changes nothing as Telegram does."""
        new = {**message, **changes}
        if not new.get("entities"):
            new.pop("entities", None)
        new.pop("reply_markup", None)
        if markup is not None and "inline_keyboard" in markup:
            new["reply_markup"] = markup
        unchanged = all(
            new.get(key) == message.get(key) for key in ("text", "entities", "reply_markup")
        )
        if unchanged:
            raise _bad_request(
                "message is not modified: specified new message content and reply "
                "markup are exactly the same as a content and reply markup of the "
                "current message"
            )
        self._admit(chat_id)
        new["edit_date"] = int(time.time())
        self._messages[(chat_id, message["message_id"])] = new
        return new

    async def _delete_message(self, params: Params) -> bool:
        chat_id = self._target_chat(params)
        key = (chat_id, _int_param(params, "message_id") or 0)
        if self._messages.pop(key, None) is None:
            raise _bad_request("message to delete not found")
        return True

    async def _send_chat_action(self, params: Params) -> bool:
        chat_id = self._target_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        self._admit(chat_id, counted=False)
        return True

    async def _get_chat_member(self, params: Params) -> dict[str, Any]:
        chat_id = self._target_chat(params)
        user_id = _int_param(params, "user_id")
        if user_id is None:
            raise _bad_request("user_id is empty")
        user = {"id": user_id, "is_bot": False, "first_name": "Member"}
        if chat_id > 0:
            return {"status": "member" if chat_id != user_id else "creator", "user": user}
        if user_id not in self.group_admins[chat_id]:
            return {"status": "member", "user": user}
        return {"status": "administrator", "user": user, **dict.fromkeys(_ADMIN_RIGHTS, False)}

    async def _answer_callback_query(self, params: Params) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        text = str(params.get("text") or "")
        if utf16_len(text) > CALLBACK_ANSWER_TEXT_LIMIT:
            raise _bad_request("MESSAGE_TOO_LONG")
        if query_id not in self._open_callbacks:
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._open_callbacks.discard(query_id)
        self.callback_answers[query_id] = _jsonable(params)
        return True

    async def _answer_inline_query(self, params: Params) -> bool:
        query_id = str(params.get("inline_query_id") or "")
        results = _json_param(params.get("results"), "can't parse inline query results JSON object")
        if not isinstance(results, list):
            raise _bad_request("results must be an Array")
        if len(results) > INLINE_RESULTS_LIMIT:
            raise _bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            result_id = result.get("id") if isinstance(result, dict) else None
            if not isinstance(result_id, str) or not (
                1 <= len(result_id.encode()) <= INLINE_RESULT_ID_BYTES
            ):
                raise _bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise _bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                _parse_text(content, "message_text")
            _reply_markup(result.get("reply_markup"))
        if query_id not in self._open_inline_queries:
            raise _bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        self._open_inline_queries.discard(query_id)
        self.inline_answers[query_id] = {**_jsonable(params), "results": results}
        return True

    @staticmethod
    def _commands_key(params: Params) -> tuple[str, str]:
        scope = _json_param(params.get("scope"), "can't parse scope JSON object") or {
            "type": "default"
        }
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _set_my_commands(self, params: Params) -> bool:
        commands = _json_param(params.get("commands"), "can't parse commands JSON object")
        if not isinstance(commands, list):
            raise _bad_request("commands must be an Array")
        if len(commands) > COMMANDS_LIMIT:
            raise _bad_request("BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            if not isinstance(command, dict) or not _COMMAND_RE.fullmatch(
                str(command.get("command", ""))
            ):
                raise _bad_request("BOT_COMMAND_INVALID")
            description = command.get("description")
            if not isinstance(description, str) or not (
                1 <= len(description.strip()) <= COMMAND_DESCRIPTION_LIMIT
            ):
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    async def _get_my_commands(self, params: Params) -> list[dict[str, Any]]:
        return self.commands.get(self._commands_key(params), [])

    async def _delete_my_commands(self, params: Params) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- script


def main(argv: list[str] | None = None) -> None:
    """Serve the emulator until interrupted (``python tests/helpers/botapi_emulator.py``)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--limits", action="store_true", help="emulate flood limits")
    parser.add_argument(
        "--strict-chats", action="store_true", help="unknown chats get 400 chat not found"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    emulator = BotAPIEmulator(
        args.token,
        host=args.host,
        port=args.port,
        limits=args.limits,
        strict_chats=args.strict_chats,
    )

    async def serve() -> None:
        async with emulator:
            print(f"base_url {emulator.base_url}  token {emulator.token}", flush=True)
            await asyncio.Event().wait()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


if __name__ == "__main__":
    main()
