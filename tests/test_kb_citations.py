"""`kb check`: an article or a phone number no source of the base cites is a problem at its
line (invented law and contacts would reach users unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.kb import read_knowledge
from bot.kb.citations import article_numbers, phone_numbers


def _problems(root: Path) -> list[str]:
    _base, problems = read_knowledge(root)
    return [str(p) for p in problems]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("По ст. 13-7 Закона № 410-V и ст. 999 УК", {"13-7", "999"}),
        ("статья 412-1 УК; статьи 412 и 413", {"412-1", "412", "413"}),
        ("Қылмыстық кодекстің 412-1 бабы, 12 және 14-баптар", {"412-1", "12", "14"}),
        ("Art. 14 of Law No. 410-V; Article 380-1; Arts. 379–380", {"14", "380-1", "379", "380"}),
        ("Law No. 365-VI of 6 October 2020, 10 MCI", set()),
    ],
)
def test_article_numbers_are_read_in_each_language(text: str, numbers: set[str]) -> None:
    assert article_numbers(text) == numbers


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("Куда обращаться: горячая линия 8-800-555-35-35 Министерства.", {"88005553535"}),
        (
            "Звоните 1424 — call-центр Агентства; прокуратура — **115** (2017 и 2020)",
            {"1424", "115"},
        ),
        ("**1424** нөміріне қоңырау шалыңыз", {"1424"}),
        ("Call +7 (7172) 12-34-56.", {"87172123456"}),
        ("Report it under Art. 412-1 of Law No. 410-V, 2,778 tenge, 10 MCI", set()),
    ],
)
def test_phone_numbers_are_read_where_a_line_says_whom_to_call(
    text: str, numbers: set[str]
) -> None:
    assert set(phone_numbers(text)) == numbers


def test_an_article_no_source_cites_is_a_problem_at_its_line(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "Answer. (ru)", "По ст. 12 и ст. 13-7 Закона.")
    _edit(path, "Answer. (kk)", "Заңның 412-1 бабы бойынша.")
    problems = _problems(small_kb)
    assert problems == [
        f"{path}:{_line_of(path, 'Заңның 412-1')}: entry 'gift-ban' [kk]: article 412-1 is cited "
        "by no source of the base; add the source that has it (its 'article'), or correct "
        "the number",
        f"{path}:{_line_of(path, 'ст. 13-7')}: entry 'gift-ban' [ru]: article 13-7 is cited by "
        "no source of the base; add the source that has it (its 'article'), or correct the "
        "number",
    ]


def test_an_article_any_source_of_the_base_cites_is_no_problem(small_kb: Path) -> None:
    """Art. 12 is cited by the sources of the small base's entries: another entry may name it."""
    _edit(small_kb / "about.yaml", "Answer. (en)", "See Art. 12 of the law.")
    assert _problems(small_kb) == []


def test_a_phone_number_is_a_problem_until_a_source_gives_it(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "Answer. (en)", "Whom to contact: the hotline 8-800-555-35-35.")
    line = _line_of(path, "8-800-555-35-35")
    assert _problems(small_kb) == [
        f"{path}:{line}: entry 'gift-ban' [en]: phone number 8-800-555-35-35 is given by no "
        "source of the base; add it to the 'contacts' of the source that gives it, or correct it"
    ]
    _edit(
        path,
        "      url: https://adilet",
        '      contacts: ["88005553535"]\n      url: https://adilet',
    )
    assert _problems(small_kb) == []


def test_a_contact_in_a_checker_outcome_or_a_notice_must_be_one_the_base_cites(
    kb_copy: Path,
) -> None:
    checker = kb_copy / "checkers" / "gift.yaml"
    _edit(
        checker,
        "call-центр Агентства по противодействию коррупции **1424**",
        "горячая линия 8-800-555-35-35",
    )
    notice = kb_copy / "notices" / "law-365-vi-in-force.yaml"
    _edit(
        notice,
        "  body: |\n    Закон РК",
        "  body: |\n    Статья 13-7 — звоните 1400.\n    Закон РК",
    )
    problems = _problems(kb_copy)
    assert [p.split(": ", 2)[:2] for p in problems] == [
        [f"{checker}:{_line_of(checker, '8-800-555-35-35')}", "checker 'check-gift' [ru]"],
        [f"{notice}:{_line_of(notice, 'Статья 13-7')}", "notice 'law-365-vi-in-force' [ru]"],
        [f"{notice}:{_line_of(notice, 'Статья 13-7')}", "notice 'law-365-vi-in-force' [ru]"],
    ], problems
    assert "phone number 8-800-555-35-35" in problems[0]
    assert "article 13-7" in problems[1] and "phone number 1400" in problems[2]


def test_a_source_whose_article_differs_between_languages_is_a_problem(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "ru: ст. 12", "ru: ст. 13-7")
    assert _problems(small_kb) == [
        f"{path}:{_line_of(path, 'article:')}: entry 'gift-ban': source 1: its article numbers "
        "differ between languages (kk ['12'], ru ['13-7'], en ['12'])"
    ]


def test_a_file_that_cannot_be_read_is_not_also_every_number_its_sources_cited(
    kb_copy: Path,
) -> None:
    """about.yaml's sources give 1424 and 115: with the file broken, the answers and outcomes
    naming them elsewhere are not also each a problem."""
    path = kb_copy / "about.yaml"
    path.write_text("- id: [broken", encoding="utf-8")
    problems = _problems(kb_copy)
    assert len(problems) == 1 and problems[0].startswith(f"{path}:1: YAML syntax"), problems
