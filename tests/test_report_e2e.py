"""End to end: users ask what the base cannot answer, vote, choose in a clarifying question,
through the real Application and the Bot API emulator; /stats and `adal-bot report --html`
then show it, without their personal data."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import Settings
from tests.helpers.botapi_emulator import BotAPIEmulator
from tests.helpers.report_data import BUSINESS, FEES
from tests.helpers.telegram_e2e import actions, ask, dialog_of, press, running

pytestmark = pytest.mark.e2e

ADMIN = 779
PHONE = "+7 701 123 45 67"


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.section = ""
        self.by_section: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section":
            self.section = dict(attrs).get("id") or ""

    def handle_data(self, data: str) -> None:
        self.by_section.setdefault(self.section, []).append(data)


async def test_what_users_asked_shows_in_stats_and_the_html_report(tmp_path: Path) -> None:
    db = tmp_path / "adal.db"
    async with BotAPIEmulator() as emu:
        settings = Settings(
            token=emu.token, api_url=emu.base_url, db_path=db, admins=frozenset({ADMIN})
        )
        async with running(settings) as app:
            kb = dialog_of(app).library.kb
            chat = 600
            for lang, text in [*FEES, *BUSINESS]:
                chat += 1
                await ask(emu, f"{text} {PHONE}", chat_id=chat, lang=lang)
            entry = kb.get("relatives-same-agency")
            assert entry is not None
            [answer] = await ask(emu, entry.questions("ru")[0], chat_id=650)
            await press(emu, answer, f"f:-:{entry.id}")  # then: what was missing?
            await ask(emu, f"Нет про двоюродных братьев, звоните {PHONE}", chat_id=650)
            [clarify] = await ask(emu, "провокация подарок", chat_id=651)
            option = next(a for a in actions(clarify) if a.startswith("q:"))
            await press(emu, clarify, option)
            [stats] = await ask(emu, "/stats", chat_id=ADMIN, lang="en")
        assert not [(r.method, r.status) for r in emu.rejected]
    stats_text = stats.plain_text or ""
    assert "Questions in the last 7 days:" in stats_text
    assert "Most asked without an answer:" in stats_text and "конференции" in stats_text
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--html", str(out)], env={"ADAL_DB": str(db)})
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "701" not in html.replace("<", " ")  # the phone number nowhere, [PHONE] instead
    page = Text()
    page.feed(html)
    unanswered = " ".join(page.by_section["unanswered"])
    assert "конференции" in unanswered and "ИП" in unanswered and "[PHONE]" in unanswered
    downvoted = " ".join(page.by_section["downvoted"])
    assert "relatives-same-agency" in downvoted
    assert "Нет про двоюродных братьев, звоните [PHONE]" in downvoted
    confused = " ".join(page.by_section["confused"])
    assert "/" in confused and "No clarifying questions" not in confused
