"""`adal-bot ask`, `match --json` and `eval` on a small base in tmp_path and on the bundled one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli
from tests.helpers.knowledge_files import entry_yaml

ROOT = Path(__file__).resolve().parent.parent
KEYS = ["q", "id", "score", "lang", "suggestions"]


@pytest.fixture
def kb_dir(small_kb: Path) -> Path:
    """The small base of conftest, its entries asked in real words."""
    (small_kb / "gifts.yaml").write_text(
        entry_yaml(
            "gift-ban",
            questions=(
                "қызметші сыйлық ала ма",
                "можно ли взять подарок",
                "may an official accept a gift",
            ),
        )
        + entry_yaml(
            "gift-family",
            questions=(
                "отбасы мүшелері сыйлық ала ма",
                "могут ли родственники получать подарки",
                "may family members receive presents",
            ),
        ),
        encoding="utf-8",
    )
    (small_kb / "about.yaml").write_text(
        entry_yaml("about-bot", "about", questions=("бот туралы", "о боте", "about the bot")),
        encoding="utf-8",
    )
    (small_kb / "smalltalk.yaml").write_text("greeting: [привет, hello]\n", encoding="utf-8")
    return small_kb


def run(args: list[str], root: Path | None = None, stdin: str | None = None) -> Result:
    env = {"ADAL_KNOWLEDGE_DIR": str(root or ROOT / "knowledge")}
    return CliRunner().invoke(cli, args, input=stdin, env=env)


def test_match_json_one_object_per_line_in_order(kb_dir: Path) -> None:
    queries = [
        "можно ли взять подарок 3",
        "?",
        "😂",
        "привет",
        "may family members receive presents",
        "how do I renew my passport",
    ]
    result = run(["match", "--json"], kb_dir, "\n".join(queries) + "\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["q"] for row in rows] == queries
    for row in rows:
        assert list(row) == KEYS
        assert row["lang"] in ("kk", "ru", "en")
        assert isinstance(row["score"], float)
        assert isinstance(row["suggestions"], list) and len(row["suggestions"]) <= 3
    assert [row["id"] for row in rows] == ["gift-ban", None, None, None, "gift-family", None]
    assert rows[0]["lang"] == "ru" and rows[4]["lang"] == "en"


def test_match_plain_is_tab_separated(kb_dir: Path) -> None:
    result = run(["match"], kb_dir, "можно ли взять подарок\n")
    assert result.stdout.split("\t")[0] == "gift-ban"


def test_match_says_an_empty_question_is_empty_and_goes_on(kb_dir: Path) -> None:
    lines = ['{"q": ""}', "   ", "", '{"q": "may family members receive presents"}', '{"x": 1}']
    result = run(["match", "--json"], kb_dir, "\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    empty = {"error": "the question is empty"}
    assert rows[:3] == [{"q": "", **empty}, {"q": "   ", **empty}, {"q": "", **empty}]
    assert rows[3]["q"] == "may family members receive presents"
    assert rows[3]["id"] == "gift-family" and rows[3]["lang"] == "en"
    assert rows[4] == {"q": '{"x": 1}', "error": 'a JSON line needs "q": the question as text'}
    plain = run(["match"], kb_dir, " \nможно ли взять подарок\n").stdout.splitlines()
    assert plain[0] == "error: the question is empty\t "
    assert plain[1].split("\t")[0] == "gift-ban"


def test_match_reads_a_labelled_line_as_its_question(kb_dir: Path) -> None:
    """A JSON line is matched by its "q", not as text: {"q": "gift?"} is English, whose
    brace-and-q wrapper read as words was Kazakh (q is a letter of Latin Kazakh)."""
    result = run(["match", "--json"], kb_dir, '{"q": "gift?", "expect": []}\n{ a brace\n')
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert (rows[0]["q"], rows[0]["lang"]) == ("gift?", "en")
    assert rows[1]["q"] == "{ a brace" and list(rows[1]) == KEYS


@pytest.mark.parametrize("question", ["", "  \t "])
def test_ask_refuses_an_empty_question_in_one_line(kb_dir: Path, question: str) -> None:
    result = run(["ask", question], kb_dir)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        'Error: the question is empty: ask e.g. adal-bot ask "Can I accept a gift?"'
    ]


def test_ask_prints_plain_answer_and_details(kb_dir: Path) -> None:
    result = run(["ask", "можно ли взять подарок?"], kb_dir)
    assert result.exit_code == 0, result.output
    assert "Answer. (ru)" in result.stdout
    assert "id: gift-ban" in result.stdout and "lang: ru" in result.stdout


def test_ask_in_a_chosen_language(kb_dir: Path) -> None:
    assert "Answer. (kk)" in run(["ask", "можно ли взять подарок?", "--lang", "kk"], kb_dir).stdout


def test_ask_answers_and_offers_the_close_sibling() -> None:
    """Two gift entries of the bundled base fit: the better answers, the other is offered with
    it instead of a dead end. (Issue 14's example, "…keep a watch a supplier sent him?", no
    longer offers the ban: it scores 43 since round 14's gift variants, under min_score.)"""
    result = run(["ask", "may an official's husband keep a gift from a supplier?"])
    assert "id: gifts-family-members" in result.stdout
    assert "also gifts-any-value-ban" in result.stdout


def test_ask_abstains_with_suggestions_on_two_topics(kb_dir: Path) -> None:
    result = run(["ask", "подарок бот"], kb_dir)
    assert "No confident answer." in result.stdout and "id: -" in result.stdout
    assert "maybe gift-ban" in result.stdout


def _eval_file(tmp_path: Path, cases: list[dict[str, object]]) -> str:
    path = tmp_path / "eval.jsonl"
    path.write_text("\n".join(json.dumps(c, ensure_ascii=False) for c in cases), "utf-8")
    return str(path)


GOOD = [
    {"q": "можно ли взять подарок", "lang": "ru", "expect": ["gift-ban"], "kind": "paraphrase"},
    {
        "q": "may an official accept a gift",
        "lang": "en",
        "expect": ["gift-ban"],
        "kind": "paraphrase",
    },
    {"q": "how do I renew my passport", "lang": "en", "expect": [], "kind": "out-of-scope"},
]


def test_eval_passes_thresholds(kb_dir: Path, tmp_path: Path) -> None:
    result = run(
        [
            "eval",
            _eval_file(tmp_path, GOOD),
            "--min-accuracy",
            "0.95",
            "--min-abstention",
            "0.95",
            "--max-wrong",
            "0.02",
        ],
        kb_dir,
    )
    assert result.exit_code == 0, result.output
    assert "ru" in result.stdout and "1/1 = 100.0%" in result.stdout
    assert "abstention on out-of-scope, near-domain and chatter: 1/1 = 100.0%" in result.stdout


def test_eval_fails_on_wrong_answers_and_lists_them(kb_dir: Path, tmp_path: Path) -> None:
    wrong = {
        "q": "можно ли взять подарок",
        "lang": "ru",
        "expect": ["about-bot"],
        "kind": "paraphrase",
    }
    result = run(["eval", _eval_file(tmp_path, [*GOOD, wrong]), "--max-wrong", "0.02"], kb_dir)
    assert result.exit_code == 1
    assert "WRONG:" in result.stdout and "expected about-bot; got gift-ban" in result.stdout
    assert "FAIL: wrong answers 25.0% > 2.0%" in result.stderr


def test_eval_fails_below_accuracy_and_abstention(kb_dir: Path, tmp_path: Path) -> None:
    missed = {"q": "подарок", "lang": "ru", "expect": ["gift-family"], "kind": "keyword"}
    answered = {"q": "можно ли взять подарок", "lang": "ru", "expect": [], "kind": "near-domain"}
    path = _eval_file(tmp_path, [*GOOD, missed, answered])
    assert run(["eval", path], kb_dir).exit_code == 0
    result = run(["eval", path, "--min-accuracy", "0.9", "--min-abstention", "0.9"], kb_dir)
    assert result.exit_code == 1
    assert "FAIL: accuracy [ru]" in result.stderr and "FAIL: abstention" in result.stderr


def test_eval_gates_the_kinds_it_is_asked_to(kb_dir: Path, tmp_path: Path) -> None:
    """#14's targets are per kind too (situations and long stories ≥ 90 %)."""
    missed = {"q": "подарок", "lang": "ru", "expect": ["gift-family"], "kind": "keyword"}
    path = _eval_file(tmp_path, [*GOOD, missed])
    result = run(["eval", path, "--min-kind", "keyword=0.5", "--min-kind", "story=0.9"], kb_dir)
    assert result.exit_code == 1
    assert "FAIL: right [keyword] 0.0% < 50.0%" in result.stderr
    assert "FAIL: no case of kind 'story'" in result.stderr
    assert run(["eval", path, "--min-kind", "keyword=0"], kb_dir).exit_code == 0
    malformed = run(["eval", path, "--min-kind", "keyword"], kb_dir)
    assert malformed.exit_code == 2 and "is not KIND=SHARE" in malformed.output


def test_eval_aliases_resolve(kb_dir: Path, tmp_path: Path) -> None:
    gifts = kb_dir / "gifts.yaml"
    gifts.write_text(
        gifts.read_text("utf-8").replace(
            "- id: gift-ban\n", "- id: gift-ban\n  aliases: [old-gift]\n"
        ),
        "utf-8",
    )
    case = {"q": "можно ли взять подарок", "lang": "ru", "expect": ["old-gift"], "kind": "x"}
    result = run(["eval", _eval_file(tmp_path, [case]), "--min-accuracy", "1"], kb_dir)
    assert result.exit_code == 0, result.output


def test_eval_reports_a_bad_line(kb_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"q": "x", "expect": []}\nnot json\n', "utf-8")
    result = run(["eval", str(path)], kb_dir)
    assert result.exit_code == 1 and "bad.jsonl:2" in result.output


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"q": "можно ли взять подарок", "id": "gift-ban"}', "unknown key(s) 'id'"),
        ('{"q": "можно ли взять подарок"}', "'expect' must be a list of entry ids"),
        ('{"q": "", "expect": []}', "'q' must be non-empty text"),
        ('{"q": "x", "expect": ["gift-bam"]}', "'expect' names 'gift-bam': no entry of the base"),
        ('{"q": "x", "expect": [], "lang": "kz"}', "'lang' must be one of kk, ru, en"),
        ('["x", []]', "not a JSON object"),
    ],
)
def test_eval_refuses_a_line_it_would_misread(
    kb_dir: Path, tmp_path: Path, line: str, problem: str
) -> None:
    """A probe's `{"q": …, "id": …}` was read as "expects no answer", so abstaining counted as
    right: a key or value eval does not know is an error naming the line and the format."""
    path = tmp_path / "set.jsonl"
    path.write_text('{"q": "подарок", "expect": ["gift-ban"], "kind": "plain"}\n' + line, "utf-8")
    result = run(["eval", str(path)], kb_dir)
    assert result.exit_code == 1
    assert f"{path}:2: {problem}" in result.output
    assert 'Expected one JSON object a line: {"q": "the question"' in result.output
    assert "accuracy" not in result.output


def test_eval_compare_keeps_a_question_asked_twice_apart(kb_dir: Path, tmp_path: Path) -> None:
    """The same question twice, with two labels: each is compared with its own earlier run
    (not "FIXED line 1: gift-ban -> gift-ban")."""
    twice = [
        {"q": "можно ли взять подарок", "expect": ["gift-ban"]},
        {"q": "можно ли взять подарок", "expect": ["gift-family"]},
    ]
    cases = _eval_file(tmp_path, twice)
    saved = tmp_path / "run.json"
    assert run(["eval", cases, "--save", str(saved)], kb_dir).exit_code == 0
    result = run(["eval", cases, "--compare", str(saved)], kb_dir)
    assert "0 case(s) changed" in result.stdout, result.stdout


def test_bundled_base_match_and_ask() -> None:
    result = run(["match", "--json"], stdin="Можно ли госслужащему принять подарок?\n😂\n")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [list(row) for row in rows] == [KEYS, KEYS]
    assert rows[1]["id"] is None
    assert run(["ask", "привет"]).exit_code == 0


def test_match_does_not_depend_on_the_hash_seed() -> None:
    """Python salts str hashes per process; set iteration order must not change a result."""
    questions = [
        json.loads(line)["q"]
        for line in (ROOT / "tests" / "data" / "dev.jsonl").read_text("utf-8").splitlines()
    ]
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "ADAL_KNOWLEDGE_DIR": str(ROOT / "knowledge")}
        outputs.append(
            subprocess.run(
                [sys.executable, "-m", "bot", "match", "--json"],
                input="\n".join(questions) + "\n",
                capture_output=True,
                text=True,
                env=env,
                check=True,
                timeout=120,
            ).stdout
        )
    assert outputs[0].count("\n") == len(questions)
    assert outputs[0] == outputs[1]


def test_ask_explain_prints_the_features_the_confidence_and_the_rule() -> None:
    result = run(["ask", "--explain", "Можно ли госслужащему принять подарок?"])
    assert "candidate: gifts-any-value-ban" in result.stdout
    assert "  coverage " in result.stdout and "confidence " in result.stdout
    assert "decided by: the confidence model: answer" in result.stdout
    chatter = run(["ask", "--explain", "привет"])
    assert "decided by: small talk (greeting)" in chatter.stdout
    country = run(["ask", "--explain", "Қытайда ше?"])  # "а в Китае?" alone: 74.5 < 77
    assert "decided by: its words rule the candidate out" in country.stdout
    keywords = run(["ask", "--explain", "подарок провокация"])
    assert "decided by: bare keywords naming two topics" in keywords.stdout
    two = run(["ask", "--explain", "May I keep the cognac? What is the weather tomorrow?"])
    assert "decided by: its last question (other matter) asks nothing of the base" in two.stdout
    both = "Can I accept a gift from a contractor? And can my brother work in my unit?"
    apart = run(["ask", "--explain", both])
    assert "decided by: its questions, matched one by one: one answered" in apart.stdout


def test_eval_compare_lists_the_cases_that_flipped(kb_dir: Path, tmp_path: Path) -> None:
    cases = _eval_file(tmp_path, GOOD)
    saved = tmp_path / "run.json"
    assert run(["eval", cases, "--save", str(saved)], kb_dir).exit_code == 0
    rows = json.loads(saved.read_text(encoding="utf-8"))
    rows[0].update(got="gift-family", right=False)  # as if an earlier run had got it wrong
    saved.write_text(json.dumps(rows), encoding="utf-8")
    result = run(["eval", cases, "--compare", str(saved)], kb_dir)
    assert "1 case(s) changed" in result.stdout
    assert f"FIXED {cases}:1: 'можно ли взять подарок': gift-family -> gift-ban" in result.stdout


def test_eval_compare_lists_a_reworded_case_as_new_and_its_old_wording_as_gone(
    kb_dir: Path, tmp_path: Path
) -> None:
    """A probe reworded line 2 of a set so that it went wrong, and compare said "0 case(s)
    changed": the new wording is a new case, the old one a case gone."""
    cases = _eval_file(tmp_path, GOOD)
    saved = tmp_path / "run.json"
    assert run(["eval", cases, "--save", str(saved)], kb_dir).exit_code == 0
    reworded = {**GOOD[1], "q": "may my family accept a gift", "expect": ["gift-family"]}
    _eval_file(tmp_path, [GOOD[0], reworded, *GOOD[2:]])
    result = run(["eval", cases, "--compare", str(saved)], kb_dir)
    assert "0 case(s) changed, 1 new and 1 gone since" in result.stdout, result.stdout
    new = f"  NEW {cases}:2: 'may my family accept a gift': gift-ban (expected gift-family): wrong"
    assert new in result.stdout
    assert "  GONE line 2: 'may an official accept a gift'" in result.stdout


def test_eval_summary_prints_the_figures_but_no_case(kb_dir: Path, tmp_path: Path) -> None:
    """A held-out set is measured without its lines being read (`make eval` uses it)."""
    wrong = [
        {"q": "можно ли взять подарок", "lang": "ru", "expect": ["gift-family"], "kind": "plain"}
    ]
    cases = _eval_file(tmp_path, GOOD + wrong)
    full = run(["eval", cases], kb_dir).stdout
    assert "WRONG:" in full and "можно ли взять подарок" in full
    summary = run(["eval", "--summary", cases, "--max-wrong", "0"], kb_dir)
    assert "wrong answers: 1 " in summary.stdout and "top-1 accuracy" in summary.stdout
    assert "WRONG" not in summary.stdout and "подарок" not in summary.stdout
    assert summary.exit_code == 1  # the gates still apply


def test_eval_scores_several_sets_as_one(kb_dir: Path, tmp_path: Path) -> None:
    """The held-out sets are gated pooled too: the figures and the thresholds are over all the
    files' cases, and a case is named by its file and line."""
    first = tmp_path / "one"
    first.mkdir()
    good = _eval_file(first, GOOD)
    wrong = {"q": "можно ли взять подарок", "lang": "ru", "expect": ["gift-family"], "kind": "x"}
    other = _eval_file(tmp_path, [wrong])
    result = run(["eval", good, other, "--max-wrong", "0.3"], kb_dir)
    assert result.exit_code == 0, result.output
    assert "4 cases" in result.stdout and "wrong answers: 1 (25.0% of all cases)" in result.stdout
    assert f"{other}:1 [ru/x]" in result.stdout
    assert run(["eval", good, other, "--max-wrong", "0.2"], kb_dir).exit_code == 1
    assert run(["eval"], kb_dir).exit_code == 2  # at least one set


def test_the_cli_loads_the_store_only_for_the_commands_that_use_it() -> None:
    """`match --json` starts within 1.5 s (bench/bench_startup.py): importing the command line
    must not import sqlite-utils and the store (0.2 s of it)."""
    code = (
        "import sys, bot.cli; "
        "print(sorted(m for m in ('bot.store', 'sqlite_utils') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]"
