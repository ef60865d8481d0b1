"""Ask a person: a question the base cannot answer goes, anonymously, to the compliance experts
(``ADAL_EXPERTS``), and their answer comes back; a good exchange becomes a draft entry.

The asker first sees what will be shared (the question with personal data removed: never their
name, username or id) and sends, edits or cancels it. Each expert gets the case in their private
chat with a "Take it" button; the first to take it owns it and answers by replying to the case
message. The answer reaches the asker signed "an expert"; they may reply once (the expert may
answer that) and say whether it helped. A case still unanswered after the wait reminds the
experts once and gives the asker the official contacts. Messages to other chats go through the
case mail (:mod:`bot.store.case_mail`); :mod:`bot.dialog.case_messages` writes them.

Off unless experts are configured, and in an adapter that cannot reach other chats (the
terminal chat); each says so to /ask.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from bot.config import Settings
from bot.dialog.case_messages import (
    ASKER,
    EXPERT,
    hours,
    render_mail,
    withdraw_button,
)
from bot.dialog.entries import entry_button
from bot.dialog.reply import Button, Outgoing, Reply
from bot.dialog.turn import ButtonHandler, Command, Feature, Turn, Turns
from bot.i18n import N_
from bot.kb import DEFAULT_LANG, Lang
from bot.kb.drafts import write_draft
from bot.kb.markup import escape
from bot.matching import MatchResult
from bot.matching.normalize import words
from bot.numbers import ascii_number
from bot.redact import redact
from bot.store import OPEN_STATES, TO_EXPERTS, Case, CaseMailRow, Mail, Store, disk_error

log = logging.getLogger(__name__)

MAX_QUESTION = 1500  # characters of a question passed on to the experts
MAX_ANSWER = 3000  # of an expert's answer: one message with its heading
MAX_FOLLOWUP = 1500  # of the asker's one reply
AWAIT_TIMEOUT = timedelta(minutes=30)  # a typed message later than this answers nothing
DRAFT_TIMEOUT = timedelta(hours=1)  # /ask offers the question the bot could not answer this late
DAY = timedelta(hours=24)  # the period of ADAL_MAX_CASES_PER_DAY
CaseHandler = Callable[[Turn, Case, str], list[Reply]]


@dataclass(frozen=True)
class ExpertSettings:
    """Who the experts are, how long a case waits before the reminder, how many cases a user
    may have waiting at once and send in a day, where drafts for the base are written."""

    experts: frozenset[int]
    wait: timedelta
    max_open: int
    drafts: Path
    per_day: int = 10

    @classmethod
    def of(cls, settings: Settings) -> ExpertSettings:
        """The experts' part of the bot's settings."""
        return cls(
            settings.experts,
            timedelta(hours=settings.expert_wait_hours),
            settings.max_open_cases,
            settings.drafts_folder,
            settings.max_cases_per_day,
        )


def _asks_nothing(text: str, result: MatchResult) -> bool:
    """Whether a message, matched as ``result``, asks the experts nothing: small talk ("hi",
    "ok", "thanks"), or a single word that is no question ("взятка", not "взятка?")."""
    one_word = len(words(text)) == 1 and not text.rstrip().endswith("?")
    return result.smalltalk is not None or one_word


def _names_domain(turn: Turn, text: str) -> bool:
    """Whether ``text`` names the anti-corruption domain (smalltalk.yaml's ``domain-signals``)."""
    return turn.matcher.smalltalk.names_domain(turn.matcher.folded(text, turn.written))


class Experts(Feature):
    """/ask, the "Ask an expert" button where the bot abstains, the experts' side of a case,
    "add to the base" and the reminders."""

    def __init__(self, settings: ExpertSettings) -> None:
        self.settings = settings
        self.experts = settings.experts

    # who ------------------------------------------------------------------------------------

    def is_expert(self, turn: Turn) -> bool:
        """Whether the sender is an expert, in their private chat with the bot."""
        user = turn.user
        return user.user_id in self.experts and user.chat_id == user.user_id

    def refusal(self, turn: Turn) -> str | None:
        """Why this user cannot ask an expert here, or None when they can."""
        _, user = turn._, turn.user
        if not turn.transport.relays:
            return _(
                "Asking an expert works only in Telegram: in the terminal chat there is nobody "
                "to pass your question to."
            )
        if not self.experts:
            return _("Asking an expert is not available: this bot has no experts set up.")
        if not self.experts - {user.user_id}:
            return _("You are the only expert of this bot: there is nobody else to ask.")
        if user.user_id is not None and user.chat_id != user.user_id:
            return _(
                "Please ask an expert in a private chat with me, so that the answer comes to "
                "you alone."
            )
        return None

    def _language(self, store: Store, chat_id: int) -> Lang:
        return store.preferred_language(chat_id) or DEFAULT_LANG

    def _to_experts(
        self,
        store: Store,
        kind: Literal["case", "status", "remind"],
        case: Case,
        *,
        but: int | None = None,
    ) -> list[Mail]:
        """The case, an edit of it showing what it is now, or its reminder, to every expert
        but its asker (an expert asking one themselves) and the one keyed ``but``."""
        return [
            Mail(kind, chat, self._language(store, chat))
            for chat in sorted(self.experts)
            if store.uid(chat) not in (case.uid, but)
        ]

    def _expert_chat(self, store: Store, uid: int | None) -> int | None:
        """The chat of the expert keyed ``uid``, if they are still one."""
        return next((chat for chat in self.experts if store.uid(chat) == uid), None)

    def _owner_gone(self, store: Store, case: Case) -> bool:
        """Whether ``case`` is taken by someone who is no longer an expert."""
        return case.state == "taken" and self._expert_chat(store, case.expert_uid) is None

    def _release(self, store: Store, case: Case, *, announce: bool) -> Case:
        """A taken case back to waiting, its owner gone (no longer an expert, or forgotten);
        with ``announce`` every other expert gets it again with its "Take it" button (their
        case message shows it, and a new one comes); the case as it is now."""
        mails: list[Mail] = []
        if announce:
            mails = [
                *self._to_experts(store, "status", case, but=case.expert_uid),
                *self._to_experts(store, "case", case, but=case.expert_uid),
            ]
        store.change_case(
            case.id,
            expect={"state": "taken", "expert_uid": case.expert_uid},
            changes={"state": "waiting", "expert_uid": None},
            mails=mails,
        )
        return store.case(case.id) or case

    def forgetting(self, turn: Turn) -> str | None:
        """An expert's /forget: the cases they took and did not answer go back to the other
        experts, and their key leaves the cases they answered; what to tell them, if anything."""
        if not self.experts:
            return None
        store, user = turn.store, turn.user
        me = store.uid(user.user_id if user.user_id is not None else user.chat_id)
        released = 0
        for case in store.cases_of_expert(me):
            if case.state == "taken":
                self._release(store, case, announce=True)
                released += 1
            else:
                store.change_case(case.id, expect={"expert_uid": me}, changes={"expert_uid": None})
        if not released:
            return None
        return turn._(
            "The cases you had taken and not answered ({count}) went back to the other experts.",
            count=released,
        )

    # the feature ----------------------------------------------------------------------------

    def commands(self) -> list[Command]:
        """/ask (in the menu when experts are set up), /tobase for admins."""
        commands = [
            Command(
                "ask",
                self.ask,
                N_("Ask an expert what the base cannot answer") if self.experts else None,
            )
        ]
        if self.experts:
            commands.append(
                Command(
                    "tobase",
                    self.to_base_command,
                    N_("Add an answered case to the base as a draft: /tobase <number>"),
                    admin=True,
                )
            )
        return commands

    def buttons(self) -> dict[str, ButtonHandler]:
        """a: the asker's buttons, c: the experts'."""
        return {ASKER: self.press_asker, EXPERT: self.press_expert}

    def interrupted(self, turn: Turn) -> bool:
        """A command or a button: the next typed message is no question or reply to an expert."""
        return bool(self.experts) and turn.store.drop_awaiting(turn.user.chat_id)

    def cancelled(self, turn: Turn) -> bool:
        """/cancel: the user's latest question with a text, not sent yet (the one a preview
        offers to send), is deleted."""
        if not self.experts:
            return False
        draft = turn.store.draft_of(turn.user.chat_id, DRAFT_TIMEOUT)
        return (
            draft is not None
            and bool(draft.text)
            and turn.store.delete_draft(turn.user.chat_id, draft.id)
        )

    def after_text(self, turn: Turn, replies: list[Reply]) -> list[Reply]:
        """An expert who holds a case and typed a message of their own (no reply to the case
        message) is reminded how to answer it: the text went to the bot, not to the asker."""
        if not self.experts or turn.reply_to is not None or not self.is_expert(turn):
            return replies
        held = turn.store.last_case_held(turn.store.uid(turn.user.chat_id))
        if held is None:
            return replies
        hint = turn._(
            "This message went to me, not to the asker. To answer case #{number}, reply to "
            "the case message.",
            number=held,
        )
        return [*replies, Reply(hint)]

    def text(self, turn: Turn, text: str) -> list[Reply] | None:
        """An expert's reply to a case message, the asker's reply to an answer, or the message
        the asker was asked for (their question, their reply); None for anything else."""
        if not self.experts:
            return None
        return self._guarded(turn, lambda: self._text(turn, text))

    def _text(self, turn: Turn, text: str) -> list[Reply] | None:
        store, chat = turn.store, turn.user.chat_id
        about = store.mail_about(chat, turn.reply_to) if turn.reply_to is not None else None
        if about is not None:
            case_id, kind = about
            if kind in TO_EXPERTS:
                return self._expert_reply(turn, case_id, text)
            if kind == "answer":
                return self._followup(turn, case_id, text)
        awaited = store.awaited_case(chat, AWAIT_TIMEOUT)
        if awaited is None:
            return None
        if awaited.awaiting == "text":
            result = turn.matcher.match(text)
            if result.smalltalk == "stop":  # "отмена", «керек емес»: /cancel
                self.interrupted(turn)
                self.cancelled(turn)
                return [Reply(turn._("Cancelled: nothing was sent."))]
            return self._new_question(turn, text, replaces=awaited.id, result=result)
        return self._followup(turn, awaited.id, text)

    def non_text(self, turn: Turn) -> list[Reply] | None:
        """A photo, file or the like in reply to a case message or to an answer: it cannot be
        passed on, and the sender is told that the case got nothing from it."""
        if not self.experts or turn.reply_to is None:
            return None
        about = turn.store.mail_about(turn.user.chat_id, turn.reply_to)
        if about is None:
            return None
        case_id, kind = about
        _ = turn._
        if kind in TO_EXPERTS and self.is_expert(turn):
            text = _(
                "I can pass on only text answers, so case #{number} was not answered. Reply to "
                "the case message with your answer as text.",
                number=case_id,
            )
            return [Reply(text)]
        if kind == "answer":
            text = _(
                "I can pass on only text, so nothing was passed on to the expert of case "
                "#{number}. Reply to the answer with text.",
                number=case_id,
            )
            return [Reply(text)]
        return None

    def _guarded(self, turn: Turn, call: Callable[[], list[Reply] | None]) -> list[Reply] | None:
        """``call()``, or an apology when the database refuses the change (nothing is sent)."""
        try:
            return call()
        except sqlite3.Error as exc:
            if not disk_error(exc):  # the store logs the outage
                raise
            return [
                Reply(
                    turn._(
                        "I could not save this just now, so nothing was passed on. Please try "
                        "again in a few minutes."
                    )
                )
            ]

    # asking ---------------------------------------------------------------------------------

    def offer(self, turn: Turn, text: str, result: MatchResult) -> Button | None:
        """The "Ask an expert" button for a question the bot could not answer (kept as the
        user's draft, personal data removed), or None when experts cannot be asked here, when
        no entry is anywhere near the message, or the matcher finds it off topic ("who is the
        president?", the weather), and it tells no case (noise, an insult) and names nothing of
        the domain ("conflict of interest" is a question for them), or when it asks nothing (a
        single word)."""
        if self.refusal(turn) is not None:
            return None
        domain = result.case_signal or _names_domain(turn, text)
        if not (result.suggestions or domain) or (result.off_topic and not domain):
            return None
        if _asks_nothing(text, result):
            return None
        try:
            number = turn.store.new_draft(
                turn.user.chat_id,
                redact(text),
                lang=result.lang,
                reply_lang=turn.lang,
                nearest=result.suggestions,
                keep=DRAFT_TIMEOUT,
            )
        except sqlite3.Error as exc:
            if not disk_error(exc):
                raise
            return None
        return Button(turn._("🙋 Ask an expert"), f"{ASKER}:p:{number}")

    def ask(self, turn: Turn, args: str) -> list[Reply]:
        """``/ask <question>`` shows what the experts will see; ``/ask`` alone offers the last
        question the bot could not answer, or asks for one."""
        refusal = self.refusal(turn)
        if refusal is not None:
            return [Reply(refusal)]
        if args:
            return self._guarded(turn, lambda: self._new_question(turn, args)) or []
        draft = turn.store.draft_of(turn.user.chat_id, DRAFT_TIMEOUT)
        if draft is not None and draft.text:
            return [self.preview(turn, draft)]
        prompt = turn._(
            "Write your question for the experts in one message. Before it goes, I will show "
            "you what they will see."
        )
        return self._guarded(turn, lambda: self._wait_for_question(turn, prompt)) or []

    def _wait_for_question(self, turn: Turn, prompt: str) -> list[Reply]:
        """An empty draft that waits for the user's next typed message, its question, and
        ``prompt`` asking for it."""
        turn.store.new_draft(
            turn.user.chat_id,
            "",
            lang=turn.lang,
            reply_lang=turn.lang,
            awaiting="text",
            keep=DRAFT_TIMEOUT,
        )
        return [Reply(prompt)]

    def _new_question(
        self,
        turn: Turn,
        text: str,
        *,
        replaces: int | None = None,
        result: MatchResult | None = None,
    ) -> list[Reply]:
        """A typed question becomes the user's draft (instead of the draft ``replaces``, being
        edited), shown as the experts will see it; ``result`` is its match, when made. A
        message that asks nothing ("hi", "ok") is no question: the user is asked for the
        question itself, and their next message is still awaited."""
        _ = turn._
        if len(text) > MAX_QUESTION:
            return [
                Reply(
                    _(
                        "Your question is too long: {count} characters, at most {limit}. Please "
                        "shorten it and send it again.",
                        count=len(text),
                        limit=MAX_QUESTION,
                    )
                )
            ]
        if not any(ch.isalnum() for ch in text):
            return [Reply(_("Please type your question in words."))]
        result = result or turn.matcher.match(text)
        if _asks_nothing(text, result):
            answering = turn.answering_message(text, result.told_lang)
            prompt = answering._(
                "Please write the question itself in one message: who, what happened, and what "
                "you want to know. Before it goes to the experts, I will show you what they "
                "will see."
            )
            if replaces is None:  # "/ask hi": the question is waited for from now on
                return self._wait_for_question(answering, prompt)
            return [Reply(prompt)]
        nearest = tuple(dict.fromkeys([*filter(None, [result.entry_id]), *result.suggestions]))
        number = turn.store.new_draft(
            turn.user.chat_id,
            redact(text),
            lang=result.lang,
            reply_lang=turn.answering_message(text, result.told_lang).lang,
            nearest=nearest,
            keep=DRAFT_TIMEOUT,
            replaces=replaces,
        )
        draft = turn.store.case(number)
        assert draft is not None
        return [self.preview(turn, draft, known=result.entry_id)]

    def preview(self, turn: Turn, draft: Case, *, known: str | None = None) -> Reply:
        """What the experts will see of a draft, what is kept from them, and the buttons to
        send, edit or cancel it; ``known`` is an entry that may already answer it. In the
        language the asker is answered in about it (the question's), buttons included, so
        that what follows speaks it too."""
        turn = turn.in_lang(draft.reply_lang)
        _ = turn._
        parts = [
            _("**This is what the experts will see:**"),
            escape(draft.text),
            _(
                "Only the text of your question goes to them, with personal data removed "
                "(names, phone numbers, IIN and the like): not your name, username or Telegram "
                "id. An expert's answer comes back here."
            ),
        ]
        rows: list[tuple[Button, ...]] = []
        entry = turn.kb.get(known) if known else None
        if entry is not None:
            parts.append(
                _("Before you send it: the base may already answer it (the first button).")
            )
            rows.append((entry_button(entry, turn.lang),))
        send: tuple[Button, ...] = (Button(_("✅ Send"), f"{ASKER}:s:{draft.id}"),)
        if len(draft.text) > MAX_QUESTION:
            parts.append(self._too_long(turn, draft.text))
            send = ()
        rows.append(
            (
                *send,
                Button(_("✏️ Edit"), f"{ASKER}:e:{draft.id}"),
                Button(_("✖ Cancel"), f"{ASKER}:c:{draft.id}"),
            )
        )
        return Reply("\n\n".join(parts), tuple(rows)).in_language(turn.lang)

    def _too_long(self, turn: Turn, text: str) -> str:
        return turn._(
            "It is too long for the experts: {count} characters, at most {limit}. Please edit it.",
            count=len(text),
            limit=MAX_QUESTION,
        )

    # the asker's buttons --------------------------------------------------------------------

    def press_asker(self, turn: Turn, payload: str) -> list[Reply]:
        """``a:<verb>:<case>[:<more>]``: p preview, s send, e edit, c cancel, w withdraw,
        r reply to the expert, h whether the answer helped."""
        handlers: dict[str, CaseHandler] = {
            "p": self._show_preview,
            "s": self._send,
            "e": self._edit,
            "c": self._cancel,
            "w": self._withdraw,
            "r": self._reply_pressed,
            "h": self._rated,
        }
        verb, _, rest = payload.partition(":")
        number, _, more = rest.partition(":")
        handler = handlers.get(verb)
        case_id = ascii_number(number)
        case = turn.store.case(case_id) if case_id is not None else None
        if handler is None or case is None or case.uid != turn.store.uid(turn.user.chat_id):
            return turn.out_of_date()
        return self._guarded(turn, lambda: handler(turn, case, more)) or []

    def _sent_already(self, turn: Turn, case: Case) -> list[Reply]:
        if case.state == "draft":
            return turn.out_of_date()
        return [Reply("", toast=turn._("It has been sent as case #{number}.", number=case.id))]

    def _show_preview(self, turn: Turn, case: Case, _more: str) -> list[Reply]:
        if case.state != "draft":
            return self._sent_already(turn, case)
        return [self.preview(turn, case)]

    def _send(self, turn: Turn, case: Case, _more: str) -> list[Reply]:
        """Send the draft to every expert, unless the user has as many cases waiting as they
        may."""
        _, store = turn._, turn.store
        if case.state != "draft" or not case.text:
            return self._sent_already(turn, case)
        if len(case.text) > MAX_QUESTION:
            return [Reply(self._too_long(turn, case.text))]
        sent_today = store.cases_sent_since(turn.user.chat_id, datetime.now(UTC) - DAY)
        if sent_today >= self.settings.per_day:
            text = _(
                "You have sent {count} questions to the experts in the last 24 hours: that is "
                "the most I can pass on in a day. Please send this one later.",
                count=sent_today,
            )
            return [Reply(text)]
        waiting = store.open_cases(turn.user.chat_id)
        if len(waiting) >= self.settings.max_open:
            text = _(
                "You already have {count} questions waiting for an expert: that is the most I "
                "can pass on at once. Wait for an answer, or withdraw one of them:",
                count=len(waiting),
            )
            return [Reply(text, tuple((withdraw_button(turn, c),) for c in waiting))]
        sent = store.change_case(
            case.id,
            expect={"state": "draft"},
            changes={
                "state": "waiting",
                "chat_id": turn.user.chat_id,
                "awaiting": None,
                "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
            },
            mails=self._to_experts(store, "case", case),
        )
        if not sent:
            return turn.out_of_date()
        text = _(
            "Sent to the experts as case #{number}. When one of them answers, I will pass the "
            "answer on here, signed “an expert”. If nobody can answer within {hours} h, I will "
            "tell you where else to turn.",
            number=case.id,
            hours=hours(self.settings.wait),
        )  # withdrawn at once, too: one who sees a detail they would rather not have sent
        return [Reply("", edit=True), Reply(text, ((withdraw_button(turn, case),),))]

    def _edit(self, turn: Turn, case: Case, _more: str) -> list[Reply]:
        if case.state != "draft":
            return self._sent_already(turn, case)
        turn.store.change_case(case.id, expect={"state": "draft"}, changes={"awaiting": "text"})
        return [
            Reply("", edit=True),
            Reply(turn._("Send the new text of your question in one message.")),
        ]

    def _cancel(self, turn: Turn, case: Case, _more: str) -> list[Reply]:
        if case.state != "draft" or not turn.store.delete_draft(turn.user.chat_id, case.id):
            return self._sent_already(turn, case)
        return [Reply("", edit=True), Reply(turn._("Cancelled: nothing was sent."))]

    def _withdraw(self, turn: Turn, case: Case, _more: str) -> list[Reply]:
        _, store = turn._, turn.store
        if case.state not in OPEN_STATES:
            if case.state == "withdrawn":
                return [Reply("", toast=_("Case #{number} is withdrawn already.", number=case.id))]
            return [Reply("", toast=_("Case #{number} has an answer already.", number=case.id))]
        store.change_case(
            case.id,
            expect={"state": case.state},
            changes={"state": "withdrawn", "chat_id": None, "awaiting": None},
            mails=self._to_experts(store, "status", case),
        )
        text = _(
            "Case #{number} is withdrawn: the experts see that it needs no answer any more.",
            number=case.id,
        )
        return [Reply("", edit=True), Reply(text)]

    def _reply_pressed(self, turn: Turn, case: Case, _more: str) -> list[Reply]:
        if case.state != "answered" or case.followups:
            return [Reply("", toast=self._replied(turn, case))]
        turn.store.change_case(case.id, expect={"followups": 0}, changes={"awaiting": "followup"})
        return [
            Reply(
                turn._(
                    "Write your reply to the expert in one message. I will pass it on with "
                    "personal data removed."
                )
            )
        ]

    def _replied(self, turn: Turn, case: Case) -> str:
        return turn._(
            "You have replied once on case #{number}: the exchange with the expert is over.",
            number=case.id,
        )

    def _rated(self, turn: Turn, case: Case, more: str) -> list[Reply]:
        _, store = turn._, turn.store
        expert = self._expert_chat(store, case.expert_uid)
        if more not in ("0", "1") or case.state != "answered" or expert is None:
            return turn.out_of_date()
        if case.helped is not None:
            return [Reply("", toast=_("You have told the expert already. Thank you!"))]
        self._rate(store, case, expert, more)
        rows: tuple[tuple[Button, ...], ...] = ()
        if case.followups == 0:
            rows = ((Button(_("✍️ Reply to the expert"), f"{ASKER}:r:{case.id}"),),)
        return [Reply("", rows, toast=_("Thank you! I told the expert."), edit=True)]

    def _rate(self, store: Store, case: Case, expert: int, more: str) -> None:
        """Tell the expert whether their answer helped (``more``: "1" or "0"), once."""
        store.change_case(
            case.id,
            expect={"helped": None},
            changes={"helped": int(more)},
            mails=[Mail("rating", expert, self._language(store, expert), body=more)],
        )

    def _thanked(self, turn: Turn, case: Case, expert: int) -> list[Reply]:
        """A bare thank-you in reply to the expert's answer: a 👍 for the expert, unless the
        asker rated the answer already; the one reply is kept for something to say."""
        _ = turn._
        kept = _(
            "A thank-you alone does not use up your one reply to the expert: you can still "
            "write it."
        )
        if case.helped is not None:
            return [Reply(kept)]
        self._rate(turn.store, case, expert, "1")
        return [Reply(_("Thank you! I told the expert.") + " " + kept)]

    def _followup(self, turn: Turn, case_id: int, text: str) -> list[Reply]:
        """The asker's one reply to the expert, personal data removed, passed on (a bare
        thank-you is no reply, see :meth:`_thanked`); what they are told is in the language
        they write in."""
        turn = turn.answering_message(text, turn.matcher.told_language(text, turn.written))
        _, store = turn._, turn.store
        case = store.case(case_id)
        if case is None or case.uid != store.uid(turn.user.chat_id):
            return [Reply(_("Case #{number} is closed.", number=case_id))]
        if case.state != "answered" or case.followups:
            return [Reply(self._replied(turn, case))]
        if not text.strip():
            return [Reply(_("Your reply is empty, so nothing was passed on to the expert."))]
        if len(text) > MAX_FOLLOWUP:
            return [
                Reply(
                    _(
                        "Your reply is too long: {count} characters, at most {limit}. Please "
                        "shorten it and send it again.",
                        count=len(text),
                        limit=MAX_FOLLOWUP,
                    )
                )
            ]
        expert = self._expert_chat(store, case.expert_uid)
        if expert is None:
            return [
                Reply(
                    _(
                        "The expert of case #{number} is no longer with the bot, so your reply "
                        "was not passed on.",
                        number=case.id,
                    )
                )
            ]
        if turn.matcher.smalltalk.kind(turn.matcher.folded(text, turn.written)) == "thanks":
            return self._thanked(turn, case, expert)
        clean = redact(text)
        store.change_case(
            case.id,
            expect={"state": "answered", "followups": 0},
            changes={"followups": 1, "awaiting": None},
            mails=[Mail("followup", expert, self._language(store, expert), body=clean)],
        )
        head = _(
            "Passed on to the expert of case #{number}, with personal data removed:",
            number=case.id,
        )
        return [Reply(head + "\n\n" + escape(clean))]

    # the experts' side ----------------------------------------------------------------------

    def press_expert(self, turn: Turn, payload: str) -> list[Reply]:
        """``c:t:<case>`` take it, ``c:b:<case>`` add it to the base."""
        verb, _, number = payload.partition(":")
        case_id = ascii_number(number)
        if case_id is None or verb not in ("t", "b"):
            return turn.out_of_date()
        if not (self.is_expert(turn) or turn.user.is_admin):
            return turn.out_of_date()
        case = turn.store.case(case_id)
        if case is None:
            return [Reply("", toast=turn._("Case #{number} is closed.", number=case_id))]
        if verb == "b":
            return self._guarded(turn, lambda: self._to_base(turn, case, pressed=True)) or []
        return self._guarded(turn, lambda: self._take_pressed(turn, case)) or []

    def _take(self, turn: Turn, case: Case) -> bool:
        """Make the sender the owner of a waiting case (not one they asked themselves); every
        expert's case message shows it."""
        me = turn.store.uid(turn.user.chat_id)
        if case.uid == me:
            return False
        return turn.store.change_case(
            case.id,
            expect={"state": "waiting"},
            changes={"state": "taken", "expert_uid": me},
            mails=self._to_experts(turn.store, "status", case),
        )

    def _take_pressed(self, turn: Turn, case: Case) -> list[Reply]:
        _ = turn._
        if not self.is_expert(turn):
            return turn.out_of_date()
        if self._owner_gone(turn.store, case):
            case = self._release(turn.store, case, announce=False)
        if case.state == "waiting" and self._take(turn, case):
            text = _(
                "Case #{number} is yours. Reply to the case message with your answer: it goes "
                "to the asker signed “an expert”, without your name unless you sign it.",
                number=case.id,
            )
            return [Reply(text, toast=_("Case #{number} is yours.", number=case.id))]
        return [Reply("", toast=self._not_yours(turn, turn.store.case(case.id) or case))]

    def _not_yours(self, turn: Turn, case: Case) -> str:
        """Why the sender cannot take or answer ``case`` (it is not waiting for them)."""
        _ = turn._
        if case.uid == turn.store.uid(turn.user.chat_id):
            return _(
                "You asked case #{number} yourself: another expert answers it.", number=case.id
            )
        if case.state == "withdrawn":
            return _("The asker withdrew case #{number}.", number=case.id)
        if case.expert_uid != turn.store.uid(turn.user.chat_id):
            return _("Another expert has taken case #{number}.", number=case.id)
        return _("You have taken case #{number}: reply to its message to answer.", number=case.id)

    def _expert_reply(self, turn: Turn, case_id: int, text: str) -> list[Reply]:
        """An expert's reply to a case message: the owner's answer goes to the asker (a waiting
        case is taken first); anyone else's is not passed on, and they are told why."""
        _, store = turn._, turn.store
        case = store.case(case_id)
        if not self.is_expert(turn):
            return [Reply(_("Only the experts can answer cases: your reply was not passed on."))]
        if case is None:
            text = _(
                "Case #{number} is closed: its asker withdrew or deleted it. Your reply was not "
                "passed on.",
                number=case_id,
            )
            return [Reply(text)]
        if not text.strip():  # blank, or only invisible characters (cleaned away)
            text = _(
                "Your answer is empty, so nothing was passed on for case #{number}. Reply to the "
                "case message with the text of your answer.",
                number=case.id,
            )
            return [Reply(text)]
        if self._owner_gone(store, case):
            case = self._release(store, case, announce=False)
        took = case.state == "waiting" and self._take(turn, case)  # status edits, made as sent
        if took:
            case = store.case(case_id) or case
        me = store.uid(turn.user.chat_id)
        if case.expert_uid != me or case.state == "withdrawn" or case.chat_id is None:
            not_passed = _("Your reply was not passed on.")
            return [Reply(self._not_yours(turn, case) + " " + not_passed)]
        if case.answers > case.followups:
            return [Reply(self._answered(turn, case))]
        if len(text) > MAX_ANSWER:
            return [
                Reply(
                    _(
                        "Your answer is too long: {count} characters, at most {limit}. Please "
                        "shorten it and reply to the case message again.",
                        count=len(text),
                        limit=MAX_ANSWER,
                    )
                )
            ]
        mails = [Mail("answer", case.chat_id, case.reply_lang, body=text)]
        if not (took or case.answers):  # the owner's case message says it is answered
            chat = turn.user.chat_id
            mails.append(Mail("status", chat, self._language(store, chat)))
        store.change_case(
            case.id,
            expect={"expert_uid": me, "answers": case.answers},
            changes={
                "state": "answered",
                "answers": case.answers + 1,
                "answer": case.answer or redact(text),
            },
            mails=mails,
        )
        sent = _("Sent to the asker of case #{number}, signed “an expert”.", number=case.id)
        if case.answers:
            return [Reply(sent)]
        to_base = Button(_("📚 Add to the base"), f"{EXPERT}:b:{case.id}")
        return [Reply(sent + " " + _("If it is a good answer for others too:"), ((to_base,),))]

    def _answered(self, turn: Turn, case: Case) -> str:
        """Why the owner's reply to ``case`` is not passed on: it waits for the asker's one
        reply, or the exchange is over (that reply used and answered)."""
        if case.followups:
            return turn._(
                "The exchange on case #{number} is over: you have answered the asker's one reply.",
                number=case.id,
            )
        return turn._(
            "You have answered case #{number}. If the asker replies, you can answer once more.",
            number=case.id,
        )

    # back into the base ---------------------------------------------------------------------

    def to_base_command(self, turn: Turn, args: str) -> list[Reply]:
        """``/tobase <number>``: an answered case written as a draft for the base (admins)."""
        case_id = ascii_number(args.strip().lstrip("#"))
        case = turn.store.case(case_id) if case_id is not None else None
        if case is None:
            return [Reply(turn._("Name an answered case by its number: /tobase 12"))]
        return self._guarded(turn, lambda: self._to_base(turn, case, pressed=False)) or []

    def _to_base(self, turn: Turn, case: Case, *, pressed: bool) -> list[Reply]:
        """Write the draft of an answered case (its owner or an admin)."""
        _ = turn._
        if case.answer is None:
            return [Reply(_("Case #{number} has no answer yet.", number=case.id))]
        if case.expert_uid != turn.store.uid(turn.user.chat_id) and not turn.user.is_admin:
            text = _(
                "Only the expert who answered case #{number}, or an admin, can add it to the base.",
                number=case.id,
            )
            return [Reply(text)]
        folder = self.settings.drafts
        try:
            path = write_draft(
                folder,
                number=case.id,
                lang=case.lang,
                question=case.text,
                answer=case.answer,
                kb=turn.kb,
                nearest=case.nearest,
                asked=case.created_at.date(),
                today=date.today(),
            )
        except FileExistsError:
            text = _("Case #{number} is in the drafts for the base already.", number=case.id)
        except OSError as exc:
            log.warning("the draft of case #%d was not written to %s: %s", case.id, folder, exc)
            return [Reply(_("I could not write the draft just now. Please tell the maintainers."))]
        else:
            text = _(
                "Case #{number} is written as a draft for the base ({file}). The maintainers "
                "complete it in the other two languages, review it and add it.",
                number=case.id,
                file=path.name,
            )
        return [Reply("", edit=True), Reply(text)] if pressed else [Reply(text)]

    # the case mail and the reminders --------------------------------------------------------

    def render(self, turns: Turns, row: CaseMailRow) -> Outgoing | None:
        """The message a row of the case mail stands for (see :func:`render_mail`)."""
        return render_mail(turns, row, self.settings.wait)

    def remind(self, store: Store, now: datetime) -> int:
        """Remind the experts, once, of the cases waiting longer than the wait (the owner of a
        taken one, else all) and tell each asker where else to turn; how many cases. A case
        taken by someone no longer an expert goes back to the others first."""
        for case in store.waiting_cases():
            if self._owner_gone(store, case):
                self._release(store, case, announce=True)
        due = store.cases_to_remind(now - self.settings.wait)
        for case in due:
            owner = self._expert_chat(store, case.expert_uid)
            if owner is not None:
                mails = [Mail("remind", owner, self._language(store, owner))]
            else:
                mails = self._to_experts(store, "remind", case)
            if case.chat_id is not None:
                mails.append(Mail("timeout", case.chat_id, case.reply_lang))
            store.change_case(
                case.id,
                expect={"state": case.state, "reminded_at": None},
                changes={"reminded_at": now.astimezone(UTC).isoformat(timespec="seconds")},
                mails=mails,
            )
        return len(due)
