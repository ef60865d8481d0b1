"""UI strings from the gettext catalogs in ``locales/`` (kk, ru, en), via Babel.

Catalogs are read from the ``.po`` files at start-up, so no compile step is needed to run;
``make locales`` extracts new strings and updates the catalogs.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from ruamel.yaml import YAML

from bot.kb.model import LANGS, Lang

DOMAIN = "adal"
COMMAND_NAMES = "commands.yaml"  # in the locales folder: the commands' names in kk, ru, en
Translate = Callable[..., str]


def po_path(locales_dir: Path, lang: str) -> Path:
    """Where the catalog of ``lang`` lives."""
    return Path(locales_dir) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def command_aliases(locales_dir: Path) -> dict[str, tuple[str, Lang]]:
    """Each command's names in a language (``commands.yaml``: "старт", "көмек", "expert"),
    lower-cased, with the command it runs and its language; none without the file."""
    path = Path(locales_dir) / COMMAND_NAMES
    if not path.exists():
        return {}
    names = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    return {
        str(alias).lower(): (command, lang)
        for lang in LANGS
        for command, aliases in (names.get(lang) or {}).items()
        for alias in aliases
    }


class Catalogs:
    """The three UI catalogs; ``translator(lang)`` gives a ``_`` function for one language,
    ``aliases`` the commands' names in each (see :func:`command_aliases`)."""

    def __init__(self, locales_dir: Path) -> None:
        self.aliases = command_aliases(locales_dir)
        self._translations: dict[str, NullTranslations] = {}
        for lang in LANGS:
            path = po_path(locales_dir, lang)
            if not path.exists():
                self._translations[lang] = NullTranslations()
                continue
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang, domain=DOMAIN)
            buffer = io.BytesIO()
            write_mo(buffer, catalog)
            buffer.seek(0)
            self._translations[lang] = Translations(buffer, domain=DOMAIN)

    def translator(self, lang: Lang) -> Translate:
        """``_(msgid, **fields)``: the message in ``lang``, with ``{fields}`` filled in."""
        gettext = self._translations[lang].gettext

        def _(msgid: str, **fields: object) -> str:
            text = gettext(msgid)
            return text.format(**fields) if fields else text

        return _


# Each language's own name, the same in every catalog (shown on the language buttons).
LANGUAGE_NAMES: dict[Lang, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def N_(msgid: str) -> str:
    """Mark ``msgid`` for extraction; it is translated where it is shown."""
    return msgid
