"""Transport-free replies: what the dialog core returns and the adapters render.

A button carries the language of the message it belongs to after its action
(``e:gifts-any-value-ban|kk``), so pressing it answers in that language whatever the
client's; :func:`split_language` takes it off again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from bot.kb.model import LANGS, Lang

CALLBACK_DATA_LIMIT = 64  # bytes; telegram.constants.InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
ROW_LIMIT = 8  # buttons per row Telegram accepts
T = TypeVar("T")
LANGUAGE_MARK = "|"  # between a button's action and its message's language


def split_language(data: str) -> tuple[str, Lang | None]:
    """A pressed button's data as (action, language of its message or None when unmarked).

    >>> split_language("e:gift-ban|kk")
    ('e:gift-ban', 'kk')
    >>> split_language("e:gift-ban")
    ('e:gift-ban', None)
    """
    action, mark, lang = data.rpartition(LANGUAGE_MARK)
    found = next((code for code in LANGS if mark and code == lang), None)
    return (action, found) if found else (data, None)


@dataclass(frozen=True)
class Button:
    """A button: its label and the action sent back when pressed (callback data, ≤ 64 bytes)."""

    label: str
    action: str

    def __post_init__(self) -> None:
        size = len(self.action.encode())
        if not 0 < size <= CALLBACK_DATA_LIMIT:
            raise ValueError(
                f"button action must be 1-{CALLBACK_DATA_LIMIT} bytes: {self.action!r}"
            )

    def in_language(self, lang: Lang) -> Button:
        """The button marked with its message's language (kept as it is when already marked,
        or when the mark would not fit in the callback data: it then answers in the user's)."""
        data = f"{self.action}{LANGUAGE_MARK}{lang}"
        if split_language(self.action)[1] or len(data.encode()) > CALLBACK_DATA_LIMIT:
            return self
        return Button(self.label, data)


@dataclass(frozen=True)
class Reply:
    """One message: ``text`` in the knowledge-base markup, buttons in rows.

    ``toast`` is a short notice for the pressed button (Telegram's callback answer), if any.
    ``edit``: instead of a new message, the buttons of the message whose button was pressed
    become ``buttons`` (its text stays; an edit has none of its own). ``in_place`` (with
    ``edit``): only the pressed button's row becomes ``buttons``; the other rows stay as they
    are, in their order (a vote's 👍 👎 give way to a thank-you under the same questions).
    ``replaces``: the pressed message becomes this one, text and buttons (a panel shown again
    with the press applied); a new message where there is none to replace. ``numbered``: its
    buttons are choices that a number typed next ("2", "вариант 2") picks, counted in reading
    order over the replies shown with it (see :class:`bot.dialog.core.Dialog`).
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    toast: str | None = None
    edit: bool = False
    in_place: bool = False
    replaces: bool = False
    numbered: bool = False

    def __post_init__(self) -> None:
        if any(len(row) > ROW_LIMIT for row in self.buttons):
            raise ValueError(f"at most {ROW_LIMIT} buttons a row")
        if self.edit and self.text:
            raise ValueError("an edit replaces the pressed message's buttons, not its text")
        if self.in_place and not self.edit:
            raise ValueError("only an edit replaces the pressed button's row")
        if self.replaces and (self.edit or not self.text):
            raise ValueError("a reply replacing the pressed message has a text of its own")

    def in_language(self, lang: Lang) -> Reply:
        """The reply with its buttons marked as belonging to a message in ``lang``."""
        rows = tuple(tuple(button.in_language(lang) for button in row) for row in self.buttons)
        return replace(self, buttons=rows)

    def marked_language(self) -> Lang | None:
        """The language its buttons are marked with (:meth:`in_language`); None: unmarked."""
        marks = (split_language(button.action)[1] for row in self.buttons for button in row)
        return next(filter(None, marks), None)


@dataclass(frozen=True)
class Outgoing:
    """A message to a chat other than the current one (an expert's, an asker's): a new one,
    replying to the message ``reply_to`` if set, or an edit of the message ``edit``."""

    reply: Reply
    edit: int | None = None
    reply_to: int | None = None


@dataclass(frozen=True)
class UserRef:
    """Who is talking: the chat to answer, the client's language and admin rights."""

    chat_id: int
    user_id: int | None = None
    client_lang: str | None = None  # e.g. Telegram's language_code
    is_admin: bool = False


@dataclass(frozen=True)
class InlineResult:
    """An entry offered in inline mode (``@bot gifts``)."""

    id: str
    title: str
    description: str
    text: str  # markup of the message to share


def replace_row(
    rows: Sequence[Sequence[T]], pressed: Callable[[T], bool], new: Sequence[Sequence[T]]
) -> list[list[T]]:
    """``rows`` with the row holding the ``pressed`` button replaced by the rows ``new``
    (all of ``rows`` and then ``new`` when no row holds it).

    >>> replace_row([["a"], ["b", "c"], ["d"]], lambda b: b == "c", [["x"]])
    [['a'], ['x'], ['d']]
    """
    kept = [list(row) for row in rows]
    at = next((i for i, row in enumerate(kept) if any(map(pressed, row))), len(kept))
    return [*kept[:at], *(list(row) for row in new), *kept[at + 1 :]]
