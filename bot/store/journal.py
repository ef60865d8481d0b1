"""Writes the database refuses are held in memory, in order, and made once it takes them again.

When the database cannot be written (read-only, full, locked by another process), a write
statement, or every write of a transaction (``atomic``) together, is held instead of failing:
its caller gets an empty result (no row changed) and goes on, so answering a question never
depends on the disk. While writes are held, new ones join them in order; reads run as usual
(they do not see the held writes). A retry is made on a write at most every
``CATCH_UP_INTERVAL`` seconds, or by :meth:`JournaledDatabase.catch_up`.

Writes whose caller must know the outcome (the outbox, the lease, the heartbeat, /forget,
migrations) run :meth:`~JournaledDatabase.strictly`: they raise as usual.

The database keeps the one account of an outage for the whole process: held or strict, the
first refused write logs one error, and the first write made afterwards, once the held ones are
made too, one warning; their callers log nothing of their own. While it lasts, a write waits
for another process's lock only ``CATCH_UP_BUSY_MS``, not the busy timeout, so that the retries
of the sender, the lease and the heartbeat do not keep the store's thread from the answers.
"""

from __future__ import annotations

import contextlib
import logging
import re
import sqlite3
import time
from collections import deque
from collections.abc import Iterator, Sequence
from typing import Any

import sqlite_utils

log = logging.getLogger(__name__)

# SQLite's primary result codes that say "the disk, not the query": busy, locked, read-only,
# I/O error, full, cannot open.
DISK_ERRORS = frozenset({5, 6, 8, 10, 13, 14})
CATCH_UP_INTERVAL = 5.0  # seconds between two attempts to make the held writes
CATCH_UP_BUSY_MS = 50  # while writes are refused, a write waits this long for a lock
MAX_HELD = 100_000  # held writes (or transactions) kept at most; the oldest go beyond
_READS = frozenset({"SELECT", "PRAGMA", "EXPLAIN", "VALUES", "BEGIN", "COMMIT", "ROLLBACK"})
_WRITE_IN_WITH = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)

Parameters = Sequence[Any] | dict[str, Any] | None
Statement = tuple[str, Parameters]


def disk_error(exc: BaseException) -> bool:
    """Whether ``exc`` says the database cannot be written now (not that a query is wrong)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.Error) and code is not None and code & 0xFF in DISK_ERRORS


def describe(exc: BaseException) -> str:
    """A SQLite error in one line: ``SQLITE_FULL: database or disk is full``."""
    name = getattr(exc, "sqlite_errorname", type(exc).__name__)
    return f"{name}: {exc}"


def is_write(sql: str) -> bool:
    """Whether a statement may change the database (a read, a PRAGMA or BEGIN does not)."""
    words = sql.split(None, 1)
    head = words[0].upper() if words else ""
    if head == "WITH":
        return bool(_WRITE_IN_WITH.search(sql))
    return head not in _READS


class HeldCursor(sqlite3.Cursor):
    """The result of a held write: no row changed, none returned."""

    @property
    def rowcount(self) -> int:
        """No row changed (yet)."""
        return 0


class JournaledDatabase(sqlite_utils.Database):
    """A sqlite-utils database whose refused writes are held and made later, in order."""

    def __init__(self, connection: sqlite3.Connection, busy_timeout_ms: int) -> None:
        self.busy_timeout_ms = busy_timeout_ms
        self.held: deque[list[Statement]] = deque()
        self.last_attempt = time.monotonic()
        self._strict = 0
        self.refusing = False  # whether an outage is under way
        self._told = False  # whether the outage's caller logs it (:meth:`refuse_all`)
        self._block: list[Statement] | None = None  # the writes of the open transaction
        self._block_held = False
        super().__init__(connection)

    @contextlib.contextmanager
    def strictly(self) -> Iterator[None]:
        """Writes in this block raise when refused, and are never held; the outermost block
        starts the outage when refused and ends it when it changed a row."""
        outermost, changes = not self._strict, self.conn.total_changes
        with self.raising():
            try:
                yield
            except sqlite3.Error as exc:
                if outermost and disk_error(exc):
                    self._refused(exc)
                raise
        if outermost and self.refusing and self.conn.total_changes > changes:
            self.catch_up(taken=True)

    @contextlib.contextmanager
    def raising(self) -> Iterator[None]:
        """Writes in this block raise when refused, and do not count for the outage (the
        checks at the start, the catching up)."""
        self._strict += 1
        try:
            yield
        finally:
            self._strict -= 1

    def execute(self, sql: str, parameters: Parameters = None) -> sqlite3.Cursor:
        """Run ``sql``; a refused write is held (see the module's documentation)."""
        if self._strict or not is_write(sql):
            return super().execute(sql, parameters)
        statement = (sql, parameters)
        if self._block is not None:
            self._block.append(statement)
            if self._block_held:
                return HeldCursor(self.conn)
        elif self.held:
            if time.monotonic() - self.last_attempt >= CATCH_UP_INTERVAL:
                self.catch_up()
            if self.held:
                self._hold([statement])
                return HeldCursor(self.conn)
        try:
            cursor = super().execute(sql, parameters)
        except sqlite3.Error as exc:
            if not disk_error(exc):
                raise
            self._refused(exc)
            if self._block is not None:
                self._block_held = True
            else:
                self._hold([statement])
            return HeldCursor(self.conn)
        if self._block is None and self.refusing:
            self.catch_up(taken=True)
        return cursor

    @contextlib.contextmanager
    def atomic(self) -> Iterator[sqlite_utils.Database]:
        """A transaction whose writes are made together, or held together."""
        if self._strict or (self._block is not None and not self._block_held):
            with super().atomic():
                yield self
            return
        if self._block is not None:  # inside a held transaction: nothing runs
            yield self
            return
        if self.held and time.monotonic() - self.last_attempt >= CATCH_UP_INTERVAL:
            self.catch_up()
        self._block, self._block_held = [], bool(self.held)
        try:
            if self._block_held:
                yield self
            else:
                self.conn.execute("BEGIN")
                try:
                    yield self
                except BaseException:
                    self.rollback()
                    raise
                self._end_transaction()
            if self._block_held and self._block:
                self._hold(self._block)
            written = not self._block_held
        finally:
            self._block, self._block_held = None, False
        if written and self.refusing:
            self.catch_up(taken=True)

    def _end_transaction(self) -> None:
        if self._block_held:
            self.rollback()
            return
        try:
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self.rollback()
            if not disk_error(exc):
                raise
            self._refused(exc)
            self._block_held = True

    def _refused(self, exc: sqlite3.Error | None) -> None:
        """A write was refused: the first one starts the outage, logged unless ``exc`` is None
        (the caller logs it)."""
        if not self.refusing:
            self.refusing, self._told = True, exc is None
            if exc is not None:
                log.error(
                    "database not writable (%s): answering goes on; changes, notices and jobs "
                    "wait in memory until it is writable again",
                    describe(exc),
                )
            self._busy_timeout(min(CATCH_UP_BUSY_MS, self.busy_timeout_ms))
        self.last_attempt = time.monotonic()

    def _writable_again(self, made: int) -> None:
        """End the outage: one warning (unless its caller logs it), the usual busy timeout."""
        self.refusing = False
        self._busy_timeout(self.busy_timeout_ms)
        if not self._told:
            log.warning("database writable again: %d held change(s) saved", made)

    def _busy_timeout(self, milliseconds: int) -> None:
        self.conn.execute(f"PRAGMA busy_timeout = {milliseconds}")

    def _hold(self, unit: list[Statement]) -> None:
        self.held.append(unit)
        if len(self.held) > MAX_HELD:
            self.held.popleft()
            log.warning("more than %d changes held: the oldest is dropped", MAX_HELD)

    def catch_up(self, *, taken: bool = False) -> int:
        """Make the held writes, in order, until the database refuses one; how many were made.
        The outage ends when none is left and a write was made (one of them, or the caller's:
        ``taken``).

        A held write that has become wrong meanwhile (a constraint it now breaks) is dropped.
        """
        self.last_attempt = time.monotonic()
        made = 0
        with self.raising():
            while self.held:
                try:
                    with self.atomic():
                        for sql, parameters in self.held[0]:
                            self.execute(sql, parameters)
                except sqlite3.Error as exc:
                    if disk_error(exc):
                        break
                    log.warning("a held change is dropped: %s", describe(exc))
                self.held.popleft()
                made += 1
        if self.refusing and not self.held and (made or taken):
            self._writable_again(made)
        return made

    def refuse_all(self, refuse: bool) -> None:
        """Refuse every write from now on (``PRAGMA query_only``), without the usual error line
        (the caller logged why); with ``refuse`` False, take writes again and make the held
        ones."""
        self.conn.execute(f"PRAGMA query_only = {int(refuse)}")
        if refuse:
            self._refused(None)
        else:
            self.catch_up(taken=True)

    def drop_held(self, values: set[object]) -> None:
        """Forget the held writes that name any of ``values`` (a user's id and key)."""

        def names(unit: list[Statement]) -> bool:
            return any(
                value in values
                for _sql, parameters in unit
                for value in (
                    parameters.values() if isinstance(parameters, dict) else parameters or ()
                )
            )

        self.held = deque(unit for unit in self.held if not names(unit))
