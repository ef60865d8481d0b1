"""/forget: asked to confirm, everything the bot keeps about the user is deleted, and it says
so."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from bot.dialog.reply import Button, Reply
from bot.dialog.turn import ButtonHandler, Command, Feature, Turn
from bot.i18n import N_
from bot.store import disk_error

PREFIX = "pf"  # the confirmation's buttons: pf:yes deletes, pf:no keeps


class Privacy(Feature):
    """/forget: the user's language, subscriptions, votes, questions to the experts and notices
    on their way, deleted. ``forgetting`` is asked first, for what another feature does about
    it (an expert's cases go back to the others), and may add a note to the reply."""

    def __init__(self, forgetting: Sequence[Callable[[Turn], str | None]] = ()) -> None:
        self.forgetting = tuple(forgetting)

    def commands(self) -> list[Command]:
        """/forget."""
        return [Command("forget", self.forget, N_("Delete everything I keep about you"))]

    def buttons(self) -> dict[str, ButtonHandler]:
        """pf: the answer to "Delete it all?"."""
        return {PREFIX: self.confirmed}

    def forget(self, turn: Turn, _args: str) -> list[Reply]:
        """Ask first: one tap in the command menu would otherwise delete the subscriptions too."""
        _ = turn._
        question = _(
            "This deletes everything I keep about you: your language, subscriptions, votes, "
            "questions to the experts and notices on their way. Delete it all?"
        )
        choices = (
            Button(_("🗑 Yes, delete everything"), f"{PREFIX}:yes"),
            Button(_("No, keep it"), f"{PREFIX}:no"),
        )
        return [Reply(question, (choices,))]

    def confirmed(self, turn: Turn, payload: str) -> list[Reply]:
        """The answer to "Delete it all?": the question's buttons go, and it is done or not."""
        if payload != "yes":
            return [Reply("", edit=True), Reply(turn._("Nothing was deleted."))]
        return [Reply("", edit=True), *self._delete(turn)]

    def _delete(self, turn: Turn) -> list[Reply]:
        """Delete every row about the sender (in a group: their own, not the group's)."""
        user = turn.user
        try:
            notes = [note for hook in self.forgetting if (note := hook(turn))]
            deleted = turn.store.forget(user.user_id if user.user_id is not None else user.chat_id)
        except sqlite3.Error as exc:
            if not disk_error(exc):
                raise
            return [
                Reply(
                    turn._(
                        "I could not delete your data just now. Please send /forget again in a "
                        "few minutes."
                    )
                )
            ]
        done = turn._(
            "Done: I deleted everything I kept about you (records deleted: {count} — your "
            "language, subscriptions, votes, questions to the experts and notices on "
            "their way). If you write again, I start afresh.",
            count=deleted,
        )
        return [Reply("\n\n".join([done, *notes]))]
