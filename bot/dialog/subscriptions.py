"""Subscriptions to update notices: /subscribe, /unsubscribe, /subscriptions and their buttons."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import groupby

from rapidfuzz import fuzz

from bot.dialog.choices import OPTION_WORDS, typed_number
from bot.dialog.notice_replies import notice_reply, published
from bot.dialog.reply import Button, Reply, split_language
from bot.dialog.turn import ButtonHandler, Command, Feature, Turn, echoed
from bot.i18n import N_
from bot.kb import LANGS, Lang
from bot.kb.markup import escape
from bot.matching.function_words import ALL_STOPWORDS
from bot.matching.normalize import fold, phrase, prepare
from bot.matching.scripts import has_latin, latin_to_cyrillic
from bot.notices.schedule import next_digest_at
from bot.store import ALL_TOPICS, DIGEST_HOURS, DeliveryMode

ALL_WORDS = {  # "/subscribe everything", "все темы", "барлық тақырыптар", "vse": all topics
    ALL_TOPICS,
    *map(
        fold,
        [
            "all",
            "every",
            "everything",
            "topics",
            "all-topics",
            "все",
            "всё",
            "вообще",
            "темы",
            "тем",
            "тематики",
            "барлық",
            "барлығы",
            "барлығына",
            "бәрі",
            "бәріне",
            "тақырып",
            "тақырыптар",
            "тақырыптарға",
            "vse",
            "vsyo",
            "barlyq",
            "barlygy",
            "bari",
        ],
    ),
}
TOPIC_SEPARATORS = re.compile(r"\s*(?:[,;/+&]|\s(?:и|and|және|men|мен|zhane)\s)\s*")
MODES: tuple[DeliveryMode, ...] = ("instant", "daily", "weekly")
MODE_WORDS: dict[DeliveryMode, tuple[str, ...]] = {  # "/subscribe weekly": how notices come
    "daily": (
        "daily",
        "every day",
        "daily digest",
        "once a day",
        "ежедневно",
        "каждый день",
        "раз в день",
        "күн сайын",
        "күнде",
        "kun saiyn",
    ),
    "weekly": (
        "weekly",
        "digest",
        "weekly digest",
        "once a week",
        "еженедельно",
        "раз в неделю",
        "дайджест",
        "апта сайын",
        "аптасына бір рет",
        "apta saiyn",
    ),
    "instant": (
        "instant",
        "at once",
        "immediately",
        "сразу",
        "немедленно",
        "бірден",
        "дереу",
        "birden",
    ),
}
WORD_CUTOFF = 80.0  # similarity (0-100) of a typed word to a word of a topic's name
MIN_PREFIX = 4  # letters of a typed word that may stand for a longer word it begins
MINUTES = range(60)  # the minutes an hour typed may have ("9:30"): dropped, digests come on it
Change = Callable[[Turn, str], str]  # subscribe or unsubscribe a topic; returns the message


_MODE_OF = {phrase(said): mode for mode, phrases in MODE_WORDS.items() for said in phrases}
MORNING = frozenset(range(12))
AFTERNOON = frozenset(range(12, 24))
NIGHT = frozenset((21, 22, 23, 0, 1, 2, 3, 4, 5))
HALVES = {  # a word for a part of the day: the hours (0-23) it may name ("11 ночи": 23:00)
    **dict.fromkeys(("am", "утра", "таңғы", "tangy"), MORNING),
    **dict.fromkeys(("pm", "дня", "вечера", "күндізгі", "кешкі", "kundizgi", "keshki"), AFTERNOON),
    **dict.fromkeys(("ночи", "түнгі", "tungi"), NIGHT),
}
_HALF = "|".join(HALVES)
HOUR_PHRASE = re.compile(  # "at 18:00", «в 9 утра», "кешкі сағат 6-да", "18:00", "6 pm"
    rf"(?<!\S)(?:(?P<half>{_HALF})\s+)?(?:(?P<at>at|в|во|к|сағат|sagat|saghat)\s+)?"
    rf"(?:(?P<half_after_at>{_HALF})\s+)?"
    r"(?P<hour>\d+)(?:[:.](?P<minutes>\d+))?"
    r"(?:\s*-?\s*(?P<unit>де|да|те|та|ге|ке|ға|қа|de|da|te|ta|h|ч|час|часа|часов|o'clock))?"
    rf"(?:\s*(?P<suffix>{_HALF}))?(?!\S)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class HourSaid:
    """An hour of the day typed in ``/subscribe``'s arguments, and the arguments without it."""

    hour: int | None  # 0-23; None when the words name no hour of the day ("25:00", "9:75")
    typed: str  # the hour as typed
    rest: str
    minutes: int  # typed with the hour ("9:30"), dropped: the digest comes on the hour


def hour_said(text: str) -> HourSaid | None:
    """The digest hour ``text`` names ("at 18:00", «в 11 ночи», "кешкі сағат 6-да", "18:00"),
    if it names one: a number with minutes, a word before it (at, в, сағат, таңғы) or after
    it (-де, часов, утра, pm); a bare number ("2020") is none. A word for a part of the day
    that the hour is not in ("18 am", «в 18 утра», "түнгі 7") names no hour. Minutes are
    kept aside ("9:30": 9, with 30 minutes)."""
    found = HOUR_PHRASE.search(text)
    groups = ("at", "minutes", "unit", "suffix", "half", "half_after_at")
    if found is None or not any(found.group(*groups)):
        return None
    halves = [
        HALVES[said.lower()] for said in found.group("half", "half_after_at", "suffix") if said
    ]
    hour = _in_halves(int(found["hour"]), halves)
    minutes = int(found["minutes"] or 0)
    known = hour in DIGEST_HOURS and minutes in MINUTES
    rest = " ".join((text[: found.start()] + " " + text[found.end() :]).split())
    return HourSaid(hour if known else None, found[0].strip(), rest, minutes if known else 0)


def _in_halves(hour: int, halves: list[frozenset[int]]) -> int | None:
    """The hour (0-23) that ``hour``, typed with words for parts of the day (their ``halves``),
    names: on a 12-hour clock when it is 1-12 ("12 am": 0, "11 ночи": 23, "6 pm": 18), as
    typed when no such word comes with it; None when it is in none of them ("18 утра")."""
    if not halves:
        return hour
    read = (hour % 12, hour % 12 + 12) if 1 <= hour <= 12 else (hour,)
    return next((h for h in read if all(h in half for half in halves)), None)


def _mode_named(text: str) -> DeliveryMode | None:
    """The delivery mode that ``/subscribe``'s arguments name whole ("weekly", "раз в
    неделю"), or None."""
    return _MODE_OF.get(phrase(text))


def _mode_and_topics(text: str) -> tuple[DeliveryMode | None, str]:
    """The delivery mode that ``/subscribe``'s arguments name at their end or start, with
    topics beside it ("gifts, relatives weekly", «еженедельно подарки»), and the rest (the
    topics, as typed); (None, ``text``) when they name none."""
    said = text.split()
    for size in range(len(said) - 1, 0, -1):  # the longest phrase first: "weekly digest"
        for mode_words, rest in ((said[-size:], said[:-size]), (said[:size], said[size:])):
            mode = _mode_named(" ".join(mode_words))
            if mode is not None:
                return mode, " ".join(rest)
    return None, text


def _parts(args: str) -> list[tuple[int, int]]:
    """Where each topic named in ``/subscribe``'s arguments is ("gifts, relatives"): the
    spans between the separators."""
    cuts = [0, *(i for found in TOPIC_SEPARATORS.finditer(args) for i in found.span()), len(args)]
    return [(start, end) for start, end in zip(cuts[::2], cuts[1::2], strict=True) if start < end]


def _naming_none(args: str, found: dict[tuple[int, int], str | None]) -> list[str]:
    """The parts of ``args`` (by their spans, with the topic each names) that name no topic,
    next ones as typed with what is between them ("<b>gifts</b>", not "<b>gifts<, b>")."""
    runs = [list(run) for none, run in groupby(found, lambda span: found[span] is None) if none]
    return [args[run[0][0] : run[-1][1]] for run in runs]


def _known(turn: Turn, topic: str) -> bool:
    return topic == ALL_TOPICS or topic in turn.kb.topics


def _similarity(typed: str, word: str) -> float:
    """How well a typed word fits a word of a name: the same, its beginning, or a near spelling."""
    if len(typed) >= MIN_PREFIX and word.startswith(typed):
        return 100.0
    return fuzz.ratio(typed, word)


def find_topic(turn: Turn, text: str) -> str | None:
    """The topic key (or ALL_TOPICS) that ``text`` names: the key, or a topic's name in any
    language, whole or by its words, case, Kazakh letters and small typos aside
    (``подарки``, ``сыйлықтар``, ``Gifts``); None when no topic or several fit equally."""
    typed = fold(text)
    if typed.split() and set(typed.split()) <= ALL_WORDS:
        return ALL_TOPICS
    return next(filter(None, (_find_topic(turn, form) for form in _typed_forms(text))), None)


def _typed_forms(text: str) -> list[str]:
    """``text`` folded, and in Cyrillic letters too when it has Latin ones ("syilyq": Kazakh
    in Latin letters)."""
    return [fold(text), *([latin_to_cyrillic(prepare(text))] if has_latin(text) else [])]


def _fit(typed: str, names: set[str]) -> float | None:
    """How well the folded ``typed`` fits the folded ``names`` word by word: the mean
    similarity of its words to theirs; None when one of its words fits none."""
    words = [w for w in typed.split() if w not in ALL_STOPWORDS] or typed.split()
    vocabulary = {w for name in names for w in name.split() if w not in ALL_STOPWORDS}
    fits = [max((_similarity(w, v) for v in vocabulary), default=0.0) for w in words]
    return sum(fits) / len(fits) if fits and min(fits) >= WORD_CUTOFF else None


def _find_topic(turn: Turn, typed: str) -> str | None:
    """The topic key that the folded ``typed`` names (see :func:`find_topic`)."""
    scores: dict[str, float] = {}
    for key, topic in turn.kb.topics.items():
        names = {fold(key), *(fold(topic.names[lang]) for lang in LANGS)}
        if typed in names:
            return key
        fit = _fit(typed, names)
        if fit is not None:
            scores[key] = fit
    best = [key for key, score in scores.items() if score == max(scores.values())]
    return best[0] if len(best) == 1 else None


def topic_language(turn: Turn, text: str, key: str) -> Lang | None:
    """The language ``text``, naming the topic ``key``, is written in: the one whose name of
    the topic it fits (``туыстар``: kk); None when it is the key or fits the names of several
    languages (``о боте``: ru and kk) or of none."""
    names = {lang: fold(turn.kb.topics[key].names[lang]) for lang in LANGS}
    for typed in _typed_forms(text):
        if typed == fold(key):
            return None
        fitting = [lang for lang, name in names.items() if typed == name or _fit(typed, {name})]
        if fitting:
            return fitting[0] if len(fitting) == 1 else None
    return None


def _written_in(turn: Turn, named: dict[str, str | None]) -> Turn:
    """The turn answering in the language the topics were typed in (each typed part with the
    topic it names), stored as the user's as a typed question's is; unchanged when they tell
    no one language."""
    found = [
        topic_language(turn, part, key)
        for part, key in named.items()
        if key is not None and key != ALL_TOPICS
    ]
    langs = {lang for lang in found if lang is not None}
    if len(langs) != 1:
        return turn
    (lang,) = langs
    return turn.answering_message(" ".join(named), lang)


def _all_when_every(turn: Turn, topics: set[str]) -> set[str]:
    """``topics``, or all topics (new ones included) when they name every topic of the base."""
    return {ALL_TOPICS} if set(turn.kb.topics) <= topics else topics


def _replacing(press: ButtonHandler) -> ButtonHandler:
    """``press`` whose panel takes the place of the pressed one (a toast alone stays a toast),
    so that no panel with stale ticks is left above."""

    def handler(turn: Turn, payload: str) -> list[Reply]:
        return [replace(reply, replaces=bool(reply.text)) for reply in press(turn, payload)]

    return handler


class Subscriptions(Feature):
    """/subscribe, /unsubscribe, /subscriptions: topics (or all), at once or in a daily or
    weekly digest at the user's hour."""

    def commands(self) -> list[Command]:
        """/subscribe, /unsubscribe, /subscriptions."""
        return [
            Command("subscribe", self.subscribe, N_("Subscribe to update notices")),
            Command("unsubscribe", self.unsubscribe, N_("Stop update notices")),
            Command("subscriptions", self.show, N_("Your subscriptions")),
        ]

    def buttons(self) -> dict[str, ButtonHandler]:
        """s: subscribe, u: unsubscribe, d: delivery mode, n: open a notice."""
        return {
            "s": _replacing(self.press_subscribe),
            "u": _replacing(self.press_unsubscribe),
            "d": _replacing(self.set_mode),
            "n": self.open_notice,
        }

    def named_button(self, turn: Turn, actions: Sequence[str], text: str) -> str | None:
        """At the subscription panel (``actions``), the button of the topic («подарки»,
        "syilyqtar") or the delivery ("еженедельно") a short typed message names; "all" or
        «всё» none (as often "that's all"), nor a question ("можно ли принять подарок?")."""
        buttons = {split_language(action)[0]: action for action in actions}
        if f"s:{ALL_TOPICS}" not in buttons and f"u:{ALL_TOPICS}" not in buttons:
            return None  # another panel
        mode = _mode_named(text)
        if mode is not None:
            return buttons.get(f"d:{mode}")
        topic = find_topic(turn, text) if len(text.split()) <= OPTION_WORDS else None
        if topic is None or topic == ALL_TOPICS:
            return None
        return buttons.get(f"s:{topic}") or buttons.get(f"u:{topic}")

    # commands -------------------------------------------------------------------------------

    def subscribe(self, turn: Turn, args: str) -> list[Reply]:
        """``/subscribe`` shows the topics; ``/subscribe all`` or ``/subscribe <topic>`` at once;
        ``/subscribe weekly`` (or "сразу", "апта сайын") chooses how notices come;
        ``/subscribe 7`` takes button 7 of the panel just shown."""
        if not args.strip():
            return [self.panel(turn)]
        hour = hour_said(args)  # "/subscribe daily at 18:00"
        if hour is not None:
            return self._subscribe_at(turn, hour)
        number = typed_number(args)  # "/subscribe 7": button 7 of the panel just shown
        if number is not None:
            return self._numbered(turn, number)
        mode = _mode_named(args)
        if mode is not None:
            self._set_mode(turn, mode)  # the panel says it to a subscriber
            return [self.panel(turn) if self._covered(turn) else self._not_yet(turn, mode)]
        mode, topics = _mode_and_topics(args)  # "/subscribe gifts weekly"
        return self._command(turn, topics, self._add, mode)

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
        """``d:instant`` / ``d:daily`` / ``d:weekly``: each notice at once, or in a digest."""
        if mode not in MODES:
            return turn.out_of_date()
        chosen = next(m for m in MODES if m == mode)
        return [self.panel(turn, toast=self._set_mode(turn, chosen))]

    def _set_mode(self, turn: Turn, mode: DeliveryMode, hour: int | None = None) -> str:
        """Deliver the user's notices so (``mode``, a digest at ``hour`` or the hour chosen
        before); what it means, to tell them."""
        now = datetime.now(UTC)
        chat_id = turn.user.chat_id
        hour = turn.store.digest_hour(chat_id) if hour is None else hour
        digest_at = next_digest_at(now, mode, hour)
        turn.store.set_delivery_mode(chat_id, mode, now=now, digest_at=digest_at, hour=hour)
        return self._mode_text(turn, mode)

    def _subscribe_at(self, turn: Turn, said: HourSaid) -> list[Reply]:
        """``/subscribe [topics] [daily|weekly] at 18:00``: the digest comes at that hour (a
        user getting notices at once switches to the daily digest, and is told so; one
        subscribed to no topic is told it waits for one); a bad hour changes nothing; minutes
        are dropped ("9:30" is 9:00), and said to be."""
        if said.hour is None:
            return [self.panel(turn, escape(self._hour_help(turn, echoed(said.typed))))]
        on_the_hour = [
            turn._(
                "Digests come on the hour: {typed} was taken as {hour}.",
                typed=f"{said.hour:02d}:{said.minutes:02d}",
                hour=f"{said.hour:02d}:00",
            )
        ] * bool(said.minutes)
        mode = _mode_named(said.rest)
        topics = "" if mode else said.rest
        if mode is None:
            mode, topics = _mode_and_topics(said.rest)
        told: list[str] = []
        if mode is None:  # the digest chosen before; "at once" becomes the daily digest
            mode = turn.store.delivery_mode(turn.user.chat_id)
            if mode == "instant":
                mode = "daily"
                told.append(turn._("With an hour chosen, notices come in a daily digest."))
        told += on_the_hour
        if topics:
            return self._command(turn, topics, self._add, mode, said.hour, told)
        self._set_mode(turn, mode, said.hour)  # the panel says it to a subscriber
        if not self._covered(turn):
            return [self._not_yet(turn, mode, on_the_hour)]
        return [self.panel(turn, escape("\n".join(told)) or None)]

    def _numbered(self, turn: Turn, number: int) -> list[Reply]:
        """``/subscribe 7``: the topic or delivery of button 7 of the subscription panel shown
        just before, subscribed to or chosen (a topic ticked stays so: the command subscribes);
        with no such panel waiting, that a number is no topic, and how to choose one."""
        shown = turn.shown
        action = shown.action(number) if shown is not None and shown.fresh else None
        prefix, _, payload = split_language(action or "")[0].partition(":")
        if prefix in ("s", "u") and _known(turn, payload):
            return [self.panel(turn, escape(self._add(turn, payload)))]
        if prefix == "d" and payload in MODES:
            return self.subscribe(turn, payload)
        how = turn._(
            "“{number}” is not a topic. Press a topic below, or type its name or its number "
            "(the buttons count from the top) as your next message.",
            number=number,
        )
        return [self.panel(turn, escape(how))]

    @staticmethod
    def _hour_help(turn: Turn, typed: str) -> str:
        """Why ``typed`` is no digest hour, and the forms that are."""
        return turn._(
            "“{typed}” is not an hour the digest can come at: type a whole hour from 0 to 23, "
            "Astana time, like this: /subscribe 18:00, /subscribe at 8:00, "
            "/subscribe daily 18:00, /subscribe weekly at 9:00. Nothing was changed.",
            typed=typed,
        )

    def open_notice(self, turn: Turn, notice_id: str) -> list[Reply]:
        """``n:<id>``: a published (or sent) notice in full (from the digest)."""
        notice = turn.kb.notices.get(notice_id)
        if notice is None or not published(turn, notice):
            return [Reply("", toast=turn._("This notice is no longer available."))]
        return [notice_reply(turn, notice)]

    # helpers --------------------------------------------------------------------------------

    def _command(
        self,
        turn: Turn,
        args: str,
        change: Change,
        mode: DeliveryMode | None = None,
        hour: int | None = None,
        told: list[str] | None = None,
    ) -> list[Reply]:
        """Apply ``change`` to each topic named in ``args`` ("gifts, relatives"; all when
        none), and choose ``mode`` of delivery (at ``hour``) if given; show the result, and
        ``told``. When one names no topic, nothing changes."""
        found = {span: find_topic(turn, args[slice(*span)]) for span in _parts(args)}
        unknown = _naming_none(args, found)
        if unknown:
            listing = "\n".join(
                f"- **{escape(t.names[turn.lang])}** ({escape(key)})"
                for key, t in turn.kb.topics.items()
            )
            message = turn._(
                "There is no topic “{topic}”. Name one of these, in any language, or “all”:",
                topic=echoed(", ".join(unknown)),
            )
            return [self.panel(turn, escape(message) + "\n" + listing)]
        named = {args[slice(*span)]: topic for span, topic in found.items()}
        turn = _written_in(turn, named)
        topics = dict.fromkeys(topic for topic in named.values() if topic) or [ALL_TOPICS]
        done = [change(turn, topic) for topic in topics] + (told or [])
        if mode is not None:  # the panel says how notices come to a subscriber
            self._set_mode(turn, mode, hour)
        return [self.panel(turn, escape("\n".join(done)))]

    def _press(self, turn: Turn, topic: str, change: Change) -> list[Reply]:
        """Apply ``change`` to a button's topic; the result is the toast."""
        if not _known(turn, topic):
            return turn.out_of_date()
        return [self.panel(turn, toast=change(turn, topic))]

    def _covered(self, turn: Turn) -> set[str]:
        """The topics whose notices the user gets (every topic for an all-topics subscription);
        a topic no longer in the base (its key renamed, say) is none of them."""
        subscribed = turn.store.subscriptions(turn.user.chat_id)
        return set(turn.kb.topics) if ALL_TOPICS in subscribed else subscribed & set(turn.kb.topics)

    def _add(self, turn: Turn, topic: str) -> str:
        chat_id = turn.user.chat_id
        turn.store.set_active(chat_id, True)  # someone writing to the bot has not blocked it
        if topic == ALL_TOPICS:
            turn.store.set_subscriptions(chat_id, {ALL_TOPICS})
            return turn._("You are subscribed to notices on all topics.")
        subscribed = turn.store.subscriptions(chat_id)
        if ALL_TOPICS not in subscribed:  # else the topic is covered already
            turn.store.set_subscriptions(
                chat_id, _all_when_every(turn, self._covered(turn) | {topic})
            )
        return turn._(
            "You are subscribed to “{topic}”.", topic=turn.kb.topics[topic].names[turn.lang]
        )

    def _remove(self, turn: Turn, topic: str) -> str:
        covered = self._covered(turn)
        # written even when nothing seems covered: a change held while the database refused
        # writes (a subscription) is not read back yet
        turn.store.set_subscriptions(
            turn.user.chat_id,
            () if topic == ALL_TOPICS else covered - {topic},
            notices={notice.id: notice.topics for notice in turn.kb.notices.values()},
        )
        if topic == ALL_TOPICS:
            if not covered:
                return turn._("You had no subscriptions.")
            return turn._("You will get no more notices.")
        name = turn.kb.topics[topic].names[turn.lang]
        if topic not in covered:
            return turn._("You were not subscribed to “{topic}”.", topic=name)
        return turn._("You are unsubscribed from “{topic}”.", topic=name)

    def _not_yet(self, turn: Turn, mode: DeliveryMode, told: Sequence[str] = ()) -> Reply:
        """The panel for a user subscribed to no topic who chose how notices come, after
        ``told``: the choice is kept, nothing comes until they subscribe, and how to (no "You
        are not subscribed" after it)."""
        yet = turn._("You are not subscribed to any topic yet.")
        how = turn._("To subscribe, press a topic below or type /subscribe all.")
        said = "\n".join([*told, f"{yet} {self._kept(turn, mode)} {how}"])
        return self.panel(turn, escape(said), subscribed_to=False)

    def _kept(self, turn: Turn, mode: DeliveryMode) -> str:
        """How notices will come to a user subscribed to no topic, once they subscribe."""
        hour = f"{turn.store.digest_hour(turn.user.chat_id):02d}:00"
        if mode == "weekly":
            return turn._(
                "Your choice is kept: once you subscribe, notices will come as a weekly digest, "
                "on Mondays at {hour} (Astana time).",
                hour=hour,
            )
        if mode == "daily":
            return turn._(
                "Your choice is kept: once you subscribe, notices will come as a daily digest, "
                "every day at {hour} (Astana time).",
                hour=hour,
            )
        return turn._(
            "Your choice is kept: once you subscribe, each notice will come as soon as it is "
            "published."
        )

    def _mode_text(self, turn: Turn, mode: DeliveryMode) -> str:
        hour = f"{turn.store.digest_hour(turn.user.chat_id):02d}:00"
        if mode == "weekly":
            return turn._(
                "Notices come as a weekly digest, on Mondays at {hour} (Astana time).", hour=hour
            )
        if mode == "daily":
            return turn._(
                "Notices come as a daily digest, every day at {hour} (Astana time).", hour=hour
            )
        return turn._("Each notice comes as soon as it is published.")

    def panel(
        self,
        turn: Turn,
        note: str | None = None,
        *,
        toast: str | None = None,
        subscribed_to: bool = True,
    ) -> Reply:
        """What the user is subscribed to (unless not ``subscribed_to``: ``note`` says it), with
        a button per topic and per delivery mode, after ``note`` (markup), and a line saying
        what the buttons choose."""
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
        gone = subscribed - set(turn.kb.topics) - {ALL_TOPICS}
        if covered:
            coming = self._mode_text(turn, mode)
        else:  # a digest chosen is kept (and ticked below); said so unless the note says it
            coming = self._kept(turn, mode) if subscribed_to and mode != "instant" else ""
        text = "\n\n".join(
            part
            for part in (
                note or "",
                escape(
                    _(
                        "A topic you subscribed to is no longer offered."
                        " The topics offered now are on the buttons below."
                    )
                )
                * bool(gone),
                escape(status) * subscribed_to,
                escape(coming),
                escape(
                    _("Press a topic to subscribe or unsubscribe.")
                    + " "
                    + _(
                        "The last buttons choose how notices come: at once, or in a daily or "
                        "weekly digest. To choose its hour, type it: /subscribe 18:00 (Astana "
                        "time)."
                    )
                ),
            )
            if part
        )
        tick = "✅ "
        everything = ALL_TOPICS in subscribed
        rows: list[tuple[Button, ...]] = [
            (
                Button(
                    tick * everything + _("All topics"),
                    f"{'u' if everything else 's'}:{ALL_TOPICS}",
                ),
            )
        ]
        rows += [
            (
                Button(
                    tick * (key in covered) + topic.names[turn.lang],
                    f"{'u' if key in covered else 's'}:{key}",
                ),
            )
            for key, topic in turn.kb.topics.items()
        ]
        rows.append(
            (
                # "at once", the default, is ticked once notices come at all; the digest
                # whenever it was chosen (before subscribing too)
                Button(tick * (bool(covered) and mode == "instant") + _("At once"), "d:instant"),
                Button(tick * (mode == "daily") + _("Daily digest"), "d:daily"),
                Button(tick * (mode == "weekly") + _("Weekly digest"), "d:weekly"),
            )
        )
        return Reply(text, tuple(rows), toast=toast, numbered=True)
