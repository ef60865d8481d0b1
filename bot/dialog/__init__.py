"""The conversation, transport-free: text and button presses in, :class:`Reply` objects out.

The dialog is assembled here from its features (:func:`build_dialog`); a new feature is a
module with a :class:`Feature` subclass, added to the list below.
"""

from datetime import timedelta

from bot.config import Settings
from bot.dialog.answers import Answers
from bot.dialog.checkers import Checkers
from bot.dialog.core import Dialog
from bot.dialog.experts import Experts, ExpertSettings
from bot.dialog.kb_admin import KnowledgeAdmin
from bot.dialog.notice_admin import NoticeAdmin
from bot.dialog.privacy import Privacy
from bot.dialog.reply import Button, InlineResult, Reply, UserRef
from bot.dialog.subscriptions import Subscriptions
from bot.dialog.turn import Command, Feature, Turn
from bot.i18n import Catalogs
from bot.library import Library
from bot.store import Store, open_database

__all__ = [
    "Button",
    "Command",
    "Dialog",
    "Feature",
    "InlineResult",
    "Reply",
    "Turn",
    "UserRef",
    "build_dialog",
]


def build_dialog(settings: Settings, store: Store | None = None) -> Dialog:
    """Open the store, load the knowledge base and catalogs, and assemble the dialog."""
    store = store or open_database(
        settings.db_path, settings.hash_secret, new_ok=settings.new_database
    )
    library = Library(settings.knowledge_dir)
    experts = Experts(ExpertSettings.of(settings))
    checkers = Checkers()
    privacy = Privacy(timedelta(days=settings.retention_days), forgetting=[experts.forgetting])
    features: list[Feature] = [
        checkers,
        Subscriptions(),
        NoticeAdmin(),
        KnowledgeAdmin(library),
        privacy,
        experts,
    ]
    answers = Answers(
        handoff=experts.offer,
        ask_person=experts.ask,
        resume=checkers.resume,
        privacy=privacy.explained,
    )
    return Dialog(library, store, Catalogs(settings.locales_dir), answers, features)
