"""Update handlers: each turns a Telegram update into a dialog call and sends the replies.

Dialog calls run in the store's thread (:class:`bot.telegram.worker.Worker`), never on the event
loop. Admin rights count only in a private chat with an admin, and in a group only its
administrators may change its subscriptions.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from functools import partial
from typing import TypeVar, cast

from telegram import (
    Bot,
    CallbackQuery,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import (
    CallbackQueryLimit,
    ChatMemberStatus,
    ChatType,
    InlineQueryLimit,
    InlineQueryResultLimit,
    ParseMode,
)
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.dialog import Dialog, InlineResult, Reply, Turn, UserRef
from bot.dialog.reply import replace_row, split_language
from bot.i18n import Translate
from bot.store import disk_error
from bot.store import user_ref as pseudonym
from bot.telegram.metrics import Metrics
from bot.telegram.ratelimit import uncertain
from bot.telegram.render import keyboard, split_html, to_messages
from bot.telegram.worker import Worker

log = logging.getLogger(__name__)

DIALOG = "dialog"  # application.bot_data keys
SETTINGS = "settings"
WORKER = "worker"
METRICS = "metrics"
INLINE_CACHE_SECONDS = 10
# What changes a chat's subscriptions: in a group, only its administrators may do it.
GROUP_ADMIN_COMMANDS = frozenset({"subscribe", "unsubscribe"})
GROUP_ADMIN_BUTTONS = frozenset({"s", "u", "d"})
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_GONE = {ChatMemberStatus.BANNED, ChatMemberStatus.LEFT}
_GROUP_ADMINS = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}

T = TypeVar("T")


def dialog_of(context: ContextTypes.DEFAULT_TYPE) -> Dialog:
    """The dialog shared through ``bot_data``."""
    return cast(Dialog, context.bot_data[DIALOG])


def metrics_of(context: ContextTypes.DEFAULT_TYPE) -> Metrics:
    """The counters shared through ``bot_data``."""
    return cast(Metrics, context.bot_data[METRICS])


async def in_store(context: ContextTypes.DEFAULT_TYPE, call: Callable[[], T]) -> T:
    """``call()`` run in the store's thread."""
    return await cast(Worker, context.bot_data[WORKER])(call)


async def in_store_if_writable(
    context: ContextTypes.DEFAULT_TYPE, call: Callable[[], T]
) -> T | None:
    """``call()`` run in the store's thread; None when the database cannot be written (a full
    disk, say; the store logs it): a job tries again next time."""
    try:
        return await in_store(context, call)
    except sqlite3.Error as exc:
        if not disk_error(exc):
            raise
        return None


def user_ref(update: Update, context: ContextTypes.DEFAULT_TYPE) -> UserRef:
    """Who sent ``update``; without a chat (inline queries) the user's private chat.

    An admin (``ADAL_ADMINS``) is one only in their private chat with the bot.
    """
    user, chat = update.effective_user, update.effective_chat
    settings = cast(Settings, context.bot_data[SETTINGS])
    if user is None:
        return UserRef(chat_id=chat.id if chat else 0)
    private = chat is None or chat.type == ChatType.PRIVATE
    return UserRef(
        chat_id=chat.id if chat else user.id,
        user_id=user.id,
        client_lang=user.language_code,
        is_admin=private and user.id in settings.admins,
    )


def who(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> str:
    """The pseudonym of a chat, for the log."""
    return pseudonym(dialog_of(context).store.uid(chat_id))


async def send_replies(
    bot: Bot, chat_id: int, replies: list[Reply], *, reply_to: int | None = None
) -> int | None:
    """Send every reply as HTML messages, split to Telegram's length limit, the first as a
    reply to the message ``reply_to`` (when it is still there); the last message's id."""
    last = None
    for reply in replies:
        for text, markup in to_messages(reply):
            sent = await bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=_NO_PREVIEW,
                reply_parameters=(
                    ReplyParameters(reply_to, allow_sending_without_reply=True)
                    if reply_to is not None and last is None
                    else None
                ),
            )
            last = sent.message_id
    return last


async def edit_reply(bot: Bot, chat_id: int, message_id: int, reply: Reply) -> None:
    """Make the bot's message ``message_id`` show ``reply`` instead (its first message's
    worth of text, and its buttons)."""
    parts = split_html(reply.text)
    await bot.edit_message_text(
        parts[0] if parts else "…",
        chat_id=chat_id,
        message_id=message_id,
        parse_mode=ParseMode.HTML,
        reply_markup=keyboard(reply.buttons),
        link_preview_options=_NO_PREVIEW,
    )


async def _group_admin_refusal(
    update: Update, context: ContextTypes.DEFAULT_TYPE, user: UserRef, speaking: Callable[[], Turn]
) -> str | None:
    """In a group, the text (in the language of the turn ``speaking`` makes in the store's
    thread: the typed command's, the pressed button's) refusing a change of its subscriptions
    to a member who is not one of its administrators; None when the change may go ahead."""
    chat, message = update.effective_chat, update.effective_message
    if chat is None or chat.type == ChatType.PRIVATE or user.user_id is None:
        return None
    if (
        message is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    ):
        return None  # an anonymous administrator, writing as the group
    member = await context.bot.get_chat_member(chat.id, user.user_id)
    if member.status in _GROUP_ADMINS:
        return None
    _: Translate = (await in_store(context, speaking))._
    return _("Only the group's administrators can change its subscriptions.")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a question or a command; in a group, a change of its subscriptions (a command, or
    a number typed for a button of the panel) is refused to a member who is no administrator."""
    user = user_ref(update, context)
    message = update.effective_message
    text = message.text if message else None
    replied = message.reply_to_message if message else None  # an expert answering a case
    reply_to = replied.message_id if replied else None
    metrics_of(context).count("messages")
    refusal = None
    chat = update.effective_chat
    command = dialog_of(context).command(text or "")  # "/подписка" too: as the dialog reads it
    if command and command.name in GROUP_ADMIN_COMMANDS:  # «/подписка»: as it is answered
        speaking = partial(dialog_of(context).command_turn, user, command)
        refusal = await _group_admin_refusal(update, context, user, speaking)
    elif chat is not None and chat.type != ChatType.PRIVATE:  # "1" after /subscribe: s:*
        typed = partial(dialog_of(context).typed_action, user, text or "")
        pressed = await in_store(context, typed)
        action, lang = split_language(pressed or "")
        if action.partition(":")[0] in GROUP_ADMIN_BUTTONS:
            speaking = partial(dialog_of(context).turn, user, lang)
            refusal = await _group_admin_refusal(update, context, user, speaking)
    handle = partial(dialog_of(context).handle_message, user, text or "", reply_to)
    replies = [Reply(refusal)] if refusal else await in_store(context, handle)
    await send_replies(context.bot, user.chat_id, replies)


async def on_non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask for text when a sticker, photo, voice message or file arrives."""
    user = user_ref(update, context)
    message = update.effective_message
    replied = message.reply_to_message if message else None  # an expert answering a case
    reply_to = replied.message_id if replied else None
    metrics_of(context).count("messages")
    handle = partial(dialog_of(context).handle_non_text, user, reply_to)
    replies = await in_store(context, handle)
    await send_replies(context.bot, user.chat_id, replies)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle a pressed inline button: answer the callback (with the toast), change the pressed
    message's buttons, or the whole message, when a reply says so, send the other replies. A
    group member who may not change its subscriptions is told so in the toast, to them alone."""
    query = update.callback_query
    if query is None:
        return
    if query.data is None:
        await query.answer()
        return
    metrics_of(context).count("buttons")
    user = user_ref(update, context)
    action, lang = split_language(query.data)
    speaking = partial(dialog_of(context).turn, user, lang)  # the language of its message
    refusal = (
        await _group_admin_refusal(update, context, user, speaking)
        if action.partition(":")[0] in GROUP_ADMIN_BUTTONS
        else None
    )
    replies = (
        [Reply("", toast=refusal)]
        if refusal
        else await in_store(context, partial(dialog_of(context).handle_button, user, query.data))
    )
    toast = next((reply.toast for reply in replies if reply.toast), None)
    try:  # best effort: a query answered too late must not stop the replies
        await query.answer(
            toast[: CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH] if toast else None
        )
    except BadRequest as exc:
        log.warning("callback query of %s not answered: %s", who(context, user.chat_id), exc)
    new = []
    for reply in replies:
        if reply.edit:
            await query.edit_message_reply_markup(_edited(query, reply))
        elif not (reply.replaces and await _replace_pressed(context, query, reply)):
            new.append(reply)
    await send_replies(context.bot, user.chat_id, new)


async def _replace_pressed(
    context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, reply: Reply
) -> bool:
    """Show ``reply`` in place of the pressed message; False when that cannot be edited (it is
    gone, say): the reply is then sent as a new message."""
    message = query.message
    if message is None:
        return False
    try:
        await edit_reply(context.bot, message.chat.id, message.message_id, reply)
    except BadRequest as exc:
        if "not modified" in str(exc).lower():  # it shows this already (pressed twice)
            return True
        log.warning("message of %s not edited: %s", who(context, message.chat.id), exc)
        return False
    return True


def _edited(query: CallbackQuery, reply: Reply) -> InlineKeyboardMarkup | None:
    """The pressed message's new keyboard: the reply's rows, or (``in_place``) its current
    rows with the pressed button's row replaced by them."""
    new = keyboard(reply.buttons)
    current = query.message.reply_markup if isinstance(query.message, Message) else None
    if not reply.in_place or current is None:
        return new
    rows = replace_row(
        current.inline_keyboard,
        lambda button: button.callback_data == query.data,
        new.inline_keyboard if new else (),
    )
    return InlineKeyboardMarkup(rows) if rows else None


def _article(result: InlineResult) -> InlineQueryResultArticle | None:
    parts = split_html(result.text)
    if not parts or not result.title:
        return None
    return InlineQueryResultArticle(
        id=result.id[: InlineQueryResultLimit.MAX_ID_LENGTH],
        title=result.title,
        description=result.description or None,
        input_message_content=InputTextMessageContent(
            parts[0], parse_mode=ParseMode.HTML, link_preview_options=_NO_PREVIEW
        ),
    )


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Offer matching entries for ``@bot query`` (the first message's worth of each answer)."""
    query = update.inline_query
    if query is None:
        return
    metrics_of(context).count("inline_queries")
    user = user_ref(update, context)
    results = await in_store(context, partial(dialog_of(context).handle_inline, user, query.query))
    articles = [a for a in map(_article, results) if a is not None]
    await query.answer(
        articles[: InlineQueryLimit.RESULTS], cache_time=INLINE_CACHE_SECONDS, is_personal=True
    )


async def on_my_chat_member(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Mark the user inactive when they block the bot, active again when they unblock it."""
    change = update.my_chat_member
    if change is None:
        return
    active = change.new_chat_member.status not in _GONE
    user = user_ref(update, context)
    await in_store(context, partial(dialog_of(context).set_active, user, active))


def _kind(update: object) -> str:
    """What an update is, in a word or two (never what it holds)."""
    if not isinstance(update, Update):
        return "job" if update is None else type(update).__name__
    for kind, present in (
        ("message", update.message),
        ("button press", update.callback_query),
        ("inline query", update.inline_query),
        ("membership change", update.my_chat_member),
    ):
        if present is not None:
            return kind
    return "update"


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error and keep running; a user who blocked the bot is marked inactive.

    Never the update itself: it carries the user's text, name and ids. Telegram's refusals
    (its own description, no traceback) are one line; a timeout or a dropped connection, after
    which the reply may have arrived, a warning; anything else is a bug: its traceback.
    """
    error = context.error
    if isinstance(error, Forbidden) and isinstance(update, Update):
        user = user_ref(update, context)
        log.info("%s blocked the bot: %s", who(context, user.chat_id), error)
        await in_store(context, partial(dialog_of(context).set_active, user, False))
        return
    if uncertain(error):
        log.warning(
            "a %s's reply may have been delivered, not sent again: %s: %s",
            _kind(update),
            type(error).__name__,
            error,
        )
        return
    if isinstance(error, TelegramError):
        log.error("a %s failed: %s: %s", _kind(update), type(error).__name__, error)
        return
    log.error("a %s failed: %s", _kind(update), type(error).__name__, exc_info=error)
