"""The messages about an experts' case, in the reader's language: the case as an expert sees
it (with its status and the "Take it" button), an expert's answer as its asker sees it, the
reminder, the word that nobody answered in time (with the official contacts), and each row of
the case mail as the message (or edit) it stands for."""

from __future__ import annotations

from datetime import timedelta

from bot.dialog.answers import REPORT_ENTRY
from bot.dialog.entries import entry_label, entry_text
from bot.dialog.reply import Button, Outgoing, Reply, UserRef
from bot.dialog.turn import Turn, Turns
from bot.i18n import LANGUAGE_NAMES
from bot.kb.markup import escape
from bot.store import OPEN_STATES, Case, CaseMailRow, Store

ASKER = "a"  # button prefixes: the asker's and the experts'
EXPERT = "c"


def hours(wait: timedelta) -> int:
    """A waiting time in whole hours, as the messages say it (at least 1)."""
    return max(1, round(wait.total_seconds() / 3600))


def take_button(turn: Turn, case: Case) -> Button:
    """The expert's "Take it" button for ``case``."""
    return Button(turn._("✋ Take it"), f"{EXPERT}:t:{case.id}")


def _status(turn: Turn, case: Case, viewer: int) -> str:
    """What ``case`` is now, to the expert keyed ``viewer``."""
    _ = turn._
    if case.state == "waiting":
        return _(
            "Press “Take it” to answer. Then reply to this message: your answer goes to the "
            "asker signed “an expert”. Neither of you sees the other's name."
        )
    if case.state == "withdrawn":
        return _("✖ The asker withdrew this question.")
    if case.expert_uid != viewer:
        return _("✋ Another expert took this case.")
    if case.state == "answered":
        return _("✅ You answered this case.")
    return _("✅ You took this case. Reply to this message with your answer.")


def case_reply(turn: Turn, case: Case, viewer: int) -> Reply:
    """The case as the expert keyed ``viewer`` sees it: its number and language, the question
    (personal data removed), the nearest entries of the base, its status."""
    _ = turn._
    parts = [
        _("**Case #{number}** · {language}", number=case.id, language=LANGUAGE_NAMES[case.lang]),
        escape(case.text),
    ]
    nearest = [e for e in (turn.kb.get(i) for i in case.nearest) if e is not None]
    if nearest:
        parts.append(
            _("Nearest entries in the base:")
            + "".join(f"\n- {escape(entry_label(e, turn.lang))} ({e.id})" for e in nearest)
        )
    parts.append(_status(turn, case, viewer))
    buttons = ((take_button(turn, case),),) if case.state == "waiting" else ()
    return Reply("\n\n".join(parts), buttons)


def answer_reply(turn: Turn, case: Case, answer: str) -> Reply:
    """An expert's answer as its asker sees it, signed "an expert", with the buttons to reply
    once and to say whether it helped (while they may)."""
    _ = turn._
    text = (
        _("**Case #{number}** · an expert answers:", number=case.id)
        + "\n\n"
        + escape(answer)
        + "\n\n"
        + _("This is an expert's opinion in general terms, not legal advice.")
    )
    rows: list[tuple[Button, ...]] = []
    if case.followups == 0:
        text += " " + _("You can reply to the expert once, and tell them whether it helped.")
        rows.append((Button(_("✍️ Reply to the expert"), f"{ASKER}:r:{case.id}"),))
    if case.helped is None:
        rows.append(
            (
                Button(_("👍 It helped"), f"{ASKER}:h:{case.id}:1"),
                Button(_("👎 It did not help"), f"{ASKER}:h:{case.id}:0"),
            )
        )
    return Reply(text, tuple(rows))


def timeout_reply(turn: Turn, case: Case, wait: timedelta) -> Reply:
    """The asker told that no expert answered within ``wait``, with the official contacts of
    the base (never others) and a button to withdraw the question."""
    _ = turn._
    text = _(
        "**Case #{number}**: no expert has answered within {hours} h. Your question stays with "
        "them: if one answers later, I will pass the answer on here.",
        number=case.id,
        hours=hours(wait),
    )
    report = turn.kb.get(REPORT_ENTRY)
    if report is not None:
        text += "\n\n" + _("Meanwhile, here is where to turn officially:")
        text += "\n\n" + entry_text(turn, report)
    return Reply(text, ((withdraw_button(turn, case),),))


def withdraw_button(turn: Turn, case: Case) -> Button:
    """The asker's button to withdraw ``case``."""
    return Button(turn._("Withdraw case #{number}", number=case.id), f"{ASKER}:w:{case.id}")


def render_mail(turns: Turns, row: CaseMailRow, wait: timedelta) -> Outgoing | None:
    """The message (or edit) a row of the case mail stands for, made as it is sent (the case
    as it is now); None when there is nothing to send any more."""
    turn = turns.turn(UserRef(row.chat_id), row.lang)
    _, store = turn._, turn.store
    if row.kind == "erased":
        text = _("Case #{number} was deleted at the asker's request.", number=row.case_id)
        return Outgoing(Reply(text), edit=row.target)
    case = store.case(row.case_id)
    if case is None:
        return None
    if row.kind == "answer":
        return Outgoing(answer_reply(turn, case, row.body))
    if row.kind == "timeout":
        return Outgoing(timeout_reply(turn, case, wait)) if case.state in OPEN_STATES else None
    return _to_expert(turn, store, case, row, wait)


def _to_expert(
    turn: Turn, store: Store, case: Case, row: CaseMailRow, wait: timedelta
) -> Outgoing | None:
    """A message about ``case`` to an expert: the case, an edit of it, or a reply to it."""
    _ = turn._
    viewer = store.uid(row.chat_id)
    if row.kind == "case":
        return Outgoing(case_reply(turn, case, viewer))
    shown = store.case_message(case.id, row.chat_id)
    if shown is None:
        return None  # the expert never got the case (not started the bot, say)
    if row.kind == "status":
        return Outgoing(case_reply(turn, case, viewer), edit=shown)
    if row.kind == "followup":
        text = (
            _("**Case #{number}** · the asker replies:", number=case.id)
            + "\n\n"
            + escape(row.body)
            + "\n\n"
            + _("Reply to this message to answer once more.")
        )
        return Outgoing(Reply(text), reply_to=shown)
    if row.kind == "rating":
        if row.body == "1":
            text = _("Case #{number}: the asker says your answer helped. 👍", number=case.id)
        else:
            text = _("Case #{number}: the asker says your answer did not help. 👎", number=case.id)
        return Outgoing(Reply(text), reply_to=shown)
    if case.state not in OPEN_STATES:  # a reminder of a case answered meanwhile
        return None
    text = _(
        "⏰ Case #{number} has been waiting for an answer for {hours} h.",
        number=case.id,
        hours=hours(wait),
    )
    if case.state == "waiting":
        return Outgoing(Reply(text, ((take_button(turn, case),),)), reply_to=shown)
    return Outgoing(Reply(text + " " + _("Reply to the case message to answer.")), reply_to=shown)
