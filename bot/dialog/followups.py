"""Follow-ups: a short message read with the answer the user was just shown ("а жена?" after
the gift ban asks about the family rule), and what a typed 👍 or 👎 is about."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.dialog.turn import Turn
from bot.kb import Entry
from bot.matching import MatchResult

FOLLOW_UP_WORDS = 4  # a message of up to this many words may follow up the last answer
FOLLOW_UP_TIMEOUT = timedelta(minutes=10)  # ... sent within this time of it


def last_answer(turn: Turn) -> Entry | None:
    """The entry the user was shown last (typed or opened), if within FOLLOW_UP_TIMEOUT."""
    last = turn.store.recent_answer(turn.user.chat_id, max_age=FOLLOW_UP_TIMEOUT)
    return turn.kb.get(last) if last else None


def in_context(turn: Turn, text: str, result: MatchResult) -> MatchResult:
    """``result``; or, for a short follow-up of the last answer that the matcher cannot
    answer alone ("and my wife?" after the gift ban), the entry it asks for read after that
    answer's question: another entry of the same topic, one the follow-up's own words suggest
    too. The same answer again, or another topic, is no follow-up."""
    if result.entry_id or result.smalltalk or not result.suggestions:
        return result
    if len(text.split()) > FOLLOW_UP_WORDS:
        return result
    entry = last_answer(turn)
    if entry is None or result.lang not in entry.texts:
        return result
    found = turn.matcher.match(f"{entry.questions(result.lang)[0]} {text}")
    if (
        found.entry_id is None
        or found.entry_id == entry.id
        or found.entry_id not in result.suggestions
        or turn.kb.entries[found.entry_id].topic != entry.topic
    ):
        return result
    return replace(found, lang=result.lang)
