"""A small, valid knowledge base in the knowledge-base format, for tests to write out."""

from __future__ import annotations

import textwrap

TOPICS = """\
gifts:
  kk: Сыйлықтар
  ru: Подарки
  en: Gifts
about:
  kk: Бот туралы
  ru: О боте
  en: About
"""


def entry_yaml(
    entry_id: str,
    topic: str = "gifts",
    *,
    related: str = "[]",
    questions: tuple[str, str, str] | None = None,
    answer: str = "Answer.",
) -> str:
    """One entry in the knowledge-base format, with eight questions per language."""
    kk, ru, en = questions or (f"{entry_id} сұрақ", f"{entry_id} вопрос", f"{entry_id} question")
    langs = ""
    for lang, stem in (("kk", kk), ("ru", ru), ("en", en)):
        qs = "\n".join(f"      - {stem} {i}" for i in range(1, 9))
        langs += f"  {lang}:\n    questions:\n{qs}\n    answer: |\n      {answer} ({lang})\n"
    return (
        textwrap.dedent(f"""\
        - id: {entry_id}
          topic: {topic}
          reviewed: 2020-10-18
          related: {related}
          sources:
            - title:
                kk: Заң
                ru: Закон
                en: Law
              article:
                kk: 12-бап
                ru: ст. 12
                en: Art. 12
              url: https://adilet.zan.kz/rus/docs/Z1500000410
        """)
        + langs
    )


# A notice of the small base (entry gift-ban), dated in the past.
NOTICE = """\
# a comment first, as in the shipped notice
id: gift-rules
publish_at: 2020-10-18
topics: [gifts]
related: [gift-ban]
kk:
  title: Жаңа ереже
  body: Мәтін.
ru:
  title: Новое правило
  body: Текст.
en:
  title: New rule
  body: Text.
"""
