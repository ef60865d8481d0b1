"""What is kept about people, and for how long: /forget and the retention period.

Both work from the schema itself, so that a table added later is covered without a change
here: a table is about people when it has a ``uid`` or a ``chat_id`` column; /forget deletes
the user's rows from every such table, and the retention deletes rows of every table (but the
few kept by design, :data:`KEPT`) whose newest ``*_at`` time is older than the period.

A case handed to the experts goes with everything about it (its case mail too), whether its
asker sends /forget or the period ends; each expert's message that showed it is emptied (an
``erased`` edit is enqueued in the case mail).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store.tables import Tables, marks, now_text, stamp, strict

PERSON_COLUMNS = ("uid", "chat_id")
KEPT = frozenset(
    {
        "subscriptions",  # kept while subscribed: removed by /unsubscribe or /forget
        "notices_state",  # which notices were sent, so that none is sent twice; nobody's data
        "lease",  # the active process; nobody's data
        "meta",  # the key check; nobody's data
        "sqlite_sequence",  # the last case number given, so that none is given twice
    }
)
PROCESS_RETENTION = timedelta(days=1)  # heartbeats of processes long gone
DELIVERED = " AND state IN ('sent', 'failed', 'skipped')"  # an outbox row no longer on its way


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class Privacy(Tables):
    """/forget and the retention period."""

    def _columns(self, table: str) -> list[str]:
        return [column.name for column in self.db.table(table).columns]

    def personal_tables(self) -> list[str]:
        """The tables that hold rows about people (with a ``uid`` or ``chat_id`` column)."""
        return [
            table
            for table in self.db.table_names()
            if any(column in PERSON_COLUMNS for column in self._columns(table))
        ]

    def ask_to_forget(self, chat_id: int) -> None:
        """Remember that the user was just asked to confirm /forget (under their key)."""
        self._set_user_row("forget_requests", chat_id, asked_at=now_text())

    def take_forget_request(self, chat_id: int, *, max_age: timedelta) -> bool:
        """Whether the user was asked to confirm /forget within ``max_age``; forgotten once
        read (the next message answers it or is something else)."""
        return self._take_user_row("forget_requests", "uid", chat_id, max_age) is not None

    @strict
    def forget(self, chat_id: int) -> int:
        """Delete every row about ``chat_id`` (and its held writes); return how many rows.

        Raises :class:`sqlite3.Error` when the database cannot be written: the caller says so.
        """
        uid = self.uid(chat_id)
        with self.db.atomic():
            deleted = self._erase_cases("uid = ?", [uid])
            for table in self.personal_tables():
                columns = self._columns(table)
                for column, value in (("uid", uid), ("chat_id", chat_id)):
                    if column in columns:
                        deleted += self.db.execute(
                            f"DELETE FROM {_quoted(table)} WHERE {column} = ?", [value]
                        ).rowcount
        self.db.drop_held({uid, chat_id})
        return deleted

    @strict
    def expire(self, now: datetime, retention: timedelta) -> dict[str, int]:
        """Delete rows older than ``retention``; return how many per table (none left out).

        A row's age is that of its newest ``*_at`` time. Users who still subscribe are kept,
        and so are outbox rows not delivered yet.
        """
        cutoff = stamp(now - retention)
        deleted: dict[str, int] = {}
        with self.db.atomic():
            for table in self.db.table_names():
                times = [c for c in self._columns(table) if c.endswith("_at")]
                if table in KEPT or not times:
                    continue
                newest = "max(" + ", ".join(f"coalesce({c}, '')" for c in times) + ", '')"
                where = f"{newest} < ?"
                limit = cutoff
                if table == "users":
                    where += (
                        " AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.uid = users.uid)"
                    )
                elif table == "outbox":
                    where += DELIVERED
                elif table == "case_mail":  # the rest goes with its case
                    where += DELIVERED + " AND case_id NOT IN (SELECT id FROM cases)"
                elif table == "processes":
                    limit = stamp(now - PROCESS_RETENTION)
                if table == "cases":
                    count = self._erase_cases(where, [limit])
                else:
                    count = self.db.execute(
                        f"DELETE FROM {_quoted(table)} WHERE {where}", [limit]
                    ).rowcount
                if count:
                    deleted[table] = count
        return deleted

    def _erase_cases(self, where: str, parameters: list[object]) -> int:
        """Delete the cases ``where`` holds for, with their case mail, and enqueue an
        ``erased`` edit of each expert's message that showed one (part of the caller's
        transaction); how many cases."""
        cases = [n for (n,) in self.db.execute(f"SELECT id FROM cases WHERE {where}", parameters)]
        if not cases:
            return 0
        shown = self.db.execute(
            "SELECT case_id, uid, chat_id, lang, message_id FROM case_mail WHERE kind = 'case'"
            " AND state = 'sent' AND chat_id IS NOT NULL AND message_id IS NOT NULL"
            f" AND case_id IN ({marks(cases)})",
            cases,
        ).fetchall()
        self.db.execute(f"DELETE FROM case_mail WHERE case_id IN ({marks(cases)})", cases)
        self.db.execute(f"DELETE FROM cases WHERE id IN ({marks(cases)})", cases)
        now = stamp(datetime.now(UTC))
        for case_id, uid, chat_id, lang, message_id in shown:
            self.db.execute(
                "INSERT INTO case_mail (case_id, kind, uid, chat_id, lang, target, ready_at,"
                " created_at) VALUES (?, 'erased', ?, ?, ?, ?, ?, ?)",
                [case_id, uid, chat_id, lang, message_id, now, now],
            )
        return len(cases)
