"""Where each user is in a situation checker: the checker and the choices made so far, under
the user's key (never the Telegram id)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.tables import Tables, now_text


class Flows(Tables):
    """Where each user is in a situation checker: the checker and the choices made so far."""

    def flow(self, chat_id: int, *, max_age: timedelta) -> tuple[str, str] | None:
        """(checker id, choices) of the user's open checker; None when none was touched
        within ``max_age`` (an old one is abandoned)."""
        row = self.db.execute(
            "SELECT checker, path, updated_at FROM flows WHERE uid = ?", [self.uid(chat_id)]
        ).fetchone()
        if row is None or datetime.fromisoformat(row[2]) < datetime.now(UTC) - max_age:
            return None
        return str(row[0]), str(row[1])

    def set_flow(self, chat_id: int, checker: str, path: str) -> None:
        """Remember that the user is at ``path`` of ``checker``."""
        self._set_user_row(
            "flows", chat_id, checker=checker, path=path, updated_at=now_text(), aside=0
        )

    def set_flow_aside(self, chat_id: int) -> None:
        """The user typed a question between steps: their next typed words are no step's answer
        until a step is shown again (its buttons still work)."""
        with self.db.atomic():
            self.db.execute("UPDATE flows SET aside = 1 WHERE uid = ?", [self.uid(chat_id)])

    def flow_aside(self, chat_id: int) -> bool:
        """Whether the user's open checker was set aside (see :meth:`set_flow_aside`)."""
        row = self.db.execute("SELECT aside FROM flows WHERE uid = ?", [self.uid(chat_id)])
        found = row.fetchone()
        return bool(found and found[0])

    def end_flow(self, chat_id: int) -> bool:
        """Forget the user's open checker; True when there was one."""
        with self.db.atomic():
            return bool(
                self.db.execute("DELETE FROM flows WHERE uid = ?", [self.uid(chat_id)]).rowcount
            )
