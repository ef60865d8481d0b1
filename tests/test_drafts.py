"""Drafts for the base from the experts' answers (issue 20): the file written, `adal-bot drafts
list|show`, and the maintainers' report listing the open drafts and the questions still
waiting for an expert."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.insights.html import render_html
from bot.insights.report import build_report, text_lines
from bot.kb import KnowledgeBase, load_knowledge
from bot.kb.drafts import read_drafts, write_draft
from bot.store import Store
from bot.store.case_mail import Mail
from tests.conftest import BUNDLED_KNOWLEDGE

QUESTION = "Можно ли [NAME] оплатить курсы английского за счёт спонсора?"
ANSWER = "Нет: это услуга, её стоимость — подарок.\n\nСм. ст. 12 (п. 1) **Закона**."


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(BUNDLED_KNOWLEDGE)


def write(folder: Path, kb: KnowledgeBase, number: int = 7) -> Path:
    return write_draft(
        folder,
        number=number,
        lang="ru",
        question=QUESTION,
        answer=ANSWER,
        kb=kb,
        nearest=("gifts-any-value-ban", "no-such-entry"),
        asked=date(2026, 12, 1),
        today=date(2026, 12, 2),
    )


def test_a_draft_holds_the_question_the_answer_and_the_nearest_entrys_context(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    path = write(tmp_path / "drafts", kb)
    text = path.read_text(encoding="utf-8")
    assert path.name == "case-7.yaml" and text.startswith("# Draft from expert case #7")
    assert "- id: expert-case-7\n  topic: gifts\n  reviewed: 2026-12-02\n" in text
    assert "related:\n    - gifts-any-value-ban\n" in text and "no-such-entry" not in text
    assert "adilet.zan.kz" in text  # the nearest entry's sources, to check
    assert "(п. 1) **Закона**" in text  # sound markup is kept as it is
    [draft] = read_drafts(tmp_path / "drafts")
    assert (draft.number, draft.entry_id, draft.topic, draft.langs) == (
        7,
        "expert-case-7",
        "gifts",
        ("ru",),
    )
    assert draft.question == QUESTION
    with pytest.raises(FileExistsError):
        write(tmp_path / "drafts", kb)


def test_drafts_list_and_show(tmp_path: Path, kb: KnowledgeBase) -> None:
    folder = tmp_path / "drafts"
    env = {"ADAL_DRAFTS_DIR": str(folder)}
    runner = CliRunner()
    assert f"no drafts in {folder}" in runner.invoke(cli, ["drafts", "list"], env=env).output
    write(folder, kb, 7)
    write(folder, kb, 12)
    (folder / "case-13.yaml").write_text("- id: [broken\n", encoding="utf-8")  # being edited
    listed = runner.invoke(cli, ["drafts", "list"], env=env)
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert [line.split()[0] for line in lines[1:]] == ["7", "12", "13"]
    assert "expert-case-12" in lines[2] and "ru" in lines[2] and "оплатить курсы" in lines[2]
    for name in ("12", "#12", "case-12", "expert-case-12"):
        shown = runner.invoke(cli, ["drafts", "show", name], env=env)
        assert shown.exit_code == 0 and shown.output.startswith("# Draft from expert case #12")
    missing = runner.invoke(cli, ["drafts", "show", "99"], env=env)
    assert missing.exit_code == 1 and "cases with drafts: 7, 12, 13" in missing.output


def test_a_draft_file_not_named_by_a_case_number_is_left_out(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    """A file "case-².yaml" (str.isdigit() passed it, int() refused it) failed the list."""
    folder = tmp_path / "drafts"
    write(folder, kb, 7)
    for name in ("²", "٣", "9" * 30, "+1", "x"):
        (folder / f"case-{name}.yaml").write_text("- id: other\n", encoding="utf-8")
    assert [draft.number for draft in read_drafts(folder)] == [7]


def test_the_report_lists_waiting_cases_and_open_drafts(tmp_path: Path, kb: KnowledgeBase) -> None:
    store = Store(":memory:")
    number = store.new_draft(42, QUESTION, lang="ru", reply_lang="ru")
    sent = (datetime.now(UTC) - timedelta(hours=30)).isoformat(timespec="seconds")
    store.change_case(
        number,
        expect={"state": "draft"},
        changes={"state": "waiting", "chat_id": 42, "sent_at": sent},
        mails=[Mail("case", 9001, "ru")],
    )
    store.new_draft(43, "черновик, не отправлен", lang="ru", reply_lang="ru")
    write(tmp_path / "drafts", kb, 3)
    now = datetime.now(UTC)
    report = build_report(store, kb, now - timedelta(days=7), now, drafts=tmp_path / "drafts")
    lines = text_lines(report)
    waiting = lines.index("Questions waiting for an expert (oldest first):")
    assert lines[waiting + 1] == f"  #{number} (ru, 30 h): “{QUESTION}”"
    assert lines[waiting + 2] == ""  # the unsent draft is not waiting for anyone
    assert f"  case 3: expert-case-3 (gifts; ru): “{QUESTION}”" in lines
    html = render_html(report)
    assert f"#{number} (ru, 30 h)" in html and "case 3: expert-case-3" in html
