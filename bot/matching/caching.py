"""Objects with caches of what is asked of them again and again (``functools.lru_cache`` of
their methods), kept out of a pickled copy (:mod:`bot.matching.built`) and rebuilt empty."""

from __future__ import annotations


class WithCaches:
    """A base for objects with caches: :attr:`CACHES` names the attributes that hold them,
    and :meth:`_caches` builds them empty (called by ``__init__`` and when read back)."""

    CACHES: frozenset[str] = frozenset()

    def _caches(self) -> None:
        raise NotImplementedError

    def __getstate__(self) -> dict[str, object]:
        """What a pickled copy keeps: everything but the caches."""
        return {k: v for k, v in vars(self).items() if k not in self.CACHES}

    def __setstate__(self, state: dict[str, object]) -> None:
        """A copy read back, with empty caches."""
        vars(self).update(state)
        self._caches()
