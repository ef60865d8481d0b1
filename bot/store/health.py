"""Is the bot on this host well? What ``adal-bot health`` (the container's HEALTHCHECK) asks the
database: a write goes through, and a process here beat recently with its knowledge base
loaded.

It opens the file itself, without migrating it or creating anything: a missing database is
an unhealthy bot, not a new one.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.store.journal import describe
from bot.store.tables import stamp

PROBE_TIMEOUT = 2.0  # seconds the write waits for another process's lock


@dataclass(frozen=True)
class Probe:
    """The verdict, and the line that says it."""

    healthy: bool
    line: str


def _ago(moment: str | None, now: datetime) -> str:
    if moment is None:
        return "none yet"
    return f"{(now - datetime.fromisoformat(moment)).total_seconds():.0f} s ago"


def probe(path: Path, host: str, max_age: timedelta, now: datetime) -> Probe:
    """Whether the database at ``path`` takes a write and a process on ``host`` beat within
    ``max_age`` with a knowledge base loaded."""
    if not path.is_file():
        return Probe(False, f"unhealthy: no database at {path}")
    try:
        with sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=PROBE_TIMEOUT) as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES ('health_at', ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [stamp(now)],
            )
            row = db.execute(
                "SELECT role, mode, username, base, entries, beat_at, last_update_at"
                " FROM processes WHERE host = ? ORDER BY beat_at DESC LIMIT 1",
                [host],
            ).fetchone()
    except sqlite3.Error as exc:
        return Probe(False, f"unhealthy: database not writable ({describe(exc)})")
    if row is None:
        return Probe(False, f"unhealthy: no bot process on {host} has started")
    role, mode, username, base, entries, beat_at, last_update_at = row
    if now - datetime.fromisoformat(beat_at) > max_age:
        return Probe(False, f"unhealthy: the bot's last heartbeat was {_ago(beat_at, now)}")
    if not entries:
        return Probe(False, "unhealthy: the knowledge base is not loaded")
    return Probe(
        True,
        f"healthy: {role}, {mode} as @{username}, knowledge base {base} with {entries} entries,"
        f" database writable, last update {_ago(last_update_at, now)}",
    )
