"""An entry as the dialog shows it: its answer with sources, and buttons that open it."""

from __future__ import annotations

from collections.abc import Iterable

from bot.dialog.reply import Button
from bot.dialog.turn import Turn
from bot.kb import Entry, Lang, Source
from bot.kb.markup import escape

MAX_RELATED = 3
LABEL_LIMIT = 60


def button_label(text: str) -> str:
    """``text`` on one line, at most LABEL_LIMIT characters: cut at a word's end ("…")."""
    text = " ".join(text.split())
    if len(text) <= LABEL_LIMIT:
        return text
    cut = text[: LABEL_LIMIT - 1]
    if text[LABEL_LIMIT - 1] != " ":  # the cut falls inside a word: end before it
        space = cut.rfind(" ")
        if space > LABEL_LIMIT // 2:  # else one very long word: cut inside it
            cut = cut[:space]
    return cut.rstrip(" ,;:—-") + "…"


def entry_label(entry: Entry, lang: Lang) -> str:
    """A button label for an entry: its first way of asking, shortened."""
    return button_label(entry.questions(lang)[0])


def entry_button(entry: Entry, lang: Lang) -> Button:
    """A button that opens ``entry``."""
    return Button(entry_label(entry, lang), f"e:{entry.id}")


def source_list(turn: Turn, sources: Iterable[Source]) -> str:
    """``sources`` as a list, one line each, titles in the turn's language (markup)."""
    lines = []
    for source in sources:
        title = escape(source.title[turn.lang])
        if source.article:
            title += f", {escape(source.article[turn.lang])}"
        link = source.link(turn.lang)
        lines.append(f"- [{title}]({link})" if link else f"- {title}")
    return "\n".join(lines)


def with_sources(turn: Turn, text: str, sources: Iterable[Source]) -> str:
    """``text`` followed by one block listing ``sources``, in the turn's language (markup)."""
    return f"{text}\n\n" + turn._("**Sources:**") + "\n" + source_list(turn, sources)


def entry_text(turn: Turn, entry: Entry) -> str:
    """The entry's answer followed by its sources, in the turn's language (markup)."""
    return with_sources(turn, entry.answer(turn.lang), entry.sources)
