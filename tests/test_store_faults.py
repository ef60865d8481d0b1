"""Answers do not depend on the disk: with a database that cannot be written (read-only, full,
locked by another process) the dialog still answers, one error is logged, and the changes it
could not write are made once the database takes writes again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest

from bot.config import Settings
from bot.dialog import Dialog, UserRef, build_dialog
from bot.dialog.reply import split_language
from bot.notices.lease import Lease, keep_lease
from bot.store import Store
from bot.store.journal import CATCH_UP_BUSY_MS
from bot.telegram.app import StartError, open_store

QUESTION = "Можно ли мне как госслужащему принять подарок от посетителя?"
FAULTS = ("read-only", "full", "locked")
FIRST = UserRef(chat_id=11, user_id=11, client_lang="ru")
NEWCOMERS = [UserRef(chat_id=100 + n, user_id=100 + n, client_lang="en") for n in range(30)]
BRIEF_WAIT = 0.05  # seconds a write waits for the lock in these tests (the bot's is longer)
T = TypeVar("T")


@contextlib.contextmanager
def unwritable(store: Store, path: Path, fault: str) -> Iterator[None]:
    """The database refuses writes the way ``fault`` does, until the block ends."""
    if fault == "read-only":
        store.db.execute("PRAGMA query_only = 1")
        yield
        store.db.execute("PRAGMA query_only = 0")
    elif fault == "full":
        with store.db.strictly():
            store.db.execute("CREATE TABLE filler (data BLOB)")
            (pages,) = store.db.execute("PRAGMA page_count").fetchone()
            store.db.execute(f"PRAGMA max_page_count = {pages}")
            with contextlib.suppress(sqlite3.OperationalError):  # fill the last free pages
                while True:
                    store.db.execute("INSERT INTO filler VALUES (zeroblob(512))")
        yield
        with store.db.strictly():
            store.db.execute("PRAGMA max_page_count = 1073741823")
            store.db.execute("DROP TABLE filler")
    else:
        other = sqlite3.connect(path)
        other.execute("BEGIN EXCLUSIVE")
        yield
        other.rollback()
        other.close()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "adal.db", busy_timeout=BRIEF_WAIT)


@pytest.fixture
def dialog(store: Store) -> Dialog:
    return build_dialog(Settings(), store)


def answered(dialog: Dialog, user: UserRef, text: str) -> list[str]:
    """The actions of the buttons the dialog answers ``text`` with."""
    replies = dialog.handle_message(user, text)
    assert replies and "Something went wrong" not in replies[0].text
    return [split_language(b.action)[0] for r in replies for row in r.buttons for b in row]


@pytest.mark.logs_errors
@pytest.mark.parametrize("fault", FAULTS)
def test_the_bot_answers_and_catches_up_when_the_database_cannot_be_written(
    dialog: Dialog, store: Store, tmp_path: Path, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    answered(dialog, FIRST, "/start")
    with unwritable(store, tmp_path / "adal.db", fault):
        for user in NEWCOMERS:
            assert any(a.startswith("f:+:") for a in answered(dialog, user, QUESTION))
        assert "l:kk" in answered(dialog, FIRST, "/language")
        (chosen,) = dialog.handle_button(FIRST, "l:kk")
        assert chosen.toast and "Something went wrong" not in chosen.text
        answered(dialog, FIRST, "/help")
        answered(dialog, NEWCOMERS[0], "/subscribe all")
        assert store.held
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "database not writable" in errors[0].getMessage()
    assert store.catch_up() and not store.held
    assert store.language(FIRST.chat_id) == "kk"
    assert store.count_users()["users"] == 1 + len(NEWCOMERS)
    assert store.subscriptions(NEWCOMERS[0].chat_id) == {"*"}
    assert "database writable again" in caplog.text


def busy_timeout(store: Store) -> int:
    """How many milliseconds a write waits for another process's lock now."""
    return int(store.db.execute("PRAGMA busy_timeout").fetchone()[0])


@pytest.mark.logs_errors
@pytest.mark.parametrize("fault", FAULTS)
async def test_one_outage_is_one_error_and_one_recovery_whoever_writes(
    dialog: Dialog, store: Store, tmp_path: Path, fault: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The answers' held writes, the outbox's, the lease's: one error, and one line when the
    first write goes through again (the held ones made with it); brief lock waits meanwhile."""
    lease = Lease(store, ttl=timedelta(seconds=0.04))
    assert lease.take() == 0
    renewals = 0

    async def counting(call: Callable[[], T]) -> T:
        nonlocal renewals
        renewals += 1
        return call()

    with unwritable(store, tmp_path / "adal.db", fault):
        for user in NEWCOMERS:
            answered(dialog, user, QUESTION)
        answered(dialog, FIRST, "/subscribe all")
        with contextlib.suppress(sqlite3.OperationalError):  # a full disk may have room for it
            store.probe_write(datetime.now(UTC))
        renewing = asyncio.create_task(keep_lease(lease, counting, on_lost=lambda: None))
        while renewals < 3:
            await asyncio.sleep(0.005)
        renewing.cancel()
        assert store.held and busy_timeout(store) == CATCH_UP_BUSY_MS
    store.probe_write(datetime.now(UTC))
    assert not store.held and store.subscriptions(FIRST.chat_id) == {"*"}
    assert store.count_users()["users"] == 1 + len(NEWCOMERS)
    assert busy_timeout(store) == BRIEF_WAIT * 1000
    lines = [(r.levelno, r.getMessage()) for r in caplog.records if r.levelno >= logging.WARNING]
    assert [level for level, _ in lines] == [logging.ERROR, logging.WARNING]
    assert lines[0][1].startswith("database not writable")
    assert lines[1][1].startswith("database writable again")


@pytest.mark.logs_errors
def test_held_changes_are_made_in_order_the_latest_of_each_kind(
    dialog: Dialog, store: Store, tmp_path: Path
) -> None:
    with unwritable(store, tmp_path / "adal.db", "read-only"):
        for lang in ("kk", "en", "ru"):
            dialog.handle_button(FIRST, f"l:{lang}")
        dialog.handle_message(FIRST, "/subscribe all")
        dialog.handle_message(FIRST, "/unsubscribe")
        assert store.language(FIRST.chat_id) is None
    store.catch_up()
    assert store.language(FIRST.chat_id) == "ru" and store.subscriptions(FIRST.chat_id) == set()


def chattr(*args: str) -> bool:
    """Run chattr (root on a file system that has it); False when it cannot be done."""
    done = subprocess.run(["chattr", *args], capture_output=True, check=False)
    return done.returncode == 0


@pytest.fixture
def immutable() -> Iterator[list[Path]]:
    """Paths to make immutable (chattr +i) for a test, made mutable again after it."""
    paths: list[Path] = []
    yield paths
    for path in paths:
        chattr("-i", str(path))


def test_a_database_path_that_cannot_be_created_or_written_stops_the_start(
    tmp_path: Path, immutable: list[Path]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StartError, match=r"^ADAL_DB=.*a-file/adal.db cannot be created \(Not a"):
        open_store(Settings(db_path=blocker / "adal.db"))
    path = tmp_path / "adal.db"
    Store(path).close()
    for name in ("adal.db", "adal.db-wal", "adal.db-shm"):
        if (tmp_path / name).exists():
            immutable.append(tmp_path / name)
            if not chattr("+i", str(tmp_path / name)):
                pytest.skip("chattr +i is not available here (needs root and ext4/xfs)")
    with pytest.raises(StartError, match=r"^ADAL_DB=.*adal.db cannot be written \(SQLITE_READ"):
        open_store(Settings(db_path=path))


@pytest.mark.logs_errors
@pytest.mark.parametrize("fault", ["read-only", "locked"])  # "full" may leave a row room
def test_subscriptions_read_back_the_change_held_for_later(
    dialog: Dialog, store: Store, tmp_path: Path, fault: str
) -> None:
    """A probe, the database full or locked: ``/subscribe gifts`` answered "You are subscribed
    to “Ban on gifts”. You are not subscribed to update notices.", and /unsubscribe read the
    subscription back after saying "You will get no more notices"."""
    user = NEWCOMERS[1]
    with unwritable(store, tmp_path / "adal.db", fault):
        (subscribed,) = dialog.handle_message(user, "/subscribe gifts")
        (unsubscribed,) = dialog.handle_message(user, "/unsubscribe")
        assert store.held
    assert "You get notices on: Ban on gifts." in subscribed.text
    assert unsubscribed.text.startswith("You will get no more notices.\n\nYou are not subscribed")
    assert store.catch_up() and store.subscriptions(user.chat_id) == set()


@pytest.mark.logs_errors
@pytest.mark.parametrize("fault", ["read-only", "locked"])
def test_the_delivery_mode_and_hour_read_back_the_change_held_for_later(
    dialog: Dialog, store: Store, tmp_path: Path, fault: str
) -> None:
    """Round 36's probe: ``/subscribe weekly`` while writes were refused showed the old tick
    (only the topics were read back from the held change)."""
    user = NEWCOMERS[2]
    dialog.handle_message(user, "/subscribe gifts")
    with unwritable(store, tmp_path / "adal.db", fault):
        (weekly,) = dialog.handle_message(user, "/subscribe weekly")
        (at_six,) = dialog.handle_message(user, "/subscribe 18:00")
        (daily,) = dialog.handle_message(user, "/subscribe daily")
        assert store.held
    ticked = [b.label for row in weekly.buttons for b in row if b.label.startswith("✅")]
    assert ticked == ["✅ Ban on gifts", "✅ Weekly digest"]
    assert "weekly digest, on Mondays at 09:00" in weekly.text
    assert "weekly digest, on Mondays at 18:00" in at_six.text
    assert "daily digest, every day at 18:00" in daily.text
    assert store.catch_up()
    assert (store.delivery_mode(user.chat_id), store.digest_hour(user.chat_id)) == ("daily", 18)


def test_a_database_file_deleted_under_the_store_holds_its_changes_until_it_is_back(
    dialog: Dialog, store: Store, tmp_path: Path
) -> None:
    """Round 36's probe: with adal.db unlinked, the bot went on "saving" into the unlinked file,
    lost at the next start, and said nothing."""
    path, kept = tmp_path / "adal.db", tmp_path / "kept.db"
    answered(dialog, FIRST, "/start")
    assert store.watch_file() is None
    path.rename(kept)
    assert store.file_gone() and store.watch_file() is True
    assert store.watch_file() is None  # told once
    answered(dialog, FIRST, "/subscribe all")
    assert store.held and not path.exists()
    kept.rename(path)
    assert store.watch_file() is False and not store.held
    assert store.subscriptions(FIRST.chat_id) == {"*"}


def test_a_database_replaced_by_another_file_counts_as_gone(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "adal.db"
    path.unlink()
    path.write_bytes(b"")
    assert store.watch_file() is True


@pytest.mark.parametrize("new_database", [False, True])
def test_a_key_file_without_its_database_stops_the_start_unless_asked_for_a_new_one(
    tmp_path: Path, new_database: bool
) -> None:
    """Round 36's probe: a deleted adal.db was silently started anew beside its old key."""
    path = tmp_path / "adal.db"
    Store(path).close()
    for name in ("adal.db", "adal.db-wal", "adal.db-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    settings = Settings(db_path=path, new_database=new_database)
    if new_database:
        open_store(settings).close()
        assert path.exists()
    else:
        with pytest.raises(StartError, match=r"^ADAL_DB=.*adal.db is missing but its key"):
            open_store(settings)
        assert not path.exists()


def test_a_fresh_install_starts_without_asking(tmp_path: Path) -> None:
    open_store(Settings(db_path=tmp_path / "data" / "adal.db")).close()
    assert (tmp_path / "data" / "adal.db.key").exists()


def test_a_database_with_damaged_pages_stops_the_start_in_one_line(tmp_path: Path) -> None:
    """Round 36's probe: pages 3-5 overwritten gave a 77-line traceback at the lease."""
    path = tmp_path / "adal.db"
    store = Store(path)
    for chat_id in range(1, 200):
        store.set_subscriptions(chat_id, {"*"})
    (page_size,) = store.db.execute("PRAGMA page_size").fetchone()
    store.close()
    noise = random.Random(5)
    with path.open("r+b") as db:
        for page in (3, 4, 5):
            db.seek((page - 1) * page_size)
            db.write(noise.randbytes(page_size))
    with pytest.raises(StartError) as caught:
        open_store(Settings(db_path=path))
    assert re.match(r"ADAL_DB=.*adal.db cannot be opened \(SQLITE_CORRUPT: ", str(caught.value))
    assert "\n" not in str(caught.value)
