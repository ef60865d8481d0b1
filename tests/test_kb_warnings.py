"""What reads badly on a phone: long paragraphs and answers, a sources line of its own."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.kb import read_knowledge
from bot.kb.checks import LONG_ANSWER, LONG_PARAGRAPH, style_warnings
from tests.helpers.knowledge_files import entry_yaml


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def warnings_for(small_kb: Path, answer: str) -> list[str]:
    (small_kb / "long.yaml").write_text(entry_yaml("long-one", answer=answer), encoding="utf-8")
    base, problems = read_knowledge(small_kb)
    assert problems == []  # a warning is no problem: the base still loads
    return [str(w) for w in style_warnings(base.entries.values())]


def test_a_paragraph_over_the_limit_is_warned_about(small_kb: Path) -> None:
    warnings = warnings_for(small_kb, "Short first.\n\n      " + "x" * LONG_PARAGRAPH)
    assert len(warnings) == 3  # the paragraph grows by " (kk)" in each language
    assert warnings[0].endswith(
        f"long.yaml:{_line_of(small_kb / 'long.yaml', 'x' * LONG_PARAGRAPH)}: warning: entry "
        f"'long-one' [kk]: paragraph 2 is {LONG_PARAGRAPH + 5} "
        f"characters, over {LONG_PARAGRAPH}"
    )


def test_an_answer_over_the_limit_is_warned_about(small_kb: Path) -> None:
    paragraph = "y" * (LONG_PARAGRAPH - 10)
    answer = "\n\n      ".join([paragraph] * (LONG_ANSWER // LONG_PARAGRAPH + 1))
    warnings = warnings_for(small_kb, answer)
    assert [w.split(": ", 2)[2] for w in warnings] == [
        f"entry 'long-one' [{lang}]: answer is {len(answer.replace(' ' * 6, '')) + 5} "
        f"characters, over {LONG_ANSWER} (a screen and a half)"
        for lang in ("kk", "ru", "en")
    ]


def test_a_sources_line_in_an_answer_is_warned_about(small_kb: Path) -> None:
    warnings = warnings_for(small_kb, "Yes.\n\n      **Источник:** закон.")
    assert [w.split(": ", 3)[3] for w in warnings] == [
        "answer has a sources line; the bot adds the sources block itself"
    ] * 3


def test_limits_at_the_edge_and_the_bundled_base_pass(small_kb: Path) -> None:
    assert warnings_for(small_kb, "z" * (LONG_PARAGRAPH - len(" (kk)"))) == []
    assert warnings_for(small_kb, "Источники по-разному описывают это.") == []
    base, _ = read_knowledge(Settings().knowledge_dir)
    assert style_warnings(base.entries.values()) == []
