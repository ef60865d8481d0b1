"""The container image as the Dockerfile builds it: dependencies cached in a layer before the
code, a fixed non-root uid, a HEALTHCHECK that runs ``adal-bot health``, the webhook port
exposed; and docs/deploy.md covering what an operator needs. (No Docker daemon is assumed:
the file is read, and its dependency step is run as the build would run it.)"""

from __future__ import annotations

import re
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import Settings
from bot.store import Store
from bot.store.keys import key_path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    found = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def test_dependencies_are_installed_in_a_layer_before_the_code() -> None:
    steps = instructions()
    copies = [i for i, (word, _) in enumerate(steps) if word == "COPY"]
    install = next(i for i, (word, rest) in enumerate(steps) if word == "RUN" and "-r " in rest)
    first_code = next(i for i in copies if re.search(r"\b(bot|knowledge|locales)\b", steps[i][1]))
    assert steps[copies[0]][1].split() == ["pyproject.toml", "constraints.txt", "./"]
    assert copies[0] < install < first_code
    assert "-c constraints.txt" in steps[install][1]


def test_the_dependency_step_lists_exactly_the_projects_dependencies() -> None:
    script = re.search(r'python -c "(.*?)"', DOCKERFILE)
    assert script is not None
    listed = subprocess.run(
        [sys.executable, "-c", script.group(1)],  # sh keeps \n in double quotes
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert [line for line in listed if line] == project["dependencies"]


def test_it_runs_as_a_fixed_non_root_uid_with_a_health_check_and_the_webhook_port() -> None:
    steps = dict(instructions())
    user = steps["USER"].split(":")
    assert all(part.isdigit() and int(part) >= 1000 for part in user)
    assert f"--uid {user[0]}" in DOCKERFILE and f"chown {user[0]}:{user[1]} /data" in DOCKERFILE
    assert steps["HEALTHCHECK"].endswith('CMD ["adal-bot", "health"]')
    assert steps["EXPOSE"] == str(Settings().webhook_port)
    assert steps["CMD"] == '["adal-bot", "run"]'
    assert {"health", "run"} <= set(cli.commands)  # type: ignore[attr-defined]


def test_the_deploy_guide_covers_the_operators_questions() -> None:
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8").lower()
    for topic in (
        "polling",
        "webhook",
        "reverse proxy",
        "bot api server",
        "backup",
        "upgrade",
        "migration",
        "capacity",
        "standby",
        "/healthz",
        "/metrics",
        "adal_hash_secret",
    ):
        assert topic in guide, topic


@pytest.mark.parametrize("target", ["", ".", "notes.txt"])
def test_a_backup_refuses_a_folder_and_a_file_that_is_no_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    """A probe: `backup ""` made the current folder owner-only without its execute bit (0600),
    then failed; `backup notes.txt` made the notes owner-only, then failed."""
    db = tmp_path / "adal.db"
    Store(db).close()
    monkeypatch.chdir(tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes", encoding="utf-8")
    notes.chmod(0o644)
    before = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [tmp_path, *tmp_path.iterdir()]}
    result = CliRunner().invoke(cli, ["backup", target], env={"ADAL_DB": str(db)})
    assert result.exit_code in (1, 2) and "Traceback" not in result.output, result.output
    after = {p.name: stat.S_IMODE(p.stat().st_mode) for p in [tmp_path, *tmp_path.iterdir()]}
    assert after == before and notes.read_text(encoding="utf-8") == "my notes"


def test_an_online_backup_copies_the_database_and_its_key(tmp_path: Path) -> None:
    db, copy = tmp_path / "data" / "adal.db", tmp_path / "backups" / "adal-1.db"
    store = Store(db)
    store.set_language(42, "kk")
    store.db.execute("BEGIN")  # the bot is in the middle of a write
    store.db.execute("UPDATE users SET lang = 'en'")
    result = CliRunner().invoke(cli, ["backup", str(copy)], env={"ADAL_DB": str(db)})
    store.db.conn.rollback()
    store.close()
    assert result.exit_code == 0, result.output
    assert result.output == f"backed up to {copy}, {copy}.key\n"
    restored = Store(copy)  # its own key file: the users are found again
    assert restored.language(42) == "kk"
    restored.close()
    assert stat.S_IMODE(copy.stat().st_mode) == stat.S_IMODE(key_path(copy).stat().st_mode)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    missing = CliRunner().invoke(cli, ["backup", str(copy)], env={"ADAL_DB": str(tmp_path / "x")})
    assert missing.exit_code == 1 and "no database at" in missing.output
