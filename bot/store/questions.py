"""What users asked, without who asked it: each question the bot answered (its entry and
confidence) or could not answer (the entries it offered instead), with the language, the
version of the base and the message text with personal data removed before it is written.

A row has no Telegram id: only the user's keyed hash (``uid``), so that /forget deletes the
sender's rows; the retention period deletes them by ``created_at`` (see :mod:`privacy`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.kb.model import Lang
from bot.redact import redact
from bot.store.tables import Tables, now_text

MAX_TEXT = 500  # characters of a question kept: enough to read it, not a whole story


@dataclass(frozen=True)
class Asked:
    """One recorded question (its text already free of personal data)."""

    created_at: datetime
    lang: Lang
    entry_id: str | None  # None: not answered
    offered: tuple[str, ...]  # the entries offered instead of an answer, nearest first
    confidence: float  # the matcher's, 0-100
    base: str  # the version of the base that answered
    text: str

    @property
    def answered(self) -> bool:
        """Whether the bot answered it with an entry."""
        return self.entry_id is not None


class Questions(Tables):
    """What users asked and what the bot did with it, without who asked."""

    def record_question(
        self,
        chat_id: int,
        text: str,
        *,
        lang: Lang,
        entry_id: str | None,
        offered: tuple[str, ...] = (),
        confidence: float,
        base: str,
    ) -> None:
        """Keep a question: its text is redacted here, before anything is written, and the
        user is kept as their keyed hash only."""
        clean = redact(" ".join(text.split()))[:MAX_TEXT]
        with self.db.atomic():
            self.db.execute(
                "INSERT INTO questions (uid, lang, entry_id, offered, confidence, base, text,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    self.uid(chat_id),
                    lang,
                    entry_id,
                    ",".join(offered),
                    round(confidence, 1),
                    base,
                    clean,
                    now_text(),
                ],
            )

    def questions_asked(self, since: datetime | None = None) -> list[Asked]:
        """The questions recorded since ``since`` (all by default), oldest first."""
        moment = (since or datetime.min.replace(tzinfo=UTC)).astimezone(UTC)
        rows = self.db.execute(
            "SELECT created_at, lang, entry_id, offered, confidence, base, text FROM questions"
            " WHERE created_at >= ? ORDER BY id",
            [moment.isoformat(timespec="seconds")],
        )
        return [
            Asked(
                datetime.fromisoformat(at),
                lang,
                entry,
                tuple(o for o in str(offered).split(",") if o),
                float(confidence),
                base,
                text,
            )
            for at, lang, entry, offered, confidence, base, text in rows
        ]
