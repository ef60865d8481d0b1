"""A parsed copy of the knowledge base kept next to it, as Python keeps ``__pycache__``: a start
when no file changed skips parsing the YAML (about 0.7 s of the start-up on the bundled base).

The copy is named by a hash of everything the result depends on: the folder's path, the bytes
of every YAML file under it (``*.yml`` too: the check warns of them), and the code that reads
them (``bot/kb`` and the function words it warns of). Any change makes a new
name, so a copy is never stale. A folder that cannot be written (a read-only image) is simply
read each time. Whoever can write the copy can edit the base itself: it is trusted as the base
is.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable
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


def cached(root: Path, read: Callable[[Path], T]) -> T:
    """``read(root)``, or the copy saved when the same files were last read by the same code."""
    root = Path(root)
    if not root.is_dir():
        return read(root)
    folder = root / CACHE_DIR
    try:
        path = folder / f"{PREFIX}{_key(root)}.pickle"
    except OSError:  # a file went away while hashing: read what is there
        return read(root)
    try:
        with path.open("rb") as handle:
            found: T = pickle.load(handle)
        return found
    except FileNotFoundError:
        pass
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        log.warning("the parsed copy of the knowledge base could not be read: reading the YAML")
    result = read(root)
    _save(folder, path, result)
    return result


def _key(root: Path) -> str:
    """A hash of the folder's path, its YAML files' names and bytes, and the reading code."""
    digest = hashlib.sha256(str(root.resolve()).encode())
    files = [*yaml_files(root, recursive=True), *yaml_files(root, ".yml", recursive=True)]
    for path in [*(p for p in files if CACHE_DIR not in p.parts), *_CODE]:
        digest.update(str(path).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:32]


def _save(folder: Path, path: Path, result: object) -> None:
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
    for old in folder.glob(f"{PREFIX}*.pickle"):
        if old != path:
            old.unlink(missing_ok=True)
