"""The case mail: messages about the experts' cases on their way (a case to each expert, an
answer to its asker, an edit of an expert's case message), one row per message and recipient.

As in the notices' outbox, a row is claimed (``sending``, committed, under the lease) before
its message goes out and finished after, so that nothing is sent twice but the messages in
flight when a process stops. A sent row keeps the id of its message: a reply to that message
finds its case. A row holds its recipient's chat id and the text it relays only until it is
delivered; an expert's case message keeps the chat id while the case lives, for later edits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from bot.kb.model import Lang
from bot.store.outbox import LEASE
from bot.store.tables import DeliveryState, Tables, stamp, strict

MailKind = Literal["case", "status", "remind", "followup", "rating", "answer", "timeout", "erased"]
TO_EXPERTS: tuple[MailKind, ...] = ("case", "status", "remind", "followup", "rating", "erased")


@dataclass(frozen=True)
class Mail:
    """A message about a case to enqueue: its kind, the recipient's chat and language, the
    text it relays (an answer, a follow-up) and the message it edits, when that is known now."""

    kind: MailKind
    chat_id: int
    lang: Lang
    body: str = ""
    target: int | None = None


@dataclass(frozen=True)
class CaseMailRow:
    """One row of the case mail, due to be sent."""

    id: int
    case_id: int
    kind: MailKind
    chat_id: int
    lang: Lang
    body: str
    target: int | None
    attempts: int


class CaseMail(Tables):
    """The case mail: enqueued with the change that causes it, claimed, sent, finished."""

    def _enqueue(self, case_id: int, mails: Sequence[Mail]) -> None:
        """Write ``mails`` about ``case_id`` (part of the caller's transaction)."""
        now = stamp(datetime.now(UTC))
        for mail in mails:
            self.db.execute(
                "INSERT INTO case_mail (case_id, kind, uid, chat_id, lang, body, target,"
                " ready_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    case_id,
                    mail.kind,
                    self.uid(mail.chat_id),
                    mail.chat_id,
                    mail.lang,
                    mail.body,
                    mail.target,
                    now,
                    now,
                ],
            )

    def due_case_mail(self, now: datetime, limit: int = 100) -> list[CaseMailRow]:
        """Pending rows due at ``now``, oldest first."""
        rows = self.db.execute(
            "SELECT id, case_id, kind, chat_id, lang, body, target, attempts FROM case_mail"
            " WHERE state = 'pending' AND ready_at <= ? ORDER BY id LIMIT ?",
            [stamp(now), limit],
        )
        return [CaseMailRow(*row) for row in rows]

    @strict
    def claim_case_mail(self, mail_id: int, *, owner: str, until: datetime) -> bool:
        """Mark a row ``sending`` (committed) just before its message goes out; False when it
        is no longer pending or ``owner`` will not hold the lease at ``until``."""
        claimed = self.db.execute(
            "UPDATE case_mail SET state = 'sending', attempts = attempts + 1"
            " WHERE id = ? AND state = 'pending' AND EXISTS (SELECT 1 FROM lease"
            " WHERE name = ? AND owner = ? AND expires_at > ?)",
            [mail_id, LEASE, owner, stamp(until)],
        )
        return claimed.rowcount == 1

    @strict
    def finish_case_mail(
        self,
        mail_id: int,
        state: DeliveryState,
        *,
        now: datetime,
        error: str | None = None,
        retry_at: datetime | None = None,
        message_id: int | None = None,
    ) -> None:
        """Record the outcome of a send: the message's id when sent; the chat id and the
        relayed text are dropped unless the row is pending again (until ``retry_at``)."""
        pending = int(state == "pending")
        self.db.execute(
            "UPDATE case_mail SET state = ?, error = ?, ready_at = coalesce(?, ready_at),"
            " sent_at = ?, message_id = coalesce(?, message_id),"
            " body = CASE WHEN ? THEN body ELSE '' END,"
            " chat_id = CASE WHEN ? OR (kind = 'case' AND ? = 'sent') THEN chat_id END"
            " WHERE id = ?",
            [
                state,
                error,
                retry_at and stamp(retry_at),
                stamp(now) if state == "sent" else None,
                message_id,
                pending,
                pending,
                state,
                mail_id,
            ],
        )

    def case_mail_backlog(self) -> tuple[int, int]:
        """Messages of cases not delivered: (pending or being sent, failed for good)."""
        waiting, failed = self.db.execute(
            "SELECT coalesce(sum(state IN ('pending', 'sending')), 0),"
            " coalesce(sum(state = 'failed'), 0) FROM case_mail"
        ).fetchone()
        return int(waiting), int(failed)

    @strict
    def recover_case_mail(self) -> int:
        """Put rows left ``sending`` by a stopped process back to ``pending`` (their message
        may have gone out: sent again, it may arrive twice); how many."""
        return self.db.execute(
            "UPDATE case_mail SET state = 'pending', error = 'interrupted while sending'"
            " WHERE state = 'sending'"
        ).rowcount

    def mail_about(self, chat_id: int, message_id: int) -> tuple[int, MailKind] | None:
        """(case, kind) of the message ``message_id`` the bot sent to ``chat_id`` about a case,
        or None when it was not one (or is forgotten). A case message whose ``erased`` edit is
        still on its way is already the erased one (a reply to it reaches nobody)."""
        row = self.db.execute(
            "SELECT case_id, kind FROM case_mail WHERE uid = ? AND ((message_id = ?"
            " AND state = 'sent') OR (kind = 'erased' AND target = ?)) ORDER BY id DESC LIMIT 1",
            [self.uid(chat_id), message_id, message_id],
        ).fetchone()
        return (int(row[0]), row[1]) if row else None

    def case_message(self, case_id: int, chat_id: int) -> int | None:
        """The id of the case's message in an expert's chat, once it was sent."""
        row = self.db.execute(
            "SELECT message_id FROM case_mail WHERE case_id = ? AND uid = ? AND kind = 'case'"
            " AND state = 'sent' ORDER BY id DESC LIMIT 1",
            [case_id, self.uid(chat_id)],
        ).fetchone()
        return int(row[0]) if row and row[0] is not None else None
