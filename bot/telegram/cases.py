"""The experts' cases on Telegram: the transport of the case mail (a new message, maybe a
reply to an expert's case message, or an edit of one), the job that drains it and the job
that reminds the experts of cases left unanswered (and tells their askers).

Both jobs run only while the experts are set up (``ADAL_EXPERTS``) and only in the process
holding the lease; store work runs in the store's thread.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import partial
from typing import cast

from telegram import Bot
from telegram.ext import ContextTypes

from bot.dialog import Dialog
from bot.dialog.experts import Experts
from bot.dialog.reply import Outgoing
from bot.notices.case_mail import CaseMailSender
from bot.notices.lease import Lease
from bot.telegram.handlers import (
    DIALOG,
    WORKER,
    dialog_of,
    edit_reply,
    in_store_if_writable,
    send_replies,
)
from bot.telegram.notices import delivery_errors
from bot.telegram.types import App

log = logging.getLogger(__name__)

CASE_SENDER = "case_sender"  # application.bot_data key
DRAIN_INTERVAL = 1.0  # seconds between looks at the case mail: an answer arrives at once
REMIND_INTERVAL = 60.0  # seconds between looks for cases left unanswered


class CaseTransport:
    """Sends a case message (or edits one); PTB's errors become the sender's."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, message: Outgoing) -> int | None:
        """Send or edit ``message``; the id of the message; a ``Delivery*`` error on failure."""
        with delivery_errors():
            if message.edit is not None:
                await edit_reply(self.bot, chat_id, message.edit, message.reply)
                return message.edit
            return await send_replies(self.bot, chat_id, [message.reply], reply_to=message.reply_to)


def experts_of(dialog: Dialog) -> Experts | None:
    """The dialog's experts feature, when experts are set up."""
    return next((f for f in dialog.features if isinstance(f, Experts) and f.experts), None)


def sender_of(context: ContextTypes.DEFAULT_TYPE) -> CaseMailSender[Outgoing]:
    """The case mail's sender shared through ``bot_data``."""
    return cast(CaseMailSender[Outgoing], context.bot_data[CASE_SENDER])


async def drain_case_mail(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Start sending the case mail in the background unless a drain is under way."""
    sender, application = sender_of(context), context.application
    if application.running and not sender.busy:
        application.create_task(sender.drain(lambda: application.running), name="cases-drain")


async def remind_experts(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Remind the experts of the cases left unanswered, once, and tell their askers."""
    dialog = dialog_of(context)
    experts = experts_of(dialog)
    if experts is None:
        return
    count = await in_store_if_writable(
        context, partial(experts.remind, dialog.store, datetime.now(UTC))
    )
    if count:
        log.info("%d case(s) left unanswered: the experts reminded, the askers told", count)
        await drain_case_mail(context)


async def setup_case_jobs(application: App, lease: Lease) -> None:
    """Deliver the case mail under ``lease`` and look for cases left unanswered, when experts
    are set up; called once at the start."""
    dialog: Dialog = application.bot_data[DIALOG]
    experts = experts_of(dialog)
    jobs = application.job_queue
    if experts is None or jobs is None:
        return
    application.bot_data[CASE_SENDER] = CaseMailSender(
        dialog.store,
        CaseTransport(application.bot),
        partial(experts.render, dialog),
        lease=lease,
        run=application.bot_data[WORKER],
    )
    jobs.run_repeating(drain_case_mail, interval=DRAIN_INTERVAL, first=0, name="cases-drain")
    jobs.run_repeating(remind_experts, interval=REMIND_INTERVAL, first=0, name="cases-remind")
