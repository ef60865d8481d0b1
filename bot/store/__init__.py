"""All SQLite access (through sqlite-utils), the only door to the database: users, their
language, feedback, subscriptions and the outbox of update notices, one module each."""

from __future__ import annotations

from pathlib import Path

import sqlite_utils

from bot.store.feedback import Feedback
from bot.store.flows import Flows
from bot.store.outbox import Outbox
from bot.store.schema import migrate, schema_version
from bot.store.subscriptions import Subscriptions
from bot.store.tables import (
    ALL_TOPICS,
    DELIVERY_STATES,
    Delivery,
    DeliveryMode,
    DeliveryState,
    stamp,
)

__all__ = [
    "ALL_TOPICS",
    "DELIVERY_STATES",
    "Delivery",
    "DeliveryMode",
    "DeliveryState",
    "Store",
    "stamp",
]


class Store(Subscriptions, Feedback, Outbox, Flows):
    """The bot's SQLite database: one per process, opened at ``path`` (``:memory:`` for tests)."""

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(path)
            self.db.enable_wal()
        else:
            self.db = sqlite_utils.Database(memory=True)
        migrate(self.db)

    @property
    def schema_version(self) -> int:
        """How many migrations have run."""
        return schema_version(self.db)

    def close(self) -> None:
        """Close the connection."""
        self.db.close()
