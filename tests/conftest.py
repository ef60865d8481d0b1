"""Shared fixtures: a small, valid knowledge base written to a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

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


def entry_yaml(entry_id: str, topic: str = "gifts", *, related: str = "[]",
               questions: tuple[str, str, str] | None = None, answer: str = "Answer.") -> str:
    """One entry in the knowledge-base format, with eight questions per language."""
    kk, ru, en = questions or (f"{entry_id} сұрақ", f"{entry_id} вопрос", f"{entry_id} question")
    langs = ""
    for lang, stem in (("kk", kk), ("ru", ru), ("en", en)):
        qs = "\n".join(f"      - {stem} {i}" for i in range(1, 9))
        langs += f"  {lang}:\n    questions:\n{qs}\n    answer: |\n      {answer} ({lang})\n"
    return textwrap.dedent(f"""\
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
        """) + langs


@pytest.fixture
def small_kb(tmp_path: Path) -> Path:
    """A valid two-topic knowledge base in ``tmp_path/knowledge``."""
    root = tmp_path / "knowledge"
    root.mkdir()
    (root / "topics.yaml").write_text(TOPICS, encoding="utf-8")
    (root / "gifts.yaml").write_text(
        entry_yaml("gift-ban", related="[gift-family]") + entry_yaml("gift-family"),
        encoding="utf-8")
    (root / "about.yaml").write_text(entry_yaml("about-bot", "about"), encoding="utf-8")
    return root
