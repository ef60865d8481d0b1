"""Small talk (greetings, thanks, goodbyes, "what can you do"), the words of a real
corruption case and the other word lists the dialog reads messages by, all from
``knowledge/smalltalk.yaml``."""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from itertools import pairwise

from rapidfuzz import fuzz, process

from bot.kb.model import ADDRESSES, FOLLOW_UP_JUMPS, FRAME, PERSONAL_GIFT_CHECK
from bot.matching.function_words import ALL_LANGUAGE_WORDS, ALL_STOPWORDS, QUESTION_WORDS
from bot.matching.normalize import LINK, fold, split_sentences, words

CASE_SIGNALS = "case-signals"
DOMAIN_SIGNALS = "domain-signals"
OVERVIEW_SIGNALS = "overview-signals"
ORDERS = "orders"
NEUTRAL = "language-neutral"
INTENSIFIERS = "intensifiers"
FOLLOW_UP = "follow-up"
ASKS_WHEN = "asks-when"
ASKS_DEADLINE = "asks-deadline"
ASKS_UNTIL = "asks-until"
ASKS_SINCE = "asks-since"
DURATIONS = "durations"
ASKS_HANDOVER = "asks-handover"
HANDOVER_PLACES = "handover-places"
ASKS_LANGUAGE = "asks-language"
OUTSIDE_WORDS = "outside-words"
ASKS_ANONYMITY = "asks-anonymity"
ASKS_NOW = "asks-now"
ASKS_PRIVACY = "asks-privacy"
ASKS_WHO = "asks-who"
STATES_WHO = "states-who"
INTRODUCTIONS = "introductions"
PERSONAL_GIVER = "personal-giver"
NAME_WORDS = 3  # words of a name after an introduction or an address ("меня зовут Болат Серикович")
DURATION_DIGITS = 2  # a number of up to this many digits before a unit is a time span ("7 дней")
PHRASE_CUTOFF = 85.0
TWO_PHRASES_WORDS = 8  # longer messages are never read as two small-talk phrases
FRAMED_WORDS = 12  # longer messages are never read as a phrase with words around it
# kinds a short message still is with words around the phrase that no entry's question uses
# ("ақымақ бот екенсің", "ты робот что ли?"): about the bot itself, never about the base
_FRAMED = frozenset({"robot", "insult"})
_POLITE = frozenset({"greeting", "thanks"})
# kinds said around a question, asking nothing ("Good afternoon! … Thank you. Bye"), and a
# message still is with intensifiers or addressees left out ("спасибо огромное")
_COURTESY = frozenset({*_POLITE, "goodbye"})
_WORD_LISTS = (  # words, no phrases
    FOLLOW_UP,
    ASKS_WHEN,
    ASKS_DEADLINE,
    ASKS_UNTIL,
    ASKS_SINCE,
    DURATIONS,
    ASKS_HANDOVER,
    HANDOVER_PLACES,
    ASKS_LANGUAGE,
    ASKS_ANONYMITY,
    ASKS_NOW,
    ASKS_WHO,
    STATES_WHO,
    INTENSIFIERS,
    OUTSIDE_WORDS,
    ADDRESSES,
)
# lines of word beginnings
_SIGNALS = (CASE_SIGNALS, DOMAIN_SIGNALS, OVERVIEW_SIGNALS, ORDERS, PERSONAL_GIVER, ASKS_PRIVACY)
# kinds whose words ("real", "person", "человек", "expert", "stupid", "written", "закон",
# "time", "сағат", "stop", "exit", "уведомления") are ordinary in questions
_PHRASES_ONLY = frozenset(
    {
        "robot",
        "human",
        "insult",
        "source",
        "next-step",
        "off-topic",
        "ask-leave",
        "allowed",
        "stop",
        "menu",
        "language",
        "notices",
        "bad-answer",
        "good-answer",
        "yes-no",
    }
)


def _word_list(phrases: Mapping[str, Sequence[str]], kind: str) -> frozenset[str]:
    """The folded words of one of smalltalk.yaml's word lists ("follow-up", "durations")."""
    return frozenset(word for text in phrases.get(kind, ()) for word in words(text))


def _jumps(phrases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """smalltalk.yaml's ``follow-up-jumps``: each line a kind of that file (lines of word
    beginnings) and the id of the entry a follow-up of that kind leads to."""
    jumps = {}
    for line in phrases.get(FOLLOW_UP_JUMPS, ()):
        kind, _, entry = line.partition(" ")
        jumps[kind] = entry.strip()
    return jumps


class _Beginnings:
    """Lines of word beginnings (stems), one of smalltalk.yaml's signal lists: a message has
    a line when every word of it begins a word of the message, in any order."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = [tuple(words(line)) for line in lines if words(line)]
        self._lengths = {len(part) for line in self._lines for part in line}

    def found_in(self, folded: list[str]) -> bool:
        """Whether the message (its folded words) has one of the lines."""
        return bool(self._found(folded))

    def outside(self, folded: list[str]) -> list[str] | None:
        """The message's words that no word of a line it has begins (None: it has no line)."""
        parts = {part for line in self._found(folded) for part in line}
        if not parts:
            return None
        return [word for word in folded if not any(word.startswith(part) for part in parts)]

    def _found(self, folded: list[str]) -> list[tuple[str, ...]]:
        """The lines the message has."""
        # the message's words cut to each length of the lines' words: a line's word begins a
        # word of the message when it is among them
        begun = {word[:length] for word in folded for length in self._lengths}
        return [line for line in self._lines if all(part in begun for part in line)]


class _Closest:
    """Phrases a text is close to by rapidfuzz's ratio (PHRASE_CUTOFF or more). A text is
    compared only with the phrases of a length that lets it reach the cutoff: the ratio of
    lengths ``a`` and ``b`` is at most 200 * min(a, b) / (a + b), so a story meets none."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self._phrases = tuple(phrases)
        self._of_length: dict[int, tuple[str, ...]] = {}  # in the phrases' order: same ties
        # the longest text any phrase may reach (the longest phrase's reach is the farthest):
        # a longer one, a story, is compared with none
        longest = max(map(len, self._phrases), default=0)
        self._reach = longest
        while _may_reach(self._reach + 1, longest):
            self._reach += 1

    def closest(self, text: str) -> str | None:
        """The phrase closest to ``text`` (the first of those alike), if close enough."""
        size = len(text)
        if size > self._reach:
            return None
        near = self._of_length.get(size)
        if near is None:
            near = self._of_length[size] = tuple(
                phrase for phrase in self._phrases if _may_reach(size, len(phrase))
            )
        best = process.extractOne(text, near, scorer=fuzz.ratio, score_cutoff=PHRASE_CUTOFF)
        return best[0] if best is not None else None


def _may_reach(size: int, length: int) -> bool:
    """Whether texts of ``size`` and ``length`` characters may be PHRASE_CUTOFF alike (see
    :class:`_Closest`); a margin of 1 below the cutoff: rounding never drops a phrase."""
    return 200 * min(size, length) >= (PHRASE_CUTOFF - 1) * (size + length)


class SmallTalk:
    """Recognises small-talk messages and case signals in folded words, and the words the
    dialog reads a message by (follow-ups, a detail asked of an answer, the domain, orders)."""

    def __init__(self, phrases: Mapping[str, Sequence[str]], topical: Container[str]) -> None:
        """``topical``: words of the entries' questions, never small talk on their own."""
        self._phrases: dict[str, str] = {}
        self._words: dict[str, str] = {}
        self._topical = topical
        # greetings and thanks ("привет", "thank you") around a message, longest first (then
        # in order: a set's order changes from run to run with the hash seed)
        self._polite = sorted(
            {tuple(words(text)) for kind in _POLITE for text in phrases.get(kind, ())} - {()},
            key=lambda phrase: (-len(phrase), phrase),
        )
        self._polite_words = {word for phrase in self._polite for word in phrase}
        # the words a greeting or thanks begins and ends with: a message that begins and ends
        # otherwise has none around it
        self._polite_ends = (
            {phrase[0] for phrase in self._polite},
            {phrase[-1] for phrase in self._polite},
        )
        self._jumps = _jumps(phrases)
        for kind, texts in phrases.items():
            if kind in (
                *_SIGNALS,
                NEUTRAL,
                INTRODUCTIONS,
                FRAME,
                PERSONAL_GIFT_CHECK,
                *_WORD_LISTS,
                FOLLOW_UP_JUMPS,
                *self._jumps,
            ):
                continue
            for text in texts:
                folded = fold(text)
                self._phrases.setdefault(folded, kind)
                for word in folded.split() if kind not in _PHRASES_ONLY else ():
                    if word not in ALL_STOPWORDS and word not in topical:
                        self._words.setdefault(word, kind)
        self._closest_phrase = _Closest(self._phrases)
        # the first and the last words of the phrases
        self._phrase_ends = (
            {phrase.split()[0] for phrase in self._phrases if phrase},
            {phrase.split()[-1] for phrase in self._phrases if phrase},
        )
        self._case_signals = _Beginnings(phrases.get(CASE_SIGNALS, ()))
        self._domain = _Beginnings(phrases.get(DOMAIN_SIGNALS, ()))
        self._overview = _Beginnings(phrases.get(OVERVIEW_SIGNALS, ()))
        self._orders = _Beginnings(phrases.get(ORDERS, ()))
        self._personal_giver = _Beginnings(phrases.get(PERSONAL_GIVER, ()))
        self._privacy = _Beginnings(phrases.get(ASKS_PRIVACY, ()))
        self.personal_gift_check = next(iter(phrases.get(PERSONAL_GIFT_CHECK, ())), None)
        self._neutral = frozenset(fold(text) for text in phrases.get(NEUTRAL, ()))
        self._follow_up = _word_list(phrases, FOLLOW_UP)
        self._asks_when = _word_list(phrases, ASKS_WHEN)
        self._asks_deadline = _word_list(phrases, ASKS_DEADLINE)
        self._asks_until = _word_list(phrases, ASKS_UNTIL)
        self._asks_since = _word_list(phrases, ASKS_SINCE)
        self._durations = _word_list(phrases, DURATIONS)
        self._asks_handover = _word_list(phrases, ASKS_HANDOVER)
        self._handover_places = _word_list(phrases, HANDOVER_PLACES)
        self._asks_language = _word_list(phrases, ASKS_LANGUAGE)
        self._intensifiers = _word_list(phrases, INTENSIFIERS)
        self._outside = _word_list(phrases, OUTSIDE_WORDS)
        self._asks_anonymity = _word_list(phrases, ASKS_ANONYMITY)
        self._asks_now = _word_list(phrases, ASKS_NOW)
        self._asks_who = _word_list(phrases, ASKS_WHO)
        self._states_who = _word_list(phrases, STATES_WHO)
        self._jump_signals = {kind: _Beginnings(phrases.get(kind, ())) for kind in self._jumps}
        self._introductions = {tuple(words(text)) for text in phrases.get(INTRODUCTIONS, ())}
        self._frame = _Closest(sorted({fold(text) for text in phrases.get(FRAME, ())} - {""}))
        self._addresses = _word_list(phrases, ADDRESSES)

    def is_smalltalk_word(self, word: str) -> bool:
        """True for a word of the greetings and thanks that the entries never use."""
        return word in self._words

    def kind(self, folded: list[str]) -> str | None:
        """The small-talk kind of a message (its folded words), or None.

        Small talk is a message close to one of the phrases; a greeting, thanks or goodbye
        close to one once its intensifiers are left out ("спасибо огромное", "рахмет үлкен
        сізге"); or a message made only of small-talk words and function words, intensifiers
        aside ("жарайсың бот, керемет"): then its last small-talk word's kind ("thanks, bye");
        or two phrases; or a robot or insult phrase with words no entry's question uses around
        it ("ақымақ бот екенсің"); or an introduction with a name ("меня зовут Болат"): a
        greeting.
        """
        if not folded:
            return None
        own = [word for word in folded if word in self._words]
        candidates = (folded, self._unwrapped(folded), self._without_polite_words(folded))
        for text in dict.fromkeys(" ".join(part) for part in candidates):
            kind = self._phrase_kind(text)
            if kind is not None:
                return kind
        plain = [word for word in folded if word not in self._intensifiers]
        if plain and len(plain) < len(folded):
            kind = self._phrase_kind(" ".join(plain))
            if kind in _COURTESY:
                return kind
        if own and all(word in self._words or word in ALL_STOPWORDS for word in plain):
            return self._words[own[-1]]
        return (
            self._two_phrases_kind(folded)
            or self._framed_kind(folded)
            or self._introduction_kind(folded)
        )

    def frames(self, folded: list[str]) -> bool:
        """Whether a clause of a message (its folded words) asks nothing on its own, and is
        left out around a question: no word at all ("🙏"); a greeting, thanks or goodbye; a
        formula of a letter or a forward (``frame``: "please clarify the following",
        «Переслано», «Рас па?»); or an address with up to NAME_WORDS words after it
        (``addresses``: "Dear Sir or Madam", «Уважаемые коллеги»), greetings before it aside."""
        if not folded:
            return True
        addressed = self._without_polite_words(folded)
        if addressed and addressed[0] in self._addresses and len(addressed) <= NAME_WORDS + 1:
            return True
        formula = self._frame.closest(" ".join(folded))
        return formula is not None or self.kind(folded) in _COURTESY

    def _introduction_kind(self, folded: list[str]) -> str | None:
        """ "greeting" for a message that only says who the user is, a greeting or thanks
        around it or not ("Здравствуйте, меня зовут Болат", "my name is John"): one of the
        ``introductions``, then a name of up to NAME_WORDS words no entry's question uses."""
        said = self._unwrapped(folded)
        for introduction in self._introductions:
            name = said[len(introduction) :]
            if (
                tuple(said[: len(introduction)]) == introduction
                and 0 < len(name) <= NAME_WORDS
                and not any(word in self._topical for word in name)
            ):
                return "greeting"
        return None

    def _framed_kind(self, folded: list[str]) -> str | None:
        """The kind of a robot or insult phrase of two words or more that begins or ends a
        short message whose other words no entry's question uses ("ақымақ бот екенсің", "ты
        робот что ли"), or None."""
        starts, ends = self._phrase_ends
        if len(folded) > FRAMED_WORDS or (folded[0] not in starts and folded[-1] not in ends):
            return None  # most messages: no phrase begins or ends them as typed
        for size in range(len(folded) - 1, 1, -1):
            for phrase, rest in (
                (folded[:size], folded[size:]),
                (folded[-size:], folded[:-size]),
            ):
                kind = self._phrases.get(" ".join(phrase))
                if kind in _FRAMED and all(
                    word in ALL_STOPWORDS or word not in self._topical for word in rest
                ):
                    return kind
        return None

    def _two_phrases_kind(self, folded: list[str]) -> str | None:
        """The kind of the second of two phrases a short message is made of ("бот тупой,
        ничего не понимаешь"), or None."""
        if (
            len(folded) > TWO_PHRASES_WORDS
            or folded[0] not in self._phrase_ends[0]
            or folded[-1] not in self._phrase_ends[1]
        ):
            return None  # most messages: no phrase begins or ends them as typed
        for cut in range(1, len(folded)):
            if self._phrase_kind(" ".join(folded[:cut])) is not None:
                second = self._phrase_kind(" ".join(folded[cut:]))
                if second is not None:
                    return second
        return None

    def _phrase_kind(self, text: str) -> str | None:
        """The kind of the phrase closest to ``text`` (folded words), if close enough."""
        best = self._closest_phrase.closest(text)
        return self._phrases[best] if best is not None else None

    def _unwrapped(self, folded: list[str]) -> list[str]:
        """A message without the greetings and thanks around it ("hi, what can you do",
        "thank you, you are useless"); what is left is never empty ("привет, как дела")."""
        start, end = 0, len(folded)
        firsts, lasts = self._polite_ends
        stripped = True
        while stripped and start < end and (folded[start] in firsts or folded[end - 1] in lasts):
            stripped = False
            for phrase in self._polite:
                size = len(phrase)
                if end - start <= size:
                    continue
                if tuple(folded[start : start + size]) == phrase:
                    start, stripped = start + size, True
                    break
                if tuple(folded[end - size : end]) == phrase:
                    end, stripped = end - size, True
                    break
        return folded[start:end]

    def _without_polite_words(self, folded: list[str]) -> list[str]:
        """A message without any word of a greeting or thanks at its ends ("идиот ты")."""
        start, end = 0, len(folded)
        while start < end and folded[start] in self._polite_words:
            start += 1
        while end > start and folded[end - 1] in self._polite_words:
            end -= 1
        return folded[start:end]

    def tells_no_language(self, text: str) -> bool:
        """True when every word of ``text`` is typed alike in any language ("ok", "lol") or
        is part of a web address ("https://adilet.zan.kz/rus/docs/…")."""
        found = words(LINK.sub(" ", text))
        typed = bool(found) or LINK.search(text) is not None
        return typed and all(word in self._neutral for word in found)

    def follows_up(self, text: str) -> bool:
        """True when ``text`` has a word that makes a short message a question about the
        answer just shown ("а", "and", "if", "it", "why", "ше")."""
        return not self._follow_up.isdisjoint(words(text))

    def asks_when(self, text: str) -> bool:
        """True when ``text`` asks for a date and nothing else: its words are those of a
        date ("когда", «с какого числа», "when did it come into force", «қашаннан бастап»),
        follow-up words and function words."""
        return self._asks_only(text, self._asks_when)

    def asks_deadline(self, text: str) -> bool:
        """True when ``text`` asks for a time limit and nothing else ("какой срок?", "what is
        the deadline?", «мерзімі қандай?»): its words are those of a time limit, follow-up
        words, question words, intensifiers ("how much time do we have?") and function
        words; with a word of ``asks-until``, words of a date too ("до какого числа?",
        «қашанға дейін?», "until when?"). None with a word of ``asks-since`` ("since what
        time?", «с какого времени?» ask a date)."""
        found = set(words(text))
        if not found.isdisjoint(self._asks_since):
            return False
        also = ALL_LANGUAGE_WORDS | self._intensifiers
        if found.isdisjoint(self._asks_until):
            return self._asks_only(text, self._asks_deadline, also)
        return self._asks_only(text, self._asks_deadline | self._asks_when, also | self._asks_until)

    def asks_only_question_words(self, text: str) -> bool:
        """True when ``text`` is question words and nothing else ("кто?", "how many?", «а
        сколько?», «қанша мың?»): question words, follow-up words, intensifiers and function
        words. It names nothing it asks about but the answer just shown."""
        return self._asks_only(text, QUESTION_WORDS, ALL_LANGUAGE_WORDS | self._intensifiers)

    def _asks_only(
        self, text: str, asked: frozenset[str], also: frozenset[str] = frozenset()
    ) -> bool:
        """Whether ``text`` has a word of ``asked``, and no word but those, follow-up words,
        function words and ``also``."""
        found = set(words(text))
        rest = found - asked - self._follow_up - ALL_STOPWORDS - also
        return not rest and not found.isdisjoint(asked)

    def states_duration(self, text: str) -> bool:
        """True when ``text`` names a time span: a number of up to DURATION_DIGITS digits
        before a unit of time ("7 дней", «7 күн», "10 years"; not "2020 года")."""
        found = words(text)
        return any(
            number.isdigit() and len(number) <= DURATION_DIGITS and unit in self._durations
            for number, unit in pairwise(found)
        )

    def asks_handover(self, text: str) -> bool:
        """True when ``text`` asks where, or to whom, a thing is handed over and nothing else
        ("кому сдать?", "to whom?", "what is the special state fund?"): its words are those of
        ``asks-handover``, follow-up words, question words and function words."""
        return self._asks_only(text, self._asks_handover, ALL_LANGUAGE_WORDS)

    def states_handover(self, text: str) -> bool:
        """True when ``text`` names where a thing is handed over ("the special state fund"):
        a word of ``handover-places``."""
        return not self._handover_places.isdisjoint(words(text))

    def asks_anonymity(self, text: str) -> bool:
        """True when ``text`` names anonymity ("а анонимно можно?", "can I do it anonymously?",
        «анонимді түрде бола ма?»; ``asks-anonymity``)."""
        return not self._asks_anonymity.isdisjoint(words(text))

    def asks_now(self, text: str) -> bool:
        """True when ``text`` asks about the present and nothing else ("and now?", «а
        сейчас?», «ал қазір ше?»): its words are those of ``asks-now``, follow-up words,
        question words and function words."""
        return self._asks_only(text, self._asks_now, ALL_LANGUAGE_WORDS)

    def states_now(self, text: str) -> bool:
        """True when ``text`` opens with a word of ``asks-now``: a paragraph on the present
        ("**Now:** Law No. 365-VI removed …"; not "Nur-Sultan (now Astana)")."""
        return _opens_with(text, self._asks_now)

    def asks_who(self, text: str) -> bool:
        """True when ``text`` names an ordinary person as the one who acts ("а если это сделал
        не полицейский а обычный человек?", «ал қарапайым адам болса ше?»; ``asks-who``): it
        asks whom the rule covers."""
        return not self._asks_who.isdisjoint(words(text))

    def states_who(self, text: str) -> bool:
        """True when ``text`` opens with a word of ``states-who``: a paragraph on whom a rule
        covers ("**Who is covered.** Per the Kazakh text of the Code: …")."""
        return _opens_with(text, self._states_who)

    def jump(self, folded: list[str]) -> str | None:
        """The entry a follow-up leads to whatever the answer before it (``follow-up-jumps``:
        "куда звонить?", "phone number?" lead to the hotline), or None: the first jump one of
        whose lines of word beginnings the message (its folded words) has."""
        return next(
            (
                entry
                for kind, entry in self._jumps.items()
                if self._jump_signals[kind].found_in(folded)
            ),
            None,
        )

    def only_asks_again(self, folded: Iterable[str]) -> bool:
        """True when the words ``folded`` said with a language's name only ask for something
        again in it ("а … ?", "можно подробнее …", "спасибо, … пожалуйста", «… айтыңызшы»):
        words of ``asks-language``, follow-up words, greetings and thanks, intensifiers,
        question and function words."""
        return all(
            word in self._asks_language
            or word in self._follow_up
            or word in self._polite_words
            or word in self._intensifiers
            or word in ALL_LANGUAGE_WORDS
            for word in folded
        )

    def case_signal(self, folded: list[str]) -> bool:
        """True when every word of some case signal begins a word of the message."""
        return self._case_signals.found_in(folded)

    def names_domain(self, folded: list[str]) -> bool:
        """True when the message names the anti-corruption domain, in or beyond the base
        (``domain-signals``: "conflict of interest", «декларация», "whistleblower")."""
        return self._domain.found_in(folded)

    def asks_overview(self, folded: list[str]) -> bool:
        """True when the message asks what rules there are ("what rules must I know?", a new
        civil servant; ``overview-signals``)."""
        return self._overview.found_in(folded)

    def besides_overview(self, folded: list[str]) -> list[str] | None:
        """The words of a message asking what rules there are besides those that ask it
        ("I'm a new civil servant, what rules must I know?": I'm, must, I, know); None when it
        does not ask (see :meth:`asks_overview`)."""
        return self._overview.outside(folded)

    def outside_words(self, folded: list[str]) -> frozenset[str]:
        """The words of a message that name a matter the base leaves out (taxes;
        ``outside-words``)."""
        return self._outside.intersection(folded)

    def names_personal_giver(self, folded: list[str]) -> bool:
        """True when the message names a giver with no link to one's work ("друг детства",
        "a friend from school", «сыныптасым»; ``personal-giver``)."""
        return self._personal_giver.found_in(folded)

    def asks_privacy(self, text: str) -> bool:
        """Whether a sentence of ``text`` asks what the bot keeps of the user or passes on ("is
        my data shared with the agency?", «мои данные передаются?»; ``asks-privacy``): the
        words of a line in one sentence, not "my" in one and "messages" in the next."""
        return any(self._privacy.found_in(words(said)) for said in split_sentences(text))

    def gives_orders(self, folded: list[str]) -> bool:
        """True when the message tells the bot to drop its instructions ("ignore previous
        instructions", «забудь предыдущие инструкции»; ``orders``)."""
        return self._orders.found_in(folded)


def _opens_with(text: str, first: frozenset[str]) -> bool:
    """Whether the first word of ``text`` is one of ``first`` (a paragraph's subject)."""
    return not first.isdisjoint(words(text)[:1])
