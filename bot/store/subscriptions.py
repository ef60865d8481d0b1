"""Subscriptions to topics and how notices are delivered (at once or weekly)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from bot.store.tables import DeliveryMode, now_text, stamp
from bot.store.users import Users


class Subscriptions(Users):
    """Subscriptions to topics and how notices are delivered (at once or weekly)."""

    def subscriptions(self, chat_id: int) -> set[str]:
        """The topics a chat subscribed to (``ALL_TOPICS`` for every topic)."""
        rows = self.db.execute("SELECT topic FROM subscriptions WHERE chat_id = ?", [chat_id])
        return {topic for (topic,) in rows}

    def set_subscriptions(self, chat_id: int, topics: Iterable[str]) -> None:
        """Replace a chat's subscriptions; with none left, its undelivered notices are dropped."""
        topics = set(topics)
        self.touch_user(chat_id)
        with self.db.atomic():
            self.db.execute("DELETE FROM subscriptions WHERE chat_id = ?", [chat_id])
            self.db.conn.executemany(
                "INSERT INTO subscriptions (chat_id, topic, created_at) VALUES (?, ?, ?)",
                [(chat_id, topic, now_text()) for topic in sorted(topics)],
            )
            if not topics:
                self.db.execute(
                    "UPDATE outbox SET state = 'skipped', error = 'unsubscribed'"
                    " WHERE chat_id = ? AND state = 'pending'",
                    [chat_id],
                )

    def delivery_mode(self, chat_id: int) -> DeliveryMode:
        """How a chat gets notices: each at once (instant) or in a weekly digest."""
        row = self.db.execute("SELECT delivery FROM users WHERE chat_id = ?", [chat_id]).fetchone()
        return "weekly" if row and row[0] == "weekly" else "instant"

    def set_delivery_mode(
        self, chat_id: int, mode: DeliveryMode, *, now: datetime, digest_at: datetime
    ) -> None:
        """Switch a chat to ``mode``; its undelivered notices follow (now, or at ``digest_at``)."""
        self.touch_user(chat_id)
        weekly = mode == "weekly"
        with self.db.atomic():
            self.db.execute(
                "UPDATE users SET delivery = ?, updated_at = ? WHERE chat_id = ?",
                [mode, now_text(), chat_id],
            )
            self.db.execute(
                "UPDATE outbox SET digest = ?, ready_at = ?"
                " WHERE chat_id = ? AND state = 'pending'",
                [int(weekly), stamp(digest_at if weekly else now), chat_id],
            )

    def count_subscribers(self) -> dict[str, int]:
        """Active users with at least one subscription, and how many of them take the digest."""
        total, weekly = self.db.execute(
            "SELECT count(*), coalesce(sum(delivery = 'weekly'), 0) FROM users u WHERE active = 1"
            " AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.chat_id = u.chat_id)"
        ).fetchone()
        return {"subscribers": total, "weekly": weekly}
