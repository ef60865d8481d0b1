"""The database's schema: migrations run once each, in order, each in one transaction.

``PRAGMA user_version`` records how many have run; a migration that fails half way leaves
nothing behind, so the next start tries it again from a clean state.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


def _m1_users_feedback(db: sqlite_utils.Database) -> None:
    db.table("users").create(
        {
            "chat_id": int,
            "user_id": int,
            "lang": str,
            "client_lang": str,
            "active": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="chat_id",
        not_null={"active"},
        defaults={"active": 1},
    )
    db.table("feedback").create(
        {"chat_id": int, "entry_id": str, "vote": int, "lang": str, "created_at": str},
        pk=("chat_id", "entry_id"),
    )


def _m2_subscriptions_outbox(db: sqlite_utils.Database) -> None:
    db.table("users").add_column("delivery", str, not_null_default="instant")
    db.table("subscriptions").create(
        {"chat_id": int, "topic": str, "created_at": str}, pk=("chat_id", "topic")
    )
    db.table("notices_state").create(
        {"notice_id": str, "enqueued_at": str, "recipients": int}, pk="notice_id"
    )
    db.execute("""
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            notice_id TEXT NOT NULL,
            chat_id INTEGER NOT NULL,
            lang TEXT NOT NULL,
            digest INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            ready_at TEXT NOT NULL,
            error TEXT,
            sent_at TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (notice_id, chat_id)
        )""")
    db.execute("CREATE INDEX outbox_state ON outbox (state, id)")
    db.execute("CREATE INDEX outbox_chat ON outbox (chat_id, state)")


def _m3_flows(db: sqlite_utils.Database) -> None:
    db.table("flows").create(
        {"chat_id": int, "checker": str, "path": str, "updated_at": str}, pk="chat_id"
    )


def _m4_feedback_comments(db: sqlite_utils.Database) -> None:
    db.table("feedback_requests").create(
        {"chat_id": int, "entry_id": str, "lang": str, "asked_at": str}, pk="chat_id"
    )
    db.table("feedback_comments").create(
        {"id": int, "entry_id": str, "lang": str, "comment": str, "created_at": str}, pk="id"
    )
    db.execute("CREATE INDEX feedback_created ON feedback (created_at)")
    db.execute("CREATE INDEX feedback_comments_created ON feedback_comments (created_at)")


def _m5_keyed_users(db: sqlite_utils.Database) -> None:
    """Users, subscriptions and the outbox under the users' keys (the SQL function
    ``adal_uid``, registered by the store); a raw chat id stays only on active subscribers and
    undelivered outbox rows. ``meta`` keeps a check of the key's secret."""
    db.execute("""
        CREATE TABLE users_keyed (
            uid INTEGER PRIMARY KEY,
            chat_id INTEGER,
            lang TEXT,
            client_lang TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            delivery TEXT NOT NULL DEFAULT 'instant',
            created_at TEXT,
            updated_at TEXT
        )""")
    db.execute("""
        INSERT INTO users_keyed
        SELECT adal_uid(chat_id),
               CASE WHEN active AND EXISTS (SELECT 1 FROM subscriptions s
                                            WHERE s.chat_id = u.chat_id) THEN chat_id END,
               lang, client_lang, active, delivery, created_at, updated_at
        FROM users u""")
    db.execute("""
        CREATE TABLE subscriptions_keyed (
            uid INTEGER NOT NULL,
            topic TEXT NOT NULL,
            created_at TEXT,
            PRIMARY KEY (uid, topic)
        )""")
    db.execute(
        "INSERT INTO subscriptions_keyed SELECT adal_uid(chat_id), topic, created_at"
        " FROM subscriptions"
    )
    db.execute("""
        CREATE TABLE outbox_keyed (
            id INTEGER PRIMARY KEY,
            notice_id TEXT NOT NULL,
            uid INTEGER NOT NULL,
            chat_id INTEGER,
            lang TEXT NOT NULL,
            digest INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            ready_at TEXT NOT NULL,
            error TEXT,
            sent_at TEXT,
            created_at TEXT NOT NULL,
            UNIQUE (notice_id, uid),
            CHECK (chat_id IS NOT NULL OR state NOT IN ('pending', 'sending'))
        )""")
    db.execute("""
        INSERT INTO outbox_keyed
        SELECT id, notice_id, adal_uid(chat_id),
               CASE WHEN state IN ('pending', 'sending') THEN chat_id END,
               lang, digest, state, attempts, ready_at, error, sent_at, created_at
        FROM outbox""")
    for table in ("users", "subscriptions", "outbox"):
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE {table}_keyed RENAME TO {table}")
    db.execute("CREATE INDEX outbox_state ON outbox (state, id)")
    db.execute("CREATE INDEX outbox_uid ON outbox (uid, state)")
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _m6_lease_processes(db: sqlite_utils.Database) -> None:
    """The active process's lease and every process's heartbeat."""
    db.execute("""
        CREATE TABLE lease (
            name TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            taken_at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE processes (
            owner TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            role TEXT NOT NULL,
            mode TEXT NOT NULL,
            username TEXT NOT NULL,
            base TEXT NOT NULL,
            entries INTEGER NOT NULL,
            beat_at TEXT NOT NULL,
            last_update_at TEXT
        )""")


def _m7_clarifications(db: sqlite_utils.Database) -> None:
    db.execute("""
        CREATE TABLE clarifications (
            id INTEGER PRIMARY KEY,
            offered TEXT NOT NULL,
            chosen TEXT,
            created_at TEXT NOT NULL
        )""")


def _m8_questions(db: sqlite_utils.Database) -> None:
    """What users asked: the answer's entry and confidence or the entries offered instead,
    the language, the base's version, the text with personal data removed; the user only
    as their keyed hash (for /forget), no Telegram id."""
    db.execute("""
        CREATE TABLE questions (
            id INTEGER PRIMARY KEY,
            uid INTEGER,
            lang TEXT NOT NULL,
            entry_id TEXT,
            offered TEXT NOT NULL DEFAULT '',
            confidence REAL NOT NULL,
            base TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX questions_created ON questions (created_at)")
    db.execute("CREATE INDEX questions_uid ON questions (uid)")


def _m9_keyed_feedback(db: sqlite_utils.Database) -> None:
    """Votes and open "What was missing?" questions under the users' keys (``adal_uid``), as
    the users are since migration 5: no raw chat id."""
    db.execute("""
        CREATE TABLE feedback_keyed (
            uid INTEGER NOT NULL,
            entry_id TEXT NOT NULL,
            vote INTEGER NOT NULL,
            lang TEXT,
            created_at TEXT,
            PRIMARY KEY (uid, entry_id)
        )""")
    db.execute(
        "INSERT OR IGNORE INTO feedback_keyed"
        " SELECT adal_uid(chat_id), entry_id, vote, lang, created_at FROM feedback"
    )
    db.execute("""
        CREATE TABLE feedback_requests_keyed (
            uid INTEGER PRIMARY KEY,
            entry_id TEXT NOT NULL,
            lang TEXT NOT NULL,
            asked_at TEXT NOT NULL
        )""")
    db.execute(
        "INSERT OR IGNORE INTO feedback_requests_keyed"
        " SELECT adal_uid(chat_id), entry_id, lang, asked_at FROM feedback_requests"
    )
    for table in ("feedback", "feedback_requests"):
        db.execute(f"DROP TABLE {table}")
        db.execute(f"ALTER TABLE {table}_keyed RENAME TO {table}")
    db.execute("CREATE INDEX feedback_created ON feedback (created_at)")


def _m10_keyed_flows(db: sqlite_utils.Database) -> None:
    """Open checkers under the users' keys (they are minutes-long state: not carried over)."""
    db.execute("DROP TABLE flows")
    db.table("flows").create({"uid": int, "checker": str, "path": str, "updated_at": str}, pk="uid")


def _m11_cases(db: sqlite_utils.Database) -> None:
    """Questions handed to the experts (the asker and the owning expert as keys, the text
    redacted; a case's number is never given again, even after it is deleted) and the
    messages about them on their way (the case mail)."""
    db.execute("""
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            uid INTEGER NOT NULL,
            chat_id INTEGER,
            state TEXT NOT NULL DEFAULT 'draft'
                CHECK (state IN ('draft', 'waiting', 'taken', 'answered', 'withdrawn')),
            awaiting TEXT CHECK (awaiting IN ('text', 'followup')),
            lang TEXT NOT NULL,
            reply_lang TEXT NOT NULL,
            text TEXT NOT NULL,
            nearest TEXT NOT NULL DEFAULT '',
            expert_uid INTEGER,
            answer TEXT,
            answers INTEGER NOT NULL DEFAULT 0,
            followups INTEGER NOT NULL DEFAULT 0,
            helped INTEGER,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            reminded_at TEXT,
            updated_at TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX cases_uid ON cases (uid, state)")
    db.execute("CREATE INDEX cases_state ON cases (state, sent_at)")
    db.execute("""
        CREATE TABLE case_mail (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            uid INTEGER NOT NULL,
            chat_id INTEGER,
            lang TEXT NOT NULL,
            body TEXT NOT NULL DEFAULT '',
            target INTEGER,
            message_id INTEGER,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
            attempts INTEGER NOT NULL DEFAULT 0,
            ready_at TEXT NOT NULL,
            error TEXT,
            sent_at TEXT,
            created_at TEXT NOT NULL,
            CHECK (chat_id IS NOT NULL OR state NOT IN ('pending', 'sending'))
        )""")
    db.execute("CREATE INDEX case_mail_state ON case_mail (state, id)")
    db.execute("CREATE INDEX case_mail_message ON case_mail (uid, message_id)")
    db.execute("CREATE INDEX case_mail_case ON case_mail (case_id)")


def _m12_recent_answers(db: sqlite_utils.Database) -> None:
    """The entry each user was answered with last (a follow-up's context), under their key."""
    db.table("recent_answers").create({"uid": int, "entry_id": str, "answered_at": str}, pk="uid")


def _m13_written_language(db: sqlite_utils.Database) -> None:
    """The language each user last wrote in: commands and notices speak it under Auto."""
    db.execute("ALTER TABLE users ADD COLUMN written_lang TEXT")


def _m14_flows_aside(db: sqlite_utils.Database) -> None:
    """Whether an open checker was set aside by a question typed between its steps."""
    db.execute("ALTER TABLE flows ADD COLUMN aside INTEGER NOT NULL DEFAULT 0")


def _m15_recent_choices(db: sqlite_utils.Database) -> None:
    """The clarifying question each user was asked last, under their key: a typed "второй"
    or "the family one" answers it."""
    db.table("recent_choices").create({"uid": int, "question": int, "asked_at": str}, pk="uid")


def _m16_forget_requests(db: sqlite_utils.Database) -> None:
    """Who was just asked "Delete it all?" by /forget, under their key: a typed "да" answers it."""
    db.table("forget_requests").create({"uid": int, "asked_at": str}, pk="uid")


def _m17_digest_hour(db: sqlite_utils.Database) -> None:
    """The hour (Asia/Almaty) each user's digest comes at: 09:00 for everyone so far."""
    db.execute("ALTER TABLE users ADD COLUMN digest_hour INTEGER NOT NULL DEFAULT 9")


def _m18_send_requests(db: sqlite_utils.Database) -> None:
    """The notice each admin was just asked to confirm sending by /send, under their key: a
    typed "yes" answers it, after a restart too."""
    db.table("send_requests").create({"uid": int, "notice_id": str, "asked_at": str}, pk="uid")


def _m19_recent_panels(db: sqlite_utils.Database) -> None:
    """The buttons of the panel each user was shown last (/language, /subscribe, /topics), in
    the row of the clarifying question asked last: one numbered choice waits at a time, and a
    typed "2" picks from it."""
    db.execute("ALTER TABLE recent_choices ADD COLUMN buttons TEXT")


MIGRATIONS: list[Migration] = [
    _m1_users_feedback,
    _m2_subscriptions_outbox,
    _m3_flows,
    _m4_feedback_comments,
    _m5_keyed_users,
    _m6_lease_processes,
    _m7_clarifications,
    _m8_questions,
    _m9_keyed_feedback,
    _m10_keyed_flows,
    _m11_cases,
    _m12_recent_answers,
    _m13_written_language,
    _m14_flows_aside,
    _m15_recent_choices,
    _m16_forget_requests,
    _m17_digest_hour,
    _m18_send_requests,
    _m19_recent_panels,
]


def schema_version(db: sqlite_utils.Database) -> int:
    """How many migrations have run on ``db``."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: sqlite_utils.Database, migrations: list[Migration] = MIGRATIONS) -> None:
    """Run the migrations ``db`` has not had yet, each with its version mark atomically."""
    for number, migration in enumerate(
        migrations[schema_version(db) :], start=schema_version(db) + 1
    ):
        with db.atomic():
            migration(db)
            db.execute(f"PRAGMA user_version = {number}")
