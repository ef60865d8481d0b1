"""Follow-ups: a short message read with the answer the user was just shown ("а жена?" after
the gift ban asks about the family rule; "where is that written?", "what do I do now?"), and
what a typed 👍 or 👎 is about."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from bot.dialog.checkers import offer_button, start_button
from bot.dialog.entries import MAX_RELATED, entry_button, source_list
from bot.dialog.reply import Reply
from bot.dialog.turn import Turn, offers
from bot.kb import Entry
from bot.kb.markup import escape, paragraphs
from bot.matching import MatchResult
from bot.matching.function_words import ALL_LANGUAGE_WORDS
from bot.matching.stem import word_stems

FOLLOW_UP_WORDS = 4  # a message of up to this many words may follow up the last answer
FOLLOW_UP_TIMEOUT = timedelta(minutes=10)  # ... sent within this time of it
ABOUT_WORDS = 7  # an unanswered message this short, sent within that time, asks about it
QUOTE_PREFIX = 6  # letters two stems share to be one word of a quoted paragraph (see _shared)
QUOTED_PARAGRAPHS = 2  # ... and is answered with the paragraphs of it its words are in, if this few
PERSON_WORDS = 10  # a follow-up naming a person may be this long ("and if the gift is from my
# old friend?": see personal_gift_follow_up; "а если это сделал не полицейский а обычный
# человек?": see quoted_follow_up)
KIN_NAMED = 2  # relatives a paragraph names to say who counts as family (see _naming_kin)
CONTEXT_MARGIN = 30.0  # ranking points: a tied follow-up's entry of the answer's topic within
# this of its best entry is what it asks, read after that answer (see _reread); the regression
# alone moves a ranking by up to 20 (MatchConfig.logistic_share), and it reads no context. 25
# until round 26, whose retrain put "а до 2020 года как было"'s old gift threshold 25.1 behind


def last_answer(turn: Turn) -> Entry | None:
    """The entry the user was shown last (typed or opened), if within FOLLOW_UP_TIMEOUT."""
    last = turn.store.recent_answer(turn.user.chat_id, max_age=FOLLOW_UP_TIMEOUT)
    return turn.kb.get(last) if last else None


def in_context(turn: Turn, text: str, result: MatchResult, last: Entry | None) -> MatchResult:
    """``result``; or, for a short follow-up of the last answer (``last``) that the matcher
    cannot answer alone ("and my wife?" after the gift ban), the entry it asks for read after
    that answer's question: another entry of the same topic, one the follow-up's own words suggest
    too. The same answer again, or another topic, is no follow-up; one answered alone with
    another topic's entry that its words do not name is read so too (see
    :func:`_unless_pulled_away`). Else, for one tied to the
    answer by a word, one of its two best entries of the answer's topic (see :func:`_reread`).
    A short message that leads to an entry whatever the answer (:func:`_jumped`: "куда
    звонить?" after a provocation answer) is that entry.
    A short message asking only for a date is the last answer again (:func:`_asks_its_date`);
    one asking only for a detail its paragraphs state is left as it is, to be quoted them
    (:func:`quoted_follow_up`: "куда его сдать?" after the gift ban is no family rule)."""
    if result.smalltalk or last is None or result.lang not in last.texts:
        return result
    if (jumped := _jumped(turn, text, result, last)) is not None:
        return jumped
    said = paragraphs(last.texts[result.lang].answer)
    if _stating_details(turn, text, said):  # "куда сдать?" after the gift ban: quoted
        return result
    if _asks_its_date(turn, text):  # its related questions follow: the date words rank none
        return _answered_with(result, last.id)
    result = _unless_pulled_away(turn, text, result, last)
    # an off-topic reading of the words alone does not rule a follow-up out: "and my brother?"
    # names no topic, and the entry it asks for must be one of its own suggestions anyway
    unanswered = result.entry_id is None and bool(result.suggestions)
    if unanswered and len(text.split()) <= FOLLOW_UP_WORDS:
        found = turn.matcher.match(f"{last.questions(result.lang)[0]} {text}", result.lang)
        if (
            found.entry_id is not None
            and found.entry_id != last.id
            and found.entry_id in result.suggestions
            and turn.kb.entries[found.entry_id].topic == last.topic
        ):
            return replace(found, lang=result.lang)
    short = result.entry_id is None and len(text.split()) <= FOLLOW_UP_WORDS
    if short and turn.matcher.smalltalk.follows_up(text):  # tied to the answer by a word
        read = _required(turn, text, result, last) or _names_the_answer(result, last)
        if read is not None:
            return read
    return _reread(turn, text, result, last)


def _answered_with(result: MatchResult, entry_id: str) -> MatchResult:
    """``result`` answered with ``entry_id`` alone: no suggestions, no question of topics."""
    return replace(
        result,
        entry_id=entry_id,
        suggestions=(),
        two_topics=False,
        one_topic=False,
        off_topic=False,
    )


def _jumped(turn: Turn, text: str, result: MatchResult, last: Entry) -> MatchResult | None:
    """For a message of up to ABOUT_WORDS words that smalltalk.yaml's ``follow-up-jumps``
    lead to an entry ("а куда звонить?", "phone number?": the hotline; "and if I already
    paid?": the help for a provoked person), that entry, when the last answer's topic leads
    to it (:func:`_leads_to`); else None."""
    if len(text.split()) > ABOUT_WORDS:
        return None
    target = turn.kb.get(turn.matcher.smalltalk.jump(turn.matcher.folded(text)) or "")
    if target is None or not _leads_to(turn, last.topic, target):
        return None
    return _answered_with(result, target.id)  # its related entries follow, not other readings


def _leads_to(turn: Turn, topic: str, target: Entry) -> bool:
    """Whether ``target`` is of ``topic``, or an entry of that topic lists it as related (the
    hotline after a gift, provocation or extortion answer; not after the relatives rule)."""
    return target.topic == topic or any(target.id in e.related for e in turn.kb.by_topic(topic))


def _unless_pulled_away(turn: Turn, text: str, result: MatchResult, last: Entry) -> MatchResult:
    """``result``; or, as unanswered (its entry the first suggestion), a short message tied
    to the last answer by a word (:func:`_tied`) and answered alone with an entry of another
    topic although its words name no topic: a word of it merely pulled that entry in ("а её
    руководитель кому подчиняется?" or "and who do I report to?" after the compliance
    services: not the relatives rule or the hotline), and it asks about the last answer. One
    naming a topic ("а подарки?") is a new question."""
    if result.entry_id is None or len(text.split()) > ABOUT_WORDS:
        return result
    if turn.kb.entries[result.entry_id].topic == last.topic:
        return result
    if not _tied(turn, text) or turn.matcher.names_topic(text, result.lang):
        return result
    return replace(result, entry_id=None, suggestions=(result.entry_id, *result.suggestions))


def _asks_its_date(turn: Turn, text: str) -> bool:
    """Whether a short message asks when the last answer's rule came in, in words of a date
    alone ("с какого числа?", "when did it come into force?" after Law 384-VI; the matcher
    gave it Law 365-VI's date). "when was the anti-corruption law adopted?" and "when did
    the gift ban start?" name what they ask about."""
    return len(text.split()) <= ABOUT_WORDS and turn.matcher.smalltalk.asks_when(text)


def _required(turn: Turn, text: str, result: MatchResult, last: Entry) -> MatchResult | None:
    """For an unanswered short follow-up tied to the last answer by a word, another entry of
    that answer's topic which requires a concept the follow-up names ("а мой брат?" after the
    gift ban: the family rule, which needs a relative); else None."""
    for entry_id in turn.matcher.requirement_named(text, result.lang):
        if entry_id != last.id and turn.kb.entries[entry_id].topic == last.topic:
            others = tuple(s for s in result.suggestions if s != entry_id)
            return replace(result, entry_id=entry_id, suggestions=others)
    return None


def _names_the_answer(result: MatchResult, last: Entry) -> MatchResult | None:
    """For an unanswered short follow-up tied to the last answer by a word, whose own words
    name that answer's topic and another ("and my wife?" after the relatives rule: the
    relatives rule or the family gift rule?), the last answer, read as asked again; else
    None."""
    if not (result.two_topics or result.one_topic) or last.id not in result.suggestions:
        return None
    others = tuple(s for s in result.suggestions if s != last.id)
    return replace(result, entry_id=last.id, two_topics=False, one_topic=False, suggestions=others)


def _reread(turn: Turn, text: str, result: MatchResult, last: Entry) -> MatchResult:
    """``result``; or, when it is no entry of the last answer's topic and the message is a
    short follow-up tied to that answer by a word or by its topic (:func:`_of_its_topic`), the
    first of its two best-ranked entries that is another entry of the answer's topic, within
    CONTEXT_MARGIN of the best ("and if it was before 2020?" after the gift ban: the old gift
    threshold, not the history of Art. 412-1, which stays the first suggestion). An answered
    message's own entry must lead; one whose best entry is the last answer itself asks about
    that answer ("who can be punished?" after Art. 412-1: not the time before it)."""
    answered = turn.kb.entries[result.entry_id] if result.entry_id else None
    if (answered is not None and answered.topic == last.topic) or len(text.split()) > ABOUT_WORDS:
        return result
    ranked = turn.matcher.search(text, limit=2, written=result.lang)
    if not ranked or (answered is not None and ranked[0][0] != answered.id):
        return result
    if ranked[0][0] == last.id:  # "who can be punished?" after Art. 412-1 asks about it
        return result
    if not _of_its_topic(turn, text, ranked, last) and (
        result.off_topic or not turn.matcher.smalltalk.follows_up(text)
    ):
        return result
    best = ranked[0][1]
    for entry_id, score in ranked:
        entry = turn.kb.entries[entry_id]
        if entry.topic == last.topic and entry.id != last.id and best - score <= CONTEXT_MARGIN:
            rest = tuple(e for e, _ in ranked if e != entry_id)
            others = tuple(s for s in result.suggestions if s != entry_id and s not in rest)
            return replace(result, entry_id=entry_id, suggestions=(*rest, *others))
    return result


def _of_its_topic(turn: Turn, text: str, ranked: list[tuple[str, float]], last: Entry) -> bool:
    """Whether a message of up to FOLLOW_UP_WORDS words, whose best-ranked entries are
    ``ranked``, is tied to the last answer by its topic: its best entry is of that answer's
    topic ("примеры" after Art. 412-1, "куда сдать?" after the gift ban), however unsure the
    matcher is of it alone."""
    short = len(text.split()) <= FOLLOW_UP_WORDS
    return short and bool(ranked) and turn.kb.entries[ranked[0][0]].topic == last.topic


def unread_follow_up(
    turn: Turn, text: str, result: MatchResult, last: Entry | None
) -> Entry | None:
    """The last answer (``last``), when ``result`` leaves a short message sent just after it
    unanswered and a word ties it to that answer (:func:`_tied`: "а мой брат?", "why?", "what
    if I already took it?", "а анонимно можно?") or its topic does (see
    :func:`_of_its_topic`: "куда сдать?" after the gift ban): it asks something about that
    answer. One that nothing ties ("бастығым маған сыйлық берді", "кто президент?"), or that
    names another topic ("а подарки?" after the relatives rule), is a new question."""
    if result.entry_id or result.smalltalk or result.two_topics or last is None:
        return None
    if len(text.split()) > ABOUT_WORDS:
        return None
    tied = _tied(turn, text)
    if not tied and not _of_its_topic(turn, text, turn.matcher.search(text, 1, result.lang), last):
        return None
    named = turn.kb.get(result.suggestions[0]) if result.one_topic and result.suggestions else None
    if named and not result.off_topic and named.topic != last.topic:
        return None
    return last


def repeated_follow_up(
    turn: Turn, text: str, result: MatchResult, last: Entry | None
) -> Entry | None:
    """The last answer (``last``), when a short message sent just after it, tied to it by a word
    (``follow-up``), is answered with that same entry ("а если брат в другом управлении?"
    after the relatives rule): the user asks about a difference the base does not hold."""
    if result.entry_id is None or len(text.split()) > ABOUT_WORDS:
        return None
    if last is None or last.id != result.entry_id:
        return None
    smalltalk = turn.matcher.smalltalk
    return last if smalltalk.follows_up(text) or smalltalk.asks_when(text) else None


def quoted_follow_up(
    turn: Turn, text: str, result: MatchResult, last: Entry | None
) -> Reply | None:
    """The paragraphs of the last answer (``last``) that a short message sent just after it,
    which the base cannot answer alone, asks about: its content words are in them, and in
    QUOTED_PARAGRAPHS of them at most ("какое наказание?" or "сколько лет дают?" after
    Art. 412-1: the paragraph on the penalty), with a button to the whole answer; one of up
    to PERSON_WORDS words naming an ordinary person ("а если это сделал не полицейский а
    обычный человек?"), its paragraph on whom it covers. A detail asked (:func:`_details`) is
    quoted only from the paragraphs that state it. None for an answered message, small talk,
    one that names another topic ("а подарки?" after the relatives rule), or words found
    nowhere or all over the answer."""
    smalltalk = turn.matcher.smalltalk
    longest = PERSON_WORDS if smalltalk.asks_who(text) else ABOUT_WORDS
    if result.smalltalk or last is None or len(text.split()) > longest:
        return None
    said = paragraphs(last.texts[turn.lang].answer)
    kin = _naming_kin(turn, text, said)  # a relative alone names no other topic here
    stated = _stating_details(turn, text, said)
    if result.entry_id is not None:  # "а племянник?" read as the relatives rule again
        found = kin if result.entry_id == last.id else []
    elif stated is not None:  # not «хабарлама» for «жасырын хабарласуға бола ма?»
        found = stated
    else:
        found = kin or _sharing(turn, text, result, last)
    if not found or len(found) > QUOTED_PARAGRAPHS:
        return None
    heading = turn._(
        "From the answer to “{question}”:", question=escape(last.questions(turn.lang)[0])
    )
    return Reply("\n\n".join([heading, *found]), ((entry_button(last, turn.lang),),))


def personal_gift_follow_up(turn: Turn, text: str, last: Entry | None) -> Reply | None:
    """For a message of up to PERSON_WORDS words just after an answer of the gift check's
    topic that names a giver with no link to one's work ("а если подарок от друга детства?";
    smalltalk.yaml's ``personal-giver``), that check offered: the sources do not directly
    cover such a gift, so no rule of the answer is quoted as surely applying. None otherwise
    ("а от подрядчика?")."""
    smalltalk = turn.matcher.smalltalk
    checker = turn.kb.checkers.get(smalltalk.personal_gift_check or "")
    if last is None or checker is None or checker.topic != last.topic:
        return None
    if len(text.split()) > PERSON_WORDS:
        return None
    if not smalltalk.names_personal_giver(turn.matcher.folded(text)):
        return None
    text = turn._(
        "My sources do not directly cover a purely personal gift from someone with no link to "
        "your work. The step-by-step check walks through your case:"
    )
    return Reply(text, ((start_button(turn, checker),),))


def _sharing(turn: Turn, text: str, result: MatchResult, last: Entry) -> list[str]:
    """The paragraphs of the last answer (``last``) that hold a content word of a message
    whose two best-ranked entries include one of that answer's topic (see :func:`_shared`);
    none for one that names another topic, or whose words rank only other topics' entries
    ("what happens if I don't report it?" after the relatives rule is no question about its
    paragraph on a news report)."""
    named = turn.kb.get(result.suggestions[0]) if result.one_topic and result.suggestions else None
    if result.two_topics or (named is not None and named.topic != last.topic):
        return []
    ranked = turn.matcher.search(text, limit=2, written=result.lang)
    if all(turn.kb.entries[entry_id].topic != last.topic for entry_id, _score in ranked):
        return []
    asked = _stems(turn, text)
    return [p for p in paragraphs(last.texts[turn.lang].answer) if _shared(asked, _stems(turn, p))]


def _details(turn: Turn) -> tuple[tuple[Callable[[str], bool], Callable[[str], bool]], ...]:
    """The details a short follow-up may ask of an answer alone, each as whether a message
    asks it and whether a paragraph states it: a time limit ("какой срок?": "within 7 days"),
    where a thing is handed over ("кому сдать?": "to the special state fund"), anonymity ("а
    анонимно можно?": a paragraph naming it), the present ("and now?": "Now: …"), whom a rule
    covers ("а если это обычный человек?": "Who is covered. …")."""
    smalltalk = turn.matcher.smalltalk
    return (
        (smalltalk.asks_deadline, smalltalk.states_duration),
        (smalltalk.asks_handover, smalltalk.states_handover),
        (smalltalk.asks_anonymity, smalltalk.asks_anonymity),
        (smalltalk.asks_now, smalltalk.states_now),
        (smalltalk.asks_who, smalltalk.states_who),
    )


def _tied(turn: Turn, text: str) -> bool:
    """Whether a word ties a short message to the last answer: a ``follow-up`` word, it asks
    a detail of it (:func:`_details`: "анонимді түрде бола ма?"), or it is question words
    alone ("кто?", «қанша?», "how many?")."""
    smalltalk = turn.matcher.smalltalk
    asked = (asks(text) for asks, _states in _details(turn))
    return smalltalk.follows_up(text) or any(asked) or smalltalk.asks_only_question_words(text)


def _stating_details(turn: Turn, text: str, said: list[str]) -> list[str] | None:
    """For a message that asks for one detail alone (:func:`_details`), the paragraphs of
    ``said`` that state it; None for one that asks none."""
    for asks, states in _details(turn):
        if asks(text):
            return [p for p in said if states(p)]
    return None


def _naming_kin(turn: Turn, text: str, said: list[str]) -> list[str]:
    """For a message that only names a relative ("а тёща?", «ал енеме ше?» after the family
    gift rule), the paragraphs of ``said`` that name KIN_NAMED relatives or more (not one twice,
    in any form: "члены семьи", «родственники … родственников»): the list of who counts as
    family, and who does not."""
    kin = turn.matcher.index.kin_role
    asked = [w for w in turn.matcher.folded(text) if w not in ALL_LANGUAGE_WORDS]
    if not asked or any(kin(w) != "kin" for w in asked):
        return []
    return [p for p in said if len(_kin_named(turn, p)) >= KIN_NAMED]


def _kin_named(turn: Turn, text: str) -> set[str]:
    """The relatives ``text`` names, each once in any of its forms: the first QUOTE_PREFIX
    letters of its shortest stem («родственники» and «родственников» are one)."""
    kin = turn.matcher.index.kin_role
    return {
        min(word_stems(word), key=len)[:QUOTE_PREFIX]
        for word in turn.matcher.folded(text)
        if kin(word) == "kin"
    }


def _shared(asked: set[str], said: set[str]) -> bool:
    """Whether a stem of ``asked`` is one of ``said``, or shares its first QUOTE_PREFIX letters
    with one: the stemmer leaves «тапсырамын» (I hand over) «тапсырам» and «тапсырыңыз» (hand
    over!) «тапсыры»."""
    return bool(asked & said) or any(
        a[:QUOTE_PREFIX] == s[:QUOTE_PREFIX]
        for a in asked
        if len(a) >= QUOTE_PREFIX
        for s in said
        if len(s) >= QUOTE_PREFIX
    )


def _stems(turn: Turn, text: str) -> set[str]:
    """The stems of the content words of ``text``, in any language they may be of."""
    return {
        stem
        for word in turn.matcher.folded(text)
        if word not in ALL_LANGUAGE_WORDS and not word.isdigit()
        for stem in word_stems(word)
    }


def about_last_answer(turn: Turn, entry: Entry, suggestions: tuple[str, ...]) -> Reply:
    """The reply to a follow-up of ``entry`` that the bot cannot read: it says so, asks for
    the whole question, and offers the entries of its topic among ``suggestions``, then its
    related questions."""
    _ = turn._
    question = escape(entry.questions(turn.lang)[0])  # whole: a button's label may be cut
    same_topic = [s for s in suggestions if (e := turn.kb.get(s)) and e.topic == entry.topic]
    offered = [turn.kb.get(s) for s in dict.fromkeys((*same_topic, *entry.related))]
    rows = tuple(
        (entry_button(e, turn.lang),) for e in offered if e is not None and e.id != entry.id
    )[:MAX_RELATED]
    text = _(
        "I am not sure what you are asking about my last answer (“{question}”). Please "
        "write it as a whole question: who, what happened, and what you want to know.",
        question=question,
    )
    if rows:  # the last line, just above the buttons it is about
        text += " " + _("Or choose one of these:")
    check = offer_button(turn, entry.topic)
    return Reply(text, (*rows, (check,)) if check else rows)


def sources_of_last_answer(turn: Turn) -> Reply:
    """ "Where is that written?": the sources of the answer shown last, or where answers keep
    them when there is none."""
    _ = turn._
    entry = last_answer(turn)
    if entry is None:
        return Reply(
            _(
                "Every answer lists its sources at the end. Ask your question, and the answer "
                "will show where the rule is written."
            )
        )
    heading = _(  # its whole first question: a button's label may be cut short ("…")
        "The last answer, “{question}”, is based on these sources:",
        question=escape(entry.questions(turn.lang)[0]),
    )
    return Reply(heading + "\n" + source_list(turn, entry.sources))


def next_step_after_last_answer(turn: Turn) -> Reply:
    """ "What do I do now?": the step-by-step check of the last answer's topic; for a topic
    without one, a request to tell what happened (no word of checks: the user asked for none),
    /ask where experts can be asked, and the answer's first related entry; with no answer
    shown, a request to tell what happened."""
    _ = turn._
    entry = last_answer(turn)
    if entry is None:
        return Reply(
            _(
                "Tell me what happened in a sentence or two, or check your situation step by "
                "step with /check."
            )
        )
    check = offer_button(turn, entry.topic)
    if check is not None:
        text = _(
            "Let's check your case step by step: a few questions, then what to do and whom to "
            "contact."
        )
        return Reply(text, ((check,),))
    text = _("Tell me what happened in a sentence or two.")
    if offers(turn, "ask"):
        text += " " + _("You can also ask an expert with /ask.")
    related = next(filter(None, map(turn.kb.get, entry.related)), None)
    if related is None:
        return Reply(text)
    text += "\n\n" + _("This related question may help:")  # just above its button
    return Reply(text, ((entry_button(related, turn.lang),),))
