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


def test_a_broken_knowledge_base_is_one_line_naming_the_folder(tmp_path: Path) -> None:
    knowledge = Path(shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge"))
    notice = next((knowledge / "notices").glob("*.yaml"))
    text = notice.read_text(encoding="utf-8")
    start = text.index("publish_at:")
    end = text.index("\n", start)
    notice.write_text(
        text[:start] + "publish_at: 9999-12-31T23:59:59-12:00" + text[end:], encoding="utf-8"
    )
    settings = Settings(token=TOKEN, knowledge_dir=knowledge, db_path=tmp_path / "adal.db")
    with pytest.raises(StartError) as caught:
        Service(settings)
    message = str(caught.value)
    assert message.startswith(f"ADAL_KNOWLEDGE_DIR={knowledge}: 1 problem(s), the first: {notice}:")
    assert "year must be between 2000 and 2100" in message and "\n" not in message
