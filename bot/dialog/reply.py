"""Transport-free replies: what the dialog core returns and the adapters render."""

from __future__ import annotations

from dataclasses import dataclass

CALLBACK_DATA_LIMIT = 64  # bytes; telegram.constants.InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
ROW_LIMIT = 8  # buttons per row Telegram accepts


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


@dataclass(frozen=True)
class Reply:
    """One message: ``text`` in the knowledge-base markup, buttons in rows.

    ``toast`` is a short notice for the pressed button (Telegram's callback answer), if any.
    """

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    toast: str | None = None

    def __post_init__(self) -> None:
        if any(len(row) > ROW_LIMIT for row in self.buttons):
            raise ValueError(f"at most {ROW_LIMIT} buttons a row")


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
