"""Votes on answers: one 👍 or 👎 per answer (the other one pressed later replaces it), and
after a 👎 one optional question, "What was missing?", whose typed reply is kept for the
maintainers without personal data."""

from __future__ import annotations

from datetime import timedelta

from bot.dialog.reply import Button, Reply
from bot.dialog.turn import Turn
from bot.kb import Entry
from bot.redact import redact

PREFIX = "f"
VOTES = {"+": 1, "-": -1}
COMMENT_TIMEOUT = timedelta(minutes=30)  # a reply later than this is no answer to the question
COMMENT_LIMIT = 1000  # characters of a comment kept


def vote_buttons(entry: Entry) -> tuple[Button, ...]:
    """👍 and 👎 for the answer on ``entry``."""
    return tuple(
        Button(label, f"{PREFIX}:{sign}:{entry.id}") for sign, label in (("+", "👍"), ("-", "👎"))
    )


_TYPED = {"👍": "+", "👎": "-"}
_SKIN_TONES = "\ufe0f" + "".join(map(chr, range(0x1F3FB, 0x1F400)))


def typed_vote(text: str) -> str | None:
    """The sign of a vote typed as a message ("👍", "👎🏽"), or None for any other text."""
    return _TYPED.get(text.strip().rstrip(_SKIN_TONES))


def vote_by_message(turn: Turn, entry: Entry, sign: str) -> list[Reply]:
    """A 👍 or 👎 typed as a message: a vote on the answer just given, thanked in words (there
    is no button to change)."""
    first, *rest = vote(turn, entry, sign)
    return [Reply(first.toast or ""), *rest]


def vote(turn: Turn, entry: Entry, sign: str) -> list[Reply]:
    """Store the user's vote on ``entry``, in place of their other one on it; the same vote
    again is not counted twice. The answer's vote buttons give way to a thank-you, its other
    buttons staying as they are; a 👎 asks what was missing, a 👍 no longer waits for that."""
    _ = turn._
    if not turn.store.add_feedback(turn.user.chat_id, entry.id, VOTES[sign], turn.lang):
        return [Reply("", toast=_("You have already rated this answer."))]
    if sign == "+":  # no "What was missing?" waits after a 👍 (a 👎 changed to one)
        turn.store.drop_comment_request(turn.user.chat_id)
    thanks = _("Thank you for the feedback!")
    done = Button(f"✓ {thanks}", f"{PREFIX}:{sign}:{entry.id}")  # pressed again: already rated
    replies = [Reply("", ((done,),), toast=thanks, edit=True, in_place=True)]
    if sign == "-":
        turn.store.ask_comment(turn.user.chat_id, entry.id, turn.lang)
        replies.append(
            Reply(
                _(
                    "What was missing? Write it in one message: I will pass it on to the "
                    "people who maintain the answers, without your personal data."
                )
            )
        )
    return replies


def take_comment(turn: Turn, text: str, answered: str | None, *, asked: bool) -> str | None:
    """Keep ``text``, personal data removed (its first ``COMMENT_LIMIT`` characters), when it
    answers the user's open "What was missing?"; the thanks for it when it was kept (saying
    so when it was cut), else None. A message the base answers with another entry than the
    one rated (``answered``: "а жене можно?" or "what is Art. 412-1?" after the gift ban), or
    a question read as a follow-up of the last answer (``asked``: "а сколько лет?"), is a new
    question, not a comment: the request is dropped. One answered with the rated entry itself
    names what it is about, and is kept."""
    if asked:
        turn.store.drop_comment_request(turn.user.chat_id)
        return None
    if answered is not None:  # only then does the request's entry matter: read it once
        rated = turn.store.comment_request(turn.user.chat_id)
        if rated is None:
            return None
        if rated != answered:
            turn.store.drop_comment_request(turn.user.chat_id)
            return None
    clean = redact(text)
    kept = clean[:COMMENT_LIMIT]
    if turn.store.add_comment(turn.user.chat_id, kept, max_age=COMMENT_TIMEOUT) is None:
        return None
    thanks = turn._("Thank you! I passed it on to the people who maintain the answers.")
    if len(clean) > COMMENT_LIMIT:
        thanks += " " + turn._("I kept its first {limit} characters.", limit=COMMENT_LIMIT)
    return thanks
