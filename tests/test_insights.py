"""What users asked, without who asked it: recorded questions hold no personal data and no
Telegram id, /forget and the retention remove them; the report groups paraphrases, counts
votes and clarifications, and renders as one self-contained HTML page."""

from __future__ import annotations

import re
import stat
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import Settings
from bot.dialog import Dialog, UserRef, build_dialog
from bot.insights.html import render_html
from bot.insights.report import (
    RISING_MIN,
    Report,
    build_report,
    group_unanswered,
    text_lines,
)
from bot.library import base_version
from bot.matching import Matcher
from bot.store import Store
from bot.store.questions import Asked
from tests.helpers.report_data import BUSINESS, FEES, fill

CHAT = 987654321
USER = UserRef(chat_id=CHAT, user_id=CHAT, client_lang="ru")

# What a careless user types: every kind of personal data the redactor knows.
PERSONAL = {
    "iin": "900101300126",
    "phone": "+7 701 123 45 67",
    "phone2": "87011234567",
    "email": "askhat.n@mail.kz",
    "card": "4400 4301 2345 6787",
    "name": "Асхат",
    "surname": "Нурпеисов",
    "username": "@askhat_kz",
}
MESSAGES = [
    f"Меня зовут {PERSONAL['name']}, ИИН {PERSONAL['iin']}. Можно ли принять подарок от коллеги?",
    f"Мой телефон {PERSONAL['phone']}, почта {PERSONAL['email']} — что грозит за провокацию?",
    f"Мой сосед {PERSONAL['surname']} просит перевести деньги на карту {PERSONAL['card']}, "
    "это законно?",
    f"звоните {PERSONAL['phone2']} или пишите {PERSONAL['username']}, хочу открыть ИП",
    f"My name is Askhat Nurpeisov, IIN {PERSONAL['iin']}, can I open a business?",
    "Можно ли госслужащему принять подарок?",  # answered: the vote and comment below
]


@pytest.fixture
def dialog() -> Dialog:
    return build_dialog(Settings(), Store(":memory:"))


def every_value(store: Store) -> list[str]:
    """Every value of every row of every table, as text."""
    values: list[str] = []
    for table in store.db.table_names():
        for row in store.db.execute(f'SELECT * FROM "{table}"').fetchall():
            values += [str(v) for v in row if v is not None]
    return values


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def test_a_conversation_full_of_personal_data_leaves_none_in_the_database(
    dialog: Dialog,
) -> None:
    answered = None
    for message in MESSAGES:
        replies = dialog.handle_message(USER, message)
        for reply in replies:
            for row in reply.buttons:
                for b in row:
                    if b.action.startswith("f:-:") and answered is None:
                        answered = b.action
    assert answered is not None, "no answer to vote on"
    dialog.handle_button(USER, answered)  # 👎, then "what was missing?" with more of it
    dialog.handle_message(
        USER, f"Позвоните мне {PERSONAL['phone']}, я {PERSONAL['name']} {PERSONAL['surname']}"
    )
    store = dialog.store
    asked = store.questions_asked()
    assert len(asked) == len(MESSAGES)  # each question kept, the comment not as a question
    assert any("[IIN]" in q.text for q in asked) and any("[PHONE]" in q.text for q in asked)
    assert len(store.feedback_comments(datetime.now(UTC) - timedelta(hours=1))) == 1
    values = every_value(store)
    joined = "\n".join(values)
    for kind, value in PERSONAL.items():
        assert value.casefold() not in joined.casefold(), kind
        if kind in ("iin", "phone", "phone2", "card"):
            assert all(digits(value) not in digits(v) for v in values), kind
    assert "Askhat" not in joined and "Nurpeisov" not in joined
    columns = [c.name for c in store.db.table("questions").columns]
    assert "chat_id" not in columns and "user_id" not in columns
    rows = store.db.execute("SELECT * FROM questions").fetchall()
    assert all(str(CHAT) not in str(v) for row in rows for v in row)


def test_answers_and_abstentions_are_recorded_with_entry_confidence_and_version(
    dialog: Dialog,
) -> None:
    """The version is the live base's, the one the reload messages name: a probe found
    `работает версия 913513f` in the chat and 5e239f7 in the stored rows, for one base."""
    dialog.handle_message(USER, "Можно ли госслужащему принять подарок?")
    dialog.handle_message(USER, "Какая погода завтра в Астане?")
    dialog.handle_message(USER, "Спасибо!")  # small talk: not a question to keep
    answer, abstention = dialog.store.questions_asked()
    assert answer.entry_id == "gifts-any-value-ban" and answer.answered
    assert answer.confidence > 50 and answer.lang == "ru"
    assert answer.base == dialog.library.base == base_version(dialog.library.root)
    assert abstention.entry_id is None and not abstention.answered
    assert abstention.text == "Какая погода завтра в Астане?"


def test_forget_and_the_retention_remove_recorded_questions() -> None:
    store = Store(":memory:")
    for chat in (1, 2):
        store.record_question(chat, "вопрос", lang="ru", entry_id=None, confidence=1.0, base="v")
    assert store.forget(1) == 1
    assert [q.text for q in store.questions_asked()] == ["вопрос"]
    store.db.execute("UPDATE questions SET created_at = '2020-01-01T00:00:00+00:00'")
    assert store.expire(datetime.now(UTC), timedelta(days=90)).get("questions") == 1
    assert store.questions_asked() == []


def _asked(texts: list[tuple[str, str]]) -> list[Asked]:
    now = datetime.now(UTC)
    return [Asked(now, lang, None, (), 10.0, "v", text) for lang, text in texts]  # type: ignore[arg-type]


def test_the_report_groups_paraphrases_of_one_question_apart_from_another(bundled: Matcher) -> None:
    fees = [(lang, text) for lang, text in FEES if lang == "ru"]
    business = [(lang, text) for lang, text in BUSINESS if lang == "ru"]
    mixed = [x for pair in zip(fees, business, strict=False) for x in pair] + fees[len(business) :]
    groups = group_unanswered(_asked(mixed), bundled.index)
    found = sorted(sorted(q.text for q in g.questions) for g in groups)
    assert found == sorted([sorted(t for _, t in fees), sorted(t for _, t in business)])
    english = group_unanswered(
        _asked([x for x in FEES if x[0] == "en"] + [("en", "What is the weather?")]), bundled.index
    )
    assert [g.count for g in english] == [2, 1]


def test_a_question_whose_few_words_are_in_another_does_not_join_it(bundled: Matcher) -> None:
    """A probe: "[USERNAME] сказал что можно, правда?" joined a criminal-record question that
    also had "сказал" and "правда", and through it housing questions joined too; "а брат?"
    joined a question naming an uncle. Stems as sets equalled any longer question holding
    them."""
    record = [
        ("ru", "[NAME] сказал, что справку о несудимости дают в ЦОНе, правда?"),
        ("ru", "справку о несудимости как получить, тел [PHONE]"),
        ("ru", "справка о несудимости, ИИН: [NUMBER]"),
    ]
    housing = [
        ("ru", "как встать в очередь на квартиру по госпрограмме"),
        ("ru", "очередь на жилье по госпрограмме как встать"),
    ]
    alone = [("ru", "[USERNAME] сказал что можно, правда?"), ("ru", "а брат?")]
    groups = group_unanswered(_asked([*record, alone[0], *housing, alone[1]]), bundled.index)
    found = sorted(sorted(q.text for q in g.questions) for g in groups)
    expected = [sorted(t for _, t in record), sorted(t for _, t in housing)]
    assert found == sorted([*expected, *([t] for _, t in alone)])


def test_a_bare_word_is_not_suggested_as_a_variant(bundled: Matcher) -> None:
    """ "why?" after an answer, offered that answer's entry, made "add as a variant of …?"
    (a probe); a question of two content words or more still does."""
    now = datetime.now(UTC)
    bare = Asked(now, "en", None, ("gifts-any-value-ban",), 10.0, "v", "why?")  # type: ignore[arg-type]
    real = replace(bare, text="may my wife keep the perfume")
    [short] = group_unanswered([bare, bare], bundled.index)
    assert short.suggestion() == "too short for a variant (a follow-up word?)"
    [group] = group_unanswered([real], bundled.index)
    assert group.suggestion() == "add as a variant of gifts-any-value-ban?"


def test_a_question_the_bot_found_off_topic_is_suggested_as_a_new_entry(bundled: Matcher) -> None:
    """A probe's "гонорар за лекцию" (told "I only answer questions about…") was suggested as
    a variant of the old gift threshold, the entry that happened to rank first."""
    now = datetime.now(UTC)
    fee = Asked(now, "ru", None, ("gifts-old-threshold",), 1.2, "v", "гонорар за лекцию можно")  # type: ignore[arg-type]
    [group] = group_unanswered([fee, fee], bundled.index)
    assert group.nearest is None and group.suggestion() == "a new entry?"


@pytest.fixture
def report_store(tmp_path: Path) -> Path:
    path = tmp_path / "adal.db"
    store = Store(path)
    fill(store, datetime.now(UTC))
    store.close()
    return path


def test_the_report_counts_groups_votes_confusions_and_rising_questions(
    report_store: Path,
) -> None:
    from bot.kb import load_knowledge
    from bot.paths import bundled

    store = Store(report_store)
    now = datetime.now(UTC)
    report = build_report(
        store, load_knowledge(bundled("knowledge")), now - timedelta(days=28), now
    )
    store.close()
    top = report.groups[0]
    assert top.count == 9 and top.nearest == "compliance-services"
    assert top.suggestion() == "add as a variant of compliance-services?"
    assert report.downvoted[0].entry_id == "gifts-family-members" and report.downvoted[0].down == 3
    assert report.downvoted[0].comments[0].text == "Нет ничего про подарки тёще и свёкру"
    assert report.confusions == [
        (("gifts-any-value-ban", "gifts-family-members"), "gifts-family-members", 2)
    ]
    rates = [n / total for _, n, total in report.abstention() if total]
    assert rates[-1] > rates[0]  # the fee questions came in the last week
    assert any("конференции" in r.label for r in report.rising())
    lines = text_lines(report)
    assert any(
        line.startswith("  1. ×9 (ru 9): add as a variant of compliance-services?")
        for line in lines
    )


def first_weeks_report(tmp_path: Path, weeks: int) -> Report:
    """The report of the last 28 days of a bot that has been asked questions for ``weeks``."""
    from bot.kb import load_knowledge
    from bot.paths import bundled

    store = Store(tmp_path / "adal.db")
    now = datetime.now(UTC)
    fill(store, now, weeks=weeks)
    report = build_report(
        store, load_knowledge(bundled("knowledge")), now - timedelta(days=28), now
    )
    store.close()
    return report


def test_on_its_first_days_nothing_is_called_rising(tmp_path: Path) -> None:
    """Every question is from the last 7 days: there is nothing to compare them with (before,
    everything asked 3 times was "rising", against the empty weeks before the bot began)."""
    report = first_weeks_report(tmp_path, weeks=1)
    assert report.groups[0].count >= RISING_MIN  # asked often enough to be rising otherwise
    assert report.rising() == []
    assert "  none: no questions before the last 7 days to compare with" in text_lines(report)
    page = render_html(report)
    assert "<p>Nothing is rising: no questions before the last 7 days to compare with.</p>" in page


def test_rising_compares_with_the_weeks_the_bot_has_been_asked_in(tmp_path: Path) -> None:
    """Two weeks of questions in a 28-day report: the week before is the average (before,
    three weeks, two of them empty: each entry asked 2 then 3 times was "rising")."""
    report = first_weeks_report(tmp_path, weeks=2)
    rising = report.rising()
    assert rising and all("конференции" in r.label or "conference" in r.label for r in rising)
    assert all(r.weekly_before == 0 for r in rising)  # new this week: rising indeed
    assert f"  {rising[0].label}: {rising[0].this_week} (was 0.0)" in text_lines(report)


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.sections: list[str] = []
        self.external: list[str] = []
        self.text: list[str] = []
        self.viewport = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "section" and found.get("id"):
            self.sections.append(str(found["id"]))
        if tag == "meta" and found.get("name") == "viewport":
            self.viewport = True
        for name in ("src", "href", "xlink:href"):
            if found.get(name):
                self.external.append(str(found[name]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_html_report_is_one_self_contained_page_with_its_sections(
    report_store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(
        cli, ["report", "--html", str(out)], env={"ADAL_DB": str(report_store)}
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"written to {out}\n"  # not the text report as well (a probe)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # owner-only, like the database
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    assert page.sections == [
        "summary",
        "unanswered",
        "downvoted",
        "confused",
        "volume",
        "abstention",
        "rising",
        "waiting",
        "drafts",
    ]
    assert page.tags.count("svg") == 3 and "polyline" in page.tags and "rect" in page.tags
    assert not {"script", "link", "img", "iframe", "object"} & set(page.tags)
    assert page.external == [] and page.viewport
    text = " ".join(page.text)
    assert "Может ли госслужащий открыть ИП на жену?" in text
    assert "Нет ничего про подарки тёще и свёкру" in text
    assert "gifts-any-value-ban / gifts-family-members" in text
    assert "add as a variant of compliance-services?" in text


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--html", "{tmp}/no/such/folder/r.html"], "no folder"),  # was a traceback
        (["--since", "2999-01-01"], "a day in the future"),  # was "Questions …: 0"
    ],
)
def test_report_refuses_a_missing_folder_and_a_future_day(
    report_store: Path, tmp_path: Path, args: list[str], said: str
) -> None:
    args = [a.format(tmp=tmp_path) for a in args]
    result = CliRunner().invoke(cli, ["report", *args], env={"ADAL_DB": str(report_store)})
    assert result.exit_code == 2 and said in result.output, result.output


def test_report_on_a_mistyped_database_path_makes_no_database(tmp_path: Path) -> None:
    """A probe: `ADAL_DB=typo.db adal-bot report` made an empty database and its key, and
    reported "0 questions"."""
    typo = tmp_path / "typo.db"
    result = CliRunner().invoke(cli, ["report"], env={"ADAL_DB": str(typo)})
    assert result.exit_code == 1 and f"no database at {typo}" in result.output
    assert list(tmp_path.iterdir()) == []


def test_report_with_no_database_says_no_questions_were_recorded(tmp_path: Path) -> None:
    """A probe: it said "nothing was sent", the notice commands' wording, before its own."""
    none = tmp_path / "adal.db"
    result = CliRunner().invoke(cli, ["report"], env={"ADAL_DB": str(none)})
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: no questions recorded yet: no database at {none} (ADAL_DB); "
        "the bot records them once it runs"
    ]


def test_an_empty_report_renders() -> None:
    kb = build_dialog(Settings(), Store(":memory:")).library.kb
    now = datetime.now(UTC)
    report = build_report(Store(":memory:"), kb, now - timedelta(days=7), now)
    assert "None." in render_html(report)
    assert "  none" in text_lines(report)


def test_a_surname_after_a_word_for_kin_or_a_neighbour_is_masked() -> None:
    from bot.redact import redact

    assert redact("Сосед Нурпеисов просит перевести деньги, это законно?").startswith(
        "Сосед [NAME] просит"
    )
    assert redact("Брат Ахметов работает у нас") == "Брат [NAME] работает у нас"
    assert redact("Жоғарғы Соттың шешімі қандай?") == "Жоғарғы Соттың шешімі қандай?"


def test_stats_shows_the_week_figures_and_the_top_unanswered_groups(dialog: Dialog) -> None:
    admin = UserRef(chat_id=5, user_id=5, client_lang="en", is_admin=True)
    for text in [*(t for lang, t in FEES if lang == "ru"), *(t for lang, t in BUSINESS[:2])]:
        dialog.handle_message(USER, text)
    dialog.handle_message(USER, "Можно ли госслужащему принять подарок?")
    (stats,) = dialog.handle_message(admin, "/stats")
    asked = dialog.store.questions_asked()
    unanswered = sum(not q.answered for q in asked)
    share = round(100 * unanswered / len(asked))
    assert (
        f"**Questions in the last 7 days:** {len(asked)}, not answered: {unanswered} ({share}%)."
        in stats.text
    )
    top = stats.text.split("**Most asked without an answer:**")[1].split("\n\n")[0]
    items = [line for line in top.splitlines() if line.startswith("- ×")]
    assert 2 <= len(items) <= 3
    fees = sum(not q.answered and "конференции" in q.text for q in asked)
    business = sum(not q.answered and "ИП" in q.text for q in asked)
    assert fees >= 3 and business == 2  # the matcher answers none of these, or one fee at most
    assert items[0].startswith(f"- ×{fees}: “") and "конференции" in items[0]
    assert items[1].startswith(f"- ×{business}: “") and "ИП" in items[1]


# A probe's unanswered questions (as stored, redacted): renting out a flat and paid teaching.
RENTING = {
    "ru": [
        "Здравствуйте, я [NAME], тел [PHONE], можно ли госслужащему сдавать квартиру в аренду?",
        "можно ли госслужащему сдавать квартиру в аренду",
        "госслужащий сдает квартиру в аренду это законно?",
        "мой сосед [NAME], живет на [ADDRESS], работает в акимате и сдает квартиру, можно ли так?",
        "можно ли сдавать квартиру, звоните [PHONE] или пишите в whatsapp [PHONE]",
    ],
    "kk": [
        "Сәлеметсіз бе, менің атым [NAME], ЖСН [NUMBER], мемлекеттік қызметші пәтерін жалға бере "
        "ала ма?",
        "менің ЖСН-ім [NUMBER], [NAME], пәтерді жалға беруге бола ма",
    ],
    "en": [
        "Hi, I'm [NAME] ([PHONE], [EMAIL]). Can a civil servant rent out his apartment?",
        "can a civil servant rent out an apartment",
        "my IIN is [NUMBER] and passport [DOCUMENT], can officials rent out property?",
    ],
}
TEACHING = {
    "ru": [
        "может ли госслужащий заниматься преподавательской деятельностью за деньги",
        "могу ли я как госслужащий преподавать в вузе за плату",
        "Мой начальник [NAME] требует отчет, ИИН [IIN], можно ли преподавать платно?",
    ],
    "kk": ["мемлекеттік қызметші университетте ақылы сабақ бере ала ма"],
    "en": ["can a civil servant teach at a university for money"],
}
# One question in three languages, by a word the languages share.
CHANNEL = [
    ("ru", "госслужащий блогер монетизация youtube разрешена?"),
    ("kk", "YouTube арнасынан табыс табуға бола ма"),
    ("en", "can I earn money from my YouTube channel"),
    ("en", "is monetizing a youtube channel allowed"),
]


def test_the_report_groups_by_the_words_that_matter_not_by_civil_servant(
    bundled: Matcher,
) -> None:
    """A probe: renting out a flat, asked 10 times, showed as four groups (ru ×5, en ×2, kk ×1,
    en ×1), Russian teaching as two, and a Kazakh group joined teaching and renting by
    «мемлекеттік қызметші … ала ма» alone. The words every question is asked with weigh
    little, the labels of redacted details not at all; a word the languages share joins them."""
    store = Store(":memory:")
    asked = [
        *(
            (lang, text)
            for topic in (RENTING, TEACHING)
            for lang, ts in topic.items()
            for text in ts
        ),
        *CHANNEL,
    ]
    for chat, (lang, text) in enumerate(asked):
        store.record_question(chat, text, lang=lang, entry_id=None, confidence=5.0, base="v")
    now = datetime.now(UTC)
    report = build_report(store, bundled.kb, now - timedelta(days=1), now + timedelta(minutes=1))
    found = sorted(sorted(q.text for q in g.questions) for g in report.groups)
    by_topic = [sorted(ts) for topic in (RENTING, TEACHING) for ts in topic.values()]
    assert found == sorted([*by_topic, sorted(text for _, text in CHANNEL)])
    [channel] = [g for g in report.groups if len(g.langs) > 1]
    assert channel.langs == {"en": 2, "ru": 1, "kk": 1}
    assert any("×4 (en 2, ru 1, kk 1): " in line for line in text_lines(report))
