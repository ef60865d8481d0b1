"""/forget: asked to confirm, everything the bot keeps about the user is deleted, and it says
so; and what it keeps, for a user who asks ("is my data shared with the agency?")."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import timedelta

from bot.dialog.choices import typed_button
from bot.dialog.reply import Button, Reply
from bot.dialog.turn import ButtonHandler, Command, Feature, Turn, offers
from bot.i18n import N_
from bot.store import disk_error

PREFIX = "pf"  # the confirmation's buttons: pf:yes deletes, pf:no keeps
YES = N_("🗑 Yes, delete everything")
NO = N_("No, keep it")
CONFIRM_TIMEOUT = timedelta(minutes=10)  # a typed "да" this long after /forget confirms it


class Privacy(Feature):
    """/forget: the user's language, subscriptions, votes, questions to the experts and notices
    on their way, deleted. ``forgetting`` is asked first, for what another feature does about
    it (an expert's cases go back to the others), and may add a note to the reply. Rows about
    people are deleted after ``retention`` (the store's retention period, which the Telegram
    service runs), as :meth:`explained` tells."""

    def __init__(
        self, retention: timedelta, forgetting: Sequence[Callable[[Turn], str | None]] = ()
    ) -> None:
        self.forgetting = tuple(forgetting)
        self.retention = retention

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
        choices = (Button(_(YES), f"{PREFIX}:yes"), Button(_(NO), f"{PREFIX}:no"))
        turn.store.ask_to_forget(turn.user.chat_id)  # a typed "да" or "жоқ" answers it too
        return [Reply(question, (choices,))]

    def explained(self, turn: Turn) -> str:
        """What the bot keeps about the user and passes on (nothing, to no body; a question
        for the experts only without their name), and /forget."""
        _ = turn._
        passed = _("I pass nothing to the Anti-Corruption Agency or to any other body.")
        if offers(turn, "ask"):
            passed += " " + _(
                "A question you send to the experts with /ask reaches them without your name."
            )
        kept = _(
            "What I keep about you: your language, subscriptions, votes and comments on "
            "answers, and your questions with names, phone numbers and IINs removed (the bot's "
            "maintainers read them to improve the answers), and what the conversation needs, "
            "such as the last answer shown. It is kept under a coded key, not under your name, "
            "and each record is deleted after {days} days; subscriptions last until you "
            "unsubscribe.",
            days=self.retention.days,
        )
        return "\n\n".join(
            [passed, kept, _("/forget deletes everything I keep about you at once.")]
        )

    def text(self, turn: Turn, text: str) -> list[Reply] | None:
        """A typed answer to "Delete it all?" ("да", "жоқ", "yes, delete"), read as its
        buttons; None for anything else, which is answered as usual and leaves all as it was."""
        if not turn.store.take_forget_request(turn.user.chat_id, max_age=CONFIRM_TIMEOUT):
            return None
        chosen = typed_button(turn.catalogs, (YES, NO), text)
        if chosen is None:
            return None
        return self._delete(turn) if chosen == 0 else [Reply(turn._("Nothing was deleted."))]

    def interrupted(self, turn: Turn) -> bool:
        """A command or a button: a typed word is no longer an answer to "Delete it all?"."""
        turn.store.take_forget_request(turn.user.chat_id, max_age=CONFIRM_TIMEOUT)
        return False

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
