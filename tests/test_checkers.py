"""Situation checkers through the dialog core: every path of every checker in kk, ru and en
reaches its outcome; back, cancel, a new question and a restart behave; kb check finds broken
trees with their path:line."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.dialog import Dialog, Reply, UserRef, build_dialog
from bot.dialog.reply import split_language
from bot.kb import LANGS, Lang, read_knowledge
from bot.kb.markup import escape, paragraphs, to_plain
from bot.kb.model import Checker, CheckerOutcome, CheckerStep
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
BUNDLED = read_knowledge(KNOWLEDGE)[0]


def user(lang: Lang, chat_id: int = 300) -> UserRef:
    return UserRef(chat_id=chat_id, user_id=chat_id, client_lang=lang)


@pytest.fixture
def dialog(tmp_path: Path) -> Dialog:
    return build_dialog(Settings(knowledge_dir=KNOWLEDGE), Store(tmp_path / "adal.db"))


def actions(reply: Reply) -> list[str]:
    """The reply's button actions, without the language mark of their message."""
    return [split_language(b.action)[0] for row in reply.buttons for b in row]


def paths(checker: Checker) -> Iterator[tuple[str, str]]:
    """Every (choices, outcome id) from the start: the options taken, one digit each."""

    def walk(name: str, choices: str) -> Iterator[tuple[str, str]]:
        if name in checker.outcomes:
            yield choices, name
            return
        for number, option in enumerate(checker.steps[name].options):
            yield from walk(option.next, choices + str(number))

    yield from walk(checker.start, "")


def test_the_bundled_base_has_the_three_checkers() -> None:
    assert {"check-gift", "check-relatives", "check-provocation"} <= set(BUNDLED.checkers)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("checker", BUNDLED.checkers.values(), ids=lambda c: c.id)
def test_every_path_reaches_its_outcome(dialog: Dialog, checker: Checker, lang: Lang) -> None:
    who = user(lang)
    for choices, outcome_id in paths(checker):
        (listing,) = dialog.handle_message(who, "/check")
        start = f"k:{checker.id}:"
        assert start in actions(listing)
        (reply,) = dialog.handle_button(who, start)
        for digit in choices:
            question = checker.node(reply_choices(reply, checker))
            assert question is not None and not isinstance(question, CheckerOutcome)
            assert to_plain(reply.text).endswith(question.question[lang])
            (reply,) = dialog.handle_button(
                who, f"k:{checker.id}:{reply_choices(reply, checker)}{digit}"
            )
        outcome = checker.outcomes[outcome_id]
        assert reply.text.startswith(paragraphs(outcome.texts[lang])[0]), (choices, lang)
        assert all(s.title[lang] in to_plain(reply.text) for s in outcome.sources)


def reply_choices(reply: Reply, checker: Checker) -> str:
    """The choices a step's reply stands at: its option buttons' data less their last digit."""
    option = next(a for a in actions(reply) if a.startswith(f"k:{checker.id}:"))
    return option.rsplit(":", 1)[1][:-1]


def test_back_goes_one_step_back(dialog: Dialog) -> None:
    who = user("en")
    (first,) = dialog.handle_button(who, "k:check-gift:")
    (second,) = dialog.handle_button(who, "k:check-gift:0")
    assert "k:check-gift:" in actions(second)  # the back button
    (again,) = dialog.handle_button(who, "k:check-gift:")
    assert again.text == first.text


def test_a_restart_in_the_middle_resumes_the_flow(tmp_path: Path) -> None:
    who = user("kk")
    first = build_dialog(Settings(knowledge_dir=KNOWLEDGE), Store(tmp_path / "adal.db"))
    (step,) = first.handle_button(who, "k:check-provocation:")
    first.store.close()
    second = build_dialog(Settings(knowledge_dir=KNOWLEDGE), Store(tmp_path / "adal.db"))
    (after,) = second.handle_button(who, actions(step)[0])
    assert after.text and after.toast is None


def test_cancel_leaves_the_flow_and_a_question_between_steps_keeps_it(dialog: Dialog) -> None:
    who = user("ru")
    (step,) = dialog.handle_button(who, "k:check-relatives:")
    (closed,) = dialog.handle_message(who, "/cancel")
    assert "закрыта" in closed.text
    (stale,) = dialog.handle_button(who, actions(step)[0])
    assert stale.toast and "/check" in stale.toast
    (nothing,) = dialog.handle_message(who, "/cancel")
    assert nothing.text == "Отменять нечего."

    (step,) = dialog.handle_button(who, "k:check-relatives:")
    answered = dialog.handle_message(who, "Можно ли госслужащему принять подарок?")
    assert any("Источники" in r.text for r in answered)  # answered as usual
    (going_on,) = dialog.handle_button(who, actions(step)[0])  # the check goes on from there
    assert not going_on.toast and going_on.buttons


def test_deep_link_and_answers_offer_the_checker(dialog: Dialog) -> None:
    who = user("en")
    (opened,) = dialog.handle_message(who, "/start check-gift")
    assert "k:check-gift:0" in actions(opened)
    (answer,) = dialog.handle_message(who, "/start gifts-any-value-ban")
    assert "k:check-gift:" in actions(answer)
    (about,) = dialog.handle_message(who, "/start about-bot")
    assert not any(a.startswith("k:") for a in actions(about))


def test_a_forged_or_unknown_button_is_refused(dialog: Dialog) -> None:
    who = user("en")
    for action in ("k:check-none:", "k:check-gift:9", "k:check-gift:x"):
        (reply,) = dialog.handle_button(who, action)
        assert reply.toast == "This button is out of date."


def test_a_forged_step_choice_is_out_of_date(dialog: Dialog) -> None:
    """Round 39's probe: an option "number" that str.isdigit() passes and int() refuses ("²",
    "k:check-gift:²") got "Something went wrong"; now the stale button's toast, at the start
    as in an open check."""
    who = user("en")
    for action in ("k:check-gift:²", "k:check-gift:٣"):
        (stale,) = dialog.handle_button(who, action)
        assert (stale.text, stale.toast) == ("", "This button is out of date."), action
    dialog.handle_button(who, "k:check-gift:0")
    for action in ("k:check-gift:0²", "k:check-gift:0" + "9" * 5000, "k:check-gift:0 "):
        (stale,) = dialog.handle_button(who, action)
        assert (stale.text, stale.toast) == ("", "This button is out of date."), action[:20]


def test_inline_mode_shares_a_checker(dialog: Dialog) -> None:
    results = dialog.handle_inline(user("en"), "gift")
    assert any(r.id.startswith("check-gift:") for r in results)


# ---------------------------------------------------------------------------------- kb check


def _problems(root: Path) -> list[str]:
    return [str(p) for p in read_knowledge(root)[1]]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "        next: giver\n",
            "        next: nowhere\n",
            "'nowhere' (from step 'role') is neither",
        ),
        ("        next: svc-personal\n", "        next: role\n", "a cycle: role -> giver -> role"),
        ('en: "Yes, I\'m a civil servant"', 'en: "' + "x" * 41 + '"', "over 40"),
        (
            "related: [gifts-any-value-ban, report-corruption]",
            "related: [no-such]",
            "related id 'no-such' points to no entry",
        ),
        ("      kk: Сіз мемлекеттік қызметшісіз бе?\n", "", "missing field 'kk'"),
        ("words: {ru: [жена госслужащего", "words: {de: [жена госслужащего", "unknown field 'de'"),
        (
            "ru: [не госслужащий, не госслужащая, не служащий, не чиновник, нет предприниматель,"
            " нет бизнесмен]",
            "ru: 5",
            "'ru' must be a list",
        ),
    ],
)
def test_kb_check_finds_broken_checkers(kb_copy: Path, old: str, new: str, message: str) -> None:
    path = kb_copy / "checkers" / "gift.yaml"
    _edit(path, old, new)
    problems = _problems(kb_copy)
    assert any(p.startswith(f"{path}:") and message in p for p in problems), problems


def test_kb_check_finds_an_outcome_without_a_source_and_an_unreachable_one(kb_copy: Path) -> None:
    path = kb_copy / "checkers" / "relatives.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  orphan:\n    kk: a\n    ru: b\n    en: c\n", encoding="utf-8")
    problems = _problems(kb_copy)
    assert any("'orphan' is reached by no path" in p for p in problems), problems
    assert any("outcome 'orphan'" in p and "'sources'" in p for p in problems), problems


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "next: svc-personal\n",
            "next: svc-persnal\n",
            "'svc-persnal' (from step 'giver') is neither a step nor an outcome; "
            "did you mean 'svc-personal'?",  # not also "'svc-personal' is reached by no path"
        ),
        (
            "next: fam-refuse\n",
            "next: fam-giver\n",
            "a cycle: fam-giver -> fam-accepted -> fam-giver",  # once, though two paths loop
        ),
    ],
)
def test_a_broken_next_is_one_problem_at_its_line(
    kb_copy: Path, old: str, new: str, message: str
) -> None:
    """Both were told at the checker's first line, the cycle twice, the typo with an
    'unreachable' of the node it meant (a probe)."""
    path = kb_copy / "checkers" / "gift.yaml"
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    _edit(path, old, new)
    assert [p for p in _problems(kb_copy) if "checker" in p] == [
        f"{path}:{line}: checker 'check-gift': {message}"
    ]


def test_a_node_no_path_reaches_is_told_at_its_line(kb_copy: Path) -> None:
    path = kb_copy / "checkers" / "relatives.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "  orphan:\n    kk: a\n    ru: b\n    en: c\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    unreached = f"{path}:{line}: checker 'check-relatives': 'orphan' is reached by no path"
    assert f"{unreached} from the start" in _problems(kb_copy)


def test_a_flow_untouched_for_long_is_abandoned(dialog: Dialog) -> None:
    who = user("en")
    (step,) = dialog.handle_button(who, "k:check-gift:")
    dialog.store.db.execute(
        "UPDATE flows SET updated_at = '2020-01-01T00:00:00+00:00' WHERE uid = ?",
        [dialog.store.uid(who.chat_id)],
    )
    (stale,) = dialog.handle_button(who, actions(step)[0])
    assert stale.toast and "/check" in stale.toast


@pytest.mark.parametrize(
    ("lang", "typed"),
    [
        ("ru", [("да", 0), ("2", 1)]),
        ("kk", [("иә", 0), ("жоқ", 1)]),
        ("kk", [("ia", 0), ("joq", 1)]),  # Latin Kazakh (a second probe)
        ("en", [("Yes!", 0), ("not sure", 2)]),
    ],
)
def test_a_typed_option_goes_on_like_its_button(
    dialog: Dialog, lang: Lang, typed: list[tuple[str, int]]
) -> None:
    """People type "да" instead of pressing "Да, я госслужащий"; before, it was read as a
    question and the check stood still. Another user pressing the buttons sees the same."""
    who, presser = user(lang), user(lang, 301)
    dialog.handle_button(who, "k:check-gift:")
    dialog.handle_button(presser, "k:check-gift:")
    choices = ""
    for text, number in typed:
        choices += str(number)
        (shown,) = dialog.handle_message(who, text)
        (pressed,) = dialog.handle_button(presser, f"k:check-gift:{choices}")
        assert shown.text == pressed.text and actions(shown) == actions(pressed)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", choices)


def test_a_digit_that_int_cannot_read_typed_at_a_step_is_no_failure(dialog: Dialog) -> None:
    """ "𐩀" (a Kharosthi one) is a digit to str.isdigit() but not to int(): typed at a step it
    raised, and the user got "Something went wrong"; "②" is option 2, as its button."""
    who, presser = user("en"), user("en", 301)
    for chat in (who, presser):
        dialog.handle_button(chat, "k:check-gift:")
    (read,) = dialog.handle_message(who, "𐩀")
    assert "went wrong" not in read.text
    (second,) = dialog.handle_message(who, "②")
    (pressed,) = dialog.handle_button(presser, "k:check-gift:1")
    assert second.text == pressed.text


@pytest.mark.parametrize(
    ("lang", "typed"),
    [("en", "i'm a civil servant"), ("ru", "я госслужащий"), ("kk", "мемлекеттік қызметшімін")],
)
def test_a_label_typed_without_its_yes_is_that_option(
    dialog: Dialog, lang: Lang, typed: str
) -> None:
    """A probe typed "i'm a civil servant" at "Are you a civil servant?" and was taken down
    the family member's branch ("I'm a civil servant's family member" begins with those
    words): its outcome told a civil servant to tell the family member who serves."""
    who, presser = user(lang), user(lang, 301)
    for chat in (who, presser):
        dialog.handle_button(chat, "k:check-gift:")
    (typed_reply,) = dialog.handle_message(who, typed)
    (pressed,) = dialog.handle_button(presser, "k:check-gift:0")
    assert typed_reply.text == pressed.text and actions(typed_reply) == actions(pressed)


def test_a_few_words_that_name_no_option_get_the_step_again(dialog: Dialog) -> None:
    """A probe typed "не уверен" where no option begins so and got "I don't know", with the
    check open unseen."""
    who = user("ru")
    (first,) = dialog.handle_button(who, "k:check-gift:")
    for typed in ("не помню", "мы оба там работаем"):  # no option says so, nothing asked
        (again,) = dialog.handle_message(who, typed)
        assert again.text.startswith("Это первый вопрос: назад вернуться некуда.")
        assert again.text.endswith(first.text) and actions(again) == actions(first)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", "")
    # a short question is a question: before, "выберите один из ответов" (a second probe)
    (asked,) = dialog.handle_message(who, "какое наказание?")
    assert not asked.text.startswith("Это первый вопрос")
    assert dialog.store.flow_aside(who.chat_id)  # the check is set aside, as for any question


def test_words_inside_one_option_choose_it(dialog: Dialog) -> None:
    who, presser = user("ru"), user("ru", 301)
    for chat in (who, presser):
        dialog.handle_button(chat, "k:check-relatives:")
    step = BUNDLED.checkers["check-relatives"].node("")
    assert not isinstance(step, CheckerOutcome)
    number = next(n for n, o in enumerate(step.options) if "не знаю" in o.label["ru"])
    (shown,) = dialog.handle_message(who, "не знаю")  # "Другой родственник / не знаю"
    (pressed,) = dialog.handle_button(presser, f"k:check-relatives:{number}")
    assert shown.text == pressed.text
    # "не знаю" at a step whose option says "Не уверен(а)": a probe was told to choose
    gift = BUNDLED.checkers["check-gift"]
    unsure = next(
        (path, n)
        for path in ("0", "00", "000")
        if isinstance(node := gift.node(path), CheckerStep)
        for n, o in enumerate(node.options)
        if o.label["ru"].startswith("Не уверен")
    )
    for chat in (who, presser):  # walk there with the buttons
        for end in range(len(unsure[0]) + 1):
            dialog.handle_button(chat, f"k:check-gift:{unsure[0][:end]}")
    (shown,) = dialog.handle_message(who, "не знаю")
    (pressed,) = dialog.handle_button(presser, f"k:check-gift:{unsure[0]}{unsure[1]}")
    assert shown.text == pressed.text


def test_a_question_between_steps_sets_the_check_aside_until_a_step_is_shown(
    dialog: Dialog,
) -> None:
    """A probe's "2", typed long after a question between steps, was taken as an answer to a
    step no longer on screen."""
    who = user("ru")
    (step,) = dialog.handle_button(who, "k:check-gift:")
    dialog.handle_message(who, "спасибо")  # small talk leaves the check as it is
    assert not dialog.store.flow_aside(who.chat_id)
    dialog.handle_message(who, "Может ли государственный служащий принимать подарки?")
    assert dialog.store.flow_aside(who.chat_id)
    replies = dialog.handle_message(who, "да")  # no step's answer now
    assert not any("вопрос 2" in r.text for r in replies)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", "")
    (going_on,) = dialog.handle_button(who, actions(step)[0])  # its buttons still work
    assert "вопрос 2" in going_on.text
    (typed,) = dialog.handle_message(who, "нет")  # and typed answers again
    assert typed.text != going_on.text and not dialog.store.flow_aside(who.chat_id)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", "01")


@pytest.mark.parametrize("command", ["/start", "/topics", "/help", "/subscribe", "/about"])
def test_a_command_sets_the_check_aside(dialog: Dialog, command: str) -> None:
    """Round 31's probe: after /start or /subscribe, a typed "да" or "1" (meant for what
    was on the screen) answered a step of the check no longer shown."""
    who = user("ru")
    (step,) = dialog.handle_button(who, "k:check-gift:")
    dialog.handle_message(who, command)
    assert dialog.store.flow_aside(who.chat_id)
    replies = dialog.handle_message(who, "да")
    assert not any("вопрос 2" in r.text for r in replies)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", "")
    (going_on,) = dialog.handle_button(who, actions(step)[0])  # its buttons still work
    assert "вопрос 2" in going_on.text and not dialog.store.flow_aside(who.chat_id)


def test_a_command_closes_the_list_of_checks(dialog: Dialog) -> None:
    """ "2" after /check, then /topics, is the second topic, not the second check."""
    who = user("ru")
    dialog.handle_message(who, "/check")
    dialog.handle_message(who, "/topics")
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) is None
    replies = dialog.handle_message(who, "2")
    assert not any("вопрос 1" in r.text for r in replies)


def test_the_reply_to_a_question_that_sets_a_check_aside_offers_the_way_back(
    dialog: Dialog,
) -> None:
    """A probe asked "какое наказание?" at the second step of the gift check, got an answer
    with no sign of the check, typed "2" for the step and opened the answer's second button.
    Each reply while the check is set aside ends with a button back to its step, in the
    language of that reply (a second probe lost it after one more message); typing its words
    ("вернуться к проверке") is pressing it."""
    who = user("ru")
    dialog.handle_button(who, "k:check-gift:")
    (second,) = dialog.handle_button(who, "k:check-gift:0")
    replies = dialog.handle_message(who, "Жұбайыма сыйлық алуға бола ма?")  # in Kazakh
    (back,) = replies[-1].buttons[-1]
    assert back.label == "▶ Тексеруге оралу (2-сұрақ)"
    assert split_language(back.action) == ("k:check-gift:0", "kk")
    later = dialog.handle_message(who, "Может ли госслужащий принимать подарки?")
    (again,) = later[-1].buttons[-1]
    assert again.label == "▶ Вернуться к проверке (вопрос 2)"
    (shown,) = dialog.handle_button(who, back.action)
    assert shown.text.startswith("**") and actions(shown) == actions(second)
    assert not dialog.store.flow_aside(who.chat_id)
    dialog.handle_message(who, "Может ли госслужащий принимать подарки?")
    for typed in ("вернуться к проверке", "back to the check", "tekseruge oralu"):
        (typed_back,) = dialog.handle_message(who, typed)
        assert "2" in typed_back.text and actions(typed_back) == actions(shown)
        dialog.handle_message(who, "Может ли госслужащий принимать подарки?")
    dialog.handle_button(who, back.action)
    thanks = dialog.handle_message(who, "спасибо")  # small talk sets nothing aside
    assert not any(a.startswith("k:check-gift") for r in thanks for a in actions(r))


@pytest.mark.parametrize(
    ("lang", "question", "back_label"),
    [
        ("en", "what is article 380-1?", "▶ Back to the check (question 2)"),
        ("ru", "Что такое статья 380-1?", "▶ Вернуться к проверке (вопрос 2)"),
        ("kk", "380-1-бап деген не?", "▶ Тексеруге оралу (2-сұрақ)"),
    ],
)
def test_an_answer_opened_by_a_button_while_a_check_is_set_aside_offers_the_way_back(
    dialog: Dialog, lang: Lang, question: str, back_label: str
) -> None:
    """Round 41's probe: /check, 1, 1, "what is article 380-1?" got the answer with its button
    back to question 2; "2" then pressed a related question of that answer, whose answer had
    none, the check still open. An answer opened by a button carries it too; a vote, which
    only changes the buttons of the message voted on, adds none."""
    who = user(lang)
    dialog.handle_button(who, "k:check-gift:")
    dialog.handle_button(who, "k:check-gift:0")
    answer = dialog.handle_message(who, question)[-1]
    ((back,),) = answer.buttons[-1:]
    assert back.label == back_label
    related = next(b.action for row in answer.buttons for b in row if b.action.startswith("e:"))
    opened = dialog.handle_button(who, related)[-1]
    assert opened.buttons[-1] == (back,)
    vote = next(b.action for row in opened.buttons for b in row if b.action.startswith("f:+"))
    (voted,) = dialog.handle_button(who, vote)
    assert voted.edit and back not in [b for row in voted.buttons for b in row]
    (shown,) = dialog.handle_button(who, back.action)
    assert "k:check-gift:00" in actions(shown) and not dialog.store.flow_aside(who.chat_id)


def test_typed_back_and_cancel_work_like_their_buttons(dialog: Dialog) -> None:
    """A probe typed "отмена" at a step and got "I don't know" with suggestions."""
    who, presser = user("ru"), user("ru", 301)
    dialog.handle_button(who, "k:check-gift:")
    (first,) = dialog.handle_button(presser, "k:check-gift:")
    dialog.handle_message(who, "да")
    (back,) = dialog.handle_message(who, "назад")
    assert back.text == first.text
    (closed,) = dialog.handle_message(who, "Отмена")
    assert "закрыта" in closed.text
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) is None
    dialog.handle_button(user("en", 302), "k:check-gift:")
    (cancelled,) = dialog.handle_message(user("en", 302), "cancel")
    assert cancelled.text.startswith("The step-by-step check is closed")
    dialog.handle_button(user("kk", 303), "k:check-gift:")
    (stopped,) = dialog.handle_message(user("kk", 303), "toqtatu")  # тоқтату in Latin letters
    assert dialog.store.flow(303, max_age=timedelta(minutes=30)) is None and stopped.text


@pytest.mark.parametrize(
    ("typed", "lang"), [("стоп", "ru"), ("Хватит!", "ru"), ("stop", "en"), ("жетер", "kk")]
)
def test_stop_words_close_a_check_even_when_a_question_set_it_aside(
    dialog: Dialog, typed: str, lang: Lang
) -> None:
    """A probe typed "стоп" and "хватит" at a step and got the step again."""
    who = user(lang)
    dialog.handle_button(who, "k:check-gift:")
    (closed,) = dialog.handle_message(who, typed)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) is None
    assert closed.text == dialog.turn(who)._("The step-by-step check is closed. Ask me anything.")
    dialog.handle_button(who, "k:check-gift:")
    dialog.handle_message(who, "Что такое статья 412-1?")  # sets the check aside
    dialog.handle_message(who, typed)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) is None


def test_stop_outside_a_check_and_menu_are_small_talk(dialog: Dialog) -> None:
    """Outside a check "стоп" is acknowledged, never answered with an entry or "I don't know";
    "меню" shows the topics, as /topics does."""
    who = user("ru")
    (stopped,) = dialog.handle_message(who, "стоп")
    assert stopped.text == dialog.turn(who)._("Good. Ask another question any time.")
    (menu,) = dialog.handle_message(who, "меню")
    (topics,) = dialog.handle_message(who, "/topics")
    assert menu.text == topics.text and actions(menu) == actions(topics)
    # "stop" is an ordinary word in a question
    assert dialog.library.snapshot.matcher.match("how do I stop a provocation?").smalltalk is None


@pytest.mark.parametrize(
    ("typed", "lang"),
    [("темы", "ru"), ("Какие есть темы?", "ru"), ("show topics", "en"), ("тақырыптар", "kk")],
)
def test_asking_for_the_topics_in_words_shows_them(dialog: Dialog, typed: str, lang: Lang) -> None:
    """A probe typed "show topics" after an answer and got "I am not sure what you are asking
    about my last answer"; «тақырыптар» alone got "I don't know". Both show the topics, as
    /topics does, in the language they are written in, after an answer too."""
    who, other = user(lang), user(lang, 301)
    (topics,) = dialog.handle_message(other, "/topics")
    (alone,) = dialog.handle_message(who, typed)
    dialog.handle_message(who, "What can this bot do?")
    (after,) = dialog.handle_message(who, typed)
    assert alone.text == after.text == topics.text
    assert actions(alone) == actions(after) == actions(topics)


@pytest.mark.parametrize(
    ("typed", "checker"),
    [
        ("подарок", "check-gift"),
        ("the gift one", "check-gift"),
        ("туыстар", "check-relatives"),
        ("провокация", "check-provocation"),  # no word of its title (round 30's probe)
        ("provocation", "check-provocation"),
    ],
)
def test_typing_at_the_list_of_checks_opens_the_one_it_names(
    dialog: Dialog, typed: str, checker: str
) -> None:
    """A probe typed "подарок" at the list /check shows and got the gift answer, not the
    check; "the gift one" got "I don't know"."""
    who, presser = user("ru"), user("ru", 301)
    dialog.handle_message(who, "/check")
    (opened,) = dialog.handle_message(who, typed)
    (pressed,) = dialog.handle_button(presser, f"k:{checker}:")
    assert actions(opened) == actions(pressed)


def test_a_number_of_no_check_at_the_list_says_which_there_are_and_keeps_it_open(
    dialog: Dialog,
) -> None:
    """Round 39's probe typed "9" at the list of three checks and got "type your question
    in words", and the list was closed: "подарок" then got a clarifying question."""
    who, presser = user("ru"), user("ru", 301)
    (listing,) = dialog.handle_message(who, "/check")
    (told,) = dialog.handle_message(who, "9")
    count = len(BUNDLED.checkers)
    assert told.text.startswith(f"Кнопки 9 нет: введите число от 1 до {count} или ваш вопрос.")
    assert actions(told) == actions(listing)
    (opened,) = dialog.handle_message(who, "подарок")
    (pressed,) = dialog.handle_button(presser, "k:check-gift:")
    assert actions(opened) == actions(pressed)


def test_a_topic_typed_at_the_list_of_checks_opens_its_check_in_that_language(
    dialog: Dialog,
) -> None:
    """A Russian-speaking user who types "provocation" at the list gets the check in English,
    and a step answered by its number goes on in English."""
    who = user("ru")
    dialog.handle_message(who, "/check")
    (opened,) = dialog.handle_message(who, "provocation")
    assert opened.text.startswith("**Am I being provoked into a crime?** · question 1")
    (step,) = dialog.handle_message(who, "1")
    assert "question 2" in step.text


@pytest.mark.parametrize(
    ("typed", "lang", "heading"),
    [
        ("provocation", "en", "question 2"),
        ("сыйлық", "kk", "2-сұрақ"),  # a word of the Kazakh title
        ("арандату", "kk", "2-сұрақ"),
        ("подарок", "ru", "вопрос 2"),
    ],
)
def test_a_check_opened_by_typing_goes_on_in_that_language_when_a_button_is_pressed(
    dialog: Dialog, typed: str, lang: Lang, heading: str
) -> None:
    """Round 31's probe: "provocation" at a Russian list showed question 1 in English, but its
    buttons were marked Russian, so pressing one went on in Russian; "сыйлық" (a word of the
    Kazakh title) opened the check in Russian."""
    who = user("ru")
    dialog.handle_message(who, "/check")
    (opened,) = dialog.handle_message(who, typed)
    assert opened.marked_language() == lang
    (pressed,) = dialog.handle_button(who, opened.buttons[0][0].action)
    assert heading in pressed.text


@pytest.mark.parametrize(
    ("checker", "typed", "choices"),
    [
        ("check-relatives", "жена", "1"),
        ("check-relatives", "мой отец", "0"),
        ("check-relatives", "менің қайын атам", "2"),  # an in-law, though "атам" is kin too
        ("check-provocation", "полицейский", "0"),
        ("check-provocation", "police officer", "0"),
        ("check-gift", "я не госслужащий", "2"),
        ("check-gift", "я жена госслужащего", "1"),
        ("check-relatives", "моя теща и мой брат", ""),  # two options: the step again
    ],
)
def test_a_step_answered_in_the_words_people_use(
    dialog: Dialog, checker: str, typed: str, choices: str
) -> None:
    """Round 31's probe: "жена", "отец", "полицейский", "police officer" and "я не
    госслужащий" got the step again (no option's label has those words), and "я жена
    госслужащего" was answered as a question, which set the check aside. An option's words
    in the checker's file are read as that option."""
    who = user("ru")
    dialog.handle_button(who, f"k:{checker}:")
    dialog.handle_message(who, typed)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == (checker, choices)
    assert not dialog.store.flow_aside(who.chat_id)


@pytest.mark.parametrize(
    ("checker", "typed", "choices"),
    [
        ("check-gift", ["да", "подрядчик", "уже взял"], "001"),
        ("check-gift", ["иә", "мердігер", "алмадым"], "000"),
        ("check-gift", ["yes", "not sure", "not accepted"], "020"),
        ("check-provocation", ["не знаю", "он намекал", "я отказался"], "300"),
        ("check-provocation", ["полиция", "ничего такого"], "02"),
        ("check-relatives", ["мой брат", "мы оба работаем", "ол маған бағынады"], "010"),
        ("check-relatives", ["мой брат", "мы оба работаем", "не подчиняется"], "011"),
    ],
)
def test_later_steps_answered_in_the_words_people_use(
    dialog: Dialog, checker: str, typed: list[str], choices: str
) -> None:
    """This round's probe: "уже взял" at the gift check's third step, "не знаю" at the
    provocation check's first, and "ол маған бағынады" at the relatives check's last got
    the step again or were answered as questions. Their options list those words now."""
    who = user("ru")
    dialog.handle_button(who, f"k:{checker}:")
    for text in typed:
        dialog.handle_message(who, text)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == (checker, choices)


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("ru", "Вы начали проверку «{title}» и остановились на вопросе 2"),
        ("en", "You began the check “{title}” and stopped at question 2"),
        ("kk", "Сіз «{title}» тексеруін бастап, 2-сұрақта тоқтадыңыз"),
    ],
)
def test_the_list_of_checks_offers_the_way_back_to_a_check_begun(
    dialog: Dialog, lang: Lang, said: str
) -> None:
    """Round 41's probe: /check, 2 (a check's question 1), /subscribe, 2, /check: the list
    came as if no check had been begun, and showing it had closed that one. The list says
    which check was begun and where, and ends with the button back to it."""
    who = user(lang)
    dialog.handle_button(who, "k:check-gift:")
    (step,) = dialog.handle_button(who, "k:check-gift:0")
    dialog.handle_message(who, "/subscribe")
    (listing,) = dialog.handle_message(who, "/check")
    title = BUNDLED.checkers["check-gift"].title[lang]
    assert to_plain(listing.text).startswith(said.format(title=title))
    (plain,) = dialog.handle_message(user(lang, 301), "/check")
    assert listing.text.endswith(plain.text)
    assert actions(listing) == [*actions(plain), "k:check-gift:0"]
    (going_on,) = dialog.handle_button(who, listing.buttons[-1][0].action)
    assert going_on.text == step.text and actions(going_on) == actions(step)


@pytest.mark.parametrize("typed", ["4", "вернуться к проверке", "back to the check"])
def test_the_check_begun_is_taken_up_again_by_typing_at_the_list(
    dialog: Dialog, typed: str
) -> None:
    """At the list of checks with a check begun, its button typed (its number, its words) goes
    back to that check's step; a number of no button counts it among the buttons."""
    who = user("ru")
    dialog.handle_button(who, "k:check-gift:")
    (step,) = dialog.handle_button(who, "k:check-gift:0")
    dialog.handle_message(who, "/check")
    (told,) = dialog.handle_message(who, "9")
    assert told.text.startswith("Кнопки 9 нет: введите число от 1 до 4 или ваш вопрос.")
    assert actions(told)[-1] == "k:check-gift:0"
    (going_on,) = dialog.handle_message(who, typed)
    assert going_on.text == step.text and actions(going_on) == actions(step)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", "0")


def test_the_list_shown_over_a_check_begun_leaves_it_open(dialog: Dialog) -> None:
    """A question typed at the list, or a command, leaves the check begun open as a question
    between steps does (the answer ends with the way back, /cancel closes it); a check chosen
    from the list starts anew."""
    who = user("ru")
    dialog.handle_button(who, "k:check-gift:")
    dialog.handle_button(who, "k:check-gift:0")
    dialog.handle_message(who, "/check")
    answer = dialog.handle_message(who, "Может ли госслужащий принимать подарки?")[-1]
    assert answer.buttons[-1][0].label == "▶ Вернуться к проверке (вопрос 2)"
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", "0")
    dialog.handle_message(who, "/check")
    (closed,) = dialog.handle_message(who, "/cancel")
    assert closed.text == "Пошаговая проверка закрыта. Задайте любой вопрос."
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) is None
    dialog.handle_button(who, "k:check-gift:")
    dialog.handle_button(who, "k:check-gift:0")
    dialog.handle_message(who, "/check")
    (anew,) = dialog.handle_message(who, "1")
    assert "вопрос 1" in anew.text
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", "")


def test_the_list_of_checks_waits_for_one_message_only(dialog: Dialog) -> None:
    """A question at the list is answered as usual and closes it; /cancel closes it too."""
    who = user("ru")
    dialog.handle_message(who, "/check")
    (cancelled,) = dialog.handle_message(who, "/cancel")
    assert cancelled.text != "Отменять нечего."  # a probe: the list was on the screen
    dialog.handle_message(who, "/check")
    (answer,) = dialog.handle_message(who, "Может ли госслужащий принимать подарки?")
    assert "Источники" in answer.text
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) is None


def test_an_option_typed_in_full_chooses_it(dialog: Dialog) -> None:
    """A probe typed "я член семьи госслужащего" for the option of that name (4 words) and
    got the family answer, the check not moving on."""
    who, presser = user("ru"), user("ru", 301)
    step = BUNDLED.checkers["check-gift"].node("")
    assert isinstance(step, CheckerStep)
    number, label = next(
        (n, o.label["ru"]) for n, o in enumerate(step.options) if len(o.label["ru"].split()) >= 4
    )
    for chat in (who, presser):
        dialog.handle_button(chat, "k:check-gift:")
    (typed,) = dialog.handle_message(who, label.lower())
    (pressed,) = dialog.handle_button(presser, f"k:check-gift:{number}")
    assert typed.text == pressed.text


@pytest.mark.parametrize(
    ("checker", "lang", "typed", "choices"),
    [
        ("check-gift", "en", ["yes I am civil servant"], "0"),  # no article
        ("check-gift", "en", ["I'm civil servant"], "0"),
        ("check-gift", "en", ["yes, civil servant"], "0"),
        ("check-gift", "en", ["i am official"], "0"),
        ("check-gift", "en", ["no I am businessman"], "2"),
        ("check-gift", "en", ["I am not civil servant"], "2"),  # its words: "not a civil servant"
        ("check-gift", "en", ["I am wife of civil servant"], "1"),  # was answered from the base
        ("check-gift", "en", ["my husband is civil servant"], "1"),
        ("check-gift", "en", ["yes", "yes", "yes I took"], "001"),
        ("check-gift", "en", ["yes", "it was a visitor"], "00"),  # came on business: connected
        ("check-gift", "en", ["yes", "from citizen"], "00"),
        ("check-gift", "en", ["yes", "he is visitor"], "00"),
        ("check-gift", "ru", ["да", "посетитель"], "00"),
        ("check-gift", "kk", ["иә", "келуші"], "00"),
        ("check-gift", "en", ["yes", "no he is my friend"], "01"),
        ("check-gift", "en", ["yes", "award for achievement"], "03"),
        ("check-relatives", "en", ["my cousin"], "3"),  # "Another relative / not sure"
        ("check-relatives", "en", ["my uncle"], "3"),
        ("check-relatives", "ru", ["дядя"], "3"),
        ("check-relatives", "ru", ["двоюродный брат"], "3"),  # not "брат", a close relative
        ("check-gift", "kk", ["ия"], "0"),  # "иә" as it is said
        ("check-gift", "kk", ["иә мен мемлекеттік қызметшімін"], "0"),
        ("check-provocation", "en", ["police officer", "he asked money"], "00"),
    ],
)
def test_a_step_answered_as_people_type_it(
    dialog: Dialog, checker: str, lang: Lang, typed: list[str], choices: str
) -> None:
    """Round 33's probe: English without its articles ("yes I am civil servant"), "ия" for
    "иә", a visitor or a citizen for the giver, a cousin or an uncle, "he asked money" got
    "Please choose one of the answers below" again and again, and "I am wife of civil
    servant" left the check for an answer of the base."""
    who = user(lang)
    dialog.handle_button(who, f"k:{checker}:")
    for text in typed:
        dialog.handle_message(who, text)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == (checker, choices)
    assert not dialog.store.flow_aside(who.chat_id)


@pytest.mark.parametrize(
    ("lang", "typed", "choices"),
    [
        ("en", ["yes", "can a citizen give me a gift"], "0"),  # "citizen" is an option's word
        ("en", ["yes", "a gift from a citizen?"], "0"),  # asks: with no other word
        ("ru", ["да", "может ли гражданин подарить подарок"], "0"),
        ("en", ["can a civil servant accept gifts"], ""),  # "civil servant" is one too
    ],
)
def test_a_question_with_an_options_words_is_answered(
    dialog: Dialog, lang: Lang, typed: list[str], choices: str
) -> None:
    """An option's words in a question between steps do not answer the step: the question
    is answered from the base, with the sources, and the check is set aside."""
    who = user(lang)
    dialog.handle_button(who, "k:check-gift:")
    *steps, question = typed
    for text in steps:
        dialog.handle_message(who, text)
    replies = dialog.handle_message(who, question)
    sources = {"en": "Sources", "ru": "Источники"}[lang]
    assert any(sources in r.text for r in replies)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", choices)
    assert dialog.store.flow_aside(who.chat_id)


def test_a_no_or_a_question_word_is_no_answer_by_an_options_words(dialog: Dialog) -> None:
    """ "no, he is a visitor" contradicts "Yes: contractor, applicant, subordinate", and "who
    is an applicant" asks: neither chooses it by its words."""
    who = user("en")
    dialog.handle_button(who, "k:check-gift:")
    dialog.handle_message(who, "yes")
    for typed in ("no, he is a visitor", "who is an applicant"):
        dialog.handle_message(who, typed)
        assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", "0")


@pytest.mark.parametrize(
    ("command", "checker", "lang", "heading"),
    [
        ("/check gift", "check-gift", "en", "question 1"),
        ("/check подарок", "check-gift", "ru", "вопрос 1"),
        ("/check сыйлық", "check-gift", "kk", "1-сұрақ"),
        ("/check provocation", "check-provocation", "en", "question 1"),
    ],
)
def test_check_with_the_name_of_a_check_opens_it(
    dialog: Dialog, command: str, checker: str, lang: Lang, heading: str
) -> None:
    """Round 33's probe: "/check gift" showed the list, its word ignored, while "/start
    check-gift" opened the check. A check named in any language opens in that language."""
    who = user("ru")
    (opened,) = dialog.handle_message(who, command)
    title = escape(BUNDLED.checkers[checker].title[lang])
    assert opened.text.startswith(f"**{title}** · {heading}")
    assert opened.marked_language() == lang
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == (checker, "")


@pytest.mark.parametrize("command", ["/check provocation gift", "/check something else"])
def test_check_with_words_of_no_single_check_shows_the_list(dialog: Dialog, command: str) -> None:
    """Words of two checks' topics, or of none, after /check: the list, as /check alone."""
    who = user("en")
    (listed,) = dialog.handle_message(who, command)
    (plain,) = dialog.handle_message(user("en", 301), "/check")
    assert listed.text == plain.text and actions(listed) == actions(plain)


@pytest.mark.parametrize(("chosen", "typed"), [("l:ru", "да"), ("l:kk", "иә")])
def test_a_language_chosen_during_a_check_shows_its_step_again_in_that_language(
    dialog: Dialog, chosen: str, typed: str
) -> None:
    """A probe: /language at the third step of the gift check and "Русский" pressed, then
    "да" typed got "Извините, на этот вопрос я ответа не знаю": the command had set the check
    aside. The check goes on: the same step again, in the new language, and typed words
    answer it."""
    who = user("en")
    for action in ("k:check-gift:", "k:check-gift:0", "k:check-gift:00"):
        (third,) = dialog.handle_button(who, action)
    dialog.handle_message(who, "/language")
    _confirmed, step = dialog.handle_button(who, f"{chosen}|en")
    lang = chosen.removeprefix("l:")
    assert step.marked_language() == lang and actions(step) == actions(third)
    assert BUNDLED.checkers["check-gift"].steps["accepted"].question[lang] in to_plain(step.text)
    assert not dialog.store.flow_aside(who.chat_id)
    (answered,) = dialog.handle_message(who, typed)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == ("check-gift", "001")
    assert answered.marked_language() == lang


def test_a_language_chosen_with_no_check_open_only_confirms(dialog: Dialog) -> None:
    (confirmed,) = dialog.handle_message(user("en"), "/language ru")
    assert confirmed.text == "Теперь я буду отвечать на русском языке."


@pytest.mark.parametrize("opening", ["relatives", "туыстар"])
@pytest.mark.parametrize("typed", ["нағашы атам", "менің нағашы әжем"])
def test_the_mothers_parents_are_grandparents(dialog: Dialog, opening: str, typed: str) -> None:
    """A probe: «нағашы атам» (the mother's father) tied "close relative" ("атам") with
    "another relative" ("нағашым") and got the step again. A grandparent is a close relative
    on either side, as «атам», «дедушка» and "grandfather" are (the first option)."""
    who = user("ru")
    dialog.handle_message(who, "/check")
    dialog.handle_message(who, opening)
    dialog.handle_message(who, typed)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == (
        "check-relatives",
        "0",
    )


@pytest.mark.parametrize(
    ("opening", "typed"),
    [
        (["provocation", "police officer", "yes"], "nothing yet"),
        (["провокация", "полицейский", "да"], "ничего пока"),
        (["провокация", "полицейский", "да"], "я ещё не ответил"),
        (["арандату", "полиция", "иә"], "әзірге ештеңе"),
    ],
)
def test_nothing_yet_at_what_has_happened_is_an_option(
    dialog: Dialog, opening: list[str], typed: str
) -> None:
    """A probe: "nothing yet" at the provocation check's "What has happened so far?" had no
    option (refused, paid, detained) and got the step again. It leads to what to do now, with
    the base's victim-help and report-corruption answers."""
    who = user("ru")
    for text in ["/check", *opening]:
        dialog.handle_message(who, text)
    (outcome,) = dialog.handle_message(who, typed)
    assert dialog.store.flow(who.chat_id, max_age=timedelta(minutes=30)) == (
        "check-provocation",
        "003",
    )
    checker = BUNDLED.checkers["check-provocation"]
    assert checker.node("003") is checker.outcomes["not-yet"]
    assert actions(outcome)[:2] == ["e:provocation-victim-help", "e:report-corruption"]
    assert "1424" in outcome.text and "412-1" in outcome.text


@pytest.mark.parametrize(
    ("lang", "typed", "first_question", "cancel"),
    [
        ("ru", "назад", "Это первый вопрос", "✖ Отмена"),
        ("ru", "не знаю", "Это первый вопрос", "✖ Отмена"),
        ("kk", "артқа", "Бұл — бірінші сұрақ", "✖ Тоқтату"),
        ("en", "back", "This is the first question", "✖ Cancel"),
    ],
)
def test_back_or_i_don_t_know_at_the_first_question_says_how_to_leave(
    dialog: Dialog, lang: Lang, typed: str, first_question: str, cancel: str
) -> None:
    """Round 35's probe: "назад" and "не знаю" at question 1 got "choose one of the answers"
    again and again, with no word on how to leave. The first question says it is the first
    and names the cancel button; a later step asks to choose, as before."""
    who = user(lang)
    (first,) = dialog.handle_button(who, "k:check-gift:")
    (again,) = dialog.handle_message(who, typed)
    assert again.text.startswith(first_question) and cancel in again.text
    assert again.text.endswith(first.text) and actions(again) == actions(first)
    dialog.handle_button(who, "k:check-gift:0")
    (later,) = dialog.handle_message(who, "не помню")
    assert not later.text.startswith(first_question)
