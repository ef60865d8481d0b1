"""The database as its admins hear of it in the chat: the alert when its file is deleted or
replaced under the running bot, and the all-clear when it is back."""

from __future__ import annotations

from bot.dialog.reply import Reply
from bot.dialog.turn import Turn


def database_replies(turn: Turn, *, gone: bool) -> list[Reply]:
    """Tell an admin that the database file is gone (changes are held in memory) or back."""
    _ = turn._
    if gone:
        return [
            Reply(
                _(
                    "The database file was deleted or replaced while I run. I keep answering, "
                    "but changes are only held in memory until the file is back: restore it "
                    "from the latest backup."
                )
            )
        ]
    return [Reply(_("The database file is back: the held changes are saved."))]
