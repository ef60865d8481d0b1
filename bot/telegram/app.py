"""The Telegram service: built from the settings, started, kept running, stopped.

Start-up, in order: the database (``ADAL_DB`` created owner-only and written once, or one line
naming the variable), the knowledge base, Telegram (``getMe``: a rejected token is one line; no
network is retried with backoff, one warning line each time), the lease (a second process on
the same database waits as a standby), then polling or the webhook, and one "ready" line. No
start-up failure prints a traceback or the token.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import signal
import socket
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.constants import BotCommandLimit
from telegram.error import BadRequest, Conflict, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import __version__
from bot.config import Settings
from bot.dialog import Dialog, Reply, UserRef, build_dialog
from bot.dialog.store_admin import database_replies
from bot.errors import OneLineError
from bot.kb import DEFAULT_LANG, LANGS, KnowledgeError, Lang
from bot.notices.lease import RENEWALS, Lease, keep_lease, wait_for_lease
from bot.store import Heartbeat, Store, StoreError, describe, disk_error, open_database
from bot.telegram import handlers
from bot.telegram.cases import setup_case_jobs
from bot.telegram.handlers import DIALOG, METRICS, SETTINGS, WORKER, dialog_of, send_replies
from bot.telegram.kb_watch import reload_handler, setup_knowledge_jobs, tell_admins
from bot.telegram.logs import configure
from bot.telegram.metrics import ErrorCounter, Metrics
from bot.telegram.notices import SENDER, setup_notice_jobs
from bot.telegram.ratelimit import ChatRateLimiter
from bot.telegram.types import App
from bot.telegram.updates import ChatOrderedProcessor, Throttle
from bot.telegram.webhook import WebhookServer
from bot.telegram.worker import Worker

log = logging.getLogger(__name__)

ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
    Update.MY_CHAT_MEMBER,
]
POLL_TIMEOUT = 10  # seconds Telegram holds a getUpdates call open
CONNECT_BACKOFF = (1.0, 60.0)  # seconds: the first wait to reach Telegram again, the longest
RETENTION_INTERVAL = 6 * 3600.0  # seconds between two runs of the retention
STALE_BEATS = 3  # heartbeats missed before a process counts as gone (adal-bot health)
_REJECTED = {"Unauthorized": "401 Unauthorized", "Not Found": "404 Not Found"}


def heartbeat_max_age(settings: Settings) -> timedelta:
    """How old a heartbeat may be before its process counts as gone: ``STALE_BEATS`` missed."""
    return timedelta(seconds=STALE_BEATS * settings.lease_seconds / RENEWALS)


class StartError(OneLineError):
    """The bot cannot start or go on; the message is one line naming the variable or cause."""


def file_url(api_url: str) -> str:
    """The file download URL that goes with ``api_url`` (``…/bot`` → ``…/file/bot``)."""
    head, _, last = api_url.rpartition("/")
    return f"{head}/file/{last}"


def open_store(settings: Settings) -> Store:
    """The database of ``ADAL_DB``, created owner-only and written once to prove it can be."""
    path = settings.db_path
    try:
        store = open_database(path, settings.hash_secret, new_ok=settings.new_database)
    except StoreError as exc:
        raise StartError(str(exc)) from None
    try:
        with store.db.raising():
            store.db.execute(
                "INSERT INTO meta (key, value) VALUES ('written_at', ?) ON CONFLICT(key)"
                " DO UPDATE SET value = excluded.value",
                [datetime.now(UTC).isoformat(timespec="seconds")],
            )
    except sqlite3.Error as exc:
        raise StartError(f"ADAL_DB={path} cannot be written ({describe(exc)})") from None
    return store


def _commands(dialog: Dialog, lang: Lang, *, admin: bool = False) -> list[BotCommand]:
    return [
        BotCommand(name, description[: BotCommandLimit.MAX_DESCRIPTION])
        for name, description in dialog.menu(lang, admin=admin)
    ]


async def set_menus(application: App) -> None:
    """Publish the command menu per language (admins' extra commands only in their chats)."""
    dialog, settings = application.bot_data[DIALOG], application.bot_data[SETTINGS]
    bot = application.bot
    langs: list[Lang | None] = [None, *LANGS]  # None: the menu for any other client language
    for lang in langs:
        await bot.set_my_commands(_commands(dialog, lang or DEFAULT_LANG), language_code=lang)
    for admin_id in sorted(settings.admins):
        try:
            for lang in langs:
                await bot.set_my_commands(
                    _commands(dialog, lang or DEFAULT_LANG, admin=True),
                    scope=BotCommandScopeChat(admin_id),
                    language_code=lang,
                )
        except BadRequest as exc:  # e.g. the admin has not started the bot yet
            log.warning("admin commands not set for one admin: %s", exc)


async def expire_rows(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Delete what is older than ``ADAL_RETENTION_DAYS`` (subscriptions apart)."""
    days = context.bot_data[SETTINGS].retention_days
    store = dialog_of(context).store
    deleted = await handlers.in_store_if_writable(
        context, partial(store.expire, datetime.now(UTC), timedelta(days=days))
    )
    if deleted:
        counts = ", ".join(f"{table} {count}" for table, count in sorted(deleted.items()))
        log.info("retention: deleted rows older than %d days: %s", days, counts)


async def tell_admins_about_database(context: ContextTypes.DEFAULT_TYPE) -> None:
    """The job telling the admins that the database file is gone (job data True) or back."""
    gone = bool(context.job and context.job.data)
    await tell_admins(context, partial(database_replies, gone=gone))


async def tell_throttled(application: App, update: Update) -> None:
    """Tell a user over ``ADAL_RATE_LIMIT`` that they are ignored for a while (once)."""
    user = update.effective_user
    chat = update.effective_chat
    if user is None or chat is None:
        return
    dialog: Dialog = application.bot_data[DIALOG]
    processor = application.update_processor
    assert isinstance(processor, ChatOrderedProcessor)
    seconds = max(1, round(processor.throttle.seconds_left(user.id)))
    ref = UserRef(chat.id, user.id, user.language_code)

    def notice() -> str:
        return dialog.turn(ref)._(
            "You are sending messages faster than I can read them. I will answer again "
            "in {seconds} s.",
            seconds=seconds,
        )

    text = await application.bot_data[WORKER](notice)
    await send_replies(application.bot, chat.id, [Reply(text)])


def build_application(settings: Settings, dialog: Dialog, worker: Worker, metrics: Metrics) -> App:
    """The bot's application: the Bot API client, the update processor, the handlers and the
    knowledge base's jobs."""
    if not settings.token:
        raise StartError("TELEGRAM_BOT_TOKEN is not set")

    async def notice(update: Update) -> None:
        await tell_throttled(application, update)

    processor = ChatOrderedProcessor(
        Throttle(settings.rate_limit),
        notice,
        seen=metrics.seen,
        on_throttled=partial(metrics.count, "throttled"),
    )
    application: App = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_url)
        .base_file_url(file_url(settings.api_url))
        .rate_limiter(ChatRateLimiter())
        .concurrent_updates(processor)
        .build()
    )
    application.bot_data.update(
        {DIALOG: dialog, SETTINGS: settings, WORKER: worker, METRICS: metrics}
    )
    message = filters.UpdateType.MESSAGE
    application.add_handlers(
        [
            reload_handler(settings),
            MessageHandler(message & filters.TEXT, handlers.on_text),
            MessageHandler(
                message & filters.ChatType.PRIVATE & filters.ATTACHMENT, handlers.on_non_text
            ),
            CallbackQueryHandler(handlers.on_button),
            InlineQueryHandler(handlers.on_inline),
            ChatMemberHandler(handlers.on_my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER),
        ]
    )
    application.add_error_handler(handlers.on_error)
    setup_knowledge_jobs(application)
    return application


class Service:
    """The running bot: the store, the dialog, the application and this process's lease."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = open_store(settings)
        try:
            self.dialog = build_dialog(settings, self.store)
        except KnowledgeError as exc:
            self.store.close()
            raise StartError(
                f"ADAL_KNOWLEDGE_DIR={settings.knowledge_dir}: {len(exc.problems)} problem(s),"
                f" the first: {exc.problems[0]} (`adal-bot kb check` lists them all)"
            ) from None
        except OSError as exc:
            self.store.close()
            raise StartError(f"cannot read {exc.filename}: {exc.strerror}") from None
        self.worker = Worker()
        self.metrics = Metrics()
        self._errors = ErrorCounter(self.metrics)
        self.application = build_application(settings, self.dialog, self.worker, self.metrics)
        self.lease = Lease(self.store, ttl=timedelta(seconds=settings.lease_seconds))
        self.mode = "webhook" if settings.webhook_url else "polling"
        self.role = "starting"
        self.username = ""
        self.lost_lease = False
        self._server: WebhookServer | None = None
        self._tasks: list[asyncio.Task[None]] = []

    # the steps of run ---------------------------------------------------------------------

    async def _connect(self, stop: asyncio.Event) -> bool:
        """``getMe`` until it answers (False when stopped first); a rejected token stops."""
        wait, longest = CONNECT_BACKOFF
        host = urlparse(self.settings.api_url).netloc
        while not stop.is_set():
            try:
                await self.application.initialize()
            except InvalidToken as exc:
                reason = str(exc.__cause__ or exc)
                raise StartError(
                    f"Telegram rejected TELEGRAM_BOT_TOKEN ({_REJECTED.get(reason, reason)})"
                ) from None
            except NetworkError as exc:
                log.warning(
                    "cannot reach Telegram at %s (%s): trying again in %.0f s",
                    host,
                    type(exc).__name__,
                    wait,
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
                wait = min(wait * 2, longest)
            else:
                self.username = self.application.bot.username
                return True
        return False

    def _beat(self) -> None:
        """Write this process's heartbeat (in the store's thread); held writes first."""
        if self.store.held:
            self.store.catch_up()
        library = self.dialog.library
        heartbeat = Heartbeat(
            owner=self.lease.owner,
            role=self.role,
            mode=self.mode,
            username=self.username,
            base=library.base,
            entries=len(library.kb.entries),
            beat_at=datetime.now(UTC),
            last_update_at=self.metrics.last_update_at,
        )
        try:
            self.store.beat(heartbeat, socket.gethostname())
        except sqlite3.Error as exc:  # the store logs the outage
            if not disk_error(exc):
                raise

    async def beat(self) -> None:
        """:meth:`_beat` in the store's thread, after a look at the database file."""
        gone = await self.worker(self.store.watch_file)
        if gone is not None:
            self._file_changed(gone)
        await self.worker(self._beat)

    def _file_changed(self, gone: bool) -> None:
        """Log that ``ADAL_DB`` is gone (or back) and have a job tell the admins."""
        if gone:
            log.error(
                "ADAL_DB=%s was deleted or replaced while the bot runs: changes are held in "
                "memory until the file is back; restore it from a backup (docs/deploy.md)",
                self.settings.db_path,
            )
        else:
            log.warning("ADAL_DB=%s is back: changes are saved again", self.settings.db_path)
        jobs = self.application.job_queue
        if jobs is not None:
            jobs.run_once(tell_admins_about_database, 0, data=gone, name="database-alert")

    async def _beats(self) -> None:
        while True:
            await self.beat()
            await asyncio.sleep(self.lease.every)

    async def _take_lease(self, stop: asyncio.Event) -> bool:
        """Take the lease, as a standby while another process holds it (False when stopped)."""
        self.role = "standby"
        beats = asyncio.create_task(self._beats())
        taking = asyncio.create_task(wait_for_lease(self.lease, self.worker))
        stopping = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({taking, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (beats, taking, stopping):
                task.cancel()
        if not taking.done() or taking.cancelled():
            return False
        taking.result()
        self.role = "active"
        return True

    async def _start_updates(self) -> None:
        settings, application = self.settings, self.application
        if settings.webhook_url:
            secret = settings.webhook_secret or secrets.token_urlsafe(32)
            self._server = WebhookServer(
                application,
                urlparse(settings.webhook_url).path,
                secret,
                self.health,
                self.exposition,
            )
            try:
                self._server.listen(settings.webhook_port, settings.webhook_listen)
            except OSError as exc:
                self._server = None
                raise StartError(
                    f"ADAL_WEBHOOK_PORT={settings.webhook_port}: cannot listen on "
                    f"{settings.webhook_listen} ({exc.strerror})"
                ) from None
            await application.bot.set_webhook(
                settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
        else:
            assert application.updater is not None
            await application.updater.start_polling(
                timeout=POLL_TIMEOUT,
                allowed_updates=ALLOWED_UPDATES,
                bootstrap_retries=-1,
                error_callback=_polling_error(),
            )

    def _on_lost(self, stop: asyncio.Event) -> None:
        self.lost_lease = True
        stop.set()

    async def run(self, stop: asyncio.Event, started: asyncio.Event | None = None) -> None:
        """Start, serve until ``stop`` is set (or the lease is lost), stop gracefully."""
        logging.getLogger("bot").addHandler(self._errors)
        try:
            if not await self._connect(stop) or not await self._take_lease(stop):
                return
            await set_menus(self.application)
            await setup_notice_jobs(self.application, self.lease)
            await setup_case_jobs(self.application, self.lease)
            jobs = self.application.job_queue
            assert jobs is not None
            jobs.run_repeating(expire_rows, interval=RETENTION_INTERVAL, first=0, name="retention")
            await self._start_updates()
            await self.application.start()
            self._tasks.append(
                asyncio.create_task(
                    keep_lease(self.lease, self.worker, partial(self._on_lost, stop), self.beat)
                )
            )
            await self.beat()
            library = self.dialog.library
            log.info(
                "ready: @%s, %s, knowledge base %s with %d entries, Adal %s",
                self.username,
                self.mode,
                library.base,
                len(library.kb.entries),
                __version__,
            )
            if started is not None:
                started.set()
            await stop.wait()
        finally:
            await self._stop()
        if self.lost_lease:
            raise StartError("another process took over the lease on ADAL_DB: stopped")

    async def _stop(self) -> None:
        """Stop taking updates, let the calls under way finish, give the lease up, close."""
        application = self.application
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if self._server is not None:
            await self._server.close()
        if application.running:
            await application.stop()
        for task in self._tasks:
            task.cancel()
        if self.role == "active" and not self.lost_lease:
            with contextlib.suppress(sqlite3.Error):
                await self.worker(self.lease.release)
        with contextlib.suppress(sqlite3.Error):
            await self.worker(partial(self.store.end_heartbeat, self.lease.owner))
        await application.shutdown()
        await self.worker(self.store.close)
        self.worker.close()
        logging.getLogger("bot").removeHandler(self._errors)

    # health and metrics -------------------------------------------------------------------

    async def health(self) -> tuple[bool, dict[str, Any]]:
        """Whether the service is well, with the checks (base loaded, database writable, last
        update seen)."""
        library = self.dialog.library
        sender = self.application.bot_data.get(SENDER)
        writable = (
            not self.store.held
            and not self.store.gone
            and (sender is None or sender.store_error is None)
        )
        last = self.metrics.last_update_at
        report = {
            "role": self.role,
            "mode": self.mode,
            "base": library.base,
            "entries": len(library.kb.entries),
            "database_writable": writable,
            "last_update_seconds_ago": (
                round((datetime.now(UTC) - last).total_seconds(), 1) if last else None
            ),
        }
        return bool(library.kb.entries) and writable, report

    async def exposition(self) -> str:
        """The counters in Prometheus' text format."""
        backlog = await self.worker(self.store.backlog)
        case_mail = await self.worker(self.store.case_mail_backlog)
        return self.metrics.render(self.dialog.library.outcomes, backlog, case_mail)


def _polling_error() -> Callable[[TelegramError], None]:
    """Logs a failed ``getUpdates`` in one line, once per run of failures of one kind."""
    last: list[str] = []

    def callback(error: TelegramError) -> None:
        kind = type(error).__name__
        if last == [kind]:
            return
        last[:] = [kind]
        if isinstance(error, Conflict):
            log.warning("Telegram refused polling: another process polls with this token (409)")
        else:
            log.warning("getting updates failed (%s): trying again", kind)

    return callback


async def _serve(service: Service, on_signal: Callable[[asyncio.Event], Awaitable[None]]) -> None:
    stop = asyncio.Event()
    await on_signal(stop)
    await service.run(stop)


async def _signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)


def run_bot(settings: Settings) -> None:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook when ADAL_WEBHOOK_URL is
    set. Raises :class:`StartError` (one line) when it cannot start or go on."""
    configure(settings.log_level, [settings.token, settings.webhook_secret, settings.hash_secret])
    asyncio.run(_serve(Service(settings), _signals))
