"""The Telegram application: built from the settings, run by long polling or a webhook."""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.constants import BotCommandLimit
from telegram.error import BadRequest
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.dialog import Dialog, build_dialog
from bot.dialog.core import RELOAD_INTERVAL
from bot.kb import DEFAULT_LANG, LANGS, Lang
from bot.telegram import handlers
from bot.telegram.handlers import DIALOG, SETTINGS, dialog_of
from bot.telegram.notices import setup_notice_jobs
from bot.telegram.types import App

log = logging.getLogger(__name__)

MAX_RETRIES = 3  # a request refused with 429 is retried after ``retry_after``
ALLOWED_UPDATES = [
    Update.MESSAGE,
    Update.CALLBACK_QUERY,
    Update.INLINE_QUERY,
    Update.MY_CHAT_MEMBER,
]


def file_url(api_url: str) -> str:
    """The file download URL that goes with ``api_url`` (``…/bot`` → ``…/file/bot``)."""
    head, _, last = api_url.rpartition("/")
    return f"{head}/file/{last}"


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments for ``run_webhook``/``start_webhook``: where to listen and the secret.

    Without ``ADAL_WEBHOOK_SECRET`` a random secret is made for this run (it is registered with
    ``setWebhook`` at every start), so requests are always checked.
    """
    if not settings.webhook_url:
        raise ValueError("webhook mode needs ADAL_WEBHOOK_URL")
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlparse(settings.webhook_url).path.lstrip("/"),
        "webhook_url": settings.webhook_url,
        "secret_token": settings.webhook_secret or secrets.token_urlsafe(32),
        "allowed_updates": ALLOWED_UPDATES,
    }


def _commands(dialog: Dialog, lang: Lang, *, admin: bool = False) -> list[BotCommand]:
    return [
        BotCommand(name, description[: BotCommandLimit.MAX_DESCRIPTION])
        for name, description in dialog.menu(lang, admin=admin)
    ]


async def post_init(application: App) -> None:
    """Publish the command menu per language (admins' extra commands only in their chats);
    schedule the update notices and resume their delivery."""
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
            log.warning("admin commands not set for %s: %s", admin_id, exc)
    setup_notice_jobs(application)


async def post_shutdown(application: App) -> None:
    """Close the store."""
    application.bot_data[DIALOG].store.close()


async def reload_knowledge(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Re-read the knowledge base when a file in it changed."""
    dialog_of(context).library.reload_if_changed()


def build_application(settings: Settings, dialog: Dialog) -> App:
    """The bot's application: the Bot API client, the handlers and the reload job."""
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    application = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_url)
        .base_file_url(file_url(settings.api_url))
        .rate_limiter(AIORateLimiter(max_retries=MAX_RETRIES))
        .concurrent_updates(False)  # one update at a time keeps each chat's replies in order
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.bot_data.update({DIALOG: dialog, SETTINGS: settings})
    message = filters.UpdateType.MESSAGE
    application.add_handlers(
        [
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
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            reload_knowledge,
            interval=RELOAD_INTERVAL,
            first=RELOAD_INTERVAL,
            name="reload-knowledge",
        )
    return application


def run_bot(settings: Settings) -> None:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook when ADAL_WEBHOOK_URL is set."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=settings.log_level
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    application = build_application(settings, build_dialog(settings))
    if settings.webhook_url:
        application.run_webhook(**webhook_options(settings))
    else:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
