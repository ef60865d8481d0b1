"""The store's side of notices: subscriptions, delivery mode, the outbox and its states."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
import sqlite_utils

from bot.kb.loader import ALMATY
from bot.notices import next_digest_at
from bot.store import ALL_TOPICS, Store, user_ref
from bot.store.schema import MIGRATIONS, migrate
from bot.store.tables import user_key

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
OWNER = "this-process"
DIGEST = NOW + timedelta(days=7)


def enqueue(store: Store, notice_id: str = "n1") -> int | None:
    return store.enqueue_notice(
        notice_id, ["gifts"], now=NOW, digest_at=lambda _mode, _hour: DIGEST, default_lang="ru"
    )


def outbox(store: Store) -> dict[int, dict[str, object]]:
    """The outbox rows by chat (chats 1-6)."""
    chats = {store.uid(chat_id): chat_id for chat_id in range(1, 7)}
    return {chats[row["uid"]]: row for row in store.db["outbox"].rows}


def take_lease(store: Store) -> None:
    assert store.take_lease(OWNER, NOW, timedelta(minutes=1)) is not None


@pytest.fixture
def store() -> Store:
    """Chats 1-6: 1 all topics (kk client), 2 gifts (en-US client), 3 relatives only,
    4 gifts but blocked the bot, 5 gifts with Russian chosen over a French client,
    6 never subscribed."""
    store = Store(":memory:")
    for chat_id, client in ((1, "kk"), (2, "en-US"), (3, "ru"), (4, "ru"), (5, "fr"), (6, "en")):
        store.touch_user(chat_id, chat_id, client)
    store.set_subscriptions(1, {ALL_TOPICS})
    store.set_subscriptions(2, {"gifts"})
    store.set_subscriptions(3, {"relatives"})
    store.set_subscriptions(4, {"gifts"})
    store.set_active(4, False)
    store.set_subscriptions(5, {"gifts", "relatives"})
    store.set_language(5, "ru")
    return store


def test_enqueue_reaches_active_subscribers_of_the_topics_in_their_language(store: Store) -> None:
    assert enqueue(store) == 3
    rows = outbox(store)
    assert sorted(rows) == [1, 2, 5]
    assert {c: r["lang"] for c, r in rows.items()} == {1: "kk", 2: "en", 5: "ru"}
    assert {r["state"] for r in rows.values()} == {"pending"}
    assert store.db["notices_state"].get("n1")["recipients"] == 3


def test_a_notice_speaks_the_language_written_in_unless_one_was_chosen(store: Store) -> None:
    """Chat 1 (Kazakh client) writes in English: its notice is English; chat 5 chose Russian
    and writes in Kazakh: its choice wins."""
    store.set_written_language(1, "en")
    store.set_written_language(5, "kk")
    assert store.written_language(1) == "en" and store.written_language(6) is None
    enqueue(store)
    assert {c: r["lang"] for c, r in outbox(store).items()} == {1: "en", 2: "en", 5: "ru"}


def test_enqueue_is_idempotent_and_rows_are_unique(store: Store) -> None:
    assert enqueue(store) == 3
    store.set_subscriptions(3, {"gifts"})  # subscribing later does not reopen a sent notice
    assert enqueue(store) is None
    assert len(outbox(store)) == 3
    with pytest.raises(sqlite3.IntegrityError):
        store.db["outbox"].insert(
            {
                "notice_id": "n1",
                "uid": store.uid(1),
                "chat_id": 1,
                "lang": "kk",
                "ready_at": "",
                "created_at": "",
            }
        )
    assert set(store.enqueued_notices()) == {"n1"}


def test_weekly_subscribers_wait_for_the_digest_and_can_switch(store: Store) -> None:
    store.set_delivery_mode(2, "weekly", now=NOW, digest_at=DIGEST)
    assert store.delivery_mode(2) == "weekly" and store.delivery_mode(1) == "instant"
    enqueue(store)
    enqueue(store, "n2")
    assert sorted(d.chat_id for d in store.ready_deliveries(NOW)) == [1, 1, 5, 5]
    assert store.digest_batch(2, NOW) == []
    batch = store.digest_batch(2, DIGEST)
    assert [d.notice_id for d in batch] == ["n1", "n2"] and all(d.digest for d in batch)
    store.set_delivery_mode(2, "instant", now=NOW, digest_at=DIGEST)
    assert sorted(d.chat_id for d in store.ready_deliveries(NOW)) == [1, 1, 2, 2, 5, 5]
    assert store.count_subscribers() == {"subscribers": 4, "daily": 0, "weekly": 0}


def claim(store: Store, ids: list[int], owner: str = OWNER) -> bool:
    return store.claim(ids, owner=owner, until=NOW + timedelta(seconds=10))


def test_claim_is_all_or_nothing_and_finish_records_the_outcome(store: Store) -> None:
    enqueue(store)
    take_lease(store)
    first, second, third = store.ready_deliveries(NOW)
    assert claim(store, [first.id])
    assert not claim(store, [first.id, second.id])  # first is no longer pending
    assert outbox(store)[second.chat_id]["state"] == "pending"
    store.finish([first.id], "sent", now=NOW)
    store.finish([second.id], "failed", now=NOW, error="Chat not found")
    store.finish(
        [third.id], "pending", now=NOW, error="retry after 3 s", retry_at=NOW + timedelta(seconds=3)
    )
    assert [d.id for d in store.ready_deliveries(NOW)] == []
    assert store.next_ready_at() == NOW + timedelta(seconds=3)
    assert store.delivery_counts()["n1"] == {
        "pending": 1,
        "sending": 0,
        "sent": 1,
        "failed": 1,
        "skipped": 0,
    }
    rows = outbox(store)
    assert rows[first.chat_id]["sent_at"] and rows[first.chat_id]["attempts"] == 1
    reference = user_ref(store.uid(second.chat_id))
    assert (reference, "failed", "Chat not found") in store.delivery_problems("n1")
    # a delivered or failed row no longer holds the chat id; a retried one still does
    assert [rows[d.chat_id]["chat_id"] for d in (first, second, third)] == [
        None,
        None,
        third.chat_id,
    ]


def test_only_the_lease_holder_claims(store: Store) -> None:
    enqueue(store)
    first, *_ = store.ready_deliveries(NOW)
    assert not claim(store, [first.id])  # nobody holds the lease
    take_lease(store)
    assert store.take_lease("other", NOW, timedelta(minutes=1)) is None
    assert not claim(store, [first.id], owner="other")
    assert not store.claim([first.id], owner=OWNER, until=NOW + timedelta(minutes=2))
    assert claim(store, [first.id])


def test_in_flight_rows_are_recovered_only_when_the_lease_expired(store: Store) -> None:
    enqueue(store)
    take_lease(store)
    first, second, _third = store.ready_deliveries(NOW)
    assert claim(store, [first.id]) and claim(store, [second.id])
    store.finish([second.id], "sent", now=NOW)
    assert store.take_lease(OWNER, NOW, timedelta(minutes=1)) == 0  # a renewal recovers nothing
    later = NOW + timedelta(minutes=1, seconds=1)
    assert store.take_lease("other", later, timedelta(minutes=1)) == 1  # the call under way
    holder = store.lease_holder()
    assert holder is not None and holder.owner == "other"
    assert outbox(store)[first.chat_id]["state"] == "pending"
    store.set_active(first.chat_id, False)
    assert outbox(store)[first.chat_id]["state"] == "skipped"
    assert outbox(store)[first.chat_id]["chat_id"] is None


def test_a_released_lease_is_taken_at_once(store: Store) -> None:
    take_lease(store)
    store.release_lease("other")  # not theirs: nothing happens
    assert store.take_lease("other", NOW, timedelta(minutes=1)) is None
    store.release_lease(OWNER)
    assert store.take_lease("other", NOW, timedelta(minutes=1)) == 0


def test_unsubscribing_from_everything_drops_undelivered_rows(store: Store) -> None:
    enqueue(store)
    store.set_subscriptions(2, ())
    assert store.subscriptions(2) == set()
    assert outbox(store)[2]["state"] == "skipped"
    assert outbox(store)[1]["state"] == "pending"
    assert outbox(store)[2]["chat_id"] is None
    assert store.db.execute(
        "SELECT chat_id FROM users WHERE uid = ?", [store.uid(2)]
    ).fetchone() == (None,)


def test_migration_keeps_existing_users(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db["users"].insert({"chat_id": 7, "lang": "kk", "active": 1})
    db.close()
    store = Store(path)
    assert store.schema_version == len(MIGRATIONS)
    assert store.language(7) == "kk" and store.delivery_mode(7) == "instant"
    store.close()


def test_digest_rows_wait_for_each_subscribers_mode_and_hour(store: Store) -> None:
    """NOW is Monday 09:00 in Almaty: a daily reader at 18:00 gets the digest tonight, a
    weekly one at 08:00 next Monday (this Monday's 08:00 has passed), one at once now."""
    store.set_delivery_mode(2, "daily", now=NOW, digest_at=DIGEST, hour=18)
    store.set_delivery_mode(5, "weekly", now=NOW, digest_at=DIGEST, hour=8)
    store.enqueue_notice(
        "n1", ["gifts"], now=NOW, digest_at=partial(next_digest_at, NOW), default_lang="ru"
    )
    ready = {
        chat: datetime.fromisoformat(str(row["ready_at"])) for chat, row in outbox(store).items()
    }
    assert ready == {
        1: NOW,
        2: datetime(2026, 3, 2, 18, 0, tzinfo=ALMATY),
        5: datetime(2026, 3, 9, 8, 0, tzinfo=ALMATY),
    }
    assert {chat: row["digest"] for chat, row in outbox(store).items()} == {1: 0, 2: 1, 5: 1}
    assert (store.delivery_mode(2), store.digest_hour(2)) == ("daily", 18)
    assert store.count_subscribers() == {"subscribers": 4, "daily": 1, "weekly": 1}


def test_the_digest_hour_migration_keeps_each_users_delivery(tmp_path: Path) -> None:
    """A database made before the digest hour: weekly readers stay weekly, at 09:00, and
    their queued digest rows keep their moment."""
    path = tmp_path / "old.db"
    db = sqlite_utils.Database(path)
    db.conn.create_function("adal_uid", 1, partial(user_key, b"key"))
    migrate(db, MIGRATIONS[: [m.__name__ for m in MIGRATIONS].index("_m17_digest_hour")])
    for chat_id, delivery in ((7, "weekly"), (8, "instant")):
        db["users"].insert(
            {"uid": user_key(b"key", chat_id), "chat_id": chat_id, "delivery": delivery}
        )
    db["outbox"].insert(
        {
            "notice_id": "n1",
            "uid": user_key(b"key", 7),
            "chat_id": 7,
            "lang": "kk",
            "digest": 1,
            "ready_at": DIGEST.isoformat(),
            "created_at": NOW.isoformat(),
        }
    )
    db.close()
    store = Store(path, "key")
    assert store.schema_version == len(MIGRATIONS)
    assert (store.delivery_mode(7), store.digest_hour(7)) == ("weekly", 9)
    assert (store.delivery_mode(8), store.digest_hour(8)) == ("instant", 9)
    assert [d.notice_id for d in store.digest_batch(7, DIGEST)] == ["n1"]
    store.close()
