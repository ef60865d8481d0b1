"""All SQLite access (through sqlite-utils): users, their language, feedback.

The schema is created and migrated here: each migration runs once, in order, and
``PRAGMA user_version`` records how many have run.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

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


MIGRATIONS: list[Migration] = [_m1_users_feedback]


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
