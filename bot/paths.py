"""Where the bundled data folders (knowledge base, locales) are, from a source tree or a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """Return the bundled folder ``name`` (``knowledge`` or ``locales``).

    A wheel carries them in ``bot/_bundled/``; a source checkout has them next to ``bot/``.
    """
    packaged = _PACKAGE / "_bundled" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / name
