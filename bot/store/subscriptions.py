"""Subscriptions to topics and how notices are delivered (at once, or a daily or weekly digest
at the user's hour)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Generic, TypeVar

from bot.store.journal import JournaledDatabase, Statement
from bot.store.tables import (
    ALL_TOPICS,
    DEFAULT_DIGEST_HOUR,
    DIGEST_MODES,
    DeliveryMode,
    marks,
    now_text,
    stamp,
)
from bot.store.users import Users

T = TypeVar("T")


class HeldValues(Generic[T]):
    """Per user, the value a change held while the database refuses writes will set, read
    back instead of the database's until the change is made (or dropped)."""

    def __init__(self) -> None:
        self._changes: dict[int, tuple[list[Statement], T]] = {}  # uid: its held change, value

    def note(self, db: JournaledDatabase, uid: int, value: T) -> None:
        """Remember ``value`` while the change just written is held (a write made while others
        are held is held after them: the last one is this change)."""
        if db.held:
            self._changes[uid] = (db.held[-1], value)
        else:
            self._changes.pop(uid, None)

    def get(self, db: JournaledDatabase, uid: int) -> T | None:
        """The value of the user's change still held; None when there is none."""
        held = self._changes.get(uid)
        if held is not None and any(unit is held[0] for unit in db.held):
            return held[1]
        self._changes.pop(uid, None)  # made (or dropped): the database has it
        return None


class Subscriptions(Users):
    """Subscriptions to topics and how notices are delivered (at once, or in a digest); while
    a change is held (the database refusing writes), what it will set is read back."""

    held_topics: HeldValues[frozenset[str]]
    held_modes: HeldValues[DeliveryMode]
    held_hours: HeldValues[int]

    def subscriptions(self, chat_id: int) -> set[str]:
        """The topics a chat subscribed to (``ALL_TOPICS`` for every topic)."""
        uid = self.uid(chat_id)
        held = self.held_topics.get(self.db, uid)
        if held is not None:
            return set(held)
        rows = self.db.execute("SELECT topic FROM subscriptions WHERE uid = ?", [uid])
        return {topic for (topic,) in rows}

    def set_subscriptions(
        self,
        chat_id: int,
        topics: Iterable[str],
        *,
        notices: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """Replace a chat's subscriptions.

        A subscriber's row keeps the chat id notices are sent to; with no subscription left
        the chat id is removed and the chat's undelivered notices are dropped. ``notices``
        (each notice's topics): the chat's undelivered ones of no topic still subscribed are
        dropped too.
        """
        topics = set(topics)
        dropped = [
            notice_id
            for notice_id, about in (notices or {}).items()
            if ALL_TOPICS not in topics and not topics & set(about)
        ]
        uid = self.uid(chat_id)
        with self.db.atomic():
            self._touch(uid)
            self.db.execute("DELETE FROM subscriptions WHERE uid = ?", [uid])
            for topic in sorted(topics):
                self.db.execute(
                    "INSERT INTO subscriptions (uid, topic, created_at) VALUES (?, ?, ?)",
                    [uid, topic, now_text()],
                )
            self.db.execute(
                "UPDATE users SET chat_id = CASE WHEN ? AND active THEN ? END WHERE uid = ?",
                [int(bool(topics)), chat_id, uid],
            )
            if not topics:
                self.db.execute(
                    "UPDATE outbox SET state = 'skipped', error = 'unsubscribed',"
                    " chat_id = NULL WHERE uid = ? AND state = 'pending'",
                    [uid],
                )
            elif dropped:
                self.db.execute(
                    "UPDATE outbox SET state = 'skipped', error = 'unsubscribed from its topics',"
                    f" chat_id = NULL WHERE uid = ? AND state = 'pending'"
                    f" AND notice_id IN ({marks(dropped)})",
                    [uid, *dropped],
                )
        self.held_topics.note(self.db, uid, frozenset(topics))

    def delivery_mode(self, chat_id: int) -> DeliveryMode:
        """How a chat gets notices: each at once (instant) or in a daily or weekly digest."""
        uid = self.uid(chat_id)
        held = self.held_modes.get(self.db, uid)
        if held is not None:
            return held
        row = self.db.execute("SELECT delivery FROM users WHERE uid = ?", [uid]).fetchone()
        return next((mode for mode in DIGEST_MODES if row and row[0] == mode), "instant")

    def digest_hour(self, chat_id: int) -> int:
        """The hour (Asia/Almaty) a chat's digest comes at."""
        uid = self.uid(chat_id)
        held = self.held_hours.get(self.db, uid)
        if held is not None:
            return held
        row = self.db.execute("SELECT digest_hour FROM users WHERE uid = ?", [uid]).fetchone()
        return int(row[0]) if row else DEFAULT_DIGEST_HOUR

    def set_delivery_mode(
        self,
        chat_id: int,
        mode: DeliveryMode,
        *,
        now: datetime,
        digest_at: datetime,
        hour: int | None = None,
    ) -> None:
        """Switch a chat to ``mode`` (and its digest to ``hour``, if given); its undelivered
        notices follow (now, or at ``digest_at``)."""
        uid = self.uid(chat_id)
        digest = mode in DIGEST_MODES
        with self.db.atomic():
            self._touch(uid)
            self.db.execute(
                "UPDATE users SET delivery = ?, digest_hour = coalesce(?, digest_hour)"
                " WHERE uid = ?",
                [mode, hour, uid],
            )
            self.db.execute(
                "UPDATE outbox SET digest = ?, ready_at = ? WHERE uid = ? AND state = 'pending'",
                [int(digest), stamp(digest_at if digest else now), uid],
            )
        self.held_modes.note(self.db, uid, mode)
        if hour is not None:  # else an hour held before still holds
            self.held_hours.note(self.db, uid, hour)

    def topic_subscribers(self) -> dict[str, int]:
        """Each subscribed topic key (``ALL_TOPICS`` too) with its number of active subscribers."""
        rows = self.db.execute(
            "SELECT s.topic, count(*) FROM subscriptions s JOIN users u ON u.uid = s.uid"
            " WHERE u.active = 1 GROUP BY s.topic"
        )
        return dict(rows.fetchall())

    def count_subscribers(self) -> dict[str, int]:
        """Active users with at least one subscription, and how many of them take the daily
        and the weekly digest."""
        total, daily, weekly = self.db.execute(
            "SELECT count(*), coalesce(sum(delivery = 'daily'), 0),"
            " coalesce(sum(delivery = 'weekly'), 0) FROM users u WHERE active = 1"
            " AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.uid = u.uid)"
        ).fetchone()
        return {"subscribers": total, "daily": daily, "weekly": weekly}
