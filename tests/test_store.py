"""The SQLite store: schema migrations, users' language, activity, feedback."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
import sqlite_utils

from bot.store import Store
from bot.store.schema import MIGRATIONS, migrate
from bot.store.tables import now_text, user_key


def test_schema_is_created_once_and_survives_reopen(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "adal.db"
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    store.set_language(42, "kk")
    store.close()
    reopened = Store(path)
    assert reopened.schema_version == len(MIGRATIONS)
    assert reopened.language(42) == "kk"
    reopened.close()


def test_language_and_activity() -> None:
    store = Store(":memory:")
    assert store.language(1) is None
    assert store.is_active(1)
    store.touch_user(1, 10, "kk")
    store.set_active(1, False)
    assert not store.is_active(1)
    store.touch_user(1, None, None)  # a later contact keeps what is known
    row = store.db["users"].get(store.uid(1))
    assert (row["client_lang"], row["active"], row["chat_id"]) == ("kk", 0, None)
    assert store.count_users() == {"users": 1, "active": 0}


def test_feedback_the_latest_vote_counts_once() -> None:
    """A user's other vote on an entry replaces their first (the counts move from one to the
    other); the same vote again changes nothing."""
    store = Store(":memory:")
    assert store.add_feedback(1, "gifts", 1, "ru")
    assert store.add_feedback(2, "gifts", 1, "en")
    assert store.feedback_counts() == {"gifts": (2, 0)}
    assert store.add_feedback(1, "gifts", -1, "ru")
    assert store.feedback_counts() == {"gifts": (1, 1)}
    assert not store.add_feedback(1, "gifts", -1, "ru")
    assert store.feedback_counts() == {"gifts": (1, 1)}
    assert store.db["feedback"].count == 2  # one row a user, under their key
    assert {row["uid"] for row in store.db["feedback"].rows} == {store.uid(1), store.uid(2)}
    with pytest.raises(ValueError):
        store.add_feedback(1, "gifts", 0, "ru")


def test_a_users_row_is_made_once_under_their_key_and_then_updated() -> None:
    """The per-user rows (last answer, last clarifying question, open checker, comment request)
    share one write: a second write updates the named columns of the same row."""
    store = Store(":memory:")
    store._set_user_row("flows", 7, checker="gifts", path="", updated_at="2026-01-01", aside=1)
    store._set_user_row("flows", 8, checker="loans", path="1", updated_at="2026-01-01", aside=0)
    store._set_user_row("flows", 7, checker="jobs", path="2", updated_at="2026-01-02")
    rows = list(store.db.execute("SELECT uid, checker, path, updated_at, aside FROM flows"))
    assert sorted(rows) == sorted(
        [
            (store.uid(7), "jobs", "2", "2026-01-02", 1),
            (store.uid(8), "loans", "1", "2026-01-01", 0),
        ]
    )
    store.set_flow(7, "gifts", "0")  # a step shown again: the checker is no longer set aside
    assert not store.flow_aside(7)
    store.ask_comment(7, "gifts", "kk")
    store.ask_comment(7, "loans", "en")
    requests = list(store.db.execute("SELECT uid, entry_id, lang FROM feedback_requests"))
    assert requests == [(store.uid(7), "loans", "en")]


def test_votes_and_open_requests_are_rekeyed_without_the_chat_id() -> None:
    """Migration 9 moves the feedback of a database made before it under the users' keys."""
    from bot.store.schema import migrate

    db = sqlite_utils.Database(memory=True)
    db.conn.create_function("adal_uid", 1, lambda chat_id: chat_id + 1000)  # a user key
    keyed = MIGRATIONS.index(next(m for m in MIGRATIONS if m.__name__ == "_m9_keyed_feedback"))
    migrate(db, MIGRATIONS[:keyed])
    db.execute("INSERT INTO feedback VALUES (7, 'gifts', -1, 'kk', '2026-01-01T00:00:00+00:00')")
    db.execute("INSERT INTO feedback_requests VALUES (7, 'gifts', 'kk', '2026-01-01T00:00:00')")
    migrate(db)
    assert list(db.execute("SELECT uid, entry_id, vote FROM feedback")) == [(1007, "gifts", -1)]
    assert list(db.execute("SELECT uid, entry_id FROM feedback_requests")) == [(1007, "gifts")]
    for table in ("feedback", "feedback_requests"):
        assert "chat_id" not in {column.name for column in db.table(table).columns}


def test_panels_join_the_clarifying_question_asked_before_the_migration(tmp_path: Path) -> None:
    """Migration 19 keeps the panel's buttons in the row of the clarifying question: a question
    asked before it still waits for its answer, and one choice waits at a time."""
    path, wait = tmp_path / "old.db", timedelta(minutes=10)
    db = sqlite_utils.Database(path)
    db.conn.create_function("adal_uid", 1, partial(user_key, b"key"))
    migrate(db, MIGRATIONS[: [m.__name__ for m in MIGRATIONS].index("_m19_recent_panels")])
    db["recent_choices"].insert({"uid": user_key(b"key", 7), "question": 3, "asked_at": now_text()})
    db.close()
    store = Store(path, "key")
    assert store.schema_version == len(MIGRATIONS)
    assert store.take_panel(7, max_age=wait) is None  # a question, left for its answer
    assert store.take_recent_choice(7, max_age=wait) == 3
    store.set_recent_choice(7, 4)
    store.set_panel(7, ["l:kk|en", "l:ru|en"])  # in the question's place
    assert store.take_recent_choice(7, max_age=wait) is None
    store.set_panel(7, ["l:kk|en", "l:ru|en"])
    shown = store.take_panel(7, max_age=wait)
    assert shown is not None and shown.fresh and shown.action(2) == "l:ru|en"
    assert shown.action(0) is shown.action(3) is None
    assert store.take_panel(7, max_age=wait) is None  # read once
    store.close()


def test_a_migration_that_fails_half_way_leaves_nothing_behind(tmp_path: Path) -> None:
    """Its first table must not survive the failure, or the next start fails on it."""
    from bot.store.schema import migrate, schema_version

    def broken(db: sqlite_utils.Database) -> None:
        db.table("half").create({"id": int}, pk="id")
        raise RuntimeError("disk full")

    db = sqlite_utils.Database(tmp_path / "adal.db")
    db.conn.create_function("adal_uid", 1, lambda chat_id: chat_id)  # the store's user key
    with pytest.raises(RuntimeError):
        migrate(db, [*MIGRATIONS, broken])
    assert schema_version(db) == len(MIGRATIONS)
    assert "half" not in db.table_names()
    migrate(db, [*MIGRATIONS, lambda d: d.table("half").create({"id": int}, pk="id")])
    assert schema_version(db) == len(MIGRATIONS) + 1
