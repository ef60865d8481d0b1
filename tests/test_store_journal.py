"""The journal of writes the database refuses: a transaction is held whole and made whole,
in order; strict writes raise; reads go on; /forget drops a user's held writes."""

from __future__ import annotations

import sqlite3

import pytest

from bot.store import Store
from bot.store.journal import is_write


@pytest.fixture
def store() -> Store:
    store = Store(":memory:")
    store.db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)")
    return store


def refuse(store: Store, refused: bool) -> None:
    store.db.execute(f"PRAGMA query_only = {int(refused)}")


def rows(store: Store) -> dict[str, int]:
    return dict(store.db.execute("SELECT k, v FROM t").fetchall())


@pytest.mark.parametrize(
    ("sql", "write"),
    [
        ("SELECT 1", False),
        ("  pragma user_version", False),
        ("WITH x AS (SELECT 1) SELECT * FROM x", False),
        ("WITH x AS (SELECT 1) INSERT INTO t SELECT 'a', 1 FROM x", True),
        ("INSERT INTO t VALUES ('a', 1)", True),
        ("DELETE FROM t", True),
        ("UPDATE t SET v = 2", True),
    ],
)
def test_writes_are_told_from_reads(sql: str, write: bool) -> None:
    assert is_write(sql) is write


@pytest.mark.logs_errors
def test_a_refused_transaction_is_held_whole_and_made_whole_in_order(store: Store) -> None:
    with store.db.atomic():
        store.db.execute("INSERT INTO t VALUES ('a', 1)")
    refuse(store, True)
    with store.db.atomic():
        store.db.execute("UPDATE t SET v = 2 WHERE k = 'a'")
        store.db.execute("INSERT INTO t VALUES ('b', 1)")
    cursor = store.db.execute("UPDATE t SET v = v + 10")
    assert cursor.rowcount == 0 and rows(store) == {"a": 1}  # reads go on, nothing half-made
    assert [len(unit) for unit in store.held] == [2, 1]
    assert store.catch_up() == 0  # still refused: nothing made, nothing lost
    refuse(store, False)
    assert store.catch_up() == 2 and not store.held
    assert rows(store) == {"a": 12, "b": 11}


@pytest.mark.logs_errors
def test_strict_writes_raise_and_are_not_held(store: Store) -> None:
    refuse(store, True)
    with pytest.raises(sqlite3.OperationalError), store.db.strictly():
        store.db.execute("INSERT INTO t VALUES ('a', 1)")
    assert not store.held


@pytest.mark.logs_errors
def test_forget_drops_the_users_held_writes(store: Store) -> None:
    store.set_language(1, "kk")
    refuse(store, True)
    store.set_language(1, "en")
    store.set_language(2, "ru")
    refuse(store, False)
    assert store.forget(1) == 1
    store.catch_up()
    assert store.language(1) is None and store.language(2) == "ru"
