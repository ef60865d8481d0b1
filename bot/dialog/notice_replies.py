"""Notices as messages: one notice, the daily or weekly digest, and a chat's outbox rows."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.dialog.entries import MAX_RELATED, entry_button
from bot.dialog.reply import Button, Reply, UserRef
from bot.dialog.turn import Turn, Turns
from bot.kb.markup import escape
from bot.kb.model import Notice
from bot.notices.sender import DeliveryHeld
from bot.store import Delivery


def published(turn: Turn, notice: Notice) -> bool:
    """Whether the notice's time has come or it was sent already (with /send, before its
    time); a later one is not shown to users."""
    return notice.publish_at <= datetime.now(UTC) or notice.id in turn.store.enqueued_notices()


def notice_reply(turn: Turn, notice: Notice) -> Reply:
    """A notice as a message in the turn's language: bold title, body, related entries."""
    entries = [e for e in (turn.kb.get(i) for i in notice.related) if e is not None]
    rows = tuple((entry_button(e, turn.lang),) for e in entries[:MAX_RELATED])
    text = notice.texts[turn.lang].markup()
    if rows:
        text += "\n\n" + turn._("Related questions are below.")
    return Reply(text, rows)


def digest_reply(turn: Turn, notices: list[Notice], *, daily: bool = False) -> Reply:
    """The weekly (or ``daily``) digest: its notices listed, each a button opening it."""
    titles = [notice.texts[turn.lang].title for notice in notices]
    lines = [f"{n}. **{escape(title)}**" for n, title in enumerate(titles, start=1)]
    rows = tuple(
        (Button(title, f"n:{notice.id}"),) for title, notice in zip(titles, notices, strict=True)
    )
    text = "\n\n".join(
        [
            turn._("**Daily digest of updates**") if daily else turn._("**This week's updates**"),
            "\n".join(lines),
            turn._("Press one to read it."),
        ]
    )
    return Reply(text, rows)


def render_deliveries(dialog: Turns, rows: list[Delivery]) -> Reply | None:
    """The message for a chat's outbox rows (a notice, or a digest), in the chat's language
    now; None if all their notices are removed. Raises :class:`DeliveryHeld` when one is left
    out of the base for a problem (see :meth:`KnowledgeBase.may_return`): the rows wait."""
    chat_id = rows[0].chat_id
    turn = dialog.turn(UserRef(chat_id), rows[-1].lang)
    turn = turn.in_lang(turn.store.preferred_language(chat_id) or turn.lang)
    if any(turn.kb.may_return(row.notice_id) for row in rows):
        raise DeliveryHeld
    notices = [n for n in (turn.kb.notices.get(row.notice_id) for row in rows) if n is not None]
    if not notices:
        return None
    daily = turn.store.delivery_mode(chat_id) == "daily"
    reply = (
        digest_reply(turn, notices, daily=daily)
        if rows[0].digest
        else notice_reply(turn, notices[0])
    )
    return reply.in_language(turn.lang)
