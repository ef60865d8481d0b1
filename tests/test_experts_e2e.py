"""Ask an expert end to end (issue 20): the real Application against the Bot API emulator.

A question the base cannot answer reaches the experts without the asker's name, username or
id, with an IIN and a phone number redacted; the expert who took it replies and the reply
reaches the asker, while another expert's and another user's replies do not; "add to the base"
writes a draft that `kb check` accepts once its other languages are filled in; /forget deletes
the case and empties the experts' messages.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from click.testing import CliRunner
from ruamel.yaml import YAML
from telegram.ext import Application

from bot.cli import cli
from bot.config import Settings
from bot.telegram import cases as telegram_cases
from tests.helpers.botapi_emulator import BotAPIEmulator, SentRecord
from tests.helpers.telegram_e2e import actions, dialog_of, on_worker, press, running, until

pytestmark = pytest.mark.e2e

EXPERT, OTHER_EXPERT, ASKER, STRANGER = 801, 802, 811, 812
IIN, PHONE = "900101300126", "+7 701 123 45 67"
QUESTION = (
    f"Меня зовут Асхат Нурланов, ИИН {IIN}, тел. {PHONE}. Как оформить командировку за рубеж?"
)
ASKER_USER = {"first_name": "Асхат", "username": "askhat_n", "language_code": "ru"}
ANSWER = "Командировку за рубеж оформляет кадровая служба по приказу руководителя."


@pytest.fixture(autouse=True)
def quick_mail(monkeypatch: pytest.MonkeyPatch) -> None:
    """Look at the case mail ten times a second."""
    monkeypatch.setattr(telegram_cases, "DRAIN_INTERVAL", 0.1)


@pytest_asyncio.fixture
async def emu() -> AsyncIterator[BotAPIEmulator]:
    async with BotAPIEmulator() as emulator:
        yield emulator


@pytest.fixture
def settings(emu: BotAPIEmulator, tmp_path: Path, kb_copy: Path) -> Settings:
    return Settings(
        token=emu.token,
        api_url=emu.base_url,
        knowledge_dir=kb_copy,  # not the live knowledge/: an edit under way there is no concern
        db_path=tmp_path / "adal.db",
        experts=frozenset({EXPERT, OTHER_EXPERT}),
        drafts_dir=tmp_path / "drafts",
    )


async def say(
    emu: BotAPIEmulator,
    chat_id: int,
    text: str,
    *,
    reply_to: int | None = None,
    count: int = 1,
    **user: Any,
) -> list[SentRecord]:
    """Write ``text`` in ``chat_id`` (maybe as a reply) and wait for ``count`` new messages
    (edits of the chat's case messages may come meanwhile: they are not counted)."""
    mark = len(emu.sent)
    emu.push_text(chat_id, text, reply_to=reply_to, **{"language_code": "ru", **user})
    found = []
    for _ in range(count):
        found.append(await arrives(emu, chat_id, mark))
        mark = emu.sent.index(found[-1]) + 1
    return found


async def arrives(emu: BotAPIEmulator, chat_id: int, after: int) -> SentRecord:
    """The first new message to ``chat_id`` after ``emu.sent[after]``."""
    return await emu.wait_for(
        lambda r: r.ok and r.chat_id == chat_id and r.method == "sendMessage", after=after
    )


def shown(emu: BotAPIEmulator, chat_id: int, message_id: int) -> str:
    """What a message of the chat shows now (after edits)."""
    return str(emu.message(chat_id, message_id).get("text", ""))


async def hand_over(emu: BotAPIEmulator) -> tuple[int, dict[int, SentRecord]]:
    """The asker's question, not answered by the base, sent to the experts with the button;
    the case's number and each expert's case message."""
    for expert, lang in ((EXPERT, "ru"), (OTHER_EXPERT, "en")):
        await say(emu, expert, "/start", language_code=lang, first_name="Гульнара")
    mark = len(emu.sent)
    emu.push_text(ASKER, QUESTION, **ASKER_USER)
    abstained = await emu.wait_for(
        lambda r: r.chat_id == ASKER and any(a.startswith("a:p:") for a in actions(r)), after=mark
    )
    ask_button = next(a for a in actions(abstained) if a.startswith("a:p:"))
    _answer, [preview] = await press(emu, abstained, ask_button)
    preview_text = preview.plain_text or ""
    assert "[IIN]" in preview_text and "[PHONE]" in preview_text and IIN not in preview_text
    number = int(ask_button.split(":")[2])
    mark = len(emu.sent)
    _answer, [_buttons_gone, sent] = await press(emu, preview, f"a:s:{number}", count=2)
    assert f"№{number}" in (sent.plain_text or "")
    case_messages = {expert: await arrives(emu, expert, mark) for expert in (EXPERT, OTHER_EXPERT)}
    return number, case_messages


async def test_the_question_reaches_the_experts_anonymously_and_only_the_owners_reply_comes_back(
    emu: BotAPIEmulator, settings: Settings
) -> None:
    async with running(settings):
        number, case_messages = await hand_over(emu)
        for expert, message in case_messages.items():
            text = message.plain_text or ""
            assert "[IIN]" in text and "[PHONE]" in text and "[NAME]" in text
            for secret in (IIN, "701 123", "Асхат", "Нурланов", "askhat", str(ASKER)):
                assert secret not in text, (expert, secret)
            assert actions(message) == [f"c:t:{number}"]
        mine, theirs = case_messages[EXPERT], case_messages[OTHER_EXPERT]
        assert mine.message_id is not None and theirs.message_id is not None

        mark = len(emu.sent)
        answer, _ = await press(emu, mine, f"c:t:{number}", count=0)
        assert answer["text"] == f"Вопрос №{number} теперь ваш."
        await arrives(emu, EXPERT, mark)  # how to answer
        await until(lambda: "Another expert took" in shown(emu, OTHER_EXPERT, theirs.message_id))

        mark = len(emu.sent)
        [refused] = await say(
            emu, OTHER_EXPERT, "Я отвечу первым!", reply_to=theirs.message_id, language_code="en"
        )
        assert "Your reply was not passed on." in (refused.plain_text or "")
        [own] = await say(emu, STRANGER, "Можно ли принять подарок?")
        await say(emu, STRANGER, "Ответ эксперта: можно.", reply_to=own.message_id)

        [sent] = await say(emu, EXPERT, ANSWER, reply_to=mine.message_id, first_name="Гульнара")
        assert f"№{number}" in (sent.plain_text or "") and "c:b:" in actions(sent)[0]
        relayed = await arrives(emu, ASKER, mark)
        text = relayed.plain_text or ""
        assert f"Вопрос №{number} · отвечает эксперт:" in text and ANSWER in text
        assert "Гульнара" not in text and str(EXPERT) not in text
        to_asker = [r.plain_text or "" for r in emu.sent[mark:] if r.chat_id == ASKER]
        assert to_asker == [text]  # neither the other expert's nor the stranger's reply

        mark = len(emu.sent)
        [passed] = await say(emu, ASKER, f"А если звонить {PHONE}?", reply_to=relayed.message_id)
        assert "[PHONE]" in (passed.plain_text or "")
        followup = await arrives(emu, EXPERT, mark)
        assert "[PHONE]" in (followup.plain_text or "") and "701" not in (followup.plain_text or "")
        assert followup.params.get("reply_parameters")  # a reply to the case message
    assert not [(r.method, r.status) for r in emu.rejected]


def complete(draft: Path, knowledge: Path) -> Path:
    """The draft with its other two languages written and more ways of asking in its own,
    moved into ``knowledge`` as a topic's file would be."""
    yaml = YAML()
    entries = yaml.load(draft.read_text(encoding="utf-8"))
    entry = entries[0]
    entry["ru"]["questions"] += [
        f"Кто оформляет служебную поездку за границу, вариант {n}?" for n in range(1, 8)
    ]
    entry["kk"]["questions"] = [f"Шетелге іссапарды кім ресімдейді, нұсқа {n}?" for n in range(8)]
    entry["kk"]["answer"] = "Шетелдік іссапарды басшының бұйрығы бойынша кадр қызметі ресімдейді."
    entry["en"]["questions"] = [
        f"Who arranges a business trip abroad, version {n}?" for n in range(8)
    ]
    entry["en"]["answer"] = "The personnel service arranges it on the head's order."
    target = knowledge / "expert-case.yaml"
    with target.open("w", encoding="utf-8") as handle:
        yaml.dump(entries, handle)
    return target


async def test_add_to_the_base_writes_a_draft_that_kb_check_accepts_once_completed(
    emu: BotAPIEmulator, settings: Settings, tmp_path: Path
) -> None:
    async with running(settings):
        number, case_messages = await hand_over(emu)
        mine = case_messages[EXPERT]
        assert mine.message_id is not None
        [sent] = await say(emu, EXPERT, ANSWER, reply_to=mine.message_id)
        mark = len(emu.sent)
        answer, _ = await press(emu, sent, f"c:b:{number}", count=0)
        written = await arrives(emu, EXPERT, mark)
        assert f"case-{number}.yaml" in (written.plain_text or "") and not answer.get("text")
    draft = tmp_path / "drafts" / f"case-{number}.yaml"
    text = draft.read_text(encoding="utf-8")
    assert ANSWER in text and "[IIN]" in text and IIN not in text and "Асхат" not in text

    knowledge = Path(shutil.copytree(settings.knowledge_dir, tmp_path / "checked"))
    shutil.copy(draft, knowledge / draft.name)
    runner = CliRunner()
    unfinished = runner.invoke(cli, ["kb", "check", str(knowledge)])
    assert unfinished.exit_code == 1
    assert f"entry 'expert-case-{number}' [kk]" in unfinished.output  # what is left to do
    (knowledge / draft.name).unlink()
    complete(draft, knowledge)
    checked = runner.invoke(cli, ["kb", "check", str(knowledge)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("ok:") or "\nok:" in checked.output

    listed = runner.invoke(cli, ["drafts", "list"], env={"ADAL_DRAFTS_DIR": str(draft.parent)})
    assert listed.exit_code == 0 and f"expert-case-{number}" in listed.output


async def test_forget_removes_the_case_and_empties_the_experts_messages(
    emu: BotAPIEmulator, settings: Settings
) -> None:
    async with running(settings) as app:
        number, case_messages = await hand_over(emu)
        mine = case_messages[EXPERT]
        assert mine.message_id is not None
        [_sent] = await say(emu, EXPERT, ANSWER, reply_to=mine.message_id)
        await arrives(emu, ASKER, 0)
        [question] = await say(emu, ASKER, "/forget")
        _answer, [_buttons_gone, done] = await press(emu, question, "pf:yes", count=2)
        assert (done.plain_text or "").startswith("Готово")
        store = dialog_of(app).store
        assert await on_worker(app, lambda: store.case(number)) is None
        left = await on_worker(
            app, lambda: store.db.execute("SELECT kind, uid FROM case_mail").fetchall()
        )
        assert {kind for kind, _uid in left} <= {"erased"}
        assert store.uid(ASKER) not in {uid for _kind, uid in left}
        for expert, message in case_messages.items():
            assert message.message_id is not None
            await until(lambda e=expert, m=message.message_id: "[IIN]" not in shown(emu, e, m))
            assert f"{number}" in shown(emu, expert, message.message_id)
        [own] = await say(emu, EXPERT, "Дополнение", reply_to=mine.message_id)
        assert f"Вопрос №{number} закрыт" in (own.plain_text or "")
    assert isinstance(app, Application)
