"""Every UI string in the code has a translation in kk, ru and en, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import Catalogs, po_path
from bot.kb import LANGS

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"


def _code_msgids() -> set[str]:
    found = extract_from_dir(str(ROOT / "bot"), method_map=[("**.py", "python")])
    return {
        message for _file, _line, message, _comments, _context in found if isinstance(message, str)
    }


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_code_has_ui_strings() -> None:
    assert len(_code_msgids()) >= 20


def test_template_holds_every_string() -> None:
    with (LOCALES / "adal.pot").open("rb") as handle:
        template = {m.id for m in read_po(handle) if m.id}
    assert not _code_msgids() - template, "run `make locales` to update locales/adal.pot"


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_is_translated(lang: str) -> None:
    with po_path(LOCALES, lang).open("rb") as handle:
        catalog = {m.id: m.string for m in read_po(handle) if m.id}
    missing = sorted(m for m in _code_msgids() if not catalog.get(m))
    assert not missing, f"{lang}: no translation for {missing}"
    for msgid, msgstr in catalog.items():
        assert _placeholders(msgid) == _placeholders(msgstr), f"{lang}: {msgid!r}"


def test_catalogs_translate_and_fill_fields(tmp_path: Path) -> None:
    catalogs = Catalogs(LOCALES)
    assert catalogs.translator("ru")("Choose your language:") == "Выберите язык:"
    assert catalogs.translator("kk")("Choose your language:") == "Тілді таңдаңыз:"
    assert catalogs.translator("en")("Choose your language:") == "Choose your language:"
    empty = Catalogs(tmp_path)  # no catalogs: the English msgid is shown
    assert empty.translator("kk")("Choose your language:") == "Choose your language:"
