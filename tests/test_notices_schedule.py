"""When notices go out: publish times, due and upcoming notices, the digest, enqueueing once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.kb.loader import parse_knowledge, parse_publish_at, runnable
from bot.kb.model import KnowledgeBase, Notice, NoticeText
from bot.notices import (
    due_notices,
    local_time,
    next_digest_at,
    notice_status,
    publish_due,
    upcoming_notices,
)
from bot.store import ALL_TOPICS, Store
from tests.helpers.notice_broadcast import NOTICE, NOTICE_ID, write_knowledge

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # a Wednesday


def notice(notice_id: str, publish_at: datetime) -> Notice:
    texts = {lang: NoticeText(f"{notice_id} {lang}", "Body.") for lang in ("kk", "ru", "en")}
    return Notice(notice_id, publish_at, ("gifts",), texts)  # type: ignore[arg-type]


def base(*notices: Notice) -> KnowledgeBase:
    return KnowledgeBase(notices={n.id: n for n in notices})


def test_bare_date_is_nine_in_almaty_and_offsets_are_kept() -> None:
    moment = parse_publish_at("2020-10-18")
    assert moment == datetime(2020, 10, 18, 9, 0, tzinfo=ALMATY)
    assert moment.astimezone(UTC) == datetime(2020, 10, 18, 3, 0, tzinfo=UTC)
    assert parse_publish_at("2026-03-04T15:30:00+03:00") == datetime(2026, 3, 4, 12, 30, tzinfo=UTC)
    assert local_time(moment) == "2020-10-18 09:00"


def test_digest_is_the_next_monday_nine_in_almaty() -> None:
    assert next_digest_at(NOW) == datetime(2026, 3, 9, 9, 0, tzinfo=ALMATY)
    monday_nine = datetime(2026, 3, 9, 9, 0, tzinfo=ALMATY)
    assert next_digest_at(monday_nine - timedelta(minutes=1)) == monday_nine
    assert next_digest_at(monday_nine) == monday_nine + timedelta(days=7)  # strictly after


def test_a_digest_comes_at_the_hour_chosen_daily_or_on_mondays() -> None:
    wednesday = datetime(2026, 3, 4, 18, 0, tzinfo=ALMATY)  # NOW is 17:00 in Almaty
    assert next_digest_at(NOW, "daily", 18) == wednesday
    assert next_digest_at(wednesday, "daily", 18) == wednesday + timedelta(days=1)
    assert next_digest_at(NOW, "daily", 8) == datetime(2026, 3, 5, 8, 0, tzinfo=ALMATY)
    assert next_digest_at(NOW, "weekly", 0) == datetime(2026, 3, 9, 0, 0, tzinfo=ALMATY)


def test_due_upcoming_and_status() -> None:
    past, soon, later = (
        notice("past", NOW - timedelta(days=400)),
        notice("soon", NOW + timedelta(hours=1)),
        notice("later", NOW + timedelta(days=3)),
    )
    kb = base(later, soon, past)
    assert due_notices(kb, set(), NOW) == [past]
    assert due_notices(kb, {"past"}, NOW) == []
    assert upcoming_notices(kb, NOW) == [soon, later]
    assert [notice_status(n, {"past"}, NOW) for n in (past, soon)] == ["enqueued", "upcoming"]
    assert notice_status(past, set(), NOW) == "due"


def test_past_due_notice_is_sent_on_start_and_never_again() -> None:
    store = Store(":memory:")
    store.set_subscriptions(1, {ALL_TOPICS})
    store.set_subscriptions(2, {"gifts"})
    kb = base(notice("missed", NOW - timedelta(days=2)), notice("future", NOW + timedelta(days=1)))
    assert publish_due(store, kb, NOW, "ru") == {"missed": 2}  # the bot comes back up
    assert publish_due(store, kb, NOW, "ru") == {}  # and again (a restart)
    assert publish_due(store, kb, NOW + timedelta(days=2), "ru") == {"future": 2}
    assert store.delivery_counts() == {
        n: {"pending": 2, "sending": 0, "sent": 0, "failed": 0, "skipped": 0}
        for n in ("missed", "future")
    }


def test_a_notice_may_come_back_only_while_a_notice_file_is_left_out(tmp_path: Path) -> None:
    root = write_knowledge(tmp_path / "knowledge")
    notices = root / "notices"
    path = notices / f"{NOTICE_ID}.yaml"
    path.write_text(NOTICE.replace("2020-10-18", "2020-10-18T09:00"), encoding="utf-8")
    kb, _, left_out = runnable(*parse_knowledge(root))
    assert NOTICE_ID not in kb.notices and kb.may_return(NOTICE_ID)
    assert not kb.may_return("removed")  # every left-out file names its notice
    found = kb.left_out_notice(NOTICE_ID)
    assert found is not None and found.problems == tuple(left_out)
    (notices / "unreadable.yaml").write_text("id: [", encoding="utf-8")
    kb, _, _ = runnable(*parse_knowledge(root))
    assert kb.may_return("removed")  # that file might be its notice
    path.unlink()
    (notices / "unreadable.yaml").unlink()
    kb, _, _ = runnable(*parse_knowledge(root))
    assert not kb.left_out and not kb.may_return(NOTICE_ID)  # removed from a sound base
