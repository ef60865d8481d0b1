"""The question-and-answer feature: answers, abstentions, /start, /topics, /language, help."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.dialog.core import ButtonHandler, Command, Turn
from bot.dialog.reply import Button, InlineResult, Reply, UserRef
from bot.i18n import LANGUAGE_NAMES, N_
from bot.kb import LANGS, Entry
from bot.kb.markup import escape, to_plain

if TYPE_CHECKING:
    from bot.dialog.core import Dialog

ABOUT_ENTRY = "about-bot"
REPORT_ENTRY = "report-corruption"
MAX_RELATED = 3
MAX_EXAMPLES = 3
LABEL_LIMIT = 60
INLINE_LIMIT = 10


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rstrip() + "…"


def entry_label(entry: Entry, lang: str) -> str:
    """A button label for an entry: its first way of asking, shortened."""
    return _label(entry.questions(lang)[0])  # type: ignore[arg-type]


def entry_button(entry: Entry, lang: str) -> Button:
    """A button that opens ``entry``."""
    return Button(entry_label(entry, lang), f"e:{entry.id}")


def entry_text(turn: Turn, entry: Entry) -> str:
    """The entry's answer followed by its sources, in the turn's language (markup)."""
    _ = turn._
    lines = []
    for source in entry.sources:
        title = escape(source.title[turn.lang])
        if source.article:
            title += f", {escape(source.article[turn.lang])}"
        lines.append(f"- [{title}]({source.url})" if source.url else f"- {title}")
    sources = _("**Sources:**") + "\n" + "\n".join(lines)
    return f"{entry.answer(turn.lang)}\n\n{sources}"


class Answers:
    """Answers questions from the knowledge base and lets people browse it."""

    def commands(self) -> list[Command]:
        """/start, /help, /about, /language, /topics."""
        return [
            Command("start", self.start, N_("Start and see example questions")),
            Command("topics", self.topics, N_("Browse questions by topic")),
            Command("language", self.language, N_("Change the language")),
            Command("help", self.help, N_("How to use the bot")),
            Command("about", self.about, N_("About the bot (not legal advice)")),
        ]

    def buttons(self) -> dict[str, ButtonHandler]:
        """e: open an entry, f: feedback, l: language, t: topic."""
        return {"e": self.open_entry, "f": self.feedback, "l": self.set_language,
                "t": self.open_topic}

    # questions ------------------------------------------------------------------------------

    def question(self, dialog: Dialog, user: UserRef, text: str) -> list[Reply]:
        """Answer free text: small talk, a matched entry, or an honest "I don't know"."""
        if not text:
            turn = dialog.turn(user, dialog.language(user))
            return [Reply(turn._("Please type your question in words."))]
        result = dialog.library.matcher.match(text)
        turn = dialog.turn(user, dialog.language(user, result.lang))
        entry = turn.kb.get(result.entry_id) if result.entry_id else None
        if entry is not None:
            return [self.entry_reply(turn, entry)]
        if result.smalltalk:
            return [self.smalltalk(turn, result.smalltalk)]
        return self.abstain(turn, result.suggestions, case=result.case_signal)

    def smalltalk(self, turn: Turn, kind: str) -> Reply:
        """A reply to a greeting, thanks or "what can you do"."""
        _ = turn._
        if kind == "thanks":
            return Reply(_("You are welcome! Ask another question any time."))
        text = _("Hello! I answer questions about Kazakhstan's anti-corruption rules. "
                 "Ask in your own words, in Kazakh, Russian or English.")
        if kind == "capabilities":
            text = self._help_text(turn)
        return Reply(text, self._example_buttons(turn))

    def entry_reply(self, turn: Turn, entry: Entry) -> Reply:
        """An entry's answer with its sources, related entries and feedback buttons."""
        rows: list[tuple[Button, ...]] = []
        for related_id in entry.related[:MAX_RELATED]:
            related = turn.kb.get(related_id)
            if related is not None:
                rows.append((entry_button(related, turn.lang),))
        rows.append((Button("👍", f"f:+:{entry.id}"), Button("👎", f"f:-:{entry.id}")))
        return Reply(entry_text(turn, entry), tuple(rows))

    def abstain(self, turn: Turn, suggestions: tuple[str, ...], *, case: bool) -> list[Reply]:
        """The honest "I don't know", with nearest topics and, for a real case, the contacts."""
        _ = turn._
        entries = [e for e in (turn.kb.get(s) for s in suggestions) if e is not None]
        text = _("Sorry, I don't know the answer to that one.")
        if entries:
            text += "\n\n" + _("Maybe you meant one of these:")
        text += "\n\n" + _("Try rephrasing, or browse the questions with /topics.")
        replies = [Reply(text, tuple((entry_button(e, turn.lang),) for e in entries[:3]))]
        report = turn.kb.get(REPORT_ENTRY)
        if case and report is not None:
            replies.append(Reply(_("If you are facing a real case, here is where to turn:")
                                 + "\n\n" + entry_text(turn, report)))
        return replies

    def inline(self, turn: Turn, query: str) -> list[InlineResult]:
        """Entries matching an inline query, as results to share."""
        results = []
        for entry_id, _score in turn.matcher.search(query, INLINE_LIMIT):
            entry = turn.kb.get(entry_id)
            if entry is None:
                continue
            preview = " ".join(to_plain(entry.answer(turn.lang)).split())
            results.append(InlineResult(
                id=f"{entry.id}:{turn.lang}", title=entry_label(entry, turn.lang),
                description=preview[:120], text=entry_text(turn, entry)))
        return results

    # commands -------------------------------------------------------------------------------

    def start(self, turn: Turn, payload: str) -> list[Reply]:
        """Greet and show example questions; ``/start <entry-id>`` opens that entry."""
        turn.store.set_active(turn.user.chat_id, True)
        if payload:
            entry = turn.kb.get(payload.strip())
            if entry is not None:
                return [self.entry_reply(turn, entry)]
        _ = turn._
        text = _("Hello! I am Adal. I answer questions about Kazakhstan's anti-corruption "
                 "rules: provocation by officials, the ban on gifts, relatives in one agency, "
                 "compliance, attacks on officers.") + "\n\n" + _(
                 "Ask in your own words, in Kazakh, Russian or English. For example:")
        return [Reply(text, self._example_buttons(turn))]

    def help(self, turn: Turn, _args: str) -> list[Reply]:
        """How to use the bot."""
        return [Reply(self._help_text(turn))]

    def about(self, turn: Turn, _args: str) -> list[Reply]:
        """The about-bot entry (what the bot is; not legal advice)."""
        entry = turn.kb.get(ABOUT_ENTRY)
        if entry is None:
            return [Reply(self._help_text(turn))]
        return [self.entry_reply(turn, entry)]

    def language(self, turn: Turn, args: str) -> list[Reply]:
        """``/language`` shows the choices; ``/language kk`` switches at once."""
        choice = args.strip().lower()
        if choice in LANGS:
            return self.set_language(turn, choice)
        buttons = tuple(Button(LANGUAGE_NAMES[lang], f"l:{lang}") for lang in LANGS)
        return [Reply(turn._("Choose your language:"), (buttons,))]

    def topics(self, turn: Turn, _args: str) -> list[Reply]:
        """The topics, as buttons."""
        rows = tuple((Button(t.names[turn.lang], f"t:{key}"),) for key, t in turn.kb.topics.items()
                     if turn.kb.by_topic(key))
        return [Reply(turn._("Choose a topic:"), rows)]

    def unknown_command(self, turn: Turn) -> list[Reply]:
        """The reply to a command the bot does not have."""
        return [Reply(turn._("I don't know this command.") + "\n\n" + self._help_text(turn))]

    # buttons --------------------------------------------------------------------------------

    def open_entry(self, turn: Turn, entry_id: str) -> list[Reply]:
        """``e:<id>``: show an entry."""
        entry = turn.kb.get(entry_id)
        if entry is None:
            return [Reply("", toast=turn._("This question is no longer in the base."))]
        return [self.entry_reply(turn, entry)]

    def feedback(self, turn: Turn, payload: str) -> list[Reply]:
        """``f:+:<id>`` / ``f:-:<id>``: store a vote on an answer."""
        sign, _, entry_id = payload.partition(":")
        entry_id = turn.kb.resolve(entry_id) or entry_id
        if sign not in "+-" or not sign or not entry_id:
            return [Reply("", toast=turn._("This button is out of date."))]
        turn.store.add_feedback(turn.user.chat_id, entry_id, 1 if sign == "+" else -1, turn.lang)
        return [Reply("", toast=turn._("Thank you for the feedback!"))]

    def set_language(self, turn: Turn, lang: str) -> list[Reply]:
        """``l:<lang>``: store the language choice and confirm in it."""
        if lang not in LANGS:
            return [Reply("", toast=turn._("This button is out of date."))]
        turn.store.set_language(turn.user.chat_id, lang)  # type: ignore[arg-type]
        message = turn.in_lang(lang)._("From now on I will answer in English.")  # type: ignore[arg-type]
        return [Reply(message, toast=message)]

    def open_topic(self, turn: Turn, key: str) -> list[Reply]:
        """``t:<topic>``: the entries of a topic, as buttons."""
        topic = turn.kb.topics.get(key)
        entries = turn.kb.by_topic(key)
        if topic is None or not entries:
            return self.topics(turn, "")
        rows = tuple((entry_button(e, turn.lang),) for e in entries)
        return [Reply(f"**{escape(topic.names[turn.lang])}**", rows)]

    # helpers --------------------------------------------------------------------------------

    def _example_buttons(self, turn: Turn) -> tuple[tuple[Button, ...], ...]:
        examples = []
        for key in turn.kb.topics:
            entries = turn.kb.by_topic(key)
            if entries:
                examples.append((entry_button(entries[0], turn.lang),))
            if len(examples) == MAX_EXAMPLES:
                break
        return tuple(examples)

    def _help_text(self, turn: Turn) -> str:
        _ = turn._
        return "\n".join([
            _("Ask your question in your own words, in Kazakh, Russian or English."),
            "",
            _("/topics — browse questions by topic"),
            _("/language — change the language"),
            _("/about — about the bot"),
            "",
            _("I give general information with its sources, not legal advice."),
        ])
