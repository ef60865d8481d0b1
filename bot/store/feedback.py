"""Votes on answers."""

from __future__ import annotations

from bot.kb.model import Lang
from bot.store.tables import Tables, now_text


class Feedback(Tables):
    """Votes on answers."""

    def add_feedback(self, chat_id: int, entry_id: str, vote: int, lang: Lang) -> None:
        """Store a 👍 (+1) or 👎 (-1) on an entry; a user's later vote replaces the earlier."""
        if vote not in (1, -1):
            raise ValueError("vote must be +1 or -1")
        with self.db.conn:
            self.db.table("feedback").upsert(
                {
                    "chat_id": chat_id,
                    "entry_id": entry_id,
                    "vote": vote,
                    "lang": lang,
                    "created_at": now_text(),
                },
                pk=("chat_id", "entry_id"),
            )

    def feedback_counts(self) -> dict[str, tuple[int, int]]:
        """Per entry: (👍 count, 👎 count)."""
        rows = self.db.execute(
            "SELECT entry_id, sum(vote > 0), sum(vote < 0) FROM feedback GROUP BY entry_id"
        )
        return {entry: (up, down) for entry, up, down in rows}
