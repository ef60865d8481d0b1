"""An online backup of the database: a consistent copy taken while the bot runs (SQLite's
backup API, page by page, never blocking the bot's writes for long), with its key file."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

from bot.store.keys import PRIVATE_FILE, key_path, private_dir, private_file

PAGES_PER_STEP = 256  # pages copied between two looks at the bot's writes
SQLITE_HEADER = b"SQLite format 3\x00"  # the first bytes of every SQLite database file


def backup(source: Path, target: Path) -> list[Path]:
    """Copy the database at ``source`` (and its ``.key`` file, when there is one) to
    ``target``, owner-only; return the files written."""
    if not source.is_file():
        raise FileNotFoundError(f"no database at {source}")
    _check_target(target)
    private_dir(target.parent)
    private_file(target)
    with (
        closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst, pages=PAGES_PER_STEP)
    written = [target]
    if key_path(source).is_file():
        shutil.copyfile(key_path(source), key_path(target))
        key_path(target).chmod(PRIVATE_FILE)
        written.append(key_path(target))
    return written


def _check_target(target: Path) -> None:
    """Refuse a folder (``""`` is the current one) and an existing file that is not an
    SQLite database, before anything is made owner-only or written."""
    if not target.name or target.is_dir():
        raise IsADirectoryError(f"{target} is a folder: name the backup file")
    if target.is_file() and target.stat().st_size:
        with target.open("rb") as existing:
            if existing.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise FileExistsError(f"{target} exists and is no database: not overwritten")
