"""The running bot's log: libraries quiet and stripped of the values they carry, secrets
replaced everywhere, our own records as they are."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.telegram.logs import MASK, LibraryValues, Scrubbing, configure

TOKEN = "123456:AAE-secret_part"


def record(name: str, msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args, None)


def test_a_librarys_values_are_masked_but_numbers_and_words() -> None:
    update = {"message": {"from": {"first_name": "Асхат"}, "text": "ИИН 900101300126"}}
    library = record("telegram.ext.Application", "%s %s %s %s", update, "a long text", 3, "getMe")
    assert LibraryValues().filter(library) and library.getMessage() == f"{MASK} {MASK} 3 getMe"
    ours = record("bot.telegram.app", "%s", "kept as it is")
    assert LibraryValues().filter(ours) and ours.getMessage() == "kept as it is"


def test_a_job_run_late_is_named_with_its_delay() -> None:
    """The probe's finding: APScheduler's "missed" line came out as ``"<…>" was missed by
    <…>``, naming neither the job nor the delay."""
    job = AsyncIOScheduler().add_job(print, "interval", seconds=30, name="notices-drain")
    missed = record(
        "apscheduler.executors.default",
        'Run time of job "%s" was missed by %s',
        job,
        timedelta(seconds=12, microseconds=340_000),
    )
    assert LibraryValues().filter(missed)
    assert missed.getMessage() == (
        'job "notices-drain" ran 12.3 s late (the bot was busy, or the clock jumped)'
    )


def test_secrets_are_replaced_in_messages_and_tracebacks() -> None:
    formatter = Scrubbing([TOKEN, None, "hook-secret"])
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError as exc:
        failed = record("httpx", "calling %s with hook-secret", "x")
        failed.exc_info = (type(exc), exc, exc.__traceback__)
    text = formatter.format(failed)
    assert TOKEN not in text and "hook-secret" not in text and text.count("<secret>") == 2


def test_every_record_is_one_line_its_traceback_included() -> None:
    try:
        raise ValueError("first line\nsecond line")
    except ValueError as exc:
        failed = record("bot.library", "knowledge base not reloaded:\r\n%s", "a.yaml:3: error")
        failed.exc_info = (type(exc), exc, exc.__traceback__)
    text = Scrubbing([TOKEN]).format(failed)
    assert "\n" not in text and "\r" not in text
    assert "not reloaded:\\na.yaml:3: error\\nTraceback" in text
    assert "ValueError: first line\\nsecond line" in text


@pytest.fixture
def restored() -> Iterator[None]:
    """The root logger and the libraries' levels as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("apscheduler", "telegram", "httpx")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)


def test_libraries_stay_quiet_at_debug(restored: None) -> None:
    configure("DEBUG", [TOKEN])
    assert logging.getLogger("bot").getEffectiveLevel() == logging.DEBUG
    assert logging.getLogger("apscheduler.scheduler").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("telegram.ext").getEffectiveLevel() == logging.INFO
