"""Subscriptions to update notices, the notices as messages, and the admins' notice commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import cast

from bot.dialog.answers import MAX_RELATED, entry_button
from bot.dialog.core import DEFAULT_LANG, ButtonHandler, Command, Dialog, Turn
from bot.dialog.reply import Button, Reply, UserRef
from bot.i18n import N_
from bot.kb.markup import escape
from bot.kb.model import Notice
from bot.notices.schedule import (
    NoticeStatus,
    local_time,
    next_digest_at,
    notice_status,
    publish,
)
from bot.store import ALL_TOPICS, DELIVERY_STATES, Delivery, DeliveryMode, DeliveryState

ALL_WORDS = {"all", ALL_TOPICS}
MODES: tuple[DeliveryMode, ...] = ("instant", "weekly")
STATE_NAMES: dict[DeliveryState, str] = {
    "pending": N_("waiting"), "sending": N_("sending"), "sent": N_("sent"),
    "failed": N_("failed"), "skipped": N_("skipped"),
}


def _states(turn: Turn, counts: dict[DeliveryState, int]) -> str:
    """Delivery counts as ``sent 10, failed 1`` (states with none left out)."""
    return ", ".join(f"{turn._(STATE_NAMES[state])} {count}" for state, count in counts.items()
                     if count)


def published(notice: Notice) -> bool:
    """Whether the notice's time has come (a later one is not shown to users)."""
    return notice.publish_at <= datetime.now(UTC)


def notice_reply(turn: Turn, notice: Notice) -> Reply:
    """A notice as a message in the turn's language: bold title, body, related entries."""
    entries = [e for e in (turn.kb.get(i) for i in notice.related) if e is not None]
    rows = tuple((entry_button(e, turn.lang),) for e in entries[:MAX_RELATED])
    return Reply(notice.texts[turn.lang].markup(), rows)


def digest_reply(turn: Turn, notices: list[Notice]) -> Reply:
    """The weekly digest: the week's notices listed, each a button opening it."""
    titles = [notice.texts[turn.lang].title for notice in notices]
    lines = [f"{n}. **{escape(title)}**" for n, title in enumerate(titles, start=1)]
    rows = tuple((Button(title, f"n:{notice.id}"),) for title, notice in zip(
        titles, notices, strict=True))
    return Reply(turn._("**This week's updates**") + "\n\n" + "\n".join(lines), rows)


def render_deliveries(dialog: Dialog, rows: list[Delivery]) -> Reply | None:
    """The message for a chat's outbox rows (a notice, or a digest); None if all are gone."""
    turn = dialog.turn(UserRef(rows[0].chat_id), rows[-1].lang)
    notices = [n for n in (turn.kb.notices.get(row.notice_id) for row in rows) if n is not None]
    if not notices:
        return None
    return digest_reply(turn, notices) if rows[0].digest else notice_reply(turn, notices[0])


Change = Callable[[Turn, str], str]  # subscribe or unsubscribe a topic; returns the message


def _known(turn: Turn, topic: str) -> bool:
    return topic in ALL_WORDS or topic in turn.kb.topics


class Subscriptions:
    """/subscribe, /unsubscribe, /subscriptions: topics (or all), instant or weekly delivery."""

    def commands(self) -> list[Command]:
        """/subscribe, /unsubscribe, /subscriptions."""
        return [
            Command("subscribe", self.subscribe, N_("Subscribe to update notices")),
            Command("unsubscribe", self.unsubscribe, N_("Stop update notices")),
            Command("subscriptions", self.show, N_("Your subscriptions")),
        ]

    def buttons(self) -> dict[str, ButtonHandler]:
        """s: subscribe, u: unsubscribe, d: delivery mode, n: open a notice."""
        return {"s": self.press_subscribe, "u": self.press_unsubscribe, "d": self.set_mode,
                "n": self.open_notice}

    # commands -------------------------------------------------------------------------------

    def subscribe(self, turn: Turn, args: str) -> list[Reply]:
        """``/subscribe`` shows the topics; ``/subscribe all`` or ``/subscribe <topic>`` at once."""
        return self._command(turn, args, self._add) if args.strip() else [self.panel(turn)]

    def unsubscribe(self, turn: Turn, args: str) -> list[Reply]:
        """``/unsubscribe`` stops all notices; ``/unsubscribe <topic>`` one topic."""
        return self._command(turn, args, self._remove)

    def show(self, turn: Turn, _args: str) -> list[Reply]:
        """The subscriptions and the buttons to change them."""
        return [self.panel(turn)]

    # buttons --------------------------------------------------------------------------------

    def press_subscribe(self, turn: Turn, topic: str) -> list[Reply]:
        """``s:<topic>`` / ``s:*``."""
        return self._press(turn, topic, self._add)

    def press_unsubscribe(self, turn: Turn, topic: str) -> list[Reply]:
        """``u:<topic>`` / ``u:*`` (everything)."""
        return self._press(turn, topic, self._remove)

    def set_mode(self, turn: Turn, mode: str) -> list[Reply]:
        """``d:instant`` / ``d:weekly``: each notice at once, or a digest on Mondays."""
        if mode not in MODES:
            return [Reply("", toast=turn._("This button is out of date."))]
        chosen = cast(DeliveryMode, mode)
        now = datetime.now(UTC)
        turn.store.set_delivery_mode(turn.user.chat_id, chosen, now=now,
                                     digest_at=next_digest_at(now))
        return [self.panel(turn, toast=self._mode_text(turn, chosen))]

    def open_notice(self, turn: Turn, notice_id: str) -> list[Reply]:
        """``n:<id>``: a published notice in full (from the digest)."""
        notice = turn.kb.notices.get(notice_id)
        if notice is None or not published(notice):
            return [Reply("", toast=turn._("This notice is no longer available."))]
        return [notice_reply(turn, notice)]

    # helpers --------------------------------------------------------------------------------

    def _command(self, turn: Turn, args: str, change: Change) -> list[Reply]:
        """Apply ``change`` to the topic named in ``args`` (all when none); show the result."""
        topic = args.strip().lower() or ALL_TOPICS
        if not _known(turn, topic):
            return [self.panel(turn, turn._("There is no topic “{topic}”.", topic=args.strip()))]
        return [self.panel(turn, change(turn, topic))]

    def _press(self, turn: Turn, topic: str, change: Change) -> list[Reply]:
        """Apply ``change`` to a button's topic; the result is the toast."""
        if not _known(turn, topic):
            return [Reply("", toast=turn._("This button is out of date."))]
        return [self.panel(turn, toast=change(turn, topic))]

    def _covered(self, turn: Turn) -> set[str]:
        """The topics whose notices the user gets (every topic for an all-topics subscription)."""
        subscribed = turn.store.subscriptions(turn.user.chat_id)
        return set(turn.kb.topics) if ALL_TOPICS in subscribed else subscribed

    def _add(self, turn: Turn, topic: str) -> str:
        chat_id = turn.user.chat_id
        turn.store.set_active(chat_id, True)  # someone writing to the bot has not blocked it
        if topic in ALL_WORDS:
            turn.store.set_subscriptions(chat_id, {ALL_TOPICS})
            return turn._("You are subscribed to notices on all topics.")
        subscribed = turn.store.subscriptions(chat_id)
        if ALL_TOPICS not in subscribed:  # else the topic is covered already
            turn.store.set_subscriptions(chat_id, subscribed | {topic})
        return turn._("You are subscribed to “{topic}”.",
                      topic=turn.kb.topics[topic].names[turn.lang])

    def _remove(self, turn: Turn, topic: str) -> str:
        if topic in ALL_WORDS:
            turn.store.set_subscriptions(turn.user.chat_id, ())
            return turn._("You will get no more notices.")
        turn.store.set_subscriptions(turn.user.chat_id, self._covered(turn) - {topic})
        return turn._("You are unsubscribed from “{topic}”.",
                      topic=turn.kb.topics[topic].names[turn.lang])

    def _mode_text(self, turn: Turn, mode: DeliveryMode) -> str:
        if mode == "weekly":
            return turn._("Notices come as a weekly digest, on Mondays at 09:00 (Astana time).")
        return turn._("Each notice comes as soon as it is published.")

    def panel(self, turn: Turn, note: str | None = None, *, toast: str | None = None) -> Reply:
        """What the user is subscribed to, with a button per topic and per delivery mode."""
        _ = turn._
        chat_id = turn.user.chat_id
        subscribed = turn.store.subscriptions(chat_id)
        covered = self._covered(turn)
        mode = turn.store.delivery_mode(chat_id)
        if ALL_TOPICS in subscribed:
            status = _("You get notices on all topics, new ones included.")
        elif covered:
            names = ", ".join(t.names[turn.lang] for k, t in turn.kb.topics.items() if k in covered)
            status = _("You get notices on: {topics}.", topics=names)
        else:
            status = _("You are not subscribed to update notices.")
        text = "\n\n".join(part for part in (
            escape(note) if note else "", escape(status),
            escape(self._mode_text(turn, mode)) if covered else "",
            _("Press a topic to subscribe or unsubscribe:")) if part)
        tick = "✅ "
        everything = ALL_TOPICS in subscribed
        rows = [(Button(tick * everything + _("All topics"),
                        f"{'u' if everything else 's'}:{ALL_TOPICS}"),)]
        rows += [(Button(tick * (key in covered) + topic.names[turn.lang],
                         f"{'u' if key in covered else 's'}:{key}"),)
                 for key, topic in turn.kb.topics.items()]
        rows.append((Button(tick * (mode == "instant") + _("At once"), "d:instant"),
                     Button(tick * (mode == "weekly") + _("Weekly digest"), "d:weekly")))
        return Reply(text, tuple(rows), toast=toast)


class NoticeAdmin:
    """The admins' commands: /notices, /preview, /send (after a confirm button), /stats."""

    def commands(self) -> list[Command]:
        """Admin-only commands (hidden from everyone else)."""
        return [
            Command("notices", self.notices, N_("Notices: upcoming and sent"), admin=True),
            Command("preview", self.preview, N_("Preview a notice: /preview <id>"), admin=True),
            Command("send", self.send, N_("Send a notice now: /send <id>"), admin=True),
            Command("stats", self.stats, N_("Users, subscribers and deliveries"), admin=True),
        ]

    def buttons(self) -> dict[str, ButtonHandler]:
        """x: confirm sending a notice now."""
        return {"x": self.confirm_send}

    def notices(self, turn: Turn, _args: str) -> list[Reply]:
        """Upcoming notices, due ones, and sent ones with their delivery counts."""
        _ = turn._
        counts = turn.store.delivery_counts()
        enqueued = turn.store.enqueued_notices()
        now = datetime.now(UTC)
        sections: dict[NoticeStatus, list[str]] = {"upcoming": [], "due": [], "enqueued": []}
        for notice in sorted(turn.kb.notices.values(), key=lambda n: (n.publish_at, n.id)):
            status = notice_status(notice, enqueued, now)
            line = f"- {notice.id} {local_time(notice.publish_at)}"
            if status == "enqueued":
                line += ": " + (_states(turn, counts[notice.id]) or _("no subscribers"))
            sections[status].append(line)
        titles = {"upcoming": _("**Upcoming**"), "due": _("**Due, being enqueued**"),
                  "enqueued": _("**Sent**")}
        text = "\n\n".join(titles[status] + "\n" + "\n".join(lines)
                            for status, lines in sections.items() if lines)
        return [Reply(text or _("There are no notices."))]

    def preview(self, turn: Turn, args: str) -> list[Reply]:
        """``/preview <id>``: the notice as subscribers will get it, to the admin only."""
        notice = self._notice(turn, args)
        return [notice_reply(turn, notice)] if isinstance(notice, Notice) else notice

    def send(self, turn: Turn, args: str) -> list[Reply]:
        """``/send <id>``: ask for confirmation before sending the notice to its subscribers."""
        notice = self._notice(turn, args)
        if not isinstance(notice, Notice):
            return notice
        if notice.id in turn.store.enqueued_notices():
            return [Reply(turn._("The notice {id} has already been sent.", id=notice.id))]
        question = turn._("Send the notice {id} to its subscribers now?", id=notice.id)
        return [Reply(question, ((Button(turn._("Send now"), f"x:{notice.id}"),),))]

    def confirm_send(self, turn: Turn, notice_id: str) -> list[Reply]:
        """``x:<id>``: enqueue the notice for every subscriber; the sender delivers it."""
        notice = turn.kb.notices.get(notice_id)
        if not turn.user.is_admin or notice is None:
            return [Reply("", toast=turn._("This button is out of date."))]
        created = publish(turn.store, notice, datetime.now(UTC), DEFAULT_LANG)
        if created is None:
            text = turn._("The notice {id} has already been sent.", id=notice.id)
        else:
            text = turn._("The notice {id} is on its way. Recipients: {count}.", id=notice.id,
                          count=created)
        return [Reply(text, toast=text)]

    def stats(self, turn: Turn, _args: str) -> list[Reply]:
        """Users, subscribers, and delivery totals by state."""
        _ = turn._
        users, subscribers = turn.store.count_users(), turn.store.count_subscribers()
        totals = dict.fromkeys(DELIVERY_STATES, 0)
        for counts in turn.store.delivery_counts().values():
            for state, count in counts.items():
                totals[state] += count
        lines = [
            _("Users: {users}, active: {active}.", **users),
            _("Subscribers: {subscribers}, of them weekly digest: {weekly}.", **subscribers),
            _("Deliveries:") + " " + _states(turn, totals),
        ]
        return [Reply("\n".join(lines))]

    def _notice(self, turn: Turn, args: str) -> Notice | list[Reply]:
        """The notice named in ``args``, or the reply saying how to name one."""
        notice = turn.kb.notices.get(args.strip())
        if notice is not None:
            return notice
        ids = ", ".join(turn.kb.notices) or "—"
        return [Reply(turn._("Name a notice: one of {ids}.", ids=ids))]
