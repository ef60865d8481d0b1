"""When notices go out: which are due, which are still to come, when a digest is."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time, timedelta
from functools import partial
from typing import Literal

from bot.kb.loader import ALMATY
from bot.kb.model import KnowledgeBase, Lang, Notice
from bot.store import DEFAULT_DIGEST_HOUR, DeliveryMode, Store

DIGEST_WEEKDAY = 0  # Monday
TIME_FORMAT = "%Y-%m-%d %H:%M"
NoticeStatus = Literal["upcoming", "due", "enqueued", "archived"]


def local_time(moment: datetime) -> str:
    """A moment as Asia/Almaty wall time, the way maintainers write ``publish_at``."""
    return moment.astimezone(ALMATY).strftime(TIME_FORMAT)


def notice_status(notice: Notice, enqueued: Collection[str], now: datetime) -> NoticeStatus:
    """Enqueued (its outbox rows exist), archived (history kept for reference, never sent),
    due (its time has come, rows not yet made) or upcoming."""
    if notice.id in enqueued:
        return "enqueued"
    if notice.archived:
        return "archived"
    return "due" if notice.publish_at <= now else "upcoming"


def next_digest_at(
    after: datetime, mode: DeliveryMode = "weekly", hour: int = DEFAULT_DIGEST_HOUR
) -> datetime:
    """The first digest moment strictly after ``after``: ``hour``:00 Asia/Almaty, on a Monday
    for the weekly digest (by default Monday 09:00), every day for the daily one."""
    local = after.astimezone(ALMATY)
    period = 7 if mode == "weekly" else 1
    days = (DIGEST_WEEKDAY - local.weekday()) % period
    moment = datetime.combine(local.date() + timedelta(days=days), time(hour), tzinfo=ALMATY)
    return moment if moment > local else moment + timedelta(days=period)


def due_notices(kb: KnowledgeBase, enqueued: Collection[str], now: datetime) -> list[Notice]:
    """Notices whose time has come (or passed while the bot was down) and not yet enqueued."""
    return sorted(
        (
            n
            for n in kb.notices.values()
            if not n.archived and n.publish_at <= now and n.id not in enqueued
        ),
        key=lambda n: (n.publish_at, n.id),
    )


def upcoming_notices(kb: KnowledgeBase, now: datetime) -> list[Notice]:
    """Notices whose time is still to come, soonest first."""
    return sorted(
        (n for n in kb.notices.values() if not n.archived and n.publish_at > now),
        key=lambda n: (n.publish_at, n.id),
    )


def publish(
    store: Store, notice: Notice, now: datetime, default_lang: Lang, *, unless_empty: bool = False
) -> int | None:
    """Enqueue ``notice`` for its subscribers; None when it had been enqueued before. With
    ``unless_empty``, one nobody would get now stays unsent (0)."""
    return store.enqueue_notice(
        notice.id,
        notice.topics,
        now=now,
        digest_at=partial(next_digest_at, now),
        default_lang=default_lang,
        unless_empty=unless_empty,
    )


def publish_due(
    store: Store, kb: KnowledgeBase, now: datetime, default_lang: Lang
) -> dict[str, int]:
    """Enqueue every due notice; returns the rows created per notice enqueued now. Changes
    held while the database refused writes (a subscription, say) are made first."""
    if store.held:
        store.catch_up()
    published = {}
    for notice in due_notices(kb, store.enqueued_notices(), now):
        created = publish(store, notice, now, default_lang)
        if created is not None:
            published[notice.id] = created
    return published
