"""The service's counters, shown in Prometheus' text format at ``/metrics`` (webhook mode).

Counters: updates by kind, questions matched by outcome (answer, abstention, small talk),
users throttled, errors logged; gauges: the outbox's backlog, the expert cases' messages
waiting or failed, and the seconds since the last update.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime

PREFIX = "adal_"
_HELP = {
    "messages": "Messages received (text and other)",
    "buttons": "Buttons pressed",
    "inline_queries": "Inline queries received",
    "throttled": "Updates ignored because their user went over ADAL_RATE_LIMIT",
    "errors": "Errors logged by the bot",
}
OUTCOMES = ("answer", "abstention", "smalltalk")


class Metrics:
    """Counters of one process, and when it last saw an update."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.last_update_at: datetime | None = None

    def count(self, name: str, by: int = 1) -> None:
        """Add ``by`` to the counter ``name`` (one of the documented ones)."""
        if name not in _HELP:
            raise ValueError(f"unknown counter {name!r}")
        self.counts[name] += by

    def seen(self) -> None:
        """An update arrived."""
        self.last_update_at = datetime.now(UTC)

    def render(
        self, outcomes: Mapping[str, int], backlog: int, case_mail: tuple[int, int] = (0, 0)
    ) -> str:
        """Everything in Prometheus' text exposition format; ``case_mail``: the messages of
        expert cases waiting to be delivered and those that failed for good."""
        lines: list[str] = []
        for name, text in _HELP.items():
            lines += [
                f"# HELP {PREFIX}{name}_total {text}.",
                f"# TYPE {PREFIX}{name}_total counter",
                f"{PREFIX}{name}_total {self.counts[name]}",
            ]
        lines += [
            f"# HELP {PREFIX}questions_total Questions matched, by outcome.",
            f"# TYPE {PREFIX}questions_total counter",
            *(
                f'{PREFIX}questions_total{{outcome="{outcome}"}} {outcomes.get(outcome, 0)}'
                for outcome in OUTCOMES
            ),
            f"# HELP {PREFIX}outbox_backlog Notice messages not delivered yet.",
            f"# TYPE {PREFIX}outbox_backlog gauge",
            f"{PREFIX}outbox_backlog {backlog}",
            f"# HELP {PREFIX}case_mail_backlog Messages of expert cases not delivered yet.",
            f"# TYPE {PREFIX}case_mail_backlog gauge",
            f"{PREFIX}case_mail_backlog {case_mail[0]}",
            f"# HELP {PREFIX}case_mail_failed Messages of expert cases never delivered.",
            f"# TYPE {PREFIX}case_mail_failed gauge",
            f"{PREFIX}case_mail_failed {case_mail[1]}",
        ]
        if self.last_update_at is not None:
            age = (datetime.now(UTC) - self.last_update_at).total_seconds()
            lines += [
                f"# HELP {PREFIX}last_update_age_seconds Seconds since the last update.",
                f"# TYPE {PREFIX}last_update_age_seconds gauge",
                f"{PREFIX}last_update_age_seconds {age:.1f}",
            ]
        return "\n".join(lines) + "\n"


class ErrorCounter(logging.Handler):
    """Counts the errors the bot logs into ``metrics``."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(logging.ERROR)
        self.metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        """Count the record."""
        self.metrics.count("errors")
