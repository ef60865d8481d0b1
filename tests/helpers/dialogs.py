"""Steps of the dialog that many tests take."""

from __future__ import annotations

from bot.dialog import Dialog, Reply, UserRef
from bot.dialog.reply import split_language


def forget(dialog: Dialog, user: UserRef) -> Reply:
    """/forget, confirmed with its "Yes, delete everything" button: the reply that says what
    was deleted."""
    (question,) = dialog.handle_message(user, "/forget")
    action = next(
        b.action for row in question.buttons for b in row if split_language(b.action)[0] == "pf:yes"
    )
    gone, done = dialog.handle_button(user, action)
    assert gone.edit and not gone.buttons
    return done
