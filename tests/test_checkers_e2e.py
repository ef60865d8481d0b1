"""Situation checkers end to end: the real bot over HTTP against the Bot API emulator, one path
per checker from /check to its outcome, and one from a story question."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from telegram.ext import Application

from bot.config import Settings
from bot.kb import read_knowledge
from bot.kb.markup import paragraphs
from bot.kb.model import CheckerOutcome
from tests.helpers.botapi_emulator import BotAPIEmulator
from tests.helpers.telegram_e2e import actions, ask, press, running, shown

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
CHECKERS = read_knowledge(ROOT / "knowledge")[0].checkers


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emulator:
        yield emulator
    assert not emulator.rejected


@pytest_asyncio.fixture
async def app(emu: BotAPIEmulator, tmp_path: Path) -> AsyncIterator[Application]:
    settings = Settings(token=emu.token, api_url=emu.base_url, db_path=tmp_path / "adal.db")
    async with running(settings) as application:
        yield application


@pytest.mark.parametrize("checker_id", sorted(CHECKERS))
async def test_a_path_from_check_to_the_outcome(
    app: Application, emu: BotAPIEmulator, checker_id: str
) -> None:
    checker = CHECKERS[checker_id]
    [listing] = await ask(emu, "/check")
    _, [message] = await press(emu, listing, f"k:{checker_id}:")
    choices = ""
    while not isinstance(checker.node(choices), CheckerOutcome):
        choices += "0"  # always the first option
        _, [message] = await press(emu, message, f"k:{checker_id}:{choices}")
    outcome = checker.node(choices)
    assert isinstance(outcome, CheckerOutcome) and message.plain_text is not None
    assert message.plain_text.startswith(shown(paragraphs(outcome.texts["ru"])[0]))


async def test_a_story_question_offers_the_checker(app: Application, emu: BotAPIEmulator) -> None:
    story = (
        "A contractor who is bidding in our tender left a bottle of cognac in my office "
        "yesterday. I am a civil servant. Can I keep a gift like that?"
    )
    [answer] = await ask(emu, story)
    assert "k:check-gift:" in actions(answer)
    _, [step] = await press(emu, answer, "k:check-gift:")
    assert any(a.startswith("k:check-gift:0") for a in actions(step))
