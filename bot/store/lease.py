"""One active process per database: a lease row (owner, expiry) the active process renews, and
each process's heartbeat (what ``adal-bot health`` reads).

The process holding the lease polls Telegram and sends notices; another process on the same
database waits as a standby and takes the lease over once it has expired. Outbox rows are
claimed only under the lease (:meth:`Outbox.claim`), and rows left ``sending`` are recovered
only by a process taking the lease from nobody or from an expired holder, never from a live one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.store.case_mail import CaseMail
from bot.store.outbox import LEASE, Outbox
from bot.store.tables import stamp, strict


@dataclass(frozen=True)
class Holder:
    """Who holds the lease, until when."""

    owner: str
    expires_at: datetime


@dataclass(frozen=True)
class Heartbeat:
    """What a running process last said about itself."""

    owner: str
    role: str  # active or standby
    mode: str  # polling or webhook
    username: str
    base: str  # the knowledge base's version
    entries: int
    beat_at: datetime
    last_update_at: datetime | None


class Leases(Outbox, CaseMail):
    """The lease of the active process and every process's heartbeat."""

    def take_lease(self, owner: str, now: datetime, ttl: timedelta) -> int | None:
        """Take or renew the lease until ``now + ttl``; None when another process holds it.

        Taking it from nobody or from an expired holder puts the rows that holder left
        ``sending`` (in the outbox and the case mail) back to ``pending``; returns how many
        (0 on a renewal).
        """
        with self.immediate():
            row = self.db.execute(
                "SELECT owner, expires_at FROM lease WHERE name = ?", [LEASE]
            ).fetchone()
            if row and row[0] != owner and datetime.fromisoformat(row[1]) > now:
                return None
            self.db.execute(
                "INSERT INTO lease (name, owner, expires_at, taken_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET owner = excluded.owner,"
                " expires_at = excluded.expires_at, taken_at = CASE WHEN owner = excluded.owner"
                " THEN taken_at ELSE excluded.taken_at END",
                [LEASE, owner, stamp(now + ttl), stamp(now)],
            )
            if row and row[0] == owner:
                return 0
            return self.recover_in_flight() + self.recover_case_mail()

    @strict
    def release_lease(self, owner: str) -> None:
        """Give the lease up (a standby may take it at once)."""
        self.db.execute("DELETE FROM lease WHERE name = ? AND owner = ?", [LEASE, owner])

    def lease_holder(self) -> Holder | None:
        """Who holds (or last held) the lease."""
        row = self.db.execute(
            "SELECT owner, expires_at FROM lease WHERE name = ?", [LEASE]
        ).fetchone()
        return Holder(row[0], datetime.fromisoformat(row[1])) if row else None

    @strict
    def beat(self, heartbeat: Heartbeat, host: str) -> None:
        """Record a process's heartbeat."""
        self.db.execute(
            "INSERT INTO processes (owner, host, role, mode, username, base, entries, beat_at,"
            " last_update_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(owner) DO UPDATE SET"
            " role = excluded.role, mode = excluded.mode, username = excluded.username,"
            " base = excluded.base, entries = excluded.entries, beat_at = excluded.beat_at,"
            " last_update_at = excluded.last_update_at",
            [
                heartbeat.owner,
                host,
                heartbeat.role,
                heartbeat.mode,
                heartbeat.username,
                heartbeat.base,
                heartbeat.entries,
                stamp(heartbeat.beat_at),
                heartbeat.last_update_at and stamp(heartbeat.last_update_at),
            ],
        )

    @strict
    def end_heartbeat(self, owner: str) -> None:
        """Remove a stopping process's heartbeat."""
        self.db.execute("DELETE FROM processes WHERE owner = ?", [owner])
