"""The knowledge base, watched from Telegram: edits go live off the dialog's thread, the admins
hear of a broken edit once (and of its fix), /reload does it on demand, and a weekly message
lists the entries due for review.

A new base is built in a thread of its own (:func:`asyncio.to_thread`), neither on the event
loop nor in the store's thread, so no user's answer waits for it; only the swap, one reference,
is instant. The admins' messages are made in the store's thread (their language is stored).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import CommandHandler, ContextTypes, filters

from bot.config import Settings
from bot.dialog import Dialog, Reply, Turn, UserRef
from bot.dialog.kb_admin import reload_replies, stale_replies
from bot.kb.checks import REVIEW_AGE, stale_entries
from bot.library import RELOAD_INTERVAL, Reload
from bot.notices.schedule import next_digest_at
from bot.telegram.handlers import (
    SETTINGS,
    dialog_of,
    in_store,
    send_replies,
    user_ref,
)
from bot.telegram.types import App

log = logging.getLogger(__name__)

WEEK = timedelta(days=7)
WATCHING = "knowledge_watch"  # application.bot_data key: the lock of the reload job's run
# the reload job may start while its previous run builds a base: that second run returns at
# once, where APScheduler would skip it with a warning
_OVERLAP = {"max_instances": 2}


async def refresh(context: ContextTypes.DEFAULT_TYPE, *, force: bool = False) -> Reload:
    """Look at ``knowledge/`` (re-read it with ``force``) and build any new base in a thread of
    its own."""
    return await asyncio.to_thread(partial(dialog_of(context).library.refresh, force=force))


async def tell_admins(
    context: ContextTypes.DEFAULT_TYPE, make: Callable[[Turn], list[Reply]]
) -> None:
    """Send each admin (``ADAL_ADMINS``, in their private chat) the replies ``make`` writes in
    their language; an admin who has not started the bot is skipped with a warning."""
    dialog = dialog_of(context)
    settings: Settings = context.bot_data[SETTINGS]
    for admin_id in sorted(settings.admins):
        replies = await in_store(context, partial(_made, make, dialog, admin_id))
        try:
            await send_replies(context.bot, admin_id, replies)
        except TelegramError as exc:
            log.warning("an admin was not told: %s", exc)


def _made(make: Callable[[Turn], list[Reply]], dialog: Dialog, admin_id: int) -> list[Reply]:
    """The replies ``make`` writes for an admin, in their language (chosen, else their
    client's)."""
    client = dialog.store.client_language(admin_id)
    return make(dialog.turn(UserRef(admin_id, admin_id, client, is_admin=True)))


async def watch_knowledge(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The reload job: a changed base goes live; a broken edit (once per broken state) and its
    fix are told to the admins. A run that finds the previous one still under way (a build
    takes seconds) returns at once: the next run sees any edit made meanwhile."""
    watching: asyncio.Lock = context.bot_data.setdefault(WATCHING, asyncio.Lock())
    if watching.locked():
        return
    async with watching:
        reload = await refresh(context)
        if reload.alert or reload.fixed:
            await tell_admins(context, partial(reload_replies, reload=reload))


async def on_reload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload from an admin in their private chat: re-read the base now (off the store's
    thread, unlike the dialog's own /reload) and say what changed."""
    user = user_ref(update, context)
    reload = await refresh(context, force=True)
    replies = await in_store(context, lambda: reload_replies(dialog_of(context).turn(user), reload))
    await send_replies(context.bot, user.chat_id, replies)


def reload_handler(settings: Settings) -> CommandHandler[ContextTypes.DEFAULT_TYPE, None]:
    """The handler of /reload for the admins (anyone else's /reload goes to the dialog, which
    does not know it); added before the text handler."""
    admins = filters.User(user_id=settings.admins) & filters.ChatType.PRIVATE
    return CommandHandler("reload", on_reload, filters=admins)


async def review_reminder(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The weekly message to the admins: entries whose ``reviewed`` date is too old (if any)."""
    library = dialog_of(context).library
    kb = library.kb
    stale = [
        library.relative(problem)
        for problem in stale_entries(
            [*kb.entries.values(), *kb.checkers.values()], datetime.now(UTC).date(), REVIEW_AGE
        )
    ]
    if stale:
        await tell_admins(context, partial(stale_replies, stale=stale))


def setup_knowledge_jobs(application: App) -> None:
    """Schedule the reload job (every RELOAD_INTERVAL) and the weekly review reminder (Monday
    09:00 Asia/Almaty, like the notices' digest)."""
    jobs = application.job_queue
    if jobs is None:
        return
    jobs.run_repeating(
        watch_knowledge,
        interval=RELOAD_INTERVAL,
        first=RELOAD_INTERVAL,
        name="reload-knowledge",
        job_kwargs=_OVERLAP,
    )
    jobs.run_repeating(
        review_reminder,
        interval=WEEK,
        first=next_digest_at(datetime.now(UTC)),
        name="review-reminder",
    )
