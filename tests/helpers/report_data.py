"""A month of what users asked, written into a store through its own methods (dates moved
back afterwards): for the report's tests and the screenshot in docs/maintainers.md."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.kb.model import Lang
from bot.store import Store

# Paraphrases of two questions the base cannot answer, and one-offs.
FEES: list[tuple[Lang, str]] = [
    ("ru", "Можно ли брать деньги за выступление на конференции?"),
    ("ru", "мне заплатят гонорар за выступление на конференции, это законно?"),
    ("ru", "Разрешено ли получать гонорар за выступление на конференции"),
    ("ru", "можно ли получать деньги за выступление на конференции как госслужащий"),
    ("en", "Can I get paid for a speech at a conference?"),
    ("en", "am I allowed to get paid for my speech at the conference"),
]
BUSINESS: list[tuple[Lang, str]] = [
    ("ru", "Может ли госслужащий открыть ИП на жену?"),
    ("ru", "может ли госслужащий открыть ИП"),
    ("ru", "Можно ли госслужащему открыть своё ИП?"),
    ("kk", "Мемлекеттік қызметші ЖК аша ала ма?"),
]
ONE_OFFS: list[tuple[Lang, str]] = [
    ("ru", "Какая погода в Астане?"),
    ("en", "Who won the football match yesterday?"),
]
ANSWERED: list[tuple[Lang, str, str]] = [
    ("ru", "gifts-any-value-ban", "Можно ли принять подарок?"),
    ("kk", "gifts-any-value-ban", "Сыйлық алуға бола ма?"),
    ("en", "relatives-same-agency", "Can my brother work in my department?"),
    ("ru", "provocation-art-412-1", "Что такое провокация взятки?"),
    ("en", "compliance-services", "What does a compliance service do?"),
]


def _backdate(store: Store, table: str, moment: datetime) -> None:
    store.db.execute(
        f"UPDATE {table} SET created_at = ? WHERE id = (SELECT max(id) FROM {table})",
        [moment.astimezone(UTC).isoformat(timespec="seconds")],
    )


def fill(store: Store, now: datetime, *, weeks: int = 4) -> None:
    """Questions over ``weeks`` weeks before ``now`` (the unanswered ones more frequent in the
    last), votes with a comment, and clarifying questions."""
    chat = 1000
    for week in range(weeks):
        moment = now - timedelta(weeks=weeks - 1 - week, hours=1)
        for n, (lang, entry_id, text) in enumerate(ANSWERED * (week + 2)):
            chat += 1
            store.record_question(
                chat, text, lang=lang, entry_id=entry_id, confidence=80.0 + n % 20, base="abc1234"
            )
            _backdate(store, "questions", moment - timedelta(hours=n))
        unanswered = BUSINESS[: week + 1] + ONE_OFFS[week % 2 :][:1]
        if week == weeks - 1:
            unanswered += FEES
        for n, (lang, text) in enumerate(unanswered):
            chat += 1
            offered = ("compliance-services",) if "ИП" in text or "ЖК" in text else ()
            if text in dict(FEES).values() or any(text == t for _, t in FEES):
                offered = ("gifts-any-value-ban", "gifts-family-members")
            store.record_question(
                chat,
                text,
                lang=lang,
                entry_id=None,
                offered=offered,
                confidence=20.0,
                base="abc1234",
            )
            _backdate(store, "questions", moment - timedelta(hours=n))
    for n in range(3):
        store.add_feedback(chat + n, "gifts-family-members", -1, "ru")
    store.add_feedback(chat + 9, "gifts-family-members", 1, "en")
    store.ask_comment(chat, "gifts-family-members", "ru")
    store.add_comment(chat, "Нет ничего про подарки тёще и свёкру", max_age=timedelta(hours=1))
    for _ in range(2):
        question = store.ask_clarification(("gifts-any-value-ban", "gifts-family-members"))
        store.choose(question, 1)
