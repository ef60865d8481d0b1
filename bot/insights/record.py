"""Recording what users ask (called by the dialog after each match), with the version of the
base that answered."""

from __future__ import annotations

from bot.matching import MatchResult
from bot.store import Store


def record_question(store: Store, base: str, chat_id: int, text: str, result: MatchResult) -> None:
    """Keep a question the matcher answered or could not answer (not small talk), its text
    redacted by the store before it is written, with ``base``, the live base's version (the
    one the reload messages name, :func:`bot.library.base_version`)."""
    if result.smalltalk:
        return
    store.record_question(
        chat_id,
        text,
        lang=result.lang,
        entry_id=result.entry_id,
        offered=() if result.entry_id else result.suggestions,
        confidence=result.score,
        base=base,
    )
