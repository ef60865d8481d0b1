"""Start-up failures of the Telegram service are one line naming the variable or the cause,
raised before anything is sent to Telegram."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import Settings
from bot.telegram.app import Service, StartError

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:AAE-well_formed"


def _dated(knowledge: Path, publish_at: str) -> Path:
    """The bundled notice of ``knowledge`` with ``publish_at`` as its date."""
    notice = next((knowledge / "notices").glob("*.yaml"))
    text = notice.read_text(encoding="utf-8")
    start = text.index("publish_at:")
    end = text.index("\n", start)
    notice.write_text(text[:start] + f"publish_at: {publish_at}" + text[end:], encoding="utf-8")
    return notice


def test_a_broken_knowledge_base_is_one_line_naming_the_folder(tmp_path: Path) -> None:
    knowledge = Path(shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge"))
    gifts = knowledge / "gifts.yaml"
    gifts.write_text(
        gifts.read_text(encoding="utf-8").replace("  topic: gifts", "  topic: [gifts", 1),
        encoding="utf-8",
    )
    settings = Settings(token=TOKEN, knowledge_dir=knowledge, db_path=tmp_path / "adal.db")
    with pytest.raises(StartError) as caught:
        Service(settings)
    message = str(caught.value)
    assert message.startswith(f"ADAL_KNOWLEDGE_DIR={knowledge}: ")
    assert f"problem(s), the first: {gifts}:" in message
    assert "YAML syntax" in message and "\n" not in message


def test_a_notice_with_an_impossible_date_never_stops_the_bot(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """It is left out of the live base with a warning naming its file; kb check reports it."""
    knowledge = Path(shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge"))
    notice = _dated(knowledge, "9999-12-31T23:59:59-12:00")
    settings = Settings(token=TOKEN, knowledge_dir=knowledge, db_path=tmp_path / "adal.db")
    service = Service(settings)
    assert service.dialog.library.kb.entries and not service.dialog.library.kb.notices
    assert any(
        str(notice) in r.getMessage() and "year must be between" in r.getMessage()
        for r in caplog.records
        if r.levelname == "WARNING"
    )
