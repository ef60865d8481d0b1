"""The failures a user mends: the command line says each in one line, never a traceback."""

from __future__ import annotations


class OneLineError(Exception):
    """A failure whose message is one line naming the file or setting, and what to do."""
