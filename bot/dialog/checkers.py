"""Situation checkers in the conversation: /check lists them, each step is a question with
answer buttons, each path ends in an outcome (what the rule means for this case, what to do,
whom to contact, the sources).

A button carries the checker and the choices made from the start (one digit each, far below
Telegram's 64 bytes), so "back" is the same choices less the last. The store keeps each user's
open checker: it survives a restart, and a button of a checker that was closed (by /cancel, by
a new question, or after FLOW_TIMEOUT) no longer acts. While the list of checks is on the
screen, the store keeps it (MENU) with the check it was shown over, "<checker>:<choices>", which
is open again when the list is closed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.dialog.choices import (
    begins_label,
    named_option,
    no_such_button,
    readings,
    typed_number,
    typed_option,
)
from bot.dialog.entries import MAX_RELATED, entry_button, with_sources
from bot.dialog.reply import Button, InlineResult, Reply
from bot.dialog.turn import ButtonHandler, Command, Feature, Turn
from bot.i18n import N_
from bot.kb import LANGS, Lang
from bot.kb.markup import escape
from bot.kb.model import Checker, CheckerOutcome, CheckerStep
from bot.matching.normalize import words

PREFIX = "k"
CANCEL = "kx"
MENU = "*"  # the open "checker" while the list of checks is on the screen: typing names one
BACK_TO_CHECK = N_("▶ Back to the check (question {number})")
FLOW_TIMEOUT = timedelta(minutes=30)  # an open checker untouched this long is abandoned
BACK = N_("◀ Back")  # a step's control buttons, pressed or typed ("назад", "cancel")
CANCEL_BUTTON = N_("✖ Cancel")
TOPIC_WORDS = 2  # a message of at most this many words at the list of checks may name a topic
STEP_AGAIN_WORDS = 7  # words the base cannot answer, this few and asking nothing: the step again


def start_button(turn: Turn, checker: Checker) -> Button:
    """A button that starts ``checker`` from its first question."""
    return Button(checker.title[turn.lang], f"{PREFIX}:{checker.id}:")


def _checker_of(turn: Turn, topic: str) -> Checker | None:
    """The step-by-step check of ``topic``, if it has one."""
    return next((c for c in turn.kb.checkers.values() if c.topic == topic), None)


def offer_button(turn: Turn, topic: str) -> Button | None:
    """ "Check your situation step by step" for a topic that has a checker, else None."""
    checker = _checker_of(turn, topic)
    if checker is None:
        return None
    return Button(turn._("Check your situation step by step"), f"{PREFIX}:{checker.id}:")


def _topic_named(turn: Turn, text: str, *, sure: bool = False) -> tuple[str, Lang] | None:
    """The topic that a word or two typed at the list of checks names ("провокация" for
    "Меня провоцируют на преступление?"), as the matcher reads it, and the language it is
    written in; None for anything longer (a question is answered) or for no topic, and with
    ``sure`` for words of two topics ("provocation gift")."""
    if len(words(text)) > TOPIC_WORDS:
        return None
    result = turn.matcher.match(text, turn.written)
    if sure and result.two_topics:
        return None
    found = result.entry_id or next(iter(result.suggestions), None)
    entry = turn.kb.get(found) if found and not result.smalltalk else None
    return (entry.topic, result.lang) if entry is not None else None


class Checkers(Feature):
    """/check and /cancel, the checkers' buttons, ``/start check-…`` deep links. A step's
    option may be typed too ("да", "not sure", its number); any other message typed between
    steps is answered as usual and the check stays open: the buttons of its last step still go
    on from there."""

    def commands(self) -> list[Command]:
        """/check, /cancel."""
        return [
            Command("check", self.show_list, N_("Check your situation step by step")),
            Command("cancel", self.cancel, N_("Cancel the check or what I asked you for")),
        ]

    def buttons(self) -> dict[str, ButtonHandler]:
        """k: a step of a checker (checker id and choices), kx: leave it."""
        return {PREFIX: self.press, CANCEL: self.press_cancel}

    def text(self, turn: Turn, text: str) -> list[Reply] | None:
        """Typed words read as the open step's buttons: an option ("да", "2"), "назад" or
        "отмена" ("стоп" and "хватит" too). A few words that name none, that the base cannot
        answer and that ask nothing ("не помню", "we both work there", not "какое наказание?")
        get the step again; anything else is answered as a question and sets the check aside:
        typed words are then no step's answer until a step is shown again (its buttons still
        work; "отмена" and "стоп" still close it, and "вернуться к проверке" shows it). None:
        not the checker's."""
        chat_id = turn.user.chat_id
        open_flow = turn.store.flow(chat_id, max_age=FLOW_TIMEOUT)
        if open_flow is not None and open_flow[0] == MENU:
            return self._chosen_from_list(turn, text)
        checker = turn.kb.checkers.get(open_flow[0]) if open_flow else None
        if open_flow is None or checker is None:
            return None
        choices = open_flow[1]
        typed = words(text)
        if _names_control(turn, text, CANCEL_BUTTON) or _says_stop(turn, text):
            return self.cancel(turn, "")
        step = checker.node(choices)
        if not isinstance(step, CheckerStep):
            return None
        if turn.store.flow_aside(chat_id):  # "вернуться к проверке" is its button
            return self._show(turn, checker, choices) if _says_back(turn, text) else None
        if choices and _names_control(turn, text, BACK):
            return self._show(turn, checker, choices[:-1])
        labels = [[option.label[lang] for lang in LANGS] for option in step.options]
        number = typed_option(labels, text)  # "да", "я член семьи госслужащего"
        if number is None:  # "моя жена", "полицейский": words the option is known by
            words_of = [
                [w for found in option.words.values() for w in found] for option in step.options
            ]
            number = named_option(words_of, text, labels)
        if number is not None:
            return self._show(turn, checker, f"{choices}{number}")
        result = turn.matcher.match(text)
        asks = text.rstrip().endswith("?")  # "какое наказание?": a question, however short
        unread = result.entry_id is None and not result.smalltalk
        if len(typed) <= STEP_AGAIN_WORDS and unread and not asks:
            again = self._step(turn, checker, choices, step)
            hint = (
                turn._("Please choose one of the answers below, or type its number.")
                if choices
                else turn._(
                    "This is the first question: there is no step back. Choose one of the "
                    "answers below or type its number; to leave the check, press {cancel}.",
                    cancel=turn._(CANCEL_BUTTON),
                )
            )  # "назад", "не знаю" at the first question: how to leave, not the same again
            return [replace(again, text=f"{escape(hint)}\n\n{again.text}")]
        if not result.smalltalk:  # "спасибо" between steps leaves the check as it is
            turn.store.set_flow_aside(chat_id)
        return None

    def interrupted(self, turn: Turn) -> bool:
        """A command or another button: the open step is off the screen, so the check is set
        aside (typed words are no answer to it until it is shown again; its buttons still
        work), and the list of checks, which waited for a typed choice, is closed ("да" after
        /ask, "1" after /subscribe; a check it was shown over is set aside). True when the list
        was closed."""
        chat_id = turn.user.chat_id
        open_flow = turn.store.flow(chat_id, max_age=FLOW_TIMEOUT)
        if open_flow is not None and open_flow[0] == MENU:
            _close_list(turn)
            return True
        if open_flow is not None:
            turn.store.set_flow_aside(chat_id)
        return False

    def after_text(self, turn: Turn, replies: list[Reply]) -> list[Reply]:
        """A reply while the open check is set aside by a question, with a button back to its
        step (its last row): a later "2" is then no answer to a step off the screen, and the
        check is not lost from view."""
        at_step = _open_step(turn)
        if not replies or at_step is None or not turn.store.flow_aside(turn.user.chat_id):
            return replies
        last = replies[-1]
        lang = last.marked_language() or turn.lang  # the answer's, not the user's client's
        back = _back_button(turn.in_lang(lang), *at_step).in_language(lang)
        return [*replies[:-1], replace(last, buttons=(*last.buttons, (back,)))]

    def after_press(self, turn: Turn, replies: list[Reply]) -> list[Reply]:
        """A new message that a pressed button brings while the open check is set aside (an
        answer opened from another's related questions) ends with the button back to its step,
        as after a question; an edit, a pop-up alone or a panel shown again gets none."""
        message = bool(replies) and bool(replies[-1].text) and not replies[-1].replaces
        return self.after_text(turn, replies) if message else replies

    def resume(self, turn: Turn) -> list[Reply]:
        """The open check's step shown again in the language of ``turn`` (one just chosen with
        /language), so that typed words answer it again; none when no step is open."""
        at_step = _open_step(turn)
        return [] if at_step is None else self._show(turn, *at_step)

    def deep_link(self, turn: Turn, payload: str) -> list[Reply] | None:
        """``/start check-gift`` opens that checker."""
        checker = turn.kb.checkers.get(payload)
        return None if checker is None else self._show(turn, checker, "")

    def inline(self, turn: Turn, query: str) -> list[InlineResult]:
        """Checkers whose title shares a word with the query, to share in any chat."""
        asked = set(query.casefold().split())
        results = []
        for checker in turn.kb.checkers.values():
            title = checker.title[turn.lang]
            if asked & set(title.casefold().split()) or checker.id.removeprefix("check-") in asked:
                text = f"**{escape(title)}**\n\n" + turn._(
                    "Send /check to the bot to go through it step by step."
                )
                results.append(InlineResult(f"{checker.id}:{turn.lang}", title, title, text))
        return results

    def show_list(self, turn: Turn, args: str) -> list[Reply]:
        """The checker ``/check подарок`` names (as typed at the list), opened; else the
        checkers, one button each: until another message, typing one's words ("подарок",
        "the gift one", "2") opens it, and /cancel closes the list. A check begun and left at
        a step is named, with the button back to it last; it stays open."""
        named = _checker_named(turn, args, sure=True) if args.strip() else None
        if named is not None:
            return self._open_in(turn, *named)
        rows = [(start_button(turn, c),) for c in turn.kb.checkers.values()]
        if not rows:
            return [Reply(turn._("There are no step-by-step checks yet."))]
        text = turn._("Which situation do you want to check step by step?")
        begun = _open_step(turn)
        if begun is not None:
            checker, choices = begun
            said = turn._(
                "You began the check “{title}” and stopped at question {number}: you can go "
                "back to it or start another one.",
                title=escape(checker.title[turn.lang]),
                number=len(choices) + 1,
            )
            text = f"{said}\n\n{text}"
            rows.append((_back_button(turn, checker, choices),))
        kept = f"{begun[0].id}:{begun[1]}" if begun else ""
        turn.store.set_flow(turn.user.chat_id, MENU, kept)
        return [Reply(text, tuple(rows))]

    def _chosen_from_list(self, turn: Turn, text: str) -> list[Reply] | None:
        """The checker a message typed at the list of checks names, opened; the check begun
        that the list's last button goes back to, by its number or words; a number that names
        none ("9" of three), the list again with the numbers there are; None (and the list
        closed) for anything else: a question is answered as usual."""
        begun = _open_step(turn)
        number = typed_number(text)
        count = len(turn.kb.checkers) + (begun is not None)
        if begun is not None and (number == count or _says_back(turn, text)):
            return self._show(turn, *begun)
        named = _checker_named(turn, text)
        if named is not None:
            return self._open_in(turn, *named)
        if number is not None:
            hint = escape(no_such_button(turn._, number, count))
            return [replace(r, text=f"{hint}\n\n{r.text}") for r in self.show_list(turn, "")]
        _close_list(turn)
        return None

    def _open_in(self, turn: Turn, checker: Checker, lang: Lang | None) -> list[Reply]:
        """``checker`` opened from the list by typed words, its steps (and their buttons, so
        that pressing one goes on in it) in the language they were typed in, if known."""
        if lang is None:
            return self._show(turn, checker, "")
        turn.store.set_written_language(turn.user.chat_id, lang)
        answering = turn.answering(lang)
        return [r.in_language(answering.lang) for r in self._show(answering, checker, "")]

    def cancel(self, turn: Turn, _args: str) -> list[Reply]:
        """Leave the open checker; or say that what the bot had asked for (a comment, a
        question for the experts), dropped by the command itself, is cancelled."""
        if turn.store.end_flow(turn.user.chat_id):
            return [Reply(turn._("The step-by-step check is closed. Ask me anything."))]
        if turn.interrupted:
            return [Reply(turn._("Cancelled. Ask me anything."))]
        return [Reply(turn._("There is nothing to cancel."))]

    def press_cancel(self, turn: Turn, _payload: str) -> list[Reply]:
        """``kx:``: the cancel button of a step."""
        return self.cancel(turn, "")

    def press(self, turn: Turn, payload: str) -> list[Reply]:
        """``k:<checker>:<choices>``: show the step or outcome those choices reach."""
        checker_id, _, choices = payload.partition(":")
        checker = turn.kb.checkers.get(checker_id)
        if checker is None or checker.node(choices) is None:
            return turn.out_of_date()
        if choices:
            open_flow = turn.store.flow(turn.user.chat_id, max_age=FLOW_TIMEOUT)
            if open_flow is None or open_flow[0] != checker.id:
                return [Reply("", toast=turn._("This check was closed. Start it again: /check"))]
        return self._show(turn, checker, choices)

    def _show(self, turn: Turn, checker: Checker, choices: str) -> list[Reply]:
        node = checker.node(choices)
        turn.store.set_flow(turn.user.chat_id, checker.id, choices)  # an outcome keeps "back"
        if isinstance(node, CheckerStep):  # typed words now answer it, not the last answer
            turn.store.drop_recent_answer(turn.user.chat_id)
            return [self._step(turn, checker, choices, node)]
        assert isinstance(node, CheckerOutcome)
        return [self._outcome(turn, checker, choices, node)]

    def _step(self, turn: Turn, checker: Checker, choices: str, step: CheckerStep) -> Reply:
        rows: list[tuple[Button, ...]] = [
            (Button(option.label[turn.lang], f"{PREFIX}:{checker.id}:{choices}{number}"),)
            for number, option in enumerate(step.options)
        ]
        controls = [Button(turn._(BACK), f"{PREFIX}:{checker.id}:{choices[:-1]}")] * bool(choices)
        rows.append((*controls, Button(turn._(CANCEL_BUTTON), f"{CANCEL}:")))
        heading = f"**{escape(checker.title[turn.lang])}** · " + turn._(
            "question {number}", number=len(choices) + 1
        )
        return Reply(f"{heading}\n\n{escape(step.question[turn.lang])}", tuple(rows))

    def _outcome(
        self, turn: Turn, checker: Checker, choices: str, outcome: CheckerOutcome
    ) -> Reply:
        rows: list[tuple[Button, ...]] = []
        for entry_id in outcome.related[:MAX_RELATED]:
            entry = turn.kb.get(entry_id)
            if entry is not None:
                rows.append((entry_button(entry, turn.lang),))
        rows.append(
            (
                Button(turn._(BACK), f"{PREFIX}:{checker.id}:{choices[:-1]}"),
                Button(turn._("Start again"), f"{PREFIX}:{checker.id}:"),
            )
        )
        return Reply(with_sources(turn, outcome.texts[turn.lang], outcome.sources), tuple(rows))


def _open_step(turn: Turn) -> tuple[Checker, str] | None:
    """The user's open checker and the choices that reach its current step, or while the list
    of checks is on the screen, those of the check it was shown over; None when no checker is
    open or it is at an outcome."""
    open_flow = turn.store.flow(turn.user.chat_id, max_age=FLOW_TIMEOUT)
    if open_flow is None:
        return None
    checker_id, choices = open_flow
    if checker_id == MENU:
        checker_id, _, choices = choices.partition(":")
    checker = turn.kb.checkers.get(checker_id)
    if checker is None or not isinstance(checker.node(choices), CheckerStep):
        return None
    return checker, choices


def _close_list(turn: Turn) -> None:
    """The list of checks closed: the check it was shown over open again and set aside (its
    step is off the screen), or else none open."""
    begun, chat_id = _open_step(turn), turn.user.chat_id
    if begun is None:
        turn.store.end_flow(chat_id)
        return
    turn.store.set_flow(chat_id, begun[0].id, begun[1])
    turn.store.set_flow_aside(chat_id)


def _back_button(turn: Turn, checker: Checker, choices: str) -> Button:
    """ "▶ Back to the check (question N)": the step of ``checker`` that ``choices`` reach."""
    label = turn._(BACK_TO_CHECK, number=len(choices) + 1)
    return Button(label, f"{PREFIX}:{checker.id}:{choices}")


def _says_back(turn: Turn, text: str) -> bool:
    """Whether ``text`` is the button back to a check typed, in any language ("вернуться к
    проверке", "back to the check")."""
    return begins_label([turn.catalogs.translator(lang)(BACK_TO_CHECK) for lang in LANGS], text)


def _checker_named(
    turn: Turn, text: str, *, sure: bool = False
) -> tuple[Checker, Lang | None] | None:
    """The one checker that ``text`` names by its number, its title's words or its topic
    ("2", "the gift one", "провокация"; with ``sure``, not words of two topics), and the
    language it is named in, if known."""
    checkers = list(turn.kb.checkers.values())
    labels = [[checker.title[lang] for lang in LANGS] for checker in checkers]
    number = typed_option(labels, text, loose=True)
    if number is not None:
        return checkers[number], _typed_in(labels, number, text)
    named = _topic_named(turn, text, sure=sure)
    checker = _checker_of(turn, named[0]) if named is not None else None
    return (checker, named[1]) if checker is not None and named is not None else None


def _typed_in(labels: list[list[str]], number: int, text: str) -> Lang | None:
    """The one language whose labels alone read ``text`` as option ``number`` ("сыйлық" is
    Kazakh); None when several do ("2") or none."""
    fits = [
        lang
        for at, lang in enumerate(LANGS)
        if typed_option([[label[at]] for label in labels], text, loose=True) == number
    ]
    return fits[0] if len(fits) == 1 else None


def _names_control(turn: Turn, text: str, label: str) -> bool:
    """Whether ``text`` is a step's control button (``label``) in any language: typing
    "назад", "cancel" or "toqtatu" is pressing it."""
    controls = [words(turn.catalogs.translator(lang)(label)) for lang in LANGS]
    return any(typed in controls for typed in readings(text))


def _says_stop(turn: Turn, text: str) -> bool:
    """Whether ``text`` is the small talk "stop" ("стоп", "хватит"): read without ranking the
    base, so that a step's typed answer or a question set aside is matched once, not twice."""
    return turn.matcher.smalltalk.kind(turn.matcher.folded(text)) == "stop"
