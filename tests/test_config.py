"""Settings come from the environment; malformed values fail with the variable's name."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import DEFAULT_API_URL, ConfigError, Settings

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ_-0123456"


def test_defaults_without_token() -> None:
    settings = Settings.from_env({})
    assert settings.token is None
    assert settings.api_url == DEFAULT_API_URL
    assert settings.db_path == Path("data/adal.db")
    assert (settings.knowledge_dir / "topics.yaml").exists()
    assert settings.admins == frozenset()


def test_all_variables() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/bot",
            "ADAL_DB": "/tmp/x.db",
            "ADAL_KNOWLEDGE_DIR": "/kb",
            "ADAL_ADMINS": "1, 22 333",
            "ADAL_WEBHOOK_URL": "https://bot.example.org/hook",
            "ADAL_WEBHOOK_SECRET": "s3cret_",
            "ADAL_WEBHOOK_PORT": "8080",
            "ADAL_WEBHOOK_LISTEN": "127.0.0.1",
            "ADAL_LOG_LEVEL": "debug",
        }
    )
    assert settings.token == TOKEN
    assert settings.api_url == "http://127.0.0.1:8081/bot"
    assert settings.db_path == Path("/tmp/x.db")
    assert settings.knowledge_dir == Path("/kb")
    assert settings.admins == {1, 22, 333}
    assert settings.webhook_port == 8080
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("TELEGRAM_API_URL", "ftp://example.org/bot"),
        ("TELEGRAM_API_URL", "api.telegram.org"),
        ("ADAL_WEBHOOK_URL", "http://insecure.example.org/hook"),
        ("ADAL_WEBHOOK_SECRET", "has spaces"),
        ("ADAL_WEBHOOK_PORT", "eighty"),
        ("ADAL_WEBHOOK_PORT", "70000"),
        ("ADAL_ADMINS", "alice"),
        ("ADAL_LOG_LEVEL", "verbose"),
    ],
)
def test_malformed_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})


def test_dotenv_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ADAL_DB", raising=False)
    (tmp_path / ".env").write_text("ADAL_DB=from-dotenv.db\n", encoding="utf-8")
    try:
        assert Settings.from_env().db_path == Path("from-dotenv.db")
    finally:
        monkeypatch.delenv("ADAL_DB", raising=False)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("TELEGRAM_API_URL", "api.telegram.org"),
        ("ADAL_LOG_LEVEL", "verbose"),
    ],
)
def test_adal_bot_stops_with_one_line_naming_the_variable(name: str, value: str) -> None:
    result = CliRunner().invoke(cli, ["run"], env={name: value})
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {name} ") and result.output.count("\n") == 1


def test_readme_configuration_table_lists_every_variable_the_code_reads() -> None:
    read = {
        name
        for path in (ROOT / "bot").rglob("*.py")
        for name in re.findall(r"\bget\(\s*\"([A-Z][A-Z0-9_]+)\"", path.read_text(encoding="utf-8"))
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    first_column = "".join(re.findall(r"^\|([^|]+)\|", table, re.M))
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_column))
    assert {"TELEGRAM_BOT_TOKEN", "ADAL_DB", "LANG"} <= read
    assert read <= documented, f"not in README's configuration table: {sorted(read - documented)}"


def test_dotenv_is_read_without_changing_the_process_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ADAL_LOG_LEVEL", raising=False)
    (tmp_path / ".env").write_text("ADAL_LOG_LEVEL=DEBUG\n", encoding="utf-8")
    assert Settings.from_env().log_level == "DEBUG"
    assert "ADAL_LOG_LEVEL" not in os.environ


def test_the_token_is_never_in_the_settings_repr() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": "123456:Secret-Part_of-the-token",
            "ADAL_WEBHOOK_SECRET": "hook-secret",
        },
        dotenv=False,
    )
    assert "Secret-Part" not in repr(settings) and "hook-secret" not in repr(settings)


@pytest.mark.parametrize("token", ["123456:WrongButWellFormed", "1:a", "7000000000:AAH-x_Y"])
def test_every_token_telegram_could_issue_is_accepted(token: str) -> None:
    assert Settings.from_env({"TELEGRAM_BOT_TOKEN": token}, dotenv=False).token == token
