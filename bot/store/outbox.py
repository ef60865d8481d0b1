"""The outbox: one row per notice and recipient, claimed before it is sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from bot.kb.model import LANGS, Lang
from bot.store.tables import (
    ALL_TOPICS,
    DELIVERY_COLUMNS,
    DELIVERY_STATES,
    DIGEST_HOURS,
    DIGEST_MODES,
    Delivery,
    DeliveryState,
    DigestMoment,
    Tables,
    deliveries,
    marks,
    now_text,
    stamp,
    strict,
    user_ref,
)

LEASE = "active"  # the lease's name: the process holding it polls and sends


def _subscribed(topics: list[str]) -> tuple[str, list[str]]:
    """The condition on ``users u`` picking a notice's recipients (active, with a chat, and
    subscribed to all topics or one of ``topics``), and its parameters."""
    return (
        "active = 1 AND chat_id IS NOT NULL AND EXISTS (SELECT 1 FROM subscriptions s"
        f" WHERE s.uid = u.uid AND (s.topic = ? OR s.topic IN ({marks(topics)})))",
        [ALL_TOPICS, *topics],
    )


def _digest_moments(digest_at: DigestMoment) -> tuple[str, list[object]]:
    """A ``moments(delivery, hour, at)`` table for a WITH clause: when a digest subscriber's rows
    wait until, for every digest mode and hour; and its parameters."""
    moments = [(mode, hour) for mode in DIGEST_MODES for hour in DIGEST_HOURS]
    values = ", ".join("(?, ?, ?)" for _ in moments)
    params: list[object] = [value for m, h in moments for value in (m, h, stamp(digest_at(m, h)))]
    return f"moments (delivery, hour, at) AS (VALUES {values})", params


class _Taken(Exception):
    """A row to claim is no longer pending (rolls the claim back)."""


class Outbox(Tables):
    """The outbox: one row per notice and recipient, claimed before it is sent.

    A row is keyed by its recipient's key; it holds their chat id until it is delivered (or
    given up), then no more.
    """

    @strict
    def enqueue_notice(
        self,
        notice_id: str,
        topics: Iterable[str],
        *,
        now: datetime,
        digest_at: DigestMoment,
        default_lang: Lang,
        unless_empty: bool = False,
    ) -> int | None:
        """Create the notice's outbox rows, once: one per active subscriber of its topics.

        One transaction: the rows and the mark that the notice is enqueued. Returns how many
        rows were created, or None when the notice had been enqueued before (nothing changes).
        With ``unless_empty``, a notice nobody would get is not marked (0: it may be enqueued
        later). Digest subscribers' rows wait until ``digest_at`` their mode and hour. Each
        row's language is the user's choice, else their Telegram client's (``en-US`` → en),
        else ``default_lang``.
        """
        topics = sorted(set(topics))
        subscribed, params = _subscribed(topics)
        moments, moment_params = _digest_moments(digest_at)
        with self.db.atomic():
            marked = self.db.execute(
                "INSERT OR IGNORE INTO notices_state (notice_id, enqueued_at, recipients)"
                " VALUES (?, ?, 0)",
                [notice_id, stamp(now)],
            )
            if marked.rowcount == 0:
                return None
            created = self.db.execute(
                f"""
                INSERT OR IGNORE INTO outbox
                    (notice_id, uid, chat_id, lang, digest, ready_at, created_at)
                WITH {moments}, recipients AS (
                    SELECT uid, chat_id, delivery, digest_hour, lang, written_lang,
                           lower(CASE WHEN instr(client_lang, '-') > 0
                                      THEN substr(client_lang, 1, instr(client_lang, '-') - 1)
                                      ELSE client_lang END) AS client
                    FROM users u WHERE {subscribed})
                SELECT ?, uid, chat_id,
                       CASE WHEN lang IN ({marks(LANGS)}) THEN lang
                            WHEN written_lang IN ({marks(LANGS)}) THEN written_lang
                            WHEN client IN ({marks(LANGS)}) THEN client ELSE ? END,
                       delivery IN ({marks(DIGEST_MODES)}),
                       coalesce((SELECT at FROM moments m
                                 WHERE m.delivery = r.delivery AND m.hour = r.digest_hour), ?),
                       ?
                FROM recipients r ORDER BY uid""",
                [
                    *moment_params,
                    *params,
                    notice_id,
                    *LANGS,
                    *LANGS,
                    *LANGS,
                    default_lang,
                    *DIGEST_MODES,
                    stamp(now),
                    stamp(now),
                ],
            )
            if created.rowcount == 0 and unless_empty:
                self.db.execute("DELETE FROM notices_state WHERE notice_id = ?", [notice_id])
                return 0
            self.db.execute(
                "UPDATE notices_state SET recipients = ? WHERE notice_id = ?",
                [created.rowcount, notice_id],
            )
        return created.rowcount

    def count_recipients(self, topics: Iterable[str]) -> int:
        """How many would get a notice of ``topics`` enqueued now."""
        subscribed, params = _subscribed(sorted(set(topics)))
        (count,) = self.db.execute(
            f"SELECT count(*) FROM users u WHERE {subscribed}", params
        ).fetchone()
        return int(count)

    def ask_to_send(self, chat_id: int, notice_id: str) -> None:
        """Remember that the admin was just asked to confirm sending ``notice_id`` (under their
        key): a typed "yes" answers it, after a restart too."""
        self._set_user_row("send_requests", chat_id, notice_id=notice_id, asked_at=now_text())

    def take_send_request(self, chat_id: int, *, max_age: timedelta) -> str | None:
        """The notice the admin was asked to confirm sending, if within ``max_age``; forgotten
        once read (the next message answers it or is something else)."""
        row = self._take_user_row("send_requests", "notice_id", chat_id, max_age)
        return None if row is None else str(row[0])

    def enqueued_notices(self) -> dict[str, datetime]:
        """When each enqueued notice was enqueued."""
        rows = self.db.execute("SELECT notice_id, enqueued_at FROM notices_state")
        return {notice_id: datetime.fromisoformat(at) for notice_id, at in rows}

    @strict
    def recover_in_flight(self) -> int:
        """Put rows left ``sending`` by a stopped process back to ``pending``; return how many.

        Their message may or may not have reached Telegram: sending them again is the only
        duplicate the outbox allows (at-least-once for the messages in flight at the stop).
        Only the process taking over the lease calls it (:meth:`Leases.take_lease`): the rows
        of a live sender are never touched.
        """
        return self.db.execute(
            "UPDATE outbox SET state = 'pending', error = 'interrupted while sending'"
            " WHERE state = 'sending'"
        ).rowcount

    @strict
    def skip_inactive(self, chat_id: int | None = None) -> int:
        """Drop undelivered rows of users who blocked the bot (of one chat, or all)."""
        where = (
            "uid = ?" if chat_id is not None else "uid IN (SELECT uid FROM users WHERE active = 0)"
        )
        return self.db.execute(
            f"UPDATE outbox SET state = 'skipped', error = 'blocked by the user', chat_id = NULL"
            f" WHERE state = 'pending' AND {where}",
            [] if chat_id is None else [self.uid(chat_id)],
        ).rowcount

    def ready_deliveries(
        self, now: datetime, *, after_id: int = 0, limit: int = 500
    ) -> list[Delivery]:
        """Pending rows due at ``now``, in id order, starting after ``after_id``."""
        rows = self.db.execute(
            f"SELECT {DELIVERY_COLUMNS} FROM outbox WHERE state = 'pending' AND id > ?"
            " AND ready_at <= ? ORDER BY id LIMIT ?",
            [after_id, stamp(now), limit],
        )
        return deliveries(rows)

    def digest_batch(self, chat_id: int, now: datetime) -> list[Delivery]:
        """The chat's pending digest rows due at ``now``: one digest message's worth."""
        rows = self.db.execute(
            f"SELECT {DELIVERY_COLUMNS} FROM outbox WHERE chat_id = ? AND state = 'pending'"
            " AND digest = 1 AND ready_at <= ? ORDER BY id",
            [chat_id, stamp(now)],
        )
        return deliveries(rows)

    @strict
    def claim(
        self, ids: list[int], *, owner: str | None = None, until: datetime | None = None
    ) -> bool:
        """Mark rows ``sending`` (committed) just before their message goes out.

        All or nothing: False, and nothing changes, when one of them is no longer pending or
        when ``owner`` will not hold the lease at ``until`` (another process may be sending).
        Without ``owner`` no lease is needed: for the terminal chat, delivering to its own user.
        """
        lease = ""
        parameters: list[object] = [*ids]
        if owner is not None:
            lease = (
                " AND EXISTS (SELECT 1 FROM lease WHERE name = ? AND owner = ? AND expires_at > ?)"
            )
            parameters += [LEASE, owner, stamp(until or datetime.now(UTC))]
        try:
            with self.db.atomic():
                claimed = self.db.execute(
                    "UPDATE outbox SET state = 'sending', attempts = attempts + 1"
                    f" WHERE state = 'pending' AND id IN ({marks(ids)}){lease}",
                    parameters,
                ).rowcount
                if claimed != len(ids):
                    raise _Taken
        except _Taken:
            return False
        return True

    @strict
    def finish(
        self,
        ids: list[int],
        state: DeliveryState,
        *,
        now: datetime,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        """Record the outcome of a send: sent, failed or skipped (the chat id is removed); or
        pending until ``retry_at``."""
        self.db.execute(
            "UPDATE outbox SET state = ?, error = ?, ready_at = coalesce(?, ready_at),"
            f" sent_at = ?, chat_id = CASE WHEN ? THEN chat_id END WHERE id IN ({marks(ids)})",
            [
                state,
                error,
                retry_at and stamp(retry_at),
                stamp(now) if state == "sent" else None,
                int(state == "pending"),
                *ids,
            ],
        )

    @strict
    def postpone(self, ids: list[int], *, until: datetime, error: str) -> None:
        """Leave pending rows unsent until ``until``, saying why (``error``); not an attempt."""
        self.db.execute(
            f"UPDATE outbox SET ready_at = ?, error = ? WHERE state = 'pending'"
            f" AND id IN ({marks(ids)})",
            [stamp(until), error, *ids],
        )

    @strict
    def probe_write(self, now: datetime) -> None:
        """Stamp ``now`` in ``meta``: a write that changes a row, raising while the database
        refuses writes (the sender's sign that it takes them again)."""
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES ('outbox_write_at', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [stamp(now)],
        )

    def next_ready_at(self) -> datetime | None:
        """When the earliest pending row becomes due, if any is pending."""
        (at,) = self.db.execute(
            "SELECT min(ready_at) FROM outbox WHERE state = 'pending'"
        ).fetchone()
        return datetime.fromisoformat(at) if at else None

    def delivery_counts(self) -> dict[str, dict[DeliveryState, int]]:
        """Per enqueued notice: how many rows are in each state."""
        counts: dict[str, dict[DeliveryState, int]] = {
            notice_id: dict.fromkeys(DELIVERY_STATES, 0) for notice_id in self.enqueued_notices()
        }
        rows = self.db.execute(
            "SELECT notice_id, state, count(*) FROM outbox GROUP BY notice_id, state"
        )
        for notice_id, state, count in rows:
            counts.setdefault(notice_id, dict.fromkeys(DELIVERY_STATES, 0))[state] = count
        return counts

    def delivery_problems(self, notice_id: str, limit: int = 20) -> list[tuple[str, str, str]]:
        """(recipient's pseudonym, state, error) of a notice's rows that failed, were skipped or
        are retried."""
        rows = self.db.execute(
            "SELECT uid, state, error FROM outbox WHERE notice_id = ? AND error IS NOT NULL"
            " ORDER BY id LIMIT ?",
            [notice_id, limit],
        )
        return [(user_ref(uid), state, error) for uid, state, error in rows]

    def backlog(self) -> int:
        """Outbox rows not delivered yet (pending or being sent)."""
        (count,) = self.db.execute(
            "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')"
        ).fetchone()
        return int(count)
