"""A failure the user mends (the database, a file given) is one line naming the file and what
to do, exit 1, never a traceback (README)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], db: Path | None = None) -> Result:
    env = {"ADAL_KNOWLEDGE_DIR": str(ROOT / "knowledge"), "TELEGRAM_BOT_TOKEN": ""}
    if db is not None:
        env["ADAL_DB"] = str(db)
    return CliRunner().invoke(cli, args, input="", env=env)


def one_line_error(result: Result) -> str:
    """The error line of a failed command, checked to be all it said."""
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, (OSError, ValueError)), result.exception
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.mark.parametrize("args", [[], ["chat"]])
def test_the_terminal_chat_on_a_database_that_cannot_be_created(
    tmp_path: Path, args: list[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    line = one_line_error(run(args, blocker / "adal.db"))
    assert f"ADAL_DB={blocker / 'adal.db'} cannot be created (Not a directory)" in line
    assert "set ADAL_DB to a file in a folder that can be written to" in line


@pytest.mark.parametrize("args", [["report"], ["notices", "list"], ["notices", "status", "x"]])
def test_report_and_notices_on_a_database_that_cannot_be_opened(
    tmp_path: Path, args: list[str]
) -> None:
    db = tmp_path / "adal.db"
    db.write_text("not a database, though it has the name\n" * 100, encoding="utf-8")
    line = one_line_error(run(args, db))
    assert f"ADAL_DB={db} cannot be opened (SQLITE_NOTADB" in line
    assert "in a folder that can be written to" in line


def test_eval_on_a_file_not_in_utf8_names_its_line(tmp_path: Path) -> None:
    cases = tmp_path / "set.jsonl"
    cases.write_bytes(b'{"q": "x", "expect": []}\n\xff{"q": 1}\n')
    line = one_line_error(run(["eval", str(cases)]))
    assert line == f"Error: {cases}:2: not UTF-8 text: save the file as UTF-8"


@pytest.mark.parametrize(
    ("saved", "problem"),
    [('{"bad":', "not JSON (Expecting value"), ('[{"q": "x"}]', "not a saved run")],
)
def test_eval_compare_with_a_file_that_is_no_saved_run(
    tmp_path: Path, saved: str, problem: str
) -> None:
    cases = tmp_path / "set.jsonl"
    cases.write_text(json.dumps({"q": "привет", "expect": []}) + "\n", encoding="utf-8")
    run_file = tmp_path / "run.json"
    run_file.write_text(saved, encoding="utf-8")
    line = one_line_error(run(["eval", str(cases), "--compare", str(run_file)]))
    assert line.startswith(f"Error: {run_file}: {problem}")
    assert line.endswith("give a file written by `adal-bot eval … --save FILE`")
