"""The admins' commands: /notices, /preview, /send (after a confirmation, pressed or typed),
/stats."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.dialog.answers import language_named, language_typed
from bot.dialog.choices import typed_button
from bot.dialog.notice_replies import notice_reply
from bot.dialog.privacy import CONFIRM_TIMEOUT
from bot.dialog.reply import Button, Reply
from bot.dialog.turn import ButtonHandler, Command, Feature, Turn
from bot.i18n import N_
from bot.insights.report import group_unanswered
from bot.kb import DEFAULT_LANG
from bot.kb.loader import NOTICES_DIR
from bot.kb.markup import escape
from bot.kb.model import Lang, LeftOutNotice, Notice, as_lang
from bot.notices.schedule import NoticeStatus, local_time, notice_status, publish
from bot.store import ALL_TOPICS, DELIVERY_STATES, DeliveryState

STATE_NAMES: dict[DeliveryState, str] = {
    "pending": N_("waiting"),
    "sending": N_("sending"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "skipped": N_("skipped"),
}
SEND = N_("✅ Yes, send now")  # the confirmation's buttons: x:<id> sends, xc:<id> does not
CANCEL = N_("No, cancel")
WEEK = timedelta(days=7)
MAX_COMMENTS = 10  # the week's latest comments shown by /stats
TOP_GROUPS = 3  # the week's most asked unanswered questions shown by /stats
NOTICE_ID_LIMIT = 40  # characters of an unknown notice id repeated back
COMMENT_PREVIEW = 300  # characters of each


def _states(turn: Turn, counts: dict[DeliveryState, int]) -> str:
    """Delivery counts as ``sent 10, failed 1`` (states with none left out)."""
    return ", ".join(
        f"{turn._(STATE_NAMES[state])} {count}" for state, count in counts.items() if count
    )


def _gone_topics(turn: Turn) -> dict[str, int]:
    """Topic keys users are subscribed to that the base no longer has (renamed in
    topics.yaml, say), each with its number of subscribers."""
    return {
        key: count
        for key, count in sorted(turn.store.topic_subscribers().items())
        if key != ALL_TOPICS and key not in turn.kb.topics
    }


class NoticeAdmin(Feature):
    """The admins' commands: /notices, /preview, /send (after a confirmation), /stats.

    The notice each admin was just asked to confirm sending is kept in the store: a typed
    "yes" or "жоқ" answers it within ``CONFIRM_TIMEOUT``, after a restart too.
    """

    def commands(self) -> list[Command]:
        """Admin-only commands (hidden from everyone else)."""
        return [
            Command("notices", self.notices, N_("Notices: upcoming and sent"), admin=True),
            Command(
                "preview",
                self.preview,
                N_("Preview a notice: /preview <id> [en|ru|kk]"),
                admin=True,
            ),
            Command("send", self.send, N_("Send a notice now: /send <id>"), admin=True),
            Command("stats", self.stats, N_("Users, deliveries and the week's votes"), admin=True),
        ]

    def buttons(self) -> dict[str, ButtonHandler]:
        """x: confirm sending a notice now; xc: do not send it."""
        return {"x": self.confirm_send, "xc": self.cancel_send}

    def text(self, turn: Turn, text: str) -> list[Reply] | None:
        """A typed answer to "Send the notice … now?" ("yes", "да", "иә", "no", "жоқ"), read
        as its buttons; None for anything else, which is answered as usual and sends nothing."""
        asked = turn.store.take_send_request(turn.user.chat_id, max_age=CONFIRM_TIMEOUT)
        if asked is None:
            return None
        chosen = typed_button(turn.catalogs, (SEND, CANCEL), text)
        if chosen is None:
            return None
        if chosen == 1:
            return [Reply(_cancelled(turn))]
        notice = self._notice(turn, asked)  # gone from the base meanwhile: it says so
        return [Reply(_send_now(turn, notice))] if isinstance(notice, Notice) else notice

    def interrupted(self, turn: Turn) -> bool:
        """A command or a button: a typed word no longer answers "Send the notice … now?"."""
        return turn.store.take_send_request(turn.user.chat_id, max_age=CONFIRM_TIMEOUT) is not None

    def notices(self, turn: Turn, _args: str) -> list[Reply]:
        """Upcoming notices, due ones, and sent ones with their delivery counts; subscribed
        topics the base no longer has, with their subscribers."""
        _ = turn._
        counts = turn.store.delivery_counts()
        enqueued = turn.store.enqueued_notices()
        now = datetime.now(UTC)
        sections: dict[NoticeStatus, list[str]] = {
            "upcoming": [],
            "due": [],
            "enqueued": [],
            "archived": [],
        }
        for notice in sorted(turn.kb.notices.values(), key=lambda n: (n.publish_at, n.id)):
            status = notice_status(notice, enqueued, now)
            line = f"- {notice.id} {local_time(notice.publish_at)}"
            if status == "enqueued":
                line += ": " + (_states(turn, counts[notice.id]) or _("no subscribers"))
            sections[status].append(line)
        titles = {
            "upcoming": _("**Upcoming**"),
            "due": _("**Due now, being queued for delivery**"),
            "enqueued": _("**Sent**"),
            "archived": _("**Archived (kept for reference, never sent)**"),
        }
        groups = [
            titles[status] + "\n" + "\n".join(lines) for status, lines in sections.items() if lines
        ]
        if turn.kb.left_out:
            groups.append(
                _("**Left out for a problem in the file, not sent until fixed**")
                + "".join(f"\n- {_problem(left)}" for left in turn.kb.left_out)
            )
        gone = _gone_topics(turn)
        if gone:
            groups.append(
                _("**Subscribed topics no longer in topics.yaml: their subscribers get nothing**")
                + "".join(f"\n- {escape(key)}: {count}" for key, count in gone.items())
            )
        return [Reply("\n\n".join(groups) or _("There are no notices."))]

    def preview(self, turn: Turn, args: str) -> list[Reply]:
        """``/preview <id> [language]``: the notice as subscribers will get it (in the language
        named: "en", "русский", "қазақша"; else the admin's), to the admin only."""
        asked, lang = _id_and_language(args)
        notice = self._notice(turn, asked)
        if not isinstance(notice, Notice):
            return notice
        if lang is None:
            return [notice_reply(turn, notice)]
        return [notice_reply(turn.in_lang(lang), notice).in_language(lang)]

    def send(self, turn: Turn, args: str) -> list[Reply]:
        """``/send <id>``: ask for confirmation before sending the notice to its subscribers."""
        notice = self._notice(turn, args)
        if not isinstance(notice, Notice):
            return notice
        refusal = _refusal(turn, notice)
        if refusal is not None:
            return [Reply(refusal)]
        if turn.store.count_recipients(notice.topics):
            question = turn._("Send the notice {id} to its subscribers now?", id=notice.id)
        else:
            question = turn._(
                "Nobody is subscribed to the topics of {id} now: sent now, it would reach nobody.",
                id=notice.id,
            )
        choices = (
            Button(turn._(SEND), f"x:{notice.id}"),
            Button(turn._(CANCEL), f"xc:{notice.id}"),
        )
        turn.store.ask_to_send(turn.user.chat_id, notice.id)
        return [Reply(question, (choices,))]

    def confirm_send(self, turn: Turn, notice_id: str) -> list[Reply]:
        """``x:<id>``: enqueue the notice for every subscriber; the sender delivers it."""
        notice = turn.kb.notices.get(notice_id)
        if not turn.user.is_admin or notice is None:
            return turn.out_of_date()
        text = _send_now(turn, notice)
        return [Reply(text, toast=text)]

    def cancel_send(self, turn: Turn, _notice_id: str) -> list[Reply]:
        """``xc:<id>``: the notice is not sent; the question's buttons go."""
        if not turn.user.is_admin:
            return turn.out_of_date()
        return [Reply("", edit=True), Reply(_cancelled(turn))]

    def stats(self, turn: Turn, _args: str) -> list[Reply]:
        """Users, subscribers, delivery totals by state; the last seven days' votes per entry
        and what users wrote was missing."""
        _ = turn._
        users, subscribers = turn.store.count_users(), turn.store.count_subscribers()
        totals = dict.fromkeys(DELIVERY_STATES, 0)
        for counts in turn.store.delivery_counts().values():
            for state, count in counts.items():
                totals[state] += count
        lines = [
            _("Users: {users}, active: {active}.", **users),
            _(
                "Subscribers: {subscribers}; digests: daily {daily}, weekly {weekly}.",
                **subscribers,
            ),
            _("Deliveries:") + " " + (_states(turn, totals) or _("none yet.")),
        ]
        sections = [escape("\n".join(lines)), *self._questions(turn), *self._feedback(turn)]
        return [Reply("\n\n".join(sections))]

    def _questions(self, turn: Turn) -> list[str]:
        """The week's questions, answered and not, and its top unanswered groups (markup)."""
        _ = turn._
        asked = turn.store.questions_asked(datetime.now(UTC) - WEEK)
        unanswered = sum(not q.answered for q in asked)
        share = round(100 * unanswered / len(asked)) if asked else 0
        head = _(
            "**Questions in the last 7 days:** {total}, not answered: {unanswered} ({share}%).",
            total=len(asked),
            unanswered=unanswered,
            share=share,
        )
        groups = group_unanswered(asked, turn.matcher.index)[:TOP_GROUPS]
        if not groups:
            return [head]
        top = _("**Most asked without an answer:**") + "".join(
            f"\n- ×{g.count}: “{escape(_preview(g.examples(1)[0]))}”"
            + (f" → {escape(g.nearest)}?" if g.nearest else "")
            for g in groups
        )
        return [head, top]

    def _feedback(self, turn: Turn) -> list[str]:
        """The week's votes per entry, most voted first, and its latest comments (markup)."""
        _ = turn._
        since = datetime.now(UTC) - WEEK
        votes = sorted(
            turn.store.feedback_counts(since).items(), key=lambda item: (-sum(item[1]), item[0])
        )
        if not votes:
            return [_("**Votes in the last 7 days:** none.")]
        sections = [
            _("**Votes in the last 7 days** (👍 / 👎):")
            + "".join(f"\n- {escape(entry)}: {up} / {down}" for entry, (up, down) in votes)
        ]
        comments = turn.store.feedback_comments(since, limit=MAX_COMMENTS)
        if comments:
            sections.append(
                _("**What was missing** (latest first):")
                + "".join(
                    f"\n- {escape(c.entry_id)} ({c.lang}): {escape(_preview(c.text))}"
                    for c in comments
                )
            )
        return sections

    def _notice(self, turn: Turn, args: str) -> Notice | list[Reply]:
        """The notice named in ``args``, or the reply saying that there is none of that id (if
        one was typed) and how to name one."""
        asked = args.strip()
        notice = turn.kb.notices.get(asked)
        if notice is not None:
            return notice
        left = turn.kb.left_out_notice(asked)
        if left is not None:
            return [Reply(_left_out(turn, left))]
        ids = ", ".join(turn.kb.notices) or "—"
        if asked:
            named = escape(asked[:NOTICE_ID_LIMIT])
            return [
                Reply(turn._("There is no notice “{id}”: name one of {ids}.", id=named, ids=ids))
            ]
        return [Reply(turn._("Name a notice: one of {ids}.", ids=ids))]


def _id_and_language(args: str) -> tuple[str, Lang | None]:
    """The notice id of ``/preview`` arguments, and the language the words after it name
    ("en", "english", "русский", «на казахском»), if they name one."""
    asked, _, rest = args.strip().partition(" ")
    lang = as_lang(language_named(rest) or language_typed(rest)) if rest else None
    return (asked, lang) if lang else (args.strip(), None)


def _send_now(turn: Turn, notice: Notice) -> str:
    """Enqueue ``notice`` for every subscriber (the sender delivers it), unless it may not be
    sent; what became of it."""
    refusal = _refusal(turn, notice)
    if refusal is not None:
        return refusal
    created = publish(turn.store, notice, datetime.now(UTC), DEFAULT_LANG, unless_empty=True)
    if created is None:
        return turn._("The notice {id} has already been sent.", id=notice.id)
    if created == 0:
        return turn._(
            "Nobody is subscribed to the topics of {id} now, so it was not sent: it can be "
            "sent later.",
            id=notice.id,
        )
    return turn._(
        "The notice {id} is on its way. Recipients: {count}.", id=notice.id, count=created
    )


def _cancelled(turn: Turn) -> str:
    """The reply to a confirmation answered "no"."""
    return turn._("Cancelled: nothing was sent.")


def _refusal(turn: Turn, notice: Notice) -> str | None:
    """Why ``notice`` may not be sent (sent already, or archived: history, never sent)."""
    if notice.id in turn.store.enqueued_notices():
        return turn._("The notice {id} has already been sent.", id=notice.id)
    if notice.archived:
        return turn._(
            "The notice {id} is archived: kept for reference, never sent. To send it as news, "
            "remove “archived: true” from its file ({path}) and date it anew.",
            id=notice.id,
            path=_file(notice.path),
        )
    return None


def _left_out(turn: Turn, left: LeftOutNotice) -> str:
    """Why the notice of ``left`` can be neither previewed nor sent (markup)."""
    return turn._(
        "The notice {id} is left out for a problem in its file; it can be sent once the file "
        "is fixed:\n{problem}",
        id=escape(left.id),
        problem=_problem(left),
    )


def _problem(left: LeftOutNotice) -> str:
    """The first problem of a left-out notice file as ``kb check`` prints it, the file named
    inside ``knowledge/`` (markup)."""
    problem = left.problems[0]
    root = f"{Path(left.path).parent.parent}{os.sep}"
    return f"{_file(left.path)}:{problem.line}: {escape(problem.message.replace(root, ''))}"


def _file(path: str) -> str:
    """A notice file as maintainers name it, inside ``knowledge/`` (markup)."""
    return escape(f"{NOTICES_DIR}/{Path(path).name}")


def _preview(text: str) -> str:
    """A comment on one line, shortened to COMMENT_PREVIEW characters."""
    text = " ".join(text.split())
    return text if len(text) <= COMMENT_PREVIEW else text[: COMMENT_PREVIEW - 1] + "…"
