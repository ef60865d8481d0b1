"""All SQLite access (through sqlite-utils), the only door to the database: users, their
language, feedback, subscriptions, the outbox of update notices, the active process's lease,
the experts' cases and their mail, one module each.

The file and its folder are created owner-only; the connection runs in WAL mode with a busy
timeout, so a reader never waits for a writer and a writer waits briefly for another process.
It may be used from any one thread at a time (the Telegram adapter gives it a thread of its own).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections import deque
from pathlib import Path

from bot.errors import OneLineError
from bot.store.case_mail import TO_EXPERTS, CaseMailRow, Mail
from bot.store.cases import OPEN_STATES, Case, Cases
from bot.store.clarify import Clarifications, Panel
from bot.store.feedback import Feedback
from bot.store.flows import Flows
from bot.store.journal import JournaledDatabase, Statement, describe, disk_error
from bot.store.keys import (
    KEY_BYTES,
    KeyMismatch,
    key_check,
    key_path,
    private_dir,
    private_file,
    read_or_create_key,
)
from bot.store.lease import Heartbeat, Holder, Leases
from bot.store.privacy import Privacy
from bot.store.questions import Questions
from bot.store.recent import RecentAnswers
from bot.store.schema import migrate, schema_version
from bot.store.subscriptions import HeldValues, Subscriptions
from bot.store.tables import (
    ALL_TOPICS,
    DEFAULT_DIGEST_HOUR,
    DELIVERY_STATES,
    DIGEST_HOURS,
    Delivery,
    DeliveryMode,
    DeliveryState,
    DigestMoment,
    stamp,
    user_ref,
)

__all__ = [
    "ALL_TOPICS",
    "BUSY_TIMEOUT",
    "DEFAULT_DIGEST_HOUR",
    "DELIVERY_STATES",
    "DIGEST_HOURS",
    "OPEN_STATES",
    "TO_EXPERTS",
    "Case",
    "CaseMailRow",
    "Delivery",
    "DeliveryMode",
    "DeliveryState",
    "DigestMoment",
    "Heartbeat",
    "Holder",
    "KeyMismatch",
    "Mail",
    "Panel",
    "Store",
    "StoreError",
    "describe",
    "disk_error",
    "open_database",
    "stamp",
    "user_ref",
]

BUSY_TIMEOUT = 2.0  # seconds a write waits for another process's lock before failing


class Store(
    Subscriptions,
    Feedback,
    Leases,
    Flows,
    RecentAnswers,
    Privacy,
    Clarifications,
    Questions,
    Cases,
):
    """The bot's SQLite database: one per process, opened at ``path`` (``:memory:`` for tests).

    ``secret`` keys the users (``ADAL_HASH_SECRET``); without it, the secret kept next to the
    database is used (generated on first use; a random one for ``:memory:``). Opening a
    database with another secret than the one its users were keyed with raises
    :class:`KeyMismatch`.
    """

    def __init__(
        self, path: Path | str, secret: str | None = None, *, busy_timeout: float = BUSY_TIMEOUT
    ) -> None:
        self.path: Path | None = None  # the file, None for ``:memory:``
        self.gone = False  # whether ``path`` no longer names the open file
        if str(path) == ":memory:":
            self.secret = secret.encode() if secret else secrets.token_bytes(KEY_BYTES)
            connection = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            path = Path(path)
            private_dir(path.parent)
            private_file(path)
            self.secret = secret.encode() if secret else read_or_create_key(path)
            connection = sqlite3.connect(path, timeout=busy_timeout, check_same_thread=False)
            self.path, self._file = path, _file_id(path)
        self.db = JournaledDatabase(connection, int(busy_timeout * 1000))
        self.held_topics = HeldValues()
        self.held_modes = HeldValues()
        self.held_hours = HeldValues()
        connection.create_function("adal_uid", 1, self.uid, deterministic=True)
        with self.db.raising():
            if str(path) != ":memory:":
                self.db.enable_wal()
            migrate(self.db)
            self._check_pages()
            self._check_key()

    @property
    def held(self) -> deque[list[Statement]]:
        """The writes held while the database refuses them, oldest first."""
        return self.db.held

    def catch_up(self) -> int:
        """Make the held writes if the database takes them now; how many were made."""
        return self.db.catch_up()

    def file_gone(self) -> bool:
        """Whether ``path`` no longer names the file this store has open (deleted, moved or
        replaced): what is written then would be lost with the open file."""
        if self.path is None:
            return False
        try:
            return _file_id(self.path) != self._file
        except FileNotFoundError:
            return True

    def watch_file(self) -> bool | None:
        """Refuse (hold) every write while the file is gone; True when it has just gone, False
        when it is just back (the held writes are made), None when nothing changed."""
        gone = self.file_gone()
        if gone == self.gone:
            return None
        self.gone = gone
        self.db.refuse_all(gone)
        return gone

    def _check_pages(self) -> None:
        """Raise SQLITE_CORRUPT when a page is damaged (``PRAGMA quick_check``), at the start
        rather than as a traceback when a later query reads it."""
        (found,) = self.db.execute("PRAGMA quick_check(1)").fetchone()
        if found != "ok":
            detail = " ".join(found.split())
            error = sqlite3.DatabaseError(f"database disk image is malformed ({detail})")
            error.sqlite_errorname = "SQLITE_CORRUPT"
            raise error

    def _check_key(self) -> None:
        check = key_check(self.secret)
        row = self.db.execute("SELECT value FROM meta WHERE key = 'key_check'").fetchone()
        if row is None:
            self.db.execute("INSERT INTO meta (key, value) VALUES ('key_check', ?)", [check])
        elif row[0] != check:
            raise KeyMismatch("the users' key secret is not the one this database was written with")

    @property
    def schema_version(self) -> int:
        """How many migrations have run."""
        return schema_version(self.db)

    def close(self) -> None:
        """Make the held writes if the database allows it now, and close the connection."""
        if self.held:
            self.catch_up()
        self.db.close()


def _file_id(path: Path) -> tuple[int, int]:
    """The device and inode ``path`` names."""
    found = os.stat(path)
    return found.st_dev, found.st_ino


class StoreError(OneLineError):
    """The database cannot be opened; the message names the file and what to do."""


def open_database(path: Path, secret: str | None = None, *, new_ok: bool = False) -> Store:
    """The database at ``path`` (created when there is none); raises :class:`StoreError`,
    one line, when it cannot be created or opened or was keyed with another secret, or when
    it is missing beside its key file (deleted or moved) and ``new_ok`` is not given."""
    if not new_ok and not path.exists() and key_path(path).exists():
        raise StoreError(
            f"ADAL_DB={path} is missing but its key {key_path(path).name} is there: the database"
            " was deleted or moved. Restore it (docs/deploy.md, Backups), or set"
            " ADAL_NEW_DATABASE=1 to start an empty one"
        )
    try:
        return Store(path, secret)
    except KeyMismatch:
        raise StoreError(
            f"ADAL_HASH_SECRET (or {path.name}.key) is not the secret the users in ADAL_DB={path}"
            " were keyed with"
        ) from None
    except sqlite3.Error as exc:
        raise StoreError(
            f"ADAL_DB={path} cannot be opened ({describe(exc)}): it must be the bot's database, "
            "in a folder that can be written to (SQLite writes beside it; copy a read-only one)"
        ) from None
    except OSError as exc:
        raise StoreError(
            f"ADAL_DB={path} cannot be created ({exc.strerror}): "
            "set ADAL_DB to a file in a folder that can be written to"
        ) from None
