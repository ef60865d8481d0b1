"""Logging of the running bot: one line per event, and nothing personal or secret in it.

Our own modules log users only by their pseudonym (:func:`bot.store.user_ref`), never a text,
a name or an id. The libraries are kept in check here: their per-request and per-job lines are
off (httpx, APScheduler), their debug output (which holds whole requests and updates) is never
shown whatever ``ADAL_LOG_LEVEL`` says, and what they log is stripped of the values it carries
(a payload, an update) but numbers and single words; APScheduler's line for a job run late
becomes one that names the job (our jobs' names are fixed, or a notice's id: never a user's)
and the delay. The token and the other secrets are replaced wherever they appear, tracebacks
included.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from datetime import timedelta

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
OWN = ("bot", "__main__")  # loggers whose records are ours
QUIET = {  # the least level shown of each library, whatever the configured one
    "httpx": logging.WARNING,  # one line per HTTP request
    "httpcore": logging.WARNING,
    "apscheduler": logging.WARNING,  # one line per job run
    "tornado": logging.WARNING,  # one line per webhook request
    "telegram": logging.INFO,  # its debug lines hold whole requests and updates
}
SHORT_ARG = 40  # a library's argument shown as it is: a number, or one short word
MASK = "<…>"
MISSED = 'Run time of job "%s" was missed by %s'  # APScheduler's line for a job run late
LATE = 'job "%s" ran %.1f s late (the bot was busy, or the clock jumped)'


def _plain(value: object) -> bool:
    if isinstance(value, bool | int | float):
        return True
    return (
        isinstance(value, str) and len(value) <= SHORT_ARG and not any(c.isspace() for c in value)
    )


class LibraryValues(logging.Filter):
    """Masks the values a library's record carries (payloads, updates), numbers and single
    words apart; our own records pass as they are."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask, then let the record through."""
        if _late_job(record):
            return True
        if not record.name.startswith(OWN) and record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(a if _plain(a) else MASK for a in args)
        return True


def _late_job(record: logging.LogRecord) -> bool:
    """Whether ``record`` is APScheduler's line for a job run late; if so it now says which
    job and how late, in seconds."""
    if not (record.name.startswith("apscheduler") and record.msg == MISSED):
        return False
    job, late = record.args if isinstance(record.args, tuple) else (None, None)
    if not isinstance(late, timedelta):
        return False
    record.msg, record.args = LATE, (getattr(job, "name", MASK), late.total_seconds())
    return True


class Scrubbing(logging.Formatter):
    """A formatter that replaces the secrets wherever they appear in a formatted record, and
    keeps each record on one line (a line break, a traceback's included, is written ``\\n``)."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__(FORMAT)
        self.secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        """The record, then each secret replaced and the line breaks escaped."""
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "<secret>")
        return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def configure(level: str, secrets: Iterable[str | None]) -> logging.Handler:
    """Log to stderr at ``level``, libraries kept quiet, ``secrets`` never shown."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(Scrubbing(secrets))
    handler.addFilter(LibraryValues())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name, least in QUIET.items():
        logging.getLogger(name).setLevel(max(least, logging.getLevelName(level)))
    return handler
