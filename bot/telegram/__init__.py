"""The Telegram adapter (python-telegram-bot): the only package that imports ``telegram``."""

from bot.telegram.app import build_application, run_bot

__all__ = ["build_application", "run_bot"]
