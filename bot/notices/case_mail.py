"""Deliver the case mail (an experts' case to each expert, an answer to its asker, the edits of
the experts' case messages) exactly once, under the lease, as :mod:`bot.notices.sender`
delivers the outbox: a row is claimed (committed) before its message goes out and finished
after, with the id of the message, so that a reply to it finds its case.

Cases are few: the rows due are sent one at a time, oldest first (Telegram's flood limits are
the application's rate limiter's). When the database refuses a write, nothing more is claimed;
the outcomes of the messages already sent are kept and written first at the next drain.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Generic, Protocol, TypeVar

from bot.notices.lease import Lease, utc_now
from bot.notices.offload import Offload, in_place
from bot.notices.sender import DeliveryError, Outcome, failure
from bot.store import CaseMailRow, Store, disk_error, user_ref

log = logging.getLogger(__name__)

Message = TypeVar("Message")
MessageT = TypeVar("MessageT", contravariant=True)


class CaseTransport(Protocol[MessageT]):
    """Sends (or edits) one message; raises a ``Delivery*`` error on failure."""

    async def send(self, chat_id: int, message: MessageT) -> int | None:
        """Deliver ``message`` to ``chat_id``; the id of the message sent or edited."""
        ...


class CaseMailSender(Generic[Message]):
    """Sends the due rows of the case mail through a transport, under ``lease``.

    ``render`` makes a row's message as it is sent (None: nothing to send any more, the row
    is skipped); it and every store call go through ``run`` (the store's thread).
    """

    def __init__(
        self,
        store: Store,
        transport: CaseTransport[Message],
        render: Callable[[CaseMailRow], Message | None],
        *,
        lease: Lease,
        now: Callable[[], datetime] = utc_now,
        run: Offload = in_place,
    ) -> None:
        self.store = store
        self.transport = transport
        self.render = render
        self.lease = lease
        self.now = now
        self.run = run
        self.busy = False
        self.unrecorded: dict[int, tuple[Outcome, int | None]] = {}  # row: (outcome, message)

    async def drain(self, keep_going: Callable[[], bool] = lambda: True) -> int:
        """Send the rows due now, oldest first, while ``keep_going()``; how many were sent.
        A second drain while one runs returns at once."""
        if self.busy:
            return 0
        self.busy = True
        sent = 0
        try:
            for row_id, (outcome, message_id) in list(self.unrecorded.items()):
                await self._record(row_id, outcome, message_id)
                del self.unrecorded[row_id]
            for row in await self.run(partial(self.store.due_case_mail, self.now())):
                if not keep_going():
                    break
                sent += await self._deliver(row)
        except sqlite3.Error as exc:  # the store logs the outage; the outcomes wait here
            if not disk_error(exc):
                raise
        finally:
            self.busy = False
        return sent

    async def _deliver(self, row: CaseMailRow) -> bool:
        """Claim, render, send and record one row; whether its message went out."""
        claim = partial(
            self.store.claim_case_mail,
            row.id,
            owner=self.lease.owner,
            until=self.now() + self.lease.margin,
        )
        if not await self.run(claim):
            return False  # not pending any more, or the lease is lost
        message_id = None
        try:
            message = await self.run(partial(self.render, row))
            if message is None:
                outcome = Outcome("skipped", "nothing to send any more")
            else:
                message_id = await self.transport.send(row.chat_id, message)
                outcome = Outcome("sent")
        except DeliveryError as exc:
            outcome = failure(exc, row.attempts + 1)
        except Exception as exc:
            log.exception("a case message failed (%s)", type(exc).__name__)
            outcome = Outcome("failed", repr(exc))
        if outcome.state == "failed" or outcome.blocked or outcome.retry_after is not None:
            log.warning(
                "a %s message of case #%d to %s: %s (%s)",
                row.kind,
                row.case_id,
                user_ref(self.store.uid(row.chat_id)),
                outcome.state,
                outcome.error,
            )
        try:
            await self._record(row.id, outcome, message_id)
        except sqlite3.Error:
            self.unrecorded[row.id] = (outcome, message_id)
            raise
        return outcome.state == "sent"

    async def _record(self, row_id: int, outcome: Outcome, message_id: int | None) -> None:
        retry_at = (
            self.now() + timedelta(seconds=outcome.retry_after)
            if outcome.retry_after is not None
            else None
        )
        await self.run(
            partial(
                self.store.finish_case_mail,
                row_id,
                outcome.state,
                now=self.now(),
                error=outcome.error,
                retry_at=retry_at,
                message_id=message_id,
            )
        )
