"""This process's lease on the database: only the process holding it sends (and, on Telegram,
polls), so that a second process started on the same database never sends what the first is
sending.

A process takes the lease for ``ttl`` and renews it every ``ttl / 4``; another one waits as a
standby, looking every ``ttl / 4``, and takes it over once it has expired (at once when the
holder released it on a graceful stop). A message is claimed only while the lease has at least
``ttl / 2`` to run, so a holder that stops renewing has finished its calls before anyone can
take over and recover its rows.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.notices.offload import Offload
from bot.store import Store, disk_error

log = logging.getLogger(__name__)

LEASE_TTL = timedelta(seconds=60)
RENEWALS = 4  # renewals of the lease (or looks of a standby) in one ttl


def process_owner() -> str:
    """A name for this process that no other process shares: host, pid and a nonce."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def utc_now() -> datetime:
    """The time now, in UTC: the default clock of the lease and the senders."""
    return datetime.now(UTC)


@dataclass
class Lease:
    """This process's claim to be the active one."""

    store: Store
    ttl: timedelta = LEASE_TTL
    owner: str = field(default_factory=process_owner)
    now: Callable[[], datetime] = utc_now

    @property
    def margin(self) -> timedelta:
        """How long the lease must still run for a message to be claimed."""
        return self.ttl / 2

    @property
    def every(self) -> float:
        """Seconds between two renewals (or two looks of a standby)."""
        return self.ttl.total_seconds() / RENEWALS

    def take(self) -> int | None:
        """Take or renew the lease; None while another process holds it (see
        :meth:`Store.take_lease`)."""
        return self.store.take_lease(self.owner, self.now(), self.ttl)

    def release(self) -> None:
        """Give the lease up, so that a standby takes over at once."""
        self.store.release_lease(self.owner)


async def _take(lease: Lease, run: Offload) -> int | sqlite3.Error | None:
    """:meth:`Lease.take`, or the error when the database cannot be written now (the store
    logs it)."""
    try:
        return await run(lease.take)
    except sqlite3.Error as exc:
        if not disk_error(exc):
            raise
        return exc


async def wait_for_lease(lease: Lease, run: Offload) -> int:
    """Take the lease, waiting as a standby while another process holds it.

    Returns how many messages the previous holder left in flight (sent again: each may
    arrive twice).
    """
    said: set[str] = set()  # what was logged: once each while waiting
    while not isinstance(recovered := await _take(lease, run), int):
        if recovered is None and "standby" not in said:
            holder = await run(lease.store.lease_holder)
            log.warning(
                "standby: %s holds the lease on the database until %s; taking over when it expires",
                holder.owner if holder else "another process",
                holder.expires_at.isoformat(timespec="seconds") if holder else "soon",
            )
            said.add("standby")
        await asyncio.sleep(lease.every)
    if "standby" in said:
        log.warning("took over the lease: this process is now the active one")
    if recovered:
        log.warning(
            "%d message(s) were in flight when the previous sender stopped: sending "
            "them again (each may arrive twice)",
            recovered,
        )
    return recovered


async def keep_lease(
    lease: Lease,
    run: Offload,
    on_lost: Callable[[], None],
    also: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Renew the lease every ``lease.every`` seconds (then run ``also``) until cancelled;
    call ``on_lost`` and return if another process has taken it over meanwhile. While the
    database refuses writes (the store logs it), nobody else can take it over either."""
    while True:
        await asyncio.sleep(lease.every)
        taken = await _take(lease, run)
        if taken is None:
            holder = await run(lease.store.lease_holder)
            log.error(
                "lost the lease to %s: stopping (this process may start again as a standby)",
                holder.owner if holder else "another process",
            )
            on_lost()
            return
        if also is not None:
            await also()
