"""Questions handed to the experts: the cases.

A case starts as the asker's draft (the text they see before sending it, personal data already
removed), then waits for an expert, is taken by the first one to take it, answered, or
withdrawn. The asker is stored as their key (``uid``) and their raw chat id only from sending
until the case is deleted: an expert's answer may come at any time. The owning expert is a key
too (``expert_uid``). Every change that sends a message enqueues it in the case mail
(:mod:`bot.store.case_mail`) in the same transaction; changes are strict (a refused write
raises: the dialog says so rather than lose a question or an answer).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from bot.kb.model import DEFAULT_LANG, Lang, as_lang
from bot.store.case_mail import CaseMail, Mail
from bot.store.tables import marks, now_text, strict
from bot.store.users import Users

CaseState = Literal["draft", "waiting", "taken", "answered", "withdrawn"]
OPEN_STATES: tuple[CaseState, ...] = ("waiting", "taken")  # still waiting for an answer
Awaiting = Literal["text", "followup"]  # what the asker's next typed message is
CASE_COLUMNS = (
    "id, uid, chat_id, state, awaiting, lang, reply_lang, text, nearest, expert_uid, answer,"
    " answers, followups, helped, created_at, sent_at, reminded_at"
)
CHANGEABLE = frozenset(
    {
        "chat_id",
        "state",
        "awaiting",
        "expert_uid",
        "answer",
        "answers",
        "followups",
        "helped",
        "sent_at",
        "reminded_at",
    }
)


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Case:
    """One question handed to the experts (its text already free of personal data)."""

    id: int
    uid: int  # the asker's key
    chat_id: int | None  # the asker's chat, from sending on
    state: CaseState
    awaiting: Awaiting | None
    lang: Lang  # the question's language
    reply_lang: Lang  # the language the asker is answered in
    text: str
    nearest: tuple[str, ...]  # the entries nearest to the question, nearest first
    expert_uid: int | None
    answer: str | None  # the expert's first answer, personal data removed
    answers: int
    followups: int
    helped: bool | None
    created_at: datetime
    sent_at: datetime | None
    reminded_at: datetime | None

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Case:
        """A case from a row of CASE_COLUMNS."""
        id_, uid, chat_id, state, awaiting, lang, reply_lang, text, nearest, *rest = row
        expert, answer, answers, followups, helped, created, sent, reminded = rest
        return cls(
            id=id_,
            uid=uid,
            chat_id=chat_id,
            state=state,
            awaiting=awaiting,
            lang=as_lang(lang) or DEFAULT_LANG,
            reply_lang=as_lang(reply_lang) or DEFAULT_LANG,
            text=text,
            nearest=tuple(i for i in nearest.split(",") if i),
            expert_uid=expert,
            answer=answer,
            answers=answers,
            followups=followups,
            helped=None if helped is None else bool(helped),
            created_at=datetime.fromisoformat(created),
            sent_at=_moment(sent),
            reminded_at=_moment(reminded),
        )


class Cases(CaseMail, Users):
    """The experts' cases: drafts, sending, taking, answering, reminders."""

    def _cases(self, where: str, parameters: Sequence[object]) -> list[Case]:
        rows = self.db.execute(
            f"SELECT {CASE_COLUMNS} FROM cases WHERE {where} ORDER BY id", list(parameters)
        )
        return [Case.from_row(row) for row in rows]

    @strict
    def new_draft(
        self,
        chat_id: int,
        text: str,
        *,
        lang: Lang,
        reply_lang: Lang,
        nearest: tuple[str, ...] = (),
        awaiting: Awaiting | None = None,
        keep: timedelta | None = None,
        replaces: int | None = None,
    ) -> int:
        """A new draft of the user's (``text`` already redacted); its number. Their other
        drafts go, but those changed within ``keep`` that have a text and are not the draft
        ``replaces`` (each question's own "Ask an expert" button keeps working)."""
        uid, now = self.uid(chat_id), now_text()
        since = (datetime.now(UTC) - (keep or timedelta(0))).isoformat(timespec="seconds")
        with self.db.atomic():
            self.db.execute(
                "DELETE FROM cases WHERE uid = ? AND state = 'draft'"
                " AND (? OR updated_at < ? OR text = '' OR id IS ?)",
                [uid, keep is None, since, replaces],
            )
            cursor = self.db.execute(
                "INSERT INTO cases (uid, state, awaiting, lang, reply_lang, text, nearest,"
                " created_at, updated_at) VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?)",
                [uid, awaiting, lang, reply_lang, text, ",".join(nearest), now, now],
            )
        return int(cursor.lastrowid or 0)

    def case(self, case_id: int) -> Case | None:
        """The case numbered ``case_id``, if it still exists."""
        found = self._cases("id = ?", [case_id])
        return found[0] if found else None

    def draft_of(self, chat_id: int, max_age: timedelta) -> Case | None:
        """The user's draft, if they made one within ``max_age``."""
        since = (datetime.now(UTC) - max_age).isoformat(timespec="seconds")
        found = self._cases(
            "uid = ? AND state = 'draft' AND updated_at >= ?", [self.uid(chat_id), since]
        )
        return found[-1] if found else None

    def awaited_case(self, chat_id: int, max_age: timedelta) -> Case | None:
        """The user's case whose next typed message is awaited (the question, or a reply to
        the expert), if it was asked for within ``max_age``."""
        since = (datetime.now(UTC) - max_age).isoformat(timespec="seconds")
        found = self._cases(
            "uid = ? AND awaiting IS NOT NULL AND updated_at >= ?", [self.uid(chat_id), since]
        )
        return found[-1] if found else None

    def drop_awaiting(self, chat_id: int) -> bool:
        """The user's next typed message is no longer awaited by a case; True if it was."""
        with self.db.atomic():
            return bool(
                self.db.execute(
                    "UPDATE cases SET awaiting = NULL WHERE uid = ? AND awaiting IS NOT NULL",
                    [self.uid(chat_id)],
                ).rowcount
            )

    def open_cases(self, chat_id: int) -> list[Case]:
        """The user's cases still waiting for an answer, oldest first."""
        return self._cases(
            f"uid = ? AND state IN ({marks(OPEN_STATES)})", [self.uid(chat_id), *OPEN_STATES]
        )

    def cases_of_expert(self, expert_uid: int) -> list[Case]:
        """The cases the expert keyed ``expert_uid`` took, oldest first."""
        return self._cases("expert_uid = ?", [expert_uid])

    def last_case_held(self, expert_uid: int) -> int | None:
        """The newest case the expert keyed ``expert_uid`` took and has not answered, if any."""
        row = self.db.execute(
            "SELECT max(id) FROM cases WHERE expert_uid = ? AND state = 'taken'", [expert_uid]
        ).fetchone()
        return None if row[0] is None else int(row[0])

    def cases_sent_since(self, chat_id: int, since: datetime) -> int:
        """How many cases the user sent since ``since`` (answered and withdrawn ones too)."""
        row = self.db.execute(
            "SELECT count(*) FROM cases WHERE uid = ? AND sent_at >= ?",
            [self.uid(chat_id), since.astimezone(UTC).isoformat(timespec="seconds")],
        ).fetchone()
        return int(row[0])

    def waiting_cases(self) -> list[Case]:
        """Every case still waiting for an answer, oldest first."""
        return self._cases(f"state IN ({marks(OPEN_STATES)})", OPEN_STATES)

    def cases_to_remind(self, sent_before: datetime) -> list[Case]:
        """Cases sent before ``sent_before``, still waiting for an answer and not reminded of."""
        return self._cases(
            f"state IN ({marks(OPEN_STATES)}) AND reminded_at IS NULL AND sent_at <= ?",
            [*OPEN_STATES, sent_before.astimezone(UTC).isoformat(timespec="seconds")],
        )

    @strict
    def change_case(
        self,
        case_id: int,
        *,
        expect: Mapping[str, object],
        changes: Mapping[str, object],
        mails: Sequence[Mail] = (),
    ) -> bool:
        """Change a case only while its columns still hold ``expect`` (as read), and enqueue
        ``mails`` with it, in one transaction; False (nothing changes) when it no longer does."""
        columns = set(expect) | set(changes)
        if not columns <= CHANGEABLE:
            raise ValueError(f"not a column of a case to change: {sorted(columns - CHANGEABLE)}")
        sets = "".join(f", {column} = ?" for column in changes)
        where = "".join(f" AND {column} IS ?" for column in expect)
        with self.db.atomic():
            changed = self.db.execute(
                f"UPDATE cases SET updated_at = ?{sets} WHERE id = ?{where}",
                [now_text(), *changes.values(), case_id, *expect.values()],
            ).rowcount
            if changed:
                self._enqueue(case_id, mails)
        return bool(changed)

    @strict
    def delete_draft(self, chat_id: int, case_id: int) -> bool:
        """Delete the user's draft ``case_id``; False when there is no such draft."""
        with self.db.atomic():
            deleted = self.db.execute(
                "DELETE FROM cases WHERE id = ? AND uid = ? AND state = 'draft'",
                [case_id, self.uid(chat_id)],
            ).rowcount
        return bool(deleted)

    def preferred_language(self, chat_id: int) -> Lang | None:
        """The language a user is written to in: their choice, else the one they last wrote
        in, else their client's."""
        return (
            self.language(chat_id)
            or self.written_language(chat_id)
            or as_lang(self.client_language(chat_id))
        )
