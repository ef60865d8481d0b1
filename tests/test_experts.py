"""Ask an expert (issue 20), the dialog without a transport: the asker's preview, edit and
cancel; the case reaching every expert without the asker; the first taker owns it; answers,
the asker's one reply and rating; the open-case limit; the reminder and the official contacts;
the feature off without experts and in the terminal; /forget and the retention; the case mail
delivered exactly once."""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest

from bot.config import Settings
from bot.console import Console, console_settings
from bot.dialog import Dialog, Reply, UserRef, build_dialog
from bot.dialog.answers import REPORT_ENTRY
from bot.dialog.entries import entry_text
from bot.dialog.experts import MAX_ANSWER, MAX_QUESTION, Experts
from bot.dialog.reply import CALLBACK_DATA_LIMIT, Outgoing, split_language
from bot.kb.markup import to_plain
from bot.notices import DeliveryBlocked, DeliveryRejected, DeliveryTransient
from bot.notices.case_mail import CaseMailSender
from bot.notices.lease import Lease
from bot.store import Store
from tests.helpers.dialogs import forget

EXPERT, OTHER_EXPERT, ADMIN = 9001, 9002, 9003
ASKER = UserRef(7001, 7001, "ru")
E1 = UserRef(EXPERT, EXPERT, "ru")
E2 = UserRef(OTHER_EXPERT, OTHER_EXPERT, "en")
BOSS = UserRef(ADMIN, ADMIN, "en", is_admin=True)
IIN, PHONE = "900101300126", "+7 701 123 45 67"
STORY = f"Меня зовут Асхат Нурланов, ИИН {IIN}, тел. {PHONE}. Как оформить командировку за рубеж?"


class Mailroom:
    """The case mail delivered as the Telegram side delivers it (claimed under a lease, sent,
    finished), into an inbox per chat; each new message gets an id."""

    def __init__(self, dialog: Dialog) -> None:
        self.dialog = dialog
        self.experts = next(f for f in dialog.features if isinstance(f, Experts))
        self.lease = Lease(dialog.store)
        self.lease.take()
        self.inbox: dict[int, list[tuple[int, Outgoing]]] = defaultdict(list)
        self.ids = itertools.count(100)
        self.blocked: set[int] = set()
        self.failing: list[Exception] = []  # raised by the next sends, in order
        render = partial(self.experts.render, dialog)
        self.sender = CaseMailSender(dialog.store, self, render, lease=self.lease)

    async def send(self, chat_id: int, message: Outgoing) -> int:
        if self.failing:
            raise self.failing.pop(0)
        if chat_id in self.blocked:
            raise DeliveryBlocked("Forbidden: bot was blocked by the user")
        message_id = message.edit or next(self.ids)
        self.inbox[chat_id].append((message_id, message))
        return message_id

    def deliver(self) -> int:
        """Send what is due; how many messages went out."""
        return asyncio.run(self.sender.drain())

    def last(self, chat_id: int) -> tuple[int, Outgoing]:
        return self.inbox[chat_id][-1]

    def text(self, chat_id: int) -> str:
        return to_plain(self.last(chat_id)[1].reply.text)


def names(text: str, number: int) -> bool:
    """Whether ``text`` names case ``number`` (#12 in English, №12 in Russian)."""
    return re.search(rf"[#№]{number}(?!\d)", text) is not None


def plain(reply: Reply) -> str:
    """A reply's text as the user reads it."""
    return to_plain(reply.text)


def actions(reply: Reply) -> list[str]:
    return [split_language(b.action)[0] for row in reply.buttons for b in row]


def press(dialog: Dialog, user: UserRef, reply: Reply, prefix: str) -> list[Reply]:
    """Press the first button of ``reply`` whose action starts with ``prefix``."""
    action = next(b.action for row in reply.buttons for b in row if b.action.startswith(prefix))
    assert len(action.encode()) <= CALLBACK_DATA_LIMIT
    return dialog.handle_button(user, action)


def make_dialog(tmp_path: Path, knowledge: Path, **settings: object) -> Dialog:
    """The dialog over ``knowledge`` (a copy of the bundled base), with two experts and an
    admin who have started the bot."""
    options: dict[str, object] = {
        "knowledge_dir": knowledge,
        "experts": frozenset({EXPERT, OTHER_EXPERT}),
        "admins": frozenset({ADMIN}),
        "drafts_dir": tmp_path / "drafts",
        **settings,
    }
    dialog = build_dialog(Settings(**options), Store(":memory:"))  # type: ignore[arg-type]
    for expert in (E1, E2):  # the experts have started the bot
        dialog.handle_message(expert, "/start")
    return dialog


@pytest.fixture
def dialog(tmp_path: Path, kb_shared: Path) -> Dialog:
    return make_dialog(tmp_path, kb_shared)


@pytest.fixture
def mail(dialog: Dialog) -> Mailroom:
    return Mailroom(dialog)


def ru(dialog: Dialog, msgid: str, **fields: object) -> str:
    """A UI string as the Russian-speaking asker reads it."""
    return dialog.catalogs.translator("ru")(msgid, **fields)


def preview_of(dialog: Dialog, text: str = STORY) -> Reply:
    """Ask what the base cannot answer and press "Ask an expert": the preview."""
    replies = dialog.handle_message(ASKER, text)
    assert any(a.startswith("a:p:") for a in actions(replies[0])), to_plain(replies[0].text)
    (preview,) = press(dialog, ASKER, replies[0], "a:p:")
    return preview


def send_case(dialog: Dialog, text: str = STORY) -> int:
    """A question sent to the experts; its case number."""
    preview = preview_of(dialog, text)
    edit, sent = press(dialog, ASKER, preview, "a:s:")
    assert edit.edit and not edit.buttons
    number = int(actions(preview)[0].split(":")[2])
    assert sent.text == ru(dialog, _SENT, number=number, hours=24)
    assert actions(sent) == [f"a:w:{number}"]  # it can be withdrawn at once
    return number


_WRITE = (
    "Write your question for the experts in one message. Before it goes, I will show you what "
    "they will see."
)
_SENT = (
    "Sent to the experts as case #{number}. When one of them answers, I will pass the answer "
    "on here, signed “an expert”. If nobody can answer within {hours} h, I will tell you where "
    "else to turn."
)


def answered_case(dialog: Dialog, mail: Mailroom, answer: str = "Нужно согласование.") -> int:
    """A case taken and answered by the first expert, the answer delivered."""
    number = send_case(dialog)
    mail.deliver()
    case_message, _ = mail.inbox[EXPERT][0]
    dialog.handle_button(E1, f"c:t:{number}|ru")
    replies = dialog.handle_message(E1, answer, reply_to=case_message)
    assert "c:b:" in "".join(actions(replies[0]))
    mail.deliver()
    return number


# --------------------------------------------------------------------------- asking


def test_preview_shows_only_the_redacted_question_before_anything_is_sent(
    dialog: Dialog, mail: Mailroom
) -> None:
    preview = preview_of(dialog)
    text = to_plain(preview.text)
    assert "[IIN]" in text and "[PHONE]" in text and "[NAME]" in text
    assert IIN not in text and "701" not in text and "Асхат" not in text
    assert ru(dialog, "**This is what the experts will see:**").strip("*") in text
    assert [a.split(":")[1] for a in actions(preview)] == ["s", "e", "c"]
    assert mail.deliver() == 0  # nothing goes anywhere before "Send"


def test_edit_before_sending_replaces_the_text_and_the_old_preview(
    dialog: Dialog, mail: Mailroom
) -> None:
    preview = preview_of(dialog)
    edit, prompt = press(dialog, ASKER, preview, "a:e:")
    assert edit.edit and prompt.text == ru(
        dialog, "Send the new text of your question in one message."
    )
    (new,) = dialog.handle_message(ASKER, "Как оплачивается командировка за рубеж? Тел 87011234567")
    assert "[PHONE]" in plain(new) and "Асхат" not in plain(new)
    assert press(dialog, ASKER, preview, "a:s:")[0].toast  # the old preview is out of date
    press(dialog, ASKER, new, "a:s:")
    assert mail.deliver() == 2  # one case to each expert
    assert "командировка" in mail.text(EXPERT) and "[PHONE]" in mail.text(EXPERT)


def test_cancel_before_sending_sends_nothing_and_keeps_nothing(
    dialog: Dialog, mail: Mailroom
) -> None:
    preview = preview_of(dialog)
    edit, done = press(dialog, ASKER, preview, "a:c:")
    assert edit.edit and done.text == ru(dialog, "Cancelled: nothing was sent.")
    assert dialog.store.db["cases"].count == 0 and mail.deliver() == 0
    assert press(dialog, ASKER, preview, "a:s:")[0].toast  # cancelled: out of date


def test_cancel_typed_at_the_preview_drops_the_question(dialog: Dialog, mail: Mailroom) -> None:
    """/cancel said "There is nothing to cancel" while the preview waited, and "Send" still
    sent it (a probe)."""
    preview = preview_of(dialog)
    (cancelled,) = dialog.handle_message(ASKER, "/cancel")
    assert cancelled.text == ru(dialog, "Cancelled. Ask me anything.")
    assert press(dialog, ASKER, preview, "a:s:")[0].toast  # out of date: nothing is sent
    assert dialog.store.db["cases"].count == 0 and mail.deliver() == 0
    (nothing,) = dialog.handle_message(ASKER, "/cancel")
    assert nothing.text == ru(dialog, "There is nothing to cancel.")


@pytest.mark.parametrize("text", ["asdfgh qwerty", "иди нахер"])
def test_noise_and_insults_are_not_offered_to_the_experts(dialog: Dialog, text: str) -> None:
    """No entry is anywhere near them: "Ask an expert" would send junk to the experts."""
    assert dialog.library.matcher.match(text).suggestions == ()
    replies = dialog.handle_message(ASKER, text)
    assert not any(a.startswith("a:p:") for r in replies for a in actions(r))
    assert dialog.store.db["cases"].count == 0


@pytest.mark.parametrize(
    "text", ["Кто президент Казахстана?", "what's the weather in Astana?", "Ауа райы қандай?"]
)
def test_off_topic_questions_are_not_offered_to_the_experts(dialog: Dialog, text: str) -> None:
    """Round 35's probe: an off-topic question got the off-topic reply with "Ask an expert",
    which invites the experts to be spammed; a question of the domain the base lacks (a trip
    abroad, which others may not pay for) keeps the button."""
    off_topic = (
        "I only answer questions about Kazakhstan's anti-corruption rules: gifts, relatives at "
        "work, provocation by officials, compliance services, attacks on officers. Browse them "
        "with /topics."
    )
    (reply,) = dialog.handle_message(ASKER, text)
    lang = dialog.library.matcher.language(text)
    assert reply.text == dialog.catalogs.translator(lang)(off_topic)
    assert not any(a.startswith("a:p:") for a in actions(reply))
    (domain,) = dialog.handle_message(ASKER, "Как оформить командировку за рубеж?")
    assert any(a.startswith("a:p:") for a in actions(domain))


def test_ask_command_with_text_alone_or_nothing(dialog: Dialog) -> None:
    (preview,) = dialog.handle_message(ASKER, f"/ask Можно ли оплатить курсы? ИИН {IIN}")
    assert "[IIN]" in plain(preview) and "a:s:" in "".join(actions(preview))
    (prompt,) = dialog.handle_message(ASKER, "/ask")
    assert "[IIN]" in plain(prompt)  # the draft just made is offered again
    dialog.handle_button(ASKER, next(a for a in actions(prompt) if a.startswith("a:c:")))
    (prompt,) = dialog.handle_message(ASKER, "/ask")
    assert prompt.text == ru(dialog, _WRITE)
    (preview,) = dialog.handle_message(ASKER, "Кто оплачивает обучение за рубежом?")
    assert "обучение" in preview.text and "a:s:" in "".join(actions(preview))


_ITSELF = (
    "Please write the question itself in one message: who, what happened, and what you want to "
    "know. Before it goes to the experts, I will show you what they will see."
)


@pytest.mark.parametrize(
    ("command", "texts"),
    [("/ask", ["hi", "ok", "спасибо"]), ("/ask привет", ["сәлем", "взятка"])],
)
def test_a_message_that_asks_nothing_is_not_offered_to_the_experts(
    dialog: Dialog, command: str, texts: list[str]
) -> None:
    """A probe: "hi" after /ask was previewed for sending to the experts. Small talk, or a
    word that is no question, gets a request for the question itself, and /ask still waits
    for it."""
    dialog.handle_message(ASKER, command)
    for text in texts:
        (prompt,) = dialog.handle_message(ASKER, text)
        lang = dialog.store.written_language(ASKER.chat_id) or "ru"
        assert prompt.text == dialog.catalogs.translator(lang)(_ITSELF) and not prompt.buttons
    assert dialog.store.awaited_case(ASKER.chat_id, timedelta(minutes=5)) is not None
    (preview,) = dialog.handle_message(ASKER, "Кто оплачивает обучение за рубежом?")
    assert "обучение" in preview.text and "a:s:" in "".join(actions(preview))
    assert dialog.store.db["cases"].count == 1  # the draft previewed, nothing else kept


@pytest.mark.parametrize(("command", "lang"), [("/эксперт", "ru"), ("/сарапшы", "kk")])
def test_a_newcomers_ask_by_a_name_in_a_language_waits_for_the_question_in_it(
    dialog: Dialog, command: str, lang: str
) -> None:
    """Round 41's probe: after «/эксперт» (asked for in Russian), "ok" from a newcomer whose
    client speaks English was asked for the question itself in English."""
    newcomer = UserRef(7100, 7100, "en")
    _ = dialog.catalogs.translator(lang)
    assert [r.text for r in dialog.handle_message(newcomer, command)] == [_(_WRITE)]
    assert [r.text for r in dialog.handle_message(newcomer, "ok")] == [_(_ITSELF)]


@pytest.mark.parametrize("text", ["взятка", "test"])
def test_a_single_word_is_not_offered_to_the_experts(dialog: Dialog, text: str) -> None:
    """A word that is no question gets no "Ask an expert" button: it asks them nothing."""
    replies = dialog.handle_message(ASKER, text)
    assert not any(a.startswith("a:p:") for r in replies for a in actions(r))
    assert dialog.store.db["cases"].count == 0


def test_cancel_after_a_bare_ask_cancels_the_question_awaited(dialog: Dialog) -> None:
    (prompt,) = dialog.handle_message(ASKER, "/ask")
    assert prompt.text == ru(dialog, _WRITE)
    (cancelled,) = dialog.handle_message(ASKER, "/cancel")
    assert cancelled.text == ru(dialog, "Cancelled. Ask me anything.")
    replies = dialog.handle_message(ASKER, "Кто оплачивает обучение за рубежом?")
    assert not any("a:s:" in "".join(actions(r)) for r in replies)  # a question, no draft


@pytest.mark.parametrize("text", ["отмена", "жоқ керек емес", "never mind"])
def test_cancel_in_words_after_a_bare_ask_is_no_question(dialog: Dialog, text: str) -> None:
    """This round's probe: after /ask, "жоқ керек емес" (no, not needed) was previewed as a
    question for the experts. Words that stop, as /cancel, send and keep nothing."""
    dialog.handle_message(ASKER, "/ask")
    (cancelled,) = dialog.handle_message(ASKER, text)
    assert cancelled.text == ru(dialog, "Cancelled: nothing was sent.")
    assert not dialog.store.awaited_case(ASKER.chat_id, timedelta(hours=1))
    replies = dialog.handle_message(ASKER, "Кто оплачивает обучение за рубежом?")
    assert not any("a:s:" in "".join(actions(r)) for r in replies)  # a question, no draft


@pytest.mark.parametrize(
    "text", ["хочу задать вопрос эксперту", "Можно поговорить с живым человеком?"]
)
def test_asking_for_a_person_in_words_is_the_ask_command(dialog: Dialog, text: str) -> None:
    """Before, "can I talk to a person" got "I don't know" with unrelated suggestions."""
    dialog.handle_message(ASKER, "Как оформить командировку за рубеж?")  # not in the base
    (offer,) = dialog.handle_message(ASKER, text)
    assert "командировку" in offer.text and "a:s:" in "".join(actions(offer))
    press(dialog, ASKER, offer, "a:c:")
    (prompt,) = dialog.handle_message(ASKER, text)  # no draft left: asks for the question
    assert prompt.text == ru(dialog, _WRITE)


def test_asking_for_a_person_where_nobody_can_be_asked_says_so(
    tmp_path: Path, kb_shared: Path
) -> None:
    lone = make_dialog(tmp_path, kb_shared, experts=frozenset())
    (reply,) = lone.handle_message(ASKER, "I want to ask a human expert")  # in English
    assert reply.text == "Asking an expert is not available: this bot has no experts set up."
    (reply,) = lone.handle_message(ASKER, "хочу поговорить с человеком")
    assert reply.text == ru(
        lone, "Asking an expert is not available: this bot has no experts set up."
    )
    assert lone.library.matcher.match("I want to ask a human expert").entry_id is None


def test_what_do_i_do_now_without_a_check_points_to_the_experts(dialog: Dialog) -> None:
    """After an answer of a topic with no step-by-step check, "what do I do now?" names /ask
    where experts can be asked; with a check, the check is offered alone."""
    dialog.handle_message(ASKER, "/start attack-on-officer-art-380-1")
    (reply,) = dialog.handle_message(ASKER, "и что теперь делать?")
    assert ru(dialog, "You can also ask an expert with /ask.") in reply.text
    assert actions(reply) == ["e:attack-on-officer-intent"]
    dialog.handle_message(ASKER, "/start relatives-same-agency")
    (check,) = dialog.handle_message(ASKER, "и что теперь делать?")
    assert "/ask" not in check.text and actions(check) == ["k:check-relatives:"]


def test_a_question_the_base_may_answer_is_shown_with_its_entry(dialog: Dialog) -> None:
    (preview,) = dialog.handle_message(ASKER, "/ask Можно ли госслужащему принять подарок?")
    assert actions(preview)[0] == "e:gifts-any-value-ban"
    assert "a:s:" in actions(preview)[1]


def test_too_long_texts_are_refused_with_the_limit(dialog: Dialog, mail: Mailroom) -> None:
    long = "Как быть? " * (MAX_QUESTION // 9)
    (refused,) = dialog.handle_message(ASKER, f"/ask {long}")
    assert str(MAX_QUESTION) in refused.text and not refused.buttons
    number = send_case(dialog)
    mail.deliver()
    case_message, _ = mail.inbox[EXPERT][0]
    (refused,) = dialog.handle_message(E1, "Ответ. " * (MAX_ANSWER // 6), reply_to=case_message)
    assert str(MAX_ANSWER) in refused.text
    assert dialog.store.case(number).answers == 0  # type: ignore[union-attr]


# --------------------------------------------------------------------------- the experts


def test_the_case_reaches_every_expert_without_the_asker(dialog: Dialog, mail: Mailroom) -> None:
    number = send_case(dialog)
    assert mail.deliver() == 2
    for expert in (EXPERT, OTHER_EXPERT):
        [(_id, message)] = mail.inbox[expert]
        text = to_plain(message.reply.text)
        assert names(text, number) and "Русский" in text  # its number and language
        assert "[IIN]" in text and "[PHONE]" in text and "[NAME]" in text
        for secret in (IIN, "701", "Асхат", "Нурланов", str(ASKER.chat_id)):
            assert secret not in text
        assert actions(message.reply) == [f"c:t:{number}"]
    assert "Press “Take it” to answer" in mail.text(OTHER_EXPERT)  # in the expert's language
    assert mail.deliver() == 0  # exactly once


def test_the_first_taker_owns_the_case_and_the_others_see_it_taken(
    dialog: Dialog, mail: Mailroom
) -> None:
    number = send_case(dialog)
    mail.deliver()
    (taken,) = dialog.handle_button(E1, f"c:t:{number}|ru")
    assert taken.toast == ru(dialog, "Case #{number} is yours.", number=number)
    (late,) = dialog.handle_button(E2, f"c:t:{number}|en")
    assert late.toast == f"Another expert has taken case #{number}."
    mail.deliver()
    first_message, _ = mail.inbox[OTHER_EXPERT][0]
    edited_id, edited = mail.last(OTHER_EXPERT)
    assert edited.edit == first_message == edited_id and not edited.reply.buttons
    assert "Another expert took this case." in to_plain(edited.reply.text)
    (refused,) = dialog.handle_message(E2, "Мой ответ", reply_to=first_message)
    assert refused.text.startswith(f"Another expert has taken case #{number}.")
    assert "Your reply was not passed on." in refused.text
    assert not mail.inbox[ASKER.chat_id]


def test_the_owner_answers_by_replying_and_the_asker_gets_it_signed_an_expert(
    dialog: Dialog, mail: Mailroom
) -> None:
    number = answered_case(dialog, mail, "Да, с согласованием руководителя. Гульнара")
    _id, answer = mail.last(ASKER.chat_id)
    text = to_plain(answer.reply.text)
    heading = ru(dialog, "**Case #{number}** · an expert answers:", number=number)
    assert text.startswith(to_plain(heading))
    assert "Да, с согласованием руководителя. Гульнара" in text  # they signed it themselves
    assert actions(answer.reply) == [f"a:r:{number}", f"a:h:{number}:1", f"a:h:{number}:0"]
    case_message, _ = mail.inbox[EXPERT][0]
    (again,) = dialog.handle_message(E1, "И ещё", reply_to=case_message)
    assert again.text.startswith(f"Вы уже ответили на вопрос №{number}")


def test_the_answer_shows_in_the_owner_s_case_message_as_on_take(
    dialog: Dialog, mail: Mailroom
) -> None:
    """A probe: the case message kept saying "You took this case. Reply to this message with
    your answer" after the answer; it is edited to say the case is answered, once."""
    number = send_case(dialog)
    mail.deliver()
    case_message, _ = mail.inbox[EXPERT][0]
    dialog.handle_button(E1, f"c:t:{number}|ru")
    mail.deliver()
    took = mail.text(EXPERT)
    assert took.endswith(
        ru(dialog, "✅ You took this case. Reply to this message with your answer.")
    )
    dialog.handle_message(E1, "Нужно согласование.", reply_to=case_message)
    mail.deliver()
    _id, edited = mail.last(EXPERT)
    assert edited.edit == case_message and not edited.reply.buttons
    assert mail.text(EXPERT) == took.replace(
        ru(dialog, "✅ You took this case. Reply to this message with your answer."),
        ru(dialog, "✅ You answered this case."),
    )
    assert mail.text(OTHER_EXPERT).endswith("✋ Another expert took this case.")  # unchanged


def test_a_waiting_case_answered_by_a_reply_is_edited_once(dialog: Dialog, mail: Mailroom) -> None:
    """Taken and answered by one reply: the owner's case message is edited once, to answered
    (a second, identical edit is one Telegram refuses)."""
    send_case(dialog)
    mail.deliver()
    dialog.handle_message(
        E2, "With your manager's consent.", reply_to=mail.inbox[OTHER_EXPERT][0][0]
    )
    mail.deliver()
    edits = [m for _id, m in mail.inbox[OTHER_EXPERT] if m.edit is not None]
    assert len(edits) == 1 and to_plain(edits[0].reply.text).endswith("✅ You answered this case.")


def test_an_expert_typing_an_answer_without_replying_is_told_how_to_answer(
    dialog: Dialog, mail: Mailroom
) -> None:
    """The owner typed the answer as a message of its own: the bot answered it from the base,
    the asker got nothing, and the expert was not told why (a probe)."""
    number = send_case(dialog)
    mail.deliver()
    before = dialog.handle_message(E1, "Нет, нельзя: это подарок члену семьи.")
    assert len(before) == 1  # no case held yet: the answer alone, no hint
    dialog.handle_button(E1, f"c:t:{number}|ru")
    replies = dialog.handle_message(E1, "Нет, нельзя: это подарок члену семьи.")
    hint = ru(
        dialog,
        "This message went to me, not to the asker. To answer case #{number}, reply to the "
        "case message.",
        number=number,
    )
    assert replies[-1].text == hint
    assert not any(r.text == hint for r in dialog.handle_message(ASKER, "Спасибо"))
    case = dialog.store.case(number)
    assert case is not None and case.state == "taken" and case.answers == 0
    case_message, _ = mail.inbox[EXPERT][0]
    dialog.handle_message(E1, "Нет, нельзя: это подарок члену семьи.", reply_to=case_message)
    answered = dialog.store.case(number)
    assert answered is not None and answered.state == "answered"
    assert not any(r.text == hint for r in dialog.handle_message(E1, "Спасибо"))


def test_a_reply_to_a_waiting_case_takes_it_first(dialog: Dialog, mail: Mailroom) -> None:
    number = send_case(dialog)
    mail.deliver()
    case_message, _ = mail.inbox[OTHER_EXPERT][0]
    (sent,) = dialog.handle_message(E2, "Yes, with your manager's consent.", reply_to=case_message)
    assert sent.text.startswith(f"Sent to the asker of case #{number}")
    mail.deliver()
    assert "Yes, with your manager's consent." in mail.text(ASKER.chat_id)
    assert ru(dialog, "✋ Another expert took this case.") in mail.text(EXPERT)


def test_someone_else_replying_to_a_case_message_reaches_nobody(
    dialog: Dialog, mail: Mailroom
) -> None:
    send_case(dialog)
    mail.deliver()
    case_message, _ = mail.inbox[EXPERT][0]
    stranger = UserRef(7555, 7555, "ru")
    replies = dialog.handle_message(stranger, "Я отвечу за эксперта", reply_to=case_message)
    assert replies  # read as a question of their own
    assert mail.deliver() == 0 and not mail.inbox[ASKER.chat_id]


def test_the_asker_rates_and_replies_once_and_the_expert_answers_once_more(
    dialog: Dialog, mail: Mailroom
) -> None:
    number = answered_case(dialog, mail)
    answer_id, answer = mail.last(ASKER.chat_id)
    (rated,) = press(dialog, ASKER, answer.reply, f"a:h:{number}:1")
    assert rated.edit and actions(rated) == [f"a:r:{number}"]  # the vote buttons go
    assert press(dialog, ASKER, answer.reply, f"a:h:{number}:0")[0].toast  # once
    mail.deliver()
    assert "helped. 👍" in mail.text(EXPERT) or "помог. 👍" in mail.text(EXPERT)
    (prompt,) = press(dialog, ASKER, answer.reply, f"a:r:{number}")
    assert "одним сообщением" in prompt.text
    (passed,) = dialog.handle_message(ASKER, f"А если поездка за счёт принимающей стороны? {PHONE}")
    assert "[PHONE]" in plain(passed)
    (late,) = dialog.handle_message(ASKER, "И ещё вопрос", reply_to=answer_id)
    assert late.text == ru(dialog, _REPLIED, number=number)
    mail.deliver()
    followup_id, followup = mail.last(EXPERT)
    assert followup.reply_to == mail.inbox[EXPERT][0][0]  # a reply to the case message
    assert "принимающей стороны" in to_plain(followup.reply.text) and "701" not in str(followup)
    dialog.handle_message(E1, "Тогда нужно уведомить комплаенс.", reply_to=followup_id)
    mail.deliver()
    second = mail.last(ASKER.chat_id)[1]
    assert "уведомить комплаенс" in second.reply.text and not second.reply.buttons
    (over,) = dialog.handle_message(E1, "И последнее", reply_to=followup_id)
    assert over.text == ru(dialog, _OVER, number=number)  # not "if the asker replies" (a probe)
    (over_too,) = dialog.handle_message(E1, "И последнее", reply_to=mail.inbox[EXPERT][0][0])
    assert over_too.text == over.text and mail.deliver() == 0


_OVER = "The exchange on case #{number} is over: you have answered the asker's one reply."


_REPLIED = "You have replied once on case #{number}: the exchange with the expert is over."


@pytest.mark.parametrize(
    "replies",
    [("Thanks, and what about lunch?", "ok"), ("ok", "Thanks, and what about lunch?")],
)
def test_the_asker_s_reply_to_the_expert_is_acknowledged_in_the_language_they_write(
    dialog: Dialog, mail: Mailroom, replies: tuple[str, str]
) -> None:
    """A probe: an English asker with no client language got the preview, "sent" and the
    answer in English, but «Передано эксперту…» and «Вы уже ответили эксперту…» in Russian.
    A reply is answered in its language; one that tells none ("ok") in the language of the
    question, the one they last wrote in."""
    asker = UserRef(7002, 7002)
    dialog.handle_message(asker, "/ask")
    (preview,) = dialog.handle_message(asker, "Is a free conference ticket from an NGO a gift?")
    _edit, _sent = press(dialog, asker, preview, "a:s:")
    number = int(next(a for a in actions(preview) if a.startswith("a:s:")).split(":")[2])
    mail.deliver()
    case_message, _ = mail.inbox[EXPERT][0]
    dialog.handle_button(E1, f"c:t:{number}|ru")
    dialog.handle_message(E1, "Yes.", reply_to=case_message)
    mail.deliver()
    answer_id, _answer = mail.last(asker.chat_id)
    first, second = replies
    (passed,) = dialog.handle_message(asker, first, reply_to=answer_id)
    head = f"Passed on to the expert of case #{number}, with personal data removed:"
    assert plain(passed).startswith(head)
    (late,) = dialog.handle_message(asker, second, reply_to=answer_id)
    assert late.text == _REPLIED.format(number=number)


@pytest.mark.parametrize(
    ("thanks", "lang"), [("спасибо большое", "ru"), ("Рахмет!", "kk"), ("thank you", "en")]
)
def test_a_bare_thank_you_to_the_expert_does_not_use_up_the_one_reply(
    dialog: Dialog, mail: Mailroom, thanks: str, lang: str
) -> None:
    """Round 35's probe: "рахмет" in reply to the expert's answer spent the asker's only
    reply, with no warning. A bare thank-you tells the expert the answer helped (👍) and
    says the reply is still there; the real reply then goes through."""
    number = answered_case(dialog, mail)
    answer_id, _answer = mail.last(ASKER.chat_id)
    (kept,) = dialog.handle_message(ASKER, thanks, reply_to=answer_id)
    kept_msgid = (
        "A thank-you alone does not use up your one reply to the expert: you can still write it."
    )
    assert kept.text.endswith(dialog.catalogs.translator(lang)(kept_msgid))
    mail.deliver()
    assert "👍" in mail.text(EXPERT)
    (passed,) = dialog.handle_message(ASKER, "А если поездка за счёт НКО?", reply_to=answer_id)
    assert plain(passed).startswith(f"Передано эксперту по вопросу №{number}")


def test_a_reply_to_the_expert_in_another_language_is_acknowledged_in_it(
    dialog: Dialog, mail: Mailroom
) -> None:
    """The Russian-speaking asker of a Russian case who replies in English is told in English
    that it went, as the answerer would answer them."""
    number = answered_case(dialog, mail)
    answer_id, _answer = mail.last(ASKER.chat_id)
    (passed,) = dialog.handle_message(ASKER, "What if my manager agrees?", reply_to=answer_id)
    assert plain(passed).startswith(f"Passed on to the expert of case #{number}")
    assert dialog.store.written_language(ASKER.chat_id) == "en"


# --------------------------------------------------------------------------- care


def test_open_cases_are_limited_and_one_can_be_withdrawn(tmp_path: Path, kb_shared: Path) -> None:
    dialog = make_dialog(tmp_path, kb_shared, max_open_cases=2)
    mail = Mailroom(dialog)
    first = send_case(dialog)
    send_case(dialog, "Как оформить командировку за рубеж на конференцию?")
    (limit,) = press(dialog, ASKER, preview_of(dialog, "Кто платит за визу в командировке?"), "a:s")
    assert ru(dialog, _LIMIT, count=2) == limit.text
    assert actions(limit)[0] == f"a:w:{first}"
    mail.deliver()
    edit, withdrawn = press(dialog, ASKER, limit, f"a:w:{first}")
    assert edit.edit and withdrawn.text.startswith(f"Вопрос №{first} отозван")
    mail.deliver()
    assert "The asker withdrew this question." in mail.text(OTHER_EXPERT)
    case_message, _ = mail.inbox[EXPERT][0]
    (closed,) = dialog.handle_message(E1, "Ответ", reply_to=case_message)
    assert "Ваш ответ не передан." in closed.text
    send_case(dialog, "Кто платит за визу в командировке?")  # room for one again


def test_a_question_just_sent_can_be_withdrawn_from_its_confirmation(
    dialog: Dialog, mail: Mailroom
) -> None:
    """Round 31's probe: the confirmation had no button, /cancel said there was nothing to
    cancel, and the only way out before the 24 h reminder was /forget, which deletes all."""
    preview = preview_of(dialog)
    _edit, sent = press(dialog, ASKER, preview, "a:s:")
    number = int(actions(sent)[0].split(":")[2])
    mail.deliver()
    edit, withdrawn = press(dialog, ASKER, sent, f"a:w:{number}")
    assert edit.edit and withdrawn.text.startswith(f"Вопрос №{number} отозван")
    mail.deliver()
    assert "The asker withdrew this question." in mail.text(OTHER_EXPERT)


def test_the_preview_and_what_follows_speak_the_question_s_language(dialog: Dialog) -> None:
    """Round 31's probe: an English question typed after /ask by a Russian-speaking user got
    the preview, the buttons and "sent" in Russian, while the expert's answer came framed in
    English: one case spoke two languages."""
    dialog.handle_message(ASKER, "/ask")
    (preview,) = dialog.handle_message(
        ASKER, "My manager asked me to sign a fake invoice for a supplier. What should I do?"
    )
    assert preview.text.startswith("**This is what the experts will see:**")
    assert preview.marked_language() == "en"
    _edit, sent = press(dialog, ASKER, preview, "a:s:")
    assert sent.text.startswith("Sent to the experts as case #")


_LIMIT = (
    "You already have {count} questions waiting for an expert: that is the most I can pass on "
    "at once. Wait for an answer, or withdraw one of them:"
)


def test_after_the_wait_the_experts_are_reminded_once_and_the_asker_gets_official_contacts(
    dialog: Dialog, mail: Mailroom
) -> None:
    number = send_case(dialog)
    mail.deliver()
    experts = mail.experts
    now = datetime.now(UTC)
    assert experts.remind(dialog.store, now + timedelta(hours=23)) == 0
    assert experts.remind(dialog.store, now + timedelta(hours=24, minutes=1)) == 1
    assert experts.remind(dialog.store, now + timedelta(hours=48)) == 0  # once
    assert mail.deliver() == 3
    for expert in (EXPERT, OTHER_EXPERT):
        _id, reminder = mail.last(expert)
        assert reminder.reply_to == mail.inbox[expert][0][0]
        assert names(reminder.reply.text, number) and "24" in reminder.reply.text
        assert actions(reminder.reply) == [f"c:t:{number}"]
    _id, told = mail.last(ASKER.chat_id)
    report = dialog.library.kb.get(REPORT_ENTRY)
    assert report is not None
    turn = dialog.turn(ASKER, "ru")
    assert entry_text(turn, report) in told.reply.text  # the base's own contacts, no others
    assert "1424" in told.reply.text
    assert actions(told.reply) == [f"a:w:{number}"]


def test_a_taken_case_reminds_its_owner_only(dialog: Dialog, mail: Mailroom) -> None:
    number = send_case(dialog)
    mail.deliver()
    dialog.handle_button(E1, f"c:t:{number}|ru")
    mail.deliver()
    before = len(mail.inbox[OTHER_EXPERT])
    mail.experts.remind(dialog.store, datetime.now(UTC) + timedelta(days=2))
    mail.deliver()
    assert len(mail.inbox[OTHER_EXPERT]) == before
    assert mail.last(EXPERT)[1].reply_to is not None


def test_off_without_experts(kb_copy: Path) -> None:
    dialog = build_dialog(Settings(knowledge_dir=kb_copy), Store(":memory:"))
    replies = dialog.handle_message(ASKER, STORY)
    assert not [a for r in replies for a in actions(r) if a.startswith("a:")]
    (refused,) = dialog.handle_message(ASKER, "/ask Вопрос")
    assert refused.text == ru(
        dialog, "Asking an expert is not available: this bot has no experts set up."
    )
    assert "/ask" not in dialog.handle_message(ASKER, "/help")[0].text


def test_off_in_the_terminal_chat_and_it_says_so(tmp_path: Path, kb_copy: Path) -> None:
    settings = Settings(
        experts=frozenset({EXPERT}), db_path=tmp_path / "console.db", knowledge_dir=kb_copy
    )
    out = io.StringIO()
    console = Console(build_dialog(console_settings(settings, {})), out)
    console.send(STORY)
    assert not [b for b in console.buttons if b.action.startswith("a:")]
    console.send("/ask Вопрос")
    told = ru(
        console.dialog,
        "Asking an expert works only in Telegram: in the terminal chat there is nobody to pass "
        "your question to.",
    )
    assert told in out.getvalue()


def test_only_in_a_private_chat(dialog: Dialog) -> None:
    member = UserRef(-100_200, 7001, "ru")
    (refused,) = dialog.handle_message(member, "/ask Вопрос")
    assert refused.text == ru(
        dialog,
        "Please ask an expert in a private chat with me, so that the answer comes to you alone.",
    )


# --------------------------------------------------------------------------- the base


def test_add_to_the_base_by_the_owner_or_an_admin_once(
    dialog: Dialog, mail: Mailroom, tmp_path: Path
) -> None:
    number = answered_case(dialog, mail)
    (refused,) = dialog.handle_button(E2, f"c:b:{number}|en")
    assert refused.text.startswith(f"Only the expert who answered case #{number}")
    edit, written = dialog.handle_button(E1, f"c:b:{number}|ru")
    assert edit.edit and f"case-{number}.yaml" in written.text
    draft = (tmp_path / "drafts" / f"case-{number}.yaml").read_text(encoding="utf-8")
    assert "Нужно согласование." in draft and "[IIN]" in draft and IIN not in draft
    (again,) = dialog.handle_message(BOSS, f"/tobase {number}")
    assert again.text == f"Case #{number} is in the drafts for the base already."
    assert "Name an answered case" in dialog.handle_message(BOSS, "/tobase x")[0].text
    waiting = send_case(dialog)
    (early,) = dialog.handle_message(BOSS, f"/tobase {waiting}")
    assert early.text == f"Case #{waiting} has no answer yet."


# --------------------------------------------------------------------------- privacy


def test_forget_deletes_the_case_and_empties_the_experts_messages(
    dialog: Dialog, mail: Mailroom
) -> None:
    number = answered_case(dialog, mail)
    store = dialog.store
    forget(dialog, ASKER)
    assert store.case(number) is None
    rows = store.db.execute("SELECT kind, uid, body FROM case_mail").fetchall()
    assert {kind for kind, _uid, _body in rows} == {"erased"}  # nothing else about the case
    assert store.uid(ASKER.chat_id) not in {uid for _kind, uid, _body in rows}
    mail.deliver()
    for expert in (EXPERT, OTHER_EXPERT):
        _id, erased = mail.last(expert)
        assert erased.edit == mail.inbox[expert][0][0]
        assert "[IIN]" not in erased.reply.text and names(erased.reply.text, number)
    case_message, _ = mail.inbox[EXPERT][0]
    replies = dialog.handle_message(E1, "Ещё ответ", reply_to=case_message)
    assert replies[0].text.startswith(f"Case #{number} is closed") or replies[0].text.startswith(
        f"Вопрос №{number} закрыт"
    )
    assert mail.deliver() == 0


def test_a_reply_to_a_case_whose_erasing_edit_is_still_on_its_way_is_not_a_question(
    dialog: Dialog, mail: Mailroom
) -> None:
    """The asker's /forget enqueues the edit of the experts' case messages; an expert who
    replies before it arrives is told the case is closed, and nothing is stored."""
    number = answered_case(dialog, mail)
    forget(dialog, ASKER)
    case_message, _ = mail.inbox[EXPERT][0]
    questions = dialog.store.db.execute("SELECT count(*) FROM questions").fetchone()[0]
    (reply,) = dialog.handle_message(E1, "Ответ после forget", reply_to=case_message)
    assert f"№{number} закрыт" in reply.text or f"Case #{number} is closed" in reply.text
    assert dialog.store.db.execute("SELECT count(*) FROM questions").fetchone()[0] == questions
    assert dialog.store.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 0


def test_the_retention_deletes_old_cases_with_their_mail(dialog: Dialog, mail: Mailroom) -> None:
    answered_case(dialog, mail)
    store = dialog.store
    now = datetime.now(UTC)
    assert store.expire(now, timedelta(days=90)) == {}
    deleted = store.expire(now + timedelta(days=91), timedelta(days=90))
    assert deleted["cases"] == 1
    kinds = {kind for (kind,) in store.db.execute("SELECT kind FROM case_mail")}
    assert kinds == {"erased"}
    mail.deliver()
    assert store.expire(now + timedelta(days=200), timedelta(days=90))["case_mail"] == 2


# --------------------------------------------------------------------------- the case mail


def test_case_mail_is_sent_only_under_the_lease(dialog: Dialog, mail: Mailroom) -> None:
    send_case(dialog)
    mail.lease.release()
    other = Lease(dialog.store)
    assert other.take() == 0
    assert mail.deliver() == 0  # another process holds the lease
    assert len(dialog.store.due_case_mail(datetime.now(UTC))) == 2


def test_the_case_mail_backlog_counts_what_waits_and_what_failed(dialog: Dialog) -> None:
    """What /metrics shows of expert cases: messages waiting and messages that failed."""
    store = dialog.store
    assert store.case_mail_backlog() == (0, 0)
    send_case(dialog)
    first, second = store.due_case_mail(datetime.now(UTC))
    assert store.case_mail_backlog() == (2, 0)
    lease = Lease(store)
    lease.take()
    assert store.claim_case_mail(first.id, owner=lease.owner, until=datetime.now(UTC))
    assert store.case_mail_backlog() == (2, 0)  # being sent still waits
    store.finish_case_mail(first.id, "failed", now=datetime.now(UTC), error="Forbidden")
    store.finish_case_mail(second.id, "sent", now=datetime.now(UTC), message_id=7)
    assert store.case_mail_backlog() == (0, 1)


def test_an_expert_who_never_started_the_bot_is_skipped_with_a_warning(
    dialog: Dialog, mail: Mailroom, caplog: pytest.LogCaptureFixture
) -> None:
    mail.blocked.add(OTHER_EXPERT)
    number = send_case(dialog)
    with caplog.at_level(logging.WARNING, "bot"):
        assert mail.deliver() == 1
    assert "skipped" in caplog.text and str(OTHER_EXPERT) not in caplog.text
    dialog.handle_button(E1, f"c:t:{number}|ru")
    mail.blocked.clear()
    mail.deliver()  # the status edit for the other expert: no case message to edit, skipped
    assert not mail.inbox[OTHER_EXPERT]


@pytest.mark.logs_errors  # the store says once that it holds the writes it cannot make
def test_a_database_that_refuses_writes_loses_no_question(dialog: Dialog, mail: Mailroom) -> None:
    preview = preview_of(dialog)
    dialog.store.db.execute("PRAGMA query_only = 1")
    (sorry,) = press(dialog, ASKER, preview, "a:s:")
    assert sorry.text == ru(
        dialog,
        "I could not save this just now, so nothing was passed on. Please try again in a few "
        "minutes.",
    )
    dialog.store.db.execute("PRAGMA query_only = 0")
    assert mail.deliver() == 0
    edit, sent = press(dialog, ASKER, preview, "a:s:")  # the same preview, pressed again
    assert edit.edit and "№" in sent.text and mail.deliver() == 2


def test_a_network_failure_is_retried_later_and_a_refusal_is_not(
    dialog: Dialog, mail: Mailroom
) -> None:
    send_case(dialog)
    mail.failing = [DeliveryTransient("timed out"), DeliveryRejected("Bad Request: chat not found")]
    assert mail.deliver() == 0
    rows = dialog.store.db.execute(
        "SELECT state, attempts, error, ready_at > created_at FROM case_mail ORDER BY id"
    ).fetchall()
    assert rows == [
        ("pending", 1, "network: timed out", 1),  # retried after a backoff, not at once
        ("failed", 1, "Bad Request: chat not found", 0),
    ]
    assert mail.deliver() == 0  # not due yet


# --------------------------------------------------------------------------- found by a probe


@pytest.mark.parametrize("number", ["9" * 40, "abc", "1:2", "²", "-1", ""])
def test_a_forged_case_number_is_an_out_of_date_button(dialog: Dialog, number: str) -> None:
    for user, action in ((E1, f"c:t:{number}"), (E1, f"c:b:{number}"), (ASKER, f"a:s:{number}")):
        (stale,) = dialog.handle_button(user, action + "|en")
        assert stale.toast == "This button is out of date.", (action, stale)
    (refused,) = dialog.handle_message(BOSS, f"/tobase {number}")
    assert refused.text.startswith("Name an answered case")


@pytest.mark.parametrize("empty", ["   ", "\u200b\u200b", "\u200b \u2060\n"])
def test_an_empty_answer_is_refused_and_the_case_is_unchanged(
    dialog: Dialog, mail: Mailroom, empty: str
) -> None:
    number = send_case(dialog)
    mail.deliver()
    case_message, _ = mail.inbox[OTHER_EXPERT][0]
    (refused,) = dialog.handle_message(E2, empty, reply_to=case_message)
    assert refused.text == (
        f"Your answer is empty, so nothing was passed on for case #{number}. Reply to the case "
        "message with the text of your answer."
    )
    case = dialog.store.case(number)
    assert case is not None and case.state == "waiting" and case.answers == 0
    assert mail.deliver() == 0
    (sent,) = dialog.handle_message(E2, "The real answer.", reply_to=case_message)
    assert sent.text.startswith(f"Sent to the asker of case #{number}")


def test_an_empty_reply_to_the_expert_is_refused_and_the_one_reply_is_kept(
    dialog: Dialog, mail: Mailroom
) -> None:
    number = answered_case(dialog, mail)
    answer_id, _answer = mail.last(ASKER.chat_id)
    (refused,) = dialog.handle_message(ASKER, "\u200b ", reply_to=answer_id)
    assert refused.text == ru(
        dialog, "Your reply is empty, so nothing was passed on to the expert."
    )
    assert dialog.store.case(number).followups == 0  # type: ignore[union-attr]
    (passed,) = dialog.handle_message(
        ASKER, "А если за счёт принимающей стороны?", reply_to=answer_id
    )
    assert "принимающей стороны" in plain(passed)


def taken_case(dialog: Dialog, mail: Mailroom) -> tuple[int, int]:
    """A case taken by the first expert, delivered; its number and the other expert's case
    message."""
    number = send_case(dialog)
    mail.deliver()
    dialog.handle_button(E1, f"c:t:{number}|ru")
    mail.deliver()
    return number, mail.inbox[OTHER_EXPERT][0][0]


def without_the_first_expert(dialog: Dialog, mail: Mailroom, tmp_path: Path) -> Mailroom:
    """The bot restarted over the same database with the first expert no longer an expert."""
    mail.lease.release()
    settings = Settings(
        knowledge_dir=dialog.library.root,
        experts=frozenset({OTHER_EXPERT}),
        admins=frozenset({ADMIN}),
        drafts_dir=tmp_path / "drafts",
    )
    return Mailroom(build_dialog(settings, dialog.store))


def test_a_case_whose_owner_forgets_goes_back_to_the_other_experts(
    dialog: Dialog, mail: Mailroom
) -> None:
    number, other_message = taken_case(dialog, mail)
    forgot = forget(dialog, E1)
    assert forgot.text.endswith(
        ru(
            dialog,
            "The cases you had taken and not answered ({count}) went back to the other experts.",
            count=1,
        )
    )
    case = dialog.store.case(number)
    assert case is not None and case.state == "waiting" and case.expert_uid is None
    before = len(mail.inbox[EXPERT])
    mail.deliver()
    assert len(mail.inbox[EXPERT]) == before  # nothing more to the one who forgot
    edited, again = mail.inbox[OTHER_EXPERT][-2:]
    assert edited[1].edit == other_message and actions(edited[1].reply) == [f"c:t:{number}"]
    assert not again[1].edit and actions(again[1].reply) == [f"c:t:{number}"]
    assert names(to_plain(again[1].reply.text), number)
    (sent,) = dialog.handle_message(E2, "Yes, with consent.", reply_to=again[0])
    assert sent.text.startswith(f"Sent to the asker of case #{number}")
    mail.deliver()
    assert "Yes, with consent." in mail.text(ASKER.chat_id)


def test_an_expert_who_forgets_leaves_no_key_on_the_cases_they_answered(
    dialog: Dialog, mail: Mailroom
) -> None:
    number = answered_case(dialog, mail)
    forgot = forget(dialog, E1)
    assert "went back" not in forgot.text and "переданы" not in forgot.text
    assert dialog.store.case(number).expert_uid is None  # type: ignore[union-attr]
    answer_id, _answer = mail.last(ASKER.chat_id)
    (told,) = dialog.handle_message(ASKER, "А если иначе?", reply_to=answer_id)
    assert told.text.startswith(ru(dialog, _GONE, number=number).split(",")[0])


_GONE = "The expert of case #{number} is no longer with the bot, so your reply was not passed on."


def test_a_case_whose_owner_is_no_longer_an_expert_can_be_taken_by_another(
    dialog: Dialog, mail: Mailroom, tmp_path: Path
) -> None:
    number, other_message = taken_case(dialog, mail)
    mail = without_the_first_expert(dialog, mail, tmp_path)
    (taken,) = mail.dialog.handle_button(E2, f"c:t:{number}|en")
    assert taken.toast == f"Case #{number} is yours."
    mail.deliver()
    edited = mail.last(OTHER_EXPERT)[1]
    assert edited.edit == other_message and "You took this case" in edited.reply.text


def test_a_reply_to_a_case_whose_owner_is_no_longer_an_expert_answers_it(
    dialog: Dialog, mail: Mailroom, tmp_path: Path
) -> None:
    number, other_message = taken_case(dialog, mail)
    mail = without_the_first_expert(dialog, mail, tmp_path)
    (sent,) = mail.dialog.handle_message(E2, "Yes, with consent.", reply_to=other_message)
    assert sent.text.startswith(f"Sent to the asker of case #{number}")
    mail.deliver()
    assert "Yes, with consent." in mail.text(ASKER.chat_id)


def test_the_reminder_gives_a_case_whose_owner_is_no_longer_an_expert_back_to_the_others(
    dialog: Dialog, mail: Mailroom, tmp_path: Path
) -> None:
    number, other_message = taken_case(dialog, mail)
    mail = without_the_first_expert(dialog, mail, tmp_path)
    assert mail.experts.remind(dialog.store, datetime.now(UTC) + timedelta(hours=1)) == 0
    mail.deliver()
    case = dialog.store.case(number)
    assert case is not None and case.state == "waiting"
    edited, again = mail.inbox[OTHER_EXPERT][-2:]
    assert edited[1].edit == other_message and actions(edited[1].reply) == [f"c:t:{number}"]
    assert actions(again[1].reply) == [f"c:t:{number}"]
    assert mail.experts.remind(dialog.store, datetime.now(UTC) + timedelta(days=2)) == 1
    mail.deliver()
    reminder = mail.last(OTHER_EXPERT)[1]
    assert reminder.reply_to == again[0] and actions(reminder.reply) == [f"c:t:{number}"]


def test_sending_and_withdrawing_in_a_loop_stops_at_the_daily_limit(
    tmp_path: Path, kb_shared: Path
) -> None:
    dialog = make_dialog(tmp_path, kb_shared, max_cases_per_day=3)
    mail = Mailroom(dialog)
    for _round in range(3):
        number = send_case(dialog)
        dialog.handle_button(ASKER, f"a:w:{number}|ru")
    (refused,) = press(dialog, ASKER, preview_of(dialog), "a:s:")
    assert refused.text == ru(dialog, _PER_DAY, count=3) and not refused.buttons
    mail.deliver()
    cases = [m for _id, m in mail.inbox[EXPERT] if not m.edit]
    assert len(cases) == 3  # each expert got three cases, not four
    assert not dialog.store.open_cases(ASKER.chat_id)
    assert Settings.from_env({"ADAL_MAX_CASES_PER_DAY": "5"}, dotenv=False).max_cases_per_day == 5
    assert Settings().max_cases_per_day == 10


_PER_DAY = (
    "You have sent {count} questions to the experts in the last 24 hours: that is the most I can "
    "pass on in a day. Please send this one later."
)


def test_each_ask_an_expert_button_works_for_its_own_question(
    dialog: Dialog, mail: Mailroom
) -> None:
    first = dialog.handle_message(ASKER, STORY)[0]
    second = dialog.handle_message(ASKER, "Кто платит за визу в командировке?")[0]
    (preview,) = press(dialog, ASKER, first, "a:p:")
    assert "командировку за рубеж" in plain(preview) and "визу" not in plain(preview)
    edit, sent = press(dialog, ASKER, preview, "a:s:")
    assert edit.edit and "№" in sent.text
    (preview,) = press(dialog, ASKER, second, "a:p:")
    assert "визу" in plain(preview)
    edit, _prompt = press(dialog, ASKER, preview, "a:e:")
    assert edit.edit
    (edited,) = dialog.handle_message(ASKER, "Кто платит за визу и страховку в командировке?")
    assert press(dialog, ASKER, preview, "a:s:")[0].toast  # the edited draft is replaced
    press(dialog, ASKER, edited, "a:s:")
    mail.deliver()
    assert "страховку" in mail.text(EXPERT)
    assert len(dialog.store.open_cases(ASKER.chat_id)) == 2
    assert (
        dialog.store.db.execute("SELECT count(*) FROM cases WHERE state = 'draft'").fetchone()[0]
        == 0
    )


def test_a_photo_in_reply_to_a_case_message_is_not_an_answer_and_the_expert_is_told(
    dialog: Dialog, mail: Mailroom
) -> None:
    number = send_case(dialog)
    mail.deliver()
    case_message, _ = mail.inbox[OTHER_EXPERT][0]
    (told,) = dialog.handle_non_text(E2, reply_to=case_message)
    assert told.text == (
        f"I can pass on only text answers, so case #{number} was not answered. Reply to the case "
        "message with your answer as text."
    )
    assert dialog.store.case(number).state == "waiting"  # type: ignore[union-attr]
    assert mail.deliver() == 0
    (generic,) = dialog.handle_non_text(E2)
    assert generic.text.startswith("I can read only text: I cannot open photos")


def test_a_photo_in_reply_to_an_answer_is_not_passed_on_and_the_asker_is_told(
    dialog: Dialog, mail: Mailroom
) -> None:
    number = answered_case(dialog, mail)
    answer_id, _answer = mail.last(ASKER.chat_id)
    (told,) = dialog.handle_non_text(ASKER, reply_to=answer_id)
    assert told.text == ru(dialog, _PHOTO_REPLY, number=number)
    assert dialog.store.case(number).followups == 0  # type: ignore[union-attr]


_PHOTO_REPLY = (
    "I can pass on only text, so nothing was passed on to the expert of case #{number}. Reply to "
    "the answer with text."
)


def test_an_experts_own_question_goes_to_the_other_experts_only(
    dialog: Dialog, mail: Mailroom
) -> None:
    (preview,) = dialog.handle_message(E1, "/ask Кто платит за визу в командировке?")
    press(dialog, E1, preview, "a:s:")
    number = int(actions(preview)[0].split(":")[2])
    assert mail.deliver() == 1
    assert not mail.inbox[EXPERT] and actions(mail.last(OTHER_EXPERT)[1].reply) == [f"c:t:{number}"]
    (refused,) = dialog.handle_button(E1, f"c:t:{number}|en")
    assert refused.toast == f"You asked case #{number} yourself: another expert answers it."
    assert dialog.store.case(number).state == "waiting"  # type: ignore[union-attr]
    mail.experts.remind(dialog.store, datetime.now(UTC) + timedelta(days=2))
    mail.deliver()
    assert {chat for chat, messages in mail.inbox.items() if messages} == {OTHER_EXPERT, EXPERT}
    assert all(m.reply_to is None for _id, m in mail.inbox[EXPERT])  # the timeout, no reminder
    (taken,) = dialog.handle_button(E2, f"c:t:{number}|en")
    assert taken.toast == f"Case #{number} is yours."


def test_the_only_expert_is_not_offered_to_ask_themselves(tmp_path: Path, kb_shared: Path) -> None:
    dialog = make_dialog(tmp_path, kb_shared, experts=frozenset({EXPERT}))
    replies = dialog.handle_message(E1, STORY)
    assert not [a for r in replies for a in actions(r) if a.startswith("a:")]
    (refused,) = dialog.handle_message(E1, "/ask Вопрос")
    assert refused.text == ru(
        dialog, "You are the only expert of this bot: there is nobody else to ask."
    )
