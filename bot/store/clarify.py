"""Clarifying questions: the entries offered when the bot could not decide, and the one the
person chose. No text and no user are kept: only which entries people confuse."""

from __future__ import annotations

from datetime import datetime

from bot.store.tables import Tables, now_text


class Clarifications(Tables):
    """Clarifying questions: the entries offered and the one chosen (no text, no user)."""

    def ask_clarification(self, offered: tuple[str, ...]) -> int:
        """Record that ``offered`` were offered to choose from; returns the question's id."""
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO clarifications (offered, created_at) VALUES (?, ?)",
                [",".join(offered), now_text()],
            )
        return int(cursor.lastrowid or 0)

    def choose(self, question: int, number: int) -> str | None:
        """Record that option ``number`` of clarifying ``question`` was chosen; its entry id,
        or None when the question is unknown (expired) or has no such option."""
        row = self.db.execute(
            "SELECT offered FROM clarifications WHERE id = ?", [question]
        ).fetchone()
        offered = str(row[0]).split(",") if row else []
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
