"""Votes on answers, and what users wrote when asked what an answer was missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.kb.model import Lang
from bot.store.tables import Tables, now_text


@dataclass(frozen=True)
class Comment:
    """What a user said an answer was missing (personal data already removed)."""

    entry_id: str
    lang: Lang
    text: str
    created_at: datetime


class Feedback(Tables):
    """Votes on answers, and what users wrote when asked what an answer was missing; a user
    only by their key (:meth:`Tables.uid`)."""

    def add_feedback(self, chat_id: int, entry_id: str, vote: int, lang: Lang) -> bool:
        """Store a 👍 (+1) or 👎 (-1) on an entry, in place of the user's earlier vote on it
        (one vote per user and answer, the latest); False, and nothing changes, when it is the
        vote they gave before. A vote the database cannot take now is held and written later
        (True)."""
        if vote not in (1, -1):
            raise ValueError("vote must be +1 or -1")
        with self.db.atomic():
            if self._vote(chat_id, entry_id) == vote:
                return False
            self.db.execute(
                "INSERT INTO feedback (uid, entry_id, vote, lang, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (uid, entry_id) DO UPDATE SET"
                " vote = excluded.vote, lang = excluded.lang, created_at = excluded.created_at",
                [self.uid(chat_id), entry_id, vote, lang, now_text()],
            )
        return True

    def has_voted(self, chat_id: int, entry_id: str) -> bool:
        """Whether the user has voted on the entry."""
        return self._vote(chat_id, entry_id) is not None

    def _vote(self, chat_id: int, entry_id: str) -> int | None:
        """The user's vote on the entry (+1 or -1), None when they have not voted on it."""
        row = self.db.execute(
            "SELECT vote FROM feedback WHERE uid = ? AND entry_id = ?",
            [self.uid(chat_id), entry_id],
        ).fetchone()
        return None if row is None else int(row[0])

    def feedback_counts(self, since: datetime | None = None) -> dict[str, tuple[int, int]]:
        """Per entry: (👍 count, 👎 count), of the votes cast since ``since`` (all by default)."""
        rows = self.db.execute(
            "SELECT entry_id, sum(vote > 0), sum(vote < 0) FROM feedback"
            " WHERE created_at >= ? GROUP BY entry_id",
            [_text(since or datetime.min.replace(tzinfo=UTC))],
        )
        return {entry: (up, down) for entry, up, down in rows}

    def ask_comment(self, chat_id: int, entry_id: str, lang: Lang) -> None:
        """Remember that the user was asked what the answer on ``entry_id`` was missing."""
        self._set_user_row(
            "feedback_requests", chat_id, entry_id=entry_id, lang=lang, asked_at=now_text()
        )

    def comment_request(self, chat_id: int) -> str | None:
        """The entry whose answer the user was asked what it was missing, if they were."""
        row = self.db.execute(
            "SELECT entry_id FROM feedback_requests WHERE uid = ?", [self.uid(chat_id)]
        ).fetchone()
        return None if row is None else str(row[0])

    def drop_comment_request(self, chat_id: int) -> bool:
        """The user went on to something else: their next message is no comment. True when
        a comment was asked for."""
        with self.db.atomic():
            return bool(
                self.db.execute(
                    "DELETE FROM feedback_requests WHERE uid = ?", [self.uid(chat_id)]
                ).rowcount
            )

    def add_comment(self, chat_id: int, text: str, *, max_age: timedelta) -> str | None:
        """Keep ``text`` (already free of personal data) as the answer to the user's open
        request, if one was made within ``max_age``; return its entry id, or None (then
        nothing is kept). The comment is kept without the chat it came from."""
        uid = self.uid(chat_id)
        with self.db.atomic():
            request = self.db.execute(
                "SELECT entry_id, lang, asked_at FROM feedback_requests WHERE uid = ?", [uid]
            ).fetchone()
            if request is None:
                return None
            self.db.execute("DELETE FROM feedback_requests WHERE uid = ?", [uid])
            entry_id, lang, asked_at = request
            if datetime.fromisoformat(asked_at) < datetime.now(UTC) - max_age:
                return None
            self.db.execute(
                "INSERT INTO feedback_comments (entry_id, lang, comment, created_at)"
                " VALUES (?, ?, ?, ?)",
                [entry_id, lang, text, now_text()],
            )
            return str(entry_id)

    def feedback_comments(self, since: datetime, limit: int = 50) -> list[Comment]:
        """Comments written since ``since``, newest first."""
        rows = self.db.execute(
            "SELECT entry_id, lang, comment, created_at FROM feedback_comments"
            " WHERE created_at >= ? ORDER BY id DESC LIMIT ?",
            [_text(since), limit],
        )
        return [Comment(e, lang, text, datetime.fromisoformat(at)) for e, lang, text, at in rows]


def _text(moment: datetime) -> str:
    """A moment as the ``created_at`` columns store it (see :func:`now_text`), to compare."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")
