"""The python-telegram-bot generics this bot is built with, named once."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, ContextTypes, ExtBot, JobQueue

Context = ContextTypes.DEFAULT_TYPE
# PTB types CallbackContext.job_queue with an unbound type variable: accept any context type.
Jobs = JobQueue[Any]
App = Application[ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], dict[Any, Any], Jobs]
