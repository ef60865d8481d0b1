"""The entry each user was answered with last, under the user's key (never the Telegram id):
so that a short follow-up ("а племянник?", "and if it is money?") is read with its context.
Minutes-long state, dropped by /forget and the retention period like the rest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.tables import Tables, now_text


class RecentAnswers(Tables):
    """The entry each user was answered with last, and when."""

    def recent_answer(self, chat_id: int, *, max_age: timedelta) -> str | None:
        """The entry the user was answered with last, if within ``max_age``."""
        since = (datetime.now(UTC) - max_age).isoformat(timespec="seconds")
        row = self.db.execute(
            "SELECT entry_id FROM recent_answers WHERE uid = ? AND answered_at >= ?",
            [self.uid(chat_id), since],
        ).fetchone()
        return None if row is None else str(row[0])

    def set_recent_answer(self, chat_id: int, entry_id: str) -> None:
        """Remember that the user was just answered with ``entry_id``."""
        self._set_user_row("recent_answers", chat_id, entry_id=entry_id, answered_at=now_text())

    def drop_recent_answer(self, chat_id: int) -> None:
        """Forget the last answer as a context: what the user types next is about something
        else (a step of a check is on the screen)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM recent_answers WHERE uid = ?", [self.uid(chat_id)])
