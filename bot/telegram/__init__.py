"""The Telegram adapter (python-telegram-bot): the only package that imports ``telegram``."""

from bot.telegram.app import Service, StartError, build_application, run_bot

__all__ = ["Service", "StartError", "build_application", "run_bot"]
