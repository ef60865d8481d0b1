"""The knowledge base as its admins see it in the chat: /reload, the alert when an edit breaks
it, the all-clear when it is fixed, and the weekly list of entries due for review."""

from __future__ import annotations

from collections.abc import Sequence

from bot.dialog.reply import Reply
from bot.dialog.turn import Command, Feature, Turn
from bot.i18n import N_
from bot.kb import Problem
from bot.kb.diff import BaseDiff
from bot.kb.markup import escape
from bot.library import Library, Reload

MAX_LISTED = 10  # problems, changed entries or stale entries named in one message


class KnowledgeAdmin(Feature):
    """/reload for admins: re-read ``knowledge/`` now and say what changed."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def commands(self) -> list[Command]:
        """/reload (admins only)."""
        return [
            Command(
                "reload", self.reload, N_("Re-read the knowledge base now (admins)"), admin=True
            )
        ]

    def reloaded(self, turn: Turn, reload: Reload) -> list[Reply]:
        """An admin is told that a new version is live (with what changed), that an edit broke
        the base or left notices out (once per such state), or that it is sound again."""
        if turn.user.is_admin and (reload.status == "reloaded" or reload.alert or reload.fixed):
            return reload_replies(turn, reload)
        return []

    def reload(self, turn: Turn, _args: str) -> list[Reply]:
        """Re-read the base in this thread (the terminal chat; the Telegram adapter does it off
        the dialog's thread) and report it."""
        return reload_replies(turn, self.library.refresh(force=True))


def reload_replies(turn: Turn, reload: Reload) -> list[Reply]:
    """What a reload found, for /reload and for the admins' alert after an edit: the problems
    that keep the last good base live, or (after them) that it is sound again, then nothing
    changed or what changed, then the notices left out for their problems."""
    _ = turn._
    if reload.status == "broken":
        head = _(
            "An edit of the knowledge base has problems ({count}), so version {base} stays live. "
            "Fix them and save; I will tell you when the base is sound again.",
            count=len(reload.problems),
            base=reload.base,
        )
        return [Reply("\n\n".join([head, _listed(turn, [str(p) for p in reload.problems])]))]
    parts = [_("The knowledge base is sound again.")] if reload.fixed else []
    if reload.status == "unchanged":
        parts.append(_("Nothing has changed: version {base} is live.", base=reload.base))
    else:
        parts.append(_("Version {base} of the knowledge base is live.", base=reload.base))
        if reload.diff is not None:
            parts.append(_diff_text(turn, reload.diff))
    if reload.left_out:
        parts.append(
            _(
                "Notices left out for their problems ({count}): they will not be sent until "
                "you fix them.",
                count=len(reload.left_out),
            )
        )
        parts.append(_listed(turn, [str(p) for p in reload.left_out]))
    return [Reply("\n\n".join(parts))]


def stale_replies(turn: Turn, stale: Sequence[Problem]) -> list[Reply]:
    """The weekly message listing entries whose ``reviewed`` date is too old (none: no message)."""
    if not stale:
        return []
    head = turn._(
        "Entries due for review ({count}): check them against their sources and update their "
        "`reviewed` date.",
        count=len(stale),
    )
    return [Reply("\n\n".join([head, _listed(turn, [str(p) for p in stale])]))]


def _diff_text(turn: Turn, diff: BaseDiff) -> str:
    if not diff:
        return turn._("No entry changed (other files did).")
    lines = [f"+ {entry.id}" for entry in diff.added]
    lines += [f"− {entry.id}" for entry in diff.removed]
    lines += [
        f"~ {change.id}: " + ", ".join([*change.langs, *change.fields]) for change in diff.changed
    ]
    return "\n\n".join(
        [turn._("Entries added (+), removed (−) and changed (~):"), _listed(turn, lines)]
    )


def _listed(turn: Turn, lines: list[str]) -> str:
    shown = "\n".join(f"- {escape(line)}" for line in lines[:MAX_LISTED])
    if len(lines) > MAX_LISTED:
        shown += "\n\n" + turn._("… and {count} more.", count=len(lines) - MAX_LISTED)
    return shown
