"""All SQLite access (through sqlite-utils): users, their language, feedback, subscriptions and
the outbox of update notices.

The schema is created and migrated here: each migration runs once, in order, and
``PRAGMA user_version`` records how many have run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import sqlite_utils

from bot.kb.model import LANGS, Lang

Migration = Callable[[sqlite_utils.Database], None]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _m1_users_feedback(db: sqlite_utils.Database) -> None:
    db["users"].create(
        {"chat_id": int, "user_id": int, "lang": str, "client_lang": str, "active": int,
         "created_at": str, "updated_at": str},
        pk="chat_id", not_null={"active"}, defaults={"active": 1},
    )
    db["feedback"].create(
        {"chat_id": int, "entry_id": str, "vote": int, "lang": str, "created_at": str},
        pk=("chat_id", "entry_id"),
    )


def _m2_subscriptions_outbox(db: sqlite_utils.Database) -> None:
    db["users"].add_column("delivery", str, not_null_default="instant")
    db["subscriptions"].create({"chat_id": int, "topic": str, "created_at": str},
                               pk=("chat_id", "topic"))
    db["notices_state"].create({"notice_id": str, "enqueued_at": str, "recipients": int},
                               pk="notice_id")
    db.execute("""
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            notice_id TEXT NOT NULL,
            chat_id INTEGER NOT NULL,
            lang TEXT NOT NULL,
            digest INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            ready_at TEXT NOT NULL,
            error TEXT,
            sent_at TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (notice_id, chat_id)
        )""")
    db.execute("CREATE INDEX outbox_state ON outbox (state, id)")
    db.execute("CREATE INDEX outbox_chat ON outbox (chat_id, state)")


MIGRATIONS: list[Migration] = [_m1_users_feedback, _m2_subscriptions_outbox]

ALL_TOPICS = "*"  # a subscription to every topic, present and future
DeliveryMode = Literal["instant", "weekly"]
DeliveryState = Literal["pending", "sending", "sent", "failed", "skipped"]
DELIVERY_STATES: tuple[DeliveryState, ...] = ("pending", "sending", "sent", "failed", "skipped")
def stamp(moment: datetime) -> str:
    """A moment as stored in the outbox: UTC ISO 8601 with milliseconds (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Delivery:
    """One outbox row: a notice on its way to a chat."""

    id: int
    notice_id: str
    chat_id: int
    lang: Lang
    digest: bool
    attempts: int


_DELIVERY_COLUMNS = "id, notice_id, chat_id, lang, digest, attempts"


def _deliveries(rows: Iterable[tuple[int, str, int, Lang, int, int]]) -> list[Delivery]:
    return [Delivery(i, n, c, lang, bool(d), a) for i, n, c, lang, d, a in rows]


class _Taken(Exception):
    """A row to claim is no longer pending (rolls the claim back)."""


def _marks(values: Iterable[object]) -> str:
    return ", ".join("?" for _ in values)


class Store:
    """The bot's SQLite database: one per process, opened at ``path`` (``:memory:`` for tests)."""

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(path)
            self.db.enable_wal()
        else:
            self.db = sqlite_utils.Database(memory=True)
        self._migrate()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.db.conn:
                migration(self.db)
                self.db.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        """How many migrations have run."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    # users -----------------------------------------------------------------------------------

    def touch_user(self, chat_id: int, user_id: int | None = None,
                   client_lang: str | None = None) -> None:
        """Record that a user wrote (creating the row on first contact)."""
        now = _now()
        with self.db.conn:
            self.db.execute(
                "INSERT INTO users (chat_id, user_id, client_lang, active, created_at, updated_at)"
                " VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT(chat_id) DO UPDATE SET"
                " user_id = coalesce(excluded.user_id, user_id),"
                " client_lang = coalesce(excluded.client_lang, client_lang),"
                " updated_at = excluded.updated_at",
                [chat_id, user_id, client_lang, now, now],
            )

    def language(self, chat_id: int) -> Lang | None:
        """The language the user chose, if any."""
        row = self.db.execute("SELECT lang FROM users WHERE chat_id = ?", [chat_id]).fetchone()
        lang = row[0] if row else None
        return lang if lang in LANGS else None

    def set_language(self, chat_id: int, lang: Lang) -> None:
        """Store the user's language choice."""
        self.touch_user(chat_id)
        with self.db.conn:
            self.db["users"].update(chat_id, {"lang": lang, "updated_at": _now()})

    def set_active(self, chat_id: int, active: bool) -> None:
        """Mark a user active, or inactive after they blocked the bot."""
        self.touch_user(chat_id)
        with self.db.conn:
            self.db["users"].update(chat_id, {"active": int(active), "updated_at": _now()})

    def is_active(self, chat_id: int) -> bool:
        """False once the user has blocked the bot (and not come back)."""
        row = self.db.execute("SELECT active FROM users WHERE chat_id = ?", [chat_id]).fetchone()
        return bool(row[0]) if row else True

    def count_users(self) -> dict[str, int]:
        """Users in all and active ones."""
        total, active = self.db.execute(
            "SELECT count(*), coalesce(sum(active), 0) FROM users").fetchone()
        return {"users": total, "active": active}

    # feedback --------------------------------------------------------------------------------

    def add_feedback(self, chat_id: int, entry_id: str, vote: int, lang: Lang) -> None:
        """Store a 👍 (+1) or 👎 (-1) on an entry; a user's later vote replaces the earlier."""
        if vote not in (1, -1):
            raise ValueError("vote must be +1 or -1")
        with self.db.conn:
            self.db["feedback"].upsert(
                {"chat_id": chat_id, "entry_id": entry_id, "vote": vote, "lang": lang,
                 "created_at": _now()},
                pk=("chat_id", "entry_id"),
            )

    def feedback_counts(self) -> dict[str, tuple[int, int]]:
        """Per entry: (👍 count, 👎 count)."""
        rows = self.db.execute(
            "SELECT entry_id, sum(vote > 0), sum(vote < 0) FROM feedback GROUP BY entry_id")
        return {entry: (up, down) for entry, up, down in rows}

    # subscriptions ---------------------------------------------------------------------------

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
                [(chat_id, topic, _now()) for topic in sorted(topics)])
            if not topics:
                self.db.execute(
                    "UPDATE outbox SET state = 'skipped', error = 'unsubscribed'"
                    " WHERE chat_id = ? AND state = 'pending'", [chat_id])

    def delivery_mode(self, chat_id: int) -> DeliveryMode:
        """How a chat gets notices: each at once (instant) or in a weekly digest."""
        row = self.db.execute("SELECT delivery FROM users WHERE chat_id = ?", [chat_id]).fetchone()
        return "weekly" if row and row[0] == "weekly" else "instant"

    def set_delivery_mode(self, chat_id: int, mode: DeliveryMode, *, now: datetime,
                          digest_at: datetime) -> None:
        """Switch a chat to ``mode``; its undelivered notices follow (now, or at ``digest_at``)."""
        self.touch_user(chat_id)
        weekly = mode == "weekly"
        with self.db.atomic():
            self.db.execute("UPDATE users SET delivery = ?, updated_at = ? WHERE chat_id = ?",
                            [mode, _now(), chat_id])
            self.db.execute(
                "UPDATE outbox SET digest = ?, ready_at = ?"
                " WHERE chat_id = ? AND state = 'pending'",
                [int(weekly), stamp(digest_at if weekly else now), chat_id])

    def count_subscribers(self) -> dict[str, int]:
        """Active users with at least one subscription, and how many of them take the digest."""
        total, weekly = self.db.execute(
            "SELECT count(*), coalesce(sum(delivery = 'weekly'), 0) FROM users u WHERE active = 1"
            " AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.chat_id = u.chat_id)").fetchone()
        return {"subscribers": total, "weekly": weekly}

    # outbox ----------------------------------------------------------------------------------

    def enqueue_notice(self, notice_id: str, topics: Iterable[str], *, now: datetime,
                       digest_at: datetime, default_lang: Lang) -> int | None:
        """Create the notice's outbox rows, once: one per active subscriber of its topics.

        One transaction: the rows and the mark that the notice is enqueued. Returns how many
        rows were created, or None when the notice had been enqueued before (nothing changes).
        Digest subscribers' rows wait until ``digest_at``. Each row's language is the user's
        choice, else their Telegram client's (``en-US`` → en), else ``default_lang``.
        """
        topics = sorted(set(topics))
        with self.db.atomic():
            marked = self.db.execute(
                "INSERT OR IGNORE INTO notices_state (notice_id, enqueued_at, recipients)"
                " VALUES (?, ?, 0)", [notice_id, stamp(now)])
            if marked.rowcount == 0:
                return None
            created = self.db.execute(
                f"""
                INSERT OR IGNORE INTO outbox
                    (notice_id, chat_id, lang, digest, ready_at, created_at)
                WITH recipients AS (
                    SELECT chat_id, delivery, lang,
                           lower(CASE WHEN instr(client_lang, '-') > 0
                                      THEN substr(client_lang, 1, instr(client_lang, '-') - 1)
                                      ELSE client_lang END) AS client
                    FROM users u
                    WHERE active = 1 AND EXISTS (
                        SELECT 1 FROM subscriptions s WHERE s.chat_id = u.chat_id
                        AND (s.topic = ? OR s.topic IN ({_marks(topics)}))))
                SELECT ?, chat_id,
                       CASE WHEN lang IN ({_marks(LANGS)}) THEN lang
                            WHEN client IN ({_marks(LANGS)}) THEN client ELSE ? END,
                       delivery = 'weekly',
                       CASE delivery WHEN 'weekly' THEN ? ELSE ? END, ?
                FROM recipients ORDER BY chat_id""",
                [ALL_TOPICS, *topics, notice_id, *LANGS, *LANGS, default_lang,
                 stamp(digest_at), stamp(now), stamp(now)])
            self.db.execute("UPDATE notices_state SET recipients = ? WHERE notice_id = ?",
                            [created.rowcount, notice_id])
        return created.rowcount

    def enqueued_notices(self) -> dict[str, datetime]:
        """When each enqueued notice was enqueued."""
        rows = self.db.execute("SELECT notice_id, enqueued_at FROM notices_state")
        return {notice_id: datetime.fromisoformat(at) for notice_id, at in rows}

    def recover_in_flight(self) -> int:
        """Put rows left ``sending`` by a stopped process back to ``pending``; return how many.

        Their message may or may not have reached Telegram: sending them again is the only
        duplicate the outbox allows (at-least-once for the messages in flight at the stop).
        """
        return self.db.execute(
            "UPDATE outbox SET state = 'pending', error = 'interrupted while sending'"
            " WHERE state = 'sending'").rowcount

    def skip_inactive(self, chat_id: int | None = None) -> int:
        """Drop undelivered rows of users who blocked the bot (of one chat, or all)."""
        where = "chat_id = ?" if chat_id is not None else \
            "chat_id IN (SELECT chat_id FROM users WHERE active = 0)"
        return self.db.execute(
            f"UPDATE outbox SET state = 'skipped', error = 'blocked by the user'"
            f" WHERE state = 'pending' AND {where}", [] if chat_id is None else [chat_id]).rowcount

    def ready_deliveries(self, now: datetime, *, after_id: int = 0,
                         limit: int = 500) -> list[Delivery]:
        """Pending rows due at ``now``, in id order, starting after ``after_id``."""
        rows = self.db.execute(
            f"SELECT {_DELIVERY_COLUMNS} FROM outbox WHERE state = 'pending' AND id > ?"
            " AND ready_at <= ? ORDER BY id LIMIT ?", [after_id, stamp(now), limit])
        return _deliveries(rows)

    def digest_batch(self, chat_id: int, now: datetime) -> list[Delivery]:
        """The chat's pending digest rows due at ``now``: one digest message's worth."""
        rows = self.db.execute(
            f"SELECT {_DELIVERY_COLUMNS} FROM outbox WHERE chat_id = ? AND state = 'pending'"
            " AND digest = 1 AND ready_at <= ? ORDER BY id", [chat_id, stamp(now)])
        return _deliveries(rows)

    def claim(self, ids: list[int]) -> bool:
        """Mark rows ``sending`` (committed) just before their message goes out.

        All or nothing: False, and nothing changes, when one of them is no longer pending.
        """
        try:
            with self.db.atomic():
                claimed = self.db.execute(
                    "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
                    f" WHERE state = 'pending' AND id IN ({_marks(ids)})", ids).rowcount
                if claimed != len(ids):
                    raise _Taken
        except _Taken:
            return False
        return True

    def finish(self, ids: list[int], state: DeliveryState, *, now: datetime,
               error: str | None = None, retry_at: datetime | None = None) -> None:
        """Record the outcome of a send: sent, failed or skipped; or pending until ``retry_at``."""
        self.db.execute(
            "UPDATE outbox SET state = ?, error = ?, ready_at = coalesce(?, ready_at),"
            f" sent_at = ? WHERE id IN ({_marks(ids)})",
            [state, error, retry_at and stamp(retry_at), stamp(now) if state == "sent" else None,
             *ids])

    def next_ready_at(self) -> datetime | None:
        """When the earliest pending row becomes due, if any is pending."""
        (at,) = self.db.execute(
            "SELECT min(ready_at) FROM outbox WHERE state = 'pending'").fetchone()
        return datetime.fromisoformat(at) if at else None

    def delivery_counts(self) -> dict[str, dict[DeliveryState, int]]:
        """Per enqueued notice: how many rows are in each state."""
        counts: dict[str, dict[DeliveryState, int]] = {
            notice_id: dict.fromkeys(DELIVERY_STATES, 0) for notice_id in self.enqueued_notices()}
        rows = self.db.execute(
            "SELECT notice_id, state, count(*) FROM outbox GROUP BY notice_id, state")
        for notice_id, state, count in rows:
            counts.setdefault(notice_id, dict.fromkeys(DELIVERY_STATES, 0))[state] = count
        return counts

    def delivery_problems(self, notice_id: str, limit: int = 20) -> list[tuple[int, str, str]]:
        """(chat id, state, error) of a notice's rows that failed, were skipped or are retried."""
        rows = self.db.execute(
            "SELECT chat_id, state, error FROM outbox WHERE notice_id = ? AND error IS NOT NULL"
            " ORDER BY id LIMIT ?", [notice_id, limit])
        return [(chat_id, state, error) for chat_id, state, error in rows]
