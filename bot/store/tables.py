"""What every part of the store shares: the connection, timestamps, types of the outbox."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import sqlite_utils

from bot.kb.model import Lang


def now_text() -> str:
    """The current moment as stored in rows: UTC ISO 8601, seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def marks(values: Iterable[object]) -> str:
    """SQL placeholders for ``values``: ``?, ?, ?``."""
    return ", ".join("?" for _ in values)


ALL_TOPICS = "*"  # a subscription to every topic, present and future
DeliveryMode = Literal["instant", "weekly"]
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
    """A part of the store: works on the connection it is given."""

    db: sqlite_utils.Database
