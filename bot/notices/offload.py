"""Where blocking store calls run: the Telegram adapter runs them in the store's own thread,
off the event loop; tests and scripts may run them in place."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Offload(Protocol):
    """Runs a blocking call where the store may be used, and awaits its result."""

    def __call__(self, call: Callable[[], T], /) -> Awaitable[T]:
        """The result of ``call()``."""
        ...


async def in_place(call: Callable[[], T]) -> T:
    """Run ``call`` right here, on the event loop (tests and scripts)."""
    return call()
