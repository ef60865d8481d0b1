"""Update handlers: each turns a Telegram update into a dialog call and sends the replies."""

from __future__ import annotations

import logging
from typing import cast

from telegram import (
    Bot,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import (
    CallbackQueryLimit,
    ChatMemberStatus,
    InlineQueryLimit,
    InlineQueryResultLimit,
    ParseMode,
)
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.config import Settings
from bot.dialog import Dialog, InlineResult, Reply, UserRef
from bot.telegram.render import split_html, to_messages

log = logging.getLogger(__name__)

DIALOG = "dialog"  # application.bot_data keys
SETTINGS = "settings"
INLINE_CACHE_SECONDS = 10
_NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
_GONE = {ChatMemberStatus.BANNED, ChatMemberStatus.LEFT}


def dialog_of(context: ContextTypes.DEFAULT_TYPE) -> Dialog:
    """The dialog shared through ``bot_data``."""
    return cast(Dialog, context.bot_data[DIALOG])


def user_ref(update: Update, context: ContextTypes.DEFAULT_TYPE) -> UserRef:
    """Who sent ``update``; without a chat (inline queries) the user's private chat."""
    user, chat = update.effective_user, update.effective_chat
    settings = cast(Settings, context.bot_data[SETTINGS])
    if user is None:
        return UserRef(chat_id=chat.id if chat else 0)
    return UserRef(
        chat_id=chat.id if chat else user.id,
        user_id=user.id,
        client_lang=user.language_code,
        is_admin=user.id in settings.admins,
    )


async def send_replies(bot: Bot, chat_id: int, replies: list[Reply]) -> None:
    """Send every reply as HTML messages, split to Telegram's length limit."""
    for reply in replies:
        for text, markup in to_messages(reply):
            await bot.send_message(
                chat_id,
                text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=_NO_PREVIEW,
            )


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a question or a command."""
    user = user_ref(update, context)
    text = update.effective_message.text if update.effective_message else None
    await send_replies(
        context.bot, user.chat_id, dialog_of(context).handle_message(user, text or "")
    )


async def on_non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask for text when a sticker, photo, voice message or file arrives."""
    user = user_ref(update, context)
    await send_replies(context.bot, user.chat_id, dialog_of(context).handle_non_text(user))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Handle a pressed inline button: answer the callback (with the toast), send the replies."""
    query = update.callback_query
    if query is None:
        return
    if query.data is None:
        await query.answer()
        return
    user = user_ref(update, context)
    replies = dialog_of(context).handle_button(user, query.data)
    toast = replies[0].toast if replies else None
    try:  # best effort: a query answered too late must not stop the replies
        await query.answer(
            toast[: CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH] if toast else None
        )
    except BadRequest as exc:
        log.warning("callback query from chat %s not answered: %s", user.chat_id, exc)
    await send_replies(context.bot, user.chat_id, replies)


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
    results = dialog_of(context).handle_inline(user_ref(update, context), query.query)
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
    dialog_of(context).set_active(user_ref(update, context), active)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the error and keep running; a user who blocked the bot is marked inactive."""
    if isinstance(context.error, Forbidden) and isinstance(update, Update):
        user = user_ref(update, context)
        log.info("chat %s blocked the bot: %s", user.chat_id, context.error)
        dialog_of(context).set_active(user, False)
        return
    kind = type(update).__name__ if update is not None else "job"
    # Never the update itself: it carries the user's text, name and ids.
    log.error(
        "handling a %s failed: %s", kind, type(context.error).__name__, exc_info=context.error
    )
