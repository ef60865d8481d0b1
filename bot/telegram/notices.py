"""Notices on Telegram: the transport the sender uses, and the jobs that publish and deliver.

JobQueue jobs live in memory only, so :func:`setup_notice_jobs` rebuilds them from the knowledge
base and the store at every start: a notice whose time passed while the bot was down is
enqueued at once, a future one gets a job at its ``publish_at``, and the outbox is drained
(rows left ``sending`` by a killed process were put back when this process took the lease).
Store work runs in the store's thread.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Collection, Iterator
from datetime import UTC, datetime
from functools import partial
from typing import cast

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import ContextTypes

from bot.dialog import Dialog, Reply
from bot.dialog.notice_replies import render_deliveries
from bot.kb import DEFAULT_LANG
from bot.library import RELOAD_INTERVAL
from bot.notices import (
    DeliveryBlocked,
    DeliveryRejected,
    DeliveryRetryAfter,
    DeliveryTransient,
    Sender,
    publish_due,
    upcoming_notices,
)
from bot.notices.lease import Lease
from bot.store import disk_error
from bot.telegram.handlers import DIALOG, WORKER, dialog_of, in_store, send_replies
from bot.telegram.ratelimit import flood_pause, retry_after_seconds, uncertain
from bot.telegram.types import App, Jobs
from bot.telegram.worker import Worker

log = logging.getLogger(__name__)

SENDER = "notice_sender"  # application.bot_data key
DRAIN_INTERVAL = 5.0  # seconds between looks at the outbox
NOTICE_JOB = "notice:"  # job name prefix: one job per future notice
_ANY_LATENESS = {"misfire_grace_time": None}  # a job run late (busy loop) still runs
RETRY_JOB = f"{NOTICE_JOB}retry"


@contextlib.contextmanager
def delivery_errors() -> Iterator[None]:
    """PTB's errors in this block become the senders' ``Delivery*`` errors, saying what to do."""
    try:
        yield
    except RetryAfter as exc:
        raise DeliveryRetryAfter(retry_after_seconds(exc)) from exc
    except Forbidden as exc:
        raise DeliveryBlocked(exc.message) from exc
    except BadRequest as exc:  # before NetworkError, its base class
        raise DeliveryRejected(exc.message) from exc
    except NetworkError as exc:  # TimedOut included
        raise DeliveryTransient(exc.message, uncertain=uncertain(exc)) from exc


class TelegramTransport:
    """Sends a notice as HTML messages; PTB's errors become the sender's."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, message: Reply) -> None:
        """Send ``message``; raise a ``Delivery*`` error saying what to do on failure."""
        with delivery_errors():
            await send_replies(self.bot, chat_id, [message])


def sender_of(context: ContextTypes.DEFAULT_TYPE) -> Sender[Reply]:
    """The sender shared through ``bot_data``."""
    return cast(Sender[Reply], context.bot_data[SENDER])


async def drain_outbox(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start draining the outbox in the background unless a drain is under way."""
    sender, application = sender_of(context), context.application
    if not sender.busy:
        application.create_task(_drain(sender, lambda: application.running), name="notices-drain")


async def _drain(sender: Sender[Reply], running: Callable[[], bool]) -> None:
    report = await sender.drain(running)
    if report.sent or report.failed or report.skipped or report.retried:
        log.info("notices: %s", report)


async def publish_notices(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Enqueue every notice whose time has come, then drain the outbox. While the database
    refuses the writes (the store logs it), this tries again every ``DRAIN_INTERVAL``."""
    dialog = dialog_of(context)
    try:
        published = await in_store(
            context,
            lambda: publish_due(dialog.store, dialog.library.kb, datetime.now(UTC), DEFAULT_LANG),
        )
    except sqlite3.Error as exc:
        if not disk_error(exc):
            raise
        _publish_again(context)
        return
    for notice_id, rows in published.items():
        log.info("notice %s enqueued for %d subscribers", notice_id, rows)
    await drain_outbox(context)


def _publish_again(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Try the due notices again in ``DRAIN_INTERVAL`` (once, however many jobs failed)."""
    job_queue = context.job_queue
    if job_queue is not None and not job_queue.get_jobs_by_name(RETRY_JOB):
        job_queue.run_once(
            publish_notices, DRAIN_INTERVAL, name=RETRY_JOB, job_kwargs=_ANY_LATENESS
        )


def schedule_notices(job_queue: Jobs, dialog: Dialog, enqueued: Collection[str]) -> None:
    """(Re)create the notice jobs: one now for due notices, one at each future ``publish_at``
    not ``enqueued`` yet."""
    for job in job_queue.jobs(f"^{NOTICE_JOB}"):
        job.schedule_removal()
    for notice in upcoming_notices(dialog.library.kb, datetime.now(UTC)):
        if notice.id not in enqueued:
            job_queue.run_once(
                publish_notices,
                notice.publish_at,
                name=NOTICE_JOB + notice.id,
                job_kwargs=_ANY_LATENESS,
            )
    job_queue.run_once(publish_notices, 0, name=f"{NOTICE_JOB}due", job_kwargs=_ANY_LATENESS)


async def reschedule_on_reload(context: ContextTypes.DEFAULT_TYPE) -> None:
    """After the knowledge base was reloaded, schedule its notices anew."""
    dialog = dialog_of(context)
    state = cast(dict[str, int], context.job.data if context.job else {})
    if state.get("version") != dialog.library.version and context.job_queue is not None:
        state["version"] = dialog.library.version
        enqueued = await in_store(context, dialog.store.enqueued_notices)
        schedule_notices(context.job_queue, dialog, enqueued)


async def setup_notice_jobs(application: App, lease: Lease) -> None:
    """Schedule the notices and their delivery under ``lease``; called once at the start."""
    job_queue = application.job_queue
    if job_queue is None:
        raise RuntimeError("notices need the job queue: install python-telegram-bot[job-queue]")
    dialog: Dialog = application.bot_data[DIALOG]
    worker: Worker = application.bot_data[WORKER]
    application.bot_data[SENDER] = Sender(
        dialog.store,
        TelegramTransport(application.bot),
        partial(render_deliveries, dialog),
        lease=lease,
        run=worker,
        waits=lambda notice_id: dialog.library.kb.may_return(notice_id),
        flood=flood_pause(application.bot),
    )
    schedule_notices(job_queue, dialog, await worker(dialog.store.enqueued_notices))
    job_queue.run_repeating(
        drain_outbox, interval=DRAIN_INTERVAL, first=DRAIN_INTERVAL, name="notices-drain"
    )
    job_queue.run_repeating(
        reschedule_on_reload,
        interval=RELOAD_INTERVAL,
        first=RELOAD_INTERVAL,
        data={"version": dialog.library.version},
        name="notices-reschedule",
    )
