"""`adal-bot kb check`: passes on good bases, reports each kind of problem as path:line."""

from __future__ import annotations

import json
import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.insights import variants
from bot.kb import load_knowledge, read_knowledge
from bot.kb.cache import CACHE_DIR, _key
from bot.library import _fingerprint, base_version
from tests.helpers.knowledge_files import entry_yaml

ROOT = Path(__file__).resolve().parent.parent
SHARED_TOPICS = ROOT.parent / "shared" / "knowledge-topics.md"
REQUIRED_IDS = [
    line
    for line in (ROOT / "tests" / "data" / "required-ids.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line and not line.startswith("#")
]


def run_check(path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["kb", "check", str(path)])
    return result.exit_code, result.stdout.splitlines()


def test_small_base_passes(small_kb: Path) -> None:
    code, lines = run_check(small_kb)
    assert code == 0, lines
    assert lines[-1].startswith("ok: 3 entries, 2 topics")


def test_bundled_base_passes() -> None:
    code, lines = run_check(ROOT / "knowledge")
    assert code == 0, "\n".join(lines)


def _problems(root: Path) -> list[str]:
    _base, problems = read_knowledge(root)
    return [str(p) for p in problems]


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, needle: str, nth: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    return hits[nth - 1]


def test_yaml_syntax_error_points_at_line(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "  topic: gifts", "  topic: [gifts")
    problems = _problems(small_kb)
    assert any(p.startswith(f"{path}:") and "YAML syntax" in p for p in problems), problems


def test_a_follow_up_jump_or_a_check_to_nothing_is_reported_at_its_line(small_kb: Path) -> None:
    """smalltalk.yaml's follow-up-jumps name a list of the file and an entry: a misspelt one
    was ignored unsaid (a follow-up then never jumped)."""
    path = small_kb / "smalltalk.yaml"
    path.write_text(
        "asks-where-to-turn:\n  - куда звон\nfollow-up-jumps:\n"
        "  - asks-where-to-turn gift-familly\n  - asks-where gift-ban\n"
        "personal-gift-check: [check-gfit]\n",
        encoding="utf-8",
    )
    assert _problems(small_kb) == [
        f"{path}:4: follow-up jump 'asks-where-to-turn gift-familly': related id "
        "'gift-familly' points to no entry; did you mean 'gift-family'?",
        f"{path}:5: follow-up jump 'asks-where gift-ban': no list 'asks-where'",
        f"{path}:6: personal-gift-check: no checker 'check-gfit'",
    ]


def test_a_misspelt_field_is_one_problem_with_a_guess(small_kb: Path) -> None:
    """Not also 'missing field', "must be a date, got None" and a stale warning (a probe)."""
    path = small_kb / "gifts.yaml"
    _edit(path, "  reviewed: 2020-10-18", "  reviwed: 2020-10-18")
    line = _line_of(path, "reviwed")
    result = CliRunner().invoke(cli, ["kb", "check", str(small_kb)])
    assert result.exit_code == 1
    assert [row for row in result.stdout.splitlines() if "gift-ban" in row] == [
        f"{path}:{line}: entry 'gift-ban': unknown field 'reviwed'; did you mean 'reviewed'?"
    ]


def test_an_unknown_field_like_no_other_is_unknown_and_the_missing_one_missing(
    small_kb: Path,
) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "  reviewed: 2020-10-18", "  checked: 2020-10-18")
    problems = _problems(small_kb)
    line = _line_of(path, "checked")
    assert f"{path}:{line}: entry 'gift-ban': unknown field 'checked'" in problems
    assert f"{path}:1: entry 'gift-ban': missing field 'reviewed'" in problems


def test_missing_language_is_one_problem(small_kb: Path) -> None:
    path = small_kb / "about.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\n  en:\n") + 1], encoding="utf-8")
    assert [p for p in _problems(small_kb) if "about-bot" in p] == [
        f"{path}:1: entry 'about-bot': missing field 'en'"
    ]


def test_a_missing_answer_is_one_problem(small_kb: Path) -> None:
    path = small_kb / "about.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    answer:", text.index("\n  ru:\n"))
    end = text.index("\n  en:\n") + 1
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    ru = text[: text.index("\n  ru:\n")].count("\n") + 2
    assert [p for p in _problems(small_kb) if "about-bot" in p] == [
        f"{path}:{ru}: entry 'about-bot' [ru]: missing field 'answer'"
    ]


def test_a_tab_is_told_to_be_spaces(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "  topic: gifts", "\ttopic: gifts")
    line = _line_of(path, "\ttopic")
    assert f"{path}:{line}: YAML syntax: a tab; indent with spaces, not tabs" in _problems(small_kb)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "      - gift-ban вопрос 2",
            "     - gift-ban вопрос 2",
            "вопрос 2",
            "this line is indented 5 spaces, the lines above it 4 or 6: "
            "line it up with the field or list item it belongs to",
        ),
        (
            "    answer: |\n      Answer. (kk)",
            "   answer: |\n      Answer. (kk)",
            "   answer: |",
            "this line is indented 3 spaces, the lines above it 2 or 4: "
            "line it up with the field or list item it belongs to",
        ),
        (
            "    answer: |\n      Answer. (ru)",
            "    answer:\n      **If you** can",
            "**If you**",
            "a text starting with '*' (such as **bold**) or '&' must be in quotes, or, for an "
            "answer, start on the line after 'answer: |'",
        ),
    ],
)
def test_a_yaml_mistake_is_told_in_plain_words_at_its_line(
    small_kb: Path, old: str, new: str, needle: str, message: str
) -> None:
    """Not the YAML library's "expected <block end>, but found '<block sequence start>'"."""
    _assert_told_at(small_kb, old, new, needle, f"YAML syntax: {message}")


def test_two_questions_merged_by_an_extra_space_are_a_warning(small_kb: Path) -> None:
    """'      - one\n       - two' is one plain scalar, 'one - two' (a probe): said, as a
    warning that does not stop the base loading."""
    path = small_kb / "gifts.yaml"
    item = "      - gift-ban вопрос 1\n"
    _edit(path, item, item + "       - gift-ban вопрос 9\n")
    line = _line_of(path, item.strip())
    [warning] = _problems(small_kb)
    assert warning.startswith(f"{path}:{line}: warning: entry 'gift-ban' [ru]: 'questions' item ")
    assert warning.endswith(
        "runs over two lines and holds ' - ': two items, one indented a space too far?"
    )
    load_knowledge(small_kb)  # a warning: the base loads


def test_duplicate_id_and_alias(small_kb: Path) -> None:
    path = small_kb / "about.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + entry_yaml("gift-ban", "about"), encoding="utf-8"
    )
    _edit(
        small_kb / "gifts.yaml",
        "- id: gift-family\n",
        "- id: gift-family\n  aliases: [about-bot]\n",
    )
    problems = _problems(small_kb)
    assert any(
        re.match(
            r".+/(about|gifts)\.yaml:\d+: entry 'gift-ban': id or alias 'gift-ban' is "
            r"already used by entry 'gift-ban' \(.+\.yaml:\d+\)",
            p,
        )
        for p in problems
    ), problems
    assert any(
        "alias 'about-bot' is already used" in p or "id or alias 'about-bot'" in p for p in problems
    ), problems


LONG_KEY = "-".join(["gifts"] * 12)  # 71 characters: "s:<key>" would pass Telegram's 64 bytes


@pytest.mark.parametrize(
    ("path", "old", "new", "what"),
    [
        ("topics.yaml", "gifts:", f"{LONG_KEY}:", "topic"),
        ("gifts.yaml", "- id: gift-ban", f"- id: {LONG_KEY}", "entry"),
    ],
)
def test_keys_too_long_for_callback_data(
    small_kb: Path, path: str, old: str, new: str, what: str
) -> None:
    _edit(small_kb / path, old, new)
    line = _line_of(small_kb / path, LONG_KEY)
    assert any(
        p.startswith(f"{small_kb / path}:{line}: {what} ") and "at most 48 characters" in p
        for p in _problems(small_kb)
    ), _problems(small_kb)


def test_a_required_concept_must_be_defined(small_kb: Path) -> None:
    _edit(small_kb / "gifts.yaml", "related: [gift-family]", "requires: [abroad-somewhere]")
    assert any(
        "requires concept 'abroad-somewhere', which concepts.yaml does not define" in p
        for p in _problems(small_kb)
    ), _problems(small_kb)


def test_related_pointing_nowhere(small_kb: Path) -> None:
    _edit(small_kb / "gifts.yaml", "related: [gift-family]", "related: [gift-nowhere]")
    assert any("related id 'gift-nowhere' points to no entry" in p for p in _problems(small_kb))


def test_a_misspelt_topic_or_related_id_gets_a_guess(small_kb: Path) -> None:
    """A probe: 'giftz' and 'gifts-family-member' got no "did you mean", as fields did."""
    gifts = small_kb / "gifts.yaml"
    _edit(gifts, "topic: gifts", "topic: giftz")
    _edit(gifts, "related: [gift-family]", "related: [gift-famly]")
    (small_kb / "concepts.yaml").write_text(
        "gift-item:\n  topics: [abuot]\n  kk: [кәмпит]\n  ru: [коньяк]\n  en: [cognac]\n",
        encoding="utf-8",
    )
    problems = _problems(small_kb)
    topic, related = _line_of(gifts, "topic: giftz"), _line_of(gifts, "gift-famly")
    assert (
        f"{gifts}:{topic}: entry 'gift-ban': topic 'giftz' is not in topics.yaml; "
        "did you mean 'gifts'?"
    ) in problems
    assert (
        f"{gifts}:{related}: entry 'gift-ban': related id 'gift-famly' points to no entry; "
        "did you mean 'gift-family'?"
    ) in problems
    assert any(
        p.endswith(
            "concept 'gift-item': topic 'abuot' is not in topics.yaml; did you mean 'about'?"
        )
        for p in problems
    ), problems


def test_a_synonym_group_read_as_a_mapping_says_how_to_quote(small_kb: Path) -> None:
    """A probe: `- [отпуск: vacation]` was told "must list two or more words"."""
    path = small_kb / "synonyms.yaml"
    path.write_text("- [взятка, bribe]\n- [отпуск: vacation]\n- отгул: day off\n", "utf-8")
    assert _problems(small_kb) == [
        f"{path}:{line}: a synonym group: '{text}' was read as a mapping (a colon and a space "
        f'make one); separate the words with commas, or quote a word with a colon: "{text}"'
        for line, text in ((2, "отпуск: vacation"), (3, "отгул: day off"))
    ]


def test_empty_question(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "      - gift-ban вопрос 3", '      - ""')
    line = _line_of(path, '      - ""')
    assert any(
        p.startswith(f"{path}:{line}: entry 'gift-ban' [ru]: 'questions' item 3 is empty")
        for p in _problems(small_kb)
    ), _problems(small_kb)


@pytest.mark.parametrize(
    ("question", "read_as"),
    [
        ("Вопрос: что делать?", "a field and its value (': ' makes one)"),
        ("1424", "a number"),
    ],
)
def test_a_question_yaml_reads_as_no_text_is_one_problem_saying_to_quote_it(
    small_kb: Path, question: str, read_as: str
) -> None:
    """Not "item 3 is empty or not text" and also "has 7 questions, at least 8 are needed"."""
    path = small_kb / "gifts.yaml"
    _edit(path, "      - gift-ban вопрос 3", f"      - {question}")
    assert _problems(small_kb) == [
        f"{path}:{_line_of(path, f'- {question}')}: entry 'gift-ban' [ru]: 'questions' item "
        f"{question!r} is read as {read_as}; put it in quotes"
    ]


def test_same_question_under_two_entries(small_kb: Path) -> None:
    """In one file, told at the later copy, naming the first one's place."""
    path = small_kb / "gifts.yaml"
    _edit(path, "gift-family question 2", "GIFT-BAN question 1?")
    assert _problems(small_kb) == [
        f"{path}:{_line_of(path, 'GIFT-BAN question 1?')}: entry 'gift-family' [en]: question "
        "'GIFT-BAN question 1?' is also a question of entry 'gift-ban' "
        f"({path}:{_line_of(path, 'gift-ban question 1')})"
    ]


@pytest.mark.parametrize("newer", ["about.yaml", "gifts.yaml"])
def test_a_question_of_two_files_is_told_in_the_one_saved_last(small_kb: Path, newer: str) -> None:
    """A probe: the copy just added was blamed on the untouched file, with no line for it."""
    about, gifts = small_kb / "about.yaml", small_kb / "gifts.yaml"
    _edit(about, "about-bot question 2", "gift-ban question 1")
    older = gifts if newer == "about.yaml" else about
    os.utime(older, (1_600_000_000, 1_600_000_000))
    os.utime(small_kb / newer, (1_700_000_000, 1_700_000_000))
    copy, first = _line_of(about, "gift-ban question 1"), _line_of(gifts, "gift-ban question 1")
    told = (
        (about, copy, "about-bot", gifts, first, "gift-ban")
        if newer == "about.yaml"
        else (gifts, first, "gift-ban", about, copy, "about-bot")
    )
    assert _problems(small_kb) == [
        f"{told[0]}:{told[1]}: entry {told[2]!r} [en]: question 'gift-ban question 1' is also "
        f"a question of entry {told[5]!r} ({told[3]}:{told[4]})"
    ]


def test_too_few_questions_and_a_long_answer_are_told_at_their_fields(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("      - gift-ban вопрос 2")
    end = text.index("    answer: |", start)
    text = text[:start] + text[end:]
    path.write_text(text.replace("Answer. (en)", "x" * 4100, 1), encoding="utf-8")
    assert _problems(small_kb) == [
        f"{path}:{_line_of(path, 'questions:', 2)}: entry 'gift-ban' [ru]: has 1 question, "
        "at least 8 are needed",
        f"{path}:{_line_of(path, 'x' * 4100)}: entry 'gift-ban' [en]: answer is 4100 characters "
        "once rendered, over Telegram's 4096",
    ]


def test_answer_over_telegram_limit(small_kb: Path) -> None:
    _edit(small_kb / "gifts.yaml", "      Answer. (ru)", "      " + "Очень длинно. " * 400)
    assert any("[ru]: answer is" in p and "over Telegram's 4096" in p for p in _problems(small_kb))


def test_markup_in_html_is_not_a_problem_but_bad_link_is(small_kb: Path) -> None:
    _edit(small_kb / "gifts.yaml", "      Answer. (en)", "      <b>ok</b> & [x](javascript:alert)")
    problems = _problems(small_kb)
    assert len(problems) == 1 and "is not an http(s) URL" in problems[0], problems


def test_a_source_may_have_a_page_per_language(small_kb: Path) -> None:
    """A Kazakh reader's source list linked adilet's Russian page (a probe)."""
    path = small_kb / "gifts.yaml"
    old = "url: https://adilet.zan.kz/rus/docs/Z1500000410"
    _edit(path, old, "url: {kk: https://a.kz/kaz, ru: https://a.kz/rus, en: https://a.kz/eng}")
    assert _problems(small_kb) == []
    (source,) = load_knowledge(small_kb).entries["gift-ban"].sources
    assert [source.link(lang) for lang in ("kk", "ru", "en")] == [
        "https://a.kz/kaz",
        "https://a.kz/rus",
        "https://a.kz/eng",
    ]
    _edit(path, "kk: https://a.kz/kaz, ", "")
    _edit(path, "en: https://a.kz/eng", "en: ftp://a.kz/eng")
    problems = _problems(small_kb)
    line = _line_of(path, "url: {")
    assert any(f"gifts.yaml:{line}:" in p and "'kk'" in p for p in problems), problems
    assert any("url must start with http(s)://" in p for p in problems), problems


def test_unknown_topic_and_too_few_questions(small_kb: Path) -> None:
    _edit(small_kb / "about.yaml", "topic: about", "topic: nowhere")
    _edit(small_kb / "about.yaml", "      - about-bot сұрақ 8\n", "")
    problems = _problems(small_kb)
    assert any("topic 'nowhere' is not in topics.yaml" in p for p in problems)
    assert any("[kk]: has 7 questions, at least 8" in p for p in problems)


def test_cli_exits_nonzero_with_path_line_messages(small_kb: Path) -> None:
    _edit(small_kb / "gifts.yaml", "related: [gift-family]", "related: [nope]")
    code, lines = run_check(small_kb)
    assert code == 1
    assert all(re.match(r"^.+\.yaml:\d+: ", line) for line in lines), lines


def test_load_knowledge_resolves_aliases(small_kb: Path) -> None:
    _edit(
        small_kb / "gifts.yaml", "- id: gift-family\n", "- id: gift-family\n  aliases: [old-id]\n"
    )
    kb = load_knowledge(small_kb)
    assert kb.get("old-id") is kb.entries["gift-family"]
    assert kb.resolve("old-id") == "gift-family"


@pytest.mark.skipif(not SHARED_TOPICS.exists(), reason="../shared/knowledge-topics.md not present")
def test_required_ids_follow_the_shared_topic_list() -> None:
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", SHARED_TOPICS.read_text(encoding="utf-8"), re.M)
    assert listed == REQUIRED_IDS


def test_export_has_every_required_id_in_three_languages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADAL_KNOWLEDGE_DIR", raising=False)
    result = CliRunner().invoke(cli, ["kb", "export", "--format", "json"])
    assert result.exit_code == 0, result.output
    entries = {e["id"]: e for e in json.loads(result.output)["entries"]}
    missing = [i for i in REQUIRED_IDS if i not in entries]
    assert not missing
    for entry_id in REQUIRED_IDS:
        for lang in ("kk", "ru", "en"):
            assert entries[entry_id][lang]["answer"].strip()
            assert len(entries[entry_id][lang]["questions"]) >= 8, (entry_id, lang)


def test_stats_counts(small_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADAL_KNOWLEDGE_DIR", str(small_kb))
    result = CliRunner().invoke(cli, ["kb", "stats"])
    assert result.exit_code == 0
    rows = {line.split()[0]: line.split()[1:] for line in result.output.splitlines()[1:]}
    assert rows["gifts"] == ["2", "16", "16", "16"]
    assert rows["total"] == ["3", "24", "24", "24"]


def test_reading_the_base_leaves_other_yaml_readers_as_they_were(small_kb: Path) -> None:
    from ruamel.yaml import YAML

    _problems(small_kb)
    assert isinstance(YAML(typ="rt").load("day: 2020-10-18")["day"], date)


# ------------------------------------------------------- files the base does not read (a probe)


@pytest.mark.parametrize(
    "name", [".#gifts.yaml", "notices/.#n.yaml", "checkers/.#c.yaml", ".hidden.yaml", "dir.yaml"]
)
def test_hidden_files_and_what_is_not_a_file_are_read_by_nobody(small_kb: Path, name: str) -> None:
    """An Emacs lock (``.#gifts.yaml``, a symlink to nowhere) crashed `kb check`, `ask` and
    the start with FileNotFoundError (a probe): not the loader, the parsed copy's name, the
    library's fingerprint or the base's version reads it."""
    before = base_version(small_kb), _fingerprint(small_kb), _key(small_kb)
    (small_kb / "notices").mkdir()
    (small_kb / "checkers").mkdir()
    path = small_kb / name
    if name == "dir.yaml":
        path.mkdir()
    elif name == ".hidden.yaml":
        path.write_text("not: [yaml", encoding="utf-8")
    else:
        path.symlink_to("root@vm.1:1")
    assert _problems(small_kb) == []
    assert (base_version(small_kb), _fingerprint(small_kb), _key(small_kb)) == before


def test_a_yml_file_is_warned_about_until_it_is_gone(small_kb: Path) -> None:
    path = small_kb / "more.yml"
    path.write_text(entry_yaml("more-one"), encoding="utf-8")
    assert _problems(small_kb) == [
        f"{path}:1: warning: not read: only *.yaml files are; rename it more.yaml"
    ]
    assert "more-one" not in load_knowledge(small_kb).entries  # a warning: the base loads
    path.unlink()
    assert _problems(small_kb) == []  # the parsed copy knows *.yml files too


# ----------------------------------------------------------- the line of the mistake (a probe)


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        (
            "related: [gift-family]",
            "related:\n    - gift-family\n    - gift-nowhere",
            "- gift-nowhere",
            "entry 'gift-ban': related id 'gift-nowhere' points to no entry",
        ),
        (
            "      Answer. (en)",
            "      Fine.\n\n      See [x](javascript:alert).",
            "[x](javascript",
            "entry 'gift-ban' [en]: answer: link 'javascript:alert' is not an http(s) URL",
        ),
        (
            "      Answer. (ru)",
            "      Fine.\n      **Not closed.",
            "**Not closed",
            "entry 'gift-ban' [ru]: answer: unbalanced '**' (bold is **text** on one line)",
        ),
        (
            "    answer: |\n      Answer. (kk)",
            '    answer: "**Not closed"',
            '"**Not closed',
            "entry 'gift-ban' [kk]: answer: unbalanced '**' (bold is **text** on one line)",
        ),
        (
            "topic: gifts\n  reviewed: 2020-10-18\n  related: [gift-family]",
            "topic: gifts\n  reviewed: 2020-10-18\n  related: [gift-family]\n  requires: [nope]",
            "requires: [nope]",
            "entry 'gift-ban': requires concept 'nope', which concepts.yaml does not define",
        ),
    ],
)
def test_a_problem_is_told_at_the_line_of_the_mistake(
    small_kb: Path, old: str, new: str, needle: str, message: str
) -> None:
    _assert_told_at(small_kb, old, new, needle, message)


def _assert_told_at(small_kb: Path, old: str, new: str, needle: str, message: str) -> None:
    """gifts.yaml with ``old`` made ``new`` has one problem, ``message``, at the line of
    ``needle``."""
    path = small_kb / "gifts.yaml"
    _edit(path, old, new)
    assert _problems(small_kb) == [f"{path}:{_line_of(path, needle)}: {message}"]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        ("# подарки\n".encode("cp1251") + b"- id: x\n", 1),
        (b"# gifts\n- id: x\n  topic: gifts \xff\xfe\n", 3),
    ],
)
def test_text_not_in_utf8_is_told_at_its_first_bad_byte(
    small_kb: Path, data: bytes, line: int
) -> None:
    path = small_kb / "gifts.yaml"
    path.write_bytes(data)
    (problem,) = _problems(small_kb)
    assert problem.startswith(f"{path}:{line}: not UTF-8 text: ")
    assert problem.endswith("; save the file as UTF-8")


URL = "https://adilet.zan.kz/rus/docs/Z1500000410"


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [  # closed by the next quote, a line later; closed by none
        (f"en: Art. 12\n      url: {URL}", f'en: "Art. 12\n      url: "{URL}"', '"Art'),
        (f"en: Art. 12\n      url: {URL}", f"en: 'Art. 12\n      url: '{URL}'", "'Art"),
        ("en: Art. 12", 'en: "Art. 12', '"Art'),
    ],
)
def test_an_unclosed_quote_is_told_where_it_opens(
    small_kb: Path, old: str, new: str, needle: str
) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, old, new)
    assert _problems(small_kb) == [
        f"{path}:{_line_of(path, needle)}: YAML syntax: a quote opened on this line is not closed"
    ]


# --------------------------------------------------- one mistake, one problem (a probe)


def test_a_duplicate_id_is_not_also_every_reference_to_the_entry_it_hid(small_kb: Path) -> None:
    """gift-ban's related gift-family went missing with the id: not a problem of its own."""
    path = small_kb / "gifts.yaml"
    _edit(path, "- id: gift-family", "- id: gift-ban")
    assert _problems(small_kb) == [
        f"{path}:{_line_of(path, 'id: gift-ban', 2)}: entry 'gift-ban': id or alias 'gift-ban' "
        f"is already used by entry 'gift-ban' ({path}:1)"
    ]


def test_an_entry_listing_itself_twice_is_one_problem(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "related: [gift-family]", "related: [gift-ban, gift-ban]")
    assert _problems(small_kb) == [
        f"{path}:{_line_of(path, 'related:')}: entry 'gift-ban': lists itself as related"
    ]


def test_an_emptied_file_is_one_problem_not_every_reference_to_its_entries(
    small_kb: Path,
) -> None:
    _edit(small_kb / "gifts.yaml", "related: [gift-family]", "related: [about-bot]")
    about = small_kb / "about.yaml"
    about.write_text("# nothing yet\n", encoding="utf-8")
    assert _problems(small_kb) == [f"{about}:1: the file is empty"]


# ------------------------------------------------------------------------- small (a probe)


KK_RU = [("kk", "және"), ("ru", "и"), ("ru", "на")]


@pytest.mark.parametrize(
    ("name", "text", "told"),
    [
        (
            "synonyms.yaml",
            "- [взятка, и, the, bribe]\n",
            [("[", "synonym group 1: 'и'"), ("[", "synonym group 1: 'the'")],
        ),
        (
            "concepts.yaml",
            "gift-item:\n  topics: [gifts]\n  kk: [кәмпит, және, той]\n  ru: [и, на, коньяк]\n"
            "  en: [cognac]\n",  # той (a feast) is a Russian function word only
            [(f"{lang}:", f"concept 'gift-item' [{lang}]: {word!r}") for lang, word in KK_RU],
        ),
    ],
)
def test_a_function_word_matching_ignores_is_warned_about(
    small_kb: Path, name: str, text: str, told: list[tuple[str, str]]
) -> None:
    path = small_kb / name
    path.write_text(text, encoding="utf-8")
    assert _problems(small_kb) == [
        f"{path}:{_line_of(path, needle)}: warning: {word} is a function word, which matching "
        "ignores"
        for needle, word in told
    ]


def test_a_variant_twice_in_one_entry_is_warned_about(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "      - gift-ban вопрос 2\n", "      - Gift-ban вопрос 1?\n")
    assert _problems(small_kb) == [
        f"{path}:{_line_of(path, 'Gift-ban вопрос 1?')}: warning: entry 'gift-ban' [ru]: "
        f"question 'Gift-ban вопрос 1?' is listed twice (line {_line_of(path, 'вопрос 1')})"
    ]


def test_a_review_date_in_the_future_is_a_problem(small_kb: Path) -> None:
    path = small_kb / "gifts.yaml"
    _edit(path, "  reviewed: 2020-10-18", "  reviewed: 2099-01-01")
    code, lines = run_check(small_kb)
    assert code == 1
    assert [line for line in lines if "warning: " not in line] == [
        f"{path}:{_line_of(path, '2099')}: entry 'gift-ban': reviewed 2099-01-01 is in the future"
    ]


def test_a_file_given_for_the_folder_is_told_so(small_kb: Path) -> None:
    code, lines = run_check(small_kb / "gifts.yaml")
    assert code == 1
    assert lines == [f"{small_kb / 'gifts.yaml'}:1: a file, not the knowledge folder ({small_kb})"]


def test_a_second_check_of_the_same_files_reads_what_the_first_found(
    small_kb: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Matching every variant is most of a check: it is kept next to the base, as its index
    is, and done again only when a file changed."""
    matched: list[int] = []
    misses = variants.variant_misses

    def counted(*args: Any) -> list[variants.VariantMiss]:
        matched.append(1)
        return misses(*args)

    monkeypatch.setattr(variants, "variant_misses", counted)
    first = run_check(small_kb)
    assert run_check(small_kb) == first and first[0] == 0
    assert len(matched) == 1 and list((small_kb / CACHE_DIR).glob(f"{variants.PREFIX}*"))
    gifts = small_kb / "gifts.yaml"
    gifts.write_text(gifts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run_check(small_kb) == first
    assert len(matched) == 2


def test_a_frame_formula_with_no_word_or_an_address_of_two_words_is_reported(
    small_kb: Path,
) -> None:
    """smalltalk.yaml's frame lists: an empty item (as in every list), a formula with no
    word (never met) and an address of two words (its second word would open an address)."""
    path = small_kb / "smalltalk.yaml"
    path.write_text(
        "frame:\n  - please clarify\n  - ''\n  - '…'\naddresses:\n  - dear\n  - dear sir\n",
        encoding="utf-8",
    )
    assert _problems(small_kb) == [
        f"{path}:3: small talk 'frame': 'frame' item 2 is empty or not text",
        f"{path}:4: frame: '…' has no word",
        f"{path}:7: addresses: 'dear sir' must be one word",
    ]
