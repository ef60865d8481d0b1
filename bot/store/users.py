"""Users: first contact, chosen language, blocked or not."""

from __future__ import annotations

from bot.kb.model import LANGS, Lang
from bot.store.tables import Tables, now_text


class Users(Tables):
    """Users: first contact, chosen language, blocked or not."""

    def touch_user(
        self, chat_id: int, user_id: int | None = None, client_lang: str | None = None
    ) -> None:
        """Record that a user wrote (creating the row on first contact)."""
        now = now_text()
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
            self.db.table("users").update(chat_id, {"lang": lang, "updated_at": now_text()})

    def set_active(self, chat_id: int, active: bool) -> None:
        """Mark a user active, or inactive after they blocked the bot."""
        self.touch_user(chat_id)
        with self.db.conn:
            self.db.table("users").update(
                chat_id, {"active": int(active), "updated_at": now_text()}
            )

    def is_active(self, chat_id: int) -> bool:
        """False once the user has blocked the bot (and not come back)."""
        row = self.db.execute("SELECT active FROM users WHERE chat_id = ?", [chat_id]).fetchone()
        return bool(row[0]) if row else True

    def count_users(self) -> dict[str, int]:
        """Users in all and active ones."""
        total, active = self.db.execute(
            "SELECT count(*), coalesce(sum(active), 0) FROM users"
        ).fetchone()
        return {"users": total, "active": active}
