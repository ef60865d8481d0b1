"""Clarifying questions: the entries offered when the bot could not decide, and the one the
person chose. No text and no user are kept with them: only which entries people confuse.
The numbered choice a user was shown last, a clarifying question or a panel's buttons, is kept
apart, under their key, for minutes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.store.tables import Tables, now_text


@dataclass(frozen=True)
class Panel:
    """The buttons of a panel a user was shown (their actions, in reading order), and whether
    it was shown recently enough for a typed number to press one."""

    actions: tuple[str, ...]
    fresh: bool

    def action(self, number: int) -> str | None:
        """The action of button ``number`` (from 1); None when the panel has no such button."""
        return self.actions[number - 1] if 0 < number <= len(self.actions) else None


class Clarifications(Tables):
    """Clarifying questions: the entries offered and the one chosen (no text, no user), and
    the numbered choice each user was shown last: a clarifying question or a panel."""

    def ask_clarification(self, offered: tuple[str, ...]) -> int:
        """Record that ``offered`` were offered to choose from; returns the question's id."""
        with self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO clarifications (offered, created_at) VALUES (?, ?)",
                [",".join(offered), now_text()],
            )
        return int(cursor.lastrowid or 0)

    def offered(self, question: int) -> tuple[str, ...]:
        """The entries clarifying ``question`` offered, in order (none: unknown or expired)."""
        row = self.db.execute(
            "SELECT offered FROM clarifications WHERE id = ?", [question]
        ).fetchone()
        return tuple(str(row[0]).split(",")) if row else ()

    def set_recent_choice(self, chat_id: int, question: int) -> None:
        """Remember that the user was just asked clarifying ``question`` (under their key), in
        place of a panel shown before."""
        self._set_user_row(
            "recent_choices", chat_id, question=question, buttons=None, asked_at=now_text()
        )

    def take_recent_choice(self, chat_id: int, *, max_age: timedelta) -> int | None:
        """The clarifying question the user was asked last, if within ``max_age`` (and no panel
        was shown since); forgotten once read (the next message answers it or is another
        question)."""
        row = self._take_user_row("recent_choices", "question", chat_id, max_age)
        return None if row is None or row[0] is None else int(str(row[0]))

    def set_panel(self, chat_id: int, actions: Sequence[str]) -> None:
        """Remember the buttons of the panel just shown to the user (their actions, in reading
        order), in place of a clarifying question asked before."""
        self._set_user_row(
            "recent_choices",
            chat_id,
            question=None,
            buttons=json.dumps(list(actions)),
            asked_at=now_text(),
        )

    def panel(self, chat_id: int, *, max_age: timedelta) -> Panel | None:
        """The panel the user was shown last, fresh when within ``max_age``; None when the
        numbered choice shown last is none, or a clarifying question."""
        row = self.db.execute(
            "SELECT buttons, asked_at FROM recent_choices WHERE uid = ? AND buttons IS NOT NULL",
            [self.uid(chat_id)],
        ).fetchone()
        if row is None:
            return None
        fresh = datetime.fromisoformat(str(row[1])) >= datetime.now(UTC) - max_age
        return Panel(tuple(map(str, json.loads(str(row[0])))), fresh)

    def take_panel(self, chat_id: int, *, max_age: timedelta) -> Panel | None:
        """:meth:`panel`, forgotten once read (the next message chooses from it or is something
        else); a clarifying question asked last is left for its answer."""
        shown = self.panel(chat_id, max_age=max_age)
        if shown is not None:
            with self.db.atomic():
                self.db.execute(
                    "DELETE FROM recent_choices WHERE uid = ? AND buttons IS NOT NULL",
                    [self.uid(chat_id)],
                )
        return shown

    def choose(self, question: int, number: int) -> str | None:
        """Record that option ``number`` of clarifying ``question`` was chosen; its entry id,
        or None when the question is unknown (expired) or has no such option."""
        offered = self.offered(question)
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
