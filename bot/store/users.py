"""Users, under their key: first and last contact, chosen and last written language, blocked
or not.

A user's raw chat id is in their row only while they are an active subscriber (it is what a
notice is sent to); it is removed when they unsubscribe from everything or block the bot.
These writes are held while the database refuses them (:mod:`bot.store.journal`).
"""

from __future__ import annotations

from typing import Literal

from bot.kb.model import LANGS, Lang
from bot.store.tables import Tables, now_text

_UPSERT = (
    "INSERT INTO users (uid, client_lang, active, created_at, updated_at) VALUES (?, ?, 1, ?, ?)"
    " ON CONFLICT(uid) DO UPDATE SET client_lang = coalesce(excluded.client_lang, client_lang),"
    " updated_at = excluded.updated_at"
)


_LanguageColumn = Literal["lang", "written_lang"]  # chosen, last written in


class Users(Tables):
    """Users, under their key: first and last contact, chosen and last written language,
    blocked or not."""

    def _touch(self, uid: int, client_lang: str | None = None) -> None:
        """Create or refresh the user's row (part of the caller's transaction)."""
        now = now_text()
        self.db.execute(_UPSERT, [uid, client_lang, now, now])

    def touch_user(
        self, chat_id: int, user_id: int | None = None, client_lang: str | None = None
    ) -> None:
        """Record that a user wrote (creating the row on first contact).

        ``user_id`` (Telegram's id of the person) is not stored: the chat's key is enough.
        """
        self._touch(self.uid(chat_id), client_lang)

    def language(self, chat_id: int) -> Lang | None:
        """The language the user chose, if any."""
        return self._language_in(chat_id, "lang")

    def client_language(self, chat_id: int) -> str | None:
        """The language of the user's Telegram client when they last wrote, if known."""
        row = self.db.execute(
            "SELECT client_lang FROM users WHERE uid = ?", [self.uid(chat_id)]
        ).fetchone()
        return str(row[0]) if row and row[0] else None

    def written_language(self, chat_id: int) -> Lang | None:
        """The language the user last wrote a message in, if one told it."""
        return self._language_in(chat_id, "written_lang")

    def set_written_language(self, chat_id: int, lang: Lang) -> None:
        """Store the language of the user's last message that told one."""
        self._set_language_in(chat_id, "written_lang", lang)

    def set_language(self, chat_id: int, lang: Lang | None) -> None:
        """Store the user's language choice (None: answer in the language they write in)."""
        self._set_language_in(chat_id, "lang", lang)

    def _language_in(self, chat_id: int, column: _LanguageColumn) -> Lang | None:
        row = self.db.execute(
            f"SELECT {column} FROM users WHERE uid = ?", [self.uid(chat_id)]
        ).fetchone()
        lang = row[0] if row else None
        return lang if lang in LANGS else None

    def _set_language_in(self, chat_id: int, column: _LanguageColumn, lang: Lang | None) -> None:
        uid = self.uid(chat_id)
        with self.db.atomic():
            self._touch(uid)
            self.db.execute(f"UPDATE users SET {column} = ? WHERE uid = ?", [lang, uid])

    def set_active(self, chat_id: int, active: bool) -> None:
        """Mark a user active, or inactive after they blocked the bot.

        Blocking removes their chat id and drops their undelivered notices; coming back
        restores the chat id if they are still subscribed.
        """
        uid = self.uid(chat_id)
        with self.db.atomic():
            self._touch(uid)
            self.db.execute(
                "UPDATE users SET active = ?, chat_id = CASE WHEN ? AND EXISTS"
                " (SELECT 1 FROM subscriptions s WHERE s.uid = users.uid) THEN ? END"
                " WHERE uid = ?",
                [int(active), int(active), chat_id, uid],
            )
            if not active:
                self.db.execute(
                    "UPDATE outbox SET state = 'skipped', error = 'blocked by the user',"
                    " chat_id = NULL WHERE uid = ? AND state = 'pending'",
                    [uid],
                )

    def is_active(self, chat_id: int) -> bool:
        """False once the user has blocked the bot (and not come back)."""
        row = self.db.execute(
            "SELECT active FROM users WHERE uid = ?", [self.uid(chat_id)]
        ).fetchone()
        return bool(row[0]) if row else True

    def count_users(self) -> dict[str, int]:
        """Users in all and active ones."""
        total, active = self.db.execute(
            "SELECT count(*), coalesce(sum(active), 0) FROM users"
        ).fetchone()
        return {"users": total, "active": active}
