"""A parsed copy of the knowledge base kept next to it, as Python keeps ``__pycache__``: a start
when no file changed skips parsing the YAML (about 0.7 s of the start-up on the bundled base).

The copy is named by a hash of everything the result depends on: the folder's path, the bytes
of every YAML file under it (``*.yml`` too: the check warns of them), and the code that reads
them (``bot/kb`` and the function words it warns of). Any change makes a new
name, so a copy is never stale. A folder that cannot be written (a read-only image) is simply
read each time. Whoever can write the copy can edit the base itself: it is trusted as the base
is.

What else is built from the base alone (the matcher's index, :mod:`bot.matching.built`) is kept
the same way under a name of its own, its key adding the code and data that build it.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from bot.kb.reader import yaml_files

CACHE_DIR = "__pycache__"
PREFIX = "knowledge-"
_KB = Path(__file__).resolve().parent
_CODE = [
    *sorted(_KB.glob("*.py")),
    *(_KB.parent / "matching" / f"{name}.py" for name in ("function_words", "normalize")),
]
T = TypeVar("T")
log = logging.getLogger(__name__)


def cached(
    root: Path, read: Callable[[Path], T], prefix: str = PREFIX, code: Sequence[Path] = ()
) -> T:
    """``read(root)``, or the copy saved when the same files were last read by the same code
    (that of ``bot/kb``, and ``code``: more files the result depends on); ``prefix`` names
    the copies of one kind of result."""
    root = Path(root)
    if not root.is_dir():
        return read(root)
    folder = root / CACHE_DIR
    try:
        path = folder / f"{prefix}{_key(root, code)}.pickle"
    except OSError:  # a file went away while hashing: read what is there
        return read(root)
    collecting = gc.isenabled()
    gc.disable()  # reading a copy makes a million objects: collecting as it goes takes 2/3 of it
    try:
        with path.open("rb") as handle:
            found: T = pickle.load(handle)
        return found
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        log.warning("the copy %s… of the knowledge base could not be read: made again", prefix)
    finally:
        if collecting:
            gc.enable()
    result = read(root)
    try:
        unchanged = _key(root, code) == path.stem.removeprefix(prefix)
    except OSError:
        unchanged = False
    if unchanged:  # else a file changed while it was read: what was read may mix both
        _save(folder, path, result, prefix)
    return result


def _key(root: Path, code: Sequence[Path] = ()) -> str:
    """A hash of the folder's path, its YAML files' names and bytes, the reading code and
    ``code``."""
    digest = hashlib.sha256(str(root.resolve()).encode())
    files = [*yaml_files(root, recursive=True), *yaml_files(root, ".yml", recursive=True)]
    for path in [*(p for p in files if CACHE_DIR not in p.parts), *_CODE, *code]:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _save(folder: Path, path: Path, result: object, prefix: str) -> None:
    """Write the copy atomically and drop the older ones; skipped where it cannot be written."""
    try:
        folder.mkdir(exist_ok=True)
        descriptor, name = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as handle:
            pickle.dump(result, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.chmod(name, 0o644)  # the base is public: another user running the bot may read it
        os.replace(name, path)
    except OSError:  # a full disk: no copy, and no half-written file left
        Path(name).unlink(missing_ok=True)
        return
    for old in folder.glob(f"{prefix}*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
