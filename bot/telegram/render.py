"""Replies as Telegram messages: markup → HTML parts within the length limit, buttons → keyboard.

A reply longer than a message is split at paragraph breaks, an overlong paragraph at line
breaks (the renderer keeps every tag on one line, so both cuts are always tag-safe). A single
line over the limit is sent as escaped plain text split at spaces, and a word over the limit is
cut wherever it has to be.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.dialog.reply import Button, Reply
from bot.kb.markup import paragraph_to_html, paragraph_to_plain, paragraphs

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH


def size(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); tags and entities count too, so the
    visible text is never longer."""
    return len(text.encode("utf-16-le")) // 2


def _pack(pieces: Iterable[str], sep: str, limit: int) -> list[str]:
    """Join consecutive pieces (each within ``limit``) with ``sep`` into as few parts as fit."""
    parts: list[str] = []
    used = 0  # size of the last part
    for piece in pieces:
        grown = used + size(sep) + size(piece)
        if parts and grown <= limit:
            parts[-1] += sep + piece
            used = grown
        else:
            parts.append(piece)
            used = size(piece)
    return parts


def _cut_word(word: str, limit: int) -> list[str]:
    """Escaped pieces of a plain word, each within ``limit``."""
    escaped = html.escape(word, quote=False)
    if size(escaped) <= limit:
        return [escaped]
    return _pack((html.escape(char, quote=False) for char in word), "", limit)


def _line_parts(line: str, limit: int) -> list[str]:
    rendered = paragraph_to_html(line)
    if size(rendered) <= limit:
        return [rendered]
    words = paragraph_to_plain(line).split(" ")
    return _pack((piece for word in words for piece in _cut_word(word, limit)), " ", limit)


def _paragraph_parts(paragraph: str, limit: int) -> list[str]:
    rendered = paragraph_to_html(paragraph)
    if size(rendered) <= limit:
        return [rendered]
    lines = paragraph.splitlines()
    return _pack((part for line in lines for part in _line_parts(line, limit)), "\n", limit)


def split_html(markup: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Render markup to Telegram HTML parts of at most ``limit`` characters each."""
    pieces = (part for p in paragraphs(markup) for part in _paragraph_parts(p, limit))
    return [part for part in _pack(pieces, "\n\n", limit) if part.strip()]


def keyboard(rows: tuple[tuple[Button, ...], ...]) -> InlineKeyboardMarkup | None:
    """An inline keyboard for the reply's button rows (None when there are none)."""
    if not any(rows):
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.action) for b in row]
            for row in rows
            if row
        ]
    )


Message = tuple[str, InlineKeyboardMarkup | None]  # HTML text, keyboard


def to_messages(reply: Reply, limit: int = TEXT_LIMIT) -> list[Message]:
    """The messages that carry ``reply``: (HTML text, keyboard); buttons go on the last one."""
    parts = split_html(reply.text, limit)
    markup = keyboard(reply.buttons)
    return [(text, markup if i == len(parts) - 1 else None) for i, text in enumerate(parts)]
