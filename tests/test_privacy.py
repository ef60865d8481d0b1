"""What is kept about people: users under a keyed hash, the raw chat id only where a message
is still to be delivered, /forget, the retention period, files created owner-only."""

from __future__ import annotations

import os
import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from bot.config import Settings
from bot.dialog import Dialog, Reply, UserRef, build_dialog
from bot.dialog.reply import split_language
from bot.store import ALL_TOPICS, KeyMismatch, Store, user_ref
from bot.store.keys import key_path
from bot.store.privacy import KEPT
from bot.store.schema import MIGRATIONS, migrate
from bot.store.tables import user_key
from tests.helpers.dialogs import forget

ROOT = Path(__file__).resolve().parent.parent
CHAT = 7_700_123_456  # distinctive, so that a stray copy is found
USER = UserRef(chat_id=CHAT, user_id=CHAT, client_lang="ru")
OTHER = UserRef(chat_id=7_700_654_321, user_id=7_700_654_321, client_lang="en")
KEYED = ("users", "subscriptions", "outbox")  # the tables keyed by the users' key
PERSONAL = ("Асхат", "Нурланов", "900101300126", "701 123 45 67", "askhat@mail.kz", "@askhat_n")
QUESTION = "Можно ли мне как госслужащему принять подарок от посетителя?"
STORY = (
    "Меня зовут Асхат Нурланов, ИИН 900101300126, тел. +7 701 123 45 67, почта "
    "askhat@mail.kz, телеграм @askhat_n. "
    "Можно ли мне как госслужащему принять подарок от посетителя?"
)


@pytest.fixture
def dialog(tmp_path: Path) -> Dialog:
    """The bundled base over a database file."""
    return build_dialog(Settings(db_path=tmp_path / "data" / "adal.db"))


def actions(reply: Reply) -> list[str]:
    return [button.action for row in reply.buttons for button in row]


def press(dialog: Dialog, user: UserRef, reply: Reply, prefix: str) -> list[Reply]:
    """Press the first button of ``reply`` whose action starts with ``prefix``."""
    action = next(a for a in actions(reply) if split_language(a)[0].startswith(prefix))
    return dialog.handle_button(user, action)


def converse(dialog: Dialog, user: UserRef) -> None:
    """A conversation that leaves something in every table about people."""
    dialog.handle_message(user, "/start")
    dialog.handle_message(user, STORY)
    replies = dialog.handle_message(user, QUESTION)
    answer = next(r for r in replies if any("f:-:" in a for a in actions(r)))
    press(dialog, user, answer, "f:-:")
    dialog.handle_message(user, STORY)  # what was missing, with personal data in it
    (menu,) = dialog.handle_message(user, "/language")
    press(dialog, user, menu, "l:en")
    dialog.handle_message(user, "/subscribe all")
    (checkers,) = dialog.handle_message(user, "/check")
    press(dialog, user, checkers, "k:")


def values(store: Store) -> list[tuple[str, str, object]]:
    """Every value in the database: (table, column, value)."""
    found = []
    for table in store.db.table_names():
        for row in store.db[table].rows:
            found += [(table, column, value) for column, value in row.items()]
    return found


def about(store: Store, chat_id: int) -> list[tuple[str, str, object]]:
    """The values that are the chat's id or key."""
    keys = {chat_id, str(chat_id), store.uid(chat_id)}
    return [(t, c, v) for t, c, v in values(store) if v in keys]


def test_users_are_kept_under_a_keyed_hash_and_no_personal_text_is_stored(
    dialog: Dialog, tmp_path: Path
) -> None:
    converse(dialog, USER)
    converse(dialog, OTHER)
    dialog.handle_message(OTHER, "/unsubscribe")
    store = dialog.store
    raw = [(t, c) for t, c, v in values(store) if v in (CHAT, str(CHAT)) and t in KEYED]
    # the raw id only where a notice is to be sent to it: the subscriber's row
    assert raw == [("users", "chat_id")]
    assert not [t for t, c, v in values(store) if v == OTHER.chat_id and t in KEYED]
    assert store.db["users"].count == 2 and store.uid(CHAT) == user_key(store.secret, CHAT)
    for table in store.db.table_names():
        text = " ".join(str(v) for _t, _c, v in values(store) if _t == table)
        assert not [p for p in PERSONAL if p in text], table
    store.close()
    data = b"".join(p.read_bytes() for p in (tmp_path / "data").iterdir())
    assert not [p for p in PERSONAL if p.encode() in data]


def test_no_table_keeps_a_raw_chat_id_but_where_a_notice_is_to_be_sent(dialog: Dialog) -> None:
    converse(dialog, USER)
    raw = {(t, c) for t, c, v in values(dialog.store) if v in (CHAT, str(CHAT))}
    assert raw == {("users", "chat_id")}


def test_forget_deletes_every_row_about_the_sender_and_says_so(dialog: Dialog) -> None:
    converse(dialog, USER)
    converse(dialog, OTHER)
    store = dialog.store
    tables = {table for table, _column, _value in about(store, CHAT)}
    assert {"users", "subscriptions", "feedback", "flows"} <= tables
    reply = forget(dialog, USER)
    assert reply.text.startswith("Done: I deleted everything I kept about you")
    assert re.search(r"\(records deleted: \d+ — your", reply.text)  # not "(1 records: …"
    assert about(store, CHAT) == []
    assert {t for t, _c, _v in about(store, OTHER.chat_id)} == tables  # nobody else's
    assert store.subscriptions(CHAT) == set() and store.language(CHAT) is None  # afresh
    assert "/forget" in dialog.handle_message(USER, "/help")[0].text


def test_forget_asks_first_and_no_keeps_everything(dialog: Dialog) -> None:
    """One tap on /forget in the command menu deleted the subscriptions too (a probe)."""
    converse(dialog, USER)
    before = about(dialog.store, CHAT)
    (question,) = dialog.handle_message(USER, "/forget")
    assert question.text.endswith("Delete it all?")
    labels = [b.label for row in question.buttons for b in row]
    assert labels == ["🗑 Yes, delete everything", "No, keep it"]
    assert set(before) <= set(about(dialog.store, CHAT))  # asking deletes nothing
    no = next(b.action for row in question.buttons for b in row if "pf:no" in b.action)
    gone, kept = dialog.handle_button(USER, no)
    assert gone.edit and kept.text == "Nothing was deleted."
    assert about(dialog.store, CHAT) == before


@pytest.mark.parametrize(("typed", "deletes"), [("да", True), ("иә", True), ("нет", False)])
def test_forget_confirmed_by_typing(dialog: Dialog, typed: str, deletes: bool) -> None:
    """Round 31's probe: "/forget", then a typed "да", got "I don't know the answer" and
    deleted nothing; only the buttons worked."""
    converse(dialog, USER)
    before = about(dialog.store, CHAT)
    dialog.handle_message(USER, "/forget")
    (reply,) = dialog.handle_message(USER, typed)
    if deletes:
        assert reply.text.startswith("Done: I deleted everything I kept about you")
        assert about(dialog.store, CHAT) == []
    else:
        assert reply.text == "Nothing was deleted." and about(dialog.store, CHAT) == before


def test_a_question_after_forget_is_answered_and_keeps_everything(dialog: Dialog) -> None:
    """Anything else typed after /forget is answered as usual; a later "да" deletes nothing."""
    converse(dialog, USER)
    dialog.handle_message(USER, "/forget")
    (answer, *_rest) = dialog.handle_message(USER, QUESTION)
    assert "Done:" not in answer.text
    dialog.handle_message(USER, "да")
    assert dialog.store.subscriptions(CHAT) == {ALL_TOPICS}


def test_forget_in_a_group_deletes_the_senders_data_not_the_groups(dialog: Dialog) -> None:
    group = -100_555
    member = UserRef(chat_id=group, user_id=CHAT, client_lang="en")
    dialog.handle_message(member, "/subscribe all")
    converse(dialog, USER)
    forget(dialog, member)
    assert about(dialog.store, CHAT) == []
    assert dialog.store.subscriptions(group) == {ALL_TOPICS}


def test_unsubscribing_and_blocking_remove_the_chat_id(dialog: Dialog) -> None:
    store = dialog.store
    for user in (USER, OTHER):
        dialog.handle_message(user, "/subscribe all")
    dialog.handle_message(USER, "/unsubscribe")
    dialog.set_active(OTHER, False)
    assert [v for _t, c, v in values(store) if c == "chat_id" and v is not None] == []
    dialog.set_active(OTHER, True)  # they came back, still subscribed: notices go to them again
    assert store.db.execute("SELECT chat_id FROM users WHERE chat_id IS NOT NULL").fetchall() == [
        (OTHER.chat_id,)
    ]


def test_rows_expire_after_the_retention_but_subscriptions_stay(dialog: Dialog) -> None:
    store = dialog.store
    converse(dialog, USER)
    converse(dialog, OTHER)
    dialog.handle_message(OTHER, "/unsubscribe")
    now = datetime.now(UTC)
    assert store.expire(now, timedelta(days=90)) == {}
    deleted = store.expire(now + timedelta(days=91), timedelta(days=90))
    assert deleted["users"] == 1 and deleted["feedback"] == 2 and deleted["flows"] == 2
    assert about(store, OTHER.chat_id) == []
    assert {t for t, _c, _v in about(store, CHAT)} == {"users", "subscriptions"}  # a subscriber


def test_every_table_about_people_can_expire() -> None:
    """A table added later must have a ``*_at`` time (or be kept on purpose), or the retention
    would keep its rows forever."""
    store = Store(":memory:")
    for table in store.db.table_names():
        columns = [c.name for c in store.db[table].columns]
        assert table in KEPT or any(c.endswith("_at") for c in columns), table
    assert set(store.personal_tables()) >= {"users", "subscriptions", "outbox"}


def test_database_key_and_folder_are_created_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "adal.db"
    Store(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(key_path(path).stat().st_mode) == 0o600
    old = tmp_path / "old.db"
    old.touch(mode=0o644)
    os.chmod(old, 0o644)  # whatever the umask
    Store(old).close()
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_the_secret_comes_from_the_environment_or_the_key_file(tmp_path: Path) -> None:
    path = tmp_path / "adal.db"
    store = Store(path)
    store.set_language(CHAT, "kk")
    generated = store.secret
    store.close()
    assert Store(path).language(CHAT) == "kk"  # the same key file, the same users
    with pytest.raises(KeyMismatch):
        Store(path, "another-secret-of-enough-length")
    other = tmp_path / "other.db"
    Store(other, "a-secret-from-the-environment").close()
    assert not key_path(other).exists()
    assert Store(other, "a-secret-from-the-environment").secret != generated


def test_the_migration_rekeys_an_existing_database(tmp_path: Path) -> None:
    """A database of the previous version: raw chat ids in users, subscriptions and the
    outbox. After the migration only undelivered rows and subscribers keep them."""
    path = tmp_path / "adal.db"
    db = sqlite_utils.Database(path)
    migrate(db, MIGRATIONS[:4])
    db["users"].insert_all(
        [
            {"chat_id": 1, "user_id": 1, "lang": "kk", "active": 1, "updated_at": "2026-01-01"},
            {"chat_id": 2, "user_id": 2, "active": 1},
            {"chat_id": 3, "user_id": 3, "active": 0},
        ]
    )
    db["subscriptions"].insert_all(
        [{"chat_id": c, "topic": ALL_TOPICS, "created_at": ""} for c in (1, 3)]
    )
    for chat_id, state in ((1, "pending"), (2, "sent"), (3, "skipped")):
        db["outbox"].insert(
            {
                "notice_id": "n1",
                "chat_id": chat_id,
                "lang": "ru",
                "state": state,
                "ready_at": "",
                "created_at": "",
            }
        )
    db.close()
    store = Store(path)
    assert store.language(1) == "kk" and store.subscriptions(3) == {ALL_TOPICS}
    assert not store.is_active(3)
    chat_ids = [(t, v) for t, c, v in values(store) if c == "chat_id" and v is not None]
    assert sorted(chat_ids) == [("outbox", 1), ("users", 1)]  # pending; active subscriber
    assert "user_id" not in store.db["users"].columns_dict
    problems = store.delivery_problems("n1")
    assert problems == [] and user_ref(store.uid(2)).startswith("u")


@pytest.mark.parametrize(
    ("user", "text", "start"),
    [
        (OTHER, "Is my data shared with the Anti-Corruption Agency?", "I pass nothing to the"),
        (
            OTHER,
            "Is Adal a government bot? Is my data shared with the Anti-Corruption Agency?",
            "I pass",
        ),
        (OTHER, "Do you keep my messages? I don't want my boss to know I asked.", "I pass"),
        (USER, "Мои данные передаются в антикоррупционную службу?", "Я ничего не передаю"),
        (USER, "Менің деректерім сыбайлас жемқорлыққа қарсы қызметке беріле ме?", "Мен Сыбайлас"),
    ],
)
def test_a_question_of_what_the_bot_passes_on_is_answered_with_what_it_keeps(
    tmp_path: Path, user: UserRef, text: str, start: str
) -> None:
    """Round 41's probe: "Is my data shared with the Anti-Corruption Agency?" got a choice of
    the about entry and where to report, in which nothing is said of it; it gets what the bot
    keeps (the retention period set), that it passes nothing on, /forget, and the about entry."""
    settings = Settings(db_path=tmp_path / "adal.db", retention_days=30)
    dialog = build_dialog(settings)
    (reply,) = dialog.handle_message(user, text)
    assert reply.text.startswith(start)
    assert "/forget" in reply.text and "30" in reply.text
    assert [split_language(a)[0] for a in actions(reply)] == ["e:about-bot"]


@pytest.mark.parametrize(
    "text",
    [
        "My personal data leaked from egov, who is responsible?",
        "Мои персональные данные попали в утечку, что делать?",
        "Can a civil servant share official data with his brother?",
        # "my" and "keeps" in one sentence, "messages" in the next
        "I lent my cousin money and he keeps saying next month. Can I sue, with only messages?",
    ],
)
def test_a_question_of_other_data_is_no_question_of_what_the_bot_keeps(
    dialog: Dialog, text: str
) -> None:
    (reply, *_rest) = dialog.handle_message(OTHER, text)
    assert "/forget" not in reply.text
