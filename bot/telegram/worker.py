"""The store's thread: every dialog and store call runs there, one at a time, off the event loop.

SQLite calls block (a write waits up to the busy timeout for another process's lock, and syncs
to disk), and a dialog call is mostly the matcher's CPU work: on the event loop either would
hold up every chat's replies. One thread keeps the connection's transactions apart without
locks; the loop stays free to receive updates and send replies meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class Worker:
    """Runs blocking calls in a thread of their own, in the order they come."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="adal-store")

    async def __call__(self, call: Callable[[], T], /) -> T:
        """The result of ``call()``, run in the store's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, call)

    def close(self) -> None:
        """Wait for the calls under way, then stop the thread."""
        self._executor.shutdown(wait=True)
