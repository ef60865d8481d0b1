"""The conversation, transport-free: text and button presses in, :class:`Reply` objects out."""

from bot.dialog.core import Command, Dialog, Feature, Turn, build_dialog
from bot.dialog.reply import Button, InlineResult, Reply, UserRef

__all__ = ["Button", "Command", "Dialog", "Feature", "InlineResult", "Reply", "Turn", "UserRef",
           "build_dialog"]
