"""Notice files on the command line: `adal-bot kb check` on broken copies (path:line each),
`adal-bot notices list` and `adal-bot notices status`."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli
from bot.kb import load_knowledge
from bot.notices import publish_due
from bot.store import ALL_TOPICS, Store, user_ref
from bot.store.keys import key_path
from tests.helpers.knowledge_files import NOTICE

ROOT = Path(__file__).resolve().parent.parent
FUTURE = NOTICE.replace("gift-rules", "future-one").replace("2020-10-18", "2099-01-01T10:00+05:00")


def run(args: list[str], knowledge: Path, db: Path | None = None) -> Result:
    env = {"ADAL_KNOWLEDGE_DIR": str(knowledge), "ADAL_DB": str(db or knowledge / "adal.db")}
    return CliRunner().invoke(cli, args, env=env)


@pytest.fixture
def notice_path(small_kb: Path) -> Path:
    """The small base with one notice; returns the notice's file."""
    (small_kb / "notices").mkdir()
    path = small_kb / "notices" / "gift-rules.yaml"
    path.write_text(NOTICE, encoding="utf-8")
    return path


AGES = 100_000  # days: the test notice of 2020 is not too old for these checks


def line_of(path: Path, needle: str) -> int:
    return next(
        i
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    )


def check(knowledge: Path) -> list[str]:
    result = run(["kb", "check", str(knowledge), "--max-notice-age", str(AGES)], knowledge)
    assert result.exit_code == 1, result.output
    return result.stdout.splitlines()


def test_shipped_notice_and_a_good_one_pass(notice_path: Path) -> None:
    result = run(["kb", "check", "--max-notice-age", str(AGES)], notice_path.parent.parent)
    assert result.exit_code == 0 and "1 notices" in result.stdout
    shipped = run(["kb", "check", str(ROOT / "knowledge")], ROOT / "knowledge")
    assert "knowledge/notices/" not in shipped.stdout, shipped.stdout


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (
            "publish_at: 2020-10-18",
            "publish_at: 2020-13-40",
            "publish_at",
            "notice 'gift-rules': bad publish_at: ",
        ),
        (
            "publish_at: 2020-10-18",
            "publish_at: 2020-10-18T09:00",
            "publish_at",
            "notice 'gift-rules': bad publish_at: a time needs an offset",
        ),
        (
            "publish_at: 2020-10-18",
            "publish_at: 15.01.2027",
            "publish_at",
            "notice 'gift-rules': bad publish_at: '15.01.2027' is not a date; write 2027-01-15 "
            "(09:00 Asia/Almaty) or 2027-01-15T10:00:00+05:00",
        ),
        (
            "topics: [gifts]",
            "topics: [gifts, weather]",
            "topics:",
            "notice 'gift-rules': topic 'weather' is not in topics.yaml",
        ),
        (
            "related: [gift-ban]",
            "related: [nowhere]",
            "related:",
            "notice 'gift-rules': related id 'nowhere' points to no entry",
        ),
        (
            "en:\n  title: New rule\n  body: Text.\n",
            "",
            "id:",
            "notice 'gift-rules': missing field 'en'",
        ),
        (
            "  body: Текст.",
            "  body: Текст [ссылка](javascript:x).",
            "body: Текст [",
            "notice 'gift-rules': [ru] body: ",
        ),
        (
            "  body: Text.",
            "  body: " + "Long text. " * 400,
            "body: Long text.",
            "notice 'gift-rules': [en] title and body are 4409 characters, over Telegram's 4096",
        ),
        (
            "publish_at: 2020-10-18",
            "publish_at: 9999-12-31T23:59:59-12:00",
            "publish_at",
            "notice 'gift-rules': bad publish_at: the year must be between",
        ),
        (
            "  body: Text.",
            '  body: "Te\x00xt."',
            'body: "Te',
            "a control character",
        ),
        (
            "topics: [gifts]",
            "topicz: [gifts]",
            "topicz",
            "notice 'gift-rules': unknown field 'topicz'",
        ),
    ],
)
def test_each_broken_notice_is_reported_with_path_and_line(
    notice_path: Path, old: str, new: str, where: str, message: str
) -> None:
    text = notice_path.read_text(encoding="utf-8")
    assert old in text
    notice_path.write_text(text.replace(old, new), encoding="utf-8")
    expected = f"{notice_path}:{line_of(notice_path, where)}: {message}"
    lines = check(notice_path.parent.parent)
    assert any(line.startswith(expected) for line in lines), (expected, lines)


@pytest.mark.parametrize("copy_is_newer", [True, False])
def test_duplicate_notice_id_is_told_in_the_file_saved_last(
    notice_path: Path, copy_is_newer: bool
) -> None:
    copy = notice_path.with_name("zz-copy.yaml")
    copy.write_text(NOTICE, encoding="utf-8")
    newer, older = (copy, notice_path) if copy_is_newer else (notice_path, copy)
    os.utime(older, (1_600_000_000, 1_600_000_000))
    os.utime(newer, (1_700_000_000, 1_700_000_000))
    lines = check(notice_path.parent.parent)
    assert (
        f"{newer}:{line_of(newer, 'id:')}: notice 'gift-rules': id is already used by "
        f"{older}:{line_of(older, 'id:')}" in lines
    ), lines


def test_notices_list_and_status(notice_path: Path, tmp_path: Path) -> None:
    knowledge, db = notice_path.parent.parent, tmp_path / "adal.db"
    (knowledge / "notices" / "future-one.yaml").write_text(FUTURE, encoding="utf-8")
    result = run(["notices", "list"], knowledge, db)
    assert result.exit_code == 0, result.output
    header, first, second = result.stdout.splitlines()
    assert header.split() == [
        "id",
        "publish_at",
        "status",
        "sent",
        "pending",
        "sending",
        "failed",
        "skipped",
    ]
    assert first.split() == ["gift-rules", "2020-10-18", "09:00", "due", "0", "0", "0", "0", "0"]
    assert second.split()[:4] == ["future-one", "2099-01-01", "10:00", "upcoming"]

    store = Store(db)
    for chat_id in (1, 2):
        store.set_subscriptions(chat_id, {ALL_TOPICS})
    publish_due(store, load_knowledge(knowledge), datetime.now(UTC), "ru")
    (row,) = store.ready_deliveries(datetime.now(UTC), limit=1)
    store.finish([row.id], "failed", now=datetime.now(UTC), error="Chat not found")
    failed = user_ref(store.uid(row.chat_id))
    store.close()
    result = run(["notices", "status", "gift-rules"], knowledge, db)
    assert result.exit_code == 0, result.output
    assert "publish_at: 2020-10-18 09:00 Asia/Almaty" in result.stdout
    assert "2 recipients" in result.stdout
    assert "pending 1, sending 0, sent 0, failed 1, skipped 0" in result.stdout
    assert f"  {failed}: failed: Chat not found" in result.stdout
    assert "not enqueued yet" in run(["notices", "status", "future-one"], knowledge, db).stdout
    missing = run(["notices", "status", "nope"], knowledge, db)
    assert missing.exit_code == 1 and "no notice 'nope'" in missing.output


def test_a_notice_long_past_is_history_unless_archived(notice_path: Path) -> None:
    result = run(["kb", "check"], notice_path.parent.parent)
    assert result.exit_code == 1
    assert (
        f"{notice_path}:{line_of(notice_path, 'publish_at:')}: notice 'gift-rules': publish_at is "
        "more than 30 days in the past" in result.stdout
    )
    text = notice_path.read_text(encoding="utf-8")
    notice_path.write_text(text.replace("topics:", "archived: true\ntopics:"), encoding="utf-8")
    assert run(["kb", "check"], notice_path.parent.parent).exit_code == 0
    base = load_knowledge(notice_path.parent.parent)
    store = Store(":memory:")
    store.set_subscriptions(1, {ALL_TOPICS})
    assert publish_due(store, base, datetime.now(UTC), "ru") == {}


@pytest.mark.parametrize("moment", ["2027-01-15T10:00", "15.01.2027"])
def test_a_bad_publish_at_is_one_problem(notice_path: Path, moment: str) -> None:
    """Not also 'more than 30 days in the past' (a probe): the date was not read at all."""
    text = notice_path.read_text(encoding="utf-8")
    notice_path.write_text(text.replace("2020-10-18", moment), encoding="utf-8")
    result = run(["kb", "check"], notice_path.parent.parent)
    assert result.exit_code == 1
    problems = [line for line in result.stdout.splitlines() if "gift-rules" in line]
    assert len(problems) == 1 and "bad publish_at" in problems[0], problems


@pytest.mark.parametrize("value", ["yes", "'true'", "1"])
def test_an_unreadable_archived_is_one_problem(notice_path: Path, value: str) -> None:
    """Not also 'more than 30 days in the past' (a probe): it was meant as archived."""
    text = notice_path.read_text(encoding="utf-8")
    notice_path.write_text(text.replace("topics:", f"archived: {value}\ntopics:"), "utf-8")
    result = run(["kb", "check"], notice_path.parent.parent)  # 30 days, not AGES
    assert [line for line in result.stdout.splitlines() if "gift-rules" in line] == [
        f"{notice_path}:{line_of(notice_path, 'archived')}: notice 'gift-rules': 'archived' "
        "must be true or false"
    ]


def test_notices_list_shows_an_archived_notice_as_archived(
    notice_path: Path, tmp_path: Path
) -> None:
    """Not as 'due' for ever (a probe): an archived notice is never sent."""
    text = notice_path.read_text(encoding="utf-8")
    notice_path.write_text(text.replace("topics:", "archived: true\ntopics:"), encoding="utf-8")
    result = run(["notices", "list"], notice_path.parent.parent, tmp_path / "adal.db")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].split()[:4] == [
        "gift-rules",
        "2020-10-18",
        "09:00",
        "archived",
    ]


def test_notices_commands_open_the_database_with_its_secret(notice_path: Path) -> None:
    """A database keyed with ADAL_HASH_SECRET is opened with it by the notice commands."""
    knowledge = notice_path.parent.parent
    env = {
        "ADAL_KNOWLEDGE_DIR": str(knowledge),
        "ADAL_DB": str(knowledge / "keyed.db"),
        "ADAL_HASH_SECRET": "a-secret-of-sixteen-or-more",
    }
    Store(knowledge / "keyed.db", env["ADAL_HASH_SECRET"]).set_subscriptions(7, {ALL_TOPICS})
    for args in (["notices", "list"], ["notices", "status", "gift-rules"]):
        result = CliRunner().invoke(cli, args, env=env)
        assert result.exit_code == 0, result.output


def test_a_notice_left_out_is_named_and_a_mistyped_database_is_not_made(
    notice_path: Path, tmp_path: Path
) -> None:
    """A probe: a notice whose time had no offset vanished from `notices list`, which exited
    0, and the mistyped ADAL_DB got a new, empty database."""
    text = notice_path.read_text(encoding="utf-8")
    notice_path.write_text(text.replace("2020-10-18", "2030-03-02T10:00"), encoding="utf-8")
    typo = tmp_path / "typo.db"
    result = run(["notices", "list"], notice_path.parent.parent, typo)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == []  # the header alone
    left_out = f"left out, not sent until fixed: {notice_path}:{line_of(notice_path, 'publish_at')}"
    assert left_out in result.stderr and f"no database at {typo}" in result.stderr
    assert not typo.exists() and not key_path(typo).exists()


def test_status_of_an_archived_notice_says_it_is_never_sent(
    notice_path: Path, tmp_path: Path
) -> None:
    text = notice_path.read_text(encoding="utf-8")
    notice_path.write_text(text.replace("topics:", "archived: true\ntopics:"), encoding="utf-8")
    result = run(["notices", "status", "gift-rules"], notice_path.parent.parent, tmp_path / "x.db")
    assert result.exit_code == 0 and result.stdout.splitlines()[-1] == "archived: never sent"


def test_status_of_a_notice_left_out_names_its_problem(notice_path: Path, tmp_path: Path) -> None:
    """A probe: `notices status` said "no longer in the knowledge base" for a notice whose file
    is there, left out for a bad publish_at."""
    text = notice_path.read_text(encoding="utf-8")
    notice_path.write_text(text.replace("2020-10-18", "02.03.2031"), encoding="utf-8")
    result = run(["notices", "status", "gift-rules"], notice_path.parent.parent, tmp_path / "x.db")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith(
        f"gift-rules: left out, not sent until fixed: {notice_path}:"
        f"{line_of(notice_path, 'publish_at')}: notice 'gift-rules': bad publish_at"
    )
