"""The secret users are keyed with, and files created owner-only.

The secret comes from ``ADAL_HASH_SECRET`` or, when that is unset, from a file next to the
database (``adal.db.key``), generated on first use, readable by its owner only. Losing it
loses the link between users and their rows: back it up with the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

log = logging.getLogger(__name__)

KEY_BYTES = 32
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
_CHECK_LABEL = b"adal: key check"


class KeyMismatch(Exception):
    """The secret is not the one the database's users were keyed with."""


def key_path(db_path: Path) -> Path:
    """Where the generated secret of ``db_path`` lives: ``adal.db`` → ``adal.db.key``."""
    return db_path.with_name(db_path.name + ".key")


def private_dir(path: Path) -> None:
    """Create ``path`` (and its parents) if missing, the last one owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=PRIVATE_DIR)


def private_file(path: Path) -> None:
    """Create ``path`` owner-only if missing; make an existing one owner-only."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & ~PRIVATE_FILE:
            path.chmod(PRIVATE_FILE)
            log.warning("%s was readable by others (mode %o): now owner-only", path, mode)


def read_or_create_key(db_path: Path) -> bytes:
    """The secret kept next to ``db_path``, generated owner-only on first use."""
    path = key_path(db_path)
    if not path.exists():
        draft = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_hex(KEY_BYTES))
        with contextlib.suppress(FileExistsError):  # another process made it first: use theirs
            os.link(draft, path)
        draft.unlink()
    return path.read_text(encoding="ascii").strip().encode()


def key_check(secret: bytes) -> str:
    """A value that tells whether two secrets are the same, without revealing either."""
    return hmac.new(secret, _CHECK_LABEL, hashlib.sha256).hexdigest()[:16]
