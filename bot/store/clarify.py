"""Clarifying questions: the entries offered when the bot could not decide, and the one the
person chose. No text and no user are kept with them: only which entries people confuse.
Which question a user was asked last is kept apart, under their key, for minutes."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.tables import Tables, now_text


class Clarifications(Tables):
    """Clarifying questions: the entries offered and the one chosen (no text, no user), and
    the one each user was asked last."""

    def ask_clarification(self, offered: tuple[str, ...]) -> int:
        """Record that ``offered`` were offered to choose from; returns the question's id."""
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO clarifications (offered, created_at) VALUES (?, ?)",
                [",".join(offered), now_text()],
            )
        return int(cursor.lastrowid or 0)

    def offered(self, question: int) -> tuple[str, ...]:
        """The entries clarifying ``question`` offered, in order (none: unknown or expired)."""
        row = self.db.execute(
            "SELECT offered FROM clarifications WHERE id = ?", [question]
        ).fetchone()
        return tuple(str(row[0]).split(",")) if row else ()

    def set_recent_choice(self, chat_id: int, question: int) -> None:
        """Remember that the user was just asked clarifying ``question`` (under their key)."""
        self._set_user_row("recent_choices", chat_id, question=question, asked_at=now_text())

    def take_recent_choice(self, chat_id: int, *, max_age: timedelta) -> int | None:
        """The clarifying question the user was asked last, if within ``max_age``; forgotten
        once read (the next message answers it or is another question)."""
        row = self._take_user_row("recent_choices", "question", chat_id, max_age)
        return None if row is None else int(str(row[0]))

    def choose(self, question: int, number: int) -> str | None:
        """Record that option ``number`` of clarifying ``question`` was chosen; its entry id,
        or None when the question is unknown (expired) or has no such option."""
        offered = self.offered(question)
        if not 0 <= number < len(offered):
            return None
        with self.db.atomic():
            self.db.execute(
                "UPDATE clarifications SET chosen = ? WHERE id = ?", [offered[number], question]
            )
        return offered[number]

    def confusions(self, since: datetime) -> list[tuple[tuple[str, ...], str | None, int]]:
        """(entries offered, the one chosen or None, how many times) since ``since``, most
        frequent first: which entries people confuse."""
        rows = self.db.execute(
            "SELECT offered, chosen, count(*) FROM clarifications WHERE created_at >= ?"
            " GROUP BY offered, chosen ORDER BY count(*) DESC, offered",
            [since.isoformat(timespec="seconds")],
        )
        return [(tuple(str(o).split(",")), c, int(n)) for o, c, n in rows]
