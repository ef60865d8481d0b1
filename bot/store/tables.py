"""What every part of the store shares: the connection, users' keys, timestamps and the
outbox's types.

A user is stored under a keyed hash of their chat id (:func:`user_key`), never under the id
itself; the raw chat id is kept only where a message still has to be delivered.

Writes are held while the database refuses them (:mod:`bot.store.journal`), unless a method is
:func:`strict`: then its caller gets the error.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Concatenate, Literal, ParamSpec, TypeVar

from bot.kb.model import Lang
from bot.store.journal import JournaledDatabase

P = ParamSpec("P")
R = TypeVar("R")
TablesT = TypeVar("TablesT", bound="Tables")


def now_text() -> str:
    """The current moment as stored in rows: UTC ISO 8601, seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def marks(values: Iterable[object]) -> str:
    """SQL placeholders for ``values``: ``?, ?, ?``."""
    return ", ".join("?" for _ in values)


def user_key(secret: bytes, chat_id: int) -> int:
    """The key a chat is stored under: HMAC-SHA256 of its id, 63 bits (an SQLite integer).

    Without the secret the id cannot be recovered from the key, nor the key computed from an id.

    >>> user_key(b"secret", 42) == user_key(b"secret", 42) != user_key(b"other", 42)
    True
    """
    digest = hmac.new(secret, str(chat_id).encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def user_ref(uid: int) -> str:
    """A short pseudonym of a user for logs and reports: ``u`` and 8 hex digits of the key."""
    return f"u{uid:016x}"[:9]


ALL_TOPICS = "*"  # a subscription to every topic, present and future
DeliveryMode = Literal["instant", "daily", "weekly"]
DIGEST_MODES: tuple[DeliveryMode, ...] = ("daily", "weekly")
DIGEST_HOURS = range(24)  # whole hours, Asia/Almaty, a digest may come at
DEFAULT_DIGEST_HOUR = 9  # like a bare publish_at date
DigestMoment = Callable[[DeliveryMode, int], datetime]  # a digest's next moment: mode, hour
DeliveryState = Literal["pending", "sending", "sent", "failed", "skipped"]
DELIVERY_STATES: tuple[DeliveryState, ...] = ("pending", "sending", "sent", "failed", "skipped")


def stamp(moment: datetime) -> str:
    """A moment as stored in the outbox: UTC ISO 8601 with milliseconds (sorts as text)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


@dataclass(frozen=True)
class Delivery:
    """One outbox row: a notice on its way to a chat."""

    id: int
    notice_id: str
    chat_id: int
    lang: Lang
    digest: bool
    attempts: int


DELIVERY_COLUMNS = "id, notice_id, chat_id, lang, digest, attempts"


def deliveries(rows: Iterable[tuple[int, str, int, Lang, int, int]]) -> list[Delivery]:
    """Outbox rows (DELIVERY_COLUMNS) as :class:`Delivery` objects."""
    return [Delivery(i, n, c, lang, bool(d), a) for i, n, c, lang, d, a in rows]


class Tables:
    """A part of the store: works on the connection it is given, keys users with ``secret``."""

    db: JournaledDatabase
    secret: bytes

    def uid(self, chat_id: int) -> int:
        """The key ``chat_id`` is stored under."""
        return user_key(self.secret, chat_id)

    def _take_user_row(
        self, table: str, column: str, chat_id: int, max_age: timedelta
    ) -> tuple[object] | None:
        """The user's one row in ``table`` (its ``column``), if asked within ``max_age`` (its
        ``asked_at``); deleted once read: the next message answers it or is something else."""
        uid = self.uid(chat_id)
        row = self.db.execute(
            f"SELECT {column}, asked_at FROM {table} WHERE uid = ?", [uid]
        ).fetchone()
        if row is None:  # most messages: nothing to forget, no write
            return None
        with self.db.atomic():
            self.db.execute(f"DELETE FROM {table} WHERE uid = ?", [uid])
        fresh = datetime.fromisoformat(str(row[1])) >= datetime.now(UTC) - max_age
        return (row[0],) if fresh else None

    def _set_user_row(self, table: str, chat_id: int, **values: object) -> None:
        """Create the user's one row in ``table`` (keyed ``uid``), or set ``values`` (column:
        value) in the row they have; columns not named keep what they hold."""
        columns = ["uid", *values]
        updates = ", ".join(f"{column} = excluded.{column}" for column in values)
        with self.db.atomic():
            self.db.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks(columns)})"
                f" ON CONFLICT(uid) DO UPDATE SET {updates}",
                [self.uid(chat_id), *values.values()],
            )

    @contextlib.contextmanager
    def immediate(self) -> Iterator[None]:
        """A strict transaction that takes the write lock at once (read-then-write across
        processes)."""
        with self.db.strictly():
            self.db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.db.conn.rollback()
                raise
            else:
                self.db.conn.commit()


def strict(
    method: Callable[Concatenate[TablesT, P], R],
) -> Callable[Concatenate[TablesT, P], R]:
    """A store method whose writes raise when the database refuses them (never held)."""

    @functools.wraps(method)
    def wrapper(self: TablesT, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.db.strictly():
            return method(self, *args, **kwargs)

    return wrapper
