"""A message's frame (greetings, thanks, the formulas of a letter or a forward around a
question) is left out before it is matched: it never changes the answer."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.matching import Matcher

FRAMES = {
    "ru": [
        ("Уважаемые коллеги, прошу разъяснить следующий вопрос. ", ""),
        ("Переслано: ", " Это правда?"),
        ("Добрый день! ", " Спасибо."),
        ("Здравствуйте, подскажите пожалуйста: ", " Заранее благодарю. С уважением"),
        ("Коротко. ", " Ответьте срочно!!!"),
    ],
    "kk": [
        ("Құрметті әріптестер, келесі сұрақты түсіндіріп берулеріңізді сұраймын. ", ""),
        ("Біреу жіберді: ", " Рас па?"),
        ("Сәлеметсіз бе! ", " Рахмет."),
        ("Қайырлы күн, сұрағым бар: ", " Алдын ала рахмет!"),
        ("Қысқаша. ", " Тез жауап беріңізші!!!"),
    ],
    "en": [
        ("Dear Sir or Madam, please clarify the following. ", ""),
        ("Forwarded: ", " Is this true?"),
        ("Good afternoon! ", " Thank you."),
        ("Hello, I have a question: ", " Thanks in advance, best regards"),
        ("Quick one. ", " Please answer ASAP!!!"),
    ],
}
QUESTIONS = [
    ("ru", "Госслужащим разрешили принимать подарки стоимостью до двух МРП."),
    ("ru", "Следователь намекает, что дело можно закрыть, если я его отблагодарю. Как быть?"),
    ("kk", "Бастығым маған тексерушіге ақша салынған конверт беруімді сұрады. Не істеуім керек?"),
    (
        "kk",
        "Тергеуші істі жабуға болатынын, егер мен оған алғыс білдірсем, ишара жасап жүр. "
        "Не істеймін?",
    ),
    (
        "en",
        "My boss asked me to hand an envelope with money to an inspector so he would ignore "
        "violations. What should I do?",
    ),
]


@pytest.mark.parametrize(("lang", "question"), QUESTIONS)
def test_a_framed_question_gets_the_bare_ones_answer(
    bundled: Matcher, lang: str, question: str
) -> None:
    bare = bundled.match(question)
    assert bare.entry_id is not None and bare.lang == lang
    for before, after in FRAMES[lang]:
        framed = bundled.match(before + question + after)
        assert (framed.entry_id, framed.lang) == (bare.entry_id, lang), before + after


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Добрый день! Спасибо.", "thanks"),
        ("Сәлеметсіз бе! Рахмет.", "thanks"),
        ("Hello! Thank you.", "greeting"),
        ("Hello! Is this true?", None),
        ("Dear Sir or Madam, please clarify the following. Thank you.", None),
        ("Переслано: Это правда?", None),
    ],
)
def test_a_message_that_is_only_frame_is_read_as_before(
    bundled: Matcher, monkeypatch: pytest.MonkeyPatch, text: str, kind: str | None
) -> None:
    """As a whole, as it was before a frame was left out (small talk, or not answered)."""
    result = bundled.match(text)
    assert (result.entry_id, result.smalltalk) == (None, kind)
    monkeypatch.setattr(bundled, "_unframed", lambda text, written: text)
    assert bundled.match(text) == result


@pytest.mark.parametrize(
    ("clause", "frames"),
    [
        ("Dear Mr Smith", True),
        ("Уважаемая Асель Болатовна", True),
        ("Здравствуйте уважаемые коллеги", True),
        ("Құрметті Асқар Болатұлы", True),
        ("please clarify the following issue", True),
        ("thank you for the gift", False),
        ("dear colleagues I received a gift from a contractor", False),
        ("прошу разъяснить порядок возврата подарка", False),
    ],
)
def test_which_clauses_are_frame(bundled: Matcher, clause: str, frames: bool) -> None:
    assert bundled.smalltalk.frames(bundled.folded(clause)) is frames


def test_punctuation_in_a_word_typed_on_the_wrong_layout_cuts_no_clause(
    bundled: Matcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """«жене чиновника подарок»: ";" there is «ж», no clause's end."""
    text = ";tyt xbyjdybrf gjlfhjr"
    result = bundled.match(text)
    monkeypatch.setattr(bundled, "_unframed", lambda text, written: text)
    assert bundled.match(text) == result


def test_greetings_and_thanks_of_one_length_are_left_out_in_the_same_order_every_run() -> None:
    """ "Good afternoon! Thank you." is one kind of small talk whatever the hash seed (the
    phrases of one length were once taken in a set's order, which changes from run to run)."""
    program = (
        "from bot.matching.smalltalk import SmallTalk\n"
        "talk = SmallTalk({'greeting': ['good afternoon', 'hello'],"
        " 'thanks': ['thank you', 'thanks']}, set())\n"
        "print(talk.kind(['good', 'afternoon', 'thank', 'you']))"
    )
    kinds = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(6)
    }
    assert len(kinds) == 1 and kinds != {"None"}, kinds
