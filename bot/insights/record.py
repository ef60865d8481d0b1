"""Recording what users ask (called by the dialog after each match), and the version of the
base each row names."""

from __future__ import annotations

import hashlib
import weakref

from bot.kb.model import LANGS, KnowledgeBase
from bot.matching import MatchResult
from bot.store import Store

VERSION_DIGITS = 7  # of the content hash, as in a short git commit id
_versions: dict[int, tuple[weakref.ref[KnowledgeBase], str]] = {}


def content_version(kb: KnowledgeBase) -> str:
    """A short hash of the entries' ids, questions and answers: rows that name the same
    version were answered by the same base (computed once per base object)."""
    cached = _versions.get(id(kb))
    if cached is not None and cached[0]() is kb:
        return cached[1]
    digest = hashlib.sha256()
    for entry in sorted(kb.entries.values(), key=lambda e: e.id):
        digest.update(entry.id.encode() + b"\0")
        for lang in LANGS:
            text = entry.texts.get(lang)
            if text is not None:
                digest.update("\0".join((lang, *text.questions, text.answer)).encode() + b"\0")
    version = digest.hexdigest()[:VERSION_DIGITS]
    for key in [k for k, (ref, _) in _versions.items() if ref() is None]:
        del _versions[key]
    _versions[id(kb)] = (weakref.ref(kb), version)
    return version


def record_question(
    store: Store, kb: KnowledgeBase, chat_id: int, text: str, result: MatchResult
) -> None:
    """Keep a question the matcher answered or could not answer (not small talk), its text
    redacted by the store before it is written."""
    if result.smalltalk:
        return
    store.record_question(
        chat_id,
        text,
        lang=result.lang,
        entry_id=result.entry_id,
        offered=() if result.entry_id else result.suggestions,
        confidence=result.score,
        base=content_version(kb),
    )
